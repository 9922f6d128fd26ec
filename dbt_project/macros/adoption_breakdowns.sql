{#
  The measures every adoption breakdown publishes (metrics.md §1: registered workers at the month
  end, new registrations in the month, active workers, registered businesses), per month and
  cell, with the distinct employers behind each worker count so that a publication can apply its
  10-worker / 3-business rule to every cell. The breakdown marts differ only in their cells
  (business size, tier, association); this is the counting they share.

  adoption_breakdown(business_cells, business_presence, cell_column, fallback_cell) emits the
  rest of a breakdown mart: CTE definitions (to follow the mart's own CTEs, after a comma) and the
  final select (month, <cell_column>, the measures below; only rows where some measure is > 0).
  The months are int_months', the workers' employers int_worker_employer_segments' (the row in
  force at each month end), the active workers int_worker_active_months'. The mart gives its
  cells:
    business_cells     relation or CTE (business_id, cell, valid_from_month, valid_to_month):
                       the cell of each business at each month end; covering all time for every
                       business it names when fallback_cell is given; one business's segments
                       in one cell never overlap
    business_presence  (business_id, cell, valid_from_month, valid_to_month): the months a
                       business counts as registered (not withdrawn) in a cell, never
                       overlapping for one business and cell
    cell_column        the name of the cell column in the mart
    fallback_cell      SQL literal: the cell of a worker whose employer has no cell segment (not
                       in the registry, or no employer: worker keys seen only in the
                       attendance); none = such workers are in no cell

  Measures (workers follow their employer's cell at the month end):
    registered_workers          workers with registered_on <= month end, in their employer's
                                cell at the month end
    employers_of_registered_workers   distinct employers behind them
                                (int_employers_with_registered_workers in the cells)
    new_workers                 workers with registered_on in the month, in the cell of their
                                employer at the end of that month
    employers_of_new_workers    distinct employers behind them
    active_workers              workers with a work-history day in the 30 days up to the month
                                end (int_worker_active_months), in their employer's cell then
    employers_of_active_workers distinct employers behind them (a worker of no known employer
                                counts no business)
    registered_businesses       businesses registered and not withdrawn at the month end
#}
{% macro adoption_breakdown(business_cells, business_presence, cell_column, fallback_cell=none) -%}
{%- set months = 'breakdown_months' -%}
{%- set active_months = ref('int_worker_active_months') -%}

breakdown_months as (

    select month from {{ ref('int_months') }}

),

breakdown_worker_cells as (

    {{ segments_in_cells(ref('int_worker_employer_segments'), 'employer_business_id', business_cells, fallback_cell,
                         ['worker_key', 'employer_business_id', 'registered_month']) }}

),

-- the businesses employing a registered worker, in their cells
breakdown_employer_cells as (

    {{ segments_in_cells(ref('int_employers_with_registered_workers'), 'business_id', business_cells,
                         fallback_cell, ['business_id']) }}

),

breakdown_registered_workers as (

    select
        cell,
        worker_key,
        {{ later_segment_start('valid_from_month', 'registered_month') }} as valid_from_month,
        valid_to_month
    from breakdown_worker_cells
    where registered_month is not null
        and (valid_to_month is null or registered_month < valid_to_month)

),

breakdown_new_workers as (

    select
        cells.cell,
        cells.registered_month as month,
        count(distinct cells.worker_key) as new_workers,
        count(distinct cells.employer_business_id) as employers_of_new_workers
    from breakdown_worker_cells as cells
    where cells.registered_month is not null
        and {{ segment_holds_in('cells', 'cells.registered_month') }}
    group by cells.cell, cells.registered_month

),

breakdown_active_workers as (

    select
        cell,
        month,
        count(distinct worker_key) as active_workers,
        count(distinct employer_business_id) as employers_of_active_workers
    from (
        select
            {% if fallback_cell is not none -%}
            coalesce(cells.cell, {{ fallback_cell }})
            {%- else -%}
            cells.cell
            {%- endif %} as cell,
            active.month,
            active.worker_key,
            cells.employer_business_id
        from {{ active_months }} as active
        {{ 'left' if fallback_cell is not none else 'inner' }} join breakdown_worker_cells as cells
            on active.worker_key = cells.worker_key
            and {{ segment_holds_in('cells', 'active.month') }}
    ) as active_cells
    group by cell, month

),

-- one row per cell, month and measure change; every cell has every month (zeros) so that the
-- running sums carry over months without a change
breakdown_events as (

    select
        cell, month,
        change as registered_workers, 0 as employers_of_registered_workers,
        0 as registered_businesses, 0 as new_workers, 0 as employers_of_new_workers,
        0 as active_workers, 0 as employers_of_active_workers
    from ({{ member_count_changes('breakdown_registered_workers', 'worker_key', months) }}) as changes

    union all

    select cell, month, 0, change, 0, 0, 0, 0, 0
    from ({{ member_count_changes('breakdown_employer_cells', 'business_id', months) }}) as changes

    union all

    select cell, month, 0, 0, change, 0, 0, 0, 0
    from ({{ member_count_changes(business_presence, 'business_id', months) }}) as changes

    union all

    select cell, month, 0, 0, 0, new_workers, employers_of_new_workers, 0, 0
    from breakdown_new_workers

    union all

    select cell, month, 0, 0, 0, 0, 0, active_workers, employers_of_active_workers
    from breakdown_active_workers

),

breakdown_grid as (

    select * from breakdown_events

    union all

    select cells.cell, months.month, 0, 0, 0, 0, 0, 0, 0
    from {{ months }} as months
    cross join (select distinct cell from breakdown_events) as cells

),

breakdown_monthly as (

    select
        grid.month,
        grid.cell,
        sum(grid.registered_workers) as registered_workers_change,
        sum(grid.employers_of_registered_workers) as employers_of_registered_workers_change,
        sum(grid.registered_businesses) as registered_businesses_change,
        sum(grid.new_workers) as new_workers,
        sum(grid.employers_of_new_workers) as employers_of_new_workers,
        sum(grid.active_workers) as active_workers,
        sum(grid.employers_of_active_workers) as employers_of_active_workers
    from breakdown_grid as grid
    -- changes outside the month spine (a segment ending after its last month) are not reported
    inner join {{ months }} as months
        on grid.month = months.month
    group by grid.month, grid.cell

),

breakdown_measures as (

    select
        month,
        cell,
        {%- for measure in ['registered_workers', 'employers_of_registered_workers', 'registered_businesses'] %}
        cast(sum({{ measure }}_change) over (
            partition by cell order by month rows between unbounded preceding and current row
        ) as {{ dbt.type_bigint() }}) as {{ measure }},
        {%- endfor %}
        cast(new_workers as {{ dbt.type_bigint() }}) as new_workers,
        cast(employers_of_new_workers as {{ dbt.type_bigint() }}) as employers_of_new_workers,
        cast(active_workers as {{ dbt.type_bigint() }}) as active_workers,
        cast(employers_of_active_workers as {{ dbt.type_bigint() }}) as employers_of_active_workers
    from breakdown_monthly

)

-- the contract's measures first (registered, new, active workers, registered businesses), then
-- the distinct employers behind each worker count
select
    month,
    cell as {{ cell_column }},
    registered_workers,
    new_workers,
    active_workers,
    registered_businesses,
    employers_of_registered_workers,
    employers_of_new_workers,
    employers_of_active_workers
from breakdown_measures
where registered_workers > 0
    or new_workers > 0
    or active_workers > 0
    or registered_businesses > 0
{%- endmacro %}

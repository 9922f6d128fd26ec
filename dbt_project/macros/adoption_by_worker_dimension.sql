{#
  adoption_by_worker_dimension(dimension): 普及状況 per month and one worker dimension of
  int_worker_dimensions (prefecture_code or occupation_code), with the distinct workers and the
  distinct employers (registry employer_business_id) behind every measure, so that a published
  cell of one dimension can be suppressed on its own counts (metrics.md section 8: fewer than
  10 workers or 3 businesses). The worker measures are those of adoption_monthly summed over the
  other dimension:
    registered_workers           workers with registered_on <= month end (cumulative)
    registered_worker_businesses their distinct employers (a business counts from the month of
                                 its first registered worker in the cell)
    new_workers / _businesses    workers registered in the month / their employers
    active_workers / _businesses workers with a work-history day in the 30 days up to the month
                                 end / their employers
    work_history_days, work_history_workers, work_history_businesses
                                 work-history days of the month / the workers and employers
  Workers without an employer in the registry count as workers and as no business. Only rows
  where some measure is > 0.
#}
{% macro adoption_by_worker_dimension(dimension) -%}
with months as (

    select month from {{ ref('int_months') }}

),

workers as (

    select
        worker_key,
        {{ dimension }} as code,
        employer_business_id,
        registered_on
    from {{ ref('int_worker_dimensions') }}

),

registrations as (

    select
        {{ month_start('registered_on') }} as month,
        code,
        employer_business_id,
        worker_key
    from workers
    where registered_on is not null

),

new_in_month as (

    select
        month,
        code,
        count(*) as new_workers,
        count(distinct employer_business_id) as new_worker_businesses
    from registrations
    group by month, code

),

first_business_months as (

    -- the month each business has its first registered worker in the cell
    select
        code,
        employer_business_id,
        min(month) as month
    from registrations
    where employer_business_id is not null
    group by code, employer_business_id

),

businesses_first_in_month as (

    select
        month,
        code,
        count(*) as first_businesses
    from first_business_months
    group by month, code

),

active as (

    select
        active.month,
        workers.code,
        count(distinct active.worker_key) as active_workers,
        count(distinct workers.employer_business_id) as active_worker_businesses
    from {{ ref('int_worker_active_months') }} as active
    inner join workers
        on active.worker_key = workers.worker_key
    group by active.month, workers.code

),

work_history as (

    -- the days summed per month and worker first (int_work_history_months)
    select
        days.month,
        workers.code,
        cast(sum(days.work_history_days) as {{ dbt.type_bigint() }}) as work_history_days,
        count(distinct days.worker_key) as work_history_workers,
        count(distinct workers.employer_business_id) as work_history_businesses
    from {{ ref('int_work_history_months') }} as days
    inner join workers
        on days.worker_key = workers.worker_key
    group by days.month, workers.code

),

codes as (

    select distinct code from workers

),

grid as (

    select
        months.month,
        codes.code,
        coalesce(new_in_month.new_workers, 0) as new_workers,
        coalesce(new_in_month.new_worker_businesses, 0) as new_worker_businesses,
        coalesce(businesses_first_in_month.first_businesses, 0) as first_businesses
    from months
    cross join codes
    left join new_in_month
        on months.month = new_in_month.month
        and {{ null_safe_equal('codes.code', 'new_in_month.code') }}
    left join businesses_first_in_month
        on months.month = businesses_first_in_month.month
        and {{ null_safe_equal('codes.code', 'businesses_first_in_month.code') }}

),

cumulative as (

    select
        grid.*,
        sum(new_workers) over (
            partition by code
            order by month
            rows between unbounded preceding and current row
        ) as registered_workers,
        sum(first_businesses) over (
            partition by code
            order by month
            rows between unbounded preceding and current row
        ) as registered_worker_businesses
    from grid

)

select
    cumulative.month,
    cumulative.code as {{ dimension }},
    cast(cumulative.registered_workers as {{ dbt.type_bigint() }}) as registered_workers,
    cast(cumulative.registered_worker_businesses as {{ dbt.type_bigint() }}) as registered_worker_businesses,
    cast(cumulative.new_workers as {{ dbt.type_bigint() }}) as new_workers,
    cast(cumulative.new_worker_businesses as {{ dbt.type_bigint() }}) as new_worker_businesses,
    cast(coalesce(active.active_workers, 0) as {{ dbt.type_bigint() }}) as active_workers,
    cast(coalesce(active.active_worker_businesses, 0) as {{ dbt.type_bigint() }}) as active_worker_businesses,
    cast(coalesce(work_history.work_history_days, 0) as {{ dbt.type_bigint() }}) as work_history_days,
    cast(coalesce(work_history.work_history_workers, 0) as {{ dbt.type_bigint() }}) as work_history_workers,
    cast(coalesce(work_history.work_history_businesses, 0) as {{ dbt.type_bigint() }}) as work_history_businesses
from cumulative
left join active
    on cumulative.month = active.month
    and {{ null_safe_equal('cumulative.code', 'active.code') }}
left join work_history
    on cumulative.month = work_history.month
    and {{ null_safe_equal('cumulative.code', 'work_history.code') }}
where cumulative.registered_workers > 0
    or cumulative.new_workers > 0
    or coalesce(active.active_workers, 0) > 0
    or coalesce(work_history.work_history_days, 0) > 0
{%- endmacro %}


{# a = b, or both NULL (the unknown prefecture or occupation is one cell of its own). #}
{% macro null_safe_equal(a, b) -%}
    ({{ a }} = {{ b }} or ({{ a }} is null and {{ b }} is null))
{%- endmacro %}

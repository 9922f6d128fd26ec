{#
  Month segments of the adoption marts (metrics.md §1).

  A *segment* says that something holds at the end of every month from valid_from_month
  (inclusive; NULL = since before any month) to valid_to_month (exclusive; NULL = still holds):
  a worker's employer, a business's size band, tier or association, a business being registered
  and not withdrawn. Counts "at the month end" then need no row per member and month (workers x
  months is ≈10^8 rows at national scale): a member enters a cell at valid_from_month and leaves
  it at valid_to_month, and the running sum of those changes is the count at each month end.
#}


{# The later of two segment starts (NULL = unbounded, so the other one). #}
{% macro later_segment_start(a, b) -%}
    case when {{ a }} is null then {{ b }} when {{ b }} is null then {{ a }}
         when {{ a }} >= {{ b }} then {{ a }} else {{ b }} end
{%- endmacro %}

{# The earlier of two segment ends (NULL = unbounded, so the other one). #}
{% macro earlier_segment_end(a, b) -%}
    case when {{ a }} is null then {{ b }} when {{ b }} is null then {{ a }}
         when {{ a }} <= {{ b }} then {{ a }} else {{ b }} end
{%- endmacro %}

{# Two aliased segments share at least one month. #}
{% macro segments_overlap(a, b) -%}
    ({{ a }}.valid_from_month is null or {{ b }}.valid_to_month is null
        or {{ a }}.valid_from_month < {{ b }}.valid_to_month)
    and ({{ b }}.valid_from_month is null or {{ a }}.valid_to_month is null
        or {{ b }}.valid_from_month < {{ a }}.valid_to_month)
{%- endmacro %}

{# The aliased segment holds at the end of `month`. #}
{% macro segment_holds_in(alias, month) -%}
    ({{ alias }}.valid_from_month is null or {{ alias }}.valid_from_month <= {{ month }})
    and ({{ alias }}.valid_to_month is null or {{ month }} < {{ alias }}.valid_to_month)
{%- endmacro %}


{#
  business_month_segments(history): the business row in force at each month end, from rows
  shaped like stg_business_registry_history. Columns: business_id, valid_from_month,
  valid_to_month, registered_month (of the business's current row: registration counts use the
  registry's current registered_on), prefecture_code, is_sole_proprietor, employee_count,
  capital_yen, association_codes, is_withdrawn.
  - A row is in force at the end of the month of its updated_at and of every later month until
    the month of the business's next row; of several rows in one month the last one is.
  - Before the month of its first row a business has that row's attributes (a registry
    describes a business from its registration on) but is not withdrawn.
  - Withdrawal (metrics.md §1): is_withdrawn = the latest non-NULL is_withdrawn among the rows
    up to that month end, false when none reported one. So a withdrawal takes effect in the
    month of the first row that reports true; a later row without the column (NULL) does not
    reinstate the business; a row with an explicit false does, from its month.
#}
{% macro business_month_segments(history) -%}
    select
        business_id,
        -- part 1 is the segment before the first row's month (the cross join below)
        case when part = 1 then cast(null as date) else row_month end as valid_from_month,
        case when part = 1 then row_month else next_row_month end as valid_to_month,
        registered_month,
        prefecture_code,
        is_sole_proprietor,
        employee_count,
        capital_yen,
        association_codes,
        case when part = 1 then false else is_withdrawn_in_force end as is_withdrawn
    from (
        select
            month_rows.*,
            lead(row_month) over (partition by business_id order by row_month) as next_row_month,
            row_number() over (partition by business_id order by row_month) as month_rank
        from (
            select
                reported.*,
                -- every row belongs to the group of the last row that reported is_withdrawn (the
                -- count of reports so far); that row is the group's only non-NULL value
                coalesce(max(case when is_withdrawn then 1 when not is_withdrawn then 0 end) over (
                    partition by business_id, withdrawal_reports
                ), 0) = 1 as is_withdrawn_in_force,
                row_number() over (
                    partition by business_id, row_month order by valid_from desc
                ) as rank_in_month
            from (
                select
                    history.*,
                    {{ month_start('valid_from') }} as row_month,
                    {{ month_start('first_value(registered_on) over (
                        partition by business_id order by valid_from desc)') }} as registered_month,
                    count(is_withdrawn) over (
                        partition by business_id order by valid_from
                        rows between unbounded preceding and current row
                    ) as withdrawal_reports
                from {{ history }} as history
            ) as reported
        ) as month_rows
        where rank_in_month = 1
    ) as segments
    cross join (select 0 as part union all select 1 as part) as parts
    where parts.part = 0 or segments.month_rank = 1
{%- endmacro %}


{#
  registered_business_segments(segments, columns): the months in which a business counts as
  registered — from the month of its registered_on, while not withdrawn — from
  business_month_segments rows; `columns` are carried along.
#}
{% macro registered_business_segments(segments, columns=[]) -%}
    select
        business_id,
        {{ later_segment_start('valid_from_month', 'registered_month') }} as valid_from_month,
        valid_to_month
        {%- for column in columns %},
        {{ column }}
        {%- endfor %}
    from {{ segments }}
    where not is_withdrawn
        and registered_month is not null
        and (valid_to_month is null or registered_month < valid_to_month)
{%- endmacro %}


{#
  segments_in_cells(segments, key, cells, fallback_cell, columns): each segment of `segments`
  split by the cell segments (business_id, cell, valid_from_month, valid_to_month) of the
  business its `key` names: one row per overlap, bounded by both. A segment whose business has
  no cell segment at all takes `fallback_cell` (a SQL literal) over its whole length, or is
  dropped when fallback_cell is none. Cell segments must cover all time for every business they
  name (the breakdown marts build them so), or the uncovered months would be lost.
#}
{% macro segments_in_cells(segments, key, cells, fallback_cell=none, columns=[]) -%}
    select
        {%- for column in columns %}
        members.{{ column }},
        {%- endfor %}
        {% if fallback_cell is not none -%}
        coalesce(cells.cell, {{ fallback_cell }})
        {%- else -%}
        cells.cell
        {%- endif %} as cell,
        {{ later_segment_start('members.valid_from_month', 'cells.valid_from_month') }} as valid_from_month,
        {{ earlier_segment_end('members.valid_to_month', 'cells.valid_to_month') }} as valid_to_month
    from {{ segments }} as members
    {{ 'left' if fallback_cell is not none else 'inner' }} join {{ cells }} as cells
        on members.{{ key }} = cells.business_id
        and {{ segments_overlap('members', 'cells') }}
{%- endmacro %}


{#
  segment_edges(segments, member, months): +1 at the first month of every segment (cell, member,
  valid_from_month, valid_to_month) and -1 at its end, as (cell, member, month, delta). A start
  before the first month of `months` counts from that month; segments that end before it and
  NULL members are left out.
#}
{% macro segment_edges(segments, member, months) -%}
    select
        segments.cell,
        segments.{{ member }} as member,
        {{ later_segment_start('segments.valid_from_month', 'bounds.first_month') }} as month,
        1 as delta
    from {{ segments }} as segments
    cross join (select min(month) as first_month from {{ months }}) as bounds
    where segments.{{ member }} is not null
        and (segments.valid_to_month is null or segments.valid_to_month > bounds.first_month)

    union all

    select
        segments.cell,
        segments.{{ member }},
        segments.valid_to_month,
        -1
    from {{ segments }} as segments
    cross join (select min(month) as first_month from {{ months }}) as bounds
    where segments.{{ member }} is not null
        and segments.valid_to_month > bounds.first_month
{%- endmacro %}


{#
  member_count_changes(segments, member, months): per cell and month, how many members entered
  (+) or left (-) the cell at that month's end; the running sum over the months is the count at
  each month end. One member's segments in one cell must not overlap (a worker has one employer
  at a time, a business one row in force; distinct employers come from
  int_employers_with_registered_workers, whose segments do not overlap either): then the edges add
  up as they are, with no running sum per member.
#}
{% macro member_count_changes(segments, member, months) -%}
    select cell, month, sum(delta) as change
    from ({{ segment_edges(segments, member, months) }}) as edges
    group by cell, month
{%- endmacro %}

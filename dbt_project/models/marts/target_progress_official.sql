-- Progress against each adoption target (seed adoption_targets) on the official series
-- (seed published_registrations, the figures MLIT published as the trade press quoted them),
-- at every date of that series. Grain: target x official date.
-- The platform's own series (target_progress) is a sample when the run is simulated; the
-- headline's share and projection rest on this model instead (dashboards/README.md).
--   running_total: registered_workers; registered_businesses counted with sole proprietors
--     (rows published on the other basis are left out); cumulative_work_records for the
--     fiscal-year target.
--   value: the running total, or for work_records_in_fiscal_year the records of the target's
--     own fiscal year (the fiscal year of its deadline, April-March) = cumulative at as_of -
--     cumulative at the official date the day before that year began (opening_as_of); NULL
--     when as_of is outside that fiscal year or no figure opens it.
--   share = value / target_value (DOUBLE, not rounded).
--   pace: the official dates are irregular, so the pace runs from the latest earlier official
--     date at least 365 days before as_of (pace_from), else from the first official date:
--     pace_per_day = (running total at as_of - at pace_from) / days between.
--   projected_date / projection_status:
--     'reached'           value >= target_value: the first official date at which it was
--     'projected'         as_of + ceil((target_value - value) / pace_per_day) days, on or before
--                         projection_limit (var target_projection_horizon, 2100-12-31; for the
--                         fiscal-year target the end of its fiscal year)
--     'unreachable'       pace <= 0, or the projection falls after projection_limit (見込み立たず)
--     'no_history'        the first official date of the metric: no pace yet
--     'before_period'     fiscal-year target, as_of before its fiscal year
--     'after_period'      fiscal-year target, as_of after its fiscal year
--     'no_opening_figure' fiscal-year target, no official figure the day before its year began

with targets as (

    select
        target_id,
        name_ja,
        name_en,
        metric,
        target_value,
        deadline,
        source_url as target_source_url,
        {{ fiscal_year_start('deadline') }} as period_start
    from {{ ref('adoption_targets') }}

),

official as (

    select as_of, 'registered_workers' as metric, registered_workers as running_total, source_url
    from {{ ref('published_registrations') }}
    where registered_workers is not null
    union all
    select as_of, 'registered_businesses' as metric, registered_businesses as running_total, source_url
    from {{ ref('published_registrations') }}
    where registered_businesses is not null and businesses_basis = 'incl_sole_proprietors'
    union all
    select as_of, 'work_records_in_fiscal_year' as metric, cumulative_work_records as running_total, source_url
    from {{ ref('published_registrations') }}
    where cumulative_work_records is not null

),

paced_from as (

    select
        later.metric,
        later.as_of,
        later.running_total,
        later.source_url,
        coalesce(
            max(
                case
                    when {{ days_between('earlier.as_of', 'later.as_of') }} >= 365 then earlier.as_of
                end
            ),
            min(earlier.as_of)
        ) as pace_from
    from official as later
    left join official as earlier
        on
            later.metric = earlier.metric
            and earlier.as_of < later.as_of
    group by later.metric, later.as_of, later.running_total, later.source_url

),

measured as (

    select
        targets.*,
        points.as_of,
        points.running_total,
        points.source_url,
        points.pace_from,
        case
            when targets.metric = 'work_records_in_fiscal_year'
                then {{ add_days(add_months('targets.period_start', 12), -1) }}
            else cast('{{ var("target_projection_horizon") }}' as date)
        end as projection_limit,
        case
            when targets.metric != 'work_records_in_fiscal_year' then 'in_period'
            when points.as_of < targets.period_start then 'before_period'
            when points.as_of > {{ add_days(add_months('targets.period_start', 12), -1) }} then 'after_period'
            when opening.as_of is null then 'no_opening_figure'
            else 'in_period'
        end as period_status,
        opening.as_of as opening_as_of,
        case
            when targets.metric != 'work_records_in_fiscal_year' then points.running_total
            else points.running_total - opening.running_total
        end as period_value
    from targets
    inner join paced_from as points
        on targets.metric = points.metric
    left join official as opening
        on
            opening.metric = targets.metric
            and opening.as_of = {{ add_days('targets.period_start', -1) }}

),

projected as (

    select
        measured.*,
        case when measured.period_status = 'in_period' then measured.period_value end as value,
        pace.running_total as pace_from_total,
        measured.running_total - pace.running_total as pace_growth,
        {{ days_between('measured.pace_from', 'measured.as_of') }} as pace_days
    from measured
    left join official as pace
        on
            pace.metric = measured.metric
            and pace.as_of = measured.pace_from

),

reached as (

    select
        projected.*,
        min(case when value >= target_value then as_of end) over (
            partition by target_id order by as_of
            rows between unbounded preceding and current row
        ) as first_reached_on,
        {{ days_to_target('value', 'target_value', 'pace_growth', 'pace_days') }} as days_to_target
    from projected

)

select
    target_id,
    name_ja,
    name_en,
    metric,
    as_of,
    cast(value as {{ dbt.type_bigint() }}) as value,
    cast(target_value as {{ dbt.type_bigint() }}) as target_value,
    deadline,
    cast(value as double) / cast(nullif(target_value, 0) as double) as share,
    {{ projected_date('value', 'target_value', 'first_reached_on', 'days_to_target', 'as_of', 'projection_limit') }}
        as projected_date,
    case
        when period_status != 'in_period' then period_status
        when value >= target_value then 'reached'
        when pace_growth is null then 'no_history'
        when days_to_target <= {{ days_between('as_of', 'projection_limit') }} then 'projected'
        else 'unreachable'
    end as projection_status,
    projection_limit,
    opening_as_of,
    pace_from,
    cast(pace_growth as double) / nullif(pace_days, 0) as pace_per_day,
    source_url,
    target_source_url
from reached

-- Progress against each adoption target (seed adoption_targets), at every month end of
-- adoption_national.
--   value: registered_workers / registered_businesses at the month end (adoption_national), or
--     for work_records_in_fiscal_year the work-history days of the fiscal year (April-March)
--     up to the month end (adoption_national.work_history_days_fiscal_ytd).
--   share = value / target_value (DOUBLE, not rounded).
--   pace_per_day: the trailing 12-month pace = (running total at as_of - running total 12
--     month ends earlier) / 365; with less than 12 months of history, the growth since the
--     first month end / the days since it; NULL at the first month end. The running total is
--     the value itself for the registration counts, and the cumulative work-history days for
--     the fiscal-year target (the fiscal-year value resets every April, its pace does not).
--   projection_limit: the latest date a projection may name: the var
--     target_projection_horizon (2100-12-31); for a fiscal-year target the end of the fiscal
--     year of as_of instead (its value restarts in April: it is projected within its year only).
--   projected_date / projection_status:
--     'reached'     value >= target_value: the first month end at which it was reached (within
--                   the same fiscal year for the fiscal-year target)
--     'projected'   as_of + ceil((target_value - value) / pace_per_day) days, when that date is
--                   on or before projection_limit
--     'unreachable' the pace is <= 0, or the projection falls after projection_limit: not a
--                   date (NULL); a page reads it as 見込み立たず
--     'no_history'  the first month end: no pace yet (NULL)

with targets as (

    select target_id, metric, target_value, deadline, name_ja, name_en, source_url
    from {{ ref('adoption_targets') }}

),

series as (

    select
        national.month,
        months.month_end as as_of,
        months.fiscal_year_start,
        national.registered_workers,
        national.registered_businesses,
        national.work_history_days_fiscal_ytd as work_records_fiscal_ytd,
        national.work_history_days_cumulative as work_records_cumulative
    from {{ ref('adoption_national') }} as national
    inner join {{ ref('int_months') }} as months
        on national.month = months.month

),

measured as (

    select
        targets.target_id,
        targets.metric,
        targets.target_value,
        targets.deadline,
        targets.name_ja,
        targets.name_en,
        targets.source_url,
        series.month,
        series.as_of,
        case
            when targets.metric = 'work_records_in_fiscal_year'
                then {{ add_days(add_months('series.fiscal_year_start', 12), -1) }}
            else cast('{{ var("target_projection_horizon") }}' as date)
        end as projection_limit,
        case targets.metric
            when 'registered_workers' then series.registered_workers
            when 'registered_businesses' then series.registered_businesses
            when 'work_records_in_fiscal_year' then series.work_records_fiscal_ytd
        end as value,
        case targets.metric
            when 'registered_workers' then series.registered_workers
            when 'registered_businesses' then series.registered_businesses
            when 'work_records_in_fiscal_year' then series.work_records_cumulative
        end as running_total,
        -- a fiscal-year value is "reached" anew each fiscal year
        case
            when targets.metric = 'work_records_in_fiscal_year' then series.fiscal_year_start
        end as reach_period
    from targets
    cross join series

),

history as (

    select
        measured.*,
        lag(running_total, 12) over (
            partition by target_id order by month
        ) as running_total_12_months_earlier,
        first_value(running_total) over (
            partition by target_id order by month
            rows between unbounded preceding and current row
        ) as first_running_total,
        first_value(as_of) over (
            partition by target_id order by month
            rows between unbounded preceding and current row
        ) as first_as_of,
        min(case when value >= target_value then as_of end) over (
            partition by target_id, reach_period order by month
            rows between unbounded preceding and current row
        ) as first_reached_on
    from measured

),

paced as (

    select
        history.*,
        case
            when running_total_12_months_earlier is not null
                then running_total - running_total_12_months_earlier
            when as_of > first_as_of
                then running_total - first_running_total
        end as pace_growth,
        case
            when running_total_12_months_earlier is not null then 365
            when as_of > first_as_of then {{ days_between('first_as_of', 'as_of') }}
        end as pace_days
    from history

),

projected as (

    select
        paced.*,
        cast(pace_growth as double) / pace_days as pace_per_day,
        {{ days_to_target('value', 'target_value', 'pace_growth', 'pace_days') }} as days_to_target
    from paced

),

limited as (

    select
        projected.*,
        -- compared in days, so that no date past 9999-12-31 is ever computed
        days_to_target <= {{ days_between('as_of', 'projection_limit') }} as is_within_limit
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
        when value >= target_value then 'reached'
        when pace_growth is null then 'no_history'
        when is_within_limit then 'projected'
        else 'unreachable'
    end as projection_status,
    projection_limit,
    pace_per_day,
    source_url
from limited

-- 4週8休 per site and calendar month of its period (metrics.md §7, the monthly test), one row per
-- (site_id, month) with at least one day of the period up to the data's last date:
-- counted_days (days of the period in the month outside the excluded periods), closed_days
-- (counted days with neither a work-history day nor a roster row), closure_rate, and
-- meets_4w8c (closure_rate at or above the seed threshold, 28.5 %; NULL when nothing is
-- counted in the month). Part months at the start and end of the period count only their days
-- in the period.

with days as (

    select * from {{ ref('int_site_closure_days') }}

),

threshold as (

    select limit_value from {{ ref('worktime_rules') }}
    where rule = 'four_weeks_eight_closures'

),

monthly as (

    select
        site_id,
        month,
        min(calendar_date) as first_day,
        max(calendar_date) as last_day,
        count(*) as calendar_days,
        sum(case when is_counted then 0 else 1 end) as excluded_days,
        sum(case when is_counted then 1 else 0 end) as counted_days,
        sum(case when is_counted and is_closed then 1 else 0 end) as closed_days
    from days
    group by site_id, month

)

select
    monthly.site_id,
    monthly.month,
    monthly.first_day,
    monthly.last_day,
    cast(monthly.calendar_days as {{ dbt.type_bigint() }}) as calendar_days,
    cast(monthly.excluded_days as {{ dbt.type_bigint() }}) as excluded_days,
    cast(monthly.counted_days as {{ dbt.type_bigint() }}) as counted_days,
    cast(monthly.closed_days as {{ dbt.type_bigint() }}) as closed_days,
    case when monthly.counted_days > 0
         then cast(monthly.closed_days as double) / monthly.counted_days end as closure_rate,
    case when monthly.counted_days > 0
         then {{ at_or_above('cast(monthly.closed_days as double) / monthly.counted_days', 'threshold.limit_value') }}
    end as meets_4w8c
from monthly
cross join threshold

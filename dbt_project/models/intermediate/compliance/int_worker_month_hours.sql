-- A worker's hours per calendar month across all sites (metrics.md §7), one row per
-- (worker_key, month) for EVERY month from the worker's first work month to the data's last
-- month (int_compliance_dates.as_of_month), but no further than the longest averaging window
-- (seed worktime_rules) after the worker's last work month: a month without a work-history day
-- is a row of zeros (has_work_day false), so that the windows of the 80-hour rule are runs of
-- consecutive calendar months.

with worker_days as (

    select * from {{ ref('int_worker_day_hours') }}

),

dates as (

    select as_of_month from {{ ref('int_compliance_dates') }}

),

window_rule as (

    select window_max_months
    from {{ ref('worktime_rules') }}
    where rule = 'average_2_to_6_months_overtime_plus_holiday'

),

calendar_months as (

    select distinct month from {{ ref('int_compliance_calendar') }}

),

worker_span as (

    select
        worker_key,
        min(work_month) as first_month,
        max(work_month) as last_month
    from worker_days
    group by worker_key

),

spine as (

    select
        worker_span.worker_key,
        calendar_months.month
    from worker_span
    cross join dates
    cross join window_rule
    inner join calendar_months
        on calendar_months.month >= worker_span.first_month
        and calendar_months.month <= dates.as_of_month
        and calendar_months.month
            <= {{ add_months('worker_span.last_month', 'window_rule.window_max_months - 1') }}

),

monthly as (

    select
        worker_key,
        work_month as month,
        count(*) as work_days,
        sum(site_days) as site_days,
        sum(unknown_hours_site_days) as unknown_hours_site_days,
        sum(work_seconds) as work_seconds,
        sum(overtime_seconds) as overtime_seconds,
        sum(holiday_work_seconds) as holiday_work_seconds
    from worker_days
    group by worker_key, work_month

)

select
    spine.worker_key,
    spine.month,
    {{ fiscal_year_start('spine.month') }} as fiscal_year_start,
    monthly.worker_key is not null as has_work_day,
    cast(coalesce(monthly.work_days, 0) as {{ dbt.type_bigint() }}) as work_days,
    cast(coalesce(monthly.site_days, 0) as {{ dbt.type_bigint() }}) as site_days,
    cast(coalesce(monthly.unknown_hours_site_days, 0) as {{ dbt.type_bigint() }}) as unknown_hours_site_days,
    cast(coalesce(monthly.work_seconds, 0) as {{ dbt.type_bigint() }}) as work_seconds,
    cast(coalesce(monthly.overtime_seconds, 0) as {{ dbt.type_bigint() }}) as overtime_seconds,
    cast(coalesce(monthly.holiday_work_seconds, 0) as {{ dbt.type_bigint() }}) as holiday_work_seconds,
    cast(coalesce(monthly.overtime_seconds, 0) + coalesce(monthly.holiday_work_seconds, 0)
         as {{ dbt.type_bigint() }}) as overtime_holiday_seconds
from spine
left join monthly
    on spine.worker_key = monthly.worker_key
    and spine.month = monthly.month

-- A worker's hours per calendar month across all sites (metrics.md §7), one row per
-- (worker_key, month) for EVERY month from the worker's first work month to the data's last
-- month (int_compliance_dates.as_of_month), but no further than the longest averaging window
-- (seed worktime_rules) after the worker's last work month: a month without a work-history day
-- is a row of zeros (has_work_day false), so that the windows of the 80-hour rule are runs of
-- consecutive calendar months. The months with work are int_worker_month_work's (incremental by
-- work month): only the spine is rebuilt over all history each day.

with worked_months as (

    select * from {{ ref('int_worker_month_work') }}

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
        min(month) as first_month,
        max(month) as last_month
    from worked_months
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

)

select
    spine.worker_key,
    spine.month,
    {{ fiscal_year_start('spine.month') }} as fiscal_year_start,
    worked_months.worker_key is not null as has_work_day,
    cast(coalesce(worked_months.work_days, 0) as {{ dbt.type_bigint() }}) as work_days,
    cast(coalesce(worked_months.site_days, 0) as {{ dbt.type_bigint() }}) as site_days,
    cast(coalesce(worked_months.unknown_hours_site_days, 0) as {{ dbt.type_bigint() }}) as unknown_hours_site_days,
    cast(coalesce(worked_months.work_seconds, 0) as {{ dbt.type_bigint() }}) as work_seconds,
    cast(coalesce(worked_months.overtime_seconds, 0) as {{ dbt.type_bigint() }}) as overtime_seconds,
    cast(coalesce(worked_months.holiday_work_seconds, 0) as {{ dbt.type_bigint() }}) as holiday_work_seconds,
    cast(coalesce(worked_months.overtime_seconds, 0) + coalesce(worked_months.holiday_work_seconds, 0)
         as {{ dbt.type_bigint() }}) as overtime_holiday_seconds
from spine
left join worked_months
    on spine.worker_key = worked_months.worker_key
    and spine.month = worked_months.month

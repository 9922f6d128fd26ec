-- Working time per site, month and worker (metrics.md §7 seen from one project): the worker's
-- work-history days at the site in the month (those without an exit have unknown hours), and
-- their work, holiday-work and on-site overtime seconds there. Overtime on site = Σ over the
-- working-day work-history days of max(0, work seconds - the daily regular hours of
-- worktime_rules), per day at this site (a worker's two-site day is not split).
-- worktime_site_monthly sums these rows per site (≈8× fewer than the work-history days).
-- Incremental by work month (work_month_config in macros/incremental.sql): a month holding a
-- changed work date is recomputed whole from int_work_history_day_hours; like it, a changed
-- worktime_rules seed needs a --full-refresh.

{{ config(**work_month_config(['attendance'])) }}

with day_hours as (

    select * from {{ ref('int_work_history_day_hours') }}
    {% if is_incremental() -%}
    where work_month in {{ changed_months() }}
    {%- endif %}

),

rules as (

    select limit_value * 3600 as regular_seconds
    from {{ ref('worktime_rules') }}
    where rule = 'daily_regular_hours'

),

site_days as (

    select
        day_hours.site_id,
        day_hours.work_month as month,
        day_hours.worker_key,
        day_hours.has_exit,
        day_hours.is_holiday_work,
        coalesce(day_hours.work_seconds, 0) as work_seconds,
        case
            when day_hours.is_holiday_work or day_hours.work_seconds is null then 0
            when day_hours.work_seconds > rules.regular_seconds
                then day_hours.work_seconds - rules.regular_seconds
            else 0
        end as overtime_seconds,
        day_hours._committed_at
    from day_hours
    cross join rules

)

select
    site_id,
    month,
    worker_key,
    cast(count(*) as {{ dbt.type_bigint() }}) as work_history_days,
    cast(sum(case when has_exit then 0 else 1 end) as {{ dbt.type_bigint() }}) as unknown_hours_days,
    cast(sum(work_seconds) as {{ dbt.type_bigint() }}) as work_seconds,
    cast(sum(case when is_holiday_work then work_seconds else 0 end) as {{ dbt.type_bigint() }})
        as holiday_work_seconds,
    -- in the seed's type (its limit times 3600): whole seconds, so any order of summing is exact
    sum(overtime_seconds) as overtime_seconds,
    max(_committed_at) as _committed_at
from site_days
group by site_id, month, worker_key

-- Working time per site and month (metrics.md §7 seen from one project, for its orderer and
-- prime), one row per (site_id, month) with a work-history day: the site's workers, their
-- work-history days at the site (with and without an exit), the hours worked at the site, and
-- how many of the site's workers of the month have each working-time violation established in
-- that month (the violations use the worker's hours across ALL sites: the caps are the worker's).
-- Hours at the site: work hours of its work-history days, holiday work = those on Sundays and
-- national holidays; overtime_hours_on_site = Σ over the site's working-day work-history days of
-- max(0, work hours - 8) (per day at this site; a worker's two-site day is not split).
-- The hours are summed per site, month and worker first (int_site_worker_month_hours).
-- Counts only: no worker ids.

with site_worker_hours as (

    select * from {{ ref('int_site_worker_month_hours') }}

),

violations as (

    select * from {{ ref('int_worker_worktime_violations') }}

)

select
    figures.site_id,
    figures.month,
    cast(figures.workers as {{ dbt.type_bigint() }}) as workers,
    cast(figures.work_history_days as {{ dbt.type_bigint() }}) as work_history_days,
    cast(figures.unknown_hours_days as {{ dbt.type_bigint() }}) as unknown_hours_days,
    figures.work_hours,
    figures.holiday_work_hours,
    figures.overtime_hours_on_site,
    cast(coalesce(flags.workers_over_100h, 0) as {{ dbt.type_bigint() }}) as workers_over_100h,
    cast(coalesce(flags.workers_over_80h_avg, 0) as {{ dbt.type_bigint() }}) as workers_over_80h_avg,
    cast(coalesce(flags.workers_over_45h_7th_month, 0) as {{ dbt.type_bigint() }}) as workers_over_45h_7th_month,
    cast(coalesce(flags.workers_over_720h, 0) as {{ dbt.type_bigint() }}) as workers_over_720h,
    cast(coalesce(flags.workers_above_45h, 0) as {{ dbt.type_bigint() }}) as workers_above_45h,
    coalesce(flags.caps_in_force, false) as caps_in_force
from (

    select
        site_id,
        month,
        count(distinct worker_key) as workers,
        sum(work_history_days) as work_history_days,
        sum(unknown_hours_days) as unknown_hours_days,
        sum(work_seconds) / cast(3600 as double) as work_hours,
        sum(holiday_work_seconds) / cast(3600 as double) as holiday_work_hours,
        sum(overtime_seconds) / cast(3600 as double) as overtime_hours_on_site
    from site_worker_hours
    group by site_id, month

) as figures
left join (

    select
        site_workers.site_id,
        site_workers.month,
        sum(case when violations.is_over_100h then 1 else 0 end) as workers_over_100h,
        sum(case when violations.is_over_80h_avg then 1 else 0 end) as workers_over_80h_avg,
        sum(case when violations.is_over_45h_7th_month then 1 else 0 end) as workers_over_45h_7th_month,
        sum(case when violations.is_over_720h then 1 else 0 end) as workers_over_720h,
        sum(case when violations.is_above_45h then 1 else 0 end) as workers_above_45h,
        max(case when violations.is_cap_in_force then 1 else 0 end) = 1 as caps_in_force
    from site_worker_hours as site_workers
    inner join violations
        on site_workers.worker_key = violations.worker_key
        and site_workers.month = violations.month
    group by site_workers.site_id, site_workers.month

) as flags
    on figures.site_id = flags.site_id
    and figures.month = flags.month

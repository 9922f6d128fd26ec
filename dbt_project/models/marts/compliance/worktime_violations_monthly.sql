-- Working time (働き方改革, metrics.md §7) per month x prefecture_code x occupation_code.
-- Dimensions as in adoption_monthly: the prefecture of the worker's employer and the worker's
-- registry occupation (current registry state; NULL for workers not in the registry), so a
-- worker sits in one cell and the cells add up to the national figures.
--   workers                     workers with at least one work-history day in the month
--   businesses                  their distinct registry employers (for suppression on pages)
--   workers_over_100h           workers whose month reaches 100 h of overtime + holiday work
--   workers_over_80h_avg        workers with a 2-6-month window ending in the month averaging
--                               above 80 h (may include a worker with no work day in the month:
--                               the window's last month counts as 0 h)
--   workers_over_45h_7th_month  workers whose 7th month above 45 h of overtime in the fiscal
--                               year is this month
--   workers_over_720h           workers whose fiscal-year overtime passes 720 h in the month
--   businesses_over_*           the distinct registry employers of each count's workers (for suppression)
-- Violations are counted only from the seed's in_force_from (2024-04-01); earlier months have
-- their hours reported and every violation count 0 (caps_in_force false). Hours are totals over
-- the cell's workers (DOUBLE, not rounded). unknown_hours_days counts the work-history days
-- without an exit: their hours are unknown, so they are counted there and left out of the hour
-- totals (never taken as zero hours of work).

with worker_months as (

    select * from {{ ref('int_worker_worktime_violations') }}

),

workers as (

    select worker_key, prefecture_code, occupation_code, employer_business_id
    from {{ ref('int_worker_dimensions') }}

),

cells as (

    select
        worker_months.month,
        workers.prefecture_code,
        workers.occupation_code,
        max(case when worker_months.is_cap_in_force then 1 else 0 end) = 1 as caps_in_force,
        count(distinct case when worker_months.has_work_day then worker_months.worker_key end) as workers,
        count(distinct case when worker_months.has_work_day then workers.employer_business_id end) as businesses,
        count(distinct case when worker_months.is_over_100h then worker_months.worker_key end) as workers_over_100h,
        count(distinct case when worker_months.is_over_80h_avg then worker_months.worker_key end) as workers_over_80h_avg,
        count(distinct case when worker_months.is_over_45h_7th_month then worker_months.worker_key end)
            as workers_over_45h_7th_month,
        count(distinct case when worker_months.is_over_720h then worker_months.worker_key end) as workers_over_720h,
        count(distinct case when worker_months.is_over_100h then workers.employer_business_id end) as businesses_over_100h,
        count(distinct case when worker_months.is_over_80h_avg then workers.employer_business_id end) as businesses_over_80h_avg,
        count(distinct case when worker_months.is_over_45h_7th_month then workers.employer_business_id end) as businesses_over_45h_7th_month,
        count(distinct case when worker_months.is_over_720h then workers.employer_business_id end) as businesses_over_720h,
        count(distinct case when worker_months.is_above_45h then worker_months.worker_key end) as workers_above_45h,
        count(distinct case when worker_months.unknown_hours_site_days > 0 then worker_months.worker_key end)
            as workers_with_unknown_hours,
        sum(worker_months.work_days) as work_days,
        sum(worker_months.site_days) as work_history_days,
        sum(worker_months.unknown_hours_site_days) as unknown_hours_days,
        -- exact seconds summed, divided once: the same hours on every run and engine
        sum(worker_months.work_seconds) / cast(3600 as double) as work_hours,
        sum(worker_months.overtime_seconds) / cast(3600 as double) as overtime_hours,
        sum(worker_months.holiday_work_seconds) / cast(3600 as double) as holiday_work_hours
    from worker_months
    left join workers
        on worker_months.worker_key = workers.worker_key
    group by worker_months.month, workers.prefecture_code, workers.occupation_code

)

select
    month,
    prefecture_code,
    occupation_code,
    caps_in_force,
    cast(workers as {{ dbt.type_bigint() }}) as workers,
    cast(businesses as {{ dbt.type_bigint() }}) as businesses,
    cast(workers_over_100h as {{ dbt.type_bigint() }}) as workers_over_100h,
    cast(workers_over_80h_avg as {{ dbt.type_bigint() }}) as workers_over_80h_avg,
    cast(workers_over_45h_7th_month as {{ dbt.type_bigint() }}) as workers_over_45h_7th_month,
    cast(workers_over_720h as {{ dbt.type_bigint() }}) as workers_over_720h,
    cast(businesses_over_100h as {{ dbt.type_bigint() }}) as businesses_over_100h,
    cast(businesses_over_80h_avg as {{ dbt.type_bigint() }}) as businesses_over_80h_avg,
    cast(businesses_over_45h_7th_month as {{ dbt.type_bigint() }}) as businesses_over_45h_7th_month,
    cast(businesses_over_720h as {{ dbt.type_bigint() }}) as businesses_over_720h,
    cast(workers_above_45h as {{ dbt.type_bigint() }}) as workers_above_45h,
    cast(workers_with_unknown_hours as {{ dbt.type_bigint() }}) as workers_with_unknown_hours,
    cast(work_days as {{ dbt.type_bigint() }}) as work_days,
    cast(work_history_days as {{ dbt.type_bigint() }}) as work_history_days,
    cast(unknown_hours_days as {{ dbt.type_bigint() }}) as unknown_hours_days,
    work_hours,
    overtime_hours,
    holiday_work_hours
from cells
where workers > 0
    or workers_over_100h > 0
    or workers_over_80h_avg > 0
    or workers_over_45h_7th_month > 0
    or workers_over_720h > 0

-- Work history the registry does not know (yet), one row: a data-quality figure for the run
-- summary. Attendance for a worker or a site with no registry row is legitimate (the registry
-- delta may come in a later delivery) and stays counted everywhere; this says how much of it
-- there is.
--   work_history_days         every work-history day (worker, site, work_date)
--   days_unknown_worker       of them, days whose worker_key has no row in stg_workers
--   days_unknown_site         of them, days whose site_id has no row in stg_sites

with days as (

    -- the days summed per month, worker and site (and employer, method): int_work_history_months
    select worker_key, site_id, work_history_days from {{ ref('int_work_history_months') }}

),

workers as (

    select worker_key from {{ ref('stg_workers') }}

),

sites as (

    select site_id from {{ ref('stg_sites') }}

)

select
    {{ sum_or_zero('days.work_history_days') }} as work_history_days,
    {{ sum_or_zero('case when workers.worker_key is null then days.work_history_days else 0 end') }}
        as days_unknown_worker,
    {{ sum_or_zero('case when sites.site_id is null then days.work_history_days else 0 end') }}
        as days_unknown_site
from days
left join workers on days.worker_key = workers.worker_key
left join sites on days.site_id = sites.site_id

-- Work-history days with no roster row for the same person, site and date (a data-quality
-- figure, metrics.md §6: counted beside the card-touch rate, never in it), one row per
-- (worker_key, site_id, work_date).

with work_days as (

    select worker_key, site_id, work_date, work_month from {{ ref('int_work_history_days') }}

),

rosters as (

    select site_id, work_date, person_key from {{ ref('stg_rosters') }}

)

select
    work_days.worker_key,
    work_days.site_id,
    work_days.work_date,
    work_days.work_month
from work_days
left join rosters
    on work_days.site_id = rosters.site_id
    and work_days.work_date = rosters.work_date
    and work_days.worker_key = rosters.person_key
where rosters.person_key is null

-- Roster person-days (作業員名簿・日報) matched with the work history (metrics.md §6), one row per
-- (site_id, work_date, person_key): has_work_history_day is true when the same worker has a
-- work-history day at the same site on the same date (person_key equals worker_key for a
-- registered person). Persons without a CCUS id ('P…' refs) can never match: they stay in the
-- denominator of the card-touch rate, which is the point.
-- Incremental by work date (macros/incremental.sql): a date is recomputed when rosters or
-- attendance committed since the last build can change it.

{{ config(**work_date_config(['rosters', 'attendance'])) }}

with rosters as (

    select * from {{ ref('stg_rosters') }}
    {% if is_incremental() -%}
    where work_date in (select work_date from {{ changed_dates_relation() }})
    {%- endif %}

),

work_days as (

    select worker_key, site_id, work_date, _committed_at from {{ ref('int_work_history_days') }}
    {% if is_incremental() -%}
    where work_date in (select work_date from {{ changed_dates_relation() }})
    {%- endif %}

)

select
    rosters.site_id,
    rosters.work_date,
    {{ month_start('rosters.work_date') }} as work_month,
    rosters.person_key,
    rosters.business_ref,
    rosters.is_ccus_registered,
    rosters.role,
    rosters.occupation_code,
    rosters.insurance_check,
    rosters.health_insurance,
    rosters.pension_insurance,
    rosters.employment_insurance,
    coalesce(rosters.admitted, false) as admitted,
    work_days.worker_key is not null as has_work_history_day,
    -- the later of the two inputs' commit times: the watermark covers both feeds
    greatest(rosters._committed_at, work_days._committed_at) as _committed_at
from rosters
left join work_days
    on rosters.site_id = work_days.site_id
    and rosters.work_date = work_days.work_date
    and rosters.person_key = work_days.worker_key

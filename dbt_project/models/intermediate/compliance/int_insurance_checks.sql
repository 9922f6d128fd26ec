-- 社会保険加入確認 at site entry (metrics.md §5), one row per roster person-day: how insurance was
-- checked (ccus / document / none) and whether the person was admitted while any of the three
-- insurances was not_enrolled or unknown (exempt is not a gap): each such person-day breaks the
-- admission rule. The site's registry attributes are joined later (int_insurance_person_months),
-- so a registry change never invalidates a date computed here.
-- Incremental by work date like int_roster_person_days, whose rows it maps one to one
-- (macros/incremental.sql).

{{ config(**work_date_config(['rosters', 'attendance'], month_column='month')) }}

with person_days as (

    select * from {{ ref('int_roster_person_days') }}
    {% if is_incremental() -%}
    where work_date in (select work_date from {{ changed_dates_relation() }})
    {%- endif %}

)

select
    site_id,
    work_date,
    work_month as month,
    person_key,
    business_ref,
    is_ccus_registered,
    insurance_check,
    admitted,
    (health_insurance in ('not_enrolled', 'unknown')
     or pension_insurance in ('not_enrolled', 'unknown')
     or employment_insurance in ('not_enrolled', 'unknown')) as is_uninsured,
    admitted
        and (health_insurance in ('not_enrolled', 'unknown')
             or pension_insurance in ('not_enrolled', 'unknown')
             or employment_insurance in ('not_enrolled', 'unknown'))
        as is_admitted_uninsured,
    _committed_at
from person_days

-- 社会保険加入確認 at site entry (metrics.md §5), one row per roster person-day with the site's
-- orderer and prime: how insurance was checked (ccus / document / none) and whether the person
-- was admitted while any of the three insurances was not_enrolled or unknown (exempt is not a
-- gap): each such person-day breaks the admission rule.

with person_days as (

    select * from {{ ref('int_roster_person_days') }}

),

sites as (

    select site_id, prefecture_code, orderer_type, prime_business_id, is_public_works
    from {{ ref('stg_sites') }}

)

select
    person_days.site_id,
    person_days.work_date,
    person_days.work_month as month,
    person_days.person_key,
    person_days.business_ref,
    person_days.is_ccus_registered,
    sites.prefecture_code,
    sites.orderer_type,
    sites.prime_business_id,
    sites.is_public_works,
    person_days.insurance_check,
    person_days.admitted,
    (person_days.health_insurance in ('not_enrolled', 'unknown')
     or person_days.pension_insurance in ('not_enrolled', 'unknown')
     or person_days.employment_insurance in ('not_enrolled', 'unknown')) as is_uninsured,
    person_days.admitted
        and (person_days.health_insurance in ('not_enrolled', 'unknown')
             or person_days.pension_insurance in ('not_enrolled', 'unknown')
             or person_days.employment_insurance in ('not_enrolled', 'unknown'))
        as is_admitted_uninsured
from person_days
left join sites
    on person_days.site_id = sites.site_id

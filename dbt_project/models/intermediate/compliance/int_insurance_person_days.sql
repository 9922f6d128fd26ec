-- 社会保険加入確認 per roster person-day (int_insurance_checks) with the site's prefecture,
-- orderer type, prime and public-works flag from the registry's current state (stg_sites).
-- A view: the checks are kept incrementally by work date, while a site's attributes can change
-- with any registry delivery and would otherwise force every date of the site to be rebuilt;
-- the insurance marts read this join once each.

{{ config(materialized='view') }}

with checks as (

    select * from {{ ref('int_insurance_checks') }}

),

sites as (

    select site_id, prefecture_code, orderer_type, prime_business_id, is_public_works
    from {{ ref('stg_sites') }}

)

select
    checks.site_id,
    checks.work_date,
    checks.month,
    checks.person_key,
    checks.business_ref,
    checks.is_ccus_registered,
    sites.prefecture_code,
    sites.orderer_type,
    sites.prime_business_id,
    sites.is_public_works,
    checks.insurance_check,
    checks.admitted,
    checks.is_uninsured,
    checks.is_admitted_uninsured
from checks
left join sites
    on checks.site_id = sites.site_id

-- 社会保険加入確認 per site, month, person and business (int_insurance_checks_monthly) with the
-- site's prefecture, orderer type, prime and public-works flag from the registry's current state
-- (stg_sites).
-- A view: the counts are kept incrementally by work month, while a site's attributes can change
-- with any registry delivery and would otherwise force every month of the site to be rebuilt;
-- the insurance marts read this join once each.

{{ config(materialized='view') }}

with checks as (

    select * from {{ ref('int_insurance_checks_monthly') }}

),

sites as (

    select site_id, prefecture_code, orderer_type, prime_business_id, is_public_works
    from {{ ref('stg_sites') }}

)

select
    checks.site_id,
    checks.month,
    checks.person_key,
    checks.business_ref,
    sites.prefecture_code,
    sites.orderer_type,
    sites.prime_business_id,
    sites.is_public_works,
    checks.person_days,
    checks.checked_ccus_days,
    checks.checked_document_days,
    checks.not_checked_days,
    checks.admitted_days,
    checks.refused_days,
    checks.uninsured_days,
    checks.admitted_uninsured_days
from checks
left join sites
    on checks.site_id = sites.site_id

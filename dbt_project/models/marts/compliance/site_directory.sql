-- The sites of the registry with what their pages show and where they are published: one row
-- per site_id (stg_sites' current state). orderer_key = orderer_code, or orderer_type when no
-- code was delivered: the orderer whose location lists the site. The prime's business name comes
-- from the business registry, where a sole proprietor's name is already dropped (bronze): a
-- sole proprietor prime has prime_business_name NULL and prime_is_sole_proprietor true.

with sites as (

    select * from {{ ref('stg_sites') }}

),

businesses as (

    select business_id, business_name, is_sole_proprietor from {{ ref('stg_businesses') }}

)

select
    sites.site_id,
    sites.site_name,
    sites.prefecture_code,
    sites.orderer_type,
    sites.orderer_code,
    coalesce(sites.orderer_code, sites.orderer_type) as orderer_key,
    sites.is_public_works,
    sites.model_project_type,
    sites.two_days_off_type,
    sites.kentaikyo_method,
    sites.start_on,
    sites.end_on,
    sites.prime_business_id,
    case when coalesce(businesses.is_sole_proprietor, false) then null else businesses.business_name end
        as prime_business_name,
    coalesce(businesses.is_sole_proprietor, false) as prime_is_sole_proprietor
from sites
left join businesses
    on sites.prime_business_id = businesses.business_id

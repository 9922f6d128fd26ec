-- Members' projects: one row per association_code x site_id for the sites whose prime
-- (sites.prime_business_id) is a member of the association. The association report joins the
-- site-level compliance marts to these sites.

with members as (

    select
        {{ unnest_list('association_codes') }} as association_code,
        business_id
    from {{ ref('stg_businesses') }}

)

select
    members.association_code,
    sites.site_id,
    sites.prime_business_id,
    sites.prefecture_code,
    sites.orderer_type,
    sites.is_public_works,
    sites.model_project_type,
    sites.start_on,
    sites.end_on
from {{ ref('stg_sites') }} as sites
inner join members
    on sites.prime_business_id = members.business_id

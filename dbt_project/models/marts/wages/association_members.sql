-- Association membership: one row per association_code x member business_id (a business is a
-- member when the code is in its association_codes, registry's current state). The
-- association reports publish only what their members' rows add up to.

with businesses as (

    select * from {{ ref('stg_businesses') }}

),

members as (

    select
        {{ unnest_list('association_codes') }} as association_code,
        business_id,
        prefecture_code,
        is_sole_proprietor,
        is_withdrawn
    from businesses

),

workers as (

    select employer_business_id, count(*) as registered_workers
    from {{ ref('stg_workers') }}
    group by employer_business_id

)

select
    members.association_code,
    associations.name_ja as association_name_ja,
    associations.name_en as association_name_en,
    members.business_id,
    members.prefecture_code,
    members.is_sole_proprietor,
    members.is_withdrawn,
    cast(coalesce(workers.registered_workers, 0) as {{ dbt.type_bigint() }}) as registered_workers
from members
left join {{ ref('associations') }} as associations
    on members.association_code = associations.association_code
left join workers
    on members.business_id = workers.employer_business_id

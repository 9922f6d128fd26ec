-- 能力評価 per business: registry workers by employer business_id x occupation_code x
-- current_level x eligible_level. The employer is the registry's (workers.employer_business_id).
-- Internal detail: per-business cells always count one business, so an audience sees them
-- only summed over at least 3 businesses (dashboards/privacy.py).

with counts as (

    select
        employer_business_id as business_id,
        occupation_code,
        current_level,
        eligible_level,
        cast(count(*) as {{ dbt.type_bigint() }}) as workers,
        eligible_level > current_level as is_level_up
    from {{ ref('int_worker_eligibility') }}
    where employer_business_id is not null
    group by employer_business_id, occupation_code, current_level, eligible_level

)

select
    counts.*,
    occupation_names.name_ja as occupation_name_ja,
    occupation_names.name_en as occupation_name_en
from counts
left join {{ ref('occupations') }} as occupation_names
    on counts.occupation_code = occupation_names.occupation_code

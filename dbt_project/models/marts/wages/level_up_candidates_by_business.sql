-- レベルアップ候補 per business (counts only): registry workers of the business, and those
-- whose eligible level is above their current level, by the level they are eligible for.

with eligibility as (

    select * from {{ ref('int_worker_eligibility') }}
    where employer_business_id is not null

),

businesses as (

    select business_id, prefecture_code, is_sole_proprietor
    from {{ ref('stg_businesses') }}

)

select
    eligibility.employer_business_id as business_id,
    max(businesses.prefecture_code) as prefecture_code,
    bool_or(businesses.is_sole_proprietor) as is_sole_proprietor,
    cast(count(*) as {{ dbt.type_bigint() }}) as workers,
    cast(sum(case when eligibility.is_level_up_candidate then 1 else 0 end) as {{ dbt.type_bigint() }})
        as level_up_candidates,
    cast(sum(case when eligibility.is_level_up_candidate and eligibility.eligible_level = 2 then 1 else 0 end)
         as {{ dbt.type_bigint() }}) as candidates_to_level_2,
    cast(sum(case when eligibility.is_level_up_candidate and eligibility.eligible_level = 3 then 1 else 0 end)
         as {{ dbt.type_bigint() }}) as candidates_to_level_3,
    cast(sum(case when eligibility.is_level_up_candidate and eligibility.eligible_level = 4 then 1 else 0 end)
         as {{ dbt.type_bigint() }}) as candidates_to_level_4
from eligibility
left join businesses
    on eligibility.employer_business_id = businesses.business_id
group by eligibility.employer_business_id

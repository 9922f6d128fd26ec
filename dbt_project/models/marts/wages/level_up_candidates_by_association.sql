-- レベルアップ候補 per association (counts only): association_code x occupation_code over the
-- registry workers of the association's member businesses (employer's association_codes).

with eligibility as (

    select * from {{ ref('int_worker_eligibility') }}

),

members as (

    select
        business_id,
        {{ unnest_list('association_codes') }} as association_code
    from {{ ref('stg_businesses') }}

),

counts as (

    select
        members.association_code,
        eligibility.occupation_code,
        cast(count(*) as {{ dbt.type_bigint() }}) as workers,
        cast(sum(case when eligibility.is_level_up_candidate then 1 else 0 end) as {{ dbt.type_bigint() }})
            as level_up_candidates,
        cast(sum(case when eligibility.is_level_up_candidate and eligibility.eligible_level = 2 then 1 else 0 end)
             as {{ dbt.type_bigint() }}) as candidates_to_level_2,
        cast(sum(case when eligibility.is_level_up_candidate and eligibility.eligible_level = 3 then 1 else 0 end)
             as {{ dbt.type_bigint() }}) as candidates_to_level_3,
        cast(sum(case when eligibility.is_level_up_candidate and eligibility.eligible_level = 4 then 1 else 0 end)
             as {{ dbt.type_bigint() }}) as candidates_to_level_4,
        cast(count(distinct eligibility.employer_business_id) as {{ dbt.type_bigint() }}) as businesses,
        cast(count(distinct case when eligibility.is_level_up_candidate then eligibility.employer_business_id end)
             as {{ dbt.type_bigint() }}) as businesses_with_candidates
    from eligibility
    inner join members
        on eligibility.employer_business_id = members.business_id
    group by members.association_code, eligibility.occupation_code

)

select
    counts.*,
    occupation_names.name_ja as occupation_name_ja,
    occupation_names.name_en as occupation_name_en
from counts
left join {{ ref('occupations') }} as occupation_names
    on counts.occupation_code = occupation_names.occupation_code

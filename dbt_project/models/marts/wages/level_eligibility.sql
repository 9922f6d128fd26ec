-- 能力評価: registry workers by occupation_code x current_level x eligible_level
-- (metrics.md section 2). Counts only; the worker-level table is int_worker_eligibility.

with eligibility as (

    select * from {{ ref('int_worker_eligibility') }}

),

counts as (

    select
        occupation_code,
        current_level,
        eligible_level,
        cast(count(*) as {{ dbt.type_bigint() }}) as workers,
        eligible_level > current_level as is_level_up,
        cast(count(distinct employer_business_id) as {{ dbt.type_bigint() }}) as businesses,
        max(level_field_ja) as level_field_ja,
        bool_or(has_level_criteria) as has_level_criteria
    from eligibility
    group by occupation_code, current_level, eligible_level

)

select
    counts.*,
    occupation_names.name_ja as occupation_name_ja,
    occupation_names.name_en as occupation_name_en
from counts
left join {{ ref('occupations') }} as occupation_names
    on counts.occupation_code = occupation_names.occupation_code

-- 専門工事業者の見える化 (2/2): registry workers holding each qualification, per employer
-- business_id x current level x qualification_code. Counts only; a worker counts once per
-- qualification held.

with held as (

    select
        employer_business_id as business_id,
        level,
        worker_key,
        {{ unnest_list('qualifications') }} as qualification_code
    from {{ ref('stg_workers') }}
    where employer_business_id is not null

),

counts as (

    select
        business_id,
        level,
        qualification_code,
        cast(count(distinct worker_key) as {{ dbt.type_bigint() }}) as workers
    from held
    where qualification_code is not null and qualification_code <> ''
    group by business_id, level, qualification_code

)

select
    counts.*,
    qualification_names.name_ja as qualification_name_ja,
    qualification_names.name_en as qualification_name_en
from counts
left join {{ ref('qualifications') }} as qualification_names
    on counts.qualification_code = qualification_names.qualification_code

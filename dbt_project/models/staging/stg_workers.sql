-- 技能者: the registry's current state, one row per worker_key (the keyed hash of worker_id).
-- No personal data reaches bronze: birth_year only, has_kentaikyo_member_no only.
-- Latest row per key by updated_at wins (ties: later file date, file version, line).

with committed as (

    {{ committed_bronze('workers') }}

),

ranked as (

    select
        committed.*,
        row_number() over (
            partition by worker_key
            order by updated_at desc, _file_date desc, _file_version desc, _source_line desc
        ) as _recency_rank
    from committed

)

select
    worker_key,
    birth_year,
    employer_business_id,
    occupation_code,
    registration_type,
    registered_on,
    level,
    level_judged_on,
    qualifications,
    experience_start_on,
    health_insurance,
    pension_insurance,
    employment_insurance,
    insurance_verified_on,
    has_kentaikyo_member_no,
    updated_at,
    _source_file,
    _source_line,
    _file_date,
    _file_version
from ranked
where _recency_rank = 1

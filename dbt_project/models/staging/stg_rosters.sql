-- 作業員名簿・日報: one row per (site_id, work_date, person_key).
-- A corrected file supersedes: only rows of the highest file version of each file date are kept.
-- The contract makes (site_id, work_date, person_ref) unique within a file; should two files
-- still carry the same person-day, the later file's row wins.

with committed as (

    {{ committed_bronze('rosters') }}

),

current_version as (

    {{ latest_file_version('committed') }}

),

ranked as (

    select
        current_version.*,
        row_number() over (
            partition by site_id, work_date, person_key
            order by _file_date desc, _file_version desc, _source_line desc
        ) as _recency_rank
    from current_version

)

select
    site_id,
    work_date,
    business_ref,
    person_key,
    is_ccus_registered,
    role,
    occupation_code,
    insurance_check,
    health_insurance,
    pension_insurance,
    employment_insurance,
    admitted,
    _source_file,
    _source_line,
    _file_date,
    _file_version
from ranked
where _recency_rank = 1

-- 作業員名簿・日報: one row per (site_id, work_date, person_key).
-- A corrected file supersedes: only rows of the highest file version of each file date are kept.
-- The contract makes (site_id, work_date, person_ref) unique within a file; should two files
-- still carry the same person-day, the later file's row wins.
-- Incremental by work date (macros/incremental.sql): a build recomputes only the dates of the
-- file dates delivered since the last one (every version of them).

{{ config(**work_date_config(['rosters'])) }}

with committed as (

    {{ committed_bronze_with_commit_time('rosters') }}
    {% if is_incremental() -%}
    -- A roster row's work date is its file's date (the ingestion quarantines any other as
    -- work_date_mismatch), so only the files of the changed dates are read.
    where bronze_rows._file_date in (select work_date from {{ changed_dates_relation() }})
    {%- endif %}

),

current_version as (

    {{ latest_file_version('committed') }}

),

in_scope as (

    select * from current_version
    {% if is_incremental() -%}
    where work_date in (select work_date from {{ changed_dates_relation() }})
    {%- endif %}

),

ranked as (

    select
        in_scope.*,
        row_number() over (
            partition by site_id, work_date, person_key
            order by _file_date desc, _file_version desc, _source_line desc
        ) as _recency_rank
    from in_scope

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
    _file_version,
    _committed_at,
    {{ month_start('work_date') }} as work_month
from ranked
where _recency_rank = 1

-- 作業員名簿・日報: one row per (site_id, work_date, person_key).
-- A corrected file supersedes: only rows of the highest file version of each file date are kept.
-- The contract makes (site_id, work_date, person_ref) unique within a file; should two files
-- still carry the same person-day, the later file's row wins.
-- Incremental by work date (macros/incremental.sql): a build recomputes only the dates of the
-- file dates delivered since the last one (every version of them).

{{ config(**work_date_config(['rosters'])) }}

-- The rows to rank are a query, not a CTE: ranked_where_repeated reads them twice, and DuckDB
-- would materialise a CTE read twice with every column (see macros/bronze.sql).
{%- set committed -%}
    (
        {{ committed_bronze_with_commit_time('rosters') }}
        {% if is_incremental() -%}
        -- A roster row's work date is its file's date (the ingestion quarantines any other as
        -- work_date_mismatch), so only the files of the changed dates are read.
        where bronze_rows._file_date in (select work_date from {{ changed_dates_relation() }})
        {%- endif %}
    )
{%- endset %}
{%- set in_scope -%}
    (
        select * from ({{ latest_file_version(committed) }}) as current_version
        {% if is_incremental() -%}
        where work_date in (select work_date from {{ changed_dates_relation() }})
        {%- endif %}
    )
{%- endset %}

-- A person-day can have two rows only in two files of its work date: the door quarantines a
-- second row of the same person-day in one file (duplicate_in_file) and any row of another date
-- (work_date_mismatch). So only the rows of dates delivered in more than one file are looked
-- at for repeated keys, which the audit says without reading a row.
with dates_in_several_files as (

    select audit.file_date
    from {{ source('bronze', 'ingest_audit') }} as audit
    where audit.feed = 'rosters' and audit.status = 'ingested'
    group by audit.file_date
    having count(distinct audit.sha256) > 1

),

repeated_person_days as (

    {{ repeated_keys(['site_id', 'work_date', 'person_key'],
                     "select site_id, work_date, person_key from " ~ source('bronze', 'rosters')
                     ~ " where _file_date in (select file_date from dates_in_several_files)") }}

),

ranked as (

    {{ ranked_where_repeated(
        in_scope, ['site_id', 'work_date', 'person_key'],
        '_file_date desc, _file_version desc, _source_line desc',
        'repeated_person_days') }}

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

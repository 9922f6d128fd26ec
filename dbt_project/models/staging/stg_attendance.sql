-- 就業履歴 touches, one row per record_id.
-- Files are named by the date they were RECEIVED (late records for earlier work dates are
-- normal). A corrected file supersedes the earlier versions of the same date; then a record_id
-- seen in several files keeps its latest received_at (ties: later file, later line).
-- Incremental by work date (macros/incremental.sql): a build recomputes only the dates that
-- files committed since the last one can change, from every row of the records on those dates.

{{ config(**work_date_config(['attendance'])) }}

-- The rows to rank are queries, not CTEs: ranked_where_repeated reads them twice, and DuckDB would
-- materialise a CTE read twice with every column (see macros/bronze.sql).
{% if is_incremental() -%}
-- A daily build reads only the bronze row groups it needs: the records with any delivered row on
-- a changed date (a superset of those whose current row is there: a record whose latest delivery
-- is on an unchanged date is dropped at the end), then every committed row of those records, the
-- record filter pushed into the Parquet scan (DuckDB prunes row groups by their record_id range).
-- The latest version of each file date still counts every committed file: only the three
-- columns it needs are read, each constant within a bronze file.
{%- set in_scope -%}
    (
        select committed.*
        from (
            {{ committed_bronze_with_commit_time('attendance') }}
            where bronze_rows.record_id in (select record_id from candidate_records)
        ) as committed
        inner join (
            select all_committed._file_date, max(all_committed._file_version) as _max_file_version
            from ({{ committed_bronze('attendance') }}) as all_committed
            group by all_committed._file_date
        ) as latest_versions
            on committed._file_date = latest_versions._file_date
            and committed._file_version = latest_versions._max_file_version
    )
{%- endset %}

with candidate_records as (

    select distinct record_id from {{ source('bronze', 'attendance') }}
    where work_date in (select work_date from {{ changed_dates_relation() }})

),

-- records delivered more than once among the candidates: only they are ranked
repeated_records as (

    {{ repeated_keys(['record_id'], "select record_id from " ~ source('bronze', 'attendance')
                                    ~ " where record_id in (select record_id from candidate_records)") }}

),
{%- else -%}
{%- set in_scope -%}
    ({{ latest_file_version('(' ~ committed_bronze_with_commit_time('attendance') ~ ')') }})
{%- endset %}

-- records delivered more than once (any row of bronze, one narrow column): only they are ranked
with repeated_records as (

    {{ repeated_keys(['record_id'], "select record_id from " ~ source('bronze', 'attendance')) }}

),
{%- endif %}

ranked as (

    {{ ranked_where_repeated(
        in_scope, ['record_id'],
        'received_at desc, _file_date desc, _file_version desc, _source_line desc',
        'repeated_records') }}

)

select
    record_id,
    site_id,
    worker_key,
    employer_business_id,
    work_date,
    entered_at,
    exited_at,
    role,
    occupation_code,
    input_method,
    device_id,
    received_at,
    _source_file,
    _source_line,
    _file_date,
    _file_version,
    _committed_at,
    {{ month_start('work_date') }} as work_month
from ranked
where _recency_rank = 1
{% if is_incremental() -%}
    -- a record whose latest delivery is on an unchanged date is already there
    and work_date in (select work_date from {{ changed_dates_relation() }})
{%- endif %}

-- 就業履歴 touches, one row per record_id.
-- Files are named by the date they were RECEIVED (late records for earlier work dates are
-- normal). A corrected file supersedes the earlier versions of the same date; then a record_id
-- seen in several files keeps its latest received_at (ties: later file, later line).

with committed as (

    {{ committed_bronze('attendance') }}

),

current_version as (

    {{ latest_file_version('committed') }}

),

ranked as (

    select
        current_version.*,
        row_number() over (
            partition by record_id
            order by received_at desc, _file_date desc, _file_version desc, _source_line desc
        ) as _recency_rank
    from current_version

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
    _file_version
from ranked
where _recency_rank = 1

-- 建退共掛金充当 reports: one row per (year_month, site_id, business_id, worker_key, method).
-- A corrected file supersedes the earlier versions of the same month; should two files still
-- carry the same key, the later file's row wins.

with committed as (

    {{ committed_bronze('kentaikyo') }}

),

current_version as (

    {{ latest_file_version('committed') }}

),

ranked as (

    select
        current_version.*,
        row_number() over (
            partition by year_month, site_id, business_id, worker_key, method
            order by _file_date desc, _file_version desc, _source_line desc
        ) as _recency_rank
    from current_version

)

select
    year_month,
    site_id,
    business_id,
    worker_key,
    method,
    days_reported,
    amount_yen,
    _source_file,
    _source_line,
    _file_date,
    _file_version
from ranked
where _recency_rank = 1

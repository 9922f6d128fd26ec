-- 賃金調査: one row per (year_month, business_id, worker_key).
-- A corrected file supersedes the earlier versions of the same month; should two files still
-- carry the same key, the later file's row wins.

with committed as (

    {{ committed_bronze('wages') }}

),

current_version as (

    {{ latest_file_version('committed') }}

),

ranked as (

    select
        current_version.*,
        row_number() over (
            partition by year_month, business_id, worker_key
            order by _file_date desc, _file_version desc, _source_line desc
        ) as _recency_rank
    from current_version

)

select
    year_month,
    business_id,
    worker_key,
    days_worked,
    base_pay_yen,
    allowances_yen,
    overtime_pay_yen,
    bonus_yen,
    _source_file,
    _source_line,
    _file_date,
    _file_version
from ranked
where _recency_rank = 1

-- 就業履歴 touches, one row per record_id.
-- Files are named by the date they were RECEIVED (late records for earlier work dates are
-- normal). A corrected file supersedes the earlier versions of the same date; then a record_id
-- seen in several files keeps its latest received_at (ties: later file, later line).
-- Incremental by work date (macros/incremental.sql): a build recomputes only the dates that
-- files committed since the last one can change, from every row of the records on those dates.

{{ config(**work_date_config(['attendance'])) }}

with committed as (

    {{ committed_bronze_with_commit_time('attendance') }}

),

current_version as (

    {{ latest_file_version('committed') }}

),

in_scope as (

    select * from current_version
    {% if is_incremental() -%}
    where record_id in (
        select record_id from current_version
        where work_date in (select work_date from {{ changed_dates_relation() }})
    )
    {%- endif %}

),

ranked as (

    select
        in_scope.*,
        row_number() over (
            partition by record_id
            order by received_at desc, _file_date desc, _file_version desc, _source_line desc
        ) as _recency_rank
    from in_scope

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

-- 事業者: the registry's current state, one row per business_id.
-- The feed is a delta; the latest row per key by updated_at wins (ties: later file date,
-- later file version, later line).

with committed as (

    {{ committed_bronze('businesses') }}

),

ranked as (

    select
        committed.*,
        row_number() over (
            partition by business_id
            order by updated_at desc, _file_date desc, _file_version desc, _source_line desc
        ) as _recency_rank
    from committed

)

select
    business_id,
    business_name,
    prefecture_code,
    is_sole_proprietor,
    capital_yen,
    employee_count,
    registered_on,
    association_codes,
    health_insurance,
    pension_insurance,
    employment_insurance,
    kentaikyo_contractor_no,
    coalesce(is_withdrawn, false) as is_withdrawn,
    updated_at,
    _source_file,
    _source_line,
    _file_date,
    _file_version
from ranked
where _recency_rank = 1

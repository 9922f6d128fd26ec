-- 現場・契約情報: one row per site_id, latest by updated_at (ties: later file date,
-- file version, line).

with committed as (

    {{ committed_bronze('sites') }}

),

ranked as (

    select
        committed.*,
        row_number() over (
            partition by site_id
            order by updated_at desc, _file_date desc, _file_version desc, _source_line desc
        ) as _recency_rank
    from committed

)

select
    site_id,
    site_name,
    prefecture_code,
    orderer_type,
    is_public_works,
    model_project_type,
    contract_amount_yen,
    start_on,
    end_on,
    prime_business_id,
    kentaikyo_method,
    card_reader_installed,
    two_days_off_type,
    registered_on,
    -- the orderer's own code when delivered (optional column), else NULL
    nullif(orderer_code, '') as orderer_code,
    updated_at,
    _source_file,
    _source_line,
    _file_date,
    _file_version
from ranked
where _recency_rank = 1

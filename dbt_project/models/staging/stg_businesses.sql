-- 事業者: the registry's current state, one row per business_id.
-- The feed is a delta; the latest row per key by updated_at wins (ties: later file date,
-- later file version, later line). is_withdrawn is the latest row's that reports one
-- (metrics.md §1): is_withdrawn is optional, and a row without it (NULL) does not reinstate a
-- withdrawn business; only an explicit false does. false when no row ever reported one.

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

),

-- rows that report is_withdrawn, once a row repeating an updated_at has dropped the earlier
-- file's row (as stg_business_registry_history does)
withdrawal_reports as (

    select
        business_id,
        is_withdrawn,
        row_number() over (
            partition by business_id order by updated_at desc
        ) as _recency_rank
    from (
        select
            committed.*,
            row_number() over (
                partition by business_id, updated_at
                order by _file_date desc, _file_version desc, _source_line desc
            ) as _tie_rank
        from committed
    ) as deduplicated
    where _tie_rank = 1
        and is_withdrawn is not null

)

select
    ranked.business_id,
    ranked.business_name,
    ranked.prefecture_code,
    ranked.is_sole_proprietor,
    ranked.capital_yen,
    ranked.employee_count,
    ranked.registered_on,
    ranked.association_codes,
    ranked.health_insurance,
    ranked.pension_insurance,
    ranked.employment_insurance,
    ranked.kentaikyo_contractor_no,
    coalesce(withdrawal_reports.is_withdrawn, false) as is_withdrawn,
    ranked.updated_at,
    ranked._source_file,
    ranked._source_line,
    ranked._file_date,
    ranked._file_version
from ranked
left join withdrawal_reports
    on ranked.business_id = withdrawal_reports.business_id
    and withdrawal_reports._recency_rank = 1
where ranked._recency_rank = 1

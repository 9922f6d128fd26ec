-- 施工体制: one row per (site_id, business_ref). The feed has no updated_at: the row of the
-- latest file wins (by file date, then file version, then line).

with committed as (

    {{ committed_bronze('site_contracts') }}

),

ranked as (

    select
        committed.*,
        row_number() over (
            partition by site_id, business_ref
            order by _file_date desc, _file_version desc, _source_line desc
        ) as _recency_rank
    from committed

)

select
    site_id,
    business_ref,
    is_ccus_registered,
    upper_business_ref,
    tier,
    joined_on,
    left_on,
    stamp_exception,
    _source_file,
    _source_line,
    _file_date,
    _file_version
from ranked
where _recency_rank = 1

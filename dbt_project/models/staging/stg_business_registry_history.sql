-- The businesses registry over time: every committed registry row of a business, valid from its
-- updated_at until the next row's updated_at (valid_to NULL for the current row), as
-- stg_worker_registry_history does for workers. stg_businesses holds only the current state;
-- the adoption breakdowns need "the business row in force at the month end" and the withdrawal
-- rule of metrics.md §1 needs every row's is_withdrawn as delivered: NULL (the optional column
-- absent or empty) is kept NULL here, it is not false (macros/adoption_segments.sql).
-- Two rows with the same updated_at: the later file (date, version, line) wins, as in
-- stg_businesses.

with committed as (

    {{ committed_bronze('businesses') }}

),

deduplicated as (

    select
        committed.*,
        row_number() over (
            partition by business_id, updated_at
            order by _file_date desc, _file_version desc, _source_line desc
        ) as _tie_rank
    from committed

)

select
    business_id,
    updated_at as valid_from,
    lead(updated_at) over (partition by business_id order by updated_at) as valid_to,
    prefecture_code,
    is_sole_proprietor,
    employee_count,
    capital_yen,
    association_codes,
    registered_on,
    is_withdrawn
from deduplicated
where _tie_rank = 1

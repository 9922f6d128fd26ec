-- The employer of every registry worker at each month end, as month segments (see
-- macros/adoption_segments.sql): valid_from_month (inclusive; NULL = since before any month) to
-- valid_to_month (exclusive; NULL = still), from stg_worker_registry_history. A registry row is in
-- force at the end of the month of its updated_at and of every later month until the month of
-- the worker's next row; of several rows in one month the last one is; before the month of the
-- first row, that row's employer. registered_month is the month of the current row's
-- registered_on (registration counts use the registry's current registered_on).
-- One computation for the three adoption breakdowns (≈2 M rows at national scale).

with month_rows as (

    select
        worker_key,
        employer_business_id,
        {{ month_start('valid_from') }} as row_month,
        {{ month_start('first_value(registered_on) over (
            partition by worker_key order by valid_from desc)') }} as registered_month,
        row_number() over (
            partition by worker_key, {{ month_start('valid_from') }} order by valid_from desc
        ) as rank_in_month
    from {{ ref('stg_worker_registry_history') }}

),

ordered as (

    select
        month_rows.*,
        row_number() over (partition by worker_key order by row_month) as month_rank,
        lead(row_month) over (partition by worker_key order by row_month) as next_row_month
    from month_rows
    where rank_in_month = 1

)

select
    worker_key,
    employer_business_id,
    case when month_rank = 1 then cast(null as date) else row_month end as valid_from_month,
    next_row_month as valid_to_month,
    registered_month
from ordered

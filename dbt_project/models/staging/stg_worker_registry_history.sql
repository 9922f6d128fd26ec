-- The workers registry over time: every committed registry row of a worker, valid from its
-- updated_at until the next row's updated_at (valid_to NULL for the current row). Used for
-- "the worker's level in the registry for that month" (metrics.md section 3): stg_workers holds
-- only the current state. Two rows with the same updated_at: the later file (date, version,
-- line) wins, as in stg_workers.

with committed as (

    {{ committed_bronze('workers') }}

),

deduplicated as (

    select
        committed.*,
        row_number() over (
            partition by worker_key, updated_at
            order by _file_date desc, _file_version desc, _source_line desc
        ) as _tie_rank
    from committed

)

select
    worker_key,
    updated_at as valid_from,
    lead(updated_at) over (partition by worker_key order by updated_at) as valid_to,
    employer_business_id,
    occupation_code,
    registration_type,
    level,
    experience_start_on,
    registered_on
from deduplicated
where _tie_rank = 1

-- The adoption dimensions of every worker known to the platform: registry workers with their
-- registry occupation and their employer's prefecture (current registry state, not
-- historised), plus worker keys seen only in the attendance (not in the registry), whose
-- dimensions are NULL. Every worker has exactly one row, so per-dimension counts add up to the
-- national ones.

with workers as (

    select * from {{ ref('stg_workers') }}

),

businesses as (

    select business_id, prefecture_code from {{ ref('stg_businesses') }}

),

registry_workers as (

    select
        workers.worker_key,
        workers.registered_on,
        workers.occupation_code,
        workers.employer_business_id,
        businesses.prefecture_code,
        true as is_in_registry
    from workers
    left join businesses
        on workers.employer_business_id = businesses.business_id

),

attendance_only_workers as (

    select distinct days.worker_key
    from {{ ref('int_work_history_days') }} as days
    left join workers
        on days.worker_key = workers.worker_key
    where workers.worker_key is null

)

select * from registry_workers

union all

select
    worker_key,
    cast(null as date) as registered_on,
    cast(null as {{ dbt.type_string() }}) as occupation_code,
    cast(null as {{ dbt.type_string() }}) as employer_business_id,
    cast(null as {{ dbt.type_string() }}) as prefecture_code,
    false as is_in_registry
from attendance_only_workers

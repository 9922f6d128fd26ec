-- 普及状況 by month x prefecture_code x occupation_code.
-- Dimensions (see the YAML): prefecture_code = the prefecture of the worker's employer,
-- occupation_code = the worker's registry occupation, both from the registry's current state.
-- Worker keys seen in the attendance but not in the registry, and workers whose employer is not
-- in the registry, carry NULL dimensions, so every measure adds up to adoption_national.
-- Only rows where some measure is > 0.

with months as (

    select month from {{ ref('int_months') }}

),

workers as (

    select * from {{ ref('int_worker_dimensions') }}

),

cells as (

    select distinct prefecture_code, occupation_code
    from workers

),

events as (

    -- every month x cell, so that the cumulative count carries over months with no event
    select
        months.month,
        cells.prefecture_code,
        cells.occupation_code,
        0 as new_workers,
        0 as active_workers,
        0 as work_history_days
    from months
    cross join cells

    union all

    select
        {{ month_start('registered_on') }},
        prefecture_code,
        occupation_code,
        1, 0, 0
    from workers
    where registered_on is not null

    union all

    select
        active.month,
        workers.prefecture_code,
        workers.occupation_code,
        0, 1, 0
    from {{ ref('int_worker_active_months') }} as active
    inner join workers
        on active.worker_key = workers.worker_key

    union all

    -- the work-history days, summed per month and worker first (int_work_history_months)
    select
        days.month,
        workers.prefecture_code,
        workers.occupation_code,
        0, 0, days.work_history_days
    from {{ ref('int_work_history_months') }} as days
    inner join workers
        on days.worker_key = workers.worker_key

),

monthly as (

    select
        events.month,
        events.prefecture_code,
        events.occupation_code,
        sum(events.new_workers) as new_workers,
        sum(events.active_workers) as active_workers,
        sum(events.work_history_days) as work_history_days
    from events
    inner join months
        on events.month = months.month
    group by events.month, events.prefecture_code, events.occupation_code

),

cumulative as (

    select
        monthly.*,
        sum(new_workers) over (
            partition by prefecture_code, occupation_code
            order by month
            rows between unbounded preceding and current row
        ) as registered_workers
    from monthly

)

select
    month,
    prefecture_code,
    occupation_code,
    cast(registered_workers as {{ dbt.type_bigint() }}) as registered_workers,
    cast(new_workers as {{ dbt.type_bigint() }}) as new_workers,
    cast(active_workers as {{ dbt.type_bigint() }}) as active_workers,
    cast(work_history_days as {{ dbt.type_bigint() }}) as work_history_days
from cumulative
where registered_workers > 0
    or new_workers > 0
    or active_workers > 0
    or work_history_days > 0

-- 普及状況 (national), one row per month (first day of the month).
--   registered_*: registered_on <= month end, cumulative, net of withdrawals. A business with
--     is_withdrawn is withdrawn from the month of its updated_at (never before the month it
--     registered); workers have no withdrawal field.
--   new_*: registered_on within the month (gross of later withdrawals).
--   active_workers: distinct workers with >= 1 work-history day in the 30 days up to and
--     including the month end (also workers not, or not yet, in the registry).
--   work_history_days: (worker, site, work_date) days with work_date in the month.
--   sites_registered / sites_with_card_reader: sites registered_on <= month end / of them
--     those with card_reader_installed (current registry state).

with months as (

    select month from {{ ref('int_months') }}

),

businesses as (

    select
        {{ month_start('registered_on') }} as registered_month,
        case
            when is_withdrawn then
                case
                    when updated_at > registered_on then {{ month_start('updated_at') }}
                    else {{ month_start('registered_on') }}
                end
        end as withdrawn_month,
        case when is_sole_proprietor then 0 else 1 end as is_excl_sole
    from {{ ref('stg_businesses') }}

),

-- one row per month and event, summed below; every month of the spine is present
events as (

    select
        month,
        0 as new_workers,
        0 as new_businesses,
        0 as new_businesses_excl_sole,
        0 as withdrawn_businesses,
        0 as withdrawn_businesses_excl_sole,
        0 as new_sites,
        0 as new_sites_with_card_reader,
        0 as work_history_days,
        0 as active_workers
    from months

    union all

    select {{ month_start('registered_on') }}, 1, 0, 0, 0, 0, 0, 0, 0, 0
    from {{ ref('stg_workers') }}

    union all

    select registered_month, 0, 1, is_excl_sole, 0, 0, 0, 0, 0, 0
    from businesses

    union all

    select withdrawn_month, 0, 0, 0, 1, is_excl_sole, 0, 0, 0, 0
    from businesses
    where withdrawn_month is not null

    union all

    select
        {{ month_start('registered_on') }}, 0, 0, 0, 0, 0,
        1, case when card_reader_installed then 1 else 0 end, 0, 0
    from {{ ref('stg_sites') }}

    union all

    select work_month, 0, 0, 0, 0, 0, 0, 0, 1, 0
    from {{ ref('int_work_history_days') }}

    union all

    select month, 0, 0, 0, 0, 0, 0, 0, 0, 1
    from {{ ref('int_worker_active_months') }}

),

monthly as (

    select
        events.month,
        sum(new_workers) as new_workers,
        sum(new_businesses) as new_businesses,
        sum(new_businesses_excl_sole) as new_businesses_excl_sole,
        sum(withdrawn_businesses) as withdrawn_businesses,
        sum(withdrawn_businesses_excl_sole) as withdrawn_businesses_excl_sole,
        sum(new_sites) as new_sites,
        sum(new_sites_with_card_reader) as new_sites_with_card_reader,
        sum(work_history_days) as work_history_days,
        sum(active_workers) as active_workers
    from events
    -- events outside the spine (a withdrawal after the last month, a work date before the
    -- first registration) are not reported
    inner join months
        on events.month = months.month
    group by events.month

),

cumulative as (

    select
        month,
        new_workers,
        new_businesses,
        work_history_days,
        active_workers,
        sum(new_workers) over (
            order by month rows between unbounded preceding and current row
        ) as registered_workers,
        sum(new_businesses - withdrawn_businesses) over (
            order by month rows between unbounded preceding and current row
        ) as registered_businesses,
        sum(new_businesses_excl_sole - withdrawn_businesses_excl_sole) over (
            order by month rows between unbounded preceding and current row
        ) as registered_businesses_excl_sole,
        sum(new_sites) over (
            order by month rows between unbounded preceding and current row
        ) as sites_registered,
        sum(new_sites_with_card_reader) over (
            order by month rows between unbounded preceding and current row
        ) as sites_with_card_reader
    from monthly

)

select
    month,
    cast(registered_workers as {{ dbt.type_bigint() }}) as registered_workers,
    cast(registered_businesses as {{ dbt.type_bigint() }}) as registered_businesses,
    cast(registered_businesses_excl_sole as {{ dbt.type_bigint() }}) as registered_businesses_excl_sole,
    cast(new_workers as {{ dbt.type_bigint() }}) as new_workers,
    cast(new_businesses as {{ dbt.type_bigint() }}) as new_businesses,
    cast(active_workers as {{ dbt.type_bigint() }}) as active_workers,
    cast(work_history_days as {{ dbt.type_bigint() }}) as work_history_days,
    cast(sites_registered as {{ dbt.type_bigint() }}) as sites_registered,
    cast(sites_with_card_reader as {{ dbt.type_bigint() }}) as sites_with_card_reader
from cumulative

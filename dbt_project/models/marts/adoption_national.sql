-- 普及状況 (national), one row per month (first day of the month).
--   registered_*: registered_on <= month end, cumulative, net of withdrawals. Businesses: the
--     business row in force at the month end (macros/adoption_segments.sql): a withdrawal takes
--     effect in the month of the first row that reports is_withdrawn = true (never before the
--     month the business registered); a later row without the column (NULL) does not reinstate
--     it, a row with an explicit false does, from its month. 一人親方 (is_sole_proprietor) is
--     also the row in force at the month end. Workers have no withdrawal field.
--   new_*: registered_on within the month (gross of later withdrawals); new_businesses_excl_sole
--     without the businesses that are 一人親方 at the end of their registration month.
--   active_workers: distinct workers with >= 1 work-history day in the 30 days up to and
--     including the month end (also workers not, or not yet, in the registry).
--   work_history_days: (worker, site, work_date) days with work_date in the month;
--     work_history_days_fiscal_ytd: the same summed over the fiscal year (April-March) up to
--     the month; work_history_days_cumulative: summed over every month up to it.
--   new_sites: sites with registered_on in the month; new_sites_primes: the distinct prime
--     contractors of those sites (the businesses behind the count, for disclosure control;
--     a site without a prime counts none); sites_registered /
--     sites_with_card_reader: sites registered_on <= month end / of them those with
--     card_reader_installed (current registry state).

with months as (

    select month, fiscal_year_start from {{ ref('int_months') }}

),

business_segments as (

    {{ business_month_segments(ref('stg_business_registry_history')) }}

),

registered_businesses as (

    {{ registered_business_segments('business_segments', ['is_sole_proprietor']) }}

),

-- each business once, in its registration month, with 一人親方 as in force at that month end
new_businesses as (

    select
        segments.registered_month,
        case when segments.is_sole_proprietor then 0 else 1 end as is_excl_sole
    from business_segments as segments
    where segments.registered_month is not null
        and {{ segment_holds_in('segments', 'segments.registered_month') }}

),

-- one row per month and event, summed below; every month of the spine is present
events as (

    select
        month,
        0 as new_workers,
        0 as new_businesses,
        0 as new_businesses_excl_sole,
        0 as registered_businesses_change,
        0 as registered_businesses_excl_sole_change,
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
    from new_businesses

    union all

    -- a business enters the registered count at the start of a registered segment and leaves it
    -- at its end (a withdrawal); adjacent segments cancel out
    select
        valid_from_month, 0, 0, 0,
        1, case when is_sole_proprietor then 0 else 1 end,
        0, 0, 0, 0
    from registered_businesses

    union all

    select
        valid_to_month, 0, 0, 0,
        -1, case when is_sole_proprietor then 0 else -1 end,
        0, 0, 0, 0
    from registered_businesses
    where valid_to_month is not null

    union all

    select
        {{ month_start('registered_on') }}, 0, 0, 0, 0, 0,
        1, case when card_reader_installed then 1 else 0 end, 0, 0
    from {{ ref('stg_sites') }}

    union all

    -- the work-history days, summed per month and worker first (int_work_history_months)
    select month, 0, 0, 0, 0, 0, 0, 0, work_history_days, 0
    from {{ ref('int_work_history_months') }}

    union all

    select month, 0, 0, 0, 0, 0, 0, 0, 0, 1
    from {{ ref('int_worker_active_months') }}

),

-- the businesses behind a month's new sites: a count of sites is published only when at least
-- three primes stand behind it (metrics.md section 8)
new_site_primes as (

    select
        {{ month_start('registered_on') }} as month,
        count(distinct prime_business_id) as new_sites_primes
    from {{ ref('stg_sites') }}
    group by {{ month_start('registered_on') }}

),

monthly as (

    select
        events.month,
        months.fiscal_year_start,
        sum(events.new_workers) as new_workers,
        sum(events.new_businesses) as new_businesses,
        sum(events.new_businesses_excl_sole) as new_businesses_excl_sole,
        sum(events.registered_businesses_change) as registered_businesses_change,
        sum(events.registered_businesses_excl_sole_change) as registered_businesses_excl_sole_change,
        sum(events.new_sites) as new_sites,
        sum(events.new_sites_with_card_reader) as new_sites_with_card_reader,
        sum(events.work_history_days) as work_history_days,
        sum(events.active_workers) as active_workers,
        coalesce(max(new_site_primes.new_sites_primes), 0) as new_sites_primes
    from events
    -- events outside the spine (a withdrawal after the last month, a work date before the
    -- first registration) are not reported
    inner join months
        on events.month = months.month
    left join new_site_primes
        on events.month = new_site_primes.month
    group by events.month, months.fiscal_year_start

),

cumulative as (

    select
        month,
        new_workers,
        new_businesses,
        new_businesses_excl_sole,
        new_sites,
        new_sites_primes,
        work_history_days,
        active_workers,
        sum(new_workers) over (
            order by month rows between unbounded preceding and current row
        ) as registered_workers,
        sum(registered_businesses_change) over (
            order by month rows between unbounded preceding and current row
        ) as registered_businesses,
        sum(registered_businesses_excl_sole_change) over (
            order by month rows between unbounded preceding and current row
        ) as registered_businesses_excl_sole,
        sum(new_sites) over (
            order by month rows between unbounded preceding and current row
        ) as sites_registered,
        sum(new_sites_with_card_reader) over (
            order by month rows between unbounded preceding and current row
        ) as sites_with_card_reader,
        sum(work_history_days) over (
            partition by fiscal_year_start
            order by month rows between unbounded preceding and current row
        ) as work_history_days_fiscal_ytd,
        sum(work_history_days) over (
            order by month rows between unbounded preceding and current row
        ) as work_history_days_cumulative
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
    cast(sites_with_card_reader as {{ dbt.type_bigint() }}) as sites_with_card_reader,
    cast(new_businesses_excl_sole as {{ dbt.type_bigint() }}) as new_businesses_excl_sole,
    cast(new_sites as {{ dbt.type_bigint() }}) as new_sites,
    cast(new_sites_primes as {{ dbt.type_bigint() }}) as new_sites_primes,
    cast(work_history_days_fiscal_ytd as {{ dbt.type_bigint() }}) as work_history_days_fiscal_ytd,
    cast(work_history_days_cumulative as {{ dbt.type_bigint() }}) as work_history_days_cumulative
from cumulative

-- 普及状況 by tier (次数): one row per month x tier (only rows where some measure is > 0).
-- A business's tier at a month end is the smallest `tier` of its site_contracts rows active at
-- that month end (joined_on <= month end, and left_on empty or >= month end); 'none' when it has
-- none (metrics.md §1). Workers follow their employer; a worker whose employer is on no site's
-- construction system, is unknown, or who is seen only in the attendance is in 'none'.
-- A contract is active at the end of the months from the month of joined_on (inclusive) to the
-- month of the day after left_on (exclusive): left on a month's last day, it still counts at
-- that month end; joined on a month's last day, it already does.
-- tier is a string: '0' (prime), '1', '2', … or 'none'.
-- Measures (macros/adoption_breakdowns.sql): registered_workers (month end), new_workers (in
-- the month), active_workers (30 days up to the month end), registered_businesses (month end,
-- net of withdrawals: macros/adoption_segments.sql), and the distinct employers behind each
-- worker count. Every measure adds up over the tiers to adoption_national.

with contract_segments as (

    select
        business_ref as business_id,
        tier,
        {{ month_start('joined_on') }} as valid_from_month,
        {{ month_start(add_days('left_on', 1)) }} as valid_to_month
    from {{ ref('stg_site_contracts') }}
    where joined_on is not null

),

-- +1 / -1 active contracts of a business at a tier, at the months they start and stop counting
tier_edges as (

    select business_id, tier, month, sum(delta) as delta
    from (
        select business_id, tier, valid_from_month as month, 1 as delta
        from contract_segments
        where valid_to_month is null or valid_from_month < valid_to_month

        union all

        select business_id, tier, valid_to_month, -1
        from contract_segments
        where valid_from_month < valid_to_month
    ) as edges
    group by business_id, tier, month

),

-- the business's active contracts per tier at every month its tiers change
tier_counts as (

    select
        change_months.business_id,
        change_months.month,
        business_tiers.tier,
        sum(coalesce(edge_rows.delta, 0)) over (
            partition by change_months.business_id, business_tiers.tier
            order by change_months.month
            rows between unbounded preceding and current row
        ) as active_contracts
    from (select distinct business_id, month from tier_edges) as change_months
    inner join (select distinct business_id, tier from tier_edges) as business_tiers
        on change_months.business_id = business_tiers.business_id
    left join tier_edges as edge_rows
        on change_months.business_id = edge_rows.business_id
        and change_months.month = edge_rows.month
        and business_tiers.tier = edge_rows.tier

),

tier_changes as (

    select
        business_id,
        month,
        min(case when active_contracts > 0 then tier end) as tier
    from tier_counts
    group by business_id, month

),

-- every business on a construction system: 'none' before its first contract counts, then its
-- smallest active tier (or 'none' between contracts and after the last)
tier_segments as (

    select
        business_id,
        coalesce(cast(tier as {{ dbt.type_string() }}), 'none') as cell,
        month as valid_from_month,
        lead(month) over (partition by business_id order by month) as valid_to_month
    from tier_changes

    union all

    select
        business_id,
        'none',
        cast(null as date),
        min(month)
    from tier_changes
    group by business_id

),

business_segments as (

    {{ business_month_segments(ref('stg_business_registry_history')) }}

),

registered_segments as (

    {{ registered_business_segments('business_segments') }}

),

-- registered businesses on no construction system are in 'none' throughout
registered_businesses as (

    {{ segments_in_cells('registered_segments', 'business_id', 'tier_segments', "'none'", ['business_id']) }}

),

{{ adoption_breakdown(
    business_cells='tier_segments',
    business_presence='registered_businesses',
    cell_column='tier',
    fallback_cell="'none'") }}

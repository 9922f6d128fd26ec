-- 普及状況 by association: one row per month x association_code (only rows where some measure
-- is > 0). An association's members at a month end are the businesses whose row in force at
-- that month end lists its code in association_codes (metrics.md §1); their workers are the
-- association's workers (workers follow their employer). A business in two associations counts
-- in both, so the rows do not add up to adoption_national; non-members are in no row.
-- Measures (macros/adoption_breakdowns.sql): registered_workers (month end), new_workers (in
-- the month), active_workers (30 days up to the month end), registered_businesses (member
-- businesses registered at the month end, net of withdrawals: macros/adoption_segments.sql),
-- and the distinct employers behind each worker count.

with business_segments as (

    {{ business_month_segments(ref('stg_business_registry_history')) }}

),

-- distinct: a code listed twice is one membership (a business's segments in a cell must not
-- overlap)
memberships as (

    select distinct
        business_id,
        valid_from_month,
        valid_to_month,
        registered_month,
        is_withdrawn,
        cell
    from (
        select
            business_segments.*,
            {{ unnest_list('association_codes') }} as cell
        from business_segments
    ) as listed
    where cell is not null

),

registered_members as (

    {{ registered_business_segments('memberships', ['cell']) }}

),

{{ adoption_breakdown(
    business_cells='memberships',
    business_presence='registered_members',
    cell_column='association_code') }}

-- 普及状況 by business size: one row per month x size_band (only rows where some measure is > 0).
-- The size band of a worker is their employer's, from the business row in force at the month
-- end (metrics.md §1; limits in seed business_size_bands, inclusive):
--   sole_proprietor  is_sole_proprietor (一人親方)
--   small            not sole, employee_count <= 20 (小規模企業者)
--   medium           not small, employee_count <= 300 or capital_yen <= 300,000,000 (中小企業者)
--   large            the rest
--   unknown          neither employee_count nor capital_yen known; also workers whose employer
--                    is not in the business registry, and worker keys seen only in the attendance
-- Measures (macros/adoption_breakdowns.sql): registered_workers (month end), new_workers (in
-- the month), active_workers (30 days up to the month end), registered_businesses (month end,
-- net of withdrawals: the withdrawal rule of macros/adoption_segments.sql), and the distinct
-- employers behind each worker count. Every measure adds up over the bands to adoption_national.

with limits as (

    select
        max(case when size_band = 'small' then max_employee_count end) as small_max_employees,
        max(case when size_band = 'medium' then max_employee_count end) as medium_max_employees,
        max(case when size_band = 'medium' then max_capital_yen end) as medium_max_capital_yen
    from {{ ref('business_size_bands') }}

),

business_segments as (

    {{ business_month_segments(ref('stg_business_registry_history')) }}

),

sized_segments as (

    select
        segments.business_id,
        segments.valid_from_month,
        segments.valid_to_month,
        segments.registered_month,
        segments.is_withdrawn,
        case
            when segments.is_sole_proprietor then 'sole_proprietor'
            when segments.employee_count is null and segments.capital_yen is null then 'unknown'
            when segments.employee_count <= limits.small_max_employees then 'small'
            when segments.employee_count <= limits.medium_max_employees
                or segments.capital_yen <= limits.medium_max_capital_yen then 'medium'
            else 'large'
        end as cell
    from business_segments as segments
    cross join limits

),

registered_businesses as (

    {{ registered_business_segments('sized_segments', ['cell']) }}

),

{{ adoption_breakdown(
    business_cells='sized_segments',
    business_presence='registered_businesses',
    cell_column='size_band',
    fallback_cell="'unknown'") }}

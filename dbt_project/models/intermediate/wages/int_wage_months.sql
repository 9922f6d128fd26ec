-- One row per payroll-survey row (year_month, business_id, worker_key) with what the wage
-- marts need (metrics.md section 3):
--   fiscal_year          年度 of the month (April-March)
--   prefecture_code      the employer's (the wage row's business_id, registry's current state)
--   association_codes    the employer's associations (current state)
--   occupation_code, level, experience_start_on
--                        the worker's registry row in force at the END of the month (the latest
--                        row updated before the next month starts); a month before the worker's
--                        first delivered registry row takes that first row
--   tier                 the employer's 次数 on the sites where the worker worked that month
--                        (work-history days joined to site_contracts on site and business): the
--                        tier with the most of those days, ties to the smaller tier; without such
--                        days the employer's smallest tier on any site; NULL when the employer is
--                        on no site's construction system
--   is_foreman_month     the worker has a work-history day as 'foreman' in the month
--   is_within_first_three_years  year_month < experience_start_on + 36 months
--   income_yen           base pay + allowances + bonus (overtime pay excluded, as in the unit price)
--   guideline_annual_yen unit price (occupation, prefecture, fiscal year) x 234 x level multiplier
--                        (seeds design_labor_unit_prices, level_multipliers); NULL without a price

with wages as (

    select * from {{ ref('stg_wages') }}

),

history as (

    select * from {{ ref('stg_worker_registry_history') }}

),

registry_ranked as (

    select
        wages.year_month,
        wages.business_id,
        wages.worker_key,
        history.occupation_code,
        history.level,
        history.experience_start_on,
        row_number() over (
            partition by wages.year_month, wages.business_id, wages.worker_key
            order by
                case when history.valid_from < {{ add_months('wages.year_month', 1) }} then 0 else 1 end,
                case when history.valid_from < {{ add_months('wages.year_month', 1) }}
                     then history.valid_from end desc,
                history.valid_from
        ) as _rank
    from wages
    inner join history
        on wages.worker_key = history.worker_key

),

registry as (

    select * from registry_ranked
    where _rank = 1

),

contracts as (

    select site_id, business_ref, tier from {{ ref('stg_site_contracts') }}

),

wage_employers as (

    select distinct worker_key, year_month, business_id from wages

),

-- Only the (worker, month, employer) of a wage row is ever looked up, so the days are joined to
-- those first and then to the employer's own contracts on the site: joining every day to every
-- contract of its site multiplied the rows by the site's contractors (≈6 on average) before
-- the grouping, ≈90 % of the model's time.
tier_days as (

    select
        days.worker_key,
        days.work_month,
        contracts.business_ref,
        contracts.tier,
        count(*) as days_at_tier
    from {{ ref('int_work_history_days') }} as days
    inner join wage_employers
        on days.worker_key = wage_employers.worker_key
        and days.work_month = wage_employers.year_month
    inner join contracts
        on days.site_id = contracts.site_id
        and wage_employers.business_id = contracts.business_ref
    group by days.worker_key, days.work_month, contracts.business_ref, contracts.tier

),

worked_tier as (

    select
        worker_key,
        work_month,
        business_ref,
        tier,
        row_number() over (
            partition by worker_key, work_month, business_ref
            order by days_at_tier desc, tier asc
        ) as _rank
    from tier_days

),

business_tier as (

    select business_ref, min(tier) as tier
    from contracts
    group by business_ref

),

foreman_months as (

    select distinct worker_key, work_month
    from {{ ref('int_work_history_days') }}
    where role = 'foreman'

),

businesses as (

    select business_id, prefecture_code, association_codes
    from {{ ref('stg_businesses') }}

),

enriched as (

    select
        wages.year_month,
        cast(extract(year from {{ fiscal_year_start('wages.year_month') }}) as integer) as fiscal_year,
        wages.business_id,
        wages.worker_key,
        businesses.prefecture_code,
        coalesce(businesses.association_codes, {{ empty_string_list() }}) as association_codes,
        registry.occupation_code,
        registry.level,
        registry.experience_start_on,
        cast(coalesce(worked_tier.tier, business_tier.tier) as integer) as tier,
        foreman_months.worker_key is not null as is_foreman_month,
        coalesce(wages.year_month < {{ add_months('registry.experience_start_on', 36) }}, false)
            as is_within_first_three_years,
        wages.days_worked,
        wages.base_pay_yen,
        wages.allowances_yen,
        wages.overtime_pay_yen,
        wages.bonus_yen,
        cast(coalesce(wages.base_pay_yen, 0) + coalesce(wages.allowances_yen, 0)
             + coalesce(wages.bonus_yen, 0) as {{ dbt.type_bigint() }}) as income_yen
    from wages
    left join registry
        on wages.year_month = registry.year_month
        and wages.business_id = registry.business_id
        and wages.worker_key = registry.worker_key
    left join businesses
        on wages.business_id = businesses.business_id
    left join worked_tier
        on wages.worker_key = worked_tier.worker_key
        and wages.year_month = worked_tier.work_month
        and wages.business_id = worked_tier.business_ref
        and worked_tier._rank = 1
    left join business_tier
        on wages.business_id = business_tier.business_ref
    left join foreman_months
        on wages.worker_key = foreman_months.worker_key
        and wages.year_month = foreman_months.work_month

)

select
    enriched.*,
    prices.yen_per_day as unit_price_yen_per_day,
    prices.certainty as unit_price_certainty,
    multipliers.multiplier as level_multiplier,
    coalesce(multipliers.working_days_basis, basis.working_days_basis) as working_days_basis,
    cast(round(prices.yen_per_day * multipliers.working_days_basis * multipliers.multiplier)
         as {{ dbt.type_bigint() }}) as guideline_annual_yen
from enriched
left join {{ ref('design_labor_unit_prices') }} as prices
    on enriched.fiscal_year = prices.fiscal_year
    and enriched.prefecture_code = prices.prefecture_code
    and enriched.occupation_code = prices.occupation_code
left join {{ ref('level_multipliers') }} as multipliers
    on enriched.level = multipliers.level
cross join (
    select max(working_days_basis) as working_days_basis from {{ ref('level_multipliers') }}
) as basis

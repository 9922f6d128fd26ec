-- レベル別賃金 per tier (次数): fiscal_year x tier x occupation_code x level (all prefectures).
-- The tier of a wage month is the employer's tier on the sites where the worker worked that
-- month (int_wage_months); NULL tier = the employer is on no site's construction system.

with months as (

    select *
    from {{ ref('int_wage_months') }}
    where occupation_code is not null
        and level is not null
        and prefecture_code is not null

),

worker_cells as (

    {{ wage_worker_cells('months', ['fiscal_year', 'tier', 'occupation_code', 'level']) }}

),

cells as (

    {{ wage_cell_measures('worker_cells', ['fiscal_year', 'tier', 'occupation_code', 'level']) }}

),

guidelines as (

    {{ wage_mean_guidelines('worker_cells', ['fiscal_year', 'tier', 'occupation_code', 'level']) }}

)

select
    cells.fiscal_year,
    cells.tier,
    cells.occupation_code,
    cells.level,
    guidelines.mean_guideline_annual_yen,
    {{ wage_cell_columns('cells') }}
from cells
inner join guidelines
    on cells.fiscal_year = guidelines.fiscal_year
    and cells.tier is not distinct from guidelines.tier
    and cells.occupation_code = guidelines.occupation_code
    and cells.level = guidelines.level

-- レベル別賃金 per association: fiscal_year x association_code x occupation_code x level (all
-- prefectures). A wage row counts for every association its employer (the wage row's
-- business_id) is a member of (association_codes of the business registry, current state).
-- Each worker is compared with the guideline of their own prefecture(s), days-weighted.

with months as (

    select
        wage_months.*,
        {{ unnest_list('wage_months.association_codes') }} as association_code
    from {{ ref('int_wage_months') }} as wage_months
    where wage_months.occupation_code is not null
        and wage_months.level is not null
        and wage_months.prefecture_code is not null

),

worker_cells as (

    {{ wage_worker_cells('months', ['fiscal_year', 'association_code', 'occupation_code', 'level']) }}

),

cells as (

    {{ wage_cell_measures('worker_cells', ['fiscal_year', 'association_code', 'occupation_code', 'level']) }}

),

guidelines as (

    {{ wage_mean_guidelines('worker_cells', ['fiscal_year', 'association_code', 'occupation_code', 'level']) }}

)

select
    cells.fiscal_year,
    cells.association_code,
    cells.occupation_code,
    occupation_names.name_ja as occupation_name_ja,
    occupation_names.name_en as occupation_name_en,
    cells.level,
    guidelines.mean_guideline_annual_yen,
    {{ wage_cell_columns('cells') }}
from cells
left join {{ ref('occupations') }} as occupation_names
    on cells.occupation_code = occupation_names.occupation_code
inner join guidelines
    on cells.fiscal_year = guidelines.fiscal_year
    and cells.association_code = guidelines.association_code
    and cells.occupation_code = guidelines.occupation_code
    and cells.level = guidelines.level

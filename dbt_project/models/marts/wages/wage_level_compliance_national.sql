-- レベル別賃金, national: fiscal_year x occupation_code x level (all prefectures), for the
-- ministry's national page. Each worker is compared with the guideline of their own
-- prefecture(s) (days-weighted, see macros/wages.sql); mean_guideline_annual_yen is the mean of
-- the surveyed workers' guidelines.

with months as (

    select *
    from {{ ref('int_wage_months') }}
    where occupation_code is not null
        and level is not null
        and prefecture_code is not null

),

worker_cells as (

    {{ wage_worker_cells('months', ['fiscal_year', 'occupation_code', 'level']) }}

),

cells as (

    {{ wage_cell_measures('worker_cells', ['fiscal_year', 'occupation_code', 'level']) }}

),

guidelines as (

    {{ wage_mean_guidelines('worker_cells', ['fiscal_year', 'occupation_code', 'level']) }}

),

occupations as (

    select occupation_code, nullif(level_field_ja, '') as level_field_ja
    from {{ ref('occupations') }}

),

published_2023 as (

    select field_ja, level, annual_income_yen
    from {{ ref('level_income_2023') }}
    where band = 'middle'

)

select
    cells.fiscal_year,
    cells.occupation_code,
    occupation_names.name_ja as occupation_name_ja,
    occupation_names.name_en as occupation_name_en,
    cells.level,
    guidelines.mean_guideline_annual_yen,
    {{ wage_cell_columns('cells') }},
    coalesce(field_cell.field_ja, all_fields.field_ja) as published_2023_field_ja,
    coalesce(field_cell.annual_income_yen, all_fields.annual_income_yen) as published_2023_middle_annual_yen
from cells
left join {{ ref('occupations') }} as occupation_names
    on cells.occupation_code = occupation_names.occupation_code
inner join guidelines
    on cells.fiscal_year = guidelines.fiscal_year
    and cells.occupation_code = guidelines.occupation_code
    and cells.level = guidelines.level
left join occupations
    on cells.occupation_code = occupations.occupation_code
left join published_2023 as field_cell
    on occupations.level_field_ja = field_cell.field_ja
    and cells.level = field_cell.level
left join published_2023 as all_fields
    on all_fields.field_ja = '全分野'
    and cells.level = all_fields.level

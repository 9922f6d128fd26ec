-- レベル別賃金, national by level only: fiscal_year x level over all occupations and
-- prefectures, the headline of the ministry's wage section. Each worker is compared with their
-- own guideline (occupation, prefecture, days-weighted); published_2023_middle_annual_yen is
-- the published 2023 all-fields (全分野) middle-band income of the level.

with months as (

    select *
    from {{ ref('int_wage_months') }}
    where occupation_code is not null
        and level is not null
        and prefecture_code is not null

),

worker_cells as (

    {{ wage_worker_cells('months', ['fiscal_year', 'level']) }}

),

cells as (

    {{ wage_cell_measures('worker_cells', ['fiscal_year', 'level']) }}

),

guidelines as (

    {{ wage_mean_guidelines('worker_cells', ['fiscal_year', 'level']) }}

),

published_2023 as (

    select level, annual_income_yen
    from {{ ref('level_income_2023') }}
    where band = 'middle' and field_ja = '全分野'

)

select
    cells.fiscal_year,
    cells.level,
    guidelines.mean_guideline_annual_yen,
    {{ wage_cell_columns('cells') }},
    published_2023.annual_income_yen as published_2023_middle_annual_yen
from cells
inner join guidelines
    on cells.fiscal_year = guidelines.fiscal_year
    and cells.level = guidelines.level
left join published_2023
    on cells.level = published_2023.level

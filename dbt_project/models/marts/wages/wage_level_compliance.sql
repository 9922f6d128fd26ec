-- レベル別賃金: fiscal_year x occupation_code x level x prefecture_code (the employer's),
-- metrics.md section 3. Guideline = unit price x 234 x level multiplier; observed and share
-- below from int_worker_fiscal_income (a worker exactly at the guideline is not below).
-- published_2023_*: the published 2023 level-based annual income (middle band) of the
-- occupation's field and level, else of all fields (全分野), shown beside the guideline.

with worker_cells as (

    select * from {{ ref('int_worker_fiscal_income') }}

),

cells as (

    {{ wage_cell_measures('worker_cells', ['fiscal_year', 'occupation_code', 'level', 'prefecture_code']) }}

),

occupations as (

    select occupation_code, name_ja, name_en, nullif(level_field_ja, '') as level_field_ja
    from {{ ref('occupations') }}

),

published_2023 as (

    select field_ja, level, annual_income_yen, source_url
    from {{ ref('level_income_2023') }}
    where band = 'middle'

)

select
    cells.fiscal_year,
    cells.occupation_code,
    cells.level,
    cells.prefecture_code,
    cast(round(prices.yen_per_day * multipliers.working_days_basis * multipliers.multiplier)
         as {{ dbt.type_bigint() }}) as guideline_annual_yen,
    {{ wage_cell_columns('cells') }},
    prices.yen_per_day as unit_price_yen_per_day,
    prices.certainty as unit_price_certainty,
    multipliers.multiplier as level_multiplier,
    multipliers.working_days_basis,
    coalesce(field_cell.field_ja, all_fields.field_ja) as published_2023_field_ja,
    coalesce(field_cell.annual_income_yen, all_fields.annual_income_yen) as published_2023_middle_annual_yen,
    coalesce(field_cell.source_url, all_fields.source_url) as published_2023_source_url,
    occupations.name_ja as occupation_name_ja,
    occupations.name_en as occupation_name_en
from cells
left join {{ ref('design_labor_unit_prices') }} as prices
    on cells.fiscal_year = prices.fiscal_year
    and cells.prefecture_code = prices.prefecture_code
    and cells.occupation_code = prices.occupation_code
left join {{ ref('level_multipliers') }} as multipliers
    on cells.level = multipliers.level
left join occupations
    on cells.occupation_code = occupations.occupation_code
left join published_2023 as field_cell
    on occupations.level_field_ja = field_cell.field_ja
    and cells.level = field_cell.level
left join published_2023 as all_fields
    on all_fields.field_ja = '全分野'
    and cells.level = all_fields.level

-- The two groups MLIT's April 2020 letter names, national:
-- fiscal_year x group_code x occupation_code x level.
--   l34_foremen        months at level 3 or 4 in which the worker has a work-history day as
--                      'foreman' (職長として現場を束ねるレベル3・4の技能者)
--   l2_first_3_years   months at level 2 within the worker's first three years in construction
--                      (year_month < experience_start_on + 36 months)
-- A worker's observed income in a group is over the months of the worker in that group.

with months as (

    select *
    from {{ ref('int_wage_months') }}
    where occupation_code is not null
        and level is not null
        and prefecture_code is not null

),

grouped as (

    select months.*, 'l34_foremen' as group_code
    from months
    where level in (3, 4) and is_foreman_month

    union all

    select months.*, 'l2_first_3_years' as group_code
    from months
    where level = 2 and is_within_first_three_years

),

worker_cells as (

    {{ wage_worker_cells('grouped', ['fiscal_year', 'group_code', 'occupation_code', 'level']) }}

),

cells as (

    {{ wage_cell_measures('worker_cells', ['fiscal_year', 'group_code', 'occupation_code', 'level']) }}

),

guidelines as (

    {{ wage_mean_guidelines('worker_cells', ['fiscal_year', 'group_code', 'occupation_code', 'level']) }}

)

select
    cells.fiscal_year,
    cells.group_code,
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
    and cells.group_code = guidelines.group_code
    and cells.occupation_code = guidelines.occupation_code
    and cells.level = guidelines.level

-- Observed annual income per worker and fiscal year (metrics.md section 3), in the cells of
-- wage_level_compliance (fiscal_year x occupation_code x level x prefecture_code):
--   observed_annual_yen = (sum of base pay + allowances + bonus over the worker's surveyed
--   months of the cell) x 234 / (sum of days_worked over the same months); overtime excluded.
-- Level and prefecture are those of each month (int_wage_months), so a worker whose level or
-- employer's prefecture changes within a fiscal year contributes to each cell with that cell's
-- months. Months of workers not in the registry (no occupation, no level) are left out.
-- Worker-level: stays in the warehouse, never exported.

with months as (

    select *
    from {{ ref('int_wage_months') }}
    where occupation_code is not null
        and level is not null
        and prefecture_code is not null

)

{{ wage_worker_cells('months', ['fiscal_year', 'occupation_code', 'level', 'prefecture_code']) }}

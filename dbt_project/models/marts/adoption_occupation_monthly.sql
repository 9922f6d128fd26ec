-- 普及状況 per month x occupation_code, with the distinct workers and employers behind every measure
-- (the ministry page's ranking by occupation, suppressed on each cell's own counts). Grain: one row
-- per month and occupation_code (NULL = unknown) where some measure is > 0. Formulas: see
-- macros/adoption_by_worker_dimension.sql; the worker measures equal adoption_monthly summed over the
-- other dimension.

{{ adoption_by_worker_dimension('occupation_code') }}

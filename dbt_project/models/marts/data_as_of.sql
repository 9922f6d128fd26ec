-- The as-of date of the data, one row (none before the first committed attendance or roster
-- file): what every page says its figures are "as of" (metrics.md §1).
--   as_of_date       the latest date of a committed attendance or roster file (the audit's
--                    file dates, never a row's work date: int_compliance_dates)
--   first_work_date  the earliest work date of any work-history day or roster row

select
    as_of_date,
    first_work_date
from {{ ref('int_compliance_dates') }}

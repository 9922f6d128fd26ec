-- The dates every compliance model measures against, one row (none before the first committed
-- attendance or roster file with a work date):
--   as_of_date       the data's as-of date = the latest date of a committed attendance or roster
--                    file (metrics.md §1): the file dates in the audit, never a row's work date,
--                    so no mistyped record can move it. Every accepted work date lies on or
--                    before it (feeds.md: an attendance work_date after its file's date is
--                    out_of_range, a roster's work_date is its file's date). Nothing after it is
--                    measured: no measurement date, no day of a site's period, no month.
--   first_work_date  the earliest work date of any work-history day or roster row
--   as_of_month      the month of as_of_date
--   observed_from    the first day of the month of first_work_date: the platform holds no
--                    rosters or work history before it, so days before it are not observed (a
--                    site that started earlier is judged from here; a measurement date before
--                    it is not measured).

with committed_files as (

    select max(file_date) as as_of_date
    from {{ ref('stg_ingest_audit') }}
    where feed in ('attendance', 'rosters')
        and status = 'ingested'

),

work_dates as (

    select work_date from {{ ref('int_work_history_days') }}
    union all
    select work_date from {{ ref('stg_rosters') }}

),

first_work as (

    select min(work_date) as first_work_date
    from work_dates

)

select
    first_work.first_work_date,
    committed_files.as_of_date,
    {{ month_start('committed_files.as_of_date') }} as as_of_month,
    {{ month_start('first_work.first_work_date') }} as observed_from
from committed_files
cross join first_work
where committed_files.as_of_date is not null
    and first_work.first_work_date is not null

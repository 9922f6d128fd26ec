-- The dates every compliance model measures against, one row (none when there is no work date
-- at all):
--   first_work_date  the earliest work date of any work-history day or roster row
--   as_of_date       the data's last date = the latest such work date. Nothing after it is
--                    measured: no measurement date, no day of a site's period, no month.
--   as_of_month      its month
--   observed_from    the first day of the month of first_work_date: the platform holds no
--                    rosters or work history before it, so days before it are not observed (a
--                    site that started earlier is judged from here; a measurement date before
--                    it is not measured).

with work_dates as (

    select work_date from {{ ref('int_work_history_days') }}
    union all
    select work_date from {{ ref('stg_rosters') }}

),

bounds as (

    select
        min(work_date) as first_work_date,
        max(work_date) as as_of_date
    from work_dates

)

select
    first_work_date,
    as_of_date,
    {{ month_start('as_of_date') }} as as_of_month,
    {{ month_start('first_work_date') }} as observed_from
from bounds
where as_of_date is not null

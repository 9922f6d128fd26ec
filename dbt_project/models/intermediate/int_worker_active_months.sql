-- Workers active at each month end: at least one work-history day in the 30 days up to and
-- including the month end (month_end - 29 .. month_end). A work date can only fall in the
-- window of its own month or of the next one (every month has >= 28 days), so each day is
-- matched against those two month ends only (an equi-join, cheap on any engine).

with worker_days as (

    select distinct
        worker_key,
        work_date,
        work_month
    from {{ ref('int_work_history_days') }}

),

candidates as (

    select worker_key, work_date, work_month as month
    from worker_days

    union all

    select worker_key, work_date, {{ add_months('work_month', 1) }} as month
    from worker_days

),

months as (

    select * from {{ ref('int_months') }}

)

select
    candidates.worker_key,
    months.month,
    max(candidates.work_date) as last_work_date
from candidates
inner join months
    on candidates.month = months.month
where candidates.work_date >= months.active_window_start
    and candidates.work_date <= months.month_end
group by candidates.worker_key, months.month

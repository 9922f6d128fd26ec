-- The input-method mix (metrics.md §1): work-history days per month and input method, with the
-- distinct workers, employers and sites behind each cell (the ministry page suppresses small cells).
-- A day's input method is the method of its first touch (int_work_history_days).

select
    work_month as month,
    input_method,
    count(*) as work_history_days,
    count(distinct worker_key) as workers,
    count(distinct employer_business_id) as businesses,
    count(distinct site_id) as sites
from {{ ref('int_work_history_days') }}
group by work_month, input_method

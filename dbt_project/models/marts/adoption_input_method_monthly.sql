-- The input-method mix (metrics.md §1): work-history days per month and input method, with the
-- distinct workers, employers and sites behind each cell (the ministry page suppresses small cells).
-- A day's input method is the method of its first touch (int_work_history_days); the days are
-- summed per month, worker, site, employer and method first (int_work_history_months).

select
    month,
    input_method,
    {{ sum_or_zero('work_history_days') }} as work_history_days,
    count(distinct worker_key) as workers,
    count(distinct employer_business_id) as businesses,
    count(distinct site_id) as sites
from {{ ref('int_work_history_months') }}
group by month, input_method

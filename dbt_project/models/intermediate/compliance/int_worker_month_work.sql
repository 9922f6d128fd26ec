-- A worker's work per calendar month across all sites (metrics.md §7), one row per
-- (worker_key, month) with at least one work-history day: the dates worked, the work-history
-- days (one per site and date), those without an exit, and the work, overtime and holiday-work
-- seconds of int_worker_day_hours summed over the month's dates. int_worker_month_hours adds
-- the months without work that the averaging windows need.
-- Incremental by work month (work_month_config in macros/incremental.sql): a month holding a
-- changed work date is recomputed whole from int_worker_day_hours.

{{ config(**work_month_config(['attendance'])) }}

with worker_days as (

    select * from {{ ref('int_worker_day_hours') }}
    {% if is_incremental() -%}
    where work_month in {{ changed_months() }}
    {%- endif %}

)

select
    worker_key,
    work_month as month,
    cast(count(*) as {{ dbt.type_bigint() }}) as work_days,
    {{ sum_or_zero('site_days') }} as site_days,
    {{ sum_or_zero('unknown_hours_site_days') }} as unknown_hours_site_days,
    {{ sum_or_zero('work_seconds') }} as work_seconds,
    {{ sum_or_zero('overtime_seconds') }} as overtime_seconds,
    {{ sum_or_zero('holiday_work_seconds') }} as holiday_work_seconds,
    max(_committed_at) as _committed_at
from worker_days
group by worker_key, work_month

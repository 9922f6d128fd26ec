-- 建退共 contributions per public-works site and month (metrics.md §4), one row per
-- (site_id, month) with a work-history day or a report. Coverage and shortfall are computed per
-- worker first (site, month, worker), then summed:
--   covered_days  = Σ per worker min(days reported, days due)
--   coverage      = covered_days / days_due (NULL when nothing is due)
--   shortfall_yen = Σ per worker max(0, amount due - amount reported)
-- Flags of the site and month:
--   is_mixed_method              the month's reports use both 'electronic' and 'stamp', counting
--                                only businesses without a stamp_exception at the site
--   is_electronic_without_reports the site's method is 'electronic', days are due, and there is
--                                no report at all
--   has_over_reporting           some worker's reported days exceed their work-history days at the
--                                site in the month (over_reported_workers, over_reported_days)
-- The per-business detail is kentaikyo_business_monthly.

with worker_months as (

    select * from {{ ref('int_kentaikyo_worker_monthly') }}

),

sites as (

    select * from {{ ref('stg_sites') }}

),

per_worker as (

    select
        site_id,
        month,
        worker_key,
        sum(work_history_days) as work_history_days,
        sum(days_due) as days_due,
        sum(amount_due_yen) as amount_due_yen,
        sum(days_reported) as days_reported,
        sum(amount_reported_yen) as amount_reported_yen
    from worker_months
    group by site_id, month, worker_key

),

worker_figures as (

    select
        per_worker.*,
        {{ kentaikyo_worker_measures() }},
        {{ kentaikyo_over_reported_days() }}
    from per_worker

),

site_figures as (

    select
        site_id,
        month,
        count(distinct case when days_due > 0 then worker_key end) as workers_due,
        sum(work_history_days) as work_history_days,
        {{ kentaikyo_sums() }},
        sum(case when over_reported_days > 0 then 1 else 0 end) as over_reported_workers,
        sum(over_reported_days) as over_reported_days
    from worker_figures
    group by site_id, month

),

method_figures as (

    select
        site_id,
        month,
        sum(report_rows) as report_rows,
        count(distinct case when report_rows > 0 then business_id end) as reporting_businesses,
        count(distinct case when report_rows > 0 then worker_key end) as reported_workers,
        sum(electronic_days_reported) as electronic_days_reported,
        sum(stamp_days_reported) as stamp_days_reported,
        max(case when not has_stamp_exception and electronic_report_rows > 0 then 1 else 0 end)
            as has_electronic_outside_exception,
        max(case when not has_stamp_exception and stamp_report_rows > 0 then 1 else 0 end)
            as has_stamp_outside_exception,
        sum(case when has_stamp_exception then stamp_days_reported else 0 end)
            as stamp_exception_days_reported
    from worker_months
    group by site_id, month

)

select
    site_figures.site_id,
    site_figures.month,
    sites.prefecture_code,
    sites.orderer_type,
    sites.prime_business_id,
    sites.kentaikyo_method,
    cast(site_figures.workers_due as {{ dbt.type_bigint() }}) as workers_due,
    cast(site_figures.work_history_days as {{ dbt.type_bigint() }}) as work_history_days,
    {{ kentaikyo_amount_columns('site_figures') }},
    cast(method_figures.report_rows as {{ dbt.type_bigint() }}) as report_rows,
    cast(method_figures.reporting_businesses as {{ dbt.type_bigint() }}) as reporting_businesses,
    cast(method_figures.reported_workers as {{ dbt.type_bigint() }}) as reported_workers,
    cast(method_figures.electronic_days_reported as {{ dbt.type_bigint() }}) as electronic_days_reported,
    cast(method_figures.stamp_days_reported as {{ dbt.type_bigint() }}) as stamp_days_reported,
    cast(method_figures.stamp_exception_days_reported as {{ dbt.type_bigint() }}) as stamp_exception_days_reported,
    (method_figures.has_electronic_outside_exception = 1
     and method_figures.has_stamp_outside_exception = 1) as is_mixed_method,
    (sites.kentaikyo_method = 'electronic' and site_figures.days_due > 0
     and method_figures.report_rows = 0) as is_electronic_without_reports,
    site_figures.over_reported_workers > 0 as has_over_reporting,
    cast(site_figures.over_reported_workers as {{ dbt.type_bigint() }}) as over_reported_workers,
    cast(site_figures.over_reported_days as {{ dbt.type_bigint() }}) as over_reported_days
from site_figures
inner join method_figures
    on site_figures.site_id = method_figures.site_id
    and site_figures.month = method_figures.month
left join sites
    on site_figures.site_id = sites.site_id

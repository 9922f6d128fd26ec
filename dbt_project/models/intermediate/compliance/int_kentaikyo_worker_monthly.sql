-- 建退共 per public-works site, month, business and worker (metrics.md §4), one row per
-- (site_id, month, business_id, worker_key) that has a work-history day or a report:
--   work_history_days  the worker's work-history days at the site in the month (employer =
--                      business_id, the employer recorded on the day's earliest touch)
--   days_due           those days when the worker has a 建退共 member number
--                      (stg_workers.has_kentaikyo_member_no, the registry's current state;
--                      a worker not in the registry has none)
--   amount_due_yen     Σ over the due days of the daily rate in force on each work date
--                      (seed kentaikyo_daily_rate: 310 yen up to 2021-09-30, 320 from 2021-10-01)
--   days_reported, amount_reported_yen  from the kentaikyo feed (all methods)
--   electronic/stamp days and report rows, and the business's stamp_exception at the site
--                      (stg_site_contracts, business_ref = business_id).
-- Only sites with is_public_works; reports of other or unknown sites are left out.

with public_sites as (

    select site_id from {{ ref('stg_sites') }}
    where is_public_works

),

rates as (

    select * from {{ ref('kentaikyo_daily_rate') }}

),

workers as (

    select worker_key, has_kentaikyo_member_no from {{ ref('stg_workers') }}

),

work_days as (

    select
        days.site_id,
        days.work_month as month,
        days.employer_business_id as business_id,
        days.worker_key,
        count(*) as work_history_days,
        sum(case when workers.has_kentaikyo_member_no then 1 else 0 end) as days_due,
        sum(case when workers.has_kentaikyo_member_no then rates.daily_contribution_yen else 0 end)
            as amount_due_yen
    from {{ ref('int_work_history_days') }} as days
    inner join public_sites
        on days.site_id = public_sites.site_id
    left join workers
        on days.worker_key = workers.worker_key
    left join rates
        on (rates.effective_from is null or days.work_date >= rates.effective_from)
        and (rates.effective_to is null or days.work_date <= rates.effective_to)
    group by days.site_id, days.work_month, days.employer_business_id, days.worker_key

),

reports as (

    select
        reports.site_id,
        reports.year_month as month,
        reports.business_id,
        reports.worker_key,
        count(*) as report_rows,
        sum(reports.days_reported) as days_reported,
        sum(reports.amount_yen) as amount_reported_yen,
        sum(case when reports.method = 'electronic' then 1 else 0 end) as electronic_report_rows,
        sum(case when reports.method = 'stamp' then 1 else 0 end) as stamp_report_rows,
        sum(case when reports.method = 'electronic' then reports.days_reported else 0 end)
            as electronic_days_reported,
        sum(case when reports.method = 'stamp' then reports.days_reported else 0 end)
            as stamp_days_reported
    from {{ ref('stg_kentaikyo') }} as reports
    inner join public_sites
        on reports.site_id = public_sites.site_id
    group by reports.site_id, reports.year_month, reports.business_id, reports.worker_key

),

joined as (

    select
        coalesce(work_days.site_id, reports.site_id) as site_id,
        coalesce(work_days.month, reports.month) as month,
        coalesce(work_days.business_id, reports.business_id) as business_id,
        coalesce(work_days.worker_key, reports.worker_key) as worker_key,
        coalesce(work_days.work_history_days, 0) as work_history_days,
        coalesce(work_days.days_due, 0) as days_due,
        coalesce(work_days.amount_due_yen, 0) as amount_due_yen,
        coalesce(reports.report_rows, 0) as report_rows,
        coalesce(reports.days_reported, 0) as days_reported,
        coalesce(reports.amount_reported_yen, 0) as amount_reported_yen,
        coalesce(reports.electronic_report_rows, 0) as electronic_report_rows,
        coalesce(reports.stamp_report_rows, 0) as stamp_report_rows,
        coalesce(reports.electronic_days_reported, 0) as electronic_days_reported,
        coalesce(reports.stamp_days_reported, 0) as stamp_days_reported
    from work_days
    full outer join reports
        on work_days.site_id = reports.site_id
        and work_days.month = reports.month
        and work_days.business_id = reports.business_id
        and work_days.worker_key = reports.worker_key

),

exceptions as (

    select site_id, business_ref, stamp_exception
    from {{ ref('stg_site_contracts') }}

)

select
    joined.site_id,
    joined.month,
    joined.business_id,
    joined.worker_key,
    cast(joined.work_history_days as {{ dbt.type_bigint() }}) as work_history_days,
    cast(joined.days_due as {{ dbt.type_bigint() }}) as days_due,
    cast(joined.amount_due_yen as {{ dbt.type_bigint() }}) as amount_due_yen,
    cast(joined.report_rows as {{ dbt.type_bigint() }}) as report_rows,
    cast(joined.days_reported as {{ dbt.type_bigint() }}) as days_reported,
    cast(joined.amount_reported_yen as {{ dbt.type_bigint() }}) as amount_reported_yen,
    cast(joined.electronic_report_rows as {{ dbt.type_bigint() }}) as electronic_report_rows,
    cast(joined.stamp_report_rows as {{ dbt.type_bigint() }}) as stamp_report_rows,
    cast(joined.electronic_days_reported as {{ dbt.type_bigint() }}) as electronic_days_reported,
    cast(joined.stamp_days_reported as {{ dbt.type_bigint() }}) as stamp_days_reported,
    coalesce(exceptions.stamp_exception, false) as has_stamp_exception
from joined
left join exceptions
    on joined.site_id = exceptions.site_id
    and joined.business_id = exceptions.business_ref

-- 建退共 per public-works site, month and business (metrics.md §4, "per-business detail is a
-- separate mart"), one row per (site_id, month, business_id). The business of a due day is the
-- employer recorded on the work-history day; the business of a report is the reporting business.
-- Coverage and shortfall per worker first (site, month, business, worker), then summed, as in
-- kentaikyo_site_monthly. is_stamp_method_outside_exception: the business reports by stamp on an
-- electronic site without a stamp_exception.

with worker_months as (

    select * from {{ ref('int_kentaikyo_worker_monthly') }}

),

sites as (

    select site_id, kentaikyo_method, prime_business_id from {{ ref('stg_sites') }}

),

worker_figures as (

    select
        worker_months.*,
        {{ kentaikyo_worker_measures() }},
        {{ kentaikyo_over_reported_days() }}
    from worker_months

),

business_figures as (

    select
        site_id,
        month,
        business_id,
        max(case when has_stamp_exception then 1 else 0 end) = 1 as has_stamp_exception,
        count(distinct case when days_due > 0 then worker_key end) as workers_due,
        sum(work_history_days) as work_history_days,
        {{ kentaikyo_sums() }},
        sum(report_rows) as report_rows,
        sum(electronic_days_reported) as electronic_days_reported,
        sum(stamp_days_reported) as stamp_days_reported,
        sum(stamp_report_rows) as stamp_report_rows,
        sum(case when over_reported_days > 0 then 1 else 0 end) as over_reported_workers,
        sum(over_reported_days) as over_reported_days
    from worker_figures
    group by site_id, month, business_id

)

select
    business_figures.site_id,
    business_figures.month,
    business_figures.business_id,
    business_figures.business_id = sites.prime_business_id as is_prime,
    business_figures.has_stamp_exception,
    sites.kentaikyo_method,
    cast(business_figures.workers_due as {{ dbt.type_bigint() }}) as workers_due,
    cast(business_figures.work_history_days as {{ dbt.type_bigint() }}) as work_history_days,
    {{ kentaikyo_amount_columns('business_figures') }},
    cast(business_figures.report_rows as {{ dbt.type_bigint() }}) as report_rows,
    cast(business_figures.electronic_days_reported as {{ dbt.type_bigint() }}) as electronic_days_reported,
    cast(business_figures.stamp_days_reported as {{ dbt.type_bigint() }}) as stamp_days_reported,
    (sites.kentaikyo_method = 'electronic' and business_figures.stamp_report_rows > 0
     and not business_figures.has_stamp_exception) as is_stamp_method_outside_exception,
    cast(business_figures.over_reported_workers as {{ dbt.type_bigint() }}) as over_reported_workers,
    cast(business_figures.over_reported_days as {{ dbt.type_bigint() }}) as over_reported_days
from business_figures
left join sites
    on business_figures.site_id = sites.site_id

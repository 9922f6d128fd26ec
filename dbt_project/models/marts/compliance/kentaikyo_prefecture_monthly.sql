-- 建退共 per prefecture (of the public-works site) and month: the figures of
-- kentaikyo_site_monthly summed over the prefecture's sites (coverage and shortfall per site,
-- month and worker first, as there), with the distinct workers and businesses behind each cell
-- (what the ministry page needs to suppress small cells).

with worker_months as (

    select * from {{ ref('int_kentaikyo_worker_monthly') }}

),

sites as (

    select site_id, prefecture_code from {{ ref('stg_sites') }}

),

site_months as (

    select * from {{ ref('kentaikyo_site_monthly') }}

),

per_worker as (

    select
        site_id,
        month,
        worker_key,
        sum(days_due) as days_due,
        sum(amount_due_yen) as amount_due_yen,
        sum(days_reported) as days_reported,
        sum(amount_reported_yen) as amount_reported_yen
    from worker_months
    group by site_id, month, worker_key

),

worker_figures as (

    select
        sites.prefecture_code,
        per_worker.month,
        per_worker.worker_key,
        per_worker.days_due,
        per_worker.amount_due_yen,
        per_worker.days_reported,
        per_worker.amount_reported_yen,
        case when per_worker.days_reported < per_worker.days_due
             then per_worker.days_reported else per_worker.days_due end as covered_days,
        case when per_worker.amount_due_yen > per_worker.amount_reported_yen
             then per_worker.amount_due_yen - per_worker.amount_reported_yen else 0 end as shortfall_yen
    from per_worker
    left join sites
        on per_worker.site_id = sites.site_id

),

short_workers as (

    -- (site, month, worker) with a shortfall: whose businesses stand behind the shortfall cell
    select site_id, month, worker_key
    from per_worker
    where amount_due_yen > amount_reported_yen

),

businesses as (

    select
        sites.prefecture_code,
        worker_months.month,
        count(distinct worker_months.business_id) as businesses,
        count(distinct case when worker_months.days_due > 0 then worker_months.business_id end) as businesses_due,
        count(distinct case when short_workers.worker_key is not null then worker_months.business_id end)
            as businesses_short
    from worker_months
    left join sites
        on worker_months.site_id = sites.site_id
    left join short_workers
        on worker_months.site_id = short_workers.site_id
        and worker_months.month = short_workers.month
        and worker_months.worker_key = short_workers.worker_key
    group by sites.prefecture_code, worker_months.month

),

flags as (

    select
        prefecture_code,
        month,
        count(*) as sites,
        sum(case when is_mixed_method then 1 else 0 end) as mixed_method_sites,
        sum(case when is_electronic_without_reports then 1 else 0 end) as electronic_sites_without_reports,
        sum(case when has_over_reporting then 1 else 0 end) as over_reporting_sites
    from site_months
    group by prefecture_code, month

),

figures as (

    select
        prefecture_code,
        month,
        count(distinct worker_key) as workers,
        count(distinct case when days_due > 0 then worker_key end) as workers_due,
        count(distinct case when shortfall_yen > 0 then worker_key end) as workers_short,
        sum(days_due) as days_due,
        sum(amount_due_yen) as amount_due_yen,
        sum(days_reported) as days_reported,
        sum(amount_reported_yen) as amount_reported_yen,
        sum(covered_days) as covered_days,
        sum(shortfall_yen) as shortfall_yen
    from worker_figures
    group by prefecture_code, month

)

select
    figures.prefecture_code,
    figures.month,
    cast(flags.sites as {{ dbt.type_bigint() }}) as sites,
    cast(figures.workers as {{ dbt.type_bigint() }}) as workers,
    cast(businesses.businesses as {{ dbt.type_bigint() }}) as businesses,
    cast(figures.workers_due as {{ dbt.type_bigint() }}) as workers_due,
    cast(businesses.businesses_due as {{ dbt.type_bigint() }}) as businesses_due,
    cast(figures.workers_short as {{ dbt.type_bigint() }}) as workers_short,
    cast(businesses.businesses_short as {{ dbt.type_bigint() }}) as businesses_short,
    cast(figures.days_due as {{ dbt.type_bigint() }}) as days_due,
    cast(figures.amount_due_yen as {{ dbt.type_bigint() }}) as amount_due_yen,
    cast(figures.days_reported as {{ dbt.type_bigint() }}) as days_reported,
    cast(figures.amount_reported_yen as {{ dbt.type_bigint() }}) as amount_reported_yen,
    cast(figures.covered_days as {{ dbt.type_bigint() }}) as covered_days,
    case when figures.days_due > 0 then cast(figures.covered_days as double) / figures.days_due end as coverage,
    cast(figures.shortfall_yen as {{ dbt.type_bigint() }}) as shortfall_yen,
    cast(flags.mixed_method_sites as {{ dbt.type_bigint() }}) as mixed_method_sites,
    cast(flags.electronic_sites_without_reports as {{ dbt.type_bigint() }}) as electronic_sites_without_reports,
    cast(flags.over_reporting_sites as {{ dbt.type_bigint() }}) as over_reporting_sites
from figures
inner join flags
    on figures.month = flags.month
    and (figures.prefecture_code = flags.prefecture_code
         or (figures.prefecture_code is null and flags.prefecture_code is null))
inner join businesses
    on figures.month = businesses.month
    and (figures.prefecture_code = businesses.prefecture_code
         or (figures.prefecture_code is null and businesses.prefecture_code is null))

-- 4週8休 per site (metrics.md §7), one row per site with at least one observed day of its period
-- (site_closure_monthly summed). The period runs from start_on to end_on, cut at the data's
-- last date and not before the month the platform's data begins (period_start, period_end;
-- is_period_complete when end_on is on or before the data's last date).
--   closure_rate = closed_days / counted_days (excluded periods leave both)
--   meets_4w8c_whole_period  closure_rate at or above the seed threshold (28.5 %)
--   meets_4w8c_monthly       every calendar month of the period with counted days meets it
--                            (site_closure_monthly)
--   meets_declared_type      against the site's two_days_off_type: whole_period -> the whole-
--                            period test, monthly -> the monthly test, none -> NULL
-- Per orderer type: site_closure_by_orderer.

with months as (

    select * from {{ ref('site_closure_monthly') }}

),

sites as (

    select * from {{ ref('stg_sites') }}

),

dates as (

    select as_of_date from {{ ref('int_compliance_dates') }}

),

threshold as (

    select limit_value from {{ ref('worktime_rules') }}
    where rule = 'four_weeks_eight_closures'

),

totals as (

    select
        site_id,
        min(first_day) as period_start,
        max(last_day) as period_end,
        sum(calendar_days) as calendar_days,
        sum(excluded_days) as excluded_days,
        sum(counted_days) as counted_days,
        sum(closed_days) as closed_days
    from months
    group by site_id

),

monthly_tests as (

    select
        site_id,
        sum(case when meets_4w8c is not null then 1 else 0 end) as months_counted,
        sum(case when meets_4w8c then 1 else 0 end) as months_meeting
    from months
    group by site_id

),

rates as (

    select
        totals.*,
        case when totals.counted_days > 0
             then cast(totals.closed_days as double) / totals.counted_days end as closure_rate,
        case when totals.counted_days > 0
             then {{ at_or_above('cast(totals.closed_days as double) / totals.counted_days', 'threshold.limit_value') }}
        end as meets_4w8c_whole_period,
        monthly_tests.months_counted,
        monthly_tests.months_meeting,
        case when monthly_tests.months_counted > 0
             then monthly_tests.months_meeting = monthly_tests.months_counted end as meets_4w8c_monthly,
        threshold.limit_value as threshold
    from totals
    cross join threshold
    left join monthly_tests
        on totals.site_id = monthly_tests.site_id

)

select
    rates.site_id,
    sites.site_name,
    sites.prefecture_code,
    sites.orderer_type,
    sites.is_public_works,
    sites.model_project_type,
    sites.prime_business_id,
    sites.two_days_off_type,
    sites.kentaikyo_method,
    sites.start_on,
    sites.end_on,
    rates.period_start,
    rates.period_end,
    dates.as_of_date,
    sites.end_on <= dates.as_of_date as is_period_complete,
    cast(rates.calendar_days as {{ dbt.type_bigint() }}) as calendar_days,
    cast(rates.excluded_days as {{ dbt.type_bigint() }}) as excluded_days,
    cast(rates.counted_days as {{ dbt.type_bigint() }}) as counted_days,
    cast(rates.closed_days as {{ dbt.type_bigint() }}) as closed_days,
    rates.closure_rate,
    rates.threshold,
    rates.meets_4w8c_whole_period,
    cast(coalesce(rates.months_counted, 0) as {{ dbt.type_bigint() }}) as months_counted,
    cast(coalesce(rates.months_meeting, 0) as {{ dbt.type_bigint() }}) as months_meeting,
    rates.meets_4w8c_monthly,
    case sites.two_days_off_type
        when 'whole_period' then rates.meets_4w8c_whole_period
        when 'monthly' then rates.meets_4w8c_monthly
    end as meets_declared_type
from rates
inner join sites
    on rates.site_id = sites.site_id
cross join dates

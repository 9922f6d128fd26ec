-- CCUS model-project rates at each measurement date (metrics.md §6), one row per
-- (site_id, measured_on), cumulative from the site's start to the date, with numerators and
-- denominators:
--   business_registration_rate = registered_businesses / businesses: distinct business_refs of
--       the construction system (stg_site_contracts, the prime's tier-0 row included) joined on or
--       before the date, registered = is_ccus_registered (an 'L…' ref is an unregistered one)
--   worker_registration_rate = registered_persons / persons: distinct roster persons up to the
--       date, registered = is_ccus_registered (a 'P…' ref is an unregistered one)
--   card_touch_rate = touched_person_days / roster_person_days: roster person-days up to the date
--       with a work-history day of the same worker, site and date / all roster person-days
--   untouched_person_days = roster person-days without a work-history day (in the denominator);
--   unrostered_work_history_days = work-history days up to the date without a roster row: a
--       data-quality count, outside the rate.
-- A rate whose denominator is 0 is NULL.

with measurement_dates as (

    select * from {{ ref('int_model_project_measurement_dates') }}

),

contracts as (

    select site_id, business_ref, is_ccus_registered, joined_on
    from {{ ref('stg_site_contracts') }}

),

-- only the model-project sites' rows (a few percent of all sites): every count below is of a
-- site with measurement dates, so the rest of the roster history need not be grouped
measured_sites as (

    select distinct site_id from measurement_dates

),

person_days as (

    select roster_person_days.*
    from {{ ref('int_roster_person_days') }} as roster_person_days
    inner join measured_sites
        on roster_person_days.site_id = measured_sites.site_id

),

persons as (

    select
        site_id,
        person_key,
        min(work_date) as first_work_date,
        max(case when is_ccus_registered then 1 else 0 end) = 1 as is_ccus_registered
    from person_days
    group by site_id, person_key

),

roster_daily as (

    select
        site_id,
        work_date,
        count(*) as roster_person_days,
        sum(case when has_work_history_day then 1 else 0 end) as touched_person_days
    from person_days
    group by site_id, work_date

),

unrostered_daily as (

    select
        unrostered.site_id,
        unrostered.work_date,
        count(*) as unrostered_work_history_days
    from {{ ref('int_unrostered_work_history_days') }} as unrostered
    inner join measured_sites
        on unrostered.site_id = measured_sites.site_id
    group by unrostered.site_id, unrostered.work_date

),

business_counts as (

    select
        measurement_dates.site_id,
        measurement_dates.measured_on,
        count(distinct contracts.business_ref) as businesses,
        count(distinct case when contracts.is_ccus_registered then contracts.business_ref end)
            as registered_businesses
    from measurement_dates
    inner join contracts
        on measurement_dates.site_id = contracts.site_id
        and contracts.joined_on <= measurement_dates.measured_on
    group by measurement_dates.site_id, measurement_dates.measured_on

),

person_counts as (

    select
        measurement_dates.site_id,
        measurement_dates.measured_on,
        count(*) as persons,
        sum(case when persons.is_ccus_registered then 1 else 0 end) as registered_persons
    from measurement_dates
    inner join persons
        on measurement_dates.site_id = persons.site_id
        and persons.first_work_date <= measurement_dates.measured_on
    group by measurement_dates.site_id, measurement_dates.measured_on

),

person_day_counts as (

    select
        measurement_dates.site_id,
        measurement_dates.measured_on,
        sum(roster_daily.roster_person_days) as roster_person_days,
        sum(roster_daily.touched_person_days) as touched_person_days
    from measurement_dates
    inner join roster_daily
        on measurement_dates.site_id = roster_daily.site_id
        and roster_daily.work_date <= measurement_dates.measured_on
    group by measurement_dates.site_id, measurement_dates.measured_on

),

unrostered_counts as (

    select
        measurement_dates.site_id,
        measurement_dates.measured_on,
        sum(unrostered_daily.unrostered_work_history_days) as unrostered_work_history_days
    from measurement_dates
    inner join unrostered_daily
        on measurement_dates.site_id = unrostered_daily.site_id
        and unrostered_daily.work_date <= measurement_dates.measured_on
    group by measurement_dates.site_id, measurement_dates.measured_on

),

counts as (

    select
        measurement_dates.site_id,
        measurement_dates.measured_on,
        measurement_dates.measurement_number,
        measurement_dates.measurement_kind,
        measurement_dates.model_project_type,
        measurement_dates.start_on,
        measurement_dates.end_on,
        coalesce(business_counts.registered_businesses, 0) as registered_businesses,
        coalesce(business_counts.businesses, 0) as businesses,
        coalesce(person_counts.registered_persons, 0) as registered_persons,
        coalesce(person_counts.persons, 0) as persons,
        coalesce(person_day_counts.touched_person_days, 0) as touched_person_days,
        coalesce(person_day_counts.roster_person_days, 0) as roster_person_days,
        coalesce(unrostered_counts.unrostered_work_history_days, 0) as unrostered_work_history_days
    from measurement_dates
    left join business_counts
        on measurement_dates.site_id = business_counts.site_id
        and measurement_dates.measured_on = business_counts.measured_on
    left join person_counts
        on measurement_dates.site_id = person_counts.site_id
        and measurement_dates.measured_on = person_counts.measured_on
    left join person_day_counts
        on measurement_dates.site_id = person_day_counts.site_id
        and measurement_dates.measured_on = person_day_counts.measured_on
    left join unrostered_counts
        on measurement_dates.site_id = unrostered_counts.site_id
        and measurement_dates.measured_on = unrostered_counts.measured_on

)

select
    site_id,
    measured_on,
    measurement_number,
    measurement_kind,
    model_project_type,
    start_on,
    end_on,
    case when businesses > 0
         then cast(registered_businesses as double) / businesses end
        as business_registration_rate,
    case when persons > 0
         then cast(registered_persons as double) / persons end
        as worker_registration_rate,
    case when roster_person_days > 0
         then cast(touched_person_days as double) / roster_person_days end
        as card_touch_rate,
    cast(registered_businesses as {{ dbt.type_bigint() }}) as registered_businesses,
    cast(businesses as {{ dbt.type_bigint() }}) as businesses,
    cast(registered_persons as {{ dbt.type_bigint() }}) as registered_persons,
    cast(persons as {{ dbt.type_bigint() }}) as persons,
    cast(touched_person_days as {{ dbt.type_bigint() }}) as touched_person_days,
    cast(roster_person_days as {{ dbt.type_bigint() }}) as roster_person_days,
    cast(roster_person_days - touched_person_days as {{ dbt.type_bigint() }}) as untouched_person_days,
    cast(unrostered_work_history_days as {{ dbt.type_bigint() }}) as unrostered_work_history_days
from counts

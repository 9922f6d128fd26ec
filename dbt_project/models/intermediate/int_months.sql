-- The month spine of the adoption marts: from the month of the earliest registered_on
-- (businesses, workers, sites) to the latest month of any work_date or registered_on.
-- Empty when nothing is registered yet.

with registrations as (

    select registered_on from {{ ref('stg_businesses') }}
    union all
    select registered_on from {{ ref('stg_workers') }}
    union all
    select registered_on from {{ ref('stg_sites') }}

),

registration_bounds as (

    select
        min(registered_on) as first_registered_on,
        max(registered_on) as last_registered_on
    from registrations

),

activity_bounds as (

    select max(work_date) as last_work_date
    from {{ ref('int_work_history_days') }}

),

bounds as (

    select
        {{ month_start('first_registered_on') }} as first_month,
        {{ month_start(
            'case when last_work_date > last_registered_on
                  then last_work_date else last_registered_on end') }} as last_month
    from registration_bounds
    cross join activity_bounds

),

-- 2400 months = 200 years: far more than any registry holds.
month_numbers as (

    {{ dbt.generate_series(2400) }}

),

months as (

    select {{ add_months('bounds.first_month', 'month_numbers.generated_number - 1') }} as month
    from bounds
    cross join month_numbers
    where bounds.first_month is not null

)

select
    months.month,
    {{ month_end('months.month') }} as month_end,
    -- active_workers look at the 30 days up to and including the month end
    {{ add_days(month_end('months.month'), -29) }} as active_window_start,
    {{ fiscal_year_start('months.month') }} as fiscal_year_start
from months
cross join bounds
where months.month <= bounds.last_month

-- One row per calendar day from observed_from to as_of_date (int_compliance_dates):
-- Sundays (from the date itself), national holidays (stg_jp_holidays, from the `holidays`
-- library), rest days (either: work on them is holiday work), and the days excluded from the
-- 4週8休 closure rate (seed closure_excluded_days).

with dates as (

    select * from {{ ref('int_compliance_dates') }}

),

-- 50,000 days = 136 years: more than the platform's history.
day_numbers as (

    {{ dbt.generate_series(50000) }}

),

days as (

    select {{ add_days('dates.observed_from', 'day_numbers.generated_number - 1') }} as calendar_date
    from dates
    cross join day_numbers
    where day_numbers.generated_number - 1
        <= {{ days_between('dates.observed_from', 'dates.as_of_date') }}

),

holidays as (

    select holiday_date, name_ja, name_en from {{ ref('stg_jp_holidays') }}

),

exclusions as (

    select * from {{ ref('closure_excluded_days') }}

),

excluded_days as (

    select distinct days.calendar_date
    from days
    inner join exclusions
        on {{ month_of_year('days.calendar_date') }} = exclusions.month_of_year
        and {{ day_of_month('days.calendar_date') }} >= exclusions.first_day
        and {{ day_of_month('days.calendar_date') }} <= exclusions.last_day

)

select
    days.calendar_date,
    {{ month_start('days.calendar_date') }} as month,
    {{ fiscal_year_start('days.calendar_date') }} as fiscal_year_start,
    {{ is_sunday('days.calendar_date') }} as is_sunday,
    holidays.holiday_date is not null as is_national_holiday,
    holidays.name_ja as holiday_name_ja,
    holidays.name_en as holiday_name_en,
    ({{ is_sunday('days.calendar_date') }} or holidays.holiday_date is not null) as is_rest_day,
    excluded_days.calendar_date is not null as is_closure_excluded
from days
left join holidays
    on days.calendar_date = holidays.holiday_date
left join excluded_days
    on days.calendar_date = excluded_days.calendar_date

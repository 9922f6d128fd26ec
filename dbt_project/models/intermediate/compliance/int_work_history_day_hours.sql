-- Hours of every work-history day (metrics.md §7), one row per (worker_key, site_id, work_date):
--   on_site_seconds = exited_at - entered_at (earliest entry, latest exit of the day);
--                     NULL when no exit was recorded: the hours are unknown, not zero.
--   break_seconds   = ONE break (seed worktime_breaks): the largest break whose threshold the
--                     time on site is strictly over (1 h over 8 h, else 45 min over 6 h, else
--                     none — never both).
--   work_seconds    = on_site_seconds - break_seconds.
--   is_holiday_work = the work date is a Sunday or a national holiday (stg_jp_holidays).
-- Seconds are whole (timestamps carry no fractions), so every later comparison is exact.
-- Incremental by work date like int_work_history_days, whose rows it maps one to one
-- (macros/incremental.sql): a changed seed or holiday list needs a --full-refresh.

{{ config(**work_date_config(['attendance'])) }}

with days as (

    select * from {{ ref('int_work_history_days') }}
    {% if is_incremental() -%}
    where work_date in (select work_date from {{ changed_dates_relation() }})
    {%- endif %}

),

breaks as (

    select * from {{ ref('worktime_breaks') }}

),

holidays as (

    select holiday_date from {{ ref('stg_jp_holidays') }}

),

timed as (

    select
        days.worker_key,
        days.site_id,
        days.work_date,
        days.work_month,
        days.employer_business_id,
        days.entered_at,
        days.exited_at,
        days.exited_at is not null as has_exit,
        days._committed_at,
        case
            when days.exited_at is not null
                then {{ seconds_between('days.entered_at', 'days.exited_at') }}
        end as on_site_seconds
    from days

),

day_breaks as (

    select
        timed.worker_key,
        timed.site_id,
        timed.work_date,
        max(breaks.break_minutes) as break_minutes
    from timed
    inner join breaks
        on timed.on_site_seconds > breaks.on_site_hours_over * 3600
    group by timed.worker_key, timed.site_id, timed.work_date

)

select
    timed.worker_key,
    timed.site_id,
    timed.work_date,
    timed.work_month,
    timed.employer_business_id,
    timed.entered_at,
    timed.exited_at,
    timed.has_exit,
    cast(timed.on_site_seconds as {{ dbt.type_bigint() }}) as on_site_seconds,
    cast(case when timed.has_exit then coalesce(day_breaks.break_minutes, 0) * 60 end
         as {{ dbt.type_bigint() }}) as break_seconds,
    cast(case when timed.has_exit
              then timed.on_site_seconds - coalesce(day_breaks.break_minutes, 0) * 60 end
         as {{ dbt.type_bigint() }}) as work_seconds,
    {{ is_sunday('timed.work_date') }} as is_sunday,
    holidays.holiday_date is not null as is_national_holiday,
    ({{ is_sunday('timed.work_date') }} or holidays.holiday_date is not null) as is_holiday_work,
    timed._committed_at
from timed
left join day_breaks
    on timed.worker_key = day_breaks.worker_key
    and timed.site_id = day_breaks.site_id
    and timed.work_date = day_breaks.work_date
left join holidays
    on timed.work_date = holidays.holiday_date

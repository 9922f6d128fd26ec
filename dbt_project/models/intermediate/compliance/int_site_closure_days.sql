-- 4週8休 (metrics.md §7): one row per site and calendar day of the site's period, from start_on
-- to end_on, observed days only: not after the data's last date (int_compliance_dates.as_of_date:
-- later days cannot be observed yet) and not before the month the platform's rosters and work
-- history begin (observed_from, through int_compliance_calendar). A day is CLOSED when the site has neither a work-history day nor a
-- roster row on it; it is COUNTED unless it falls in an excluded period (seed
-- closure_excluded_days: 29 Dec - 3 Jan, 13-15 Aug), which leaves both numerator and
-- denominator. The open days come from int_site_activity_days, incremental by work date, so the
-- day's build no longer scans every work-history day and roster row of all history.

with sites as (

    select site_id, start_on, end_on from {{ ref('stg_sites') }}
    where start_on is not null and end_on is not null

),

dates as (

    select as_of_date from {{ ref('int_compliance_dates') }}

),

calendar as (

    select calendar_date, month, is_closure_excluded from {{ ref('int_compliance_calendar') }}

),

activity_days as (

    select site_id, work_date, has_work_history_day, has_roster_row
    from {{ ref('int_site_activity_days') }}

),

site_days as (

    select
        sites.site_id,
        calendar.calendar_date,
        calendar.month,
        calendar.is_closure_excluded
    from sites
    cross join dates
    inner join calendar
        on calendar.calendar_date >= sites.start_on
        and calendar.calendar_date <= sites.end_on
        and calendar.calendar_date <= dates.as_of_date

)

select
    site_days.site_id,
    site_days.calendar_date,
    site_days.month,
    site_days.is_closure_excluded,
    coalesce(activity_days.has_work_history_day, false) as has_work_history_day,
    coalesce(activity_days.has_roster_row, false) as has_roster_row,
    activity_days.site_id is null as is_closed,
    not site_days.is_closure_excluded as is_counted
from site_days
left join activity_days
    on site_days.site_id = activity_days.site_id
    and site_days.calendar_date = activity_days.work_date

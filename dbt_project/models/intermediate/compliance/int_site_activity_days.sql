-- The days a site was open (4週8休, metrics.md §7): one row per (site_id, work_date) with a
-- work-history day of some worker or a roster row of some person at the site on that date.
-- int_site_closure_days marks every other day of the site's period as closed.
-- Incremental by work date (macros/incremental.sql): a date's rows are one group of the date's
-- work-history days and roster rows, so a build recomputes exactly the changed dates of both
-- feeds; _committed_at is the latest commit time of either, the model's watermark.

{{ config(**work_date_config(['rosters', 'attendance'])) }}

with work_days as (

    select
        site_id,
        work_date,
        max(_committed_at) as _committed_at
    from {{ ref('int_work_history_days') }}
    {% if is_incremental() -%}
    where work_date in (select work_date from {{ changed_dates_relation() }})
    {%- endif %}
    group by site_id, work_date

),

roster_days as (

    select
        site_id,
        work_date,
        max(_committed_at) as _committed_at
    from {{ ref('stg_rosters') }}
    {% if is_incremental() -%}
    where work_date in (select work_date from {{ changed_dates_relation() }})
    {%- endif %}
    group by site_id, work_date

),

site_days as (

    select
        coalesce(work_days.site_id, roster_days.site_id) as site_id,
        coalesce(work_days.work_date, roster_days.work_date) as work_date,
        work_days.site_id is not null as has_work_history_day,
        roster_days.site_id is not null as has_roster_row,
        -- the later of the two; greatest() skips a NULL (a date with only one of the feeds)
        greatest(work_days._committed_at, roster_days._committed_at) as _committed_at
    from work_days
    full outer join roster_days
        on work_days.site_id = roster_days.site_id
        and work_days.work_date = roster_days.work_date

)

select
    site_id,
    work_date,
    {{ month_start('work_date') }} as work_month,
    has_work_history_day,
    has_roster_row,
    _committed_at
from site_days

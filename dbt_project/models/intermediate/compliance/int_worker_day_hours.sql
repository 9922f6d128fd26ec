-- A worker's hours per calendar date across all sites (metrics.md §7), one row per
-- (worker_key, work_date):
--   work_seconds          Σ work seconds of the date's work-history days with an exit
--                         (the days without one are counted in unknown_hours_site_days);
--   overtime_seconds      max(0, work_seconds - the statutory day (seed worktime_rules,
--                         daily_regular_hours)) on a working day; 0 on a rest day;
--   holiday_work_seconds  all work_seconds on a Sunday or national holiday (holiday work is not
--                         overtime as well: the two are added up by the caps, never counted
--                         twice).
-- Interpretation: the 8-hour day is the worker's, across sites (労働基準法 38条), so hours of two
-- sites on one date are added before the overtime is taken; with one site a day this is
-- exactly "max(0, work hours - 8)" of the work-history day.
-- Incremental by work date (macros/incremental.sql): a date's rows are one group of
-- int_work_history_day_hours' rows of that date.

{{ config(**work_date_config(['attendance'])) }}

with day_hours as (

    select * from {{ ref('int_work_history_day_hours') }}
    {% if is_incremental() -%}
    where work_date in (select work_date from {{ changed_dates_relation() }})
    {%- endif %}

),

rules as (

    select limit_value * 3600 as regular_seconds
    from {{ ref('worktime_rules') }}
    where rule = 'daily_regular_hours'

),

per_date as (

    select
        worker_key,
        work_date,
        work_month,
        max(case when is_holiday_work then 1 else 0 end) = 1 as is_holiday_work,
        count(*) as site_days,
        sum(case when has_exit then 0 else 1 end) as unknown_hours_site_days,
        coalesce(sum(work_seconds), 0) as work_seconds,
        max(_committed_at) as _committed_at
    from day_hours
    group by worker_key, work_date, work_month

)

select
    per_date.worker_key,
    per_date.work_date,
    per_date.work_month,
    {{ fiscal_year_start('per_date.work_date') }} as fiscal_year_start,
    per_date.is_holiday_work,
    cast(per_date.site_days as {{ dbt.type_bigint() }}) as site_days,
    cast(per_date.unknown_hours_site_days as {{ dbt.type_bigint() }}) as unknown_hours_site_days,
    cast(per_date.work_seconds as {{ dbt.type_bigint() }}) as work_seconds,
    cast(case
        when per_date.is_holiday_work then 0
        when per_date.work_seconds > rules.regular_seconds
            then per_date.work_seconds - rules.regular_seconds
        else 0
    end as {{ dbt.type_bigint() }}) as overtime_seconds,
    cast(case when per_date.is_holiday_work then per_date.work_seconds else 0 end
         as {{ dbt.type_bigint() }}) as holiday_work_seconds,
    per_date._committed_at
from per_date
cross join rules

-- Violations of the working-time caps per worker and month (metrics.md §7), one row per row of
-- int_worker_month_hours. Limits, comparisons, window lengths and the date the caps apply from
-- come from the seed worktime_rules; months before a rule's in_force_from are reported but never
-- flagged, and hours of those months never count towards a flag (a window or a fiscal-year total
-- starts at in_force_from at the earliest).
--   is_over_100h           overtime + holiday work of the month >= 100 h
--   is_over_80h_avg        some window of 2..6 consecutive calendar months ENDING in this month
--                          averages strictly above 80 h of overtime + holiday work (months with
--                          no work-history day count as 0; counted in the window's last month)
--   is_over_45h_7th_month  this month's overtime is above 45 h and it is the 7th such month of
--                          the fiscal year (more than 6 are allowed no more)
--   is_over_720h           the fiscal year's overtime passes 720 h in this month
-- Overtime of these rules excludes holiday work (45 h, 720 h); 100 h and 80 h add both.

with months as (

    select * from {{ ref('int_worker_month_hours') }}

),

rule_rows as (

    select * from {{ ref('worktime_rules') }}

),

rules as (

    select
        max(case when rule = 'monthly_overtime_plus_holiday' then limit_value end) * 3600 as limit_100_seconds,
        max(case when rule = 'monthly_overtime_plus_holiday' then comparison end) as comparison_100,
        max(case when rule = 'monthly_overtime_plus_holiday' then in_force_from end) as in_force_100,
        max(case when rule = 'average_2_to_6_months_overtime_plus_holiday' then limit_value end) * 3600 as limit_avg_seconds,
        max(case when rule = 'average_2_to_6_months_overtime_plus_holiday' then comparison end) as comparison_avg,
        max(case when rule = 'average_2_to_6_months_overtime_plus_holiday' then in_force_from end) as in_force_avg,
        max(case when rule = 'average_2_to_6_months_overtime_plus_holiday' then window_min_months end) as window_min_months,
        max(case when rule = 'average_2_to_6_months_overtime_plus_holiday' then window_max_months end) as window_max_months,
        max(case when rule = 'monthly_overtime_principle' then limit_value end) * 3600 as limit_45_seconds,
        max(case when rule = 'monthly_overtime_principle' then comparison end) as comparison_45,
        max(case when rule = 'monthly_overtime_principle' then in_force_from end) as in_force_45,
        max(case when rule = 'months_above_45_per_fiscal_year' then limit_value end) as max_months_above_45,
        max(case when rule = 'annual_overtime_special' then limit_value end) * 3600 as limit_720_seconds,
        max(case when rule = 'annual_overtime_special' then comparison end) as comparison_720,
        max(case when rule = 'annual_overtime_special' then in_force_from end) as in_force_720
    from rule_rows

),

-- a month is under a rule when the rule has no in_force_from or the month starts on/after it
flagged as (

    select
        months.*,
        (rules.in_force_100 is null or months.month >= rules.in_force_100) as in_force_100,
        (rules.in_force_45 is null or months.month >= rules.in_force_45) as in_force_45,
        (rules.in_force_720 is null or months.month >= rules.in_force_720) as in_force_720,
        case
            when rules.comparison_100 = 'at_or_above'
                then months.overtime_holiday_seconds >= rules.limit_100_seconds
            else months.overtime_holiday_seconds > rules.limit_100_seconds
        end as exceeds_100,
        case
            when rules.comparison_45 = 'at_or_above'
                then months.overtime_seconds >= rules.limit_45_seconds
            else months.overtime_seconds > rules.limit_45_seconds
        end as exceeds_45
    from months
    cross join rules

),

running as (

    select
        flagged.*,
        sum(flagged.overtime_holiday_seconds) over (
            partition by flagged.worker_key order by flagged.month
            rows between unbounded preceding and current row
        ) as cumulative_seconds,
        sum(case when flagged.in_force_45 and flagged.exceeds_45 then 1 else 0 end) over (
            partition by flagged.worker_key, flagged.fiscal_year_start order by flagged.month
            rows between unbounded preceding and current row
        ) as months_above_45_in_fiscal_year,
        sum(case when flagged.in_force_720 then flagged.overtime_seconds else 0 end) over (
            partition by flagged.worker_key, flagged.fiscal_year_start order by flagged.month
            rows between unbounded preceding and current row
        ) as fiscal_year_overtime_seconds
    from flagged

),

window_lengths as (

    select series.generated_number as window_months
    from ({{ dbt.generate_series(24) }}) as series
    cross join rules
    where series.generated_number >= rules.window_min_months
        and series.generated_number <= rules.window_max_months

),

-- every window of the allowed lengths ending in each month, wholly in force; the sum over the
-- window is the running total now minus the running total just before the window (0 before the
-- worker's first month: those months count as zero)
windows as (

    select
        running.worker_key,
        running.month,
        window_lengths.window_months,
        running.cumulative_seconds - coalesce(earlier.cumulative_seconds, 0) as window_seconds
    from running
    cross join window_lengths
    cross join rules
    left join running as earlier
        on earlier.worker_key = running.worker_key
        and earlier.month = {{ add_months('running.month', '0 - window_lengths.window_months') }}
    where rules.in_force_avg is null
        or {{ add_months('running.month', '1 - window_lengths.window_months') }} >= rules.in_force_avg

),

window_flags as (

    select
        windows.worker_key,
        windows.month,
        max(case
            when rules.comparison_avg = 'at_or_above'
                 and windows.window_seconds >= rules.limit_avg_seconds * windows.window_months then 1
            when rules.comparison_avg = 'above'
                 and windows.window_seconds > rules.limit_avg_seconds * windows.window_months then 1
            else 0
        end) = 1 as is_over_80h_avg,
        max(windows.window_seconds / (cast(3600 as double) * windows.window_months)) as max_window_average_hours
    from windows
    cross join rules
    group by windows.worker_key, windows.month

)

select
    running.worker_key,
    running.month,
    running.fiscal_year_start,
    running.has_work_day,
    running.work_days,
    running.site_days,
    running.unknown_hours_site_days,
    -- the exact seconds too: a sum of hours over many workers is a DOUBLE sum whose last digits
    -- depend on the order DuckDB's threads add it up; marts sum the seconds and divide once
    cast(running.work_seconds as {{ dbt.type_bigint() }}) as work_seconds,
    cast(running.overtime_seconds as {{ dbt.type_bigint() }}) as overtime_seconds,
    cast(running.holiday_work_seconds as {{ dbt.type_bigint() }}) as holiday_work_seconds,
    running.work_seconds / cast(3600 as double) as work_hours,
    running.overtime_seconds / cast(3600 as double) as overtime_hours,
    running.holiday_work_seconds / cast(3600 as double) as holiday_work_hours,
    running.overtime_holiday_seconds / cast(3600 as double) as overtime_holiday_hours,
    (running.in_force_100 or running.in_force_45 or running.in_force_720) as is_cap_in_force,
    (running.in_force_100 and running.exceeds_100) as is_over_100h,
    coalesce(window_flags.is_over_80h_avg, false) as is_over_80h_avg,
    window_flags.max_window_average_hours,
    (running.in_force_45 and running.exceeds_45) as is_above_45h,
    cast(running.months_above_45_in_fiscal_year as {{ dbt.type_bigint() }}) as months_above_45h_in_fiscal_year,
    (running.in_force_45 and running.exceeds_45
     and running.months_above_45_in_fiscal_year = rules.max_months_above_45 + 1) as is_over_45h_7th_month,
    running.fiscal_year_overtime_seconds / cast(3600 as double) as fiscal_year_overtime_hours,
    (running.in_force_720
     and case
            when rules.comparison_720 = 'at_or_above'
                then running.fiscal_year_overtime_seconds >= rules.limit_720_seconds
                     and running.fiscal_year_overtime_seconds - running.overtime_seconds < rules.limit_720_seconds
            else running.fiscal_year_overtime_seconds > rules.limit_720_seconds
                 and running.fiscal_year_overtime_seconds - running.overtime_seconds <= rules.limit_720_seconds
         end) as is_over_720h
from running
cross join rules
left join window_flags
    on running.worker_key = window_flags.worker_key
    and running.month = window_flags.month

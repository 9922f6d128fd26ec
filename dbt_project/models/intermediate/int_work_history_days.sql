-- Work-history days (就業履歴日): one row per (worker_key, site_id, work_date) in the
-- deduplicated attendance. A worker may touch several times a day at one site: the day keeps
-- the earliest entry, the latest exit (NULL when no touch recorded an exit) and the number of
-- raw touches. employer, occupation and input method are those of the earliest touch; the role
-- is the highest of the day (foreman > subforeman > general).
-- Incremental by work date like stg_attendance: _committed_at is the latest commit time of the
-- day's touches, so this model's watermark, and the dates it recomputes, follow stg_attendance's.

{{ config(**work_date_config(['attendance'])) }}

with attendance as (

    select * from {{ ref('stg_attendance') }}
    {% if is_incremental() -%}
    where work_date in (select work_date from {{ changed_dates_relation() }})
    {%- endif %}

),

ordered as (

    select
        attendance.*,
        row_number() over (
            partition by worker_key, site_id, work_date
            order by entered_at, received_at, record_id
        ) as touch_order,
        case role
            when 'foreman' then 3
            when 'subforeman' then 2
            when 'general' then 1
        end as role_rank
    from attendance

),

days as (

    select
        worker_key,
        site_id,
        work_date,
        min(entered_at) as entered_at,
        max(exited_at) as exited_at,
        count(*) as touch_count,
        max(role_rank) as role_rank,
        max(_committed_at) as _committed_at
    from ordered
    group by worker_key, site_id, work_date

),

first_touch as (

    select
        worker_key,
        site_id,
        work_date,
        employer_business_id,
        occupation_code,
        input_method
    from ordered
    where touch_order = 1

)

select
    days.worker_key,
    days.site_id,
    days.work_date,
    {{ month_start('days.work_date') }} as work_month,
    days.entered_at,
    days.exited_at,
    cast(days.touch_count as {{ dbt.type_bigint() }}) as touch_count,
    first_touch.employer_business_id,
    first_touch.occupation_code,
    case days.role_rank
        when 3 then 'foreman'
        when 2 then 'subforeman'
        when 1 then 'general'
    end as role,
    first_touch.input_method,
    days._committed_at
from days
inner join first_touch
    on days.worker_key = first_touch.worker_key
    and days.site_id = first_touch.site_id
    and days.work_date = first_touch.work_date

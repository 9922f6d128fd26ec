-- Work-history days (就業履歴日): one row per (worker_key, site_id, work_date) in the
-- deduplicated attendance. A worker may touch several times a day at one site: the day keeps
-- the earliest entry, the latest exit (NULL when no touch recorded an exit) and the number of
-- raw touches. employer, occupation and input method are those of the earliest touch (by
-- entered_at, then received_at, then record_id); the role is the highest of the day
-- (foreman > subforeman > general).
-- Only the days of several touches are ranked to find their earliest touch: a day of one touch
-- (98 % of a national month's) has it as its only row, so the day's group-by carries its
-- employer, occupation and input method. Ranking every touch sorted every row with its columns
-- (229.6 s of the full-adoption month's build). `attendance` is a query, not a CTE, read twice:
-- DuckDB materialises a CTE read twice with every column (see ranked_where_repeated).
-- Incremental by work date like stg_attendance: _committed_at is the latest commit time of the
-- day's touches, so this model's watermark, and the dates it recomputes, follow stg_attendance's.

{{ config(**work_date_config(['attendance'])) }}

{%- set attendance -%}
    (
        select * from {{ ref('stg_attendance') }}
        {% if is_incremental() -%}
        where work_date in (select work_date from {{ changed_dates_relation() }})
        {%- endif %}
    )
{%- endset %}

with days as (

    select
        worker_key,
        site_id,
        work_date,
        min(entered_at) as entered_at,
        max(exited_at) as exited_at,
        count(*) as touch_count,
        max(case role
            when 'foreman' then 3
            when 'subforeman' then 2
            when 'general' then 1
        end) as role_rank,
        max(_committed_at) as _committed_at,
        -- the day's only touch when touch_count = 1; replaced by the earliest touch otherwise
        {{ dbt.any_value('employer_business_id') }} as single_employer_business_id,
        {{ dbt.any_value('occupation_code') }} as single_occupation_code,
        {{ dbt.any_value('input_method') }} as single_input_method
    from {{ attendance }} as attendance
    group by worker_key, site_id, work_date

),

earliest_of_several as (

    select
        touches.worker_key,
        touches.site_id,
        touches.work_date,
        touches.employer_business_id,
        touches.occupation_code,
        touches.input_method,
        row_number() over (
            partition by touches.worker_key, touches.site_id, touches.work_date
            order by touches.entered_at, touches.received_at, touches.record_id
        ) as touch_order
    from {{ attendance }} as touches
    inner join days as several
        on touches.worker_key = several.worker_key
        and touches.site_id = several.site_id
        and touches.work_date = several.work_date
        and several.touch_count > 1

)

select
    days.worker_key,
    days.site_id,
    days.work_date,
    {{ month_start('days.work_date') }} as work_month,
    days.entered_at,
    days.exited_at,
    cast(days.touch_count as {{ dbt.type_bigint() }}) as touch_count,
    case when days.touch_count = 1 then days.single_employer_business_id
        else earliest.employer_business_id end as employer_business_id,
    case when days.touch_count = 1 then days.single_occupation_code
        else earliest.occupation_code end as occupation_code,
    case days.role_rank
        when 3 then 'foreman'
        when 2 then 'subforeman'
        when 1 then 'general'
    end as role,
    case when days.touch_count = 1 then days.single_input_method
        else earliest.input_method end as input_method,
    days._committed_at
from days
left join earliest_of_several as earliest
    on days.worker_key = earliest.worker_key
    and days.site_id = earliest.site_id
    and days.work_date = earliest.work_date
    and earliest.touch_order = 1

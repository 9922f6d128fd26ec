-- 能力評価 inputs per registry worker (metrics.md section 2), current registry state:
--   work_history_days   distinct work dates over all sites (a day on two sites is one day)
--   pre_registration_days = floor(215 x days(experience_start_on -> registered_on) / 365),
--                       experience before registration at 215 work days a year (0 when the
--                       experience starts on or after registration, or is unknown)
--   work_days           = work_history_days + pre_registration_days
--   foreman_days        distinct work dates with role 'foreman' on some site
--   foreman_or_subforeman_days  distinct work dates with role 'foreman' or 'subforeman'
-- The role of a work-history day is the highest of its touches (int_work_history_days).

with workers as (

    select * from {{ ref('stg_workers') }}

),

worker_dates as (

    -- one row per worker and work date: the highest role of the date over all sites
    select
        worker_key,
        work_date,
        max(case role when 'foreman' then 1 else 0 end) as is_foreman,
        max(case when role in ('foreman', 'subforeman') then 1 else 0 end) as is_foreman_or_subforeman
    from {{ ref('int_work_history_days') }}
    group by worker_key, work_date

),

history as (

    select
        worker_key,
        count(*) as work_history_days,
        sum(is_foreman) as foreman_days,
        sum(is_foreman_or_subforeman) as foreman_or_subforeman_days
    from worker_dates
    group by worker_key

),

experience as (

    select
        workers.worker_key,
        case
            when workers.experience_start_on is null then 0
            when workers.experience_start_on >= workers.registered_on then 0
            else cast(floor(
                215 * {{ days_between('workers.experience_start_on', 'workers.registered_on') }} / 365.0
            ) as {{ dbt.type_bigint() }})
        end as pre_registration_days
    from workers

)

select
    workers.worker_key,
    workers.employer_business_id,
    workers.occupation_code,
    workers.registration_type,
    workers.level as current_level,
    workers.registered_on,
    workers.experience_start_on,
    workers.qualifications,
    cast(coalesce(history.work_history_days, 0) as {{ dbt.type_bigint() }}) as work_history_days,
    experience.pre_registration_days,
    cast(coalesce(history.work_history_days, 0) + experience.pre_registration_days
         as {{ dbt.type_bigint() }}) as work_days,
    cast(coalesce(history.foreman_days, 0) as {{ dbt.type_bigint() }}) as foreman_days,
    cast(coalesce(history.foreman_or_subforeman_days, 0) as {{ dbt.type_bigint() }})
        as foreman_or_subforeman_days
from workers
inner join experience
    on workers.worker_key = experience.worker_key
left join history
    on workers.worker_key = history.worker_key

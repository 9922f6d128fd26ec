-- Eligible level per registry worker (metrics.md section 2).
-- A worker is eligible for level L of their occupation's field (occupations.level_field_ja)
-- when every criterion of L in the level_criteria seed holds:
--   work_days >= min_work_days
--   foreman days >= min_foreman_days, counting the roles in foreman_roles
--     ('foreman' -> foreman_days, 'foreman|subforeman' -> foreman_or_subforeman_days)
--   every required qualification held
--   at least one any-of qualification held, when the criterion lists some
-- eligible_level = the highest such L, and 1 when none holds (also for occupations with no
-- field, which have no criteria). A level-up candidate has eligible_level > current_level.

with experience as (

    select * from {{ ref('int_worker_experience') }}

),

occupations as (

    select
        occupation_code,
        nullif(level_field_ja, '') as level_field_ja
    from {{ ref('occupations') }}

),

criteria as (

    select
        field_ja,
        level,
        min_work_days,
        min_foreman_days,
        coalesce(foreman_roles, '') as foreman_roles,
        case when coalesce(required_qualification_codes, '') = '' then {{ empty_string_list() }}
             else {{ split_to_list('required_qualification_codes', ';') }} end as required_qualifications,
        case when coalesce(any_of_qualification_codes, '') = '' then {{ empty_string_list() }}
             else {{ split_to_list('any_of_qualification_codes', ';') }} end as any_of_qualifications
    from {{ ref('level_criteria') }}

),

workers as (

    select
        experience.*,
        occupations.level_field_ja,
        coalesce(experience.qualifications, {{ empty_string_list() }}) as held_qualifications
    from experience
    left join occupations
        on experience.occupation_code = occupations.occupation_code

),

checks as (

    select
        workers.worker_key,
        criteria.level,
        workers.work_days >= criteria.min_work_days as meets_work_days,
        (case criteria.foreman_roles
            when 'foreman|subforeman' then workers.foreman_or_subforeman_days
            else workers.foreman_days
         end) >= criteria.min_foreman_days as meets_foreman_days,
        {{ list_contains_all('workers.held_qualifications', 'criteria.required_qualifications') }}
            as meets_required_qualifications,
        ({{ list_length('criteria.any_of_qualifications') }} = 0
         or {{ list_contains_any('workers.held_qualifications', 'criteria.any_of_qualifications') }})
            as meets_any_of_qualifications
    from workers
    inner join criteria
        on workers.level_field_ja = criteria.field_ja

),

eligible as (

    select
        worker_key,
        max(level) as eligible_level
    from checks
    where meets_work_days
        and meets_foreman_days
        and meets_required_qualifications
        and meets_any_of_qualifications
    group by worker_key

),

field_criteria as (

    select distinct field_ja from criteria

)

select
    workers.worker_key,
    workers.employer_business_id,
    workers.occupation_code,
    workers.level_field_ja,
    field_criteria.field_ja is not null as has_level_criteria,
    workers.registration_type,
    workers.current_level,
    cast(coalesce(eligible.eligible_level, 1) as integer) as eligible_level,
    coalesce(eligible.eligible_level, 1) > workers.current_level as is_level_up_candidate,
    workers.work_history_days,
    workers.pre_registration_days,
    workers.work_days,
    workers.foreman_days,
    workers.foreman_or_subforeman_days
from workers
left join eligible
    on workers.worker_key = eligible.worker_key
left join field_criteria
    on workers.level_field_ja = field_criteria.field_ja

-- Measurement dates of the CCUS model projects (metrics.md §6), one row per (site_id, measured_on).
-- Model projects = public-works sites whose model_project_type is not 'none'. Dates (seed
-- model_project_schedule): start_on + 6 months, then every 3 months (start_on + 9, + 12, ...)
-- while strictly before end_on, and end_on itself. Each date is computed from start_on (a 31st
-- becomes the month's last day where the month is shorter, without drifting later dates).
-- Only dates on or before the data's last date (int_compliance_dates.as_of_date) are kept
-- (later ones cannot be measured yet), and none before the month the platform's rosters and
-- work history begin (observed_from: nothing could be measured there). measurement_number counts
-- every date of the schedule from the first, kept or not.

with sites as (

    select site_id, model_project_type, start_on, end_on
    from {{ ref('stg_sites') }}
    where is_public_works
        and model_project_type <> 'none'
        and start_on is not null
        and end_on is not null

),

schedule as (

    select * from {{ ref('model_project_schedule') }}

),

dates as (

    select as_of_date, observed_from from {{ ref('int_compliance_dates') }}

),

-- 600 steps of 3 months = 150 years
steps as (

    {{ dbt.generate_series(600) }}

),

periodic as (

    select
        sites.site_id,
        {{ add_months('sites.start_on',
                      'schedule.first_after_months + schedule.every_months * (steps.generated_number - 1)') }}
            as measured_on,
        case when steps.generated_number = 1 then 'first' else 'periodic' end as measurement_kind
    from sites
    inner join schedule
        on sites.model_project_type = schedule.model_project_type
    cross join steps

),

candidates as (

    select periodic.site_id, periodic.measured_on, periodic.measurement_kind
    from periodic
    inner join sites
        on periodic.site_id = sites.site_id
    where periodic.measured_on < sites.end_on

    union all

    select sites.site_id, sites.end_on as measured_on, 'end_on' as measurement_kind
    from sites
    inner join schedule
        on sites.model_project_type = schedule.model_project_type
    where schedule.also_on_end_on

),

numbered as (

    select
        candidates.site_id,
        candidates.measured_on,
        candidates.measurement_kind,
        row_number() over (partition by candidates.site_id order by candidates.measured_on)
            as measurement_number
    from candidates

)

select
    numbered.site_id,
    numbered.measured_on,
    numbered.measurement_kind,
    cast(numbered.measurement_number as {{ dbt.type_bigint() }}) as measurement_number,
    sites.model_project_type,
    sites.start_on,
    sites.end_on
from numbered
inner join sites
    on numbered.site_id = sites.site_id
cross join dates
where numbered.measured_on <= dates.as_of_date
    and numbered.measured_on >= dates.observed_from

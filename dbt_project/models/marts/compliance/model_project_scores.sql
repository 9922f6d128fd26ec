-- CCUS model-project points (工事成績評定, metrics.md §6), one row per model project (public-works
-- site with model_project_type other than 'none').
--   avg_*_rate  mean of the rate at the site's measurement dates so far (NULL rates — a zero
--               denominator — are left out of the mean; NULL when nothing is measured yet)
--   points      Σ points of the rules of seed model_project_thresholds that the averages meet:
--               +1 all three averages at or above 90 % / 80 % / 50 %; +1 more when, in
--               addition, the average worker registration rate is at or above 90 %; -1 for
--               mandatory projects when any average is below 70 % / 60 % / 30 %.
--               NULL while the project has no measurement date yet.
-- A NULL average meets no condition (neither "at or above" nor "below"). The thresholds that
-- apply to the site's type are carried beside the averages (target_*, extra_*, minimum_*; the
-- minimums are NULL for recommended projects), so pages draw them from the mart.

with sites as (

    select * from {{ ref('stg_sites') }}
    where is_public_works
        and model_project_type <> 'none'

),

measurements as (

    select * from {{ ref('model_project_measurements') }}

),

thresholds as (

    select * from {{ ref('model_project_thresholds') }}

),

averages as (

    select
        site_id,
        count(*) as measurements,
        max(measured_on) as last_measured_on,
        avg(business_registration_rate) as avg_business_registration_rate,
        avg(worker_registration_rate) as avg_worker_registration_rate,
        avg(card_touch_rate) as avg_card_touch_rate
    from measurements
    group by site_id

),

metric_averages as (

    select site_id, 'business_registration_rate' as metric, avg_business_registration_rate as average
    from averages
    union all
    select site_id, 'worker_registration_rate' as metric, avg_worker_registration_rate as average
    from averages
    union all
    select site_id, 'card_touch_rate' as metric, avg_card_touch_rate as average
    from averages

),

conditions as (

    select
        sites.site_id,
        thresholds.rule,
        thresholds.combine,
        thresholds.requires_rule,
        thresholds.points,
        case
            when metric_averages.average is null then 0
            when thresholds.comparison = 'at_or_above'
                 and {{ at_or_above('metric_averages.average', 'thresholds.threshold') }} then 1
            when thresholds.comparison = 'below'
                 and {{ below('metric_averages.average', 'thresholds.threshold') }} then 1
            else 0
        end as holds
    from sites
    inner join thresholds
        on sites.model_project_type = thresholds.model_project_type
    inner join metric_averages
        on sites.site_id = metric_averages.site_id
        and thresholds.metric = metric_averages.metric

),

rule_conditions as (

    select
        site_id,
        rule,
        max(requires_rule) as requires_rule,
        max(points) as points,
        case
            when max(combine) = 'any' then max(holds)
            else min(holds)
        end = 1 as conditions_hold
    from conditions
    group by site_id, rule

),

rule_results as (

    select
        rule_conditions.site_id,
        rule_conditions.rule,
        rule_conditions.points,
        rule_conditions.conditions_hold
            and (rule_conditions.requires_rule is null or coalesce(required.conditions_hold, false))
            as is_met
    from rule_conditions
    left join rule_conditions as required
        on rule_conditions.site_id = required.site_id
        and rule_conditions.requires_rule = required.rule

),

site_thresholds as (

    select
        model_project_type,
        max(case when rule = 'target_all_three' and metric = 'business_registration_rate' then threshold end)
            as target_business_registration_rate,
        max(case when rule = 'target_all_three' and metric = 'worker_registration_rate' then threshold end)
            as target_worker_registration_rate,
        max(case when rule = 'target_all_three' and metric = 'card_touch_rate' then threshold end)
            as target_card_touch_rate,
        max(case when rule = 'extra_worker_rate' and metric = 'worker_registration_rate' then threshold end)
            as extra_worker_registration_rate,
        max(case when rule = 'below_minimum' and metric = 'business_registration_rate' then threshold end)
            as minimum_business_registration_rate,
        max(case when rule = 'below_minimum' and metric = 'worker_registration_rate' then threshold end)
            as minimum_worker_registration_rate,
        max(case when rule = 'below_minimum' and metric = 'card_touch_rate' then threshold end)
            as minimum_card_touch_rate
    from thresholds
    group by model_project_type

),

site_points as (

    select
        site_id,
        sum(case when is_met then points else 0 end) as points,
        max(case when rule = 'target_all_three' and is_met then 1 else 0 end) = 1 as meets_target_all_three,
        max(case when rule = 'extra_worker_rate' and is_met then 1 else 0 end) = 1 as meets_extra_worker_rate,
        max(case when rule = 'below_minimum' and is_met then 1 else 0 end) = 1 as is_below_minimum
    from rule_results
    group by site_id

)

select
    sites.site_id,
    sites.model_project_type,
    sites.site_name,
    sites.prefecture_code,
    sites.orderer_type,
    sites.prime_business_id,
    sites.start_on,
    sites.end_on,
    cast(coalesce(averages.measurements, 0) as {{ dbt.type_bigint() }}) as measurements,
    averages.last_measured_on,
    averages.avg_business_registration_rate,
    averages.avg_worker_registration_rate,
    averages.avg_card_touch_rate,
    case when averages.measurements > 0 then site_points.meets_target_all_three end as meets_target_all_three,
    case when averages.measurements > 0 then site_points.meets_extra_worker_rate end as meets_extra_worker_rate,
    case when averages.measurements > 0 then site_points.is_below_minimum end as is_below_minimum,
    cast(case when averages.measurements > 0 then coalesce(site_points.points, 0) end as integer) as points,
    site_thresholds.target_business_registration_rate,
    site_thresholds.target_worker_registration_rate,
    site_thresholds.target_card_touch_rate,
    site_thresholds.extra_worker_registration_rate,
    site_thresholds.minimum_business_registration_rate,
    site_thresholds.minimum_worker_registration_rate,
    site_thresholds.minimum_card_touch_rate
from sites
left join averages
    on sites.site_id = averages.site_id
left join site_points
    on sites.site_id = site_points.site_id
left join site_thresholds
    on sites.model_project_type = site_thresholds.model_project_type

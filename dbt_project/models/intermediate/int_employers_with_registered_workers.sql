-- The months at whose end a business employs at least one registered worker, as month segments
-- (macros/adoption_segments.sql): from int_worker_employer_segments, a worker counts for the
-- employer in force at a month end from the month of their registered_on on. Per employer the
-- workers' segments overlap; their +1 / -1 edges are summed per month and the running sum says
-- how many registered workers the business has: a segment starts where it turns positive and
-- ends where it falls back to zero. The adoption breakdowns count these employers per cell
-- ("the businesses behind the registered workers") without a row per worker and cell.

with registered as (

    select
        employer_business_id,
        {{ later_segment_start('valid_from_month', 'registered_month') }} as valid_from_month,
        valid_to_month
    from {{ ref('int_worker_employer_segments') }}
    where employer_business_id is not null
        and registered_month is not null
        and (valid_to_month is null or registered_month < valid_to_month)

),

monthly as (

    select employer_business_id, month, sum(delta) as delta
    from (
        select employer_business_id, valid_from_month as month, 1 as delta
        from registered

        union all

        select employer_business_id, valid_to_month, -1
        from registered
        where valid_to_month is not null
    ) as edges
    group by employer_business_id, month

),

running as (

    select
        monthly.*,
        sum(delta) over (
            partition by employer_business_id order by month
            rows between unbounded preceding and current row
        ) as registered_workers
    from monthly

),

-- the months where "has registered workers" turns on or off; they alternate
changes as (

    select
        employer_business_id,
        month,
        registered_workers > 0 as is_start,
        lead(month) over (partition by employer_business_id order by month) as next_change_month
    from running
    where (registered_workers > 0) <> (registered_workers - delta > 0)

)

select
    employer_business_id as business_id,
    month as valid_from_month,
    next_change_month as valid_to_month
from changes
where is_start

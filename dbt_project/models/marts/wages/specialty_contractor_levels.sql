-- 専門工事業者の見える化 (1/2): registry workers per employer business_id x current level.
-- Counts only. acts_as_prime: the business is the prime (tier 0) of some site; the others are
-- specialty contractors in the strict sense. Per-business cells count one business: an
-- audience sees them only summed over at least 3 businesses (dashboards/privacy.py).

with workers as (

    select * from {{ ref('stg_workers') }}
    where employer_business_id is not null

),

primes as (

    select distinct business_ref as business_id
    from {{ ref('stg_site_contracts') }}
    where tier = 0

)

select
    workers.employer_business_id as business_id,
    workers.level,
    cast(count(*) as {{ dbt.type_bigint() }}) as workers,
    cast(sum(case when workers.registration_type = 'detailed' then 1 else 0 end)
         as {{ dbt.type_bigint() }}) as detailed_registrations,
    cast(sum(case when {{ list_length('coalesce(workers.qualifications, ' ~ empty_string_list() ~ ')') }} > 0 then 1 else 0 end)
         as {{ dbt.type_bigint() }}) as workers_with_qualifications,
    bool_or(primes.business_id is not null) as acts_as_prime
from workers
left join primes
    on workers.employer_business_id = primes.business_id
group by workers.employer_business_id, workers.level

-- 社会保険加入確認 per site and month (metrics.md §5), one row per (site_id, month) with roster
-- rows, over roster person-days: how many were checked through CCUS, through documents, and not
-- checked (shares are derived from these counts), and admitted_uninsured_person_days = person-
-- days admitted while any of the three insurances was not_enrolled or unknown (not exempt): each
-- is a violation of the admission rule. Per prime: insurance_prime_monthly; per orderer type:
-- insurance_orderer_monthly.

with person_days as (

    select * from {{ ref('int_insurance_person_days') }}

)

select
    site_id,
    month,
    max(prefecture_code) as prefecture_code,
    max(orderer_type) as orderer_type,
    max(prime_business_id) as prime_business_id,
    max(case when is_public_works then 1 else 0 end) = 1 as is_public_works,
    cast(count(*) as {{ dbt.type_bigint() }}) as person_days,
    cast(count(distinct person_key) as {{ dbt.type_bigint() }}) as persons,
    cast(count(distinct business_ref) as {{ dbt.type_bigint() }}) as businesses,
    {{ insurance_check_counts() }},
    {{ count_where('not coalesce(admitted, false)') }} as refused_person_days,
    {{ count_where('is_uninsured') }} as uninsured_person_days,
    {{ count_where('is_admitted_uninsured') }} as admitted_uninsured_person_days,
    {{ count_distinct_where('person_key', 'is_admitted_uninsured') }} as admitted_uninsured_persons,
    -- the persons and businesses behind each count (pages that add sites up suppress on them)
    {{ insurance_check_people() }},
    {{ count_distinct_where('business_ref', 'is_admitted_uninsured') }} as admitted_uninsured_businesses
from person_days
group by site_id, month

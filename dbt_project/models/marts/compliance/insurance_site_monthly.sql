-- 社会保険加入確認 per site and month (metrics.md §5), one row per (site_id, month) with roster
-- rows, over roster person-days (summed from int_insurance_person_months, one row per person and
-- business of the site and month; macros/insurance.sql): how many were checked through CCUS, through documents, and not
-- checked (shares are derived from these counts), and admitted_uninsured_person_days = person-
-- days admitted while any of the three insurances was not_enrolled or unknown (not exempt): each
-- is a violation of the admission rule. Per prime: insurance_prime_monthly; per orderer type:
-- insurance_orderer_monthly.

with person_months as (

    select * from {{ ref('int_insurance_person_months') }}

)

select
    site_id,
    month,
    max(prefecture_code) as prefecture_code,
    max(orderer_type) as orderer_type,
    max(prime_business_id) as prime_business_id,
    max(case when is_public_works then 1 else 0 end) = 1 as is_public_works,
    {{ sum_or_zero('person_days') }} as person_days,
    cast(count(distinct person_key) as {{ dbt.type_bigint() }}) as persons,
    cast(count(distinct business_ref) as {{ dbt.type_bigint() }}) as businesses,
    {{ insurance_check_counts() }},
    {{ sum_or_zero('refused_days') }} as refused_person_days,
    {{ sum_or_zero('uninsured_days') }} as uninsured_person_days,
    {{ sum_or_zero('admitted_uninsured_days') }} as admitted_uninsured_person_days,
    {{ count_distinct_with_days('person_key', 'admitted_uninsured_days') }} as admitted_uninsured_persons,
    -- the persons and businesses behind each count (pages that add sites up suppress on them)
    {{ insurance_check_people() }},
    {{ count_distinct_with_days('business_ref', 'admitted_uninsured_days') }} as admitted_uninsured_businesses
from person_months
group by site_id, month

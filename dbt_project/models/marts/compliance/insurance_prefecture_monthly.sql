-- 社会保険加入確認 per prefecture (of the site) and month: the person-day counts of
-- insurance_site_monthly summed over the sites of the prefecture, with the distinct roster
-- persons and businesses behind each cell (what the ministry page needs to suppress small cells).
-- NULL prefecture for roster rows of a site not in the registry yet.

with person_months as (

    select * from {{ ref('int_insurance_person_months') }}

)

select
    prefecture_code,
    month,
    cast(count(distinct site_id) as {{ dbt.type_bigint() }}) as sites,
    cast(count(distinct person_key) as {{ dbt.type_bigint() }}) as persons,
    cast(count(distinct business_ref) as {{ dbt.type_bigint() }}) as businesses,
    {{ sum_or_zero('person_days') }} as person_days,
    {{ insurance_check_counts() }},
    {{ sum_or_zero('admitted_uninsured_days') }} as admitted_uninsured_person_days,
    -- the persons and businesses behind each count (pages suppress each cell on its own)
    {{ insurance_check_people() }},
    {{ count_distinct_with_days('person_key', 'admitted_uninsured_days') }} as admitted_uninsured_persons,
    {{ count_distinct_with_days('business_ref', 'admitted_uninsured_days') }} as admitted_uninsured_businesses
from person_months
group by prefecture_code, month

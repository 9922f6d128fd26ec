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
    cast(sum(case when insurance_check = 'ccus' then 1 else 0 end) as {{ dbt.type_bigint() }}) as checked_ccus,
    cast(sum(case when insurance_check = 'document' then 1 else 0 end) as {{ dbt.type_bigint() }}) as checked_document,
    cast(sum(case when insurance_check = 'ccus' or insurance_check = 'document' then 0 else 1 end)
         as {{ dbt.type_bigint() }}) as not_checked,
    cast(sum(case when admitted then 1 else 0 end) as {{ dbt.type_bigint() }}) as admitted_person_days,
    cast(sum(case when admitted then 0 else 1 end) as {{ dbt.type_bigint() }}) as refused_person_days,
    cast(sum(case when is_uninsured then 1 else 0 end) as {{ dbt.type_bigint() }}) as uninsured_person_days,
    cast(sum(case when is_admitted_uninsured then 1 else 0 end) as {{ dbt.type_bigint() }})
        as admitted_uninsured_person_days,
    cast(count(distinct case when is_admitted_uninsured then person_key end) as {{ dbt.type_bigint() }})
        as admitted_uninsured_persons,
    -- the persons and businesses behind each count (pages that add sites up suppress on them)
    cast(count(distinct case when insurance_check = 'ccus' then person_key end) as {{ dbt.type_bigint() }})
        as checked_ccus_persons,
    cast(count(distinct case when insurance_check = 'ccus' then business_ref end) as {{ dbt.type_bigint() }})
        as checked_ccus_businesses,
    cast(count(distinct case when insurance_check = 'document' then person_key end) as {{ dbt.type_bigint() }})
        as checked_document_persons,
    cast(count(distinct case when insurance_check = 'document' then business_ref end) as {{ dbt.type_bigint() }})
        as checked_document_businesses,
    cast(count(distinct case when insurance_check = 'ccus' or insurance_check = 'document' then null
                             else person_key end) as {{ dbt.type_bigint() }}) as not_checked_persons,
    cast(count(distinct case when insurance_check = 'ccus' or insurance_check = 'document' then null
                             else business_ref end) as {{ dbt.type_bigint() }}) as not_checked_businesses,
    cast(count(distinct case when is_admitted_uninsured then business_ref end) as {{ dbt.type_bigint() }})
        as admitted_uninsured_businesses
from person_days
group by site_id, month

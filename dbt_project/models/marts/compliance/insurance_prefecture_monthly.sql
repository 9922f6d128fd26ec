-- 社会保険加入確認 per prefecture (of the site) and month: the person-day counts of
-- insurance_site_monthly summed over the sites of the prefecture, with the distinct roster
-- persons and businesses behind each cell (what the ministry page needs to suppress small cells).
-- NULL prefecture for roster rows of a site not in the registry yet.

with person_days as (

    select * from {{ ref('int_insurance_person_days') }}

)

select
    prefecture_code,
    month,
    cast(count(distinct site_id) as {{ dbt.type_bigint() }}) as sites,
    cast(count(distinct person_key) as {{ dbt.type_bigint() }}) as persons,
    cast(count(distinct business_ref) as {{ dbt.type_bigint() }}) as businesses,
    cast(count(*) as {{ dbt.type_bigint() }}) as person_days,
    cast(sum(case when insurance_check = 'ccus' then 1 else 0 end) as {{ dbt.type_bigint() }}) as checked_ccus,
    cast(sum(case when insurance_check = 'document' then 1 else 0 end) as {{ dbt.type_bigint() }}) as checked_document,
    cast(sum(case when insurance_check = 'ccus' or insurance_check = 'document' then 0 else 1 end)
         as {{ dbt.type_bigint() }}) as not_checked,
    cast(sum(case when admitted then 1 else 0 end) as {{ dbt.type_bigint() }}) as admitted_person_days,
    cast(sum(case when is_admitted_uninsured then 1 else 0 end) as {{ dbt.type_bigint() }})
        as admitted_uninsured_person_days,
    -- the persons and businesses behind each count (pages suppress each cell on its own)
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
    cast(count(distinct case when is_admitted_uninsured then person_key end) as {{ dbt.type_bigint() }})
        as admitted_uninsured_persons,
    cast(count(distinct case when is_admitted_uninsured then business_ref end) as {{ dbt.type_bigint() }})
        as admitted_uninsured_businesses
from person_days
group by prefecture_code, month

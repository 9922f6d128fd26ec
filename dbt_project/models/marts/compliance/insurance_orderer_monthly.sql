-- 社会保険加入確認 per orderer type and month (metrics.md §5 "per orderer"; the sites feed names the
-- orderer by its type only), one row per (orderer_type, month): the person-day counts of
-- insurance_site_monthly summed over the sites of that orderer type (NULL for roster rows of a
-- site not in the registry yet).

with person_days as (

    select * from {{ ref('int_insurance_person_days') }}

)

select
    orderer_type,
    month,
    cast(count(distinct site_id) as {{ dbt.type_bigint() }}) as sites,
    cast(count(*) as {{ dbt.type_bigint() }}) as person_days,
    cast(count(distinct person_key) as {{ dbt.type_bigint() }}) as persons,
    cast(sum(case when insurance_check = 'ccus' then 1 else 0 end) as {{ dbt.type_bigint() }}) as checked_ccus,
    cast(sum(case when insurance_check = 'document' then 1 else 0 end) as {{ dbt.type_bigint() }}) as checked_document,
    cast(sum(case when insurance_check = 'ccus' or insurance_check = 'document' then 0 else 1 end)
         as {{ dbt.type_bigint() }}) as not_checked,
    cast(sum(case when admitted then 1 else 0 end) as {{ dbt.type_bigint() }}) as admitted_person_days,
    cast(sum(case when is_admitted_uninsured then 1 else 0 end) as {{ dbt.type_bigint() }})
        as admitted_uninsured_person_days,
    cast(count(distinct case when is_admitted_uninsured then site_id end) as {{ dbt.type_bigint() }})
        as sites_with_admitted_uninsured
from person_days
group by orderer_type, month

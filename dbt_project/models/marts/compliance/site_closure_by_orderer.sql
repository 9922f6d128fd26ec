-- 4週8休 per orderer type and declared 週休2日 type (metrics.md §7 "per orderer, and against the
-- site's two_days_off_type"), one row per (orderer_type, two_days_off_type) over the sites of
-- site_closure: sites, those meeting the whole-period and the monthly test and their declared
-- type, and the pooled closure rate (Σ closed days / Σ counted days).

with sites as (

    select * from {{ ref('site_closure') }}

)

select
    orderer_type,
    two_days_off_type,
    cast(count(*) as {{ dbt.type_bigint() }}) as sites,
    cast(sum(case when is_public_works then 1 else 0 end) as {{ dbt.type_bigint() }}) as public_works_sites,
    cast(sum(counted_days) as {{ dbt.type_bigint() }}) as counted_days,
    cast(sum(closed_days) as {{ dbt.type_bigint() }}) as closed_days,
    case when sum(counted_days) > 0
         then cast(sum(closed_days) as double) / sum(counted_days) end as closure_rate,
    cast(sum(case when meets_4w8c_whole_period then 1 else 0 end) as {{ dbt.type_bigint() }})
        as sites_meeting_whole_period,
    cast(sum(case when meets_4w8c_monthly then 1 else 0 end) as {{ dbt.type_bigint() }})
        as sites_meeting_monthly,
    cast(sum(case when meets_declared_type is not null then 1 else 0 end) as {{ dbt.type_bigint() }})
        as sites_with_declared_type,
    cast(sum(case when meets_declared_type then 1 else 0 end) as {{ dbt.type_bigint() }})
        as sites_meeting_declared_type
from sites
group by orderer_type, two_days_off_type

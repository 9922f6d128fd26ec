-- 社会保険加入確認 summed per site, month, person and business (metrics.md §5): the roster
-- person-days of int_insurance_checks counted by how insurance was checked, whether the person
-- was admitted, and whether uninsured. The insurance marts sum these counts and count the
-- distinct persons and businesses behind each (a person is behind a count when that count is
-- above 0 on their row), so they read ≈15× fewer rows than the person-days.
-- Incremental by work month (work_month_config in macros/incremental.sql): a month holding a
-- changed work date is recomputed whole from int_insurance_checks, the others are kept.

{{ config(**work_month_config(['rosters', 'attendance'])) }}

with checks as (

    select * from {{ ref('int_insurance_checks') }}
    {% if is_incremental() -%}
    where month in {{ changed_months() }}
    {%- endif %}

)

select
    site_id,
    month,
    person_key,
    business_ref,
    cast(count(*) as {{ dbt.type_bigint() }}) as person_days,
    {{ count_where("insurance_check = 'ccus'") }} as checked_ccus_days,
    {{ count_where("insurance_check = 'document'") }} as checked_document_days,
    {{ count_where(insurance_not_checked()) }} as not_checked_days,
    {{ count_where('admitted') }} as admitted_days,
    {{ count_where('not coalesce(admitted, false)') }} as refused_days,
    {{ count_where('is_uninsured') }} as uninsured_days,
    {{ count_where('is_admitted_uninsured') }} as admitted_uninsured_days,
    max(_committed_at) as _committed_at
from checks
group by site_id, month, person_key, business_ref

{#
  社会保険加入確認 measures (metrics.md §5), shared by the insurance marts per site, prime,
  orderer type and prefecture. Each reads rows shaped like int_insurance_person_days (one row per
  roster person-day: insurance_check, admitted, is_admitted_uninsured, person_key, business_ref,
  site_id) and is used inside a GROUP BY of its own grain.

  insurance_check_counts(): person-days checked through CCUS, through documents, not checked
    (anything but 'ccus' or 'document', NULL included), and admitted.
  insurance_check_people(): the distinct persons and businesses behind each of the three check
    counts (the pages suppress each cell on its own: metrics.md §8).
  insurance_group_monthly(group_column): the whole mart of a group of sites (a prime, an orderer
    type): sites, person-days, persons, the check counts, the admitted uninsured person-days and
    the sites where they happened.
#}

{% macro count_where(condition) -%}
    cast(sum(case when {{ condition }} then 1 else 0 end) as {{ dbt.type_bigint() }})
{%- endmacro %}

{% macro count_distinct_where(expression, condition) -%}
    cast(count(distinct case when {{ condition }} then {{ expression }} end) as {{ dbt.type_bigint() }})
{%- endmacro %}

{% macro insurance_not_checked() -%}
    not coalesce(insurance_check = 'ccus' or insurance_check = 'document', false)
{%- endmacro %}

{% macro insurance_check_counts() -%}
    {{ count_where("insurance_check = 'ccus'") }} as checked_ccus,
    {{ count_where("insurance_check = 'document'") }} as checked_document,
    {{ count_where(insurance_not_checked()) }} as not_checked,
    {{ count_where('admitted') }} as admitted_person_days
{%- endmacro %}

{% macro insurance_check_people() -%}
    {{ count_distinct_where('person_key', "insurance_check = 'ccus'") }} as checked_ccus_persons,
    {{ count_distinct_where('business_ref', "insurance_check = 'ccus'") }} as checked_ccus_businesses,
    {{ count_distinct_where('person_key', "insurance_check = 'document'") }} as checked_document_persons,
    {{ count_distinct_where('business_ref', "insurance_check = 'document'") }} as checked_document_businesses,
    {{ count_distinct_where('person_key', insurance_not_checked()) }} as not_checked_persons,
    {{ count_distinct_where('business_ref', insurance_not_checked()) }} as not_checked_businesses
{%- endmacro %}

{% macro insurance_group_monthly(group_column) -%}
with person_days as (

    select * from {{ ref('int_insurance_person_days') }}

)

select
    {{ group_column }},
    month,
    cast(count(distinct site_id) as {{ dbt.type_bigint() }}) as sites,
    cast(count(*) as {{ dbt.type_bigint() }}) as person_days,
    cast(count(distinct person_key) as {{ dbt.type_bigint() }}) as persons,
    {{ insurance_check_counts() }},
    {{ count_where('is_admitted_uninsured') }} as admitted_uninsured_person_days,
    {{ count_distinct_where('site_id', 'is_admitted_uninsured') }} as sites_with_admitted_uninsured
from person_days
group by {{ group_column }}, month
{%- endmacro %}

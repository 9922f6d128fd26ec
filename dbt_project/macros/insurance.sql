{#
  社会保険加入確認 measures (metrics.md §5), shared by the insurance models. count_where,
  count_distinct_where and insurance_not_checked() read person-day rows (int_insurance_checks,
  summed per site, month, person and business by int_insurance_checks_monthly). The others read
  rows shaped like int_insurance_person_months (one row per site, month, person and business:
  person_days and the day counts checked_ccus_days, checked_document_days, not_checked_days,
  admitted_days, refused_days, uninsured_days, admitted_uninsured_days) inside a GROUP BY of
  their own grain: a count is the sum of its day counts, and the persons (or businesses, or
  sites) behind it are the distinct ones of the rows where it is above 0 - exactly the distinct
  ones of the person-days it counts (sum_or_zero, macros/counts.sql, sums the day counts).

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

{# The distinct `expression` (persons, businesses, sites) of the rows where `days` is above 0. #}
{% macro count_distinct_with_days(expression, days) -%}
    {{ count_distinct_where(expression, days ~ ' > 0') }}
{%- endmacro %}

{% macro insurance_check_counts() -%}
    {{ sum_or_zero('checked_ccus_days') }} as checked_ccus,
    {{ sum_or_zero('checked_document_days') }} as checked_document,
    {{ sum_or_zero('not_checked_days') }} as not_checked,
    {{ sum_or_zero('admitted_days') }} as admitted_person_days
{%- endmacro %}

{% macro insurance_check_people() -%}
    {{ count_distinct_with_days('person_key', 'checked_ccus_days') }} as checked_ccus_persons,
    {{ count_distinct_with_days('business_ref', 'checked_ccus_days') }} as checked_ccus_businesses,
    {{ count_distinct_with_days('person_key', 'checked_document_days') }} as checked_document_persons,
    {{ count_distinct_with_days('business_ref', 'checked_document_days') }} as checked_document_businesses,
    {{ count_distinct_with_days('person_key', 'not_checked_days') }} as not_checked_persons,
    {{ count_distinct_with_days('business_ref', 'not_checked_days') }} as not_checked_businesses
{%- endmacro %}

{% macro insurance_group_monthly(group_column) -%}
with person_months as (

    select * from {{ ref('int_insurance_person_months') }}

)

select
    {{ group_column }},
    month,
    cast(count(distinct site_id) as {{ dbt.type_bigint() }}) as sites,
    {{ sum_or_zero('person_days') }} as person_days,
    cast(count(distinct person_key) as {{ dbt.type_bigint() }}) as persons,
    {{ insurance_check_counts() }},
    {{ sum_or_zero('admitted_uninsured_days') }} as admitted_uninsured_person_days,
    {{ count_distinct_with_days('site_id', 'admitted_uninsured_days') }} as sites_with_admitted_uninsured
from person_months
group by {{ group_column }}, month
{%- endmacro %}

{#
  A count summed from rows that already hold counts (a month-keyed intermediate's day counts):
  0, not NULL, over no rows - what count(*) gave over the days - and a BIGINT like count(*)
  (DuckDB sums a BIGINT into a HUGEINT).
#}
{% macro sum_or_zero(expression) -%}
    cast(coalesce(sum({{ expression }}), 0) as {{ dbt.type_bigint() }})
{%- endmacro %}

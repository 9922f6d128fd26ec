{#
  Helpers of the compliance models (metrics.md §4-§7). Thresholds never appear here: they come
  from the seeds; these macros only spell comparisons and calendar facts portably.
#}

{# Rates are DOUBLE averages of DOUBLE ratios: compare with a tolerance far below any real
   difference, so that a mean that is exactly 0.5 on paper but 0.49999999999999994 in binary
   still counts as "at or above 50 %". #}
{% macro rate_tolerance() -%}1e-9{%- endmacro %}

{% macro at_or_above(value, threshold) -%}
    ({{ value }} >= {{ threshold }} - {{ rate_tolerance() }})
{%- endmacro %}

{% macro below(value, threshold) -%}
    ({{ value }} < {{ threshold }} - {{ rate_tolerance() }})
{%- endmacro %}

{# True when a DATE is a Sunday (DuckDB: dayofweek 0 = Sunday; Spark: 1 = Sunday). #}
{% macro is_sunday(expr) -%}
    {%- if target.type == 'spark' or target.type == 'databricks' -%}
        (dayofweek({{ expr }}) = 1)
    {%- else -%}
        (dayofweek({{ expr }}) = 0)
    {%- endif -%}
{%- endmacro %}

{# Day of month and month of year of a DATE, as integers. #}
{% macro day_of_month(expr) -%}
    cast(extract(day from {{ expr }}) as integer)
{%- endmacro %}

{% macro month_of_year(expr) -%}
    cast(extract(month from {{ expr }}) as integer)
{%- endmacro %}

{# Whole seconds from one TIMESTAMP to another (timestamps carry no fractions of a second). #}
{% macro seconds_between(first, second) -%}
    {{ dbt.datediff(first, second, 'second') }}
{%- endmacro %}

{# The smaller / larger of two values (NULL when either is NULL). #}
{% macro smaller_of(a, b) -%}
    case when {{ a }} <= {{ b }} then {{ a }} when {{ b }} < {{ a }} then {{ b }} end
{%- endmacro %}

{% macro larger_of(a, b) -%}
    case when {{ a }} >= {{ b }} then {{ a }} when {{ b }} > {{ a }} then {{ b }} end
{%- endmacro %}

{#
  Date helpers built only on dbt's cross-database macros (date_trunc, dateadd, datediff,
  last_day), so the models stay portable to the Spark target that will come later.
  Every helper returns a DATE (DuckDB's `date + interval` is a TIMESTAMP, Spark's
  date_trunc is a TIMESTAMP: both are cast back).
#}

{# First day of the month of a DATE or TIMESTAMP expression. #}
{% macro month_start(expr) -%}
    cast({{ dbt.date_trunc('month', expr) }} as date)
{%- endmacro %}

{# Last day of the month of a DATE or TIMESTAMP expression. #}
{% macro month_end(expr) -%}
    {{ dbt.last_day('cast(' ~ expr ~ ' as date)', 'month') }}
{%- endmacro %}

{# expr + n days (n: an integer literal or expression). #}
{% macro add_days(expr, n) -%}
    cast({{ dbt.dateadd('day', n, expr) }} as date)
{%- endmacro %}

{# expr + n months (n: an integer literal or expression). #}
{% macro add_months(expr, n) -%}
    cast({{ dbt.dateadd('month', n, expr) }} as date)
{%- endmacro %}

{# Whole days from first to second (second - first). #}
{% macro days_between(first, second) -%}
    {{ dbt.datediff(first, second, 'day') }}
{%- endmacro %}

{# First day of the fiscal year (年度, 1 April - 31 March) containing a DATE. #}
{% macro fiscal_year_start(expr) -%}
    {{ add_months(dbt.date_trunc('year', add_months(expr, -3)), 3) }}
{%- endmacro %}

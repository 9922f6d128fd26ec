{#
  Schemas are literally `staging`, `intermediate`, `marts` and `seeds` (not `main_staging`):
  other code (the gold export, the dashboards) addresses them by these names.
  A node without a custom schema lands in the target's schema.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

{#
  Seeds on Spark: dbt-spark 1.11's in-process session (method: session) pastes seed values into
  the INSERT without escaping them, so a value holding an apostrophe ("the bodies' own") breaks
  the statement. This override (dbt looks in the root project first) loads seeds two ways:
  - in-process session (the CSV is on this machine): Spark's own CSV reader over the seed file,
    each column cast to its seed type (the 19 k-row unit-price seed: seconds, not a minute of
    rendering INSERT literals);
  - a cluster (thrift, Spark Connect: the file is not on the cluster): INSERT batches with each
    value written as an escaped Spark SQL literal.
  Empty fields are NULL both ways, as agate reads them. DuckDB keeps dbt-duckdb's loader.
#}
{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}null
    {%- elif value is boolean -%}{{ 'true' if value else 'false' }}
    {%- elif value is number -%}{{ value }}
    {%- else -%}'{{ (value | string).replace('\\', '\\\\').replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}

{% macro spark__load_csv_rows(model, agate_table) %}
    {% if target.method == 'session' %}
        {{ return(spark_load_csv_file(model, agate_table)) }}
    {% endif %}
    {% set column_override = model['config'].get('column_types', {}) %}
    {% set types = [] %}
    {% for col_name in agate_table.column_names %}
        {% do types.append(column_override.get(col_name, adapter.convert_type(agate_table, loop.index0))) %}
    {% endfor %}
    {% set statements = [] %}
    {% for chunk in agate_table.rows | batch(5000) %}
        {% set sql %}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    cast({{ spark_seed_literal(value) }} as {{ types[loop.index0] }})
                    {%- if not loop.last %},{% endif -%}
                {%- endfor -%}){%- if not loop.last %},{% endif %}
            {% endfor %}
        {% endset %}
        {% do adapter.add_query(sql, abridge_sql_log=True) %}
        {% if loop.index0 == 0 %}{% do statements.append(sql) %}{% endif %}
    {% endfor %}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}


{% macro spark_load_csv_file(model, agate_table) %}
    {% set column_override = model['config'].get('column_types', {}) %}
    {% set path = model.root_path ~ '/' ~ model.original_file_path %}
    {% set view = 'seed_csv_' ~ model.name %}
    {% do run_query("create or replace temporary view " ~ view ~ " using csv options (path '"
                    ~ path ~ "', header 'true', inferSchema 'false', multiLine 'true', escape '\"', mode 'FAILFAST')") %}
    {% set sql %}
        insert into {{ this.render() }}
        select
        {% for col_name in agate_table.column_names -%}
            cast(`{{ col_name }}` as {{ column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) }})
            {%- if not loop.last %},{% endif %}
        {% endfor %}
        from {{ view }}
    {% endset %}
    {% do adapter.add_query(sql, abridge_sql_log=True) %}
    {{ return(sql) }}
{% endmacro %}

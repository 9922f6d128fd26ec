{#
  The bronze sources on each engine (run as an on-run-start hook).

  DuckDB needs nothing here: dbt-duckdb reads each source through its `external_location`
  (read_parquet over the feed's files, models/staging/__sources.yml). Spark has no such source
  setting, so the hook (re)creates one view per bronze source over the same files: the same
  glob, one partition folder deep, no partition columns inferred from `delivery=…` folders
  (a glob of files makes each file's own folder its base path), schemas merged by column name
  (spark.sql.parquet.mergeSchema in profiles.yml). An s3:// root is read through Hadoop's s3a.
#}
{% macro create_bronze_views() -%}
    {{ return(adapter.dispatch('create_bronze_views')()) }}
{%- endmacro %}

{% macro default__create_bronze_views() -%}
    {{ return('') }}
{%- endmacro %}

{% macro spark__create_bronze_views() -%}
    {% if execute %}
        {% set root = var('lakehouse_root').rstrip('/') %}
        {% if root.startswith('s3://') %}{% set root = 's3a://' ~ root[5:] %}{% endif %}
        {% do run_query('create schema if not exists bronze') %}
        {% for source in graph.sources.values() if source.source_name == 'bronze' %}
            {% do run_query('create or replace view bronze.' ~ source.name ~ ' as select * from parquet.`'
                            ~ root ~ '/bronze/' ~ source.name ~ '/*/*.parquet`') %}
        {% endfor %}
    {% endif %}
    {{ return('') }}
{%- endmacro %}

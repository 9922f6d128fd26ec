{#
  The changed work dates of a feed, found once per dbt invocation (DuckDB).

  changed_work_dates() scans all of bronze for the rows sharing a file date (and, for attendance,
  a record_id) with the new files: at national scale 16 s on one thread after three months of
  history, and every incremental model fed by attendance ran it again (bench/RUNS.md,
  2026-12-07). Its result depends only on which files are new and on bronze, which no step
  changes during a dbt invocation (runs are serialised; ingestion runs before dbt). So the first
  model of an invocation to ask for a feed's dates with a given set of new files writes them to
  `main.ccus_changed_work_dates` under a key naming the feed, those new files' dates and the
  latest commit of any file; every later model with the same key reads them back. Models whose
  watermarks differ get different keys only when the new files differ.

  The table is emptied by the on-run-start hook, so nothing outlives its invocation. A model
  whose transaction rolls back takes its rows with it; two models computing the same key at
  once both insert, and readers take distinct dates. Spark computes each model's dates itself.
#}

{# on-run-start: an empty cache for this invocation. #}
{% macro reset_changed_work_dates_cache() -%}
    {{ return(adapter.dispatch('reset_changed_work_dates_cache')()) }}
{%- endmacro %}

{% macro default__reset_changed_work_dates_cache() -%}
    create table if not exists {{ changed_work_dates_cache() }} (cache_key varchar, work_date date);
    delete from {{ changed_work_dates_cache() }}
{%- endmacro %}

{% macro spark__reset_changed_work_dates_cache() -%}
    {{ return('') }}
{%- endmacro %}


{% macro changed_work_dates_cache() -%}main.ccus_changed_work_dates{%- endmacro %}


{#
  A query of the changed work dates of `feed` for a model whose watermark is `since` (SQL):
  on DuckDB read from the invocation's cache, computed into it first if no model has yet.
#}
{% macro shared_changed_work_dates(feed, since) -%}
    {{ return(adapter.dispatch('shared_changed_work_dates')(feed, since)) }}
{%- endmacro %}

{% macro spark__shared_changed_work_dates(feed, since) -%}
    {{ return(changed_work_dates(feed, since)) }}
{%- endmacro %}

{% macro default__shared_changed_work_dates(feed, since) -%}
    {%- if not execute -%}
        {{ return(changed_work_dates(feed, since)) }}
    {%- endif -%}
    {%- set key_query -%}
        select
            '{{ feed }}|'
            || coalesce(string_agg(distinct cast(new_files.file_date as varchar), ','
                                   order by cast(new_files.file_date as varchar)), '')
            || '|' || coalesce((
                select cast(max(audit.ingested_at) as varchar)
                from {{ source('bronze', 'ingest_audit') }} as audit
                where audit.status = 'ingested'
            ), '')
        from {{ source('bronze', 'ingest_audit') }} as new_files
        where new_files.feed = '{{ feed }}'
            and new_files.status = 'ingested'
            and new_files.ingested_at > {{ since }}
    {%- endset -%}
    {%- set key = run_query(key_query).columns[0].values()[0] -%}
    {%- set cached = run_query("select count(*) from " ~ changed_work_dates_cache()
                               ~ " where cache_key = '" ~ key ~ "'").columns[0].values()[0] -%}
    {%- if cached == 0 -%}
        {%- call statement('cache_changed_dates_' ~ this.identifier ~ '_' ~ feed) -%}
            insert into {{ changed_work_dates_cache() }}
            -- a marker row, so that a key with no dates is known as computed
            select '{{ key }}', cast(null as date)
            union all
            select distinct '{{ key }}', work_date from ({{ changed_work_dates(feed, since) }}) as changed
        {%- endcall -%}
    {%- endif -%}
    select distinct work_date from {{ changed_work_dates_cache() }}
    where cache_key = '{{ key }}' and work_date is not null
{%- endmacro %}

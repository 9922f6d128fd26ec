{#
  Incremental models keyed on the work date: delete+insert on DuckDB, insert_overwrite of whole
  work months on Spark (plain Parquet tables have no delete; see work_date_config below).

  A bronze file counts from the moment its audit row says 'ingested' (the commit marker, see
  bronze.sql); that audit row's ingested_at is the file's commit time, carried by every staged
  row as `_committed_at`. An incremental model's watermark is the latest `_committed_at` it holds:
  files committed after it are new. Runs are serialised (one writer: the warehouse lock and
  Dagster's run queue of one), so no file can be committed with an earlier time after a build.

  A new file changes more than its own rows' dates: a corrected `_2` file supersedes every
  earlier version of its file date (whose rows may fall on other work dates, and are dropped),
  and an attendance record re-sent in a later file moves to its latest delivery. So the changed
  work dates are those of every committed row, of any version, that shares a file date (and,
  for attendance, a record_id) with a new file. Each model recomputes exactly those dates;
  any superset would be equally correct, only slower.

  The pre-hook `delete_changed_dates` removes the changed dates first, because delete+insert
  only deletes the keys present in the new rows: a date whose rows were all superseded would
  otherwise keep them. It runs inside the model's transaction, so a failed build leaves the
  table as it was.
#}

{# Committed bronze rows of one feed, each with its file's commit time (_committed_at). #}
{% macro committed_bronze_with_commit_time(feed) -%}
    select bronze_rows.*, commits._committed_at
    from {{ source('bronze', feed) }} as bronze_rows
    inner join (
        select audit.sha256, min(audit.ingested_at) as _committed_at
        from {{ source('bronze', 'ingest_audit') }} as audit
        where audit.status = 'ingested'
        group by audit.sha256
    ) as commits
        on bronze_rows._file_sha256 = commits.sha256
{%- endmacro %}


{# The latest commit time an incremental model has taken in (before_any_commit() when empty). #}
{% macro committed_watermark(relation=this) -%}
    (
        select coalesce(max(_committed_at), {{ before_any_commit() }})
        from {{ relation }}
    )
{%- endmacro %}


{# A watermark earlier than every commit: every committed file counts as new. #}
{% macro before_any_commit() -%}
    cast('1900-01-01 00:00:00' as timestamp)
{%- endmacro %}


{#
  The work dates a build must recompute, as a standalone query: feed 'attendance' (records can
  move between files) or 'rosters' (one row per person-day of the file's own date).

  The new file dates come from the audit alone (its ingested_at is the commit time), so no bronze
  row is joined to find them; the bronze scans below filter on _file_date first, which DuckDB
  prunes by the Parquet statistics (one file date per file). Uncommitted rows are not excluded
  here: they can only add dates, and a superset is correct.
#}
{% macro changed_work_dates(feed, since) -%}
    with new_file_dates as (

        select distinct audit.file_date as _file_date
        from {{ source('bronze', 'ingest_audit') }} as audit
        where audit.feed = '{{ feed }}'
            and audit.status = 'ingested'
            and audit.ingested_at > {{ since }}

    )

    {% if feed == 'attendance' -%}
    , touched_records as (

        select distinct record_id from {{ source('bronze', feed) }}
        where _file_date in (select _file_date from new_file_dates)

    )

    select distinct work_date from {{ source('bronze', feed) }}
    where record_id in (select record_id from touched_records)
    {%- else -%}
    select distinct work_date from {{ source('bronze', feed) }}
    where _file_date in (select _file_date from new_file_dates)
    {%- endif %}
{%- endmacro %}


{#
  Pre-hook of an incremental model keyed on work_date: records the changed dates of `feeds`
  (a list) in `<model>__changed_dates` and deletes them from the model. A first or full-refresh
  build deletes nothing and drops the dates table (its tests then read every date). The model
  reads the dates back with changed_dates_relation(), its data tests too (tests_on_changed_dates.sql).
  On Spark the changed dates are widened to every day of their months, and those months'
  partitions are dropped (clear_changed_dates): the build then writes each of them whole.
#}
{% macro delete_changed_dates(feeds) -%}
    {%- set dates = changed_dates_relation() -%}
    {%- if not is_incremental() -%}
        {#- A full build: no dates table, so its tests read every date (tests_on_changed_dates.sql). -#}
        {%- set stale = adapter.get_relation(dates.database, dates.schema, dates.identifier) -%}
        {%- if stale is not none -%}
            {%- do adapter.drop_relation(stale) -%}
        {%- endif -%}
    {%- else -%}
        {#- A table built before the model kept _committed_at (an upgrade) has no watermark: all
            dates change once, and on_schema_change adds the column. -#}
        {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
        {%- set since = committed_watermark() if '_committed_at' in columns else before_any_commit() -%}
        {%- set queries = [] -%}
        {%- for feed in feeds -%}
            {#- found once per invocation and feed (changed_dates_cache.sql) -#}
            {%- do queries.append('select work_date from (' ~ shared_changed_work_dates(feed, since) ~ ') as ' ~ feed ~ '_dates') -%}
        {%- endfor -%}
        {%- set existing = adapter.get_relation(dates.database, dates.schema, dates.identifier) -%}
        {%- if existing is not none -%}
            {%- do adapter.drop_relation(existing) -%}
        {%- endif -%}
        {%- call statement('changed_dates_' ~ this.identifier) -%}
            {{ create_changed_dates(dates, queries | join('\nunion\n')) }}
        {%- endcall -%}
        {{ clear_changed_dates(dates) }}
    {%- endif -%}
{%- endmacro %}


{# The dates table of a build, from the union of the changed work dates of its feeds. #}
{% macro create_changed_dates(dates, changed) -%}
    {{ return(adapter.dispatch('create_changed_dates')(dates, changed)) }}
{%- endmacro %}

{% macro default__create_changed_dates(dates, changed) -%}
    {{ get_create_table_as_sql(False, dates, changed) }}
{%- endmacro %}

{#
  Spark: every calendar day of each month holding a changed date (a partition is rewritten
  whole). Written out rather than through create_table_as, which would apply the model's own
  config (partition_by work_month) to this table.
#}
{% macro spark__create_changed_dates(dates, changed) -%}
    create table {{ dates }} using parquet as
    select explode(sequence(months.work_month, last_day(months.work_month), interval 1 day)) as work_date
    from (
        select distinct {{ month_start('changed.work_date') }} as work_month
        from ({{ changed }}) as changed
    ) as months
{%- endmacro %}


{# The statement that removes the changed dates from the model before the build writes them. #}
{% macro clear_changed_dates(dates) -%}
    {{ return(adapter.dispatch('clear_changed_dates')(dates)) }}
{%- endmacro %}

{#
  DuckDB: a work-date model deletes its changed dates; a work-month model (work_month_config)
  deletes every month holding a changed date, and recomputes those months whole.
#}
{% macro default__clear_changed_dates(dates) -%}
    {%- if config.get('unique_key') == 'work_date' -%}
    delete from {{ this }} where work_date in (select work_date from {{ dates }})
    {%- else -%}
    delete from {{ this }} where month in (select distinct {{ month_start('work_date') }} from {{ dates }})
    {%- endif -%}
{%- endmacro %}

{#
  Spark: drop the changed months' partitions. insert_overwrite alone replaces only the months
  the new rows fall in, so a month whose rows were all superseded would keep them. Plain
  Parquet has no transaction: a build that fails after this leaves those months missing until
  the next build, which recomputes them (the watermark has not moved past their files).
#}
{% macro spark__clear_changed_dates(dates) -%}
    {%- set column = config.get('partition_by')[0] -%}
    {%- set months = run_query('select distinct ' ~ month_start('work_date') ~ ' from ' ~ dates ~ ' order by 1') -%}
    {%- set specs = [] -%}
    {%- for month in months.columns[0].values() -%}
        {%- do specs.append("partition (" ~ column ~ " = '" ~ month ~ "')") -%}
    {%- endfor -%}
    {%- if specs -%}
        alter table {{ this }} drop if exists {{ specs | join(', ') }}
    {%- endif -%}
{%- endmacro %}


{# Where delete_changed_dates keeps the dates of the current build. #}
{% macro changed_dates_relation() -%}
    {{ return(this.incorporate(path={'identifier': this.identifier ~ '__changed_dates'})) }}
{%- endmacro %}


{#
  The config of the work-date models, `{{ config(**work_date_config(feeds)) }}`: incremental,
  keyed on work_date, the changed dates of `feeds` cleared first. DuckDB: delete+insert of the
  changed dates. Spark, where dbt-spark has no delete+insert for plain Parquet tables: the table
  is partitioned by its month of work_date (`month_column`) and insert_overwrite rewrites the
  changed months (dynamic partition overwrite: the months not in the new rows are left alone).
  A Spark table built before it was partitioned needs one `dbt build --full-refresh`
  (dbt_project/README.md).
#}
{% macro work_date_config(feeds, month_column='work_month') -%}
    {%- set config = {
        'materialized': 'incremental',
        'unique_key': 'work_date',
        'on_schema_change': 'append_new_columns',
        'pre_hook': '{{ delete_changed_dates(' ~ feeds ~ ') }}',
    } -%}
    {%- if target.type == 'spark' -%}
        {%- do config.update({'incremental_strategy': 'insert_overwrite', 'partition_by': [month_column]}) -%}
    {%- else -%}
        {%- do config.update({'incremental_strategy': 'delete+insert'}) -%}
    {%- endif -%}
    {{ return(config) }}
{%- endmacro %}


{#
  The config of a model keyed on the work month (one row per `month` and something else, summed
  from a work-date model), `{{ config(**work_month_config(feeds)) }}`: the changed dates of
  `feeds` are found as for a work-date model, and every month holding one is recomputed whole
  (the model reads its input `where <month> in` those months: changed_months()). DuckDB:
  delete+insert on the month; Spark: insert_overwrite of the month's partition, as for the
  work-date models (whose Spark dates table already widens to whole months).
#}
{% macro work_month_config(feeds) -%}
    {#- always `month`: tests_on_changed_dates.sql narrows a model's tests by that column -#}
    {%- set config = work_date_config(feeds, 'month') -%}
    {%- do config.update({'unique_key': 'month'}) -%}
    {{ return(config) }}
{%- endmacro %}


{# The months of the current build's changed dates (a work-month model), as a subquery. #}
{% macro changed_months() -%}
    (select distinct {{ month_start('work_date') }} from {{ changed_dates_relation() }})
{%- endmacro %}

{#
  Data tests of an incremental build look only at the work dates that build recomputed.

  dbt applies a test's `where` config by wrapping the tested relation in a subquery
  (get_where_subquery). This override adds one more condition for the work-date models
  (work_date_config in incremental.sql; and the months of those dates for the work-month models,
  work_month_config): when the model was last built incrementally, its
  `<model>__changed_dates` table holds the dates that build recomputed, and the test reads only
  those rows. The other rows were tested by the build that wrote them and have not changed since;
  a full build (first run, --full-refresh) drops the dates table, so its tests read everything.

  Without this, a daily build at national scale spent most of its time re-testing a month of
  unchanged history (README, "Performance"). `--vars '{ccus_test_all_history: true}'` turns it
  off, e.g. for a weekly audit of all history. Relationship tests still look up the whole
  referenced model: only the tested side is narrowed.
#}
{% macro default__get_where_subquery(relation) -%}
    {#- One macro, not two: a generic test's parse-time context does not see the project's other
        macros from here ('tested_changed_dates' is undefined). -#}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- if execute and target.type == 'duckdb' and not var('ccus_test_all_history', false)
            and relation.identifier is not none -%}
        {%- set models = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') | list -%}
        {%- set work_date_models = models | selectattr('config.unique_key', 'equalto', 'work_date')
                | map(attribute='alias') | list -%}
        {#- work_month_config() models, keyed on their month: the months of the changed dates -#}
        {%- set work_month_models = models | selectattr('config.unique_key', 'equalto', 'month')
                | map(attribute='alias') | list -%}
        {%- if relation.identifier in work_date_models + work_month_models -%}
            {%- set dates = relation.incorporate(path={'identifier': relation.identifier ~ '__changed_dates'}) -%}
            {#- Asked of the catalog, not dbt's relation cache: the pre-hook creates and drops it. -#}
            {%- set found = run_query(
                    "select count(*) from information_schema.tables where table_schema = '"
                    ~ relation.schema ~ "' and table_name = '" ~ dates.identifier ~ "'") -%}
            {%- if found.columns[0].values()[0] > 0 -%}
                {%- if relation.identifier in work_date_models -%}
                    {%- do conditions.append('work_date in (select work_date from ' ~ dates ~ ')') -%}
                {%- else -%}
                    {%- do conditions.append("month in (select distinct cast(date_trunc('month', work_date) as date) from "
                                             ~ dates ~ ")") -%}
                {%- endif -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

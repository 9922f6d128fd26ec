{#
  建退共 measures (metrics.md §4), shared by the marts per site, business and prefecture.
  Coverage and shortfall are computed per worker first, then summed:
    covered_days  = min(days reported, days due)              per worker
    shortfall_yen = max(0, amount due - amount reported)     per worker
    coverage      = Σ covered_days / Σ days_due (NULL when nothing is due)

  kentaikyo_worker_measures(prefix): covered_days and shortfall_yen of one worker's row (columns
    days_reported, days_due, amount_reported_yen, amount_due_yen, optionally qualified by prefix).
  kentaikyo_over_reported_days(): days reported beyond the worker's work-history days.
  kentaikyo_sums(): the sums of the amounts over a group of worker rows.
  kentaikyo_amount_columns(relation): the published amount columns of a mart from those sums,
    typed, with the coverage between covered_days and shortfall_yen.
#}

{% macro kentaikyo_worker_measures(prefix='') -%}
    case when {{ prefix }}days_reported < {{ prefix }}days_due
         then {{ prefix }}days_reported else {{ prefix }}days_due end as covered_days,
    case when {{ prefix }}amount_due_yen > {{ prefix }}amount_reported_yen
         then {{ prefix }}amount_due_yen - {{ prefix }}amount_reported_yen else 0 end as shortfall_yen
{%- endmacro %}

{% macro kentaikyo_over_reported_days() -%}
    case when days_reported > work_history_days then days_reported - work_history_days else 0 end
        as over_reported_days
{%- endmacro %}

{% macro kentaikyo_sums() -%}
    sum(days_due) as days_due,
    sum(amount_due_yen) as amount_due_yen,
    sum(days_reported) as days_reported,
    sum(amount_reported_yen) as amount_reported_yen,
    sum(covered_days) as covered_days,
    sum(shortfall_yen) as shortfall_yen
{%- endmacro %}

{% macro kentaikyo_amount_columns(relation) -%}
    {%- for column in ['days_due', 'amount_due_yen', 'days_reported', 'amount_reported_yen', 'covered_days'] %}
    cast({{ relation }}.{{ column }} as {{ dbt.type_bigint() }}) as {{ column }},
    {%- endfor %}
    case when {{ relation }}.days_due > 0
         then cast({{ relation }}.covered_days as double) / {{ relation }}.days_due end as coverage,
    cast({{ relation }}.shortfall_yen as {{ dbt.type_bigint() }}) as shortfall_yen
{%- endmacro %}

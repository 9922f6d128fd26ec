{#
  The projection of when a target is reached, shared by target_progress (the platform's series)
  and target_progress_official (the published one).
#}

{# Days until value reaches target at growth per days: ceil((target - value) * days / growth),
   computed that way round so that whole-number cases stay exact in floating point; NULL when
   the target is reached or the pace is <= 0. #}
{% macro days_to_target(value, target, growth, days) -%}
    case
        when {{ value }} < {{ target }} and {{ growth }} > 0
            then ceil(cast(({{ target }} - {{ value }}) * {{ days }} as double) / {{ growth }})
    end
{%- endmacro %}

{# The first date it was reached, or as_of + days_to_target when that is on or before limit
   (compared in days, so that no date past 9999-12-31 is ever computed), else NULL. #}
{% macro projected_date(value, target, first_reached_on, days_to_target, as_of, limit) -%}
    case
        when {{ value }} >= {{ target }} then {{ first_reached_on }}
        when {{ days_to_target }} <= {{ days_between(as_of, limit) }}
            then {{ add_days(as_of, 'cast(' ~ days_to_target ~ ' as ' ~ dbt.type_bigint() ~ ')') }}
    end
{%- endmacro %}

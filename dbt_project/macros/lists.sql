{#
  Lists (DuckDB LIST, Spark ARRAY) spelled once per engine through adapter.dispatch:
  default__ is the DuckDB form, spark__ the Spark SQL form. The models call only these.
  Bronze list columns (businesses.association_codes, workers.qualifications) are lists of
  strings; every helper keeps NULL elements out, as DuckDB's list_distinct does.
#}

{# An empty list of strings (a typed literal: Spark's bare array() has no element type). #}
{% macro empty_string_list() -%}
    {{ return(adapter.dispatch('empty_string_list')()) }}
{%- endmacro %}
{% macro default__empty_string_list() -%}[]{%- endmacro %}
{% macro spark__empty_string_list() -%}cast(array() as array<string>){%- endmacro %}


{# Split a string on a literal one-character separator into a list of strings. #}
{% macro split_to_list(expr, separator) -%}
    {{ return(adapter.dispatch('split_to_list')(expr, separator)) }}
{%- endmacro %}
{% macro default__split_to_list(expr, separator) -%}string_split({{ expr }}, '{{ separator }}'){%- endmacro %}
{# Spark's split takes a regular expression: quote the separator. #}
{% macro spark__split_to_list(expr, separator) -%}split({{ expr }}, '\\Q{{ separator }}\\E'){%- endmacro %}


{# Number of elements of a list. #}
{% macro list_length(expr) -%}
    {{ return(adapter.dispatch('list_length')(expr)) }}
{%- endmacro %}
{% macro default__list_length(expr) -%}len({{ expr }}){%- endmacro %}
{% macro spark__list_length(expr) -%}size({{ expr }}){%- endmacro %}


{# True when `haystack` holds every element of `needles` (true for an empty `needles`). #}
{% macro list_contains_all(haystack, needles) -%}
    {{ return(adapter.dispatch('list_contains_all')(haystack, needles)) }}
{%- endmacro %}
{% macro default__list_contains_all(haystack, needles) -%}list_has_all({{ haystack }}, {{ needles }}){%- endmacro %}
{% macro spark__list_contains_all(haystack, needles) -%}(size(array_except({{ needles }}, {{ haystack }})) = 0){%- endmacro %}


{# True when `haystack` and `needles` share at least one element. #}
{% macro list_contains_any(haystack, needles) -%}
    {{ return(adapter.dispatch('list_contains_any')(haystack, needles)) }}
{%- endmacro %}
{% macro default__list_contains_any(haystack, needles) -%}list_has_any({{ haystack }}, {{ needles }}){%- endmacro %}
{% macro spark__list_contains_any(haystack, needles) -%}coalesce(arrays_overlap({{ haystack }}, {{ needles }}), false){%- endmacro %}


{# One row per element of a list, in a SELECT list (no row for an empty or NULL list). #}
{% macro unnest_list(expr) -%}
    {{ return(adapter.dispatch('unnest_list')(expr)) }}
{%- endmacro %}
{% macro default__unnest_list(expr) -%}unnest({{ expr }}){%- endmacro %}
{% macro spark__unnest_list(expr) -%}explode({{ expr }}){%- endmacro %}


{# Aggregate: the sorted distinct non-NULL values of a column, as a list. #}
{% macro sorted_distinct_list_agg(expr) -%}
    {{ return(adapter.dispatch('sorted_distinct_list_agg')(expr)) }}
{%- endmacro %}
{% macro default__sorted_distinct_list_agg(expr) -%}list_sort(list_distinct(list({{ expr }}))){%- endmacro %}
{% macro spark__sorted_distinct_list_agg(expr) -%}array_sort(collect_set({{ expr }})){%- endmacro %}


{# Aggregate: how many distinct non-NULL elements the lists of a column hold together. #}
{% macro distinct_count_across_lists(expr) -%}
    {{ return(adapter.dispatch('distinct_count_across_lists')(expr)) }}
{%- endmacro %}
{% macro default__distinct_count_across_lists(expr) -%}len(list_distinct(flatten(list({{ expr }})))){%- endmacro %}
{% macro spark__distinct_count_across_lists(expr) -%}size(array_compact(array_distinct(flatten(collect_list({{ expr }}))))){%- endmacro %}

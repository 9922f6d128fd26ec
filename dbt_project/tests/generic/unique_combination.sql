{#
  The combination of `columns` is unique (NULL counts as a value, as in GROUP BY).
  A stand-in for dbt_utils.unique_combination_of_columns: the project installs no packages.
#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n_rows
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}

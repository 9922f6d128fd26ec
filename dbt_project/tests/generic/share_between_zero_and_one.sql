{#
  Every non-NULL value of the column is a share: between 0 and 1 inclusive (rates are stored as
  fractions, 0.64 not 64). NULL passes (a rate with a zero denominator is NULL).
#}
{% test share_between_zero_and_one(model, column_name) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} < 0 or {{ column_name }} > 1
{% endtest %}

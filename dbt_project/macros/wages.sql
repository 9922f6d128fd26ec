{#
  Wage-by-level measures (metrics.md section 3), shared by the wage marts.

  wage_worker_cells(relation, cells): one row per cell and worker from month rows shaped like
  int_wage_months (income_yen, days_worked, guideline_annual_yen, working_days_basis,
  business_id). Over the worker's surveyed months in the cell:
    observed_annual_yen = sum(income_yen) x working_days_basis / sum(days_worked)
    guideline_annual_yen = sum(guideline x days_worked) / sum(days_worked)   (days-weighted:
      the cell's guideline itself when the cell has one prefecture, occupation and level)
    is_below_guideline  = sum(income_yen) x basis < sum(guideline x days_worked), compared in
      integer yen, so an observed income exactly at the guideline (a tie) is NOT below;
      NULL when some month of the cell has no guideline (no unit price for its FY).
  Workers whose days in the cell add up to 0 have no observed income and no row.

  wage_cell_measures(relation, cells): the cell measures from those per-worker rows, with the
  distinct employers behind the surveyed workers, those with a guideline and those below it.
#}
{% macro wage_worker_cells(relation, cells) -%}
    select
        {% for c in cells %}{{ c }}, {% endfor %}
        worker_key,
        cast(sum(income_yen) as {{ dbt.type_bigint() }}) as income_yen,
        cast(sum(days_worked) as {{ dbt.type_bigint() }}) as days_worked,
        cast(count(*) as {{ dbt.type_bigint() }}) as months_surveyed,
        max(working_days_basis) as working_days_basis,
        cast(sum(guideline_annual_yen * days_worked) as {{ dbt.type_bigint() }}) as guideline_yen_days,
        sum(case when guideline_annual_yen is null then 1 else 0 end) as months_without_guideline,
        cast(sum(income_yen) * max(working_days_basis) as double) / sum(days_worked)
            as observed_annual_yen,
        case when sum(case when guideline_annual_yen is null then 1 else 0 end) = 0
             then cast(sum(guideline_annual_yen * days_worked) as double) / sum(days_worked)
        end as guideline_annual_yen,
        case when sum(case when guideline_annual_yen is null then 1 else 0 end) = 0
             then sum(income_yen) * max(working_days_basis) < sum(guideline_annual_yen * days_worked)
        end as is_below_guideline,
        {{ sorted_distinct_list_agg('business_id') }} as business_ids,
        max(year_month) as last_month
    from {{ relation }}
    group by {% for c in cells %}{{ c }}, {% endfor %}worker_key
    having sum(days_worked) > 0
{%- endmacro %}


{% macro wage_cell_measures(relation, cells) -%}
    select
        {% for c in cells %}{{ c }}, {% endfor %}
        cast(count(*) as {{ dbt.type_bigint() }}) as workers_surveyed,
        -- distinct employers of the cell's workers (a worker may be paid by two in a cell)
        cast({{ distinct_count_across_lists('business_ids') }} as {{ dbt.type_bigint() }})
            as businesses_surveyed,
        cast(round(median(observed_annual_yen)) as {{ dbt.type_bigint() }}) as median_observed_annual_yen,
        cast(count(is_below_guideline) as {{ dbt.type_bigint() }}) as workers_with_guideline,
        cast(sum(case when is_below_guideline then 1 else 0 end) as {{ dbt.type_bigint() }})
            as workers_below_guideline,
        cast(sum(case when is_below_guideline then 1 else 0 end) as double)
            / nullif(count(is_below_guideline), 0) as share_below_guideline,
        -- the employers behind the share's denominator and numerator (pages suppress on them)
        cast({{ distinct_count_across_lists('case when is_below_guideline is not null then business_ids end') }}
             as {{ dbt.type_bigint() }}) as businesses_with_guideline,
        cast({{ distinct_count_across_lists('case when is_below_guideline then business_ids end') }}
             as {{ dbt.type_bigint() }}) as businesses_below_guideline,
        median(observed_annual_yen / guideline_annual_yen) as median_ratio_to_guideline,
        max(last_month) as last_surveyed_month
    from {{ relation }}
    group by {% for c in cells %}{{ c }}{% if not loop.last %}, {% endif %}{% endfor %}
{%- endmacro %}


{#
  wage_mean_guidelines(relation, cells): the mean guideline of each cell over its workers
  (rounded to the yen). wage_cell_columns(alias): the cell measures every wage mart publishes,
  in the contract's order, after mean_guideline_annual_yen.
#}
{% macro wage_mean_guidelines(relation, cells) -%}
    select {% for c in cells %}{{ c }}, {% endfor %}
           cast(round(avg(guideline_annual_yen)) as {{ dbt.type_bigint() }}) as mean_guideline_annual_yen
    from {{ relation }}
    group by {{ cells | join(', ') }}
{%- endmacro %}


{% macro wage_cell_columns(alias) -%}
    {%- for c in ['median_observed_annual_yen', 'workers_surveyed', 'share_below_guideline',
                  'workers_below_guideline', 'workers_with_guideline', 'businesses_surveyed',
                  'businesses_with_guideline', 'businesses_below_guideline',
                  'median_ratio_to_guideline', 'last_surveyed_month'] %}
    {{ alias }}.{{ c }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

-- Work-history days summed per month, worker, site, employer and input method (the first touch's
-- method of each day, int_work_history_days). The adoption marts that count work-history days,
-- their workers, businesses or sites per month read these rows (≈3× fewer than the days at
-- national scale, where a worker's input method changes from day to day): a
-- count of days is the sum of work_history_days, a distinct count is the same over these rows.
-- Incremental by work month (work_month_config in macros/incremental.sql): a month holding a
-- changed work date is recomputed whole from int_work_history_days, the others are kept.

{{ config(**work_month_config(['attendance'])) }}

with days as (

    select * from {{ ref('int_work_history_days') }}
    {% if is_incremental() -%}
    where work_month in {{ changed_months() }}
    {%- endif %}

)

select
    work_month as month,
    worker_key,
    site_id,
    employer_business_id,
    input_method,
    cast(count(*) as {{ dbt.type_bigint() }}) as work_history_days,
    max(_committed_at) as _committed_at
from days
group by work_month, worker_key, site_id, employer_business_id, input_method

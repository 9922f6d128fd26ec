-- 国民の祝日 (national and substitute holidays), one row per date, from the maintained
-- `holidays` library as written into bronze by the Dagster asset bronze/jp_holidays.
-- Sundays are not listed here: they come from the date itself (macro is_sunday).

with holidays as (

    select * from {{ source('bronze', 'jp_holidays') }}

)

select
    cast(holiday_date as date) as holiday_date,
    min(name_ja) as name_ja,
    min(name_en) as name_en,
    max(library_version) as library_version
from holidays
where holiday_date is not null
group by cast(holiday_date as date)

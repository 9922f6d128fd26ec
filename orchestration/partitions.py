"""Daily partitions of the day-by-day feeds (attendance by receipt date, rosters by work date)."""
import dagster as dg

# CCUS started operating in April 2019; Japan time, since every file date is a Japanese date.
FIRST_DAY = "2019-04-01"
daily_partitions = dg.DailyPartitionsDefinition(start_date=FIRST_DAY, end_offset=1, timezone="Asia/Tokyo")

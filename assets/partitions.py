"""Daily partitions of the day-by-day feeds (attendance by receipt date, rosters by work date)."""
import dagster as dg

from ccus.feeds.contract import PARTITION_FIRST_DAY

# CCUS started operating in April 2019; Japan time, since every file date is a Japanese date.
FIRST_DAY = PARTITION_FIRST_DAY.isoformat()
daily_partitions = dg.DailyPartitionsDefinition(start_date=FIRST_DAY, end_offset=1, timezone="Asia/Tokyo")

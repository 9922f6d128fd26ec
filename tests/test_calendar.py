"""Holidays come from the maintained library, substitute and one-off holidays included."""
import datetime as dt

from ccus.calendar import holiday_table, write_holidays
from ccus.lakehouse import Lakehouse


def test_holidays_include_substitute_and_moved_days(tmp_path):
    table = holiday_table(last_year=2026)
    days = dict(zip(table.column("holiday_date").to_pylist(), table.column("name_ja").to_pylist()))
    assert days[dt.date(2024, 2, 12)] == "振替休日"          # 建国記念の日 fell on a Sunday
    assert dt.date(2021, 7, 23) in days                      # スポーツの日 moved for the 2020 Games
    assert dt.date(2021, 10, 11) not in days                 # …so the usual October date was a work day
    assert dt.date(2021, 12, 29) not in days                 # year-end closure is not a national holiday
    write_holidays(Lakehouse(tmp_path))
    assert Lakehouse(tmp_path).glob("bronze/jp_holidays/*/*.parquet") == ["bronze/jp_holidays/all/jp_holidays.parquet"]

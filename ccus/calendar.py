"""Japanese public holidays (国民の祝日, including substitute holidays) from the maintained
`holidays` library, written as a reference table into bronze for the dbt models."""
import datetime as dt

import holidays
import pyarrow as pa

from ccus.lakehouse import Lakehouse

FIRST_YEAR = 2003  # the 310-yen 建退共 period starts about then; earlier work days are not expected
HOLIDAYS_PATH = "bronze/jp_holidays/all/jp_holidays.parquet"
SCHEMA = pa.schema([("holiday_date", pa.date32()), ("name_ja", pa.string()), ("name_en", pa.string()),
                    ("library_version", pa.string())])


def holiday_table(last_year: int | None = None) -> pa.Table:
    years = range(FIRST_YEAR, (last_year or dt.date.today().year + 2) + 1)
    ja = holidays.JP(years=years, language="ja")
    en = holidays.JP(years=years, language="en_US")
    days = sorted(ja)
    return pa.table({
        "holiday_date": days, "name_ja": [ja[d] for d in days], "name_en": [en[d] for d in days],
        "library_version": [holidays.__version__] * len(days),
    }, schema=SCHEMA)


def write_holidays(lakehouse: Lakehouse) -> int:
    table = holiday_table()
    lakehouse.write_parquet(HOLIDAYS_PATH, table)
    return table.num_rows

"""File styles: the variety feeds.md allows, spread deterministically over the files."""
from __future__ import annotations

import datetime as dt

from simulator.render import Style


def registry_style(delivery: int, feed_no: int) -> Style:
    """Registry exports: CP932, CRLF, Japanese headers (as Japanese desktop tools write them)."""
    i = delivery + feed_no
    return Style(encoding="cp932", eol="\r\n", header="ja", date_sep="/" if i % 2 == 0 else "-",
                 tz="" if i % 3 != 1 else "+09:00", enums="ja" if i % 2 == 0 else "code",
                 bools="hai" if i % 3 != 2 else "10", quoting="all_valid" if i % 4 == 3 else "none")


def roster_style(i: int) -> Style:
    if i % 7 == 3:      # about 1 in 7: a site office's spreadsheet export
        return Style(encoding="cp932", eol="\r\n", header="ja", date_sep="/", enums="ja", bools="hai")
    if i % 5 == 1:
        return Style(encoding="utf-8-sig", date_sep="/", bools="10", quoting="all_valid")
    if i % 11 == 7:
        return Style(header="ja", enums="ja")
    return Style(shuffle_columns=i % 13 == 5)


def attendance_style(i: int, day: dt.date) -> Style:
    if day.weekday() == 6 or i % 10 == 6:   # Sundays' and some other deliveries come as JSON Lines
        return Style(fmt="jsonl", tz="" if i % 4 == 1 else "+09:00")
    bom = i % 6 == 2
    return Style(encoding="utf-8-sig" if bom else "utf-8", eol="\r\n" if bom else "\n", header="ja" if bom else "en",
                 tz="" if i % 4 == 1 else "+09:00", date_sep="/" if i % 3 == 0 else "-",
                 enums="ja" if i % 9 == 4 else "code", shuffle_columns=i % 8 == 5)


def monthly_style(i: int) -> Style:
    if i % 3 == 0:
        return Style(encoding="cp932", eol="\r\n", header="ja", enums="ja")
    return Style()

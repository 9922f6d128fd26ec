"""Timestamps are typed by DuckDB in two lanes (validate.py): values of the plain shape by
substrings, every other value by the regexp groups. Both lanes must give what the contract
says, which a small Python reading of feeds.md computes independently here: ISO 8601 with
optional seconds, fraction and offset; no offset means Japan time; Z is UTC; the result is the
Japan wall time, and a value that is not a calendar time is quarantined as bad_timestamp."""
import datetime as dt
import re

from ccus.feeds.contract import FEEDS
from ccus.feeds.reader import ParsedFile
from ccus.feeds.validate import PLAIN_TIMESTAMP, validate
from tests.test_readers import VALID

CONTRACT = re.compile(r"(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?[ \t]*"
                      r"(Z|[+-]\d{2}(?::?\d{2})?)?", re.ASCII)


def japan_time(text: str) -> dt.datetime | None:
    m = CONTRACT.fullmatch(text)
    if not m:
        return None
    y, mo, d, h, mi, s, tz = m.groups()
    try:
        wall = dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
    except ValueError:
        return None
    if tz is None:
        offset = 9 * 60
    elif tz == "Z":
        offset = 0
    else:
        digits = tz[1:].replace(":", "")
        offset = (-1 if tz[0] == "-" else 1) * (int(digits[:2]) * 60 + int(digits[2:4] or 0))
    return wall + dt.timedelta(minutes=9 * 60 - offset)


TEXTS = [
    # the plain shape
    "2024-05-01T08:00:00", "2024-05-01T08:00:00+09:00", "2024/05/01 08:00:00Z", "2024-05-01T03:00:00-05:00",
    "2024-05-01T23:30:00-10:00", "2024-12-31T20:00:00Z", "2024-05-01T08:00:00+05:30",
    "2024-02-30T08:00:00", "2024-13-01T08:00:00+09:00", "2024-05-01T25:00:00", "2024-02-29T00:00:00+00:00",
    # the other shapes the contract allows
    "2024-05-01T08:00:00+0900", "2024-05-01T08:00:00+09", "2024-05-01T08:15", "2024/05/01 08:15+09:00",
    "2024-05-01T08:00:00.250+09:00", "2024-05-01 08:00:00 +09:00", "2023-02-29T10:00",
    # not timestamps
    "2024-5-01T08:00:00", "8時", "2024-05-01", "2024-05-01T08:00:00+9:00", "2024-05-01T08:00:00 JST",
]


def test_both_lanes_type_timestamps_as_the_contract_says():
    plain = re.compile(PLAIN_TIMESTAMP)
    assert any(plain.fullmatch(t) for t in TEXTS) and not all(plain.fullmatch(t) for t in TEXTS)
    feed = FEEDS["attendance"]
    columns = {name: [value] * len(TEXTS) for name, value in VALID["attendance"].items()}
    columns["record_id"] = [f"R{i}" for i in range(len(TEXTS))]
    columns["received_at"] = list(TEXTS)
    parsed = ParsedFile("utf-8", columns, {}, list(range(2, len(TEXTS) + 2)))
    result = validate(feed, parsed, dt.date(2025, 1, 1))  # after every text: no bound is in the way

    typed = dict(zip(result.accepted.column("_source_line").to_pylist(),
                     result.accepted.column("received_at").to_pylist()))
    rejected = {q["_source_line"]: q for q in result.quarantined.to_pylist()}
    for line, text in enumerate(TEXTS, start=2):
        expected = japan_time(text)
        if expected is None:
            assert rejected[line]["reason"] == "bad_timestamp" and rejected[line]["column_name"] == "received_at", text
        else:
            assert typed[line] == expected, text

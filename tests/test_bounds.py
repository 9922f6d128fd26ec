"""The plausibility bounds of feeds.md at the door: every bound tested at the bound (accepted) and
one step beyond it (quarantined as out_of_range, naming the column), on real DuckDB validation.
The file's date is 2024-05-01 unless a case says otherwise, so "the file's date plus one day" is
2024-05-02."""
import datetime as dt

import pytest

from ccus.feeds import contract as c
from ccus.feeds.reader import read_bytes
from ccus.feeds.validate import validate
from tests.test_readers import VALID

FILE_DATE = dt.date(2024, 5, 1)
E13, E15, E8 = 10**13, 10**15, 10**8

# (feed, column, overrides at the bound, overrides one step beyond it, file date or None)
ERA_DATE = [("2019-01-01", "2018-12-31"), ("2024-05-02", "2024-05-03")]
ERA_TIME = [("2019-01-01T00:00:00", "2018-12-31T23:59:59"), ("2024-05-02T23:59:59", "2024-05-03T00:00:00")]
PROJECT = [("1990-01-01", "1989-12-31"), ("2100-12-31", "2101-01-01")]


def _pairs(feed, column, pairs, **fixed):
    return [(feed, column, {column: at, **fixed}, {column: beyond, **fixed}, None) for at, beyond in pairs]


CASES = [
    ("businesses", "capital_yen", {"capital_yen": str(E15)}, {"capital_yen": str(E15 + 1)}, None),
    ("businesses", "employee_count", {"employee_count": "1000000"}, {"employee_count": "1000001"}, None),
    *_pairs("businesses", "registered_on", ERA_DATE),
    *_pairs("businesses", "updated_at", ERA_TIME),
    *_pairs("workers", "birth_date", [("1900-01-01", "1899-12-31"), ("2024-05-01", "2024-05-02")]),
    *_pairs("workers", "registered_on", ERA_DATE),
    *_pairs("workers", "level_judged_on", ERA_DATE),
    *_pairs("workers", "experience_start_on", [("1940-01-01", "1939-12-31"), ("2024-05-01", "2024-05-02")]),
    *_pairs("workers", "insurance_verified_on", ERA_DATE),
    *_pairs("workers", "updated_at", ERA_TIME),
    ("sites", "contract_amount_yen", {"contract_amount_yen": str(E13)}, {"contract_amount_yen": str(E13 + 1)}, None),
    ("sites", "start_on", {"start_on": "1990-01-01"}, {"start_on": "1989-12-31"}, None),
    ("sites", "start_on", {"start_on": "2100-12-31", "end_on": "2100-12-31"},
     {"start_on": "2101-01-01", "end_on": "2100-12-31"}, None),
    ("sites", "end_on", {"start_on": "1990-01-01", "end_on": "1990-01-01"},
     {"start_on": "1990-01-01", "end_on": "1989-12-31"}, None),
    *_pairs("sites", "end_on", [PROJECT[1]]),
    *_pairs("sites", "registered_on", ERA_DATE),
    *_pairs("sites", "updated_at", ERA_TIME),
    ("site_contracts", "tier", {"tier": "99"}, {"tier": "100"}, None),
    *_pairs("site_contracts", "joined_on", PROJECT),
    *_pairs("site_contracts", "left_on", PROJECT),
    # a roster's work date must also be its file's date: the lower bound on a file of 2019-01-01
    ("rosters", "work_date", {"work_date": "2019-01-01"}, {"work_date": "2018-12-31"}, dt.date(2019, 1, 1)),
    ("rosters", "work_date", {"work_date": "2024-05-01"}, {"work_date": "2024-05-03"}, None),
    # attendance: work_date up to the file's date (a later one is a future record)
    ("attendance", "work_date",
     {"work_date": "2019-01-01", "entered_at": "2019-01-01T08:00:00", "exited_at": "2019-01-01T17:00:00"},
     {"work_date": "2018-12-31", "entered_at": "2019-01-01T08:00:00", "exited_at": "2019-01-01T17:00:00"}, None),
    ("attendance", "work_date", {"work_date": "2024-05-01"},
     {"work_date": "2024-05-02", "entered_at": "2024-05-02T08:00:00", "exited_at": "2024-05-02T17:00:00"}, None),
    ("attendance", "entered_at",
     {"work_date": "2019-01-01", "entered_at": "2019-01-01T00:00:00", "exited_at": ""},
     {"work_date": "2019-01-01", "entered_at": "2018-12-31T23:59:59", "exited_at": ""}, None),
    ("attendance", "entered_at", {"entered_at": "2024-05-01T23:59:59", "exited_at": ""},
     {"entered_at": "2024-05-03T00:00:00", "exited_at": ""}, None),
    ("attendance", "exited_at",
     {"work_date": "2019-01-01", "entered_at": "2019-01-01T00:00:00", "exited_at": "2019-01-01T00:00:00"},
     {"work_date": "2019-01-01", "entered_at": "2019-01-01T00:00:00", "exited_at": "2018-12-31T23:59:59"}, None),
    ("attendance", "exited_at", {"entered_at": "2024-05-01T23:59:59", "exited_at": "2024-05-02T23:59:59"},
     {"entered_at": "2024-05-01T23:59:59", "exited_at": "2024-05-03T00:00:00"}, None),
    *_pairs("attendance", "received_at", ERA_TIME),
    ("wages", "year_month", {"year_month": "2019-01"}, {"year_month": "2018-12"}, None),
    ("wages", "year_month", {"year_month": "2024-05"}, {"year_month": "2024-06"}, None),
    ("wages", "days_worked", {"days_worked": "31"}, {"days_worked": "32"}, None),
    *[("wages", col, {col: str(E8)}, {col: str(E8 + 1)}, None)
      for col in ("base_pay_yen", "allowances_yen", "overtime_pay_yen", "bonus_yen")],
    ("kentaikyo", "year_month", {"year_month": "2019-01"}, {"year_month": "2018-12"}, None),
    ("kentaikyo", "year_month", {"year_month": "2024-05"}, {"year_month": "2024-06"}, None),
    ("kentaikyo", "days_reported", {"days_reported": "31"}, {"days_reported": "32"}, None),
    ("kentaikyo", "amount_yen", {"amount_yen": str(E8)}, {"amount_yen": str(E8 + 1)}, None),
]

# Row rules of attendance (feeds.md): entered on the work date or the day before; at most 24 hours
# on site. (column named, overrides at the bound, one second beyond)
ROW_CASES = [
    ("entered_at", {"entered_at": "2024-04-30T00:00:00", "exited_at": ""},
     {"entered_at": "2024-04-29T23:59:59", "exited_at": ""}),
    ("entered_at", {"entered_at": "2024-05-01T23:59:59", "exited_at": ""},
     {"entered_at": "2024-05-02T00:00:00", "exited_at": ""}),
    ("exited_at", {"entered_at": "2024-05-01T08:00:00", "exited_at": "2024-05-02T08:00:00"},
     {"entered_at": "2024-05-01T08:00:00", "exited_at": "2024-05-02T08:00:01"}),
]


def _check(feed: str, overrides: dict, file_date: dt.date):
    """(reason, column) of the row's quarantine, or None when it is accepted."""
    row = dict(VALID[feed], **overrides)
    columns = [col for col in c.FEEDS[feed].columns if col.name in row]
    text = ",".join(col.name for col in columns) + "\n" + ",".join(row[col.name] for col in columns) + "\n"
    parsed = read_bytes(c.FEEDS[feed], text.encode(), f"{feed}_x.csv")
    result = validate(c.FEEDS[feed], parsed, file_date)
    if result.accepted.num_rows == 1:
        return None
    [q] = result.quarantined.to_pylist()
    return q["reason"], q["column_name"]


@pytest.mark.parametrize("feed,column,at,beyond,file_date", CASES,
                         ids=[f"{f}.{col}={b[col]}" for f, col, _, b, _ in CASES])
def test_every_bound_accepts_its_bound_and_quarantines_one_step_beyond(feed, column, at, beyond, file_date):
    file_date = file_date or FILE_DATE
    assert _check(feed, at, file_date) is None
    assert _check(feed, beyond, file_date) == ("out_of_range", column)


def test_every_bound_of_the_contract_is_tested_at_both_ends():
    bounded = {(f.name, col.name) for f in c.FEEDS.values() for col in f.columns if col.bound}
    assert bounded == {(feed, column) for feed, column, *_ in CASES}
    for feed, column in bounded:
        bound = c.FEEDS[feed].column(column).bound
        ends = (bound.low is not None) + (bound.high is not None or bound.days_after_file is not None)
        assert sum(1 for f, col, *_ in CASES if (f, col) == (feed, column)) >= ends, (feed, column)


@pytest.mark.parametrize("column,at,beyond", ROW_CASES, ids=[b[c] for c, _, b in ROW_CASES])
def test_attendance_entry_day_and_time_on_site(column, at, beyond):
    assert _check("attendance", at, FILE_DATE) is None
    assert _check("attendance", beyond, FILE_DATE) == ("out_of_range", column)


@pytest.mark.parametrize("overrides,column", [
    ({"work_date": "0001-01-01", "entered_at": "0001-01-01T08:00:00", "exited_at": ""}, "work_date"),
    ({"work_date": "9999-12-31", "entered_at": "9999-12-31T08:00:00", "exited_at": ""}, "work_date"),
    ({"work_date": "2031-05-01", "entered_at": "2031-05-01T08:00:00", "exited_at": ""}, "work_date"),
    # 26,000 hours on site: entered 2024-04-30 08:00, exited ≈ 3 years later (also past the file)
    ({"entered_at": "2024-04-30T08:00:00", "exited_at": "2027-04-22T16:00:00"}, "exited_at"),
    ({"entered_at": "2024-04-30T08:00:00", "exited_at": "2024-05-01T08:00:01"}, "exited_at"),  # 24 h + 1 s
])
def test_absurd_attendance_is_quarantined_not_published(overrides, column):
    """The issue's findings: work dates 0001-01-01 and 9999-12-31, a work date years after its
    file's date and a 26,000-hour stay were accepted and reached the ministry's charts."""
    assert _check("attendance", overrides, FILE_DATE) == ("out_of_range", column)


@pytest.mark.parametrize("text,reason", [
    ("999999999999999999", "out_of_range"),            # 18 digits: accepted before, and overflowed the wage models
    ("99999999999999999999999999999", "out_of_range"),  # beyond BIGINT
    ("0000000000000000000000000000100", None),         # 100 with leading zeros: 31 characters, a small integer
    ("-1", "bad_int"), ("1e3", "bad_int"), ("１００", "bad_int"),  # not digits 0-9
])
def test_wage_amounts_are_integers_within_ten_to_the_eighth(text, reason):
    outcome = _check("wages", {"base_pay_yen": text}, FILE_DATE)
    assert outcome == (None if reason is None else (reason, "base_pay_yen"))


def test_birth_date_is_required():
    """feeds.md: workers.birth_date is required; a blank is missing_value (the contract changed)."""
    assert _check("workers", {"birth_date": ""}, FILE_DATE) == ("missing_value", "birth_date")

"""After a sequence of daily increments, every table of the warehouse (gold's marts included)
equals a full rebuild of the same lakehouse.

Four days of the tiny simulation arrive one day at a time, each run as the platform does it:
the day's files ingested, the audit compacted (ccus/feeds/audit.py), then one dbt build. They
carry what makes an increment hard: attendance records received days late (the simulator sends
≈6 % of them in a later day's file), a corrected `_2` attendance file and roster file for day 2
delivered with day 3 (fewer rows: records withdrawn), quarantined rows, and on day 4 a registry
delta (businesses, workers, sites, contracts: new rows and updates, latest row per key wins).
Then `--full-refresh` builds a second warehouse from the same bronze: every table, row for row,
must be the same (DOUBLE columns to 9 decimals: parallel sums differ in their last bits).
Data tests are left out of these builds (they are the suite's other modules' subject).
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from ccus.calendar import write_holidays
from ccus.feeds import audit
from ccus.feeds.inbox import Inbox
from ccus.feeds.ingest import ingest
from ccus.lakehouse import Lakehouse
from simulator import simulate
from tests.bronze_factory import BronzeLake
from tests.test_dbt_incremental import dbt_run

START = dt.date(2025, 10, 1)
KEY = b"test-key-not-a-secret"
NO_TESTS = ["--exclude", "resource_type:test", "resource_type:unit_test"]


def _day(path: Path) -> dt.date | None:
    digits = next((s for s in path.stem.split("_") if s.isdigit() and len(s) == 8), None)
    return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8])) if digits else None


def _correction(inbox: Path, feed: str, day: dt.date, dropped: int) -> Path:
    """A `_2` file of the day: the delivered file without its last `dropped` lines."""
    original = inbox / feed / f"{feed}_{day:%Y%m%d}.csv"
    lines = original.read_bytes().splitlines(keepends=True)
    corrected = original.with_name(f"{feed}_{day:%Y%m%d}_2.csv")
    corrected.write_bytes(b"".join(lines[:-dropped]))
    return corrected


def _tables(warehouse: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('staging', 'intermediate', 'marts') "
            "and table_name not like '%\\_\\_changed\\_dates' escape '\\' order by 1, 2").fetchall()
        out = {}
        for schema, name in names:
            relation = con.sql(f'select * from {schema}."{name}"')
            rounded = [tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in relation.fetchall()]
            out[f"{schema}.{name}"] = sorted(rounded, key=repr)
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def increments(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("daily_increments")
    simulated, inbox_dir = tmp / "simulated", tmp / "inbox"
    simulate("tiny", simulated, start=START, days=4, seed=42)
    lh = Lakehouse(tmp / "lakehouse")
    write_holidays(lh)
    lake = BronzeLake(lh.root)  # only its root: dbt_run reads `lake.root`
    files = sorted(p for p in simulated.rglob("*") if p.is_file())
    incremental = tmp / "incremental.duckdb"
    delivered = {}
    for n in range(4):
        day = START + dt.timedelta(days=n)
        # day 1 also brings the month's files (wages, 建退共) and the simulation's description
        todays = [p for p in files if _day(p) == day or (n == 0 and _day(p) is None)]
        for p in todays:
            target = inbox_dir / p.relative_to(simulated)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(p, target)
        if n == 2:
            _correction(inbox_dir, "attendance", START + dt.timedelta(days=1), dropped=3)
            _correction(inbox_dir, "rosters", START + dt.timedelta(days=1), dropped=2)
        inbox = Inbox(inbox_dir)
        delivered[day] = ingest(lh, inbox, inbox.files(), KEY)
        audit.compact(lh)
        dbt_run(tmp, lake, incremental, *NO_TESTS, command="build", select=[])
    full = tmp / "full.duckdb"
    dbt_run(tmp, lake, full, "--full-refresh", *NO_TESTS, command="build", select=[])
    return {"incremental": _tables(incremental), "full": _tables(full), "delivered": delivered,
            "late": _late_records(incremental)}


def _late_records(warehouse: Path) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("select count(*) from staging.stg_attendance where _file_date > work_date").fetchone()[0]
    finally:
        con.close()


def test_the_increments_carry_late_records_corrections_and_a_registry_change(increments):
    by_day = {day: {r["file"] for r in rows} for day, rows in increments["delivered"].items()}
    day3, day4 = START + dt.timedelta(days=2), START + dt.timedelta(days=3)
    assert {"attendance_20251002_2.csv", "rosters_20251002_2.csv"} <= by_day[day3]
    assert {"businesses_20251004.csv", "workers_20251004.csv", "sites_20251004.csv",
            "site_contracts_20251004.csv"} <= by_day[day4]
    assert increments["late"] > 0
    assert all(r["status"] == "ingested" for rows in increments["delivered"].values() for r in rows)


def test_every_table_equals_a_full_rebuild_after_the_increments(increments):
    full, incremental = increments["full"], increments["incremental"]
    assert incremental.keys() == full.keys()
    assert any(name.startswith("marts.") for name in full) and sum(map(len, full.values())) > 0
    different = [name for name in full if incremental[name] != full[name]]
    assert different == []

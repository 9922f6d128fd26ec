"""The bench's inboxes: a simulated inbox split into the first run's files and the daily
increment, linked into the inbox a run reads; and the rows a run ingested (from its audit)."""
from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import duckdb

DAILY_FEEDS = ("attendance", "rosters")
REGISTRY_FEEDS = ("businesses", "workers", "sites", "site_contracts")


def file_day(path: Path) -> dt.date | None:
    stem = path.stem.split("_")
    digits = next((s for s in stem if s.isdigit() and len(s) == 8), None)
    return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8])) if digits else None


def split_inbox(inbox: Path, fraction_days: int | None, with_registry: bool = False
                ) -> tuple[list[Path], list[Path], dt.date]:
    """(base files, the daily increment's files, the increment's day). ``fraction_days`` None: every
    file but the last day's is the base (the monthly feeds and the registry's month-end delivery
    included). A number (national-full's fraction): the first ``fraction_days`` days of attendance
    and rosters (with the registry's first delivery when ``with_registry``), the next day's as the
    increment."""
    files = sorted(p for p in inbox.rglob("*") if p.is_file() and not p.name.startswith("."))
    days = sorted({file_day(p) for p in files if p.parent.name in DAILY_FEEDS} - {None})
    if fraction_days is not None:
        base_days = set(days[:fraction_days])
        incr_day = days[fraction_days]
        base = [p for p in files if p.parent.name in DAILY_FEEDS and file_day(p) in base_days]
        if with_registry:
            base += [p for p in files if p.parent.name in REGISTRY_FEEDS and file_day(p) == days[0]]
        incr = [p for p in files if p.parent.name in DAILY_FEEDS and file_day(p) == incr_day]
        return base, incr, incr_day
    incr_day = days[-1]
    incr = [p for p in files if file_day(p) == incr_day]
    base = [p for p in files if p not in set(incr)]
    return base, incr, incr_day


def link_into(files: list[Path], src: Path, dst: Path) -> None:
    for p in files:
        target = dst / p.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            try:
                os.link(p, target)
            except OSError:
                shutil.copy2(p, target)


def rows_in_audit(lakehouse: Path) -> int:
    pattern = lakehouse / "bronze" / "ingest_audit" / "*" / "*.parquet"
    if not list((lakehouse / "bronze" / "ingest_audit").glob("*/*.parquet")):
        return 0
    con = duckdb.connect()
    try:
        return int(con.execute(f"SELECT coalesce(sum(rows_read), 0) FROM read_parquet('{pattern}', "
                               "union_by_name = true)").fetchone()[0])
    finally:
        con.close()

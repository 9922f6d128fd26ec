"""Faults survived, nothing lost: a run killed during the dbt build, then re-run, gives the gold of
an uninterrupted run; corrected files (_2) supersede; late records for past days count."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.inbox_writer import write_csv
from tests.test_pipeline import W1, W2, S1, B1, _write_inbox
from tests.test_readers import VALID, _rows

CCUS = str(Path(sys.executable).parent / "ccus")


def _inbox_with_correction(inbox: Path) -> None:
    _write_inbox(inbox)
    # The corrected delivery of 2024-04-10 drops W2's record A3 and adds a late record of W2 for
    # 2024-04-01 (a day already past when it was received).
    att = lambda rid, w, day: dict(VALID["attendance"], record_id=rid, worker_id=w, site_id=S1,  # noqa: E731
                                   employer_business_id=B1, work_date=day, entered_at=f"{day}T08:00:00",
                                   exited_at=f"{day}T17:00:00", received_at="2024-04-10T20:00:00")
    header, rows = _rows("attendance", [att("A1", W1, "2024-04-10"), att("A2", W1, "2024-04-10"),
                                        att("A7", W2, "2024-04-01")])
    write_csv(inbox, "attendance", "attendance_20240410_2.csv", header, rows)


def _run(inbox, lakehouse, **kw):
    return subprocess.run([CCUS, "run", "--inbox", str(inbox), "--lakehouse", str(lakehouse)],
                          capture_output=True, text=True, timeout=600, **kw)


def _gold(lh: Path) -> dict:
    out = {}
    for path in sorted((lh / "gold").glob("*.parquet")):
        table = pq.read_table(path)
        out[path.name] = table.drop_columns([c for c in ("ingested_at",) if c in table.column_names])
    return out


@pytest.fixture(scope="module")
def clean(tmp_path_factory, dbt_manifest):
    root = tmp_path_factory.mktemp("faults")
    _inbox_with_correction(root / "inbox")
    out = _run(root / "inbox", root / "clean")
    assert out.returncode == 0, out.stdout[-3000:]
    return root


def test_corrected_file_supersedes_and_late_records_count(clean):
    april = [r for r in pq.read_table(clean / "clean/gold/adoption_national.parquet").to_pylist()
             if r["month"].month == 4][0]
    # corrected 04-10: W1@S1 04-10 (two touches = 1 day) + W2@S1 04-01 (late) ; A3 (W2 04-10) is gone;
    # plus W3@S2 04-30 from the JSONL file = 3 days, by W1, W2, W3
    assert (april["work_history_days"], april["active_workers"]) == (3, 3)
    audit = {r["file"]: r for r in pq.read_table(clean / "clean/gold/ingest_audit.parquet").to_pylist()}
    assert audit["attendance_20240410_2.csv"]["file_version"] == 2
    assert audit["attendance_20240410_2.csv"]["rows_accepted"] == 3


def test_killed_during_dbt_build_then_rerun_gives_the_uninterrupted_gold(clean):
    lh = clean / "killed"
    proc = subprocess.Popen([CCUS, "run", "--inbox", str(clean / "inbox"), "--lakehouse", str(lh)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not (lh / "warehouse.duckdb").exists():
        time.sleep(0.02)
    time.sleep(1.0)  # inside dbt build: the warehouse file exists, gold does not yet
    assert not (lh / "gold/adoption_national.parquet").exists(), "killed too late to test anything"
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its dbt subprocess
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    again = _run(clean / "inbox", lh)
    assert again.returncode == 0, again.stdout[-3000:]
    assert "(0 new in this run)" in again.stdout  # ingestion had completed; only the models re-ran
    clean_gold, rerun_gold = _gold(clean / "clean"), _gold(lh)
    assert sorted(clean_gold) == sorted(rerun_gold)
    for name, table in clean_gold.items():
        assert rerun_gold[name].equals(table), name

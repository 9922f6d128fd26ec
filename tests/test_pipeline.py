"""The whole path through real Dagster runs: `ccus run` on a tiny hand-written inbox into a
temporary lakehouse, with every figure below computed by hand."""
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.inbox_writer import write_csv, write_jsonl
from tests.test_readers import VALID, _rows

CCUS = str(Path(sys.executable).parent / "ccus")
B1, B2, B3 = "00000000000001", "00000000000002", "00000000000003"
W1, W2, W3 = "00000000000101", "00000000000102", "00000000000103"
S1, S2 = "00000000001001", "00000000001002"


def _write_inbox(inbox: Path) -> None:
    # The registry's first deliveries are dated 2024-05-01: each holds registrations and updates up
    # to its own date (feeds.md, plausibility bounds: registered_on, updated_at <= file date + 1).
    biz = [
        dict(VALID["businesses"], business_id=B1, registered_on="2024-02-10"),
        dict(VALID["businesses"], business_id=B2, registered_on="2024/03/05", is_sole_proprietor="はい",
             prefecture_code="27", business_name="一人親方 鈴木"),
        dict(VALID["businesses"], business_id=B3, registered_on="2024-04-20", updated_at="2024-04-20T10:00:00"),
    ]
    header, rows = _rows("businesses", biz, japanese=True)
    write_csv(inbox, "businesses", "businesses_20240501.csv", header, rows, encoding="cp932", newline="\r\n")
    # B3 withdraws in May: a later delta, latest row per key wins.
    header, rows = _rows("businesses", [dict(biz[2], updated_at="2024-05-15T10:00:00")])
    write_csv(inbox, "businesses", "businesses_20240515.csv", header + ["is_withdrawn"], [rows[0] + ["true"]])

    workers = [
        dict(VALID["workers"], worker_id=W1, employer_business_id=B1, occupation_code="10-01", registered_on="2024-02-15"),
        dict(VALID["workers"], worker_id=W2, employer_business_id=B1, occupation_code="06-01", registered_on="2024-03-01"),
        dict(VALID["workers"], worker_id=W3, employer_business_id=B2, occupation_code="10-01", registered_on="2024-04-10"),
    ]
    header, rows = _rows("workers", workers)
    write_csv(inbox, "workers", "workers_20240501.csv", header, rows, bom=True)

    sites = [dict(VALID["sites"], site_id=S1, registered_on="2024-03-01", card_reader_installed="true",
                  prime_business_id=B1),
             dict(VALID["sites"], site_id=S2, registered_on="2024-04-05", card_reader_installed="false",
                  prime_business_id=B1)]
    header, rows = _rows("sites", sites)
    write_csv(inbox, "sites", "sites_20240501.csv", header, rows)

    att = lambda rid, w, s, day, t_in, t_out, emp=B1: dict(  # noqa: E731
        VALID["attendance"], record_id=rid, worker_id=w, site_id=s, employer_business_id=emp, work_date=day,
        entered_at=f"{day}T{t_in}", exited_at=f"{day}T{t_out}", received_at=f"{day}T20:00:00")
    header, rows = _rows("attendance", [
        att("A1", W1, S1, "2024-04-10", "08:00:00", "12:00:00"),
        att("A2", W1, S1, "2024-04-10", "13:00:00", "17:30:00"),   # second touch, same day: one work-history day
        att("A3", W2, S1, "2024-04-10", "08:00:00", "17:00:00"),
        dict(att("A4", W2, S1, "2024-04-10", "08:00:00", "17:00:00"), site_id="123"),  # bad id: quarantined
    ])
    write_csv(inbox, "attendance", "attendance_20240410.csv", header, rows)
    write_jsonl(inbox, "attendance", "attendance_20240502.jsonl", [
        att("A5", W1, S1, "2024-05-02", "08:00:00", "17:00:00"),
        att("A6", W3, S2, "2024-04-30", "08:00:00", "17:00:00", emp=B2),  # late record for April
    ])
    # the same bytes delivered again under another day's name: ingested once
    (inbox / "attendance/attendance_20240411.csv").write_bytes((inbox / "attendance/attendance_20240410.csv").read_bytes())
    (inbox / "notes").mkdir()
    (inbox / "notes/readme.txt").write_text("not a feed\n")


@pytest.fixture(scope="module")
def lakehouse(pipeline_run):
    """`ccus run` of _write_inbox's inbox (tests/conftest.py: made once, also read by test_s3)."""
    return pipeline_run / "lh", (pipeline_run / "stdout.txt").read_text()


def _gold(lh: Path, mart: str) -> list[dict]:
    return pq.read_table(lh / "gold" / f"{mart}.parquet").to_pylist()


def test_adoption_national_by_hand(lakehouse):
    lh, _ = lakehouse
    by_month = {r["month"]: r for r in _gold(lh, "adoption_national")}
    assert sorted(by_month) == [dt.date(2024, m, 1) for m in (2, 3, 4, 5)]
    cols = ("registered_workers", "registered_businesses", "registered_businesses_excl_sole", "sites_registered",
            "sites_with_card_reader", "work_history_days", "active_workers")
    got = {m.month: tuple(by_month[m][c] for c in cols) for m in by_month}
    # Feb: W1; B1. Mar: +W2; +B2 (sole); S1 (reader).
    # Apr: +W3; +B3; +S2 (no reader); days W1@S1 04-10 (two touches = 1 day), W2@S1 04-10, W3@S2 04-30 (late) = 3;
    #      active in Apr 1..30 = W1, W2, W3.
    # May: B3 withdrawn (updated 05-15) -> 2 businesses, 1 without sole; day W1@S1 05-02 = 1;
    #      active in the 30 days up to May 31 (May 2..31) = W1 only, on the window's first day.
    assert got == {
        2: (1, 1, 1, 0, 0, 0, 0),
        3: (2, 2, 1, 1, 1, 0, 0),
        4: (3, 3, 2, 2, 1, 3, 3),
        5: (3, 2, 1, 2, 1, 1, 1),
    }


def test_adoption_monthly_by_hand(lakehouse):
    lh, _ = lakehouse
    rows = {(r["month"].month, r["prefecture_code"], r["occupation_code"]):
            (r["registered_workers"], r["new_workers"], r["active_workers"], r["work_history_days"])
            for r in _gold(lh, "adoption_monthly")}
    # W1 (B1 Tokyo 13, 10-01), W2 (B1 Tokyo, 06-01), W3 (B2 Osaka 27, 10-01)
    assert rows[(4, "13", "10-01")] == (1, 0, 1, 1)
    assert rows[(4, "13", "06-01")] == (1, 0, 1, 1)
    assert rows[(4, "27", "10-01")] == (1, 1, 1, 1)
    assert rows[(2, "13", "10-01")] == (1, 1, 0, 0)
    assert rows[(5, "13", "10-01")] == (1, 0, 1, 1)


def test_ingest_audit_conserves_rows_and_names_each_file(lakehouse):
    lh, stdout = lakehouse
    audit = {r["file"]: r for r in _gold(lh, "ingest_audit")}
    assert {f: (a["status"], a["rows_read"], a["rows_accepted"], a["rows_quarantined"]) for f, a in audit.items()} == {
        "businesses_20240501.csv": ("ingested", 3, 3, 0),
        "businesses_20240515.csv": ("ingested", 1, 1, 0),
        "workers_20240501.csv": ("ingested", 3, 3, 0),
        "sites_20240501.csv": ("ingested", 2, 2, 0),
        "attendance_20240410.csv": ("ingested", 4, 3, 1),
        "attendance_20240411.csv": ("duplicate", 0, 0, 0),
        "attendance_20240502.jsonl": ("ingested", 2, 2, 0),
        "readme.txt": ("quarantined", 0, 0, 0),
    }
    assert audit["attendance_20240411.csv"]["feed"] == "attendance"
    assert "rows read 15 = accepted 14 + quarantined 1" in stdout
    assert "OK" in stdout.splitlines()[-1]


def test_outputs_have_the_contract_names_and_columns(lakehouse):
    lh, _ = lakehouse
    contract = {
        "adoption_monthly": ["month", "prefecture_code", "occupation_code", "registered_workers", "new_workers",
                             "active_workers", "work_history_days"],
        "adoption_national": ["month", "registered_workers", "registered_businesses",
                              "registered_businesses_excl_sole", "active_workers", "work_history_days",
                              "sites_registered", "sites_with_card_reader"],
        "ingest_audit": ["feed", "file", "rows_read", "rows_accepted", "rows_quarantined", "status"],
    }
    for mart, columns in contract.items():
        names = pq.read_schema(lh / "gold" / f"{mart}.parquet").names
        assert set(columns) <= set(names), (mart, set(columns) - set(names))
    for zone in ("raw", "bronze", "quarantine", "gold", "site"):
        assert (lh / zone).is_dir()
    assert (lh / "warehouse.duckdb").is_file()
    assert (lh / "site/ministry/index.html").is_file()


def test_rerun_is_idempotent(lakehouse):
    lh, _ = lakehouse
    before = {p: pq.read_table(p) for p in sorted((lh / "gold").glob("*.parquet"))}
    bronze_before = sorted(p.name for p in (lh / "bronze").rglob("*.parquet"))
    inbox = lh.parent / "inbox"
    out = subprocess.run([CCUS, "run", "--inbox", str(inbox), "--lakehouse", str(lh)],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout[-3000:]
    assert "(0 new in this run)" in out.stdout
    assert sorted(p.name for p in (lh / "bronze").rglob("*.parquet")) == bronze_before
    for path, table in before.items():
        assert pq.read_table(path).equals(table), path

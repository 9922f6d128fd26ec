"""The ingestion audit is compacted to one Parquet per feed folder and month of ingestion
(ccus/feeds/audit.py), and every reader sees the same rows in either layout."""
import datetime as dt
import shutil

import pyarrow as pa

from ccus.feeds import audit, bronze
from ccus.feeds.inbox import Inbox
from ccus.feeds.delivery import Ledger
from ccus.feeds.ingest import ingest
from ccus.lakehouse import Lakehouse
from tests.inbox_writer import write_csv
from tests.test_readers import VALID, _rows

KEY = b"test-key-not-a-secret"


def _attendance(inbox, days):
    header, _ = _rows("attendance", [VALID["attendance"]])
    for d in days:
        rows = [dict(VALID["attendance"], record_id=f"R{d}-{i}", work_date=f"2024-05-{d:02d}",
                     entered_at=f"2024-05-{d:02d}T08:00:00", exited_at=f"2024-05-{d:02d}T17:00:00")
                for i in range(3)]
        write_csv(inbox, "attendance", f"attendance_202405{d:02d}.csv", header, _rows("attendance", rows)[1])


def _rows_of(lh):
    return sorted(audit.read(lh).to_pylist(), key=repr)


def _names(lh):
    return sorted(p.split("ingest_audit/", 1)[1] for p in audit.audit_files(lh))


def test_compaction_keeps_every_row_in_one_file_per_feed_and_month(tmp_path):
    lh = Lakehouse(tmp_path / "lh")
    inbox = Inbox(tmp_path / "inbox")
    _attendance(tmp_path / "inbox", [1, 2, 3])
    ingest(lh, inbox, inbox.files(), KEY)
    before = _rows_of(lh)
    assert len(before) == 3 and len(_names(lh)) == 3       # one file per delivered file, as written
    month = dt.date.today().strftime("%Y%m")

    merged = audit.compact(lh)
    assert merged == {f"bronze/ingest_audit/attendance/month_{month}.parquet": 3}
    assert _names(lh) == [f"attendance/month_{month}.parquet"]
    assert _rows_of(lh) == before
    assert audit.compact(lh) == {}                         # nothing new: nothing written
    assert _rows_of(lh) == before

    # the ledger reads the compacted audit: a re-run takes nothing in twice
    assert ingest(lh, inbox, inbox.files(), KEY) == []
    assert Ledger.load(lh).by_path.keys() == {r["path"] for r in before}

    # the next day's file lands beside the monthly file, then joins it
    _attendance(tmp_path / "inbox", [4])
    [new] = ingest(lh, inbox, inbox.files(), KEY)
    assert len(_names(lh)) == 2 and len(_rows_of(lh)) == 4
    assert audit.compact(lh) == {f"bronze/ingest_audit/attendance/month_{month}.parquet": 1}
    assert _names(lh) == [f"attendance/month_{month}.parquet"]
    assert sorted(r["path"] for r in _rows_of(lh)) == [f"attendance/attendance_202405{d:02d}.csv" for d in (1, 2, 3, 4)]


def _piece(lh, folder, name, path, ingested_at, drop=()):
    row = {"feed": folder, "file": path.split("/")[-1], "path": path, "sha256": path * 2, "file_date": dt.date(2024, 5, 1),
           "file_version": 1, "encoding": "utf-8", "rows_read": 2, "rows_accepted": 2, "rows_quarantined": 0,
           "status": "ingested", "reason": None, "message": None, "warnings": None, "quarantine_reasons": None,
           "ingested_at": ingested_at}
    table = pa.Table.from_pylist([row], schema=bronze.AUDIT)
    lh.write_parquet(f"bronze/ingest_audit/{folder}/{name}.parquet", table.drop_columns(list(drop)))


def test_months_and_folders_are_kept_apart_and_old_files_without_a_column_are_read(tmp_path):
    lh = Lakehouse(tmp_path)
    _piece(lh, "attendance", "a", "attendance/a.csv", dt.datetime(2025, 1, 31, 23, 59, 59))
    _piece(lh, "attendance", "b", "attendance/b.csv", dt.datetime(2025, 2, 1, 0, 0, 0))
    _piece(lh, "rosters", "c", "rosters/c.csv", dt.datetime(2025, 2, 3), drop=["encoding"])  # an older writer's
    before = _rows_of(lh)
    assert [r["encoding"] for r in before] == ["utf-8", "utf-8", None]

    assert audit.compact(lh) == {"bronze/ingest_audit/attendance/month_202501.parquet": 1,
                                 "bronze/ingest_audit/attendance/month_202502.parquet": 1,
                                 "bronze/ingest_audit/rosters/month_202502.parquet": 1}
    assert _rows_of(lh) == before


def test_a_crash_between_writing_the_monthly_file_and_deleting_the_pieces_loses_and_doubles_nothing(tmp_path):
    lh = Lakehouse(tmp_path)
    _piece(lh, "attendance", "a", "attendance/a.csv", dt.datetime(2025, 1, 5))
    _piece(lh, "attendance", "b", "attendance/b.csv", dt.datetime(2025, 1, 6))
    kept = tmp_path / "a.parquet"
    shutil.copy(tmp_path / "bronze/ingest_audit/attendance/a.parquet", kept)
    before = _rows_of(lh)
    audit.compact(lh)
    # as if the process died after writing month_202501.parquet, before deleting a.parquet
    shutil.copy(kept, tmp_path / "bronze/ingest_audit/attendance/a.parquet")
    assert _rows_of(lh) == before                      # the row in both files is read once
    assert audit.compact(lh) == {"bronze/ingest_audit/attendance/month_202501.parquet": 1}
    assert _names(lh) == ["attendance/month_202501.parquet"]
    table = lh.read_parquet(["bronze/ingest_audit/attendance/month_202501.parquet"])
    assert table.num_rows == 2 and sorted(table.to_pylist(), key=repr) == before

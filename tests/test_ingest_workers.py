"""The rows of an ingestion ingested by worker processes (ccus/feeds/ingest_workers.py) leave
exactly what one process leaves: the same audit rows in the same order, the same bronze and
quarantine files and rows, the same raw copies; duplicates of a delivery still being ingested,
quarantined twins, a file changed after delivery, an unreadable entry and an unknown file
included. Real spawned processes, a real DuckDB and real Parquet files.
"""
import hashlib
import json

import pyarrow.parquet as pq
import pytest

from ccus.feeds import ingest_workers
from ccus.feeds.inbox import Inbox
from ccus.feeds.delivery import Ledger
from ccus.feeds.ingest import ingest
from ccus.lakehouse import Lakehouse
from tests.test_readers import VALID, _rows

KEY = b"workers-test-key"


def attendance_csv(first: int, count: int, bad_line: bool = False) -> bytes:
    rows = [dict(VALID["attendance"], record_id=f"R{first + i:06d}") for i in range(count)]
    if bad_line:
        rows[1]["work_date"] = "2024-13-01"          # quarantined with its line and column
    header, values = _rows("attendance", rows)
    return ("\n".join(",".join(r) for r in [header, *values]) + "\n").encode("utf-8")


def attendance_jsonl(first: int, count: int) -> bytes:
    lines = [json.dumps(dict(VALID["attendance"], record_id=f"J{first + i:06d}")) for i in range(count)]
    lines[2] = '{"record_id": "J-truncated", "site_id": "0000'
    return ("\n".join(lines) + "\n").encode("utf-8")


def deliver(inbox, day: int, data: bytes, suffix: str = "csv") -> None:
    path = inbox / "attendance" / f"attendance_202405{day:02d}.{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def make_inbox(inbox):
    """Eight attendance deliveries and two other entries, every outcome of a file among them."""
    deliver(inbox, 1, attendance_csv(0, 40, bad_line=True))
    deliver(inbox, 2, attendance_csv(100, 40))
    deliver(inbox, 3, attendance_csv(0, 40, bad_line=True))        # the bytes of day 1 again: duplicate
    deliver(inbox, 4, b"record_id;site_id\nR1;S1\n")                # a bad header: quarantined whole
    deliver(inbox, 5, b"record_id;site_id\nR1;S1\n")                # its twin: quarantined too, no duplicate
    deliver(inbox, 6, attendance_jsonl(200, 30), "jsonl")
    deliver(inbox, 7, attendance_csv(300, 25))
    deliver(inbox, 8, attendance_csv(300, 25)[:-40])               # a cut last line
    (inbox / "attendance" / "attendance_20240509.csv").symlink_to("/etc/hostname")   # never read
    (inbox / "attendance" / "notes.txt").write_text("not a delivery\n")


def lakehouse_contents(lh: Lakehouse, audit: list[dict]) -> dict:
    def tables(pattern):
        found = {}
        for path in lh.glob(pattern):
            if "/_schema/" not in path and "ingest_audit" not in path:
                found[path] = pq.read_table(lh.local_path(path)).to_pylist()
        return found

    return {
        "audit": [{k: v for k, v in row.items() if k not in ("ingested_at", "file_modified_ns")} for row in audit],
        "bronze": tables("bronze/attendance/*/*.parquet"),
        "quarantine": tables("quarantine/*/*/*.parquet"),
        "raw": sorted(lh.glob("raw/*/*/*/*")),
    }


def ingest_twice(tmp_path, workers: int, then=None) -> tuple[list, list]:
    inbox, lh = tmp_path / f"inbox{workers}", Lakehouse(tmp_path / f"lh{workers}")
    make_inbox(inbox)
    first = ingest(lh, Inbox(inbox), Inbox(inbox).files(), KEY, workers=workers)
    # the next day: day 2 rewritten in place (changed after delivery), day 10 new
    deliver(inbox, 2, attendance_csv(100, 41))
    deliver(inbox, 10, attendance_csv(400, 30, bad_line=True))
    second = ingest(lh, Inbox(inbox), Inbox(inbox).files(), KEY, workers=workers)
    return lakehouse_contents(lh, first), lakehouse_contents(lh, second)


def test_workers_leave_what_one_process_leaves(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_workers, "MIN_BYTES", 0)
    submitted = []
    real_submit = ingest_workers.ProcessPoolExecutor.submit

    def counted(pool, fn, *args):
        submitted.append(args[0].path)
        return real_submit(pool, fn, *args)

    monkeypatch.setattr(ingest_workers.ProcessPoolExecutor, "submit", counted)
    one = ingest_twice(tmp_path, workers=1)
    assert submitted == []
    two = ingest_twice(tmp_path, workers=2)
    # the rows of the five feed files whose rows are read went to the workers, and of day 10 the
    # next day; the duplicate of day 1, the link and the unknown file did not
    assert submitted == [f"attendance/attendance_202405{d:02d}.{s}" for d, s in
                         ((1, "csv"), (2, "csv"), (4, "csv"), (5, "csv"), (6, "jsonl"), (7, "csv"), (8, "csv"),
                          (10, "csv"))]
    for before, after in zip(one, two):
        assert [r["path"] for r in after["audit"]] == [r["path"] for r in before["audit"]]
        assert after["audit"] == before["audit"]
        assert after["bronze"] == before["bronze"]
        assert after["quarantine"] == before["quarantine"]
        assert after["raw"] == before["raw"]
    first = {r["path"]: (r["status"], r["reason"], r["rows_read"], r["rows_accepted"]) for r in one[0]["audit"]}
    # by hand: day 1 40 rows, one bad; day 3 the same bytes; days 4 and 5 bad headers (1 row
    # each); day 6 30 lines, one cut; day 8 the 25 lines of day 7 less its last 40 bytes (the
    # last line cut: a field count short); the link and the text file read as 0 rows
    assert first["attendance/attendance_20240501.csv"] == ("ingested", None, 40, 39)
    assert first["attendance/attendance_20240503.csv"] == ("duplicate", None, 0, 0)
    assert first["attendance/attendance_20240504.csv"][:2] == ("quarantined", "missing_columns")
    assert first["attendance/attendance_20240505.csv"][:2] == ("quarantined", "missing_columns")
    assert first["attendance/attendance_20240506.jsonl"] == ("ingested", None, 30, 29)
    assert first["attendance/attendance_20240509.csv"][:2] == ("quarantined", "not_regular_file")
    second = {r["path"]: (r["status"], r["reason"]) for r in one[1]["audit"]}
    assert second == {"attendance/attendance_20240502.csv": ("quarantined", "changed_after_delivery"),
                      "attendance/attendance_20240510.csv": ("ingested", None)}


def test_a_worker_does_not_ingest_a_file_changed_since_it_was_hashed(tmp_path):
    """The worker reads the file again: different bytes than the ingesting process hashed give no
    rows (None), and that process then takes the file again as it now is."""
    inbox = tmp_path / "inbox"
    deliver(inbox, 1, attendance_csv(0, 5))
    [f] = Inbox(inbox).files()
    ingest_workers._start(str(tmp_path / "lh"), str(inbox), KEY, True)
    try:
        assert ingest_workers._ingest_rows(f, "0" * 64) is None
        sha = hashlib.sha256((inbox / f.path).read_bytes()).hexdigest()
        row = ingest_workers._ingest_rows(f, sha)
        assert (row["status"], row["rows_read"], row["rows_accepted"]) == ("ingested", 5, 5)
    finally:
        ingest_workers._worker["con"].close()
        ingest_workers._worker.clear()


@pytest.mark.parametrize("workers, sizes, local, expected", [
    (1, [80 << 20, 80 << 20], True, False),      # one process asked for
    (2, [80 << 20], True, False),                # one file: nothing to share
    (2, [10 << 20, 10 << 20], True, False),      # too little to read to start a worker
    (2, [40 << 20, 40 << 20], True, True),       # 80 MB in two files
    (2, [40 << 20, 40 << 20], False, False),     # an object store
])
def test_workers_start_only_for_work_worth_it(tmp_path, workers, sizes, local, expected):
    class Place:
        is_local = local

    files = []
    for day, size in enumerate(sizes, start=1):
        deliver(tmp_path, day, b"x")
        [f] = [g for g in Inbox(tmp_path).files() if g.path.endswith(f"{day:02d}.csv")]
        files.append(f.__class__(**{**f.__dict__, "size": size}))
    assert ingest_workers.worth_it(Place(), Place(), files, Ledger(), workers) is expected

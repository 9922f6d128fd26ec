"""A crash never leaves a half-written file visible, and a re-run completes identically."""
import os
import signal
import subprocess
import sys
import textwrap
import time

from ccus.feeds.inbox import Inbox
from ccus.feeds.ingest import ingest
from ccus.lakehouse import Lakehouse
from tests.test_readers import VALID, _rows
from tests.inbox_writer import write_csv


def test_killed_writer_leaves_no_visible_partial_file(tmp_path):
    child = textwrap.dedent(f"""
        from ccus.lakehouse import Lakehouse
        Lakehouse({str(tmp_path)!r}).write_bytes("bronze/attendance/date=2024-05-01/part.parquet", b"x" * 400_000_000)
    """)
    proc = subprocess.Popen([sys.executable, "-c", child])
    folder = tmp_path / "bronze/attendance/date=2024-05-01"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (folder.exists() and any(folder.iterdir())):
        time.sleep(0.001)
    os.kill(proc.pid, signal.SIGKILL)  # in the middle of writing the temporary file
    proc.wait()
    leftovers = list(folder.iterdir())
    assert leftovers, "the writer was killed before it started writing"
    assert not (folder / "part.parquet").exists()
    lh = Lakehouse(tmp_path)
    assert lh.glob("bronze/*/*/*.parquet") == []  # what readers glob never sees the temporary file
    assert all(p.name.startswith(".") and p.name.endswith(".tmp") for p in leftovers)


def _inbox(tmp_path, days=12, rows_per_day=3000):
    header, _ = _rows("attendance", [VALID["attendance"]])
    for d in range(1, days + 1):
        rows = [dict(VALID["attendance"], record_id=f"R{d}-{i}", work_date=f"2024-05-{d:02d}",
                     entered_at=f"2024-05-{d:02d}T08:00:00", exited_at=f"2024-05-{d:02d}T17:00:00")
                for i in range(rows_per_day)]
        write_csv(tmp_path, "attendance", f"attendance_202405{d:02d}.csv", header, _rows("attendance", rows)[1])


def _state(lh: Lakehouse) -> dict:
    """Visible bronze and quarantine contents plus the audit counts, independent of timestamps."""
    out = {p: lh.read_bytes(p) for p in lh.glob("bronze/attendance/*/*.parquet")}
    audit = lh.read_parquet([p for p in lh.glob("bronze/ingest_audit/*/*.parquet") if "_schema" not in p])
    out["audit"] = sorted((r["path"], r["status"], r["rows_read"], r["rows_accepted"]) for r in audit.to_pylist())
    return out


def test_ingestion_killed_mid_run_then_rerun_matches_an_uninterrupted_run(tmp_path):
    _inbox(tmp_path / "inbox")
    os.environ["CCUS_PSEUDONYM_KEY"] = "test-key-not-a-secret-0123456789abcdef"
    child = textwrap.dedent(f"""
        from ccus.feeds.inbox import Inbox
        from ccus.feeds.ingest import ingest
        from ccus.lakehouse import Lakehouse
        inbox = Inbox({str(tmp_path / 'inbox')!r})
        ingest(Lakehouse({str(tmp_path / 'crashed')!r}), inbox, inbox.files(), b"k")
    """)
    proc = subprocess.Popen([sys.executable, "-c", child])
    audit_dir = tmp_path / "crashed/bronze/ingest_audit/attendance"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (audit_dir.exists() and len(list(audit_dir.glob("*.parquet"))) >= 3):
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    crashed = Lakehouse(tmp_path / "crashed")
    committed = len(crashed.glob("bronze/ingest_audit/attendance/*.parquet"))
    assert 3 <= committed < 12, "the run must be killed part-way"
    for path in crashed.glob("bronze/attendance/*/*.parquet"):  # every visible file is whole
        crashed.read_parquet([path])

    inbox = Inbox(tmp_path / "inbox")
    ingest(crashed, inbox, inbox.files(), b"k")
    clean = Lakehouse(tmp_path / "clean")
    ingest(clean, inbox, inbox.files(), b"k")
    assert _state(crashed) == _state(clean)

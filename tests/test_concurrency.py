"""Two runs at once: the second is refused cleanly, the first completes, the warehouse is sound."""
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from ccus.lock import LakehouseBusy, writer_lock
from tests.test_pipeline import _write_inbox

CCUS = str(Path(sys.executable).parent / "ccus")


def test_lock_is_exclusive_across_processes_and_reentrant_within_one(tmp_path):
    warehouse = str(tmp_path / "warehouse.duckdb")
    holder = subprocess.Popen([sys.executable, "-c", f"""
from ccus.lock import writer_lock
import time
with writer_lock({warehouse!r}):
    print("held", flush=True)
    time.sleep(3)
"""], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    started = time.monotonic()
    try:
        with writer_lock(warehouse, wait_seconds=1):
            raise AssertionError("a second writer got the lock")
    except LakehouseBusy as busy:
        assert "pid" in str(busy) and time.monotonic() - started >= 1
    holder.wait()
    with writer_lock(warehouse):          # free again once the holder is gone
        with writer_lock(warehouse):      # and re-entrant in one process
            pass


def test_second_concurrent_run_is_refused_and_the_first_completes(tmp_path, dbt_manifest):
    _write_inbox(tmp_path / "inbox")
    args = [CCUS, "run", "--inbox", str(tmp_path / "inbox"), "--lakehouse", str(tmp_path / "lh")]
    first = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lock = tmp_path / "lh/warehouse.duckdb.lock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (lock.exists() and lock.read_text()):
        time.sleep(0.05)
    second = subprocess.run(args, capture_output=True, text=True, timeout=120)
    out, err = first.communicate(timeout=600)
    assert second.returncode == 75 and "refused" in second.stderr and "pid" in second.stderr
    assert first.returncode == 0, out[-2000:] + err[-2000:]
    con = duckdb.connect(str(tmp_path / "lh/warehouse.duckdb"), read_only=True)
    assert con.sql("select count(*) from marts.adoption_national").fetchall()[0][0] == 4
    con.close()

"""The quality suites run in a worker process while files are ingested (ccus/quality_checks.py)
and end with exactly what running them afterwards over the same bronze files gives: same
pass/fail, same number of expectations evaluated, same failure messages naming the first file of
each table; one worker serves several runs in turn, and its errors reach the caller. With two
workers the files are dealt out: the same pass/fail and failures, in file order, and the
expectations each worker's own tables evaluate. The worker runs in the environment it is given
(the settings'), not in whatever os.environ holds."""
import os
import time
from pathlib import Path

import pyarrow as pa
import pytest

from ccus import quality
from ccus.feeds.contract import FEEDS
from ccus.lakehouse import Lakehouse
from ccus.quality_checks import BackgroundChecks, QualityChecksFailed, _Worker, close_idle_workers
from tests.test_quality import _attendance

ENVIRON = dict(os.environ)   # the test is the entry point: its environment is the one passed down


def _files(lh):
    """Five bronze files of 1-4 rows; two hold rows that break the contract."""
    rows = [[_attendance(record_id="A1")], [_attendance(record_id="B1"), _attendance(record_id="B2", role="boss")],
            [_attendance(record_id=f"C{i}") for i in range(4)], [_attendance(record_id="D1", site_id="12")],
            [_attendance(record_id="E1"), _attendance(record_id="E2")]]
    paths = []
    for i, tables in enumerate(rows):
        path = f"bronze/attendance/date=2024-05-01/f{i}.parquet"
        lh.write_parquet(path, pa.concat_tables(tables))
        paths.append(path)
    return paths


def _afterwards(feed, lh, paths, max_rows):
    """The suites run once every file is written: the plain loop the thread must equal."""
    suites = {"contract_suite": quality.contract_suite(feed), "plausible_ranges": quality.range_suite(feed)}
    outcomes = {name: quality.SuiteOutcome(True) for name in suites}
    for first, table in lh.iter_parquet(paths, max_rows):
        for name, suite in suites.items():
            outcome = quality.validate(feed, table, suite)
            outcomes[name].passed &= outcome.passed
            outcomes[name].evaluated += outcome.evaluated
            outcomes[name].failures += [quality.TableFailure(first, message) for message in outcome.messages]
    return outcomes


def _compared(outcomes):
    return {name: (o.passed, o.evaluated, o.failures) for name, o in outcomes.items()}


def test_checks_in_a_worker_equal_checks_afterwards_run_after_run(tmp_path):
    feed = FEEDS["attendance"]
    lh = Lakehouse(tmp_path / "lh")
    paths = _files(lh)
    for max_rows, files in ((3, paths), (200_000, paths), (2, paths[2:3])):  # one worker, three runs
        checks = BackgroundChecks(feed, lh, max_rows, ENVIRON)
        for path in files:
            checks.add({"bronze_path": path, "status": "ingested"})
        checks.add({"status": "duplicate"})  # no bronze file: nothing to check
        outcomes = checks.finish()
        assert checks.paths == files
        assert _compared(outcomes) == _compared(_afterwards(feed, lh, files, max_rows))
        assert outcomes["contract_suite"].passed == (files == paths[2:3])


def test_two_workers_deal_the_files_out_and_find_what_one_finds(tmp_path):
    feed = FEEDS["attendance"]
    lh = Lakehouse(tmp_path / "lh")
    paths = _files(lh)             # f1 (role "boss") and f3 (site id "12") break the contract
    alone = BackgroundChecks(feed, lh, 200_000, ENVIRON, workers=2)
    alone.add({"bronze_path": paths[0], "status": "ingested"})
    assert len(alone._workers) == 1        # one file: the second worker is not started
    assert _compared(alone.finish()) == _compared(_afterwards(feed, lh, paths[:1], 200_000))
    # dealt in turn: f0, f3, f4 to the first worker and f1, f2 to the second
    files = [paths[0], paths[1], paths[3], paths[2], paths[4]]
    for max_rows in (1, 200_000):
        checks = BackgroundChecks(feed, lh, max_rows, ENVIRON, workers=2)
        for path in files:
            checks.add({"bronze_path": path, "status": "ingested"})
        assert len({w.process.pid for w in checks._workers}) == 2
        outcomes = checks.finish()
        one = _afterwards(feed, lh, files, max_rows)
        shares = [_afterwards(feed, lh, files[0::2], max_rows), _afterwards(feed, lh, files[1::2], max_rows)]
        for name, outcome in outcomes.items():
            assert outcome.passed == one[name].passed
            assert outcome.evaluated == shares[0][name].evaluated + shares[1][name].evaluated
            assert outcome.failures == sorted(shares[0][name].failures + shares[1][name].failures,
                                              key=lambda f: files.index(f.first_file))
        assert not outcomes["contract_suite"].passed
        # Each failure names the first file of its table. Tables of one row: the first worker finds
        # f3's failure, the second f1's, given back in the order the files came (f1 first, though
        # the first worker's answer is read first). Tables of 200 000 rows: the first worker's one
        # table (f0, f3, f4) is named by f0, the second's (f1, f2) by f1.
        named = [f.first_file for f in outcomes["contract_suite"].failures]
        first_named = [paths[1], paths[3]] if max_rows == 1 else [paths[0], paths[1]]
        assert list(dict.fromkeys(named)) == first_named
    close_idle_workers()


def test_an_error_in_the_worker_reaches_the_caller_and_the_next_run_works(tmp_path):
    lh = Lakehouse(tmp_path / "lh")
    paths = _files(lh)
    checks = BackgroundChecks(FEEDS["attendance"], lh, 10, ENVIRON)
    checks.add({"bronze_path": "bronze/attendance/missing.parquet"})
    checks.add({"bronze_path": paths[0]})  # after the error: read and dropped by the worker
    with pytest.raises(QualityChecksFailed, match="FileNotFoundError"):
        checks.finish()
    again = BackgroundChecks(FEEDS["attendance"], lh, 10, ENVIRON)
    again.add({"bronze_path": paths[0]})
    assert again.finish()["contract_suite"].passed


def test_the_idle_workers_end_when_the_run_closes_them(tmp_path):
    """`ccus run` ends the worker it kept for another run instead of leaving it to the
    interpreter's teardown: the process has exited (with 0: stdin closed is its normal end)."""
    lh = Lakehouse(tmp_path / "lh")
    paths = _files(lh)
    checks = BackgroundChecks(FEEDS["attendance"], lh, 10, ENVIRON)
    checks.add({"bronze_path": paths[2]})
    assert checks.finish()["contract_suite"].passed
    idle = list(_Worker._idle)
    assert idle and all(w.process.poll() is None for w in idle)
    close_idle_workers()
    assert _Worker._idle == [] and [w.process.returncode for w in idle] == [0] * len(idle)


def _environment_of(process) -> dict[str, str]:
    """A running process's environment as the kernel holds it (Linux), once it runs the worker:
    between fork and exec /proc shows the parent's environment (a loaded machine caught that)."""
    deadline = time.monotonic() + 60
    while b"ccus.quality_worker" not in Path(f"/proc/{process.pid}/cmdline").read_bytes():
        assert time.monotonic() < deadline, "the worker process never started"
        time.sleep(0.01)
    raw = Path(f"/proc/{process.pid}/environ").read_bytes()
    return dict(item.split("=", 1) for item in raw.decode().split("\0") if "=" in item)


def test_the_worker_runs_in_the_environment_it_is_given_and_is_reused_only_for_the_same(tmp_path):
    lh = Lakehouse(tmp_path / "lh")
    paths = _files(lh)
    given = {**ENVIRON, "CCUS_TEST_GIVEN": "one"}
    checks = BackgroundChecks(FEEDS["attendance"], lh, 10, given)
    first = checks._workers[0].process
    seen = _environment_of(first)
    assert seen["CCUS_TEST_GIVEN"] == "one" and "CCUS_TEST_GIVEN" not in os.environ
    assert seen["PYTHONPATH"].split(os.pathsep)[0] == str(Path(__file__).resolve().parents[1])
    checks.add({"bronze_path": paths[2]})
    assert checks.finish()["contract_suite"].passed
    other = BackgroundChecks(FEEDS["attendance"], lh, 10, {**ENVIRON, "CCUS_TEST_GIVEN": "two"})
    assert other._workers[0].process is not first and _environment_of(other._workers[0].process)["CCUS_TEST_GIVEN"] == "two"
    other.add({"bronze_path": paths[2]})
    other.finish()
    same = BackgroundChecks(FEEDS["attendance"], lh, 10, dict(given))
    assert same._workers[0].process is first   # the idle worker of that environment, kept for another run
    same.add({"bronze_path": paths[2]})
    same.finish()
    close_idle_workers()

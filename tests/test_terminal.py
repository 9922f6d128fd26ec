"""What the operator sees: `ccus run` on a pseudo-terminal (the live display, a summary of at most
~40 lines that names the file and day of a failed check), without one (plain lines, no ANSI
escapes), and the runs kept in the lakehouse's Dagster instance for the UI.

The terminal run is of the tiny simulation, not the small one: small takes 11 minutes on this
shared 2-core machine (tiny 3-8), too long for one test of `make test`. Its default seed (42)
delivers a roster file whose accepted rows drift from the previous ones: a failed warning check.
"""
import fcntl
import io
import os
import pty
import re
import struct
import subprocess
import termios
import threading
import time
from pathlib import Path

import dagster as dg
import pytest

from assets.resources import Progress
from ccus.settings import Settings
from orchestration.console import LiveProgress, PlainProgress, progress_for
from tests.shared_runs import CCUS

SUMMARY = "── CCUS run summary ──"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _run_on_a_terminal(args: list[str], env: dict, timeout: float = 1500) -> tuple[int, str]:
    """`args` with stdin, stdout and stderr on a pseudo-terminal of 120 x 40; everything it wrote."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    process = subprocess.Popen(args, stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True)
    os.close(follower)
    chunks, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = os.read(leader, 65536)
        except OSError:      # EIO: the child closed the terminal (it ended)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return process.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture(scope="module")
def terminal_run(tmp_path_factory, dbt_manifest):
    root = tmp_path_factory.mktemp("terminal")
    sim = subprocess.run([CCUS, "simulate", "--scale", "tiny", "--out", str(root / "inbox")],
                         capture_output=True, text=True, timeout=300)
    assert sim.returncode == 0, sim.stderr
    # COLUMNS and LINES would override the terminal's own size (CI exports COLUMNS=80 or so)
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "COLUMNS", "LINES")}
    env |= {"TERM": "xterm-256color"}
    code, output = _run_on_a_terminal([CCUS, "run", "--inbox", str(root / "inbox"), "--lakehouse", str(root / "lh")], env)
    assert code == 0, output[-4000:]
    return root, output


def _summary(output: str) -> list[str]:
    return output[output.index(SUMMARY):].replace("\r\n", "\n").rstrip("\n").split("\n")


def test_a_terminal_gets_the_live_display_and_a_short_summary(terminal_run):
    _, output = terminal_run
    before = output[:output.index(SUMMARY)]
    # the live display: rows redrawn in place (cursor up, erase line), one per step
    assert "\x1b[1A" in before and "\x1b[2K" in before
    shown = ANSI.sub("", before)
    for task in ("ingest attendance", "ingest rosters", "ingest workers", "dbt build", "pages"):
        assert task in shown, task
    assert re.search(r"dbt build +\S* +(\d+)/\1 +nodes", shown), shown[-2000:]   # counted to its total
    assert re.search(r"ingest attendance +\S* +14/14 +files +262 rows", shown)  # tiny: 14 days, 262 rows
    lines = _summary(output)
    assert len(lines) <= 40, "\n".join(lines)
    # the per-file detail and the libraries' warnings stay off the console
    assert "WARNING" not in output and "BetaWarning" not in output and "PySpark does not" not in output
    assert not any(re.match(r"\d+ of \d+ (START|PASS|OK)", ANSI.sub("", line)) for line in output.splitlines())
    text = "\n".join(lines)
    assert re.search(r"^  attendance +14 files \(14 new\) +262 rows: accepted \d+, quarantined \d+ \(", text, re.M)
    assert lines[-1].endswith("— OK")


def test_a_failed_check_names_its_file_and_day(terminal_run):
    root, output = terminal_run
    [line] = [ln for ln in _summary(output) if ln.startswith("  failed check ")]
    found = re.fullmatch(r"  failed check bronze/rosters row_count_drift \(WARN\): "
                         r"(rosters_(\d{4})(\d{2})(\d{2})\.csv), (\d{4}-\d{2}-\d{2})", line)
    assert found, line
    name, year, month, day, date = found.groups()
    assert date == f"{year}-{month}-{day}" and (root / "inbox/rosters" / name).is_file()
    # the same place is in the check's metadata in the Dagster instance (the UI shows it)
    with dg.DagsterInstance.from_config(str(root / "lh/dagster_home")) as instance:
        evaluations = [e.get_dagster_event().event_specific_data
                       for run in instance.get_runs()
                       for e in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)]
    [drift] = [e for e in evaluations if e.check_name == "row_count_drift" and e.asset_key.path == ["bronze", "rosters"]]
    assert not drift.passed and drift.metadata["failed_at"].value == f"{name}, {date}"


def test_the_runs_are_kept_in_the_lakehouses_dagster_instance(terminal_run):
    root, _ = terminal_run
    with dg.DagsterInstance.from_config(str(root / "lh/dagster_home")) as instance:
        runs = instance.get_runs()
        assert sorted(r.job_name for r in runs) == ["daily_ingest", "refresh"]   # named as the schedules' jobs
        assert all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs)
        for key in (["bronze", "workers"], ["gold", "marts"], ["site", "dashboards"]):
            assert instance.get_latest_materialization_event(dg.AssetKey(key)) is not None, key
        # the daily feed by partition: the 14 days of the tiny inbox
        days = instance.get_materialized_partitions(dg.AssetKey(["bronze", "attendance"]))
        assert len(days) == 14 and min(days) == "2024-04-01"
        site = instance.get_latest_materialization_event(dg.AssetKey(["site", "dashboards"])).asset_materialization
        assert site.metadata["files"].value > site.metadata["pages"].value > 0


def test_without_a_terminal_the_output_stays_plain(simulated_tiny_run):
    stdout = (simulated_tiny_run / "stdout.txt").read_text()
    assert "\x1b" not in stdout and "\r" not in stdout
    before, after = stdout.split(SUMMARY)
    progress = before.strip().splitlines()
    assert re.search(r"^dbt build: (\d+)/\1 nodes in \d+ s$", before, re.M), before
    assert re.search(r"^ingest attendance: (\d+)/\1 files, [\d,]+ rows in \d+ s$", before, re.M), before
    assert re.search(r"^pages: (\d+)/\1 files in \d+ s$", before, re.M), before
    # nothing but progress lines before the summary: a line per step as it ends, one a minute
    # while a long one runs
    plain = re.compile(r"[a-z_ ]+: [\d,]+(/[\d,]+)? (files|nodes)(, [\d,]+ rows)? (in \d+ s|\(\d+ s so far\))")
    assert all(plain.fullmatch(line) for line in progress), progress
    assert len([line for line in progress if line.endswith(" s") and "so far" not in line]) <= 15
    assert len(after.strip().splitlines()) <= 40


def test_plain_progress_says_a_step_once_when_it_ends_and_rarely_while_it_runs():
    out = io.StringIO()
    plain = PlainProgress(out, every=3600)
    for done in range(0, 11):
        plain.update("ingest wages", done, 10, rows=done * 100)
    plain.update("ingest wages", 10, 10, rows=1000)       # said already: not again
    plain.update("ingest sites", 0, 0)                     # nothing to do: nothing said
    plain.update("pages", 5, None)                         # under a minute in: nothing yet
    assert re.fullmatch(r"ingest wages: 10/10 files, 1,000 rows in \d+ s\n", out.getvalue())


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_live_display_draws_on_a_terminal_and_quiet_draws_nothing(monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")   # wide enough for the node column, whatever CI exports
    out = _Terminal()
    threads = set(threading.enumerate())
    with progress_for(out, quiet=False, verbose=False) as live:
        assert isinstance(live, LiveProgress)
        live.update("dbt build", 3, 10, unit="nodes", current="fct_attendance")
    drawn = ANSI.sub("", out.getvalue())
    assert "dbt build" in drawn and "3/10" in drawn and "fct_attendance" in drawn
    # redrawn by the reporting thread: no refresh thread left running when the run ends
    assert set(threading.enumerate()) == threads
    assert type(progress_for(out, quiet=True, verbose=False)) is Progress
    assert isinstance(progress_for(out, quiet=False, verbose=True), PlainProgress)   # log lines would scroll it away


def test_each_lakehouse_has_its_own_dagster_instance_unless_dagster_home_is_set(tmp_path):
    environ = {"CCUS_PSEUDONYM_KEY": "k" * 32}
    one = Settings.from_environ(environ, lakehouse=str(tmp_path / "one"), inbox=str(tmp_path / "inbox"))
    two = Settings.from_environ(environ, lakehouse=str(tmp_path / "two"), inbox=str(tmp_path / "inbox"))
    assert one.dagster_home == tmp_path / "one/dagster_home" and two.dagster_home == tmp_path / "two/dagster_home"
    chosen = Settings.from_environ(environ | {"DAGSTER_HOME": str(tmp_path / "home")}, lakehouse=str(tmp_path / "one"))
    assert chosen.dagster_home == tmp_path / "home"


def test_the_live_display_fits_120_columns_with_national_figures(monkeypatch):
    """Finding: at 122 columns of shared width rich cut the dbt row's done/total to "9…"."""
    monkeypatch.setenv("COLUMNS", "120")   # rich sizes a console that is not a terminal by it
    out = io.StringIO()
    with LiveProgress(out) as live:
        for done in (1, 2):   # two updates a moment apart, so that every row has a rate
            live.update("ingest attendance", 180 * done, 365, unit="files", rows=28_706_172 * done,
                        current="attendance_20240331_2.csv")
            live.update("dbt build", 380 * done, 766, unit="nodes", current="int_worker_worktime_violations_monthly")
            live.update("pages", 40_600 * done, 81_234, unit="pages", current="primes/12345678901234/sites/s1.html")
            time.sleep(0.3)
        live.update("dbt build", 766, 766, unit="nodes", current="int_worker_worktime_violations_monthly")
    drawn = ANSI.sub("", out.getvalue())
    rows = [line for line in drawn.splitlines() if line.strip()]
    # one line per task (too wide, rich wraps the rate onto a line of its own or cuts done/total)
    assert [row[:17].strip() for row in rows] == ["ingest attendance", "dbt build", "pages"], drawn
    assert "…" not in drawn, drawn
    assert "766/766" in drawn and "81200/81234" in drawn and "57,412,344 rows" in drawn and "nodes/s" in drawn
    assert max(len(line) for line in drawn.splitlines()) <= 120


def test_on_80_columns_the_live_display_keeps_done_of_total_whole(monkeypatch):
    """Finding: CI's environment sized the display to fewer columns than the terminal's 120, and
    rich cut the dbt row to "920/… nodes"; narrower than 120 the rate and node columns go instead."""
    monkeypatch.setenv("COLUMNS", "80")
    out = io.StringIO()
    with LiveProgress(out) as live:
        live.update("ingest attendance", 365, 365, unit="files", rows=57_412_344, current="attendance_20240331_2.csv")
        live.update("dbt build", 766, 766, unit="nodes", current="int_worker_worktime_violations_monthly")
        live.update("pages", 81_200, 81_234, unit="pages", current="primes/12345678901234/sites/s1.html")
    drawn = ANSI.sub("", out.getvalue())
    assert "…" not in drawn, drawn
    assert re.search(r"766/766 +nodes", drawn) and re.search(r"81200/81234 +pages", drawn)
    assert "57,412,344 rows" in drawn
    assert "int_worker" not in drawn   # the node at hand is what gives way
    assert max(len(line) for line in drawn.splitlines()) <= 80

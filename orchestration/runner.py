"""`ccus run`: everything for one inbox, through real Dagster runs.

Two runs on the persistent Dagster instance of the settings (DAGSTER_HOME, the one `ccus dev`
shows): first the day-partitioned feeds over the inbox's whole range of days as a single run (the
assets' single-run backfill policy), then the refresh (registry and monthly feeds, audit, dbt
build with its tests as checks, gold export, pages). The steps report how far they are to the
`progress` given (assets/resources.py: Progress; on the console orchestration/console.py); Dagster's log and dbt's output go to the run's log file
unless `verbose`.
"""
from __future__ import annotations

import collections
import contextlib
import datetime as dt
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

import dagster as dg

from assets.resources import Progress
from orchestration.dagster_home import ensure_dagster_home
from ccus.engine import data_tests_run
from ccus.feeds import audit, simulation
from ccus.feeds.inbox import Inbox, Listing
from ccus.lakehouse import Lakehouse
from ccus.lock import writer_lock
from ccus.printable import printable
from ccus.quality_checks import close_idle_workers
from ccus.settings import Settings
from dashboards.settings import resolve
from orchestration.console import progress_for
from orchestration.assembly import definitions
from orchestration.jobs import DAILY_INGEST, refresh_job_name
from orchestration.resources import resources as settings_resources

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"
# Dagster's log at INFO: each step, ingestion every 50 files, each file with quarantined rows,
# dbt model by model (on the console with --verbose, else in the run's log file).
RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
LOG_NAME = "ccus_run.log"   # in the lakehouse's local state, rewritten by each run


def log_path(settings: Settings) -> Path:
    return settings.state.folder / LOG_NAME


@dataclass
class RunReport:
    ok: bool = True
    failures: list[str] = field(default_factory=list)
    materialized: int = 0
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)   # failed checks of ERROR severity
    seconds: float = 0.0
    entries: int = 0              # inbox entries to account for (deliveries and others)
    hidden: int = 0               # inbox names starting with '.': not deliveries, counted
    simulation: str | None = None  # what became of the inbox's simulation.json, in words

    def absorb(self, result: dg.ExecuteInProcessResult, label: str) -> None:
        self.ok &= result.success
        for event in result.all_events:
            if event.event_type_value == "STEP_FAILURE":
                error = event.event_specific_data.error
                while error is not None and error.cause is not None:  # the root cause names the file or model
                    error = error.cause
                message = " ".join(error.message.split())[:600] if error and error.message else "failed"
                self.failures.append(f"{label}: step {event.step_key}: {message}")
        self.materialized += len(result.get_asset_materialization_events())
        for evaluation in result.get_asset_check_evaluations():
            if evaluation.passed:
                self.checks_passed += 1
            else:
                where = evaluation.metadata.get("failed_at")
                where = where.value if where is not None and where.value != "none" else ""
                self.checks_failed.append(f"{evaluation.asset_key.to_user_string()} {evaluation.check_name} "
                                          f"({evaluation.severity.value})" + (f": {_first(where)}" if where else ""))
                if evaluation.severity.value == "ERROR":
                    self.blocking.append(f"{evaluation.asset_key.to_user_string()}: {evaluation.check_name}")


def _first(places: str, shown: int = 3) -> str:
    """At most `shown` of the '; '-separated 'file, day' places, and how many more."""
    parts = places.split("; ")
    more = f" (and {len(parts) - shown} more: see the check in the Dagster UI)" if len(parts) > shown else ""
    return "; ".join(parts[:shown]) + more


def inbox_report(listing: Listing, inbox: Inbox) -> RunReport:
    """The report's account of the inbox before any run: entries, hidden names, simulation.json."""
    report = RunReport(entries=len(listing.files), hidden=len(listing.hidden))
    if listing.simulation:
        data = inbox.read_simulation(simulation.MAX_BYTES)
        record, problem = simulation.parse(data) if data is not None else (None, "not readable")
        report.simulation = (f"simulated inbox ({simulation.describe(record)}): recorded in gold/simulation.json"
                             if record else f"simulation.json ignored: {problem}")
    return report


def run_on_console(settings: Settings, stream: TextIO, quiet: bool, verbose: bool,
                   wait_seconds: float = 0.0) -> RunReport:
    """`ccus run`: the runs with the progress display `stream` calls for (live on a terminal,
    plain lines otherwise, none when `quiet`)."""
    with progress_for(stream, quiet, verbose) as progress:
        return run_pipeline(settings, wait_seconds=wait_seconds, progress=progress, verbose=verbose)


def run_pipeline(settings: Settings, instance: dg.DagsterInstance | None = None,
                 wait_seconds: float = 0.0, progress: Progress | None = None, verbose: bool = True) -> RunReport:
    """Both runs under the warehouse's writer lock: a concurrent run waits, then is refused.
    An inbox that does not exist raises InboxMissing before anything is written; an inbox with
    nothing in it is a run with nothing to do (report.entries == 0), and nothing is written.
    Without `instance`, the runs go to the persistent one in settings.dagster_home."""
    inbox = Inbox(settings.inbox)
    listing = inbox.listing()
    report = inbox_report(listing, inbox)
    if not listing.files:
        return report
    with writer_lock(str(settings.state.warehouse), wait_seconds):
        with contextlib.ExitStack() as stack:
            if not verbose:  # the per-file and per-model detail goes to the log file, not the console
                log_path(settings).parent.mkdir(parents=True, exist_ok=True)
                log = stack.enter_context(open(log_path(settings), "w", encoding="utf-8"))
                stack.enter_context(contextlib.redirect_stdout(log))   # dbt's lines (dagster-dbt echoes them)
                stack.enter_context(contextlib.redirect_stderr(log))   # Dagster's console log
            # the quality checks' worker processes kept for another run end with this one
            stack.callback(close_idle_workers)
            if instance is None:
                home = ensure_dagster_home(settings.dagster_home)
                instance = stack.enter_context(dg.DagsterInstance.from_config(str(home)))
            return _run_pipeline(settings, listing, instance, report, progress or Progress())


def _run_pipeline(settings: Settings, listing: Listing, instance: dg.DagsterInstance,
                  report: RunReport, progress: Progress) -> RunReport:
    """The Definitions' own jobs (orchestration/jobs.py), with the resources of these settings."""
    started = time.monotonic()
    defs = definitions(settings_resources(settings, progress))
    days = sorted({f.file_date for f in listing.files if f.feed is not None and f.feed.partitioned})
    if days:
        result = execute(defs, DAILY_INGEST, instance,
                         tags={RANGE_START: days[0].isoformat(), RANGE_END: days[-1].isoformat()})
        report.absorb(result, f"daily ingest {days[0]}..{days[-1]}")
        if not result.success:
            report.seconds = time.monotonic() - started
            return report
    result = execute(defs, refresh_job_name(data_tests_run(settings.engine, settings.spark_data_tests)), instance)
    report.absorb(result, "refresh")
    report.seconds = time.monotonic() - started
    return report


def execute(defs: dg.Definitions, job_name: str, instance: dg.DagsterInstance, tags: dict | None = None,
            asset_selection: list[dg.AssetKey] | None = None) -> dg.ExecuteInProcessResult:
    """One of the Definitions' jobs in this process, on `instance`: the UI lists the run under the
    job's own name (`daily_ingest`, `refresh`), as a run the schedules start."""
    return defs.resolve_job_def(job_name).execute_in_process(
        run_config=RUN_CONFIG, instance=instance, raise_on_error=False, tags=tags, asset_selection=asset_selection)


def short_error(error: BaseException) -> str:
    """The root cause in one line (an S3 outage reads 'EndpointConnectionError: Could not connect…')."""
    while error.__cause__ is not None or error.__context__ is not None:
        error = error.__cause__ or error.__context__
    text = " ".join(str(error).split())[:400]
    return f"{type(error).__name__}: {text}"


def _audit_rows(lakehouse_root: str) -> list[dict]:
    table = audit.read(Lakehouse(lakehouse_root))
    return table.to_pylist() if table is not None else []


def _dashboard_lines(settings: Settings) -> list[str]:
    """Where the pages went: the top page, and each audience kind's location (pattern)."""
    places = resolve(Lakehouse(settings.lakehouse).path("site"), **asdict(settings.publication)).locations
    return [f"dashboards: {places.site.rstrip('/')}/index.html",
            f"dashboards (ministry): {places.ministry.rstrip('/')}/index.html",
            f"dashboards (associations): {places.associations.rstrip('/')}/index.html",
            f"dashboards (orderers): {places.orderers.rstrip('/')}/index.html",
            f"dashboards (primes): {places.primes.rstrip('/')}/index.html"]


def registry_gaps_line(lh: Lakehouse) -> str | None:
    """The data-quality line of gold/attendance_registry_gaps.parquet, when there is one."""
    relative = "gold/attendance_registry_gaps.parquet"
    if not lh.exists(relative):
        return None
    [row] = lh.read_parquet([relative]).to_pylist() or [None]
    if not row or not (row["days_unknown_worker"] or row["days_unknown_site"]):
        return None
    return (f"work history the registry does not know (yet): of {row['work_history_days']:,} work-history days, "
            f"{row['days_unknown_worker']:,} of unregistered workers, {row['days_unknown_site']:,} at unregistered sites")


def _feed_lines(rows: list[dict], new: list[dict]) -> list[str]:
    """One line per feed: files (new), rows read, accepted, quarantined by reason (rows, and
    whole files as file:<reason>)."""
    lines = []
    new_paths = {r["path"] for r in new}
    for feed in sorted({r["feed"] or "?" for r in rows}):
        of_feed = [r for r in rows if (r["feed"] or "?") == feed]
        reasons = collections.Counter()
        for r in of_feed:
            for reason, n in json.loads(r["quarantine_reasons"] or "{}").items():
                reasons[reason] += n
            if r["status"] == "quarantined":
                reasons[f"file:{r['reason']}"] += 1
        quarantined = sum(r["rows_quarantined"] for r in of_feed)
        because = (" (" + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())) + ")") if reasons else ""
        lines.append(printable(
            f"  {feed:<15} {len(of_feed):>5} files ({sum(r['path'] in new_paths for r in of_feed)} new) "
            f"{sum(r['rows_read'] for r in of_feed):>12,} rows: accepted {sum(r['rows_accepted'] for r in of_feed):,}, "
            f"quarantined {quarantined:,}{because}"))
    return lines


def summary(settings: Settings, report: RunReport, run_started: dt.datetime) -> str:
    """End-of-run text: files and rows (all, and new in this run), quarantine reasons, models,
    checks. Every inbox name and message is escaped (printable): a name may hold terminal escapes."""
    lh = Lakehouse(settings.lakehouse)
    lines = ["── CCUS run summary ──"]
    if report.hidden:
        lines.append(f"hidden names skipped (starting with '.', not deliveries): {report.hidden}")
    if report.simulation:
        lines.append(report.simulation)
    if report.entries == 0:
        lines += [f"no new files: the inbox {printable(settings.inbox)} holds no delivery; nothing was run",
                  f"time: {report.seconds:.1f} s — OK"]
        return "\n".join(lines)
    try:
        rows = _audit_rows(settings.lakehouse)
    except Exception as error:  # the store may be the thing that failed
        rows = []
        report.failures.append(f"reading the ingest audit: {short_error(error)}")
    new = [r for r in rows if r["ingested_at"] >= run_started.replace(microsecond=0)]
    status = collections.Counter(r["status"] for r in rows)
    lines += [
        f"files: {len(rows)} in the lakehouse ({len(new)} new in this run): "
        + ", ".join(f"{k} {v}" for k, v in sorted(status.items())),
        f"rows read {sum(r['rows_read'] for r in rows):,} = accepted {sum(r['rows_accepted'] for r in rows):,}"
        f" + quarantined {sum(r['rows_quarantined'] for r in rows):,}",
        *_feed_lines(rows, new),
    ]
    for r in rows:
        if r["status"] == "quarantined" and r in new:
            lines.append(printable(f"  quarantined file {r['path']}: {r['message']}"))
    try:
        gaps = registry_gaps_line(lh)
    except Exception as error:
        gaps = None
        report.failures.append(f"reading gold/attendance_registry_gaps: {short_error(error)}")
    if gaps:
        lines.append(gaps)
    lines.append(f"assets materialised: {report.materialized}; checks passed {report.checks_passed}, "
                 f"failed {len(report.checks_failed)}")
    lines += [printable(f"  failed check {c}") for c in report.checks_failed]
    if report.blocking:
        lines.append("publication blocked: the models, gold and pages downstream of "
                     + "; ".join(report.blocking) + " were not refreshed")
    lines += [printable(f"  FAILED {f}") for f in report.failures]
    lines += [
        f"gold marts: {lh.path('gold')}/<mart>.parquet",
        *_dashboard_lines(settings),
        f"warehouse: {settings.state.warehouse}",
        f"Dagster runs, materialisations and checks: {settings.dagster_home} (`ccus dev` shows them)",
        *([f"log (Dagster's and dbt's lines): {log_path(settings)}"] if log_path(settings).exists() else []),
        f"time: {report.seconds:.1f} s — {'OK' if report.ok else 'FAILED'}",
    ]
    return "\n".join(lines)

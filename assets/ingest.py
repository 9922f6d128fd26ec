"""Ingestion assets: one per feed, writing bronze Parquet, quarantine and audit rows.

Attendance and rosters are partitioned by day (the date in the file name); a range of days is
ingested in one run (single-run backfill policy). The registry and the monthly feeds are
unpartitioned: each run takes every new delivery.
"""

import contextlib
import datetime as dt
import time
import warnings
from collections.abc import Mapping

import dagster as dg

from ccus.feeds.contract import FEEDS, Feed
from ccus.feeds.inbox import InboxFile
from ccus import quality
from ccus.calendar import write_holidays
from ccus.feeds import audit
from ccus.feeds.ingest import ingest
from ccus.printable import printable
from ccus.pseudonym import load_key
from ccus.quality_checks import BackgroundChecks
from assets.partitions import daily_partitions
from assets.resources import InboxResource, LakehouseResource, Progress

# The inbox is delivered every day: the UI warns when a feed has not been refreshed for 30 hours
# and fails its freshness after 48 (the daily schedule runs at 05:30 Japan time).
DAILY_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=dt.timedelta(hours=48),
                                                 warn_window=dt.timedelta(hours=30))


CHECKS = ("contract_suite", "plausible_ranges", "row_count_drift")


def _check_specs(key: list[str]) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec("contract_suite", asset=key, blocking=True,
                          description="Great Expectations: schema, ids, enumerations, levels, non-null keys of "
                                      "the rows written now. An error blocks the models and the pages."),
        dg.AssetCheckSpec("plausible_ranges", asset=key,
                          description="Great Expectations: plausibility ranges (days in a month, tiers). Warning."),
        dg.AssetCheckSpec("row_count_drift", asset=key,
                          description="Rows accepted per delivery against the mean of the previous ones. Warning."),
    ]


QUALITY_CHUNK_ROWS = 200_000


def _where(rows: list[dict], paths) -> str:
    """'file, day' of the deliveries a check failed on (inbox name and file date from the audit
    rows), '; '-separated: what the run summary and the UI show of a failed check."""
    by_path = {r["path"]: r for r in rows} | {r.get("bronze_path"): r for r in rows if r.get("bronze_path")}
    places = []
    for path in dict.fromkeys(paths):
        row = by_path.get(path)
        if row is not None:
            places.append(f"{row['file']}, {row['file_date'] or 'undated'}")
    return "; ".join(places)


def _quality_results(feed: Feed, lh, rows: list[dict], checks) -> list[dg.AssetCheckResult]:
    """The suites' outcomes on the bronze rows written in this run (ccus/quality_checks.py ran
    them in chunks, never the whole feed, while the files were ingested), and the drift check.
    A failed check's metadata says where: `failed_at` ('file, day'; for the suites, the first
    file of each failing chunk)."""
    key = dg.AssetKey(["bronze", feed.name])
    outcomes = checks.finish()
    results = [
        dg.AssetCheckResult(
            asset_key=key, check_name=name, passed=o.passed,
            severity=dg.AssetCheckSeverity.ERROR if name == "contract_suite" else dg.AssetCheckSeverity.WARN,
            metadata={"files_checked": len(checks.paths), "expectations_evaluated": o.evaluated,
                      "failures": "\n".join(map(str, o.failures[:20])) or "none",
                      "failed_at": _where(rows, (f.first_file for f in o.failures)) or "none"})
        for name, o in outcomes.items()
    ]
    drift = _drift(feed, lh, rows)
    results.append(dg.AssetCheckResult(asset_key=key, check_name="row_count_drift", passed=not drift,
                                       severity=dg.AssetCheckSeverity.WARN,
                                       metadata={"drifting_deliveries": len(drift),
                                                 "details": "\n".join(f"{path}: {message}" for path, message in drift[:20])
                                                            or "none",
                                                 "failed_at": _where(rows, (path for path, _ in drift)) or "none"}))
    return results


def _drift(feed: Feed, lh, rows: list[dict]) -> list[tuple[str, str]]:
    """(inbox path, message) of each delivery of this run whose accepted rows drift."""
    if feed.period == "day" and not feed.partitioned:
        return []  # registry deltas: a full first delivery then small changes, by design
    table = audit.read(lh, feed.name)
    if table is None:
        return []
    history = sorted((r["file_date"], r["file_version"], r["rows_accepted"], r["path"]) for r in table.to_pylist()
                     if r["status"] == "ingested")
    new_paths = {r["path"] for r in rows if r["status"] == "ingested"}
    drifting = []
    deliveries = [(h[0], h[2]) for h in history]
    for i, (day, _, accepted, path) in enumerate(history):
        if path in new_paths:
            baseline = quality.drift_baseline(deliveries, i, daily=feed.period == "day")
            message = quality.row_count_drift(baseline, accepted)
            if message:
                drifting.append((path, message))
    return drifting


def _materialize(context, lakehouse: LakehouseResource, inbox: InboxResource, progress: Progress,
                 files: list[InboxFile], feed: Feed | None = None, environment: Mapping[str, str] | None = None):
    lh = lakehouse.get()
    task = f"ingest {feed.name if feed is not None else 'unrecognised'}"
    progress.update(task, 0, len(files), rows=0)

    def each_file(done, total, rows_read):
        progress.update(task, done, total, rows=rows_read)
        if done % 50 == 0 or done == total:
            context.log.info(f"{done}/{total} files, {rows_read:,} rows read")

    checks = None
    if feed is not None:
        # starts on each file as it is committed, in as many processes as ingest the rows
        checks = BackgroundChecks(feed, lh, QUALITY_CHUNK_ROWS, environment, workers=lakehouse.ingest_workers)
    try:
        rows = ingest(lh, inbox.get(), files, load_key(lh, lakehouse.pseudonym_key), progress=each_file, every=1,
                      on_file=checks.add if checks else None, workers=lakehouse.ingest_workers)
    except BaseException:
        if checks is not None:
            with contextlib.suppress(Exception):  # the ingestion's error is the one to report
                checks.finish()
        raise
    read = sum(r["rows_read"] for r in rows)
    accepted = sum(r["rows_accepted"] for r in rows)
    quarantined = sum(r["rows_quarantined"] for r in rows)
    for r in rows:  # names and messages escaped: a file name may hold terminal escapes
        if r["status"] != "ingested" or r["rows_quarantined"]:
            # the event log's account of each file (the audit has it too); a whole file set aside
            # is a warning, a few rows of an accepted file are the door doing its work
            log = context.log.warning if r["status"] == "quarantined" else context.log.info
            log(printable(f"{r['path']}: {r['status']} {r['reason'] or ''} {r['message'] or ''} "
                                          f"quarantined rows: {r['quarantine_reasons'] or 0}"))
    return dg.MaterializeResult(metadata={
        "files": len(rows),
        "rows_read": read, "rows_accepted": accepted, "rows_quarantined": quarantined,
        "duplicates": sum(r["status"] == "duplicate" for r in rows),
        "files_quarantined": sum(r["status"] == "quarantined" for r in rows),
    }, check_results=_quality_results(feed, lh, rows, checks) if feed is not None else None)


def _partitioned_asset(feed: Feed) -> dg.AssetsDefinition:
    with warnings.catch_warnings():  # single-run backfills are "beta" in Dagster 1.13; we rely on them knowingly
        warnings.simplefilter("ignore", dg.BetaWarning)
        return _partitioned_asset_definition(feed)


def _partitioned_asset_definition(feed: Feed) -> dg.AssetsDefinition:
    @dg.asset(
        key=["bronze", feed.name], group_name="bronze", kinds={"parquet"},
        partitions_def=daily_partitions, backfill_policy=dg.BackfillPolicy.single_run(),
        check_specs=_check_specs(["bronze", feed.name]), freshness_policy=DAILY_FRESHNESS,
        description=f"{feed.name}: typed Parquet per day in bronze/{feed.name}/date=…, "
                    "bad rows in quarantine/ with reason, file and line.",
    )
    def _asset(context: dg.AssetExecutionContext, lakehouse: LakehouseResource, inbox: InboxResource,
               progress: dg.ResourceParam[Progress], environment: dg.ResourceParam[Mapping[str, str]]):
        window = context.partition_time_window
        first, last = window.start.date(), window.end.date() - dt.timedelta(days=1)
        files = [f for f in inbox.get().files()
                 if f.feed is feed and f.file_date is not None and first <= f.file_date <= last]
        return _materialize(context, lakehouse, inbox, progress, files, feed, environment)

    return _asset


def _unpartitioned_asset(feed: Feed) -> dg.AssetsDefinition:
    @dg.asset(
        key=["bronze", feed.name], group_name="bronze", kinds={"parquet"},
        check_specs=_check_specs(["bronze", feed.name]), freshness_policy=DAILY_FRESHNESS,
        description=f"{feed.name}: every new delivery as typed Parquet in bronze/{feed.name}/, "
                    "bad rows in quarantine/ with reason, file and line.",
    )
    def _asset(context: dg.AssetExecutionContext, lakehouse: LakehouseResource, inbox: InboxResource,
               progress: dg.ResourceParam[Progress], environment: dg.ResourceParam[Mapping[str, str]]):
        files = [f for f in inbox.get().files() if f.feed is feed]
        return _materialize(context, lakehouse, inbox, progress, files, feed, environment)

    return _asset


@dg.asset(key=["bronze", "unrecognised"], group_name="bronze",
          description="Inbox entries that belong to no feed (unknown folder or name, a date outside the "
                      "feed's dates, an entry that is not a regular file): quarantined whole, each with a "
                      "clear message in the audit; links, pipes and the like are never opened.")
def bronze_unrecognised(context: dg.AssetExecutionContext, lakehouse: LakehouseResource, inbox: InboxResource,
                        progress: dg.ResourceParam[Progress]):
    return _materialize(context, lakehouse, inbox, progress, [f for f in inbox.get().files() if f.feed is None])


FEED_ASSETS = [
    (_partitioned_asset if feed.partitioned else _unpartitioned_asset)(feed) for feed in FEEDS.values()
]


@dg.asset(key=["bronze", "ingest_audit"], group_name="bronze",
          deps=[a.key for a in FEED_ASSETS] + [bronze_unrecognised.key],
          description="One audit row per delivered file. Checks that every file conserves its rows: "
                      "rows_read = rows_accepted + rows_quarantined.")
def bronze_ingest_audit(context: dg.AssetExecutionContext, lakehouse: LakehouseResource):
    lh = lakehouse.get()
    # Temporary files of a run that was killed: older than this run, which writes none of its own
    # before it starts (other assets of this run may be writing theirs right now: they are newer).
    run = context.instance.get_run_record_by_id(context.run_id)
    started = run.start_time if run is not None and run.start_time else time.time()
    for path in lh.remove_leftovers(started_before=started):
        context.log.info(printable(f"removed the temporary file of a killed run: {path}"))
    # One file per feed and month instead of one per delivered file (ccus/feeds/audit.py).
    merged = audit.compact(lh)
    for target, rows_in in merged.items():
        context.log.info(f"audit compacted: {rows_in} row(s) into {target}")
    table = audit.read(lh)
    rows = table.to_pylist() if table is not None else []
    broken = [r["path"] for r in rows if r["rows_read"] != r["rows_accepted"] + r["rows_quarantined"]]
    if broken:
        raise dg.Failure(f"rows not conserved in: {', '.join(broken)}")
    return dg.MaterializeResult(metadata={
        "files": len(rows),
        "rows_read": sum(r["rows_read"] for r in rows),
        "rows_accepted": sum(r["rows_accepted"] for r in rows),
        "rows_quarantined": sum(r["rows_quarantined"] for r in rows),
    })


@dg.asset(key=["bronze", "jp_holidays"], group_name="bronze", kinds={"parquet"},
          description="Japanese public holidays (incl. substitute holidays) from the `holidays` library, "
                      "for holiday work (metrics.md §7).")
def bronze_jp_holidays(context: dg.AssetExecutionContext, lakehouse: LakehouseResource):
    return dg.MaterializeResult(metadata={"holidays": write_holidays(lakehouse.get())})

"""Ingest delivered files into the lakehouse: the files of a run in name order, each taken in by
delivery.py (raw copy, quarantine, bronze, and last the audit row, its commit) in this process or
with its rows ingested by worker processes (ingest_workers.py), with the same outcome.
"""
from __future__ import annotations

import duckdb
import pyarrow as pa

from ccus.feeds import audit, bronze, delivery, ingest_workers
from ccus.feeds.contract import FEEDS
from ccus.feeds.inbox import Inbox, InboxFile
from ccus.lakehouse import Lakehouse

AUDIT_DIR = audit.AUDIT_DIR


def ensure_schemas(lakehouse: Lakehouse) -> None:
    """A zero-row file with the full schema per feed, so readers of an empty feed never fail."""
    for feed in FEEDS.values():
        _write_once(lakehouse, f"bronze/{feed.name}/_schema/empty.parquet", bronze.schema(feed).empty_table())
    _write_once(lakehouse, f"{AUDIT_DIR}/_schema/empty.parquet", bronze.AUDIT.empty_table())
    _write_once(lakehouse, "quarantine/_schema/empty.parquet", bronze.QUARANTINE.empty_table())


def _write_once(lakehouse: Lakehouse, relative: str, table: pa.Table) -> None:
    """Write the schema file when missing, or when the contract has grown a column since (an
    upgraded platform on an existing lakehouse: its older bronze files lack the column)."""
    if not lakehouse.exists(relative) or lakehouse.read_parquet([relative]).schema != table.schema:
        lakehouse.write_parquet(relative, table)


def ingest(lakehouse: Lakehouse, inbox: Inbox, files: list[InboxFile], key: bytes,
           progress=None, every: int = 50, fast: bool = True, on_file=None, workers: int = 1) -> list[dict]:
    """Ingest the given inbox files (in name order); returns the audit rows written now.

    `progress(done, total, rows_read)` is called every `every` files, so long work shows progress.
    `on_file(audit_row)` is called as each file is committed (the quality checks start on it).
    `workers` > 1: the rows of the feed files are ingested by that many worker processes when
    there is enough to ingest (ingest_workers.py); the outcome is the same."""
    ensure_schemas(lakehouse)
    ledger = delivery.Ledger.load(lakehouse)
    written = []
    ordered = sorted(files, key=lambda x: x.path)
    con = duckdb.connect()  # the validation's, shared by every file
    if ingest_workers.worth_it(lakehouse, inbox, ordered, ledger, workers):
        outcomes = ingest_workers.ingested(lakehouse, inbox, ordered, key, ledger, fast, workers, con)
    else:
        outcomes = ((f, delivery.ingest_file(lakehouse, inbox, f, key, ledger, fast, con)) for f in ordered)
    for done, (_, row) in enumerate(outcomes, start=1):
        if row is not None:
            written.append(row)
            if on_file:
                on_file(row)
        if progress and (done % every == 0 or done == len(ordered)):
            progress(done, len(ordered), sum(r["rows_read"] for r in written))
    con.close()
    return written

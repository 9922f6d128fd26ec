"""The rows of an ingestion's feed files ingested by worker processes, beside this one.

Ingesting a file's rows (parsing, validation, pseudonyms, the bronze and quarantine Parquet) is
nearly all of an ingestion's work and is Python under one lock (the GIL): one process used one of
two cores for a national month's 30 days of attendance. Here this process still takes every file
in name order — reads it, hashes it, settles what needs no rows (changed after delivery, a
duplicate, not a feed file), writes its raw copy — and hands the rows of each feed file to a
*spawned* worker process (not forked: the ingesting process may hold Dagster's and Arrow's
threads). The worker reads the file again (from the page cache), checks it still has the bytes
this process hashed, and writes the file's bronze and quarantine files under their final,
deterministic names, as one process would.

The commits stay here and in name order: the audit row of each file, the ledger, the rows given
back and the quality checks' order are exactly those of one process. An earlier delivery of the
same bytes still being ingested decides a later one's outcome (duplicate, or not if it was
quarantined), so the later one waits for it. A file changed between the two reads is ingested
again here, as one process would see it. Nothing a worker writes is visible before its commit
(staging reads committed files only), so a crash leaves what one process would leave.

Local lakehouses and inboxes only (a worker reopens both by path), and only for work worth the
seconds a worker takes to start.
"""
from __future__ import annotations

import collections
import hashlib
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass

import duckdb

from ccus.feeds import delivery as single
from ccus.feeds.inbox import Inbox, InboxFile
from ccus.lakehouse import Lakehouse

MIN_BYTES = 64 << 20     # less to read than this: one process (a worker starts in about 2 s)

_worker: dict = {}       # in a worker process: its lakehouse, inbox, key and DuckDB connection


def worth_it(lakehouse: Lakehouse, inbox: Inbox, files: list[InboxFile], ledger: single.Ledger,
             workers: int) -> bool:
    """Whether worker processes should ingest these files' rows: two or more feed files not
    yet taken in, MIN_BYTES or more of them, between local folders."""
    if workers < 2 or not (lakehouse.is_local and inbox.is_local):
        return False
    new = [f for f in files if f.feed is not None and f.regular and not ledger.unchanged(f)]
    return len(new) >= 2 and sum(f.size or 0 for f in new) >= MIN_BYTES


@dataclass
class _Pending:
    """A file taken, its audit row to commit at its turn: ``row`` ready, or ``rows`` ingesting.
    Only the sha256 of its bytes is kept (the bytes themselves are not, past the raw copy)."""
    file: InboxFile
    sha: str | None = None                    # None: nothing to commit here (skipped, or committed)
    row: dict | None = None
    rows: Future | None = None


def ingested(lakehouse: Lakehouse, inbox: Inbox, ordered: list[InboxFile], key: bytes, ledger: single.Ledger,
             fast: bool, workers: int, con: duckdb.DuckDBPyConnection) -> Iterator[tuple[InboxFile, dict | None]]:
    """(file, its audit row or None when already in) for each of ``ordered``, in that order, as
    each is committed; the rows ingested by ``workers`` processes."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start, initargs=(lakehouse.root, inbox.root, key, fast))
    pending: collections.deque[_Pending] = collections.deque()
    ingesting: collections.Counter[str] = collections.Counter()   # sha256 -> files of it with rows pending

    def commit_first() -> tuple[InboxFile, dict | None]:
        item = pending.popleft()
        if item.rows is not None:
            ingesting[item.sha] -= 1
            row = item.rows.result()
            if row is None:     # the file changed after it was read here: taken again, as new
                return item.file, single.ingest_file(lakehouse, inbox, item.file, key, ledger, fast, con)
            return item.file, single.commit(lakehouse, item.file, item.sha, row, ledger)
        if item.sha is not None:
            return item.file, single.commit(lakehouse, item.file, item.sha, item.row, ledger)
        return item.file, item.row

    try:
        for f in ordered:
            read = single.read_delivery(lakehouse, inbox, f, ledger)
            if not isinstance(read, single.Delivery):
                pending.append(_Pending(f, row=read))    # skipped, or not readable (committed)
            else:
                while ingesting[read.sha]:
                    # the same bytes delivered earlier, still ingesting: its outcome decides this one's
                    yield commit_first()
                single.write_raw(lakehouse, read)
                row = single.settled_outcome(read, ledger)
                if row is not None:
                    pending.append(_Pending(f, read.sha, row=row))
                else:
                    ingesting[read.sha] += 1
                    pending.append(_Pending(f, read.sha, rows=pool.submit(_ingest_rows, f, read.sha)))
            while pending and (pending[0].rows is None or pending[0].rows.done()):
                yield commit_first()
        while pending:
            yield commit_first()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start(lakehouse_root: str, inbox_root: str, key: bytes, fast: bool) -> None:
    _worker.update(lakehouse=Lakehouse(lakehouse_root), inbox=Inbox(inbox_root), key=key, fast=fast,
                   con=duckdb.connect())


def _ingest_rows(f: InboxFile, sha: str) -> dict | None:
    """In a worker: the file's rows ingested (bronze, quarantine) and its audit row, not
    committed; None when the file no longer holds the bytes the ingesting process hashed."""
    data = _worker["inbox"].read(f)
    if hashlib.sha256(data).hexdigest() != sha:
        return None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ccus-ingest-writes") as writes:
        return single.ingest_rows(_worker["lakehouse"], f, sha, data, _worker["key"], _worker["fast"], writes,
                                  _worker["con"])

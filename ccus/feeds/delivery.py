"""One delivered file taken in: read and hashed, settled without its rows (already in, changed
after delivery, a duplicate, not a feed file, not readable) or its rows ingested, then committed.

Per file, in this order: the raw bytes (content-addressed), the quarantined rows, the bronze
rows, and last the audit row. The audit row is the commit: staging models only read bronze rows
whose file has an `ingested` audit row, so a crash before it leaves nothing half-visible, and
the re-run rewrites the same deterministic file names (idempotent). ingest.py takes the files of
a run one after another; ingest_workers.py hands their rows to worker processes.
"""
from __future__ import annotations

import collections
import datetime as dt
import hashlib
import json
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from ccus.feeds import audit, bronze
from ccus.feeds.bronze_file import BronzeFile
from ccus.feeds.contract import Feed
from ccus.feeds.inbox import NOT_READ, Inbox, InboxFile, NotRegular
from ccus.feeds.reader import FileRejected, read_chunks
from ccus.feeds.validate import validate
from ccus.lakehouse import Lakehouse

AUDIT_DIR = audit.AUDIT_DIR


@dataclass
class Ledger:
    """What the lakehouse has already taken in, read from the audit rows."""
    by_path: dict[str, str] = field(default_factory=dict)       # inbox path -> sha256
    listed: dict[str, tuple[int, int]] = field(default_factory=dict)  # inbox path -> (bytes, mtime ns) then
    ingested_sha: dict[str, str] = field(default_factory=dict)  # sha256 -> path of its ingested delivery

    @classmethod
    def load(cls, lakehouse: Lakehouse) -> "Ledger":
        ledger = cls()
        table = audit.read(lakehouse)
        if table is None:
            return ledger
        for row in table.select(["path", "sha256", "status", "file_bytes", "file_modified_ns"]).to_pylist():
            ledger.by_path[row["path"]] = row["sha256"]
            ledger.listed.pop(row["path"], None)   # the latest row of a path says how it was listed
            if row["file_bytes"] is not None and row["file_modified_ns"] is not None:
                ledger.listed[row["path"]] = (row["file_bytes"], row["file_modified_ns"])
            if row["status"] == "ingested":
                ledger.ingested_sha.setdefault(row["sha256"], row["path"])
        return ledger

    def unchanged(self, f: InboxFile) -> bool:
        """Listed exactly as when it was taken in (same size, same modification time): not read
        and hashed again, so a day's run does not re-read every file of history. A file rewritten
        in place gets a new modification time, is read, and its changed content quarantined."""
        return f.size is not None and f.modified_ns is not None and self.listed.get(f.path) == (f.size, f.modified_ns)


def _stem(f: InboxFile, sha: str) -> str:
    """The name of a file's bronze, quarantine and audit files. A feed file's name is short and
    plain (its pattern says so); any other entry's name may be anything (control characters,
    thousands of bytes), so it is named by a hash of its inbox path: derived names never grow
    with the input's."""
    if f.feed is not None:
        return f"{f.name.rsplit('.', 1)[0]}__{sha[:12]}"
    return f"entry_{hashlib.sha256(f.path.encode()).hexdigest()[:16]}__{sha[:12]}"


def _raw_name(f: InboxFile) -> str:
    return f.name if f.feed is not None else "unrecognised_file"


def _count_lines(data: bytes) -> int:
    """Best-effort row count of a file that cannot be parsed: non-blank lines after the header."""
    lines = [ln for ln in data.splitlines() if ln.strip()]
    return max(len(lines) - 1, 0)


def _audit_row(f: InboxFile, sha: str, **values) -> dict:
    row = {
        "feed": f.feed.name if f.feed else (f.path.split("/")[0] if "/" in f.path else None),
        "file": f.name, "path": f.path, "sha256": sha, "file_date": f.file_date, "file_version": f.version,
        "encoding": None, "rows_read": 0, "rows_accepted": 0, "rows_quarantined": 0, "status": "ingested",
        "reason": None, "message": None, "warnings": None, "quarantine_reasons": None,
        "ingested_at": dt.datetime.now().replace(microsecond=0),
        "file_bytes": f.size if f.regular else None, "file_modified_ns": f.modified_ns if f.regular else None,
    }
    row.update(values)
    return row


def _commit_audit(lakehouse: Lakehouse, f: InboxFile, sha: str, row: dict) -> dict:
    folder = f.feed.name if f.feed else "_unrecognised"
    lakehouse.write_parquet(f"{AUDIT_DIR}/{folder}/{_stem(f, sha)}.parquet",
                            pa.Table.from_pylist([row], schema=bronze.AUDIT))
    return row


@dataclass
class Delivery:
    """A file read for ingestion: its bytes and their sha256."""
    file: InboxFile
    sha: str
    data: bytes


def ingest_file(lakehouse: Lakehouse, inbox: Inbox, f: InboxFile, key: bytes, ledger: Ledger,
                fast: bool = True, con: duckdb.DuckDBPyConnection | None = None) -> dict | None:
    """Ingest one file; returns its audit row, or None when this exact delivery is already in.
    fast=False reads CSV and JSON Lines with Python's csv and json modules only (the reference; same outcome)."""
    read = read_delivery(lakehouse, inbox, f, ledger)
    if not isinstance(read, Delivery):
        return read
    # One writer thread takes the file's writes in order (raw copy, bronze chunks, quarantine,
    # bronze file): disk time and Parquet compression release the GIL and overlap the parsing and
    # validation of the next chunk. The audit row, the commit, is written after all of them.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ccus-ingest-writes") as writes:
        raw = writes.submit(write_raw, lakehouse, read)
        row = settled_outcome(read, ledger)
        if row is None:
            row = ingest_rows(lakehouse, f, read.sha, read.data, key, fast, writes, con)
        raw.result()
    return commit(lakehouse, f, read.sha, row, ledger)


def read_delivery(lakehouse: Lakehouse, inbox: Inbox, f: InboxFile, ledger: Ledger) -> Delivery | dict | None:
    """The file's bytes to ingest; or None when this exact delivery is already in; or the audit
    row, committed, of an entry that cannot be read."""
    if not f.regular:
        return _not_read(lakehouse, f, None, ledger)
    if ledger.unchanged(f):
        return None
    try:
        data = inbox.read(f)
    except OSError as error:  # swapped for a link or a pipe since the listing, or unreadable
        return _not_read(lakehouse, f, error, ledger)
    sha = hashlib.sha256(data).hexdigest()
    if ledger.by_path.get(f.path) == sha:
        return None  # re-run: nothing changes
    return Delivery(f, sha, data)


def write_raw(lakehouse: Lakehouse, read: Delivery) -> str:
    """The delivered bytes as they came, content-addressed."""
    f = read.file
    return lakehouse.write_bytes(
        f"raw/{f.feed.name if f.feed else '_unrecognised'}/{read.sha[:2]}/{read.sha}/{_raw_name(f)}", read.data)


def commit(lakehouse: Lakehouse, f: InboxFile, sha: str, row: dict, ledger: Ledger) -> dict:
    """The audit row of the delivery of ``f`` with these bytes written (the file's commit) and
    the ledger told."""
    _commit_audit(lakehouse, f, sha, row)
    ledger.by_path[f.path] = sha
    if row["file_bytes"] is not None and row["file_modified_ns"] is not None:
        ledger.listed[f.path] = (row["file_bytes"], row["file_modified_ns"])
    if row["status"] == "ingested":
        ledger.ingested_sha.setdefault(sha, f.path)
    return row


def _not_read(lakehouse: Lakehouse, f: InboxFile, error: OSError | None, ledger: Ledger) -> dict | None:
    """The audit row of an entry that is not read: not a regular file (a link, pipe, socket,
    device or directory: never opened), or a file that cannot be read. Quarantined whole with 0
    rows, once (its sha256 is NOT_READ)."""
    if ledger.by_path.get(f.path) == NOT_READ:
        return None
    if error is None or isinstance(error, NotRegular):
        reason, message = "not_regular_file", (f.problem.split(": ", 1)[1] if error is None else str(error))
    else:
        reason, message = "unreadable_file", f"{f.path}: cannot be read ({error.strerror or type(error).__name__})"
    row = _commit_audit(lakehouse, f, NOT_READ, _audit_row(f, NOT_READ, status="quarantined", reason=reason,
                                                            message=message))
    ledger.by_path[f.path] = NOT_READ
    return row


def settled_outcome(read: Delivery, ledger: Ledger) -> dict | None:
    """The audit row of a delivery settled without reading its rows (changed after delivery, a
    duplicate of an ingested one, not a feed file), or None: its rows are to be ingested."""
    f, sha, data = read.file, read.sha, read.data
    if ledger.by_path.get(f.path) not in (None, NOT_READ):
        return _audit_row(f, sha, status="quarantined", reason="changed_after_delivery",
                          rows_read=_count_lines(data), rows_quarantined=_count_lines(data),
                          message=f"{f.path}: a delivered file is immutable; send a corrected file "
                                  f"with a later name (_2) instead of changing it")
    if sha in ledger.ingested_sha:
        return _audit_row(f, sha, status="duplicate",
                          message=f"{f.path}: same content as {ledger.ingested_sha[sha]}, ingested once")
    if f.feed is None:
        reason, message = f.problem.split(": ", 1)
        return _audit_row(f, sha, status="quarantined", reason=reason, message=message,
                          rows_read=_count_lines(data), rows_quarantined=_count_lines(data))
    return None


def ingest_rows(lakehouse: Lakehouse, f: InboxFile, sha: str, data: bytes, key: bytes,
                 fast: bool, writes: ThreadPoolExecutor, con: duckdb.DuckDBPyConnection | None) -> dict:
    """Chunk by chunk (reader.CHUNK_ROWS rows): parse and validate here, then settle the chunk in
    the writer thread (duplicates across chunks, quarantine rows, pseudonymised bronze rows
    appended to one Parquet buffer) while the next chunk is parsed and validated. At most one
    chunk waits there, so memory stays flat; only the compressed bronze file and the quarantined
    rows grow with the file."""
    feed: Feed = f.feed
    out = BronzeFile(f, sha, key)
    rows_read = 0
    encoding, extra_columns = None, []
    own_con = con is None
    con = duckdb.connect() if own_con else con  # one for every chunk (and file): connecting costs 20 ms
    settling: Future | None = None  # the previous chunk, settled while this one is checked
    try:
        for parsed in read_chunks(feed, data, f.name, fast=fast):
            encoding, extra_columns = parsed.encoding, parsed.extra_columns
            checked = validate(feed, parsed, f.file_date, con)
            if settling is not None:
                settling.result()
            settling = writes.submit(out.add, parsed, checked)
            rows_read += parsed.rows_read
    except FileRejected as e:
        if settling is not None:
            settling.result()
        if own_con:
            con.close()
        out.close()
        n = _count_lines(data)
        return _audit_row(f, sha, status="quarantined", reason=e.reason, message=e.message,
                          rows_read=n, rows_quarantined=n)
    if settling is not None:
        settling.result()
    if own_con:
        con.close()
    bronze_bytes = out.close()

    quarantine = out.quarantine()
    stem, part = _stem(f, sha), f.partition
    if quarantine.num_rows:
        writes.submit(lakehouse.write_parquet, f"quarantine/{feed.name}/{part}/{stem}.parquet", quarantine).result()
    bronze_path = f"bronze/{feed.name}/{part}/{stem}.parquet"
    writes.submit(lakehouse.write_bytes, bronze_path, bronze_bytes).result()

    reasons = collections.Counter(quarantine.column("reason").to_pylist())
    warnings = f"extra columns ignored: {', '.join(extra_columns)}" if extra_columns else None  # positions, no names
    assert out.rows_accepted + quarantine.num_rows == rows_read  # every row ends in one place
    return _audit_row(
        f, sha, encoding=encoding, rows_read=rows_read, rows_accepted=out.rows_accepted,
        rows_quarantined=quarantine.num_rows, warnings=warnings,
        quarantine_reasons=json.dumps(dict(sorted(reasons.items())), ensure_ascii=False) if reasons else None,
        message=f"{f.path}: {rows_read} rows read ({encoding})",
        bronze_path=bronze_path,  # not an audit column: tells the quality checks what was written
    )

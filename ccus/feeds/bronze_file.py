"""One file's way into bronze after validation, chunk by chunk in line order: keys an earlier
chunk accepted move to the quarantine (earlier_keys.py), rejected and malformed rows become
quarantine rows with file, line, column and message, accepted rows are pseudonymised and appended
to one compressed Parquet buffer. ingest.py runs it in the file's writer thread, so this work
overlaps the parsing and validation of the next chunk."""
from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq

from ccus.feeds import bronze
from ccus.feeds.earlier_keys import EarlierKeys
from ccus.feeds.inbox import InboxFile
from ccus.feeds.validate import Validated


class BronzeFile:
    """The validated chunks of one file, in line order, becoming its bronze Parquet bytes and its
    quarantine rows: keys accepted by an earlier chunk move to the quarantine, worker ids are
    pseudonymised, bronze rows are appended to one compressed buffer. Called from one thread."""

    def __init__(self, f: InboxFile, sha: str, key: bytes):
        self.f, self.sha, self.key = f, sha, key
        self.lineage = {"file": f.name, "sha256": sha, "file_date": f.file_date, "file_version": f.version}
        self.buffer = io.BytesIO()
        self.writer = pq.ParquetWriter(self.buffer, bronze.schema(f.feed), compression="zstd")
        self.seen_keys = EarlierKeys(f.feed)
        self.quarantined: list[pa.Table] = []
        self.rows_accepted = 0

    def add(self, parsed, checked: Validated) -> None:
        checked = self.seen_keys.quarantine_repeats(checked, parsed.column_positions)
        self.quarantined.append(quarantine_table(self.f, self.sha, parsed, checked.quarantined))
        self.writer.write_table(bronze.to_bronze(self.f.feed, checked.accepted, self.key, self.lineage))
        self.rows_accepted += checked.accepted.num_rows

    def close(self) -> bytes:
        self.writer.close()
        return self.buffer.getvalue()

    def quarantine(self) -> pa.Table:
        return pa.concat_tables(self.quarantined) if self.quarantined else bronze.QUARANTINE.empty_table()


def quarantine_table(f: InboxFile, sha: str, parsed, rejected: pa.Table) -> pa.Table:
    rows = []
    for m in parsed.malformed:
        rows.append({"line": m.line, "column_name": None, "column_position": None, "reason": m.reason,
                     "message": m.message})
    for r in rejected.to_pylist():
        # file, line, column and reason: never the value (feeds.md, "What the inbox may hold")
        where = f"column {r['column_name']}" + (f" ({r['column_position']})" if r["column_position"] else "")
        rows.append({"line": r["_source_line"], "column_name": r["column_name"],
                     "column_position": r["column_position"], "reason": r["reason"],
                     "message": f"{f.name}:{r['_source_line']}: {where}: {r['reason']}"})
    for row in rows:
        row.update(feed=f.feed.name, file=f.name, path=f.path, sha256=sha)
    rows.sort(key=lambda r: r["line"])
    return pa.Table.from_pylist(rows, schema=bronze.QUARANTINE)

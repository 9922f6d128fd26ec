"""The ingestion audit (bronze/ingest_audit): one row per delivered file and attempt.

Each row is its file's commit (ingest.py), so it is written the moment the file is done, as a
Parquet of its own: `<folder>/<file stem>.parquet`. Left that way, every reader of the audit
(the ingestion's ledger, the audit asset, dbt's commit filter and changed dates) would open one
file per delivered file: ≈70 000 after five years of national deliveries. compact() therefore
merges them, after each ingestion run, into one file per folder (feed) and month of ingestion,
`<folder>/month_YYYYMM.parquet`, and deletes the one-row files it merged. A day's run rewrites
only the current month's file, so its cost does not grow with history.

The merged file is written (atomically) before the one-row files are deleted: a crash between
the two leaves some rows in both, which read() and stg_ingest_audit drop (distinct rows) and the
next compaction removes. Both layouts are read alike by the same glob, so a lakehouse written
before compaction keeps working and is compacted by its next run.
"""
from __future__ import annotations

import collections
import posixpath

import pyarrow as pa
import pyarrow.compute as pc

from ccus.feeds import bronze
from ccus.lakehouse import Lakehouse

AUDIT_DIR = "bronze/ingest_audit"
MONTH_PREFIX = "month_"


def audit_files(lakehouse: Lakehouse, folder: str = "*") -> list[str]:
    """The audit Parquets with rows (of every folder, or of one feed's): the monthly files and the
    one-row files not yet merged."""
    return [p for p in lakehouse.glob(f"{AUDIT_DIR}/{folder}/*.parquet") if "/_schema/" not in p]


def _conform(table: pa.Table) -> pa.Table:
    """The audit schema, in its order (a file written by an older version may lack a column)."""
    columns = [table.column(f.name).cast(f.type) if f.name in table.column_names
               else pa.nulls(table.num_rows, f.type) for f in bronze.AUDIT]
    return pa.Table.from_arrays(columns, schema=bronze.AUDIT)


def _distinct(table: pa.Table) -> pa.Table:
    """Each row once (a crash mid-compaction leaves rows in two files), oldest first."""
    unique = table.group_by(bronze.AUDIT.names, use_threads=False).aggregate([])
    return _conform(unique).sort_by([("ingested_at", "ascending"), ("path", "ascending"),
                                     ("status", "ascending")])


def read(lakehouse: Lakehouse, folder: str = "*") -> pa.Table | None:
    """Every audit row (of one feed's folder), whichever layout holds it (None when there are none)."""
    table = lakehouse.read_parquet(audit_files(lakehouse, folder))
    return None if table is None else _distinct(_conform(table))


def _month_file(folder: str, month: str) -> str:
    return f"{AUDIT_DIR}/{folder}/{MONTH_PREFIX}{month}.parquet"


def compact(lakehouse: Lakehouse) -> dict[str, int]:
    """Merge the one-row audit files into their folder's monthly files; returns, per monthly file
    written, how many rows it took in. Idempotent: nothing to merge, nothing written."""
    pieces: dict[str, list[str]] = collections.defaultdict(list)
    for path in audit_files(lakehouse):
        if not posixpath.basename(path).startswith(MONTH_PREFIX):
            pieces[posixpath.basename(posixpath.dirname(path))].append(path)
    merged: dict[str, int] = {}
    for folder, paths in sorted(pieces.items()):
        table = _conform(lakehouse.read_parquet(paths))
        months = pc.strftime(table.column("ingested_at"), format="%Y%m")
        for month in sorted(set(months.to_pylist())):
            rows = table.filter(pc.equal(months, month))
            target = _month_file(folder, month)
            merged[target] = rows.num_rows
            if lakehouse.exists(target):
                rows = pa.concat_tables([_conform(lakehouse.read_parquet([target])), rows])
            lakehouse.write_parquet(target, _distinct(rows))
        # only after every month of the folder is written: until then the rows are in the pieces
        for path in paths:
            lakehouse.remove(path)
    return merged

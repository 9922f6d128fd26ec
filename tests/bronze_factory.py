"""A tiny hand-made bronze lakehouse, for testing the dbt project without the ingestion.

The bronze layout and schemas are the ones the ingestion writes (see the dbt sources in
dbt_project/models/staging/__sources.yml):

    {root}/bronze/<feed>/<partition>/<file>.parquet
    {root}/bronze/<feed>/_schema/empty.parquet        (always there, zero rows, full schema)

Column types come from the feed contract (ccus/feeds/contract.py), with the personal data
removed and the worker ids replaced by keys, plus the per-row metadata columns.

Usage:

    lake = BronzeLake(tmp_path / "lakehouse")
    lake.add_file("workers", "2024-01-10", [{"worker_key": "w1", ...}])    # ingested
    lake.add_file("workers", "2024-01-11", rows, commit=False)             # no audit row
    lake.add_audit("workers", "workers_20240110.csv", status="duplicate")  # audit row only
    lake.write()                 # writes every feed's parquet, _schema files and the audit
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

try:
    from ccus.feeds import contract
except ModuleNotFoundError:  # the editable install may predate the package: use the work tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from ccus.feeds import contract

# contract column kind -> bronze Arrow type
_KIND_TYPES = {
    contract.ID14: pa.string(),
    contract.BUSINESS_REF: pa.string(),
    contract.PERSON_REF: pa.string(),
    contract.TEXT: pa.string(),
    contract.ENUM: pa.string(),
    contract.PREFECTURE: pa.string(),
    contract.OCCUPATION: pa.string(),
    contract.DATE: pa.date32(),
    contract.TIMESTAMP: pa.timestamp("us"),  # naive, Japan local time
    contract.BOOL: pa.bool_(),
    contract.INT: pa.int64(),
    contract.LEVEL: pa.int32(),
    contract.CODE_LIST: pa.list_(pa.string()),
    contract.QUALIFICATION_LIST: pa.list_(pa.string()),
    contract.YEAR_MONTH: pa.date32(),  # first day of the month
    contract.ORDERER_CODE: pa.string(),
}

# personal columns that survive in another form; the others (names, phones...) are dropped
_PERSONAL_REPLACEMENTS = {
    "birth_date": ("birth_year", pa.int32()),
    "kentaikyo_member_no": ("has_kentaikyo_member_no", pa.bool_()),
}

METADATA_FIELDS = [
    pa.field("_source_file", pa.string()),
    pa.field("_source_line", pa.int64()),
    pa.field("_file_sha256", pa.string()),
    pa.field("_file_date", pa.date32()),
    pa.field("_file_version", pa.int32()),
]

AUDIT_SCHEMA = pa.schema([
    pa.field("feed", pa.string()),
    pa.field("file", pa.string()),
    pa.field("path", pa.string()),
    pa.field("sha256", pa.string()),
    pa.field("file_date", pa.date32()),
    pa.field("file_version", pa.int32()),
    pa.field("encoding", pa.string()),
    pa.field("rows_read", pa.int64()),
    pa.field("rows_accepted", pa.int64()),
    pa.field("rows_quarantined", pa.int64()),
    pa.field("status", pa.string()),
    pa.field("reason", pa.string()),
    pa.field("message", pa.string()),
    pa.field("warnings", pa.string()),
    pa.field("quarantine_reasons", pa.string()),
    pa.field("ingested_at", pa.timestamp("us")),
])


def bronze_schema(feed: str) -> pa.Schema:
    """The bronze Arrow schema of one feed (contract columns, typed, de-personalised, + metadata)."""
    if feed == "ingest_audit":
        return AUDIT_SCHEMA
    fields = []
    for col in contract.FEEDS[feed].columns:
        if col.name in contract.PSEUDONYMISED:
            fields.append(pa.field(contract.PSEUDONYMISED[col.name], pa.string()))
        elif col.personal:
            if col.name in _PERSONAL_REPLACEMENTS:
                name, typ = _PERSONAL_REPLACEMENTS[col.name]
                fields.append(pa.field(name, typ))
        else:
            fields.append(pa.field(col.name, _KIND_TYPES[col.kind]))
    return pa.schema(fields + METADATA_FIELDS)


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _coerce(value, typ: pa.DataType):
    """Accept ISO strings for dates and timestamps, to keep test rows short."""
    if value is None:
        return [] if pa.types.is_list(typ) else None
    if pa.types.is_date(typ) and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if pa.types.is_timestamp(typ) and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value


def file_name(feed: str, file_date, version: int = 1, ext: str = "csv") -> str:
    """The inbox file name the contract gives: <feed>_YYYYMMDD[_N].csv (YYYYMM for monthly feeds)."""
    d = _as_date(file_date)
    stamp = d.strftime("%Y%m%d") if contract.FEEDS[feed].period == "day" else d.strftime("%Y%m")
    return f"{feed}_{stamp}{'' if version == 1 else f'_{version}'}.{ext}"


@dataclass
class BronzeLake:
    root: Path
    _files: list = field(default_factory=list)   # (feed, partition, name, table)
    _audit: list = field(default_factory=list)   # audit row dicts

    def __post_init__(self):
        self.root = Path(self.root)

    # -- feeds -----------------------------------------------------------------------------
    def add_file(self, feed: str, file_date, rows: list[dict], *, version: int = 1,
                 commit: bool = True, status: str = "ingested", name: str | None = None,
                 sha256: str | None = None, ingested_at=None, rows_quarantined: int = 0) -> str:
        """One delivered file's bronze rows; with commit=True also its audit row.

        file_date is the date in the file name (for monthly feeds any day of the month).
        Returns the file's sha256 (made up from its name and rows unless given).
        """
        d = _as_date(file_date)
        if contract.FEEDS[feed].period == "month":
            d = d.replace(day=1)
        name = name or file_name(feed, d, version)
        sha = sha256 or hashlib.sha256(
            (name + json.dumps(rows, sort_keys=True, default=str)).encode()).hexdigest()
        schema = bronze_schema(feed)
        data = {f.name: [] for f in schema}
        for line, row in enumerate(rows, start=2):  # line 1 is the header
            unknown = set(row) - set(schema.names)
            if unknown:
                raise KeyError(f"{feed}: not bronze columns: {sorted(unknown)}")
            meta = {"_source_file": name, "_source_line": line, "_file_sha256": sha,
                    "_file_date": d, "_file_version": version}
            for f in schema:
                data[f.name].append(meta[f.name] if f.name in meta else _coerce(row.get(f.name), f.type))
        table = pa.table(data, schema=schema)
        self._files.append((feed, f"file_date={d.isoformat()}", name.replace(".", "_"), table))
        if commit:
            self.add_audit(feed, name, sha256=sha, file_date=d, file_version=version,
                           rows_read=len(rows) + rows_quarantined, rows_accepted=len(rows),
                           rows_quarantined=rows_quarantined, status=status,
                           ingested_at=ingested_at)
        return sha

    # -- audit -----------------------------------------------------------------------------
    def add_audit(self, feed: str, name: str, *, sha256: str | None = None, file_date=None,
                  file_version: int = 1, rows_read: int = 0, rows_accepted: int = 0,
                  rows_quarantined: int = 0, status: str = "ingested", reason: str | None = None,
                  message: str | None = None, warnings: str | None = None,
                  quarantine_reasons: dict | None = None, ingested_at=None, path: str | None = None):
        """One ingest_audit row (e.g. a 'duplicate' delivery, which writes no bronze rows)."""
        self._audit.append({
            "feed": feed, "file": name, "path": path or f"{feed}/{name}",
            "sha256": sha256 or hashlib.sha256(name.encode()).hexdigest(),
            "file_date": _as_date(file_date) if file_date else None,
            "file_version": file_version, "encoding": "utf-8" if status == "ingested" else None,
            "rows_read": rows_read, "rows_accepted": rows_accepted,
            "rows_quarantined": rows_quarantined, "status": status, "reason": reason,
            "message": message, "warnings": warnings,
            "quarantine_reasons": json.dumps(quarantine_reasons or {}),
            "ingested_at": _coerce(ingested_at, pa.timestamp("us"))
                           or dt.datetime(2024, 1, 1) + dt.timedelta(minutes=len(self._audit)),
        })

    # -- output ----------------------------------------------------------------------------
    def write(self) -> Path:
        """Write every feed's files, each feed's _schema/empty.parquet and the audit."""
        bronze = self.root / "bronze"
        for feed in [*contract.FEEDS, "ingest_audit"]:
            schema = bronze_schema(feed)
            path = bronze / feed / "_schema" / "empty.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(schema.empty_table(), path)
        for feed, partition, stem, table in self._files:
            path = bronze / feed / partition / f"{stem}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, path)
        if self._audit:
            path = bronze / "ingest_audit" / "run=1" / "audit.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.Table.from_pylist(self._audit, schema=AUDIT_SCHEMA), path)
        # reference table the Dagster asset bronze/jp_holidays always writes (source bronze.jp_holidays)
        from ccus.calendar import HOLIDAYS_PATH, holiday_table
        path = self.root / HOLIDAYS_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(holiday_table(), path)
        return self.root

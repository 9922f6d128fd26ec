"""The bronze shape of each feed: typed contract columns, personal data removed, worker ids
replaced by keyed hashes, plus the lineage of every row (file, line, hash, date, version)."""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from ccus.feeds import contract as c
from ccus.pseudonym import pseudonymise

ARROW_TYPES = {
    c.DATE: pa.date32(), c.YEAR_MONTH: pa.date32(), c.TIMESTAMP: pa.timestamp("us"), c.BOOL: pa.bool_(),
    c.INT: pa.int64(), c.LEVEL: pa.int32(), c.CODE_LIST: pa.list_(pa.string()),
    c.QUALIFICATION_LIST: pa.list_(pa.string()),
}

METADATA = pa.schema([
    ("_source_file", pa.string()), ("_source_line", pa.int64()), ("_file_sha256", pa.string()),
    ("_file_date", pa.date32()), ("_file_version", pa.int32()),
])

# Personal columns that leave the raw zone in a reduced form; every other personal column is dropped.
REDUCED = {
    "birth_date": ("birth_year", pa.int32()),
    "kentaikyo_member_no": ("has_kentaikyo_member_no", pa.bool_()),
}

AUDIT = pa.schema([
    ("feed", pa.string()), ("file", pa.string()), ("path", pa.string()), ("sha256", pa.string()),
    ("file_date", pa.date32()), ("file_version", pa.int32()), ("encoding", pa.string()),
    ("rows_read", pa.int64()), ("rows_accepted", pa.int64()), ("rows_quarantined", pa.int64()),
    ("status", pa.string()), ("reason", pa.string()), ("message", pa.string()), ("warnings", pa.string()),
    ("quarantine_reasons", pa.string()), ("ingested_at", pa.timestamp("us")),
    # the file as listed when it was taken in: a later run that lists it the same is not read again
    ("file_bytes", pa.int64()), ("file_modified_ns", pa.int64()),
])

QUARANTINE = pa.schema([
    ("feed", pa.string()), ("file", pa.string()), ("path", pa.string()), ("sha256", pa.string()),
    ("line", pa.int64()), ("column_name", pa.string()), ("column_position", pa.int32()),
    ("reason", pa.string()), ("message", pa.string()),
])


def _field(col: c.Column) -> pa.Field | None:
    if col.name in c.PSEUDONYMISED:
        return pa.field(c.PSEUDONYMISED[col.name], pa.string())
    if col.personal:
        if col.name in REDUCED:
            return pa.field(*REDUCED[col.name])
        return None
    return pa.field(col.name, ARROW_TYPES.get(col.kind, pa.string()))


def schema(feed: c.Feed) -> pa.Schema:
    fields = [f for f in (_field(col) for col in feed.columns) if f is not None]
    return pa.schema(fields + list(METADATA))


def to_bronze(feed: c.Feed, accepted: pa.Table, key: bytes, lineage: dict) -> pa.Table:
    """Typed accepted rows -> bronze rows (personal data reduced or dropped, ids hashed)."""
    n = accepted.num_rows
    out: dict[str, pa.Array] = {}
    for col in feed.columns:
        field = _field(col)
        if field is None:
            continue
        values = accepted.column(col.name)
        if col.name in c.PSEUDONYMISED:
            values = pseudonymise(key, values.combine_chunks())
        elif col.name == "birth_date":
            values = pc.year(values)
        elif col.name == "kentaikyo_member_no":
            values = pc.is_valid(values)
        elif col.name == "business_name" and "is_sole_proprietor" in accepted.column_names:
            # The name of a one-person business is the name of a person.
            values = pc.if_else(pc.fill_null(accepted.column("is_sole_proprietor"), False), None, values)
        out[field.name] = values.cast(field.type) if values.type != field.type else values
    out["_source_file"] = pa.array([lineage["file"]] * n, pa.string())
    out["_source_line"] = accepted.column("_source_line")
    out["_file_sha256"] = pa.array([lineage["sha256"]] * n, pa.string())
    out["_file_date"] = pa.array([lineage["file_date"]] * n, pa.date32())
    out["_file_version"] = pa.array([lineage["file_version"]] * n, pa.int32())
    return pa.table(out).cast(schema(feed))

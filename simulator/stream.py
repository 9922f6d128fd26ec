"""Streaming feed files: render a file chunk by chunk and append the
bytes, so a 3-million-row day never sits in memory as one table or one Python string.

The column renderers are render.py's; dates, timestamps and large lookups have fixed-width
byte fast paths that give identical strings (tests/test_simulate.py compares them). A file's
deliberately bad rows are inserted into its first chunk, and every file draws its randomness
(column shuffle, bad-row positions) from a generator of its own, so files can be written in any
order or in parallel.
"""
from __future__ import annotations

import io
import json
import os
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ccus.feeds import contract as c
from simulator.dates import NA
from simulator.render import JST, BadRow, Lookup, Stamps, Style, Written, csv_line, header_names, render_column


# --------------------------------------------------------------------------------------------
# fixed-width fast paths (same text as render._dates / render._stamps)
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _hms_bytes() -> np.ndarray:
    """(86400, 9) uint8: 'THH:MM:SS' for every second of the day."""
    s = np.arange(86400)
    h, m, sec = s // 3600, (s // 60) % 60, s % 60
    out = np.empty((86400, 9), np.uint8)
    out[:, 0] = ord("T")
    for col, v in ((1, h // 10), (2, h % 10), (4, m // 10), (5, m % 10), (7, sec // 10), (8, sec % 10)):
        out[:, col] = 48 + v
    out[:, 3] = out[:, 6] = ord(":")
    return out


def _date_bytes(days: np.ndarray, sep: str) -> np.ndarray:
    """(len(days), 10) uint8 'YYYY-MM-DD' (or with sep) for day numbers (no NA)."""
    days = np.asarray(days, dtype=np.int64)
    lo, hi = (int(days.min()), int(days.max())) if len(days) else (0, 0)
    if hi - lo < 200_000:                       # a table of every day in the range: no sort
        uniq, inv = np.arange(lo, hi + 1), days - lo
    else:
        uniq, inv = np.unique(days, return_inverse=True)
    strs = np.datetime_as_string(uniq.astype("datetime64[D]"))
    tbl = np.frombuffer("".join(strs.tolist()).encode("ascii"), np.uint8).reshape(len(uniq), 10).copy()
    if sep != "-":
        tbl[:, 4] = tbl[:, 7] = ord(sep)
    return tbl[inv.reshape(-1)]


def from_fixed(mat: np.ndarray, lengths: np.ndarray | None, valid: np.ndarray | None) -> pa.Array:
    """A string array from a (n, w) byte matrix; row i keeps its first lengths[i] bytes."""
    n, w = mat.shape
    if lengths is None:
        offsets = np.arange(0, (n + 1) * w, w, dtype=np.int64)
        data = mat.reshape(-1)
    else:
        offsets = np.zeros(n + 1, np.int64)
        np.cumsum(lengths, out=offsets[1:])
        data = mat[np.arange(w)[None, :] < lengths[:, None]]
    if offsets[-1] >= 2 ** 31:
        raise ValueError("chunk too large for a string array")
    bitmap = None
    if valid is not None and not valid.all():
        bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets.astype(np.int32)),
                                       pa.py_buffer(np.ascontiguousarray(data)), bitmap)


def fast_dates(days: np.ndarray, sep: str) -> pa.Array:
    days = np.asarray(days, dtype=np.int64)
    mask = days == NA
    if mask.all():
        return pa.nulls(len(days), pa.string())
    filled = np.where(mask, days[~mask][0], days) if mask.any() else days
    mat = _date_bytes(filled, sep)
    if not mask.any():
        return from_fixed(mat, None, None)
    return from_fixed(mat, np.where(mask, 0, 10), ~mask)


def fast_stamps(value: Stamps, style: Style) -> pa.Array:
    secs = np.asarray(value.secs, dtype=np.int64)
    n = len(secs)
    mask = secs == NA
    utc = np.zeros(n, bool) if value.utc is None else np.asarray(value.utc, bool)
    s = np.where(mask, 0, secs) - np.where(utc, JST, 0)
    day, sod = np.divmod(s, 86400)
    tz = style.tz.encode("ascii")
    width = 19 + max(len(tz), 1)
    mat = np.zeros((n, width), np.uint8)
    if n == 0:
        return pa.array([], pa.string())
    mat[:, :10] = _date_bytes(day, "-")
    mat[:, 10:19] = _hms_bytes()[sod]
    if tz:
        mat[:, 19:19 + len(tz)] = np.frombuffer(tz, np.uint8)
    any_utc = utc.any()
    if any_utc:
        mat[utc, 19] = ord("Z")
    lengths = None
    if any_utc or mask.any() or width != 19 + len(tz):
        lengths = np.where(utc, 20, 19 + len(tz))
        lengths[mask] = 0
    return from_fixed(mat, lengths, ~mask if mask.any() else None)


_BYTE_TABLES: dict[int, tuple] = {}


def byte_table(table: pa.Array) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """A string table as a padded (n, width) byte matrix and per-row lengths (None when all
    rows have the width); cached per table object (the cache holds the table, so ids stay valid)."""
    hit = _BYTE_TABLES.get(id(table))
    if hit is not None and hit[0] is table:
        return hit[1], hit[2], hit[3]
    arr = table.combine_chunks() if isinstance(table, pa.ChunkedArray) else table
    arr = arr.fill_null("")
    offsets = np.frombuffer(arr.buffers()[1], np.int32)[arr.offset: arr.offset + len(arr) + 1].astype(np.int64)
    lens = np.diff(offsets)
    width = int(lens.max()) if len(lens) else 0
    data = np.frombuffer(arr.buffers()[2], np.uint8) if arr.buffers()[2] is not None else np.zeros(0, np.uint8)
    mat = np.zeros((len(arr), max(width, 1)), np.uint8)
    if len(arr):
        col = np.arange(width)
        mask = col[None, :] < lens[:, None]
        mat[:, :width][mask] = data[offsets[0]:offsets[-1]]
    uniform = len(lens) > 0 and bool((lens == width).all())
    valid = None
    if table.null_count:
        valid = np.asarray(pc.is_valid(table).to_numpy(zero_copy_only=False), bool)
    _BYTE_TABLES[id(table)] = (table, mat, None if uniform else lens, valid)
    return mat, (None if uniform else lens), valid


def fast_lookup(value) -> pa.Array:
    """Lookup -> strings by gathering rows of the table's byte matrix (index -1 = empty)."""
    idx = np.asarray(value.idx, dtype=np.int64)
    mat, lens, table_valid = byte_table(value.table)
    missing = idx < 0
    safe = np.where(missing, 0, idx) if missing.any() else idx
    if table_valid is not None:
        missing = missing | ~table_valid[safe]
    rows = np.take(mat, safe, axis=0)
    if lens is None and not missing.any():
        return from_fixed(rows, None, None)
    lengths = np.full(len(idx), mat.shape[1], np.int64) if lens is None else lens[safe]
    if missing.any():
        lengths = np.where(missing, 0, lengths)
    return from_fixed(rows, lengths, ~missing if missing.any() else None)


def render_fast(col: c.Column, value, style: Style) -> pa.Array:
    if isinstance(value, Lookup) and len(value.table) > 64:
        return fast_lookup(value)
    if col.kind == c.DATE and not isinstance(value, (pa.Array, pa.ChunkedArray)):
        return fast_dates(value, style.date_sep)
    if col.kind == c.TIMESTAMP:
        return fast_stamps(value if isinstance(value, Stamps) else Stamps(np.asarray(value)), style)
    return render_column(col, value, style)


# --------------------------------------------------------------------------------------------
# JSON Lines without a Python string per line
# --------------------------------------------------------------------------------------------
def _needs_escape(col: pa.Array) -> bool:
    return bool(pc.any(pc.match_substring_regex(col, r'["\\]')).as_py() or False)


def jsonl_bytes(table: pa.Table, keys: list[str]) -> bytes:
    if table.num_rows == 0:
        return b""
    pieces: list = []
    for i, (key, col) in enumerate(zip(keys, table.columns)):
        col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        if _needs_escape(col):
            col = pc.replace_substring(pc.replace_substring(col, "\\", "\\\\"), '"', '\\"')
        quoted = pc.binary_join_element_wise('"', col, '"', "")
        value = pc.if_else(pc.is_null(col), pa.scalar("null"), quoted) if col.null_count else quoted
        pieces.append(("{" if i == 0 else ", ") + json.dumps(key, ensure_ascii=False) + ": ")
        pieces.append(value)
    pieces.append("}\n")
    joined = pc.binary_join_element_wise(*pieces, "")
    offsets = np.frombuffer(joined.buffers()[1], np.int32)[joined.offset: joined.offset + len(joined) + 1]
    return memoryview(joined.buffers()[2])[offsets[0]:offsets[-1]].tobytes()


def _insert_lines(payload: bytes, eol: bytes, lines: list[bytes], rng) -> list:
    """Pieces of `payload` with whole lines inserted at random line boundaries (within the first
    MiB; `payload` holds complete lines, no header)."""
    if not lines:
        return [payload]
    arr = np.frombuffer(payload, np.uint8)[:1 << 20]
    bounds = np.unique(np.r_[0, np.flatnonzero(arr == eol[-1]) + 1])
    cuts = sorted((int(bounds[rng.integers(0, len(bounds))]), i) for i in range(len(lines)))
    view = memoryview(payload)
    out, prev = [], 0
    for pos, i in cuts:
        out.append(view[prev:pos])
        out.append(lines[i] + eol)
        prev = pos
    out.append(view[prev:])
    return out


# --------------------------------------------------------------------------------------------
# the writer
# --------------------------------------------------------------------------------------------
class StreamWriter:
    """One feed file written chunk by chunk: `write(data, bad)` per chunk, then `close()`.

    The file appears under its final name only when closed (written as a hidden temporary
    file in the same folder, then renamed)."""

    def __init__(self, path: Path, feed: c.Feed, names: list[str], style: Style, rng: np.random.Generator):
        self.path, self.feed, self.style, self.rng = Path(path), feed, style, rng
        ordered = [col.name for col in feed.columns if col.name in names]
        missing = [col.name for col in feed.required_columns if col.name not in names]
        if missing:
            raise ValueError(f"{feed.name}: generator gave no values for {missing}")
        if style.shuffle_columns:
            perm = rng.permutation(len(ordered))
            ordered = [ordered[i] for i in perm]
        self.names = ordered
        self.headers = header_names(feed, ordered, style)
        self.rows = 0
        self.bad: dict[str, int] = {}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.path.parent / f".{self.path.name}.tmp"
        self.f = open(self.tmp, "wb")
        self.eol = style.eol.encode("ascii")
        if style.encoding == "utf-8-sig":
            self.f.write(b"\xef\xbb\xbf")
        if style.fmt == "csv":
            self._emit(",".join(self.headers).encode("utf-8") + self.eol)

    def _emit(self, payload) -> None:
        pieces = payload if isinstance(payload, list) else [payload]
        if self.style.encoding == "cp932":
            pieces = [b"".join(pieces).decode("utf-8").encode("cp932")]
        for piece in pieces:
            self.f.write(piece)

    def write(self, data: dict, bad: list[BadRow] = ()) -> None:
        style = self.style
        contract_order = [col.name for col in self.feed.columns if col.name in data]
        arrays = {n: render_fast(self.feed.column(n), data[n], style) for n in contract_order}
        table = pa.table([arrays[n] for n in self.names], names=self.names)
        n = table.num_rows
        base_rows = table.take(pa.array([b.base for b in bad], pa.int64())).to_pylist() if bad else []
        value_rows, raw_lines = [], []
        for b, row in zip(bad, base_rows):
            if b.kind == "field_count":
                raw_lines.append(csv_line([row[nm] for nm in self.names][:-1], style).encode("utf-8"))
            elif b.kind == "malformed_json":
                line = json.dumps({h: row[nm] for h, nm in zip(self.headers, self.names)}, ensure_ascii=False)
                raw_lines.append(line[: max(10, len(line) // 2)].encode("utf-8"))
            else:
                new = dict(row)
                for col, f in b.overrides.items():
                    new[col] = f(row, style)
                value_rows.append(new)
        if value_rows:     # rendered as lines of their own and spliced in (no reorder of the chunk)
            extra = pa.Table.from_pylist(value_rows, schema=table.schema)
            raw_lines = self._lines(extra) + raw_lines
        if style.fmt == "jsonl":
            payload = _insert_lines(jsonl_bytes(table, self.headers), b"\n", raw_lines, self.rng)
        else:
            payload = _insert_lines(self._csv(table), self.eol, raw_lines, self.rng)
        self._emit(payload)
        self.rows += n + len(bad)
        for b in bad:
            self.bad[b.kind] = self.bad.get(b.kind, 0) + 1

    def _csv(self, table: pa.Table) -> bytes:
        out = io.BytesIO()
        try:
            pacsv.write_csv(table, out, pacsv.WriteOptions(
                include_header=False, quoting_style=self.style.quoting, eol=self.style.eol))
        except pa.ArrowInvalid:   # a value needs quotes
            out = io.BytesIO()
            pacsv.write_csv(table, out, pacsv.WriteOptions(include_header=False, quoting_style="needed",
                                                           eol=self.style.eol))
        return out.getvalue()

    def _lines(self, table: pa.Table) -> list[bytes]:
        if self.style.fmt == "jsonl":
            text, eol = jsonl_bytes(table, self.headers), b"\n"
        else:
            text, eol = self._csv(table), self.eol
        return bytes(text).split(eol)[:-1]

    def close(self) -> Written:
        self.f.close()
        os.replace(self.tmp, self.path)
        return Written(self.path, self.rows, dict(self.bad), self.style.encoding, self.style.fmt)


def slice_value(value, a: int, b: int):
    """Rows a..b-1 of a value container (Lookup, Stamps, Arrow array, numpy array)."""
    if isinstance(value, Lookup):
        return Lookup(value.idx[a:b], value.table)
    if isinstance(value, Stamps):
        return Stamps(value.secs[a:b], None if value.utc is None else value.utc[a:b])
    if isinstance(value, (pa.Array, pa.ChunkedArray)):
        return value.slice(a, b - a)
    return value[a:b]


def length(value) -> int:
    if hasattr(value, "idx"):
        return len(value.idx)
    if hasattr(value, "secs"):
        return len(value.secs)
    return len(value)


def write_chunked(path: Path, feed: c.Feed, data: dict, style: Style, rng, bad: list[BadRow] = (),
                  chunk: int = 250_000) -> Written:
    """Write `data` (column -> value container, all of one length) in chunks of `chunk` rows;
    bad rows go into the first chunk."""
    n = length(next(iter(data.values())))
    w = StreamWriter(path, feed, list(data), style, rng)
    for i, a in enumerate(range(0, max(n, 1), chunk)):
        b = min(n, a + chunk)
        w.write({k: slice_value(v, a, b) for k, v in data.items()}, list(bad) if i == 0 else [])
    return w.close()

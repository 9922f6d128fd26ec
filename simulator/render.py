"""Turn generated values into feed files, driven by the contract's column kinds.

Generators hand over one value container per contract column; this module formats it as text
in the file's Style (header language, date separator, time-zone notation, enum codes or
Japanese labels, boolean words). stream.py writes the files. All formatting is vectorised
(pyarrow / numpy lookups).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ccus.feeds import contract as c
from simulator.dates import NA

JST = 9 * 3600


# --------------------------------------------------------------------------------------------
# value containers
# --------------------------------------------------------------------------------------------
@dataclass
class Lookup:
    """Strings by index into a table; index -1 is an empty value."""
    idx: np.ndarray
    table: pa.Array

    def take(self, rows: np.ndarray) -> "Lookup":
        return Lookup(self.idx[rows], self.table)


@dataclass
class Stamps:
    """Timestamps: seconds since 1970-01-01 on the Japan wall clock (NA = empty); rows flagged
    `utc` are written in UTC with a 'Z' (the same instant)."""
    secs: np.ndarray
    utc: np.ndarray | None = None

    def take(self, rows: np.ndarray) -> "Stamps":
        return Stamps(self.secs[rows], None if self.utc is None else self.utc[rows])


# --------------------------------------------------------------------------------------------
# styles
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Style:
    fmt: str = "csv"              # csv | jsonl
    encoding: str = "utf-8"       # utf-8 | utf-8-sig | cp932
    eol: str = "\n"
    header: str = "en"            # en | ja
    date_sep: str = "-"           # "-" (YYYY-MM-DD) or "/" (YYYY/MM/DD)
    tz: str = "+09:00"            # suffix of Japan-time timestamps: "+09:00" or "" (no offset)
    enums: str = "code"           # code | ja (the Japanese labels)
    bools: str = "truefalse"      # truefalse | 10 | hai
    quoting: str = "none"         # none | all_valid (CSV)
    shuffle_columns: bool = False


BOOL_WORDS = {"truefalse": ("false", "true"), "10": ("0", "1"), "hai": ("いいえ", "はい")}


@lru_cache(maxsize=None)
def _time_table() -> pa.Array:
    s = np.arange(86400)
    h, m, sec = s // 3600, (s // 60) % 60, s % 60
    return pa.array([f"T{a:02d}:{b:02d}:{c_:02d}" for a, b, c_ in zip(h.tolist(), m.tolist(), sec.tolist())])


@lru_cache(maxsize=None)
def _pref_table() -> pa.Array:
    return pa.array([f"{i:02d}" for i in range(100)])


def _dates(days: np.ndarray, sep: str) -> pa.Array:
    days = np.asarray(days, dtype=np.int64)
    mask = days == NA
    if mask.all():
        return pa.nulls(len(days), pa.string())
    filled = np.where(mask, days[~mask][0] if (~mask).any() else 0, days)
    uniq, inv = np.unique(filled, return_inverse=True)
    strs = np.datetime_as_string(uniq.astype("datetime64[D]"))
    if sep != "-":
        strs = np.char.replace(strs, "-", sep)
    return pa.array(strs.tolist(), pa.string()).take(pa.array(inv, mask=mask))


def _stamps(value: Stamps, style: Style) -> pa.Array:
    secs = np.asarray(value.secs, dtype=np.int64)
    mask = secs == NA
    utc = np.zeros(len(secs), bool) if value.utc is None else np.asarray(value.utc, bool)
    s = np.where(mask, 0, secs) - np.where(utc, JST, 0)
    day, sod = np.divmod(s, 86400)
    dates = _dates(day, "-")
    times = _time_table().take(pa.array(sod))
    suffix_idx = np.where(utc, 1, 0)
    suffixes = pa.array([style.tz, "Z"]).take(pa.array(suffix_idx))
    out = pc.binary_join_element_wise(dates, times, suffixes, "")
    if mask.any():
        out = pc.if_else(pa.array(mask), pa.nulls(len(out), pa.string()), out)
    return out


def _ints(values: np.ndarray) -> pa.Array:
    v = np.asarray(values, dtype=np.int64)
    mask = v == NA
    return pa.array(np.where(mask, 0, v), pa.int64(), mask=mask).cast(pa.string())


def _strings(value) -> pa.Array:
    if isinstance(value, Lookup):
        idx = np.asarray(value.idx, dtype=np.int64)
        mask = idx < 0
        return value.table.take(pa.array(np.where(mask, 0, idx), mask=mask))
    if isinstance(value, pa.ChunkedArray):
        value = value.combine_chunks()
    if isinstance(value, pa.Array):
        return value.cast(pa.string())
    arr = np.asarray(value, dtype=object)
    return pa.array(arr.tolist(), pa.string())


def render_column(col: c.Column, value, style: Style) -> pa.Array:
    k = col.kind
    if k == c.DATE:
        return _dates(value, style.date_sep)
    if k == c.TIMESTAMP:
        return _stamps(value if isinstance(value, Stamps) else Stamps(np.asarray(value)), style)
    if k == c.BOOL:
        v = np.asarray(value).astype(np.int64)
        mask = v < 0
        return pa.array(BOOL_WORDS[style.bools]).take(pa.array(np.where(mask, 0, v), mask=mask))
    if k == c.ENUM and not isinstance(value, (Lookup, pa.Array)):
        labels = [lab if style.enums == "ja" else code for code, lab in col.values]
        v = np.asarray(value).astype(np.int64)
        mask = v < 0
        return pa.array(labels).take(pa.array(np.where(mask, 0, v), mask=mask))
    if k in (c.INT, c.LEVEL) and not isinstance(value, (Lookup, pa.Array)):
        return _ints(value)
    if k == c.PREFECTURE and not isinstance(value, (Lookup, pa.Array)):
        v = np.asarray(value).astype(np.int64)
        return _pref_table().take(pa.array(v))
    return _strings(value)


def enum_codes(feed: c.Feed, column: str) -> dict[str, int]:
    """code -> index into Column.values, for generators that hold enums as indices."""
    return {code: i for i, code in enumerate(feed.column(column).codes)}


# --------------------------------------------------------------------------------------------
# bad rows
# --------------------------------------------------------------------------------------------
RAW_KINDS = ("field_count", "malformed_json")


@dataclass
class BadRow:
    """A deliberately bad row, made from row `base` of the file: `overrides` maps a column to a
    function (row dict of rendered strings, style) -> new text. Raw kinds (field_count,
    malformed_json) need no overrides: the line itself is broken."""
    kind: str
    base: int
    overrides: dict[str, Callable[[dict, Style], str | None]] = field(default_factory=dict)


def drop_first_char(col: str):
    return lambda row, style: row[col][1:]


def constant(text: str):
    return lambda row, style: text


def bool_word(value: bool):
    return lambda row, style: BOOL_WORDS[style.bools][int(value)]


def february_30(col: str):
    def f(row, style):
        s = row[col]
        return f"{s[:4]}{style.date_sep}02{style.date_sep}30"
    return f


def shift_date(col: str, delta_days: int):
    def f(row, style):
        s = row[col]
        d = dt.date(int(s[:4]), int(s[5:7]), int(s[8:10])) + dt.timedelta(days=delta_days)
        return d.strftime(f"%Y{style.date_sep}%m{style.date_sep}%d")
    return f


def hour_before(col: str):
    """A timestamp one hour before `col`'s, written the same way."""
    def f(row, style):
        s = row[col]
        h = int(s[11:13])
        return f"{s[:11]}{h - 1:02d}{s[13:]}"
    return f


# --------------------------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------------------------
@dataclass
class Written:
    path: Path
    rows: int                       # data rows (lines or JSON objects), bad ones included
    bad: dict[str, int]
    encoding: str
    fmt: str


def header_names(feed: c.Feed, names: list[str], style: Style) -> list[str]:
    if style.header == "ja":
        return [feed.column(n).ja for n in names]
    return names


def csv_line(values: list[str | None], style: Style) -> str:
    if style.quoting == "all_valid":
        return ",".join("" if v is None else '"' + v.replace('"', '""') + '"' for v in values)
    return ",".join("" if v is None else v for v in values)



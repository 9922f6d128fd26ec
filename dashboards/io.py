"""Reading gold marts and writing pages, local folder or s3://… alike (ccus/storage.py: the
locations and the one atomic write)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date, datetime

import pandas as pd
import plotly.offline
import pyarrow.parquet as pq

from ccus.storage import Location, ensure_folder, filesystem, locate, write_atomic

PLOTLY_ASSET = "assets/plotly.min.js"


def read_mart(gold: Location, mart: str, required: tuple[str, ...] = (),
              date_columns: tuple[str, ...] = ()) -> pd.DataFrame | None:
    """The mart ``{gold}/{mart}.parquet`` as a DataFrame, or None when it does not exist.

    ``required`` columns are checked (a mart without them breaks the contract: ValueError).
    ``date_columns`` come back as ``datetime.date`` objects whatever the Parquet type
    (DATE or TIMESTAMP), nulls as None.
    """
    path = gold.path(f"{mart}.parquet")
    if not gold.fs.exists(path):
        return None
    table = pq.read_table(path, filesystem=gold.fs)
    missing = [c for c in required if c not in table.column_names]
    if missing:
        raise ValueError(f"gold mart {mart!r} at {gold.url_of(mart + '.parquet')} lacks columns {missing}")
    frame = table.to_pandas()
    for column in date_columns:
        frame[column] = [_as_date(v) for v in frame[column]]
    return frame


def _as_date(value) -> date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, datetime):  # pandas.Timestamp included
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


class Writer:
    """Writes files to locations; keeps the written paths (spelled like the locations) and tells
    ``on_written(count)`` each time their count grows (the run's progress display)."""

    def __init__(self, fs, s3=None, on_written=None):
        self.fs, self.s3 = fs, s3
        self.written: list[str] = []
        self._on_written = on_written or (lambda count: None)
        self._plotly = plotly.offline.get_plotlyjs().encode("utf-8")
        self._plotly_copy: str | None = None      # the first local copy: later ones are hard links

    def at(self, url: str) -> Location:
        return locate(url, filesystem(url, self.fs, self.s3))

    def write(self, where: Location, relative: str, data: bytes | str) -> None:
        self.wrote([write_atomic(where, relative, data.encode("utf-8") if isinstance(data, str) else data)])

    def wrote(self, paths: list[str]) -> None:
        """Paths written (here, or by worker processes)."""
        self.written += paths
        self._on_written(len(self.written))

    def write_all(self, where: Location, files: Iterable[tuple[str, bytes | str]]) -> None:
        for relative, data in files:
            self.write(where, relative, data)

    def copy(self, where: Location, relative: str, data: bytes, first: tuple[Location, str] | None) -> None:
        """``data`` again at ``where``/``relative``: a hard link to ``first`` (a location and
        path already written with the same bytes) when both are local, else a write."""
        if first is not None and where.is_local and first[0].is_local:
            target = where.path(relative)
            ensure_folder(os.path.dirname(target))
            try:
                if os.path.lexists(target):
                    os.remove(target)
                os.link(first[0].path(first[1]), target)
                self.wrote([where.url_of(relative)])
                return
            except OSError:
                pass   # another filesystem: a copy
        self.write(where, relative, data)

    def plotly(self, where: Location) -> None:
        """The location's own plotly.min.js: a hard link to the first local copy when possible
        (thousands of locations), else a copy."""
        if where.is_local and self._plotly_copy is not None:
            target = where.path(PLOTLY_ASSET)
            ensure_folder(os.path.dirname(target))
            try:
                if os.path.lexists(target):
                    os.remove(target)
                os.link(self._plotly_copy, target)
                self.wrote([where.url_of(PLOTLY_ASSET)])
                return
            except OSError:
                pass   # another filesystem: copy
        self.write(where, PLOTLY_ASSET, self._plotly)
        if where.is_local and self._plotly_copy is None:
            self._plotly_copy = where.path(PLOTLY_ASSET)



"""Reading gold marts and writing pages, local folder or s3://… alike (ccus/storage.py: the
locations and the one atomic write)."""

from __future__ import annotations

import hashlib
import os
import uuid
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


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _holds(path: str, data: bytes) -> bool:
    """Whether the file at ``path`` already holds exactly ``data`` (the size first: most changed
    files differ in size and are not read)."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _link(source: str, target: str) -> None:
    """``target`` becomes a hard link to ``source``, atomically (a reader sees the old file or
    the new one, never none): a link under a temporary name, renamed over the target."""
    folder = os.path.dirname(target)
    ensure_folder(folder)
    try:
        os.link(source, target)
        return
    except FileExistsError:
        pass
    temporary = os.path.join(folder, f".{os.path.basename(target)}.{uuid.uuid4().hex}.link")
    os.link(source, temporary)
    try:
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


class Writer:
    """Writes files to locations; keeps the written paths (spelled like the locations) and tells
    ``on_written(count)`` each time their count grows (the run's progress display).

    A local file whose bytes this writer has already written elsewhere becomes a hard link to
    that first copy (plotly.min.js in every location, a site page in its orderer's and its
    prime's, the methods page and the header-only CSVs shared by thousands of orderer and prime
    locations): at national scale creating a file costs about twenty times a link, and most of
    the publication's files are such copies. Every write replaces a file whole (write_atomic,
    ``_link``), never in place, so a later publication that changes one copy leaves the others.

    A local file that already holds the bytes to write (or is already a link to their first
    copy) is left untouched, its modification time kept: a day's publication rewrites only the
    pages whose figures changed (issue 17)."""

    def __init__(self, fs, s3=None, on_written=None, plotly_copy: str | None = None):
        self.fs, self.s3 = fs, s3
        self.written: list[str] = []
        self._on_written = on_written or (lambda count: None)
        self._plotly = plotly.offline.get_plotlyjs().encode("utf-8")
        self._plotly_digest = _digest(self._plotly)      # once: 4.8 MB in every location
        self._first_copy: dict[bytes, str] = {}    # content digest -> the first local path written with it
        if plotly_copy is not None:
            # one copy for every process of the publication (dashboards/projects/workers.py), so
            # that a second publication finds each location's copy already linked to it
            self._first_copy[self._plotly_digest] = plotly_copy

    def at(self, url: str) -> Location:
        return locate(url, filesystem(url, self.fs, self.s3))

    def write(self, where: Location, relative: str, data: bytes | str, digest: bytes | None = None, *,
              unique: bool = False, differs: bool = False) -> None:
        """``unique``: bytes no other file of the publication holds (a site page, linked to its
        second location by :meth:`copy`): not hashed to look for a first copy (0.1 ms a page).
        ``differs`` (with ``unique``): the caller knows the file there holds other bytes (a page
        carrying another inputs digest): it is replaced without being read back."""
        data = data.encode("utf-8") if isinstance(data, str) else data
        if not where.is_local:
            self.wrote([write_atomic(where, relative, data)])
            return
        if unique:
            if differs or not _holds(where.path(relative), data):
                write_atomic(where, relative, data)
            self.wrote([where.url_of(relative)])
            return
        digest = digest or _digest(data)
        target = where.path(relative)
        first = self._first_copy.get(digest)
        if first is not None:
            try:
                # plotly.min.js is not read back (4.8 MB): its first copy is shared by every process
                self._keep_or_link(first, target, None if digest == self._plotly_digest else data)
                self.wrote([where.url_of(relative)])
                return
            except OSError:
                pass   # another filesystem (or the first copy went away): a write
        if not _holds(target, data):
            write_atomic(where, relative, data)
        self.wrote([where.url_of(relative)])
        self._first_copy[digest] = target

    @staticmethod
    def _keep_or_link(source: str, target: str, data: bytes | None) -> None:
        """``target`` becomes a hard link to ``source``, unless it already is one or (``data``
        given) already holds those bytes (another process's copy): then it is left untouched."""
        if not (_same_file(source, target) or (data is not None and _holds(target, data))):
            _link(source, target)

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
            try:
                self._keep_or_link(first[0].path(first[1]), where.path(relative), None)
                self.wrote([where.url_of(relative)])
                return
            except OSError:
                pass   # another filesystem: a copy
        self.write(where, relative, data)

    def plotly(self, where: Location) -> str | None:
        """The location's own plotly.min.js (a hard link to the first local copy when possible);
        its local path (None on an object store)."""
        self.write(where, PLOTLY_ASSET, self._plotly, self._plotly_digest)
        return where.path(PLOTLY_ASSET) if where.is_local else None

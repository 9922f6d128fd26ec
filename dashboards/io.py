"""Reading gold marts and writing pages, through fsspec (local folder or s3://… alike)."""

from __future__ import annotations

import os
import posixpath
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from collections.abc import Iterable

import fsspec
import pandas as pd
import plotly.offline
import pyarrow.parquet as pq
from fsspec.implementations.local import LocalFileSystem

PLOTLY_ASSET = "assets/plotly.min.js"


@dataclass(frozen=True)
class Location:
    """A folder on a filesystem: ``fs`` and its ``root`` path as that filesystem spells it.

    ``url`` is the folder as the caller wrote it, used for the paths handed back.
    """

    fs: fsspec.AbstractFileSystem
    root: str
    url: str

    def path(self, relative: str) -> str:
        return posixpath.join(self.root, relative) if self.root else relative

    def url_of(self, relative: str) -> str:
        return f"{self.url.rstrip('/')}/{relative}"


def locate(url: str, fs: fsspec.AbstractFileSystem | None = None) -> Location:
    """Resolve a folder URL (``/data/gold``, ``s3://bucket/prefix/gold``) to a Location."""
    if fs is None:
        fs, root = fsspec.core.url_to_fs(url)
    else:
        root = fs._strip_protocol(url)
    return Location(fs=fs, root=root.rstrip("/") or root, url=url)


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


_FOLDERS: set[str] = set()     # folders this process has made (a makedirs per file cost more than the write)


def _folder(folder: str) -> None:
    if folder not in _FOLDERS:
        os.makedirs(folder, exist_ok=True)
        _FOLDERS.add(folder)


def write_atomic(site: Location, relative: str, data: bytes) -> str:
    """Write ``data`` to ``{site}/{relative}`` so a reader never sees a half-written file.

    On a local folder: write a temporary file beside the target, then rename it over the
    target (atomic on POSIX). On an object store a single PUT is already atomic (readers see
    the old object or the new one), and a rename there is a copy plus a delete, so the object
    is written directly. Returns the written path as the caller spelled the site.
    """
    fs = site.fs
    target = site.path(relative)
    folder = posixpath.dirname(target)
    if isinstance(fs, LocalFileSystem):
        # plain os calls: fsspec's wrappers cost more than the write itself for the hundreds
        # of thousands of small files of a national publication
        _folder(folder)
        temporary = posixpath.join(folder, f".{posixpath.basename(target)}.{uuid.uuid4().hex}.tmp")
        try:
            try:
                handle = open(temporary, "wb")
            except FileNotFoundError:   # the folder went away since this process made it
                os.makedirs(folder, exist_ok=True)
                handle = open(temporary, "wb")
            with handle:
                handle.write(data)
            os.replace(temporary, target)
        except BaseException:
            if os.path.lexists(temporary):
                os.remove(temporary)
            raise
    else:
        fs.pipe_file(target, data)
    return site.url_of(relative)


def filesystem(url: str, fs: fsspec.AbstractFileSystem | None, s3=None):
    """``fs`` when it serves ``url``'s protocol; ``s3`` (a factory) for another s3:// URL."""
    protocol = url.split("://", 1)[0] if "://" in url else "file"
    if fs is not None:
        protocols = (fs.protocol,) if isinstance(fs.protocol, str) else tuple(fs.protocol)
        if protocol in protocols or (protocol == "file" and "local" in protocols):
            return fs
    if protocol == "s3" and s3 is not None:
        return s3()
    return None


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
        if first is not None and isinstance(where.fs, LocalFileSystem) and isinstance(first[0].fs, LocalFileSystem):
            target = where.path(relative)
            _folder(os.path.dirname(target))
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
        if isinstance(where.fs, LocalFileSystem) and self._plotly_copy is not None:
            target = where.path(PLOTLY_ASSET)
            _folder(os.path.dirname(target))
            try:
                if os.path.lexists(target):
                    os.remove(target)
                os.link(self._plotly_copy, target)
                self.wrote([where.url_of(PLOTLY_ASSET)])
                return
            except OSError:
                pass   # another filesystem: copy
        self.write(where, PLOTLY_ASSET, self._plotly)
        if isinstance(where.fs, LocalFileSystem) and self._plotly_copy is None:
            self._plotly_copy = where.path(PLOTLY_ASSET)



"""Where files live, a local folder or s3://bucket/prefix (any fsspec URL), and the one atomic
write every layer uses: the lakehouse's Parquet files (ccus/lakehouse.py) and the published
pages (dashboards/io.py).

Atomicity: on a local folder a file is written under a hidden temporary name in the same folder
and renamed into place (rename is atomic on POSIX), so a reader or a crash never sees half a file.
On an object store a single PUT is already atomic (readers see the old object or the new one),
and a rename there is a copy plus a delete, so the object is written directly.

This module imports nothing else of the project: the pages may import it (pyproject.toml,
[tool.importlinter]) without reaching the rest of ccus.
"""
from __future__ import annotations

import os
import posixpath
import uuid
from dataclasses import dataclass

import fsspec
from fsspec.implementations.local import LocalFileSystem

TEMPORARY_SUFFIX = ".tmp"


def s3_filesystem():
    """s3fs on the standard AWS configuration, which botocore reads itself: AWS_ENDPOINT_URL (any
    S3-protocol store), the credentials, AWS_MAX_ATTEMPTS (default 3)."""
    import s3fs   # an optional-at-import dependency: a local-only run never loads botocore

    # Standard retry mode (bounded, with backoff): a store that is down fails the step with
    # botocore's clear "Could not connect to the endpoint URL" after a few seconds, not a hang.
    return s3fs.S3FileSystem(skip_instance_cache=True, config_kwargs={"retries": {"mode": "standard"}})


@dataclass(frozen=True)
class Location:
    """A folder on a filesystem: ``fs`` and its ``root`` path as that filesystem spells it.

    ``url`` is the folder as the caller wrote it, used for the paths handed back.
    """

    fs: fsspec.AbstractFileSystem
    root: str
    url: str

    @property
    def is_local(self) -> bool:
        return isinstance(self.fs, LocalFileSystem)

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


def filesystem(url: str, fs: fsspec.AbstractFileSystem | None, s3=None):
    """``fs`` when it serves ``url``'s protocol; ``s3`` (a factory) for another s3:// URL; None
    when neither does (locate then picks fsspec's own filesystem for the URL)."""
    protocol = url.split("://", 1)[0] if "://" in url else "file"
    if fs is not None:
        protocols = (fs.protocol,) if isinstance(fs.protocol, str) else tuple(fs.protocol)
        if protocol in protocols or (protocol == "file" and "local" in protocols):
            return fs
    if protocol == "s3" and s3 is not None:
        return s3()
    return None


_FOLDERS: set[str] = set()     # folders this process has made (a makedirs per file cost more than the write)


def ensure_folder(folder: str) -> None:
    """A local folder exists (made once per process; a writer that finds it gone makes it again)."""
    if folder not in _FOLDERS:
        os.makedirs(folder, exist_ok=True)
        _FOLDERS.add(folder)


def is_temporary(name: str) -> bool:
    """A file name of write_atomic's temporary files: hidden, and without the final suffix, so no
    reader's glob (``*.parquet``, ``*.html``) ever matches it."""
    return name.startswith(".") and name.endswith(TEMPORARY_SUFFIX)


def write_atomic(where: Location, relative: str, data: bytes, *, durable: bool = False) -> str:
    """Write ``data`` to ``{where}/{relative}`` so a reader never sees a half-written file; return
    the written path as the caller spelled the location.

    ``durable``: on a local folder the bytes reach the disk (fsync) before the rename, so a power
    cut cannot leave an empty file under the final name: the lakehouse's files, which later runs
    build on. The pages leave it off: they are rebuilt from gold by the next run, and an fsync per
    page would cost more than the hundreds of thousands of small writes of a national publication.
    """
    target = where.path(relative)
    if not where.is_local:
        where.fs.pipe_file(target, data)
        return where.url_of(relative)
    # plain os calls: fsspec's wrappers cost more than the write itself for small files
    folder = posixpath.dirname(target)
    ensure_folder(folder)
    temporary = posixpath.join(folder, f".{posixpath.basename(target)}.{uuid.uuid4().hex}{TEMPORARY_SUFFIX}")
    try:
        try:
            handle = open(temporary, "wb")
        except FileNotFoundError:   # the folder went away since this process made it
            os.makedirs(folder, exist_ok=True)
            handle = open(temporary, "wb")
        with handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        if os.path.lexists(temporary):
            os.remove(temporary)
        raise
    return where.url_of(relative)

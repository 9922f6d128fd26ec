"""The lakehouse root, local folder or s3://bucket/prefix, and atomic writes into it (the one
writer of ccus/storage.py: a reader or a crash never sees half a file)."""
from __future__ import annotations

import io
import os
from pathlib import Path

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq

from ccus.storage import is_temporary, locate, s3_filesystem, write_atomic

ZONES = ("raw", "bronze", "quarantine", "gold", "site")


class Lakehouse:
    def __init__(self, root: str | os.PathLike):
        root = str(root)
        self.is_local = not root.startswith("s3://")
        if self.is_local:
            self.location = locate(str(Path(root).resolve()), fsspec.filesystem("file"))
        else:
            self.location = locate(root.rstrip("/"), s3_filesystem())
        self.root = self.location.url
        self.fs = self.location.fs

    def __repr__(self) -> str:
        return f"Lakehouse({self.root!r})"

    def path(self, relative: str) -> str:
        return self.location.url_of(relative)

    def local_path(self, relative: str) -> Path:
        if not self.is_local:
            raise ValueError(f"{self.root} is not a local lakehouse")
        return Path(self.root) / relative

    def exists(self, relative: str) -> bool:
        return self.fs.exists(self.path(relative))

    def glob(self, pattern: str) -> list[str]:
        """Relative paths matching a glob under the root, sorted."""
        prefix = self.location.root + "/"
        return sorted(p.removeprefix(prefix) for p in self.fs.glob(self.path(pattern)))

    def read_bytes(self, relative: str) -> bytes:
        with self.fs.open(self.path(relative), "rb") as f:
            return f.read()

    def write_bytes(self, relative: str, data: bytes) -> str:
        """Atomically, and durably on a local disk: later runs build on these files."""
        return write_atomic(self.location, relative, data, durable=True)

    def remove_leftovers(self, started_before: float) -> list[str]:
        """Delete the temporary files (write_atomic's hidden `.….tmp`) of writers that died before
        `started_before` (a time.time()); return their relative paths. Only files older than the
        current run are taken, so a writer of this run, in another process, never loses its own.
        An S3 lakehouse has none: an object appears whole or not at all."""
        if not self.is_local:
            return []
        removed = []
        for folder, _, names in os.walk(self.root):
            for name in names:
                if not is_temporary(name):
                    continue
                path = os.path.join(folder, name)
                try:
                    if os.lstat(path).st_mtime < started_before:
                        os.unlink(path)
                        removed.append(os.path.relpath(path, self.root))
                except FileNotFoundError:  # its writer finished (renamed it) meanwhile
                    continue
        return sorted(removed)

    def remove(self, relative: str) -> None:
        """Delete one file (a reader of the folder sees it or not, never half of it)."""
        self.fs.rm(self.path(relative))

    def write_parquet(self, relative: str, table: pa.Table) -> str:
        buffer = io.BytesIO()
        pq.write_table(table, buffer, compression="zstd")
        return self.write_bytes(relative, buffer.getvalue())

    def iter_parquet(self, relatives: list[str], max_rows: int):
        """(first file, table) pairs of at most max_rows rows, in file order: small files are
        put together, large ones cut, so a reader never holds more than max_rows rows."""
        pending, rows, first = [], 0, None
        for relative in relatives:
            with self.fs.open(self.path(relative), "rb") as f:
                for batch in pq.ParquetFile(f).iter_batches(batch_size=max_rows):
                    if rows + batch.num_rows > max_rows and pending:
                        yield first, pa.Table.from_batches(pending)
                        pending, rows, first = [], 0, None
                    first = first or relative
                    pending.append(batch)
                    rows += batch.num_rows
        if pending:
            yield first, pa.Table.from_batches(pending)

    def read_parquet(self, relatives: list[str]) -> pa.Table:
        tables = []
        for relative in relatives:
            with self.fs.open(self.path(relative), "rb") as f:
                tables.append(pq.read_table(f))
        return pa.concat_tables(tables, promote_options="default") if tables else None

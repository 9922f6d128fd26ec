"""The lakehouse root, local folder or s3://bucket/prefix, and atomic writes into it.

Atomicity: locally a file is written under a hidden temporary name in the same folder and
renamed into place (rename is atomic on POSIX), so a reader or a crash never sees half a file.
On S3 an object only becomes visible when its upload completes, so writing the final key is
already atomic.
"""
from __future__ import annotations

import io
import os
import uuid
from pathlib import Path

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq

ZONES = ("raw", "bronze", "quarantine", "gold", "site")


def s3_filesystem():
    """s3fs on the standard AWS configuration, which botocore reads itself: AWS_ENDPOINT_URL (any
    S3-protocol store), the credentials, AWS_MAX_ATTEMPTS (default 3)."""
    import s3fs

    # Standard retry mode (bounded, with backoff): a store that is down fails the step with
    # botocore's clear "Could not connect to the endpoint URL" after a few seconds, not a hang.
    return s3fs.S3FileSystem(skip_instance_cache=True, config_kwargs={"retries": {"mode": "standard"}})


class Lakehouse:
    def __init__(self, root: str | os.PathLike):
        root = str(root)
        self.is_local = not root.startswith("s3://")
        if self.is_local:
            self.root = str(Path(root).resolve())
            self.fs = fsspec.filesystem("file")
        else:
            self.root = root.rstrip("/")
            self.fs = s3_filesystem()

    def __repr__(self) -> str:
        return f"Lakehouse({self.root!r})"

    def path(self, relative: str) -> str:
        return f"{self.root}/{relative}"

    def local_path(self, relative: str) -> Path:
        if not self.is_local:
            raise ValueError(f"{self.root} is not a local lakehouse")
        return Path(self.root) / relative

    def exists(self, relative: str) -> bool:
        return self.fs.exists(self.path(relative))

    def glob(self, pattern: str) -> list[str]:
        """Relative paths matching a glob under the root, sorted."""
        prefix = self.root.removeprefix("s3://") + "/"
        return sorted(p.removeprefix(prefix) for p in self.fs.glob(self.path(pattern)))

    def read_bytes(self, relative: str) -> bytes:
        with self.fs.open(self.path(relative), "rb") as f:
            return f.read()

    def write_bytes(self, relative: str, data: bytes) -> str:
        target = self.path(relative)
        if self.is_local:
            folder = os.path.dirname(target)
            os.makedirs(folder, exist_ok=True)
            # Hidden and without the final suffix: no glob of readers (*.parquet) ever matches it.
            tmp = os.path.join(folder, f".{os.path.basename(target)}.{uuid.uuid4().hex}.tmp")
            try:
                with open(tmp, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, target)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        else:
            with self.fs.open(target, "wb") as f:
                f.write(data)
        return target

    def remove_leftovers(self, started_before: float) -> list[str]:
        """Delete the temporary files (write_bytes' hidden `.….tmp`) of writers that died before
        `started_before` (a time.time()); return their relative paths. Only files older than the
        current run are taken, so a writer of this run, in another process, never loses its own.
        An S3 lakehouse has none: an object appears whole or not at all."""
        if not self.is_local:
            return []
        removed = []
        for folder, _, names in os.walk(self.root):
            for name in names:
                if not (name.startswith(".") and name.endswith(".tmp")):
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

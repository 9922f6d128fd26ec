"""The inbox: list delivered files (local folder or s3:// prefix) and recognise each one's
feed, date and version from its place and name (feeds.md, "Inbox layout")."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import fsspec

from ccus.feeds.contract import FEEDS, Feed


@dataclass(frozen=True)
class InboxFile:
    path: str                   # relative to the inbox root, with '/' separators
    name: str
    feed: Feed | None           # None: not a file of any feed
    file_date: dt.date | None   # the date in the name (first of month for monthly feeds)
    version: int                # 1, or N for a corrected file ..._YYYYMMDD_N
    problem: str | None = None  # why the file is not recognised (reason code: message)

    @property
    def partition(self) -> str | None:
        """Bronze partition folder of this file's rows."""
        if self.feed is None or self.file_date is None:
            return None
        if self.feed.period == "month":
            return f"month={self.file_date:%Y-%m}"
        if self.feed.partitioned:
            return f"date={self.file_date.isoformat()}"
        return f"delivery={self.file_date.isoformat()}"


def classify(path: str) -> InboxFile:
    parts = path.split("/")
    name = parts[-1]
    if len(parts) != 2 or parts[0] not in FEEDS:
        return InboxFile(path, name, None, None, 1,
                         f"unknown_feed: {path} is not in one of the feed folders ({', '.join(FEEDS)})")
    feed = FEEDS[parts[0]]
    m = feed.file_pattern.match(name)
    if not m:
        style = "YYYYMMDD" if feed.period == "day" else "YYYYMM"
        return InboxFile(path, name, None, None, 1,
                         f"unknown_file_name: {path} does not match {feed.name}_{style}[_N].{'|'.join(feed.formats)}")
    digits, version = m.group(1), int(m.group(2) or 1)
    try:
        if feed.period == "day":
            file_date = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
        else:
            file_date = dt.date(int(digits[:4]), int(digits[4:6]), 1)
    except ValueError:
        return InboxFile(path, name, None, None, version, f"bad_file_date: {path}: {digits} is not a calendar date")
    return InboxFile(path, name, feed, file_date, version)


class Inbox:
    def __init__(self, root: str | os.PathLike):
        root = str(root)
        if root.startswith("s3://"):
            from ccus.lakehouse import s3_filesystem

            self.fs, self.root = s3_filesystem(), root.rstrip("/")
        else:
            self.fs, self.root = fsspec.filesystem("file"), os.path.abspath(root)

    def files(self) -> list[InboxFile]:
        base = self.root.removeprefix("s3://").rstrip("/") + "/"
        found = self.fs.find(self.root) if self.fs.exists(self.root) else []
        paths = sorted(p.removeprefix(base) for p in found)
        return [classify(p) for p in paths if "/." not in "/" + p and p != "simulation.json"]  # not deliveries: hidden, marker

    def read(self, f: InboxFile) -> bytes:
        with self.fs.open(f"{self.root}/{f.path}", "rb") as fh:
            return fh.read()

"""The inbox: list what was delivered (local folder or s3:// prefix) and recognise each entry's
feed, date and version from its place and name (feeds.md, "Inbox layout" and "What the inbox may
hold besides feed files").

Only regular files are deliveries. On a local inbox nothing is ever followed or opened that is
not one: a symbolic link (to anything), a named pipe, a socket, a device, or a directory under a
feed-like name is listed as an entry that is not a regular file (audited whole, 0 rows, never
read). Names starting with '.' are not deliveries: they are counted, not listed. A local name
that is not UTF-8 is listed with its undecodable bytes as \\xNN (and opened by its real name).
"""
from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import fsspec

from ccus.feeds.contract import FEEDS, FIRST_FILE_DATE, NAME_MAX_CHARS, PARTITION_FIRST_DAY, Feed
from ccus.storage import s3_filesystem

SIMULATION_FILE = "simulation.json"   # at the root: the simulator's marker, not a delivery
NOT_READ = "0" * 64                   # the sha256 column of an entry that was never read
FEED_LIKE_SUFFIXES = (".csv", ".jsonl")
JAPAN = ZoneInfo("Asia/Tokyo")


def japan_today() -> dt.date:
    return dt.datetime.now(JAPAN).date()


class InboxMissing(FileNotFoundError):
    """The inbox root does not exist (a typo must not look like an empty delivery)."""


@dataclass(frozen=True)
class InboxFile:
    path: str                   # relative to the inbox root, with '/' separators (valid UTF-8)
    name: str
    feed: Feed | None           # None: not a file of any feed
    file_date: dt.date | None   # the date in the name (first of month for monthly feeds)
    version: int                # 1, or N for a corrected file ..._YYYYMMDD_N
    problem: str | None = None  # why the file is not recognised (reason code: message)
    regular: bool = True        # False: never opened (a link, pipe, socket, device, directory)
    size: int | None = None     # bytes, as listed (regular files)
    modified_ns: int | None = None  # last modification, as listed (ns since the epoch; regular files)
    source: str | None = None   # the local name to open when `path` had to escape bytes of it

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


def date_window(feed: Feed, today: dt.date) -> tuple[dt.date, dt.date]:
    """The file dates a feed accepts: the CCUS era (the day partitions for attendance and
    rosters) up to tomorrow, Japan time (files dated today arrive during the day)."""
    first = PARTITION_FIRST_DAY if feed.partitioned else FIRST_FILE_DATE
    return first, today + dt.timedelta(days=1)


def classify(path: str, today: dt.date | None = None) -> InboxFile:
    parts = path.split("/")
    name = parts[-1]
    if len(parts) != 2 or parts[0] not in FEEDS:
        return InboxFile(path, name, None, None, 1,
                         f"unknown_feed: {path} is not in one of the feed folders ({', '.join(FEEDS)})")
    feed = FEEDS[parts[0]]
    m = feed.file_pattern.fullmatch(name) if len(name) <= NAME_MAX_CHARS else None
    if not m:
        style = "YYYYMMDD" if feed.period == "day" else "YYYYMM"
        return InboxFile(path, name, None, None, 1,
                         f"unknown_file_name: {path} does not match {feed.name}_{style}[_N].{'|'.join(feed.formats)} "
                         f"(ASCII digits, at most {NAME_MAX_CHARS} characters)")
    digits, version = m.group(1), int(m.group(2) or 1)
    try:
        if feed.period == "day":
            file_date = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
        else:
            file_date = dt.date(int(digits[:4]), int(digits[4:6]), 1)
    except ValueError:
        return InboxFile(path, name, None, None, version, f"bad_file_date: {path}: {digits} is not a calendar date")
    first, last = date_window(feed, today or japan_today())
    if not first <= file_date <= last:
        return InboxFile(path, name, None, file_date, version,
                         f"date_out_of_range: {path}: {file_date} is outside {first}..tomorrow (Japan time), "
                         f"the dates this platform takes for {feed.name}")
    return InboxFile(path, name, feed, file_date, version)


def not_regular(path: str, what: str) -> InboxFile:
    return InboxFile(path, path.rsplit("/", 1)[-1], None, None, 1,
                     f"not_regular_file: {path} is {what}, not a regular file: never opened or followed",
                     regular=False)


@dataclass
class Listing:
    files: list[InboxFile] = field(default_factory=list)   # every entry to account for, by path
    hidden: list[str] = field(default_factory=list)        # names starting with '.': not deliveries
    simulation: bool = False                               # a regular simulation.json at the root


def _text(name: str) -> str:
    """A local name as valid UTF-8 text: bytes that are not UTF-8 (os gives them as lone
    surrogates) become \\xNN."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _kind(mode: int) -> str | None:
    """What a non-regular entry is, in words; None for a regular file."""
    for test, what in ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a named pipe"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a directory")):
        if test(mode):
            return what
    return None if stat.S_ISREG(mode) else "a special file"


class Inbox:
    def __init__(self, root: str | os.PathLike):
        root = str(root)
        self.is_local = not root.startswith("s3://")
        if self.is_local:
            self.fs, self.root = fsspec.filesystem("file"), os.path.abspath(root)
        else:
            self.fs, self.root = s3_filesystem(), root.rstrip("/")

    def exists(self) -> bool:
        """A local folder that exists, or an S3 prefix whose bucket exists."""
        if self.is_local:
            return os.path.isdir(self.root)
        return self.fs.exists(self.root.removeprefix("s3://").split("/", 1)[0])

    def listing(self, today: dt.date | None = None) -> Listing:
        if not self.exists():
            raise InboxMissing(f"the inbox {self.root} does not exist")
        today = today or japan_today()
        listing = Listing()
        entries = self._local_entries(listing) if self.is_local else self._s3_entries(listing)
        for path, kind, size, source, modified_ns in sorted(entries):
            if kind is not None:
                listing.files.append(not_regular(path, kind))
            elif path == SIMULATION_FILE:
                listing.simulation = True
            else:
                f = classify(path, today)
                listing.files.append(InboxFile(f.path, f.name, f.feed, f.file_date, f.version, f.problem,
                                               size=size, source=source, modified_ns=modified_ns))
        listing.hidden.sort()
        return listing

    def files(self, today: dt.date | None = None) -> list[InboxFile]:
        return self.listing(today).files

    def _local_entries(self, listing: Listing) -> list[tuple[str, str | None, int | None, str | None, int | None]]:
        """(path, what it is when not a regular file, size, real name when path escapes it,
        modification time in ns), by lstat: a symbolic link is never followed, whatever it points to."""
        entries, folders = [], [""]
        while folders:
            folder = folders.pop()
            try:
                scan = list(os.scandir(os.path.join(self.root, folder)))
            except OSError:  # a folder that cannot be listed (no permission): accounted for, not read
                entries.append((_text(folder), "a directory that cannot be listed", None, None, None))
                continue
            for entry in scan:
                real = f"{folder}/{entry.name}" if folder else entry.name
                path = _text(real)
                if entry.name.startswith("."):
                    listing.hidden.append(path)
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                except FileNotFoundError:  # gone since the folder was read
                    continue
                if stat.S_ISDIR(info.st_mode) and not entry.name.lower().endswith(FEED_LIKE_SUFFIXES):
                    folders.append(real)
                    continue
                kind = _kind(info.st_mode)
                entries.append((path, kind, info.st_size if kind is None else None, real if real != path else None,
                                info.st_mtime_ns if kind is None else None))
        return entries

    def _s3_entries(self, listing: Listing) -> list[tuple[str, str | None, int | None, str | None, int | None]]:
        """Objects under the prefix: S3 has no links or pipes, only objects."""
        base = self.root.removeprefix("s3://").rstrip("/") + "/"
        entries, hidden = [], set()
        for key, info in self.fs.find(self.root, detail=True).items():
            path = key.removeprefix(base)
            parts = path.split("/")
            dotted = next((i for i, part in enumerate(parts) if part.startswith(".")), None)
            if dotted is not None:
                hidden.add("/".join(parts[:dotted + 1]))
                continue
            # No modification time: S3's LastModified has whole seconds, so an object rewritten
            # within the second could look unchanged; such objects are read and hashed each run.
            entries.append((path, None, int(info.get("size") or 0), None, None))
        listing.hidden.extend(hidden)
        return entries

    def read(self, f: InboxFile, limit: int = -1) -> bytes:
        """The bytes of a regular file (at most `limit` when given). Locally opened without
        following a link and without blocking on a pipe, and checked to be a regular file once
        open: an entry swapped for a link or a pipe after the listing raises NotRegular (an
        OSError); it never hangs the run or reads outside the inbox."""
        if not self.is_local:
            with self.fs.open(f"{self.root}/{f.path}", "rb") as fh:
                return fh.read(limit)
        try:
            fd = os.open(os.path.join(self.root, f.source or f.path), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError as error:
            if os.path.islink(os.path.join(self.root, f.source or f.path)):
                raise NotRegular(f"{f.path} became a symbolic link after it was listed") from error
            raise
        with os.fdopen(fd, "rb") as fh:
            kind = _kind(os.fstat(fh.fileno()).st_mode)
            if kind is not None:
                raise NotRegular(f"{f.path} became {kind} after it was listed")
            return fh.read(limit)

    def read_simulation(self, limit: int = 1 << 16) -> bytes | None:
        """The first limit + 1 bytes of the simulator's simulation.json, or None without one."""
        try:
            return self.read(InboxFile(SIMULATION_FILE, SIMULATION_FILE, None, None, 1), limit + 1)
        except OSError:  # absent, not a regular file, unreadable: no simulation recorded
            return None


class NotRegular(OSError):
    """An entry that is not a regular file where one was expected."""

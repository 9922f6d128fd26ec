"""What reading a delivered file gives (ParsedFile, MalformedRow), the header mapping both readers
share (map_header: English or Japanese names, NFKC, case-insensitive), and FileRejected, raised
when the whole file goes to quarantine. reader.py (the reference, Python csv/json) and
csv_arrow.py (the fast path for plain CSV) both build on this module."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from ccus.feeds.contract import Column, Feed


class FileRejected(Exception):
    """The whole file goes to quarantine: `reason` is a code, `message` names file and problem."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass
class MalformedRow:
    line: int
    reason: str
    message: str


@dataclass
class ParsedFile:
    """Rows as strings, one list per contract column, with the physical start line of each row."""
    encoding: str
    columns: dict[str, list[str]]
    column_positions: dict[str, int]   # contract column -> 1-based position in the file (CSV)
    lines: list[int]
    malformed: list[MalformedRow] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)  # labels safe to print ("column 9"), no header text
    # True when no value starts or ends with a space character (what validate() trims), so the
    # trimming can be skipped: the fast CSV path checks it on the bytes.
    trimmed: bool = False

    @property
    def rows_read(self) -> int:
        return len(self.lines) + len(self.malformed)


def normalise(name: str) -> str:
    """A header name as matched: Unicode NFKC (full-width letters match), trimmed, lower case."""
    return unicodedata.normalize("NFKC", name).strip().lower()


def header_index(feed: Feed) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for col in feed.columns:
        index[normalise(col.name)] = col
        index[normalise(col.ja)] = col
    return index


def map_header(feed: Feed, names: list[str], file_name: str) -> tuple[dict[str, int], list[str]]:
    """Contract column -> 0-based field index; the extra (unknown) header fields, by position."""
    index = header_index(feed)
    positions: dict[str, int] = {}
    extra: list[str] = []
    # Messages name header fields by position, never by their text: without a header line the
    # first line read as one may be a person's record (feeds.md, "What the inbox may hold").
    for i, raw in enumerate(names):
        col = index.get(normalise(raw))
        if col is None:
            extra.append(f"column {i + 1}")
        elif col.name in positions:
            raise FileRejected(
                "duplicate_column",
                f"{file_name}:1:{i + 1}: column {i + 1} is {col.name}, which is column {positions[col.name] + 1} too",
            )
        else:
            positions[col.name] = i
    missing = [c.name for c in feed.required_columns if c.name not in positions]
    if missing:
        raise FileRejected(
            "missing_columns",
            f"{file_name}:1: missing required column(s) {', '.join(missing)} "
            f"(the header line has {len(names)} fields, {len(positions)} of them contract columns)",
        )
    return positions, extra

"""Read one delivered file into strings: detect the encoding, parse CSV or JSON Lines, map
English or Japanese headers onto the contract, and remember the line each row started on.

Typing and validation happen afterwards, vectorised (validate.py); this module only decides
whether the file can be read at all (FileRejected) and which rows could not be split into
fields (malformed rows, quarantined by the caller).
"""
from __future__ import annotations

import csv
import io
import json
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
    extra_columns: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return len(self.lines) + len(self.malformed)


def decode(data: bytes, file_name: str) -> tuple[str, str]:
    """UTF-8 (with or without BOM) or CP932, as Japanese desktop tools write it."""
    if not data:
        raise FileRejected("empty_file", f"{file_name}: the file is empty (no header row)")
    if b"\x00" in data[:65536]:
        raise FileRejected("binary_content", f"{file_name}: binary content (NUL bytes), not a text feed")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise _undecodable(data[3:], e, file_name, "UTF-8 (BOM)") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp932"), "cp932"
        except UnicodeDecodeError:
            raise _undecodable(data, utf8_error, file_name, "UTF-8 nor CP932") from None


def _undecodable(data: bytes, error: UnicodeDecodeError, file_name: str, tried: str) -> FileRejected:
    line = data.count(b"\n", 0, error.start) + 1
    column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
    return FileRejected(
        "undecodable",
        f"{file_name}:{line}:{column}: not decodable as {tried} (byte 0x{data[error.start]:02x})",
    )


def _normalise(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().lower()


def _header_index(feed: Feed) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for col in feed.columns:
        index[_normalise(col.name)] = col
        index[_normalise(col.ja)] = col
    return index


def map_header(feed: Feed, names: list[str], file_name: str) -> tuple[dict[str, int], list[str]]:
    """Contract column -> 0-based field index; extra (unknown) header names."""
    index = _header_index(feed)
    positions: dict[str, int] = {}
    extra: list[str] = []
    for i, raw in enumerate(names):
        col = index.get(_normalise(raw))
        if col is None:
            extra.append(raw.strip())
        elif col.name in positions:
            raise FileRejected(
                "duplicate_column",
                f"{file_name}:1:{i + 1}: column {raw.strip()!r} maps to {col.name!r}, which appears twice",
            )
        else:
            positions[col.name] = i
    missing = [c.name for c in feed.required_columns if c.name not in positions]
    if missing:
        raise FileRejected(
            "missing_columns",
            f"{file_name}:1: missing required column(s) {', '.join(missing)} "
            f"(header has: {', '.join(n.strip() for n in names)})",
        )
    return positions, extra


def parse_csv(feed: Feed, text: str, file_name: str, encoding: str) -> ParsedFile:
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    positions: dict[str, int] = {}
    extra: list[str] = []
    parsed: ParsedFile | None = None
    previous_end = 0
    try:
        for record in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # a blank line is not a row
            if header is None:
                header = record
                positions, extra = map_header(feed, header, file_name)
                parsed = ParsedFile(encoding, {c: [] for c in positions}, {c: i + 1 for c, i in positions.items()},
                                    [], [], extra)
                continue
            if len(record) != len(header):
                parsed.malformed.append(MalformedRow(
                    start, "field_count",
                    f"{file_name}:{start}: {len(record)} fields, the header has {len(header)}"))
                continue
            for name, i in positions.items():
                parsed.columns[name].append(record[i])
            parsed.lines.append(start)
    except csv.Error as e:
        raise FileRejected("malformed_csv", f"{file_name}:{reader.line_num}: {e}") from None
    if parsed is None:
        raise FileRejected("missing_header", f"{file_name}: no header row")
    return parsed


def _json_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def parse_jsonl(feed: Feed, text: str, file_name: str, encoding: str) -> ParsedFile:
    index = _header_index(feed)
    parsed = ParsedFile(encoding, {c.name: [] for c in feed.columns}, {}, [], [], [])
    extra: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            parsed.malformed.append(MalformedRow(
                number, "malformed_json", f"{file_name}:{number}:{e.colno}: {e.msg}"))
            continue
        if not isinstance(obj, dict):
            parsed.malformed.append(MalformedRow(
                number, "malformed_json", f"{file_name}:{number}:1: a line must be one JSON object"))
            continue
        values: dict[str, str] = {}
        for key, value in obj.items():
            col = index.get(_normalise(str(key)))
            if col is None:
                extra.add(str(key))
            else:
                values[col.name] = _json_value(value)
        for name in parsed.columns:
            parsed.columns[name].append(values.get(name, ""))
        parsed.lines.append(number)
    parsed.extra_columns = sorted(extra)
    return parsed


def read_bytes(feed: Feed, data: bytes, file_name: str) -> ParsedFile:
    text, encoding = decode(data, file_name)
    if file_name.lower().endswith(".jsonl"):
        return parse_jsonl(feed, text, file_name, encoding)
    return parse_csv(feed, text, file_name, encoding)

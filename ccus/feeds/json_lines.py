"""One line of a JSON Lines delivery as a row of strings, the way the reference reader
(reader.iter_jsonl) and the fast path (jsonl_arrow.py) both parse every line that is not plain:
keys in English or Japanese in any case, every JSON type as text, missing keys empty, the later
of two keys for one column winning, unknown keys noted (counted, never named), and a line that is
no row a MalformedRow naming file, line and column."""
from __future__ import annotations

import json
from collections.abc import Iterator

from ccus.feeds.contract import Column, Feed
from ccus.feeds.parsed import MalformedRow, ParsedFile, header_index, normalise

# What str.splitlines() cuts a line at besides \n; a line's own end loses them (physical_lines).
LINE_ENDS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


class BadLine(ValueError):
    """A line that is JSON but no row: the message says why, without quoting it."""


class JsonLineParser:
    """The rows of one file's lines, parsed one line at a time; remembers the unknown keys seen
    so far and each distinct key order's layout (which column each key fills), so a line costs a
    json.loads and a short loop."""

    def __init__(self, feed: Feed, file_name: str):
        self.file_name = file_name
        self.index = header_index(feed)
        self.order = [c.name for c in feed.columns]
        self.slots = {name: i for i, name in enumerate(self.order)}
        self.layouts: dict[tuple, tuple] = {}
        self.extra: set[str] = set()

    def parse(self, number: int, line: str) -> list[str] | MalformedRow:
        """The row of line ``number`` (strings in contract order), or the malformed row it is."""
        try:
            return self._row(line)
        except json.JSONDecodeError as e:
            return MalformedRow(number, "malformed_json", f"{self.file_name}:{number}:{e.colno}: {e.msg}")
        except BadLine as e:
            return MalformedRow(number, "malformed_json", f"{self.file_name}:{number}:1: {e}")

    def extra_columns(self) -> list[str]:
        """The unknown keys seen so far, counted (a key is file content)."""
        return [f"{len(self.extra)} unknown key(s)"] if self.extra else []

    def chunk(self, encoding: str, rows: list[list[str]], lines: list[int],
              malformed: list[MalformedRow]) -> ParsedFile:
        columns = {name: [row[i] for row in rows] for i, name in enumerate(self.order)}
        return ParsedFile(encoding, columns, {}, lines, malformed, self.extra_columns())

    def _row(self, line: str) -> list[str]:
        """JSONDecodeError or BadLine when the line is no row, and nothing else whatever the line
        holds: a line nested deeper than Python's recursion limit, a number of more than 4,300
        digits (Python's limit for int) or a \\ud800 escape (a lone surrogate, not text) is one
        bad line, not the end of the file or run."""
        try:
            obj = json.loads(line)
        except RecursionError:
            raise BadLine("nested too deeply") from None
        except json.JSONDecodeError:
            raise
        except ValueError:  # int() of too many digits
            raise BadLine("a number too long to read") from None
        if not isinstance(obj, dict):  # a bare `null`, number, string or list: no row
            raise BadLine("a line must be one JSON object")
        keys = tuple(obj)
        layout = self.layouts.get(keys)
        if layout is None:
            layout = self.layouts[keys] = _layout(keys, self.index, self.slots, self.extra)
        row = [""] * len(self.order)
        try:
            for slot, value in zip(layout, obj.values()):
                if slot is not None:  # two keys for one column: the later one wins, as in a dict
                    row[slot] = value if type(value) is str else _json_value(value)
        except RecursionError:  # a deeply nested value of a contract column
            raise BadLine("nested too deeply") from None
        if "\\u" in line:  # only an escape can make a lone surrogate
            try:
                "".join(row).encode("utf-8")
            except UnicodeEncodeError:
                raise BadLine("an escaped lone surrogate (\\uD800-\\uDFFF) is not text") from None
        return row


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


def _layout(keys: tuple, index: dict[str, Column], slots: dict[str, int], extra: set[str]) -> tuple:
    """The column slot each key of an object fills (None for an unknown key, noted in extra)."""
    layout = []
    for key in keys:
        col = index.get(normalise(str(key)))
        if col is None:
            extra.add(str(key))
        layout.append(None if col is None else slots[col.name])
    return tuple(layout)


def physical_lines(stream) -> Iterator[str]:
    """Lines as str.splitlines() cuts them (\\n, \\r\\n, \\r and the Unicode separators), read
    block by block so a large file is never one string."""
    tail = ""
    while True:
        block = stream.read(1 << 20)
        if not block:
            break
        lines = (tail + block).splitlines(keepends=True)
        # the last piece may be a line cut by the block (or a \\r before its \\n)
        tail = lines.pop() if lines else ""
        for line in lines:
            yield line.rstrip(LINE_ENDS)
    if tail:
        yield tail.rstrip(LINE_ENDS)

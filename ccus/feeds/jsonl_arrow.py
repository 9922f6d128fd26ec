"""The fast path for JSON Lines: Arrow's C++ JSON reader for the plain lines, Python's json (the
reference's own line parser, json_lines.py) for every other line.

It gives exactly what reader.iter_jsonl (the reference) gives: the same chunks of rows, as
strings, with the same line numbers, the same malformed rows with the same messages and the same
count of unknown keys. It is taken only where that holds by construction, and otherwise the
reference decides:

- the whole file (None: the reference reads it): UTF-8, and no control character but \\n and
  no Unicode line separator (U+0085, U+2028, U+2029), so that the lines are exactly the pieces
  between \\n (the reference cuts lines as str.splitlines() does);
- a line is *plain* when it starts with ``{``, ends with ``}``, holds no backslash (so no escape:
  each value is its bytes between two quotes, as Python decodes it) and an even number of
  quotes. Every other line — blank, truncated, escaped, padded with spaces, a list — is parsed
  alone by the reference's parser, in line order;
- the plain lines of a chunk go to Arrow with the contract's columns as strings and no other
  key allowed. Arrow refuses anything Python would read differently: an unknown or differently
  spelled key (English names only here; Japanese, upper case: unknown), a key twice, a number,
  boolean, object or list as a value, and every syntax error. A refusal, or a row count that is
  not the plain lines' count (two objects on one line), sends the whole chunk to the reference.

A chunk is ``chunk_rows`` non-blank lines, as the reference counts them.
"""
from __future__ import annotations

import io
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson

from ccus.feeds.contract import Feed
from ccus.feeds.json_lines import JsonLineParser
from ccus.feeds.parsed import MalformedRow, ParsedFile

BOM = b"\xef\xbb\xbf"
# every control character but \n: \r, \v, \f and \x1c-\x1e cut lines for str.splitlines(); the
# others (a tab, a NUL) are rare enough in a feed to leave whole files with them to the reference
CONTROLS = bytes(range(0x0A)) + bytes(range(0x0B, 0x20))
UNICODE_LINE_ENDS = (b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")
BLOCK = 1 << 26      # bytes looked at a time for line breaks and quotes (bounded temporary arrays)
MOSTLY_PLAIN = 0.1   # more odd lines than this share: the reference reads the file


def arrow_jsonl_chunks(feed: Feed, data: bytes, file_name: str, encoding: str,
                       chunk_rows: int) -> Iterator[ParsedFile] | None:
    """ParsedFile chunks as reader.iter_jsonl would cut them (chunk_rows non-blank lines each,
    0: one chunk), or None when the file needs the reference reader."""
    if encoding not in ("utf-8", "utf-8-sig"):
        return None
    if len(data.translate(None, CONTROLS)) != len(data):
        return None
    if not data.isascii() and any(end in data for end in UNICODE_LINE_ENDS):
        return None
    lines = _Lines(data, len(BOM) if encoding == "utf-8-sig" else 0)
    if np.count_nonzero(~lines.plain) > len(lines) * MOSTLY_PLAIN:
        return None    # the reference reads it line by line, without holding the odd lines' text
    return _chunks(feed, data, file_name, encoding, chunk_rows, lines)


class _Lines:
    """The file's lines, as the reference cuts them: where each starts and ends (its \\n left
    out), and which are plain."""

    def __init__(self, data: bytes, start: int):
        breaks = [np.flatnonzero(block == 0x0A) + offset for offset, block in _blocks(data, start)]
        ends = np.concatenate(breaks) if breaks else np.zeros(0, np.int64)
        if len(data) > start and (len(ends) == 0 or ends[-1] != len(data) - 1):
            ends = np.append(ends, len(data))     # a last line without its line break
        self.ends = ends.astype(np.int64)
        self.starts = np.concatenate(([start], self.ends[:-1] + 1)).astype(np.int64)[:len(self.ends)]
        # quotes and backslashes counted per line, a block at a time (a national file holds
        # tens of millions of quotes: their positions are never all kept)
        quotes = np.zeros(len(self.ends), np.int64)
        backslashes = np.zeros(len(self.ends), np.int64)
        for offset, block in _blocks(data, start):
            for counts, byte in ((quotes, 0x22), (backslashes, 0x5C)):
                at = np.flatnonzero(block == byte) + offset
                if len(at):
                    counts += np.bincount(np.searchsorted(self.ends, at), minlength=len(counts))
        arr = np.frombuffer(data, np.uint8)
        nonempty = self.ends > self.starts
        first = arr[np.minimum(self.starts, len(data) - 1)] if len(data) else np.zeros(0, np.uint8)
        last = arr[np.maximum(self.ends - 1, 0)] if len(data) else np.zeros(0, np.uint8)
        self.plain = nonempty & (first == 0x7B) & (last == 0x7D) & (quotes % 2 == 0) & (backslashes == 0)

    def __len__(self) -> int:
        return len(self.ends)

    def text(self, data: bytes, i: int) -> str:
        return data[self.starts[i]:self.ends[i]].decode("utf-8")


def _blocks(data: bytes, start: int) -> Iterator[tuple[int, np.ndarray]]:
    """(offset, bytes from there) of the file after ``start``, BLOCK bytes at a time."""
    for offset in range(start, len(data), BLOCK):
        yield offset, np.frombuffer(data, np.uint8, count=min(BLOCK, len(data) - offset), offset=offset)


def _chunks(feed: Feed, data: bytes, file_name: str, encoding: str, chunk_rows: int,
            lines: _Lines) -> Iterator[ParsedFile]:
    parser = JsonLineParser(feed, file_name)
    schema = pa.schema([(name, pa.string()) for name in parser.order])
    # the reference skips blank lines and counts only the others towards a chunk
    blank = [int(i) for i in np.flatnonzero(~lines.plain) if not lines.text(data, int(i)).strip()]
    counted = np.delete(np.arange(len(lines), dtype=np.int64), blank)
    size = chunk_rows or max(len(counted), 1)
    refused = False
    for first in range(0, len(counted), size):
        chunk = counted[first:first + size]
        plain = chunk[lines.plain[chunk]]
        table = None if refused else _arrow_rows(data, lines, plain, schema)
        if table is None:
            # Arrow refused: every line of the chunk, and of the chunks after it (a file that
            # spells its keys in Japanese is refused in each), by the reference
            refused = True
            yield _chunk(parser, encoding, data, lines, chunk, plain[:0], schema.empty_table())
        else:
            yield _chunk(parser, encoding, data, lines, chunk, plain, table)
    if len(counted) == 0:
        yield parser.chunk(encoding, [], [], [])


def _arrow_rows(data: bytes, lines: _Lines, plain: np.ndarray, schema: pa.Schema) -> pa.Table | None:
    """The plain lines' rows read by Arrow, or None when it refuses them."""
    if len(plain) == 0:
        return schema.empty_table()
    # runs of consecutive lines are sliced whole
    cuts = np.flatnonzero(np.diff(plain) != 1) + 1
    firsts, lasts = np.concatenate(([0], cuts)), np.append(cuts - 1, len(plain) - 1)
    view = memoryview(data)
    raw = b"".join(b for a, z in zip(firsts, lasts)
                   for b in (view[lines.starts[plain[a]]:lines.ends[plain[z]]], b"\n"))
    try:
        table = pajson.read_json(io.BytesIO(raw), read_options=pajson.ReadOptions(use_threads=True),
                                 parse_options=pajson.ParseOptions(explicit_schema=schema,
                                                                   unexpected_field_behavior="error",
                                                                   newlines_in_values=False))
    except pa.ArrowInvalid:
        return None
    return table if table.num_rows == len(plain) else None


def _chunk(parser: JsonLineParser, encoding: str, data: bytes, lines: _Lines, chunk: np.ndarray,
           by_arrow: np.ndarray, table: pa.Table) -> ParsedFile:
    """The lines ``chunk`` parsed, in line order: those of ``by_arrow`` are Arrow's rows
    (``table``), every other line is parsed here by the reference's line parser (all of them
    when Arrow refused the chunk: ``by_arrow`` empty)."""
    odd_rows, odd_numbers, malformed = [], [], []
    for i in chunk[~np.isin(chunk, by_arrow)]:
        parsed = parser.parse(int(i) + 1, lines.text(data, int(i)))
        if isinstance(parsed, MalformedRow):
            malformed.append(parsed)
        else:
            odd_rows.append(parsed)
            odd_numbers.append(int(i) + 1)
    numbers = np.concatenate((by_arrow + 1, np.array(odd_numbers, np.int64)))
    order = np.argsort(numbers, kind="stable")
    columns = {}
    for slot, name in enumerate(parser.order):
        values = pc.fill_null(table.column(name), "")   # a null or a missing key: empty, as Python's
        if odd_rows:
            values = pa.chunked_array(values.chunks + [pa.array([r[slot] for r in odd_rows], pa.string())],
                                      pa.string()).take(order)
        columns[name] = values
    return ParsedFile(encoding, columns, {}, numbers[order].tolist(), malformed, parser.extra_columns())

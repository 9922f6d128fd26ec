"""The fast path for well-formed CSV: Arrow's multi-threaded C++ reader instead of the Python
csv module, for files where every row is one physical line (line_index.py checks the bytes).

It gives exactly what reader.iter_csv (the reference) gives: the same chunks of rows, as
strings, with the same line numbers, the same malformed rows with the same messages, and the
same FileRejected for a bad header. When anything is unusual it returns None and the caller
uses the reference, so only files whose every line is plain take this path:

- line numbers: row i of the body is physical line i + 2 (the header is line 1), since no
  field holds a line break; blank lines and malformed lines are cut out of the bytes handed
  to Arrow, so the rows Arrow returns are exactly the remaining lines, in order;
- field counts come from the commas of each line (no comma is quoted); a line with the wrong
  count is parsed alone by the csv module, which says whether it is blank or malformed;
- CP932 is decoded by Python's codec, chunk by chunk, and handed to Arrow as UTF-8.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from ccus.feeds.contract import Feed
from ccus.feeds.line_index import LineIndex, index_lines
from ccus.feeds.parsed import MalformedRow, ParsedFile, map_header

BOM = b"\xef\xbb\xbf"


def arrow_chunks(feed: Feed, data: bytes, file_name: str, encoding: str,
                 chunk_rows: int) -> Iterator[ParsedFile] | None:
    """ParsedFile chunks as reader.iter_csv would cut them (chunk_rows rows read each, 0: one
    chunk), or None when the file needs the reference reader."""
    start = len(BOM) if encoding == "utf-8-sig" else 0
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    index = index_lines(data, start)
    if index is None:
        return None
    header = next(csv.reader([_text(data, index, 0, codec)]), [])
    if len(header) < 2 or index.commas[0] != len(header) - 1:
        return None  # a one-column or blank first line: rare, and the reference knows them
    body = _classify(data, index, codec, len(header), file_name)
    if body is None:
        return None
    positions, extra = map_header(feed, header, file_name)  # FileRejected, as the reference raises it
    return _chunks(data, index, codec, encoding, header, positions, extra, body, chunk_rows)


def _text(data: bytes, index: LineIndex, line: int, codec: str) -> str:
    return data[index.starts[line]:index.ends[line]].decode(codec)


class _Body:
    """Which body lines are rows (good), which are malformed rows, and which are blank."""

    def __init__(self, good: np.ndarray, malformed: dict[int, MalformedRow]):
        self.good = good              # bool per physical line: a row with the header's field count
        self.malformed = malformed    # physical line index -> the malformed row it is
        read = good.copy()
        read[list(malformed)] = True
        self.read = np.flatnonzero(read)  # line indices of rows read (good or malformed), in order


def _classify(data: bytes, index: LineIndex, codec: str, fields: int, file_name: str) -> _Body | None:
    good = index.commas == fields - 1
    good[0] = False  # the header
    blank = index.ends == index.starts
    malformed: dict[int, MalformedRow] = {}
    for i in np.flatnonzero(~good & ~blank):
        if i == 0:
            continue
        record = next(csv.reader([_text(data, index, int(i), codec)]), [])
        if not record or (len(record) == 1 and not record[0].strip()):
            continue  # a blank line is not a row (as iter_csv)
        if len(record) == fields:
            return None  # cannot happen with plain quotes; never guess
        line = int(i) + 1
        malformed[int(i)] = MalformedRow(
            line, "field_count", f"{file_name}:{line}: {len(record)} fields, the header has {fields}")
    return _Body(good, malformed)


def _chunks(data: bytes, index: LineIndex, codec: str, encoding: str, header: list[str],
            positions: dict[str, int], extra: list[str], body: _Body, chunk_rows: int) -> Iterator[ParsedFile]:
    step = chunk_rows if chunk_rows else max(len(body.read), 1)
    names = [f"f{i}" for i in range(len(header))]
    for first in range(0, max(len(body.read), 1), step):
        lines = body.read[first:first + step]
        rows = lines[body.good[lines]]
        raw = _rows_utf8(data, index, codec, rows)
        table = _parse(raw, names, positions)
        if table.num_rows != len(rows):
            raise RuntimeError(f"Arrow read {table.num_rows} rows where the lines say {len(rows)}")
        yield ParsedFile(
            encoding,
            {name: table.column(f"f{i}") for name, i in positions.items()},
            {name: i + 1 for name, i in positions.items()},
            rows + 1,  # 1-based physical line numbers
            [m for i, m in body.malformed.items() if lines[0] <= i <= lines[-1]] if len(lines) else [],
            list(extra),
            trimmed=_no_space_at_field_ends(raw),
        )


def _rows_utf8(data: bytes, index: LineIndex, codec: str, rows: np.ndarray) -> bytes:
    """The bytes of the given lines (with their line breaks), as UTF-8: runs of consecutive
    lines are sliced whole, so only malformed or blank lines cost a cut."""
    if len(rows) == 0:
        return b""
    cuts = np.flatnonzero(np.diff(rows) != 1) + 1
    firsts = np.concatenate(([0], cuts))
    lasts = np.append(cuts - 1, len(rows) - 1)
    view = memoryview(data)
    raw = b"".join(view[index.starts[rows[a]]:index.next_starts[rows[b]]] for a, b in zip(firsts, lasts))
    if not raw.endswith(b"\n"):
        raw += b"\n"  # the file's last line had no break
    return raw if codec == "utf-8" else raw.decode(codec).encode("utf-8")


# What DuckDB's trim() strips (validate.py) is the Unicode space separators (Zs). In UTF-8:
# U+0020; U+00A0 = C2 A0; U+1680 = E1 9A 80; U+2000-U+200A = E2 80 80-8A; U+202F = E2 80 AF;
# U+205F = E2 81 9F; U+3000 = E3 80 80.
SPACE_LEADS = np.zeros(256, dtype=bool)
SPACE_LEADS[[0xC2, 0xE1, 0xE2, 0xE3]] = True
VALUE_START_AFTER = (0x2C, 0x0A, 0x22)       # a value starts after a comma, a line break or its quote
VALUE_END_BEFORE = (0x2C, 0x0D, 0x0A, 0x22)  # and ends before a comma, \r\n or \n, or its quote


def _no_space_at_field_ends(raw: bytes) -> bool:
    """True when no value of these whole UTF-8 lines starts or ends with a space character, so
    trimming them changes nothing. Fields hold no comma or line break (line_index.py), so a value
    edge is always at a line edge, a comma or its quote: only the bytes around each space count."""
    arr = np.frombuffer(raw, dtype=np.uint8)
    starts = [np.flatnonzero(arr == 0x20)]
    widths = [1]
    if not raw.isascii():
        # lead bytes of the multi-byte spaces; their continuation bytes always follow inside raw,
        # which ends with a line break
        lead = np.flatnonzero(SPACE_LEADS[arr])
        b0, b1, b2 = arr[lead], arr[lead + 1], arr[lead + 2]
        two = lead[(b0 == 0xC2) & (b1 == 0xA0)]
        three = lead[((b0 == 0xE1) & (b1 == 0x9A) & (b2 == 0x80))
                     | ((b0 == 0xE2) & (b1 == 0x80) & ((b2 <= 0x8A) | (b2 == 0xAF)))
                     | ((b0 == 0xE2) & (b1 == 0x81) & (b2 == 0x9F))
                     | ((b0 == 0xE3) & (b1 == 0x80) & (b2 == 0x80))]
        starts += [two, three]
        widths += [2, 3]
    for first, width in zip(starts, widths):
        if len(first) == 0:
            continue
        end = first + width  # raw ends with a line break, so a space never ends the buffer
        before = arr[np.maximum(first - 1, 0)]
        if ((first == 0) | np.isin(before, VALUE_START_AFTER) | np.isin(arr[end], VALUE_END_BEFORE)).any():
            return False
    return True


def _parse(raw: bytes, names: list[str], positions: dict[str, int]) -> pa.Table:
    """Every contract column as strings, exactly as written (no nulls, no trimming)."""
    wanted = [names[i] for i in positions.values()]
    if not raw:
        return pa.table({name: pa.array([], pa.string()) for name in wanted})
    return pacsv.read_csv(
        io.BytesIO(raw),
        read_options=pacsv.ReadOptions(column_names=names, use_threads=True),
        parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in wanted}, include_columns=wanted,
            strings_can_be_null=False, quoted_strings_can_be_null=False, check_utf8=True),
    )

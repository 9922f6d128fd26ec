"""Read one delivered file into strings: detect the encoding, parse CSV or JSON Lines, map
English or Japanese headers onto the contract, and remember the line each row started on.

Typing and validation happen afterwards, vectorised (validate.py); this module only decides
whether the file can be read at all (FileRejected) and which rows could not be split into
fields (malformed rows, quarantined by the caller).

Files are read in chunks of rows (read_chunks), decoding as they go, so memory follows the chunk
size and not the file size: the national registry's initial delivery holds 1.77 M workers.
A FileRejected can come from any chunk (a malformed line far down): the caller discards the
chunks it already took.
"""
from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator

from ccus.feeds.contract import Feed
from ccus.feeds.csv_arrow import arrow_chunks
from ccus.feeds.json_lines import JsonLineParser, physical_lines
from ccus.feeds.jsonl_arrow import arrow_jsonl_chunks
from ccus.feeds.parsed import FileRejected, MalformedRow, ParsedFile, map_header

# Rows per chunk: ≈0.1-0.3 GB of Python strings at the widest feed (workers).
CHUNK_ROWS = 200_000


def decode(data: bytes, file_name: str) -> tuple[str, str]:
    """UTF-8 (with or without BOM) or CP932, as Japanese desktop tools write it."""
    encoding = detect_encoding(data, file_name)
    return data.decode(encoding), encoding


def detect_encoding(data: bytes, file_name: str) -> str:
    """The codec of a delivered file: 'utf-8-sig', 'utf-8' or 'cp932' (FileRejected otherwise).

    Checked slice by slice with an incremental decoder whose output is dropped, so no decoded
    copy of a large file is held."""
    if not data:
        raise FileRejected("empty_file", f"{file_name}: the file is empty (no header row)")
    if b"\x00" in data[:65536]:
        raise FileRejected("binary_content", f"{file_name}: binary content (NUL bytes), not a text feed")
    if data.startswith(b"\xef\xbb\xbf"):
        bad = _first_bad_byte(data, "utf-8", 3)
        if bad is not None:
            raise _undecodable(data, bad, file_name, "UTF-8 (BOM)", skip=3)
        return "utf-8-sig"
    bad = _first_bad_byte(data, "utf-8")
    if bad is None:
        return "utf-8"
    if _first_bad_byte(data, "cp932") is None:
        return "cp932"
    raise _undecodable(data, bad, file_name, "UTF-8 nor CP932")


def _first_bad_byte(data: bytes, encoding: str, start: int = 0, step: int = 1 << 24) -> int | None:
    """Index in data of the first byte that does not decode, or None."""
    if encoding == "utf-8" and (data if start == 0 else data[start:]).isascii():
        return None  # ASCII is UTF-8: checked twenty times faster than by decoding
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    for offset in range(start, len(data), step):
        pending = len(decoder.getstate()[0])   # bytes of a character cut by the previous slice
        try:
            decoder.decode(view[offset:offset + step], final=offset + step >= len(data))
        except UnicodeDecodeError as e:
            return offset - pending + e.start
    return None


def _undecodable(data: bytes, bad: int, file_name: str, tried: str, skip: int = 0) -> FileRejected:
    """Line and column (1-based, in bytes after a BOM of `skip` bytes) of the first bad byte."""
    line = data.count(b"\n", skip, bad) + 1
    column = bad - max(data.rfind(b"\n", skip, bad) + 1, skip) + 1
    return FileRejected(
        "undecodable",
        f"{file_name}:{line}:{column}: not decodable as {tried} (byte offset {bad})",
    )


def _text_stream(data: bytes, encoding: str) -> io.TextIOWrapper:
    """The file decoded as it is read (newline='' keeps the csv module's own line handling)."""
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")


def iter_csv(feed: Feed, stream, file_name: str, encoding: str,
             chunk_rows: int | None = CHUNK_ROWS) -> Iterator[ParsedFile]:
    """ParsedFile chunks of at most chunk_rows rows (None: one chunk), in line order."""
    reader = csv.reader(stream)
    header: list[str] | None = None
    positions: dict[str, int] = {}
    extra: list[str] = []
    parsed: ParsedFile | None = None
    yielded = False
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
                parsed = _empty_chunk(encoding, positions, extra)
                continue
            if len(record) != len(header):
                parsed.malformed.append(MalformedRow(
                    start, "field_count",
                    f"{file_name}:{start}: {len(record)} fields, the header has {len(header)}"))
            else:
                for name, i in positions.items():
                    parsed.columns[name].append(record[i])
                parsed.lines.append(start)
            if chunk_rows and parsed.rows_read >= chunk_rows:
                yield parsed
                yielded = True
                parsed = _empty_chunk(encoding, positions, extra)
    except csv.Error as e:
        raise FileRejected("malformed_csv", f"{file_name}:{reader.line_num}: {e}") from None
    if parsed is None:
        raise FileRejected("missing_header", f"{file_name}: no header row")
    if parsed.rows_read or not yielded:
        yield parsed


def _empty_chunk(encoding: str, positions: dict[str, int], extra: list[str]) -> ParsedFile:
    return ParsedFile(encoding, {c: [] for c in positions}, {c: i + 1 for c, i in positions.items()},
                      [], [], list(extra))


def iter_jsonl(feed: Feed, stream, file_name: str, encoding: str,
               chunk_rows: int | None = CHUNK_ROWS) -> Iterator[ParsedFile]:
    """ParsedFile chunks of JSON Lines (the reference: every line parsed by Python's json, one by
    one); every chunk carries the contract's columns. The extra (unknown) keys seen so far are on
    each chunk; the last chunk has them all."""
    parser = JsonLineParser(feed, file_name)
    rows: list[list[str]] = []
    lines: list[int] = []
    malformed: list[MalformedRow] = []
    yielded = False
    for number, line in enumerate(physical_lines(stream), start=1):
        if not line.strip():
            continue
        parsed = parser.parse(number, line)
        if isinstance(parsed, MalformedRow):
            malformed.append(parsed)
        else:
            rows.append(parsed)
            lines.append(number)
        if chunk_rows and len(lines) + len(malformed) >= chunk_rows:
            yield parser.chunk(encoding, rows, lines, malformed)
            yielded = True
            rows, lines, malformed = [], [], []
    if lines or malformed or not yielded:
        yield parser.chunk(encoding, rows, lines, malformed)


def _merge(chunks: Iterator[ParsedFile]) -> ParsedFile:
    """One ParsedFile from chunks (the whole file in memory: for tests and small files)."""
    merged: ParsedFile | None = None
    for chunk in chunks:
        if merged is None:
            merged = chunk
            continue
        for name, values in chunk.columns.items():
            merged.columns[name].extend(values)
        merged.lines.extend(chunk.lines)
        merged.malformed.extend(chunk.malformed)
        merged.extra_columns = chunk.extra_columns
    return merged


def read_bytes(feed: Feed, data: bytes, file_name: str) -> ParsedFile:
    """The whole file as one ParsedFile (tests, small files); ingestion uses read_chunks."""
    return _merge(read_chunks(feed, data, file_name, 0))


def read_chunks(feed: Feed, data: bytes, file_name: str,
                chunk_rows: int | None = None, fast: bool = True) -> Iterator[ParsedFile]:
    """The file's rows in ParsedFile chunks, decoded as they are parsed; at least one chunk.
    chunk_rows: None for CHUNK_ROWS, 0 for the whole file in one chunk.
    fast: a CSV file whose rows are plain lines is read by Arrow (csv_arrow.py), and so are the
    plain lines of JSON Lines (jsonl_arrow.py), with the same outcome; False reads every file
    with Python's csv and json modules (the reference)."""
    chunk_rows = CHUNK_ROWS if chunk_rows is None else chunk_rows
    encoding = detect_encoding(data, file_name)
    if file_name.lower().endswith(".jsonl"):
        chunks = arrow_jsonl_chunks(feed, data, file_name, encoding, chunk_rows) if fast else None
        if chunks is not None:
            return chunks
        return iter_jsonl(feed, _text_stream(data, encoding), file_name, encoding, chunk_rows)
    if fast:
        chunks = arrow_chunks(feed, data, file_name, encoding, chunk_rows)
        if chunks is not None:
            return chunks
    return iter_csv(feed, _text_stream(data, encoding), file_name, encoding, chunk_rows)

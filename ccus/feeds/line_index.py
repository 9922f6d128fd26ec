"""Where each line of a delivered CSV file starts and ends and how many commas it holds, found
on the bytes with numpy, without decoding them: the facts that let the Arrow fast path
(csv_arrow.py) read a file and still give every row the line number the csv module would.

The scan also says when that is not safe (None): a NUL byte, a carriage return that is not part
of CRLF, a line longer than the csv module's field limit, or a double quote that is not a plain
field delimiter (`"text"` between commas or line ends, with no comma, line break or quote
inside). Then a row might span lines or split differently, and the reference reader decides.

It works on UTF-8 and CP932 bytes alike: the bytes it looks at (\\n \\r , ") are ASCII, and the
second byte of a CP932 character is 0x40 or above, so it is never one of them.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np

NL, CR, COMMA, QUOTE = 0x0A, 0x0D, 0x2C, 0x22


@dataclass
class LineIndex:
    """Per physical line (the first is the header), offsets into the file's bytes."""
    starts: np.ndarray      # first byte of the line
    ends: np.ndarray        # end of its content: before the \r\n or \n (or the end of the file)
    next_starts: np.ndarray  # first byte after its line break: where the next line starts
    commas: np.ndarray      # commas in the line

    def __len__(self) -> int:
        return len(self.starts)


BLOCK = 1 << 22  # bytes scanned at a time: the masks stay in cache and are reused, not re-allocated


def index_lines(data: bytes, start: int = 0, block: int = BLOCK) -> LineIndex | None:
    """The lines of data[start:] (start: after a BOM), or None when a row might not be one line."""
    if b"\x00" in data:
        return None
    arr = np.frombuffer(data, dtype=np.uint8)
    if len(arr) <= start:
        return None
    masks = np.empty((3, min(block, len(arr) - start)), dtype=bool)
    newlines, comma_counts = [], []
    block_start = start
    while block_start < len(arr):
        # Blocks end just after a line break, so no line (and no plain quoted field) spans two.
        block_end = (len(arr) if len(arr) - block_start <= block
                     else data.rfind(b"\n", block_start, block_start + block) + 1)
        if block_end <= block_start:
            return None  # a line longer than a block: far beyond the csv module's field limit
        found = _scan_block(arr, block_start, block_end, masks)
        if found is None:
            return None
        newlines.append(found[0])
        comma_counts.append(found[1])
        block_start = block_end
    newlines = np.concatenate(newlines) - start
    size = len(arr) - start
    starts = np.concatenate(([0], newlines + 1))
    if starts[-1] == size:  # the file ends with a line break: no line after it
        starts = starts[:-1]
    next_starts = np.append(starts[1:], size)
    has_break = np.zeros(len(starts), dtype=bool)
    has_break[: len(newlines)] = True
    ends = next_starts - has_break
    ends -= has_break & (arr[np.maximum(ends - 1, 0) + start] == CR) & (ends > starts)
    if int((ends - starts).max()) > csv.field_size_limit():
        return None  # the csv module would stop at a field this long: let it say so
    commas = np.concatenate(comma_counts)[: len(starts)]
    return LineIndex(starts + start, ends + start, next_starts + start, commas)


def _scan_block(arr: np.ndarray, first: int, end: int, masks: np.ndarray):
    """Line breaks (positions) and commas per line of arr[first:end], a run of whole lines; None
    when a carriage return is not part of CRLF or a quote is not plain."""
    view = arr[first:end]
    is_nl, is_comma, is_quote = (m[: len(view)] for m in masks)
    np.equal(view, CR, out=is_nl)
    returns = np.flatnonzero(is_nl)
    if len(returns) and (returns[-1] + 1 >= len(view) or (view[returns + 1] != NL).any()):
        return None  # a lone \r ends a row for the csv module and for Arrow: let the reference decide
    np.equal(view, NL, out=is_nl)
    np.equal(view, COMMA, out=is_comma)
    newlines = np.flatnonzero(is_nl)
    commas = np.flatnonzero(is_comma)
    line_starts = np.concatenate(([0], newlines + 1))
    counts = np.diff(np.searchsorted(commas, line_starts), append=len(commas))
    if len(newlines) and newlines[-1] == len(view) - 1:
        counts = counts[:-1]  # no line after the block's last line break
    np.equal(view, QUOTE, out=is_quote)
    if is_quote.any() and not _quotes_are_plain(view, np.flatnonzero(is_nl | is_comma | is_quote)):
        return None
    return newlines + first, counts


def _quotes_are_plain(arr: np.ndarray, special: np.ndarray) -> bool:
    """Every quote opens or closes a whole field, and no comma or line break is quoted: then
    the csv module and Arrow both read `"text"` as text, and commas count the fields.
    arr: whole lines; special: the positions of its line breaks, commas and quotes."""
    kind = arr[special]
    at = np.flatnonzero(kind == QUOTE)  # indices into `special`
    if len(at) % 2:
        return False
    # Nothing special between an opening quote and the next quote, which closes it.
    if (at[1::2] != at[0::2] + 1).any():
        return False
    opens, closes = special[at[0::2]], special[at[1::2]]
    before = arr[np.maximum(opens - 1, 0)]
    after = arr[np.minimum(closes + 1, len(arr) - 1)]
    opens_field = (opens == 0) | (before == COMMA) | (before == NL)
    closes_field = (closes == len(arr) - 1) | (after == COMMA) | (after == NL) | (after == CR)
    return bool(opens_field.all() and closes_field.all())

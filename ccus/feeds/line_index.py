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


def index_lines(data: bytes, start: int = 0) -> LineIndex | None:
    """The lines of data[start:] (start: after a BOM), or None when a row might not be one line."""
    if b"\x00" in data or data.count(b"\r") != data.count(b"\r\n"):
        return None
    arr = np.frombuffer(data, dtype=np.uint8)[start:]
    if len(arr) == 0:
        return None
    # One pass over the bytes finds every line break, comma and quote, in file order.
    special = np.flatnonzero((arr == NL) | (arr == COMMA) | (arr == QUOTE))
    kind = arr[special]
    newlines = special[kind == NL]
    starts = np.concatenate(([0], newlines + 1))
    if starts[-1] == len(arr):  # the file ends with a line break: no line after it
        starts = starts[:-1]
    next_starts = np.append(starts[1:], len(arr))
    has_break = np.zeros(len(starts), dtype=bool)
    has_break[: len(newlines)] = True
    ends = next_starts - has_break
    ends -= has_break & (arr[np.maximum(ends - 1, 0)] == CR) & (ends > starts)
    if int((ends - starts).max()) > csv.field_size_limit():
        return None  # the csv module would stop at a field this long: let it say so
    comma_at = special[kind == COMMA]
    commas = np.diff(np.searchsorted(comma_at, np.append(starts, len(arr))))
    if not _quotes_are_plain(arr, special, kind):
        return None
    return LineIndex(starts + start, ends + start, next_starts + start, commas)


def _quotes_are_plain(arr: np.ndarray, special: np.ndarray, kind: np.ndarray) -> bool:
    """Every quote opens or closes a whole field, and no comma or line break is quoted: then
    the csv module and Arrow both read `"text"` as text, and commas count the fields."""
    at = np.flatnonzero(kind == QUOTE)  # indices into `special`
    if len(at) == 0:
        return True
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

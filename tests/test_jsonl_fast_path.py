"""The Arrow fast path for JSON Lines (ccus/feeds/jsonl_arrow.py) gives exactly the chunks the
reference (reader.iter_jsonl, fast=False) gives on the same bytes — rows, line numbers,
malformed rows and their messages, the count of unknown keys, chunk by chunk — for plain files,
for files with odd lines among plain ones, and for generated ones; it declines whole files whose
lines Python would cut elsewhere; and a file ingested both ways leaves the same bronze,
quarantine and audit rows.
"""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccus.feeds import jsonl_arrow, reader
from ccus.feeds.contract import FEEDS
from tests.test_csv_fast_path import both_ways
from tests.test_readers import VALID

ATT = FEEDS["attendance"]
NAME = "attendance_20240501.jsonl"


def plain(record_id: str, **override) -> str:
    return json.dumps(dict(VALID["attendance"], record_id=record_id, **override), ensure_ascii=False)


def as_lists(chunk):
    columns = {k: (v.to_pylist() if hasattr(v, "to_pylist") else list(v)) for k, v in chunk.columns.items()}
    return {"lines": [int(n) for n in chunk.lines], "columns": columns, "extra": chunk.extra_columns,
            "malformed": [(m.line, m.reason, m.message) for m in chunk.malformed], "encoding": chunk.encoding}


def assert_same_as_reference(data: bytes, chunk_rows: int) -> list:
    fast = [as_lists(c) for c in reader.read_chunks(ATT, data, NAME, chunk_rows, fast=True)]
    ref = [as_lists(c) for c in reader.read_chunks(ATT, data, NAME, chunk_rows, fast=False)]
    assert fast == ref
    return fast


def takes_fast_path(data: bytes) -> bool:
    return jsonl_arrow.arrow_jsonl_chunks(ATT, data, NAME, reader.detect_encoding(data, NAME), 0) is not None


@pytest.fixture
def arrow_answers(monkeypatch):
    """What Arrow made of each chunk's plain lines: True read, False refused (the chunk then
    goes to the reference)."""
    answers = []
    read = jsonl_arrow._arrow_rows

    def recorded(*args):
        table = read(*args)
        answers.append(table is not None)
        return table

    monkeypatch.setattr(jsonl_arrow, "_arrow_rows", recorded)
    return answers


# Odd lines among plain ones: each is parsed by the reference's own parser, in line order.
ODD = [
    "",                                                     # blank: skipped, still counted as a line
    "   ",                                                  # spaces only: blank
    "\u3000",                                               # an ideographic space only: blank for str.strip()
    plain("R-esc", site_id="00000000000101\\u0041"),        # an escape (a backslash): not plain
    '{"record_id": "R-trunc", "site_id": "0000',            # truncated (an odd number of quotes)
    "  " + plain("R-pad") + " ",                            # spaces around the object
    "[1, 2]",                                               # valid JSON, no object
    "null",
    '{"record_id": "R-lone", "site_id": "\\ud800"}',        # an escaped lone surrogate
]


@pytest.mark.parametrize("chunk_rows", [0, 1, 2, 3, 7, 200_000])
def test_plain_lines_with_odd_lines_among_them_give_the_reference_chunks(chunk_rows, arrow_answers):
    # 100 plain lines; odd line k inserted as line 2 + 10 k (at most a tenth of the lines are
    # odd, or the whole file goes to the reference: jsonl_arrow.MOSTLY_PLAIN)
    lines = [plain(f"R{i}") for i in range(100)]
    for k, odd in enumerate(ODD):
        lines.insert(1 + 10 * k, odd)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    assert takes_fast_path(data)
    chunks = assert_same_as_reference(data, chunk_rows)
    # by hand: lines 2, 12, 22 blank; 32 (escaped) and 52 (padded) rows; 42 (truncated), 62 (a
    # list), 72 (null), 82 (a lone surrogate) malformed: 100 + 2 rows
    rows = [n for c in chunks for n in c["lines"]]
    assert len(rows) == 102 and 32 in rows and 52 in rows and not {2, 12, 22} & set(rows)
    assert [m[0] for c in chunks for m in c["malformed"]] == [42, 62, 72, 82]
    assert arrow_answers and all(arrow_answers)   # Arrow read every chunk's plain lines


@pytest.mark.parametrize("case, arrow_reads", [
    pytest.param([plain("R1"), plain("R2").replace('"record_id"', '"Record_ID"')], False, id="a key spelled otherwise"),
    pytest.param([plain("R1"), plain("R2").replace('"record_id"', '"履歴ID"')], False, id="a Japanese key"),
    pytest.param([plain("R1"), plain("R2", memo="x")], False, id="an unknown key"),
    pytest.param([plain("R1"), plain("R2")[:-1] + ', "record_id": "R2b"}'], False, id="a key twice: the later wins"),
    pytest.param([plain("R1"), plain("R2", worker_id=1234)], False, id="a number"),
    pytest.param([plain("R1"), plain("R2", device_id=None, exited_at=False)], False, id="null and a boolean"),
    pytest.param([plain("R1"), plain("R2", device_id={"a": [1, "}"]})], False, id="an object as a value"),
    pytest.param([plain("R1"), plain("R2") + plain("R3")], False, id="two objects on one line"),
    pytest.param([plain("R1"), plain("R2") + " " + plain("R3")], False, id="two objects and a space"),
    pytest.param([plain("R1"), '{"record_id": "R2", "site_id": NaN}'], False, id="NaN"),
    pytest.param([plain("R1"), '{"record_id": "R2",}'], False, id="a trailing comma"),
    pytest.param([plain("R1"), '{"record_id": "R2"}}'], False, id="a brace too many"),
    pytest.param([plain("R1"), '{"record_id": "R2" "site_id": "x"}'], False, id="a comma missing"),
    pytest.param([plain("R1"), "{}"], True, id="an empty object"),
    pytest.param([plain("R1"), plain("R2", device_id=None)], True, id="null"),
    pytest.param([plain("R1"), plain("R2", device_id="現場 }{ :, ")], True, id="braces, colons and commas in a value"),
])
@pytest.mark.parametrize("chunk_rows", [0, 1, 2])
def test_lines_arrow_refuses_go_to_the_reference(case, arrow_reads, chunk_rows, arrow_answers):
    data = ("\n".join([plain("R0"), *case, plain("R9")]) + "\n").encode("utf-8")
    assert takes_fast_path(data)
    arrow_answers.clear()
    assert_same_as_reference(data, chunk_rows)
    assert all(arrow_answers) == arrow_reads


@pytest.mark.parametrize("data", [
    pytest.param((plain("R1") + "\r\n" + plain("R2") + "\r\n").encode(), id="CRLF"),
    pytest.param((plain("R1") + "\n" + plain("R2", device_id="a\u2028b") + "\n").encode(), id="U+2028 in a value"),
    pytest.param((plain("R1") + "\x0c\n" + plain("R2") + "\n").encode(), id="a form feed"),
    pytest.param((plain("R1") + "\n" + plain("R2").replace(", ", ",\t") + "\n").encode(), id="a tab"),
    pytest.param((plain("R1") + "\n" + plain("R2", device_id="工事") + "\n").encode("cp932"), id="CP932"),
])
def test_files_whose_lines_python_would_cut_elsewhere_are_declined_whole(data):
    assert not takes_fast_path(data)
    assert_same_as_reference(data, 1)


@pytest.mark.parametrize("data", [
    pytest.param(b"\xef\xbb\xbf" + (plain("R1") + "\n" + plain("R2") + "\n").encode(), id="BOM"),
    pytest.param((plain("R1") + "\n" + plain("R2")).encode(), id="no last line break"),
    pytest.param((plain("R1") + "\n\n\n").encode(), id="blank lines at the end"),
    pytest.param(b"\n" + plain("R1").encode(), id="a blank first line"),
    pytest.param(b"\xef\xbb\xbf", id="a BOM only"),
    pytest.param(b"\n", id="one line break"),
])
@pytest.mark.parametrize("chunk_rows", [0, 1])
def test_file_edges(data, chunk_rows):
    assert_same_as_reference(data, chunk_rows)


PIECES = st.one_of(
    st.builds(lambda i, name: plain(f"R{i}", device_id=name), st.integers(0, 99),
              st.text(alphabet=st.sampled_from('ab 現場"}{\\:,'), max_size=6).map(lambda s: s.replace('"', ""))),
    st.sampled_from(ODD + ['{"record_id": "X"}', '{"record_id": 5}', '{"a": "b"}', "{", "}", '""', "{}{}"]),
)


@settings(max_examples=60, derandomize=True, database=None, deadline=None)
@given(st.lists(PIECES, max_size=25), st.integers(0, 5), st.booleans())
def test_generated_files_give_the_reference_chunks(pieces, chunk_rows, last_break):
    data = ("\n".join(pieces) + ("\n" if last_break else "")).encode("utf-8")
    if not data:
        return   # an empty file is rejected before either reader (reader.detect_encoding)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsonl_arrow, "MOSTLY_PLAIN", 1.0)   # the fast path for every file, however odd
        assert_same_as_reference(data, chunk_rows)


def test_a_file_ingested_both_ways_leaves_the_same_lakehouse(tmp_path, monkeypatch):
    lines = [plain(f"R{i:03d}", work_date="2024-05-01") for i in range(40)]
    lines[5] = plain("R005", work_date="2024-13-01")          # a bad value: quarantined with its column
    lines[9] = '{"record_id": "R009", "site_id": "0000'          # a truncated line: malformed
    lines[17] = plain("R003")                                    # a key twice in the file: duplicate_in_file
    lines.insert(20, "")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    assert takes_fast_path(data)
    result = both_ways(tmp_path, "attendance", NAME, data, chunk_rows=7, monkeypatch=monkeypatch)
    assert result["audit"]["rows_read"] == 40
    lines_quarantined = sorted(q["_source_line"] if "_source_line" in q else q["line"]
                               for q in result["quarantine"].to_pylist())
    assert 10 in lines_quarantined and 6 in lines_quarantined


@pytest.mark.parametrize("block", [1, 5, 64, 1 << 26])
def test_the_lines_are_the_same_whatever_the_block_size(block, monkeypatch):
    """Line breaks, quotes and backslashes are found a block at a time: a line, a quote or a
    multi-byte character cut by a block boundary changes nothing."""
    lines = [plain(f"R{i}", device_id="現場") for i in range(30)] + [plain("R-esc", device_id="a\\u0041"), "", "{"]
    data = b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8")
    monkeypatch.setattr(jsonl_arrow, "BLOCK", 1 << 26)
    whole = jsonl_arrow._Lines(data, 3)
    monkeypatch.setattr(jsonl_arrow, "BLOCK", block)
    cut = jsonl_arrow._Lines(data, 3)
    assert cut.starts.tolist() == whole.starts.tolist() and cut.ends.tolist() == whole.ends.tolist()
    assert cut.plain.tolist() == whole.plain.tolist() == [True] * 30 + [False, False, False]
    assert_same_as_reference(data, 4)

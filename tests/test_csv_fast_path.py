"""The Arrow fast path for CSV (ccus/feeds/csv_arrow.py) ends in exactly what the Python csv
module path (the reference, fast=False) gives on the same file: the same bronze rows, the
same quarantine rows (file, line, column, position, reason, message), the same audit row; and
it declines (falls back to the reference) on the files where a row might not be one line.

Each case writes a real file, ingests it both ways into two lakehouses with real DuckDB, and
compares everything; the line and column numbers are also checked against hand-written values.
"""
import pyarrow.parquet as pq
import pytest

from ccus.feeds import csv_arrow, line_index, reader
from ccus.feeds.contract import FEEDS
from ccus.feeds.inbox import Inbox
from ccus.feeds.ingest import ingest
from ccus.lakehouse import Lakehouse
from tests.test_readers import VALID, _rows

KEY = b"k"
ATT = FEEDS["attendance"]
ROS = FEEDS["rosters"]


def touch(record_id, **override):
    return dict(VALID["attendance"], record_id=record_id, **override)


def csv_bytes(header, rows, newline="\n", encoding="utf-8", bom=False, end=True):
    """CSV text as delivered: rows are lists of already formatted fields (quotes included)."""
    text = newline.join(",".join(r) for r in [header, *rows]) + (newline if end else "")
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def attendance_file(rows, japanese=False):
    header, values = _rows("attendance", rows, japanese=japanese)
    return header, values


def both_ways(tmp_path, feed, name, data, chunk_rows=None, monkeypatch=None):
    """Ingest one file with the fast path and with the reference; everything they wrote."""
    if chunk_rows is not None:
        monkeypatch.setattr(reader, "CHUNK_ROWS", chunk_rows)
    out = {}
    for way, fast in (("fast", True), ("reference", False)):
        inbox_dir = tmp_path / way / "inbox"
        (inbox_dir / feed).mkdir(parents=True)
        (inbox_dir / feed / name).write_bytes(data)
        inbox, lh = Inbox(inbox_dir), Lakehouse(tmp_path / way / "lh")
        (audit,) = ingest(lh, inbox, inbox.files(), KEY, fast=fast)
        audit.pop("ingested_at")
        audit.pop("file_modified_ns")  # each way writes its own copy of the file, a moment apart
        bronze_files = [p for p in lh.glob(f"bronze/{feed}/*/*.parquet") if "/_schema/" not in p]
        quarantine_files = lh.glob(f"quarantine/{feed}/*/*.parquet")
        out[way] = {
            "audit": audit,
            "bronze": pq.read_table(lh.local_path(bronze_files[0])) if bronze_files else None,
            "quarantine": pq.read_table(lh.local_path(quarantine_files[0])) if quarantine_files else None,
        }
    fast, ref = out["fast"], out["reference"]
    assert fast["audit"] == ref["audit"]
    for part in ("bronze", "quarantine"):
        assert (fast[part] is None) == (ref[part] is None), part
        if ref[part] is not None:
            assert fast[part].schema == ref[part].schema, part
            assert fast[part].to_pylist() == ref[part].to_pylist(), part
    return fast


def takes_fast_path(feed, name, data) -> bool:
    encoding = reader.detect_encoding(data, name)
    return csv_arrow.arrow_chunks(feed, data, name, encoding, 0) is not None


def lines(result):
    return result["bronze"].column("_source_line").to_pylist()


def quarantine(result):
    if result["quarantine"] is None:
        return []
    return [(q["line"], q["column_name"], q["column_position"], q["reason"])
            for q in result["quarantine"].to_pylist()]


def test_blank_lines_crlf_and_a_missing_last_line_break(tmp_path):
    header, rows = attendance_file([touch("R1"), touch("R2"), touch("R3")])
    # line 1 header, 2 R1, 3 blank, 4 R2, 5 blank, 6 spaces only (blank to the csv module), 7 R3
    data = csv_bytes(header, [rows[0], [], rows[1], [], ["   "], rows[2]], newline="\r\n", end=False)
    name = "attendance_20240501.csv"
    assert takes_fast_path(ATT, name, data)
    result = both_ways(tmp_path, "attendance", name, data)
    assert lines(result) == [2, 4, 7]
    assert result["audit"]["rows_read"] == 3 and result["audit"]["rows_quarantined"] == 0


def test_field_count_mismatch_and_bad_values_get_their_line_and_column(tmp_path):
    header, rows = attendance_file([touch("R1"), touch("R2"), touch("R3", role="boss"), touch("R4"),
                                    touch("R5", site_id="123")])
    too_few, too_many = rows[1][:4], rows[3] + ["extra"]
    data = csv_bytes(header, [rows[0], too_few, rows[2], too_many, rows[4]])
    name = "attendance_20240501.csv"
    assert takes_fast_path(ATT, name, data)
    result = both_ways(tmp_path, "attendance", name, data)
    assert lines(result) == [2]
    role, site = header.index("role") + 1, header.index("site_id") + 1
    assert quarantine(result) == [(3, None, None, "field_count"), (4, "role", role, "bad_enum"),
                                  (5, None, None, "field_count"), (6, "site_id", site, "bad_id")]
    messages = result["quarantine"].column("message").to_pylist()
    assert messages[0] == f"{name}:3: 4 fields, the header has {len(header)}"
    assert messages[2] == f"{name}:5: {len(header) + 1} fields, the header has {len(header)}"


def test_cp932_japanese_headers_and_japanese_labels(tmp_path):
    header, rows = attendance_file([touch("R1", role="職長", input_method="顔認証"), touch("R2", role="係長")],
                                   japanese=True)
    data = csv_bytes(header, rows, newline="\r\n", encoding="cp932")
    name = "attendance_20240501.csv"
    assert takes_fast_path(ATT, name, data)
    result = both_ways(tmp_path, "attendance", name, data)
    assert result["audit"]["encoding"] == "cp932"
    assert result["bronze"].column("role").to_pylist() == ["foreman"]
    assert quarantine(result) == [(3, "role", header.index("立場") + 1, "bad_enum")]
    assert "係長" not in result["quarantine"].column("message").to_pylist()[0]  # never the value


def test_bom_and_an_extra_column(tmp_path):
    header, rows = attendance_file([touch("R1"), touch("R2")], japanese=True)
    data = csv_bytes(["メモ"] + header, [["x"] + r for r in rows], bom=True)
    name = "attendance_20240501.csv"
    assert takes_fast_path(ATT, name, data)
    result = both_ways(tmp_path, "attendance", name, data)
    assert result["audit"]["encoding"] == "utf-8-sig"
    assert result["audit"]["warnings"] == "extra columns ignored: column 1"  # by position, never its text
    assert lines(result) == [2, 3]


def test_fields_quoted_whole_take_the_fast_path(tmp_path):
    header, rows = attendance_file([touch("R1"), touch("R2", exited_at="")])
    quoted = [[f'"{v}"' if v else "" for v in r] for r in rows]
    data = csv_bytes([f'"{h}"' for h in header], quoted, newline="\r\n")
    name = "attendance_20240501.csv"
    assert takes_fast_path(ATT, name, data)
    result = both_ways(tmp_path, "attendance", name, data)
    assert result["bronze"].column("record_id").to_pylist() == ["R1", "R2"]
    assert result["bronze"].column("exited_at").to_pylist()[1] is None


@pytest.mark.parametrize("case", ["quoted comma", "quoted newline", "escaped quote", "quote inside a field",
                                  "bare carriage return", "unclosed quote"])
def test_unusual_files_fall_back_to_the_reference_with_the_same_outcome(tmp_path, case):
    header, rows = attendance_file([touch("R1"), touch("R2"), touch("R3")])
    device = header.index("device_id")
    newline = "\n"
    if case == "quoted comma":
        rows[1][device] = '"D1,D2"'
    elif case == "quoted newline":
        rows[1][device] = '"D1\nD2"'         # R2 spans lines 3-4, R3 is on line 5
    elif case == "escaped quote":
        rows[1][device] = '"D""1"'
    elif case == "quote inside a field":
        rows[1][device] = 'D"1'
    elif case == "bare carriage return":
        newline = "\r"
    elif case == "unclosed quote":
        rows[2][device] = '"D1'
    data = csv_bytes(header, rows, newline=newline)
    name = "attendance_20240501.csv"
    assert not takes_fast_path(ATT, name, data)
    result = both_ways(tmp_path, "attendance", name, data)
    if case == "quoted newline":
        assert lines(result) == [2, 3, 5]
        assert result["bronze"].column("device_id").to_pylist()[1] == "D1\nD2"
    elif case == "quoted comma":
        assert result["bronze"].column("device_id").to_pylist()[1] == "D1,D2"


def test_duplicate_keys_across_chunks_and_a_bad_row_far_down(tmp_path, monkeypatch):
    """Chunks of 1000 rows; R17 repeats in a later chunk (line 1503) and inside the last chunk;
    a bad date sits on line 2601, a too-short row on line 2401; multi-column key of rosters too."""
    rows = [touch(f"R{i}") for i in range(2600)]
    rows[1501] = touch("R17")               # line 1503: R17 was accepted on line 19, two chunks back
    rows[2599] = touch("R2599", work_date="2024-02-30")  # line 2601
    rows[2500] = touch("R2400")             # line 2502: a duplicate of line 2402 in the same chunk
    header, values = attendance_file(rows)
    values[2399] = values[2399][:3]         # line 2401
    data = csv_bytes(header, values)
    name = "attendance_20240501.csv"
    assert takes_fast_path(ATT, name, data)
    result = both_ways(tmp_path, "attendance", name, data, chunk_rows=1000, monkeypatch=monkeypatch)
    key = header.index("record_id") + 1
    assert quarantine(result) == [(1503, "record_id", key, "duplicate_in_file"), (2401, None, None, "field_count"),
                                  (2502, "record_id", key, "duplicate_in_file"),
                                  (2601, "work_date", header.index("work_date") + 1, "bad_date")]
    assert result["audit"]["rows_read"] == 2600 and result["audit"]["rows_accepted"] == 2596

    people = [dict(VALID["rosters"], person_ref=f"{i:014d}") for i in range(1500)]
    people[1200] = dict(VALID["rosters"], person_ref=f"{5:014d}")  # line 1202 repeats line 7's key
    header, values = _rows("rosters", people)
    data = csv_bytes(header, values)
    name = "rosters_20240501.csv"
    assert takes_fast_path(ROS, name, data)
    result = both_ways(tmp_path / "rosters", "rosters", name, data, chunk_rows=1000, monkeypatch=monkeypatch)
    assert quarantine(result) == [(1202, "site_id, work_date, person_ref", None, "duplicate_in_file")]


def test_a_header_only_file_and_a_bad_header(tmp_path):
    header, _ = attendance_file([])
    data = csv_bytes(header, [])
    assert takes_fast_path(ATT, "attendance_20240501.csv", data)
    result = both_ways(tmp_path / "empty", "attendance", "attendance_20240501.csv", data)
    assert result["audit"]["rows_read"] == 0 and result["audit"]["status"] == "ingested"

    data = csv_bytes(["record_id", "site_id"], [["R1", "00000000000101"]])
    result = both_ways(tmp_path / "missing", "attendance", "attendance_20240501.csv", data)
    assert (result["audit"]["status"], result["audit"]["reason"]) == ("quarantined", "missing_columns")


def test_the_chunks_themselves_equal_the_reference_chunks():
    """read_chunks gives the same chunks either way: values, line numbers, malformed rows."""
    rows = [touch(f"R{i}") for i in range(50)]
    header, values = attendance_file(rows)
    values[10] = values[10][:2]
    values.insert(20, [])
    data = csv_bytes(header, values, newline="\r\n")
    name = "attendance_20240501.csv"
    fast = list(reader.read_chunks(ATT, data, name, 7))
    ref = list(reader.read_chunks(ATT, data, name, 7, fast=False))
    assert len(fast) == len(ref) == 8
    for a, b in zip(fast, ref):
        assert [int(x) for x in a.lines] == b.lines
        assert a.malformed == b.malformed
        assert a.column_positions == b.column_positions
        assert {k: v.to_pylist() for k, v in a.columns.items()} == b.columns


def test_the_line_index_is_the_same_whatever_the_block_size():
    """The bytes are scanned in blocks cut after a line break: every block size finds the same
    lines and commas, and declines the same files (a lone carriage return in a late block)."""
    header, rows = attendance_file([touch(f"R{i}", device_id=f'"D{i}"' if i % 3 else "") for i in range(40)])
    rows[7] = rows[7][:3]
    data = csv_bytes(header, rows[:20] + [[], ["  "]] + rows[20:], newline="\r\n", bom=True)
    whole = line_index.index_lines(data, 3, block=1 << 22)
    assert len(whole) == 43 and whole.commas[0] == len(header) - 1
    for block in (200, 333, 1000, 4096):
        index = line_index.index_lines(data, 3, block=block)
        for field in ("starts", "ends", "next_starts", "commas"):
            assert getattr(index, field).tolist() == getattr(whole, field).tolist(), (block, field)
    late_return = data[:-40] + b"\r" + data[-39:]
    assert line_index.index_lines(late_return, 3, block=200) is None
    assert line_index.index_lines(data, 3, block=100) is None  # a line longer than a block


@pytest.mark.parametrize("case", ["clean", "space before a comma", "space after a comma", "space at line start",
                                  "space at line end", "ideographic space inside", "ideographic space at the end",
                                  "no-break space", "space inside quotes"])
def test_values_with_spaces_at_their_ends_are_trimmed_either_way(tmp_path, case):
    """The fast path tells validate() when no value has a space at either end, so trimming can be
    skipped; any space character DuckDB's trim strips, at any field edge, keeps the trimming."""
    header, rows = attendance_file([touch("R1", role="職長"), touch("R2"), touch("R3")], japanese=True)
    role, device = header.index("立場"), header.index("端末ID")
    edit = {"space before a comma": (0, role, "職長 "), "space after a comma": (1, device, " D1"),
            "space at line start": (2, 0, " R3"), "space at line end": (1, len(header) - 1, rows[1][-1] + " "),
            "ideographic space inside": (0, device, "D\u30001"), "ideographic space at the end": (0, role, "職長\u3000"),
            "no-break space": (2, device, "\u00a0D1"), "space inside quotes": (1, device, '" D1"')}.get(case)
    if edit:
        row, column, value = edit
        rows[row][column] = value
    data = csv_bytes(header, rows, newline="\r\n")
    name = "attendance_20240501.csv"
    assert takes_fast_path(ATT, name, data)
    [chunk] = reader.read_chunks(ATT, data, name)
    assert chunk.trimmed == (case in ("clean", "ideographic space inside"))
    result = both_ways(tmp_path, "attendance", name, data)
    assert result["audit"]["rows_accepted"] == 3


@pytest.mark.parametrize("raw,trimmed", [
    (b"a,b\n", True), (b"a b,c\n", True), (" a,b\n".encode(), False), (b"a ,b\n", False), (b"a, b\n", False),
    (b"a,b \r\n", False), (b"a,b\nc, d\n", False), (b'"a ",b\n', False), (b'" a",b\n', False),
    ("a,b\u3000c\n".encode(), True), ("a,\u3000b\n".encode(), False), ("\u3000a\n".encode(), False),
    ("a\u00a0,b\n".encode(), False), ("a,b\u2009\n".encode(), False), ("a,\u205fb\n".encode(), False),
    ("a,\u1680\n".encode(), False), ("a,\u202f\n".encode(), False),
    ("a,b\u200b\n".encode(), True), ("a,\u2010\n".encode(), True),  # not spaces to DuckDB's trim
])
def test_spaces_at_value_edges_are_found_on_the_bytes(raw, trimmed):
    import duckdb

    values = [v.strip('"') for line in raw.decode().splitlines() for v in line.split(",")]
    assert all(duckdb.sql("SELECT trim(?) = ?", params=[v, v]).fetchall()[0][0] for v in values) == trimmed
    assert csv_arrow._no_space_at_field_ends(raw) == trimmed

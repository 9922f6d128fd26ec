"""Ingestion reads a file in chunks of rows (ccus/feeds/reader.CHUNK_ROWS) and ends with exactly
what a single pass over the whole file gives: the same bronze rows, the same quarantine (line,
column, reason), rows_read = accepted + quarantined, and a duplicate key across two chunks
caught like one inside a chunk. Real files, real DuckDB validation, chunks of 3 rows.
"""
import json

import pytest

from ccus.feeds import reader
from ccus.feeds.inbox import Inbox
from ccus.feeds.ingest import ingest
from ccus.lakehouse import Lakehouse
from tests.inbox_writer import write_csv, write_jsonl

KEY = b"k"
HEADER = ["record_id", "site_id", "worker_id", "employer_business_id", "work_date", "entered_at",
          "exited_at", "role", "occupation_code", "input_method", "device_id", "received_at"]


def touch(record_id, worker="01234567890123", entered="2024-05-01T08:00:00", role="general"):
    return [record_id, "00000000000101", worker, "00000000000011", "2024-05-01", entered,
            "2024-05-01T17:00:00", role, "10-01", "card_reader", "D1", "2024-05-01T18:00:00"]


# CSV lines (the header is line 1; one less in JSON Lines): 2 R1, 3 R2, 4 R3 | 5 R4 bad role, 6 R1 again (a duplicate of
# line 2, in the next chunk), 7 too few fields | 8 R5, 9 R5 again (duplicate inside a chunk),
# 10 R6 | 11 R7 bad timestamp
ROWS = [touch("R1"), touch("R2"), touch("R3"), touch("R4", role="boss"), touch("R1"),
        touch("R8")[:5], touch("R5"), touch("R5"), touch("R6"), touch("R7", entered="yesterday")]
EXPECTED_QUARANTINE = [(5, "role", "bad_enum"), (6, "record_id", "duplicate_in_file"),
                       (7, None, "field_count"), (9, "record_id", "duplicate_in_file"),
                       (11, "entered_at", "bad_timestamp")]


def _write_inbox(root, jsonl: bool):
    if jsonl:
        rows = [dict(zip(HEADER, r)) for r in ROWS]
        rows[5] = "not json"   # line 7: malformed instead of too few fields
        path = root / "attendance" / "attendance_20240501.jsonl"
        path.parent.mkdir(parents=True)
        path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    else:
        write_csv(root, "attendance", "attendance_20240501.csv", HEADER, ROWS)


def _run(tmp_path, name, jsonl):
    _write_inbox(tmp_path / f"inbox_{name}", jsonl)
    inbox = Inbox(tmp_path / f"inbox_{name}")
    lh = Lakehouse(tmp_path / f"lh_{name}")
    (audit,) = ingest(lh, inbox, inbox.files(), KEY)
    bronze_files = [p for p in lh.glob("bronze/attendance/*/*.parquet") if "/_schema/" not in p]
    quarantine_files = lh.glob("quarantine/attendance/*/*.parquet")
    bronze_rows = lh.read_parquet(bronze_files).drop_columns(["_file_sha256"]).to_pylist()
    quarantine = lh.read_parquet(quarantine_files).to_pylist()
    return audit, bronze_rows, quarantine


@pytest.mark.parametrize("jsonl", [False, True], ids=["csv", "jsonl"])
def test_chunks_of_three_rows_equal_one_pass(tmp_path, monkeypatch, jsonl):
    one_audit, one_bronze, one_quarantine = _run(tmp_path, "one", jsonl)
    monkeypatch.setattr(reader, "CHUNK_ROWS", 3)
    audit, bronze_rows, quarantine = _run(tmp_path, "chunked", jsonl)

    assert [r["record_id"] for r in bronze_rows] == ["R1", "R2", "R3", "R5", "R6"]
    shift = 1 if jsonl else 0   # JSON Lines have no header line
    assert [r["_source_line"] for r in bronze_rows] == [line - shift for line in (2, 3, 4, 8, 10)]
    expected = [(line - shift, None, "malformed_json") if jsonl and line == 7 else (line - shift, column, reason)
                for line, column, reason in EXPECTED_QUARANTINE]
    assert [(q["line"], q["column_name"], q["reason"]) for q in quarantine] == expected
    assert (audit["rows_read"], audit["rows_accepted"], audit["rows_quarantined"]) == (10, 5, 5)

    assert bronze_rows == one_bronze
    assert quarantine == one_quarantine
    for field in ("rows_read", "rows_accepted", "rows_quarantined", "quarantine_reasons", "encoding"):
        assert audit[field] == one_audit[field], field


def test_first_bad_byte_found_across_slices():
    """Encoding detection decodes slice by slice: a character cut by a slice boundary is not an
    error, and the first bad byte is found at its place in the file, whatever the slice size."""
    data = ("行\n" * 3).encode() + "あい".encode() + b"\xff" + b"x"
    for step in (1, 2, 5, 7, 1 << 24):
        assert reader._first_bad_byte(data, "utf-8", step=step) == data.index(b"\xff")
        assert reader._first_bad_byte(data[:-2], "utf-8", step=step) is None
    with pytest.raises(reader.FileRejected, match=r"x.csv:4:7: not decodable as UTF-8 nor CP932"):
        reader.detect_encoding(data + b"\x81", "x.csv")


def test_quality_reads_bounded_tables(tmp_path):
    """The quality checks read bronze in tables of at most max_rows rows (small files together,
    large ones cut), the same rows in the same order as reading every file at once."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    lh = Lakehouse(tmp_path / "lh")
    sizes = {"a.parquet": 2, "b.parquet": 5, "c.parquet": 1}
    start = 0
    for name, n in sizes.items():
        lh.write_parquet(f"bronze/x/{name}", pa.table({"i": list(range(start, start + n))}))
        start += n
    paths = [f"bronze/x/{name}" for name in sizes]
    pieces = list(lh.iter_parquet(paths, 3))
    # a (2) | b's first 3 rows | b's last 2 + c (1)
    assert [(first, t.num_rows) for first, t in pieces] == [
        ("bronze/x/a.parquet", 2), ("bronze/x/b.parquet", 3), ("bronze/x/b.parquet", 3)]
    assert [i for _, t in pieces for i in t.column("i").to_pylist()] == list(range(8))

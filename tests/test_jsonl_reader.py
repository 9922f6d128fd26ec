"""JSON Lines as the reader turns them into strings (reader.iter_jsonl): keys in English or
Japanese in any case, every JSON type as text, missing keys empty, the later of two keys for one
column winning, unknown keys noted, blank lines skipped, bad lines malformed with their line and
column; the same in chunks of any size."""
import json

from ccus.feeds import reader
from ccus.feeds.contract import FEEDS

ATT = FEEDS["attendance"]
LINES = [
    json.dumps({"record_id": "R1", "site_id": "00000000000101", "worker_id": 1234, "device_id": None, "memo": "x"}),
    "",
    "   ",
    json.dumps({"履歴ID": "R2", "立場": "職長", "ROLE": "general", "n": 1.5}, ensure_ascii=False),
    json.dumps({"record_id": "R3", "device_id": {"a": [1, 2]}, "exited_at": False, "site_id": 3.0}),
    '{"record_id": "R4", "Record_ID ": "R4b"}',
    "[1, 2]",
    "{broken",
    json.dumps({"record_id": "R5", "memo": "y"}),
    "null",                      # valid JSON, but no object: malformed, not silently skipped
]


def _chunks(chunk_rows):
    data = ("\r\n".join(LINES) + "\n").encode("utf-8")
    return list(reader.read_chunks(ATT, data, "attendance_20240501.jsonl", chunk_rows))


def test_values_keys_and_bad_lines():
    [parsed] = _chunks(0)
    assert parsed.lines == [1, 4, 5, 6, 9]
    assert parsed.columns["record_id"] == ["R1", "R2", "R3", "R4b", "R5"]
    assert parsed.columns["worker_id"] == ["1234", "", "", "", ""]
    assert parsed.columns["device_id"] == ["", "", '{"a": [1, 2]}', "", ""]
    assert parsed.columns["exited_at"] == ["", "", "false", "", ""]
    assert parsed.columns["site_id"] == ["00000000000101", "", "3.0", "", ""]
    assert parsed.columns["role"] == ["", "general", "", "", ""]   # 立場 then ROLE: the later key wins
    assert parsed.extra_columns == ["2 unknown key(s)"]  # counted, never named
    assert [(m.line, m.reason, m.message) for m in parsed.malformed] == [
        (7, "malformed_json", "attendance_20240501.jsonl:7:1: a line must be one JSON object"),
        (8, "malformed_json", "attendance_20240501.jsonl:8:2: Expecting property name enclosed in double quotes"),
        (10, "malformed_json", "attendance_20240501.jsonl:10:1: a line must be one JSON object"),
    ]


def test_chunks_of_two_rows_hold_the_same_rows():
    [whole] = _chunks(0)
    chunks = _chunks(2)
    assert [c.rows_read for c in chunks] == [2, 2, 2, 2]
    assert sum((c.lines for c in chunks), []) == whole.lines
    assert [m.line for c in chunks for m in c.malformed] == [7, 8, 10]
    for name, values in whole.columns.items():
        assert sum((c.columns[name] for c in chunks), []) == values
    assert chunks[-1].extra_columns == ["2 unknown key(s)"]

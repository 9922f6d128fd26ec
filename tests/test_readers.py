"""The feed contract at the door: encodings, headers, dates, timestamps, ids, every quarantine
reason, row conservation, duplicate delivery and idempotent re-runs (real files, real DuckDB)."""
import datetime as dt
import json

import pyarrow.parquet as pq
import pytest

from ccus.feeds.contract import FEEDS
from ccus.feeds.inbox import Inbox
from ccus.feeds.ingest import ingest
from ccus.lakehouse import Lakehouse
from tests.inbox_writer import write_csv, write_jsonl

KEY = b"k"

# One valid row per feed, by English column name.
VALID = {
    "businesses": {"business_id": "00000000000011", "business_name": "株式会社テスト", "prefecture_code": "13",
                   "is_sole_proprietor": "false", "capital_yen": "10000000", "employee_count": "12",
                   "registered_on": "2020-04-01", "association_codes": "ZENTEKKIN;NIKKENREN",
                   "health_insurance": "enrolled", "pension_insurance": "enrolled", "employment_insurance": "exempt",
                   "kentaikyo_contractor_no": "K1", "updated_at": "2024-05-01T09:00:00"},
    "workers": {"worker_id": "01234567890123", "worker_name": "山田 太郎", "phone": "090-1111-2222",
                "address": "東京都千代田区", "birth_date": "1980-05-05", "employer_business_id": "00000000000011",
                "occupation_code": "10-01", "registration_type": "detailed", "registered_on": "2021-01-01",
                "level": "2", "level_judged_on": "2022-01-01", "qualifications": "TAMAKAKE",
                "experience_start_on": "2010-04-01", "health_insurance": "enrolled",
                "pension_insurance": "enrolled", "employment_insurance": "enrolled",
                "insurance_verified_on": "2021-01-01", "kentaikyo_member_no": "M123",
                "updated_at": "2024-05-01T09:00:00"},
    "sites": {"site_id": "00000000000101", "site_name": "テスト現場", "prefecture_code": "13",
              "orderer_type": "mlit", "is_public_works": "true", "model_project_type": "mandatory",
              "contract_amount_yen": "500000000", "start_on": "2024-01-01", "end_on": "2024-12-31",
              "prime_business_id": "00000000000011", "kentaikyo_method": "electronic",
              "card_reader_installed": "true", "two_days_off_type": "monthly", "registered_on": "2023-12-01",
              "updated_at": "2024-01-01T00:00:00"},
    "site_contracts": {"site_id": "00000000000101", "business_ref": "00000000000011", "is_ccus_registered": "true",
                       "upper_business_ref": "", "tier": "0", "joined_on": "2024-01-01", "left_on": "",
                       "stamp_exception": "false"},
    "rosters": {"site_id": "00000000000101", "work_date": "2024-05-01", "business_ref": "00000000000011",
                "person_ref": "01234567890123", "is_ccus_registered": "true", "role": "foreman",
                "occupation_code": "10-01", "insurance_check": "ccus", "health_insurance": "enrolled",
                "pension_insurance": "enrolled", "employment_insurance": "enrolled", "admitted": "true"},
    "attendance": {"record_id": "R1", "site_id": "00000000000101", "worker_id": "01234567890123",
                   "employer_business_id": "00000000000011", "work_date": "2024-05-01",
                   "entered_at": "2024-05-01T08:00:00", "exited_at": "2024-05-01T17:00:00", "role": "general",
                   "occupation_code": "10-01", "input_method": "card_reader", "device_id": "D1",
                   "received_at": "2024-05-01T18:00:00"},
    "wages": {"year_month": "2024-05", "business_id": "00000000000011", "worker_id": "01234567890123",
              "days_worked": "20", "base_pay_yen": "400000", "allowances_yen": "20000", "overtime_pay_yen": "0",
              "bonus_yen": "0"},
    "kentaikyo": {"year_month": "2024-05", "site_id": "00000000000101", "business_id": "00000000000011",
                  "worker_id": "01234567890123", "method": "electronic", "days_reported": "20",
                  "amount_yen": "6400"},
}
FILE_NAME = {"businesses": "businesses_20240501.csv", "workers": "workers_20240501.csv",
             "sites": "sites_20240501.csv", "site_contracts": "site_contracts_20240501.csv",
             "rosters": "rosters_20240501.csv", "attendance": "attendance_20240501.csv",
             "wages": "wages_202405.csv", "kentaikyo": "kentaikyo_202405.csv"}


def _rows(feed, rows, japanese=False):
    cols = [c for c in FEEDS[feed].columns if c.name in VALID[feed]]
    header = [c.ja if japanese else c.name for c in cols]
    return header, [[r[c.name] for c in cols] for r in rows]


def _ingest(tmp_path):
    lh = Lakehouse(tmp_path / "lh")
    inbox = Inbox(tmp_path / "inbox")
    return lh, ingest(lh, inbox, inbox.files(), KEY)


def _bronze(lh, feed):
    files = [p for p in lh.glob(f"bronze/{feed}/*/*.parquet") if "/_schema/" not in p]
    return lh.read_parquet(files).to_pylist()


def _quarantine(lh, feed):
    files = lh.glob(f"quarantine/{feed}/*/*.parquet")
    return lh.read_parquet(files).to_pylist() if files else []


@pytest.mark.parametrize("feed", sorted(VALID))
def test_every_feed_accepts_its_valid_row_with_english_and_japanese_headers(tmp_path, feed):
    header, rows = _rows(feed, [VALID[feed]])
    write_csv(tmp_path / "inbox", feed, FILE_NAME[feed], header, rows)
    lh, audit = _ingest(tmp_path)
    assert [(a["status"], a["rows_read"], a["rows_accepted"]) for a in audit] == [("ingested", 1, 1)]
    english = _bronze(lh, feed)

    header, rows = _rows(feed, [VALID[feed]], japanese=True)
    tmp2 = tmp_path / "ja"
    write_csv(tmp2 / "inbox", feed, FILE_NAME[feed], header, rows, encoding="cp932", newline="\r\n")
    lh2, audit2 = _ingest(tmp2)
    assert audit2[0]["encoding"] == "cp932" and audit2[0]["rows_accepted"] == 1
    japanese = _bronze(lh2, feed)
    strip = lambda rows: [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]  # noqa: E731
    assert strip(english) == strip(japanese)


def test_encodings_bom_crlf_and_leading_zero_ids(tmp_path):
    header, rows = _rows("attendance", [VALID["attendance"]], japanese=True)  # non-ASCII, so encodings differ
    for i, (encoding, bom, newline) in enumerate([("utf-8", False, "\n"), ("utf-8", True, "\r\n"),
                                                  ("cp932", False, "\r\n")]):
        row = dict(VALID["attendance"], record_id=f"R{i}", site_id="00000000000101")
        write_csv(tmp_path / "inbox", "attendance", f"attendance_2024050{i + 1}.csv", header,
                  _rows("attendance", [row])[1], encoding=encoding, bom=bom, newline=newline)
    lh, audit = _ingest(tmp_path)
    assert [a["encoding"] for a in audit] == ["utf-8", "utf-8-sig", "cp932"]
    assert all(a["rows_accepted"] == 1 for a in audit)
    bronze = _bronze(lh, "attendance")
    assert {r["site_id"] for r in bronze} == {"00000000000101"}  # 14 characters, zeros kept
    assert {r["employer_business_id"] for r in bronze} == {"00000000000011"}


def test_dates_timestamps_booleans_and_japanese_enum_labels(tmp_path):
    base = VALID["attendance"]
    rows = [
        dict(base, record_id="A", work_date="2024/05/01", entered_at="2024-05-01T08:00:00",  # no offset: Japan
             exited_at="2024-05-01T17:30:00+09:00", received_at="2024-05-01T09:00:00Z", input_method="顔認証",
             role="職長"),
        dict(base, record_id="B", entered_at="2024/05/01 08:15", exited_at="2024-05-01T03:00:00-05:00",
             received_at="2024-05-01T18:00:00.250+0900"),
    ]
    header, values = _rows("attendance", rows)
    write_csv(tmp_path / "inbox", "attendance", "attendance_20240501.csv", header, values)
    lh, _ = _ingest(tmp_path)
    a, b = sorted(_bronze(lh, "attendance"), key=lambda r: r["record_id"])
    assert a["work_date"] == dt.date(2024, 5, 1)
    assert a["entered_at"] == dt.datetime(2024, 5, 1, 8, 0)
    assert a["exited_at"] == dt.datetime(2024, 5, 1, 17, 30)
    assert a["received_at"] == dt.datetime(2024, 5, 1, 18, 0)      # 09:00 UTC = 18:00 Japan time
    assert (a["input_method"], a["role"]) == ("face_recognition", "foreman")
    assert b["entered_at"] == dt.datetime(2024, 5, 1, 8, 15)
    assert b["exited_at"] == dt.datetime(2024, 5, 1, 17, 0)        # 03:00 at -05:00 = 08:00 UTC = 17:00 JST
    assert b["received_at"] == dt.datetime(2024, 5, 1, 18, 0)

    biz = [dict(VALID["businesses"], business_id=f"0000000000001{i}", is_sole_proprietor=word)
           for i, word in enumerate(["true", "1", "はい", "false", "0", "いいえ"])]
    header, values = _rows("businesses", biz)
    write_csv(tmp_path / "inbox", "businesses", "businesses_20240501.csv", header, values)
    lh, _ = _ingest(tmp_path)
    flags = {r["business_id"]: r["is_sole_proprietor"] for r in _bronze(lh, "businesses")}
    assert [flags[f"0000000000001{i}"] for i in range(6)] == [True, True, True, False, False, False]


# (feed, column overrides, expected reason, column at fault)
ROW_REASONS = [
    ("attendance", {"site_id": "0000000000101"}, "bad_id", "site_id"),
    ("attendance", {"worker_id": "1234567890123A"}, "bad_id", "worker_id"),
    ("attendance", {"work_date": "2024-02-30"}, "bad_date", "work_date"),
    ("attendance", {"work_date": "2024.05.01"}, "bad_date", "work_date"),
    ("attendance", {"entered_at": "8時"}, "bad_timestamp", "entered_at"),
    ("attendance", {"input_method": "fax"}, "bad_enum", "input_method"),
    ("attendance", {"occupation_code": "99-99"}, "unknown_occupation", "occupation_code"),
    ("attendance", {"record_id": ""}, "missing_value", "record_id"),
    ("attendance", {"exited_at": "2024-05-01T07:00:00"}, "exit_before_entry", "exited_at"),
    ("businesses", {"is_sole_proprietor": "maybe"}, "bad_bool", "is_sole_proprietor"),
    ("businesses", {"employee_count": "-3"}, "bad_int", "employee_count"),
    ("businesses", {"prefecture_code": "48"}, "bad_prefecture", "prefecture_code"),
    ("businesses", {"association_codes": "OK;BAD CODE"}, "bad_code", "association_codes"),
    ("workers", {"level": "5"}, "bad_level", "level"),
    ("workers", {"qualifications": "TAMAKAKE;NOPE"}, "unknown_qualification", "qualifications"),
    ("workers", {"registration_type": "simple", "level": "3"}, "level_requires_detailed", "level"),
    ("sites", {"end_on": "2023-12-31"}, "end_before_start", "end_on"),
    ("site_contracts", {"business_ref": "L123", "is_ccus_registered": "true"}, "registration_mismatch",
     "is_ccus_registered"),
    ("site_contracts", {"business_ref": "X123"}, "bad_ref", "business_ref"),
    ("rosters", {"work_date": "2024-04-30"}, "work_date_mismatch", "work_date"),
    ("rosters", {"person_ref": "P77", "is_ccus_registered": "true"}, "registration_mismatch", "is_ccus_registered"),
    ("wages", {"year_month": "2024-13"}, "bad_year_month", "year_month"),
]


@pytest.mark.parametrize("feed,override,reason,column", ROW_REASONS)
def test_each_row_reason_is_quarantined_with_file_line_and_column(tmp_path, feed, override, reason, column):
    good = dict(VALID[feed])
    bad = dict(VALID[feed], **override)
    if feed == "attendance":
        bad["record_id"] = override.get("record_id", "R2")
    if feed == "rosters":
        bad.setdefault("person_ref", "09999999999999") if "person_ref" not in override else None
        if "person_ref" not in override:
            bad["person_ref"] = "09999999999999"
    key_cols = FEEDS[feed].file_key
    if key_cols and all(bad.get(k) == good.get(k) for k in key_cols):
        pytest.fail("test rows must differ in the file key")  # guard the test itself
    header, rows = _rows(feed, [good, bad])
    write_csv(tmp_path / "inbox", feed, FILE_NAME[feed], header, rows)
    lh, audit = _ingest(tmp_path)
    assert (audit[0]["rows_read"], audit[0]["rows_accepted"], audit[0]["rows_quarantined"]) == (2, 1, 1)
    [q] = _quarantine(lh, feed)
    assert (q["reason"], q["line"], q["column_name"], q["file"]) == (reason, 3, column, FILE_NAME[feed])
    assert q["column_position"] == header.index(column) + 1
    assert q["message"].startswith(f"{FILE_NAME[feed]}:3: column {column}")
    assert json.loads(audit[0]["quarantine_reasons"]) == {reason: 1}


def test_malformed_rows_duplicates_in_file_and_personal_values_not_echoed(tmp_path):
    header, rows = _rows("attendance", [VALID["attendance"], VALID["attendance"]])
    rows.append(["R9", "too", "few"])
    write_csv(tmp_path / "inbox", "attendance", "attendance_20240501.csv", header, rows)
    write_jsonl(tmp_path / "inbox", "attendance", "attendance_20240502.jsonl",
                [dict(VALID["attendance"], record_id="J1", work_date="2024-05-02")])
    with open(tmp_path / "inbox/attendance/attendance_20240502.jsonl", "a", encoding="utf-8") as f:
        f.write('{"record_id": "J2", broken\n')
    header, rows = _rows("workers", [dict(VALID["workers"], level="9")])
    write_csv(tmp_path / "inbox", "workers", "workers_20240501.csv", header, rows)
    lh, audit = _ingest(tmp_path)
    by_file = {a["file"]: a for a in audit}
    assert json.loads(by_file["attendance_20240501.csv"]["quarantine_reasons"]) == {
        "duplicate_in_file": 1, "field_count": 1}
    assert json.loads(by_file["attendance_20240502.jsonl"]["quarantine_reasons"]) == {"malformed_json": 1}
    quarantined = {(q["file"], q["line"]): q for q in _quarantine(lh, "attendance")}
    assert quarantined[("attendance_20240501.csv", 4)]["reason"] == "field_count"
    assert quarantined[("attendance_20240502.jsonl", 2)]["reason"] == "malformed_json"
    [w] = _quarantine(lh, "workers")
    assert w["reason"] == "bad_level" and "山田" not in json.dumps(w, ensure_ascii=False, default=str)
    for a in audit:
        assert a["rows_read"] == a["rows_accepted"] + a["rows_quarantined"]


@pytest.mark.parametrize("name,content,reason", [
    ("attendance_20240501.csv", b"", "empty_file"),
    ("attendance_20240501.csv", b"\x00\x01\x02garbage\xff\xfe", "binary_content"),
    ("attendance_20240501.csv", b"record_id,site_id\n\x81\x00", "binary_content"),
    ("attendance_20240501.csv", "record_id\n".encode() + b"\xff\xfe\xfa\n", "undecodable"),
    ("attendance_20240501.csv", b"record_id,site_id\nR1,00000000000101\n", "missing_columns"),
    ("attendance_20240230.csv", b"x\n", "bad_file_date"),
    ("attendance_2024-05-01.csv", b"x\n", "unknown_file_name"),
])
def test_unreadable_files_are_quarantined_whole_and_do_not_stop_others(tmp_path, name, content, reason):
    (tmp_path / "inbox/attendance").mkdir(parents=True)
    (tmp_path / "inbox/attendance" / name).write_bytes(content)
    header, rows = _rows("wages", [VALID["wages"]])
    write_csv(tmp_path / "inbox", "wages", FILE_NAME["wages"], header, rows)
    lh, audit = _ingest(tmp_path)
    by_file = {a["file"]: a for a in audit}
    bad = by_file[name]
    assert (bad["status"], bad["reason"]) == ("quarantined", reason)
    assert name in bad["message"]
    assert bad["rows_read"] == bad["rows_accepted"] + bad["rows_quarantined"] and bad["rows_accepted"] == 0
    assert by_file[FILE_NAME["wages"]]["rows_accepted"] == 1


def test_unknown_feed_and_duplicate_header(tmp_path):
    (tmp_path / "inbox/payroll").mkdir(parents=True)
    (tmp_path / "inbox/payroll/payroll_20240501.csv").write_text("a,b\n1,2\n")
    header, rows = _rows("wages", [VALID["wages"]])
    write_csv(tmp_path / "inbox", "wages", FILE_NAME["wages"], header + ["年月"], [r + ["2024-05"] for r in rows])
    lh, audit = _ingest(tmp_path)
    by_file = {a["file"]: a for a in audit}
    assert by_file["payroll_20240501.csv"]["reason"] == "unknown_feed"
    assert by_file["payroll_20240501.csv"]["rows_quarantined"] == 1
    assert by_file[FILE_NAME["wages"]]["reason"] == "duplicate_column"


def test_extra_column_is_a_warning_and_kept_in_raw(tmp_path):
    header, rows = _rows("wages", [VALID["wages"]])
    path = write_csv(tmp_path / "inbox", "wages", FILE_NAME["wages"], header + ["memo"], [r + ["x"] for r in rows])
    lh, audit = _ingest(tmp_path)
    # named by its position, never by its text (a header line may be a person's record)
    assert audit[0]["rows_accepted"] == 1 and audit[0]["warnings"] == "extra columns ignored: column 9"
    [raw] = lh.glob("raw/wages/*/*/*")
    assert lh.read_bytes(raw) == path.read_bytes()
    assert "memo" not in _bronze(lh, "wages")[0]


def test_duplicate_delivery_is_ingested_once_and_reruns_change_nothing(tmp_path):
    header, rows = _rows("attendance", [VALID["attendance"]])
    first = write_csv(tmp_path / "inbox", "attendance", "attendance_20240501.csv", header, rows)
    (tmp_path / "inbox/attendance/attendance_20240502.csv").write_bytes(first.read_bytes())
    lh, audit = _ingest(tmp_path)
    status = {a["file"]: (a["status"], a["rows_read"], a["rows_accepted"]) for a in audit}
    assert status == {"attendance_20240501.csv": ("ingested", 1, 1), "attendance_20240502.csv": ("duplicate", 0, 0)}
    assert len(_bronze(lh, "attendance")) == 1

    before = {p: lh.read_bytes(p) for p in lh.glob("**/*.parquet")}
    lh, again = _ingest(tmp_path)
    assert again == []
    assert {p: lh.read_bytes(p) for p in lh.glob("**/*.parquet")} == before

    first.write_bytes(first.read_bytes() + b"R2,x\n")  # changed in place: a contract breach
    lh, changed = _ingest(tmp_path)
    assert [(a["status"], a["reason"]) for a in changed] == [("quarantined", "changed_after_delivery")]


def test_personal_data_never_reaches_bronze_and_worker_ids_are_keyed_hashes(tmp_path):
    header, rows = _rows("workers", [VALID["workers"]])
    write_csv(tmp_path / "inbox", "workers", FILE_NAME["workers"], header, rows)
    sole = dict(VALID["businesses"], business_name="一人親方 佐藤", is_sole_proprietor="true")
    header, rows = _rows("businesses", [sole])
    write_csv(tmp_path / "inbox", "businesses", FILE_NAME["businesses"], header, rows)
    lh, _ = _ingest(tmp_path)
    [w] = _bronze(lh, "workers")
    assert "worker_name" not in w and "phone" not in w and "address" not in w and "birth_date" not in w
    assert w["birth_year"] == 1980 and w["has_kentaikyo_member_no"] is True
    assert w["worker_key"] != "01234567890123" and len(w["worker_key"]) == 20
    [b] = _bronze(lh, "businesses")
    assert b["business_name"] is None
    for path in lh.glob("bronze/**/*.parquet") + lh.glob("quarantine/**/*.parquet"):
        data = lh.read_bytes(path)
        for secret in ("山田".encode(), b"090-1111-2222", "千代田".encode(), b"01234567890123", "佐藤".encode()):
            assert secret not in data, (path, secret)


def test_quarantine_never_echoes_a_worker_id_even_a_malformed_one(tmp_path):
    header, rows = _rows("attendance", [dict(VALID["attendance"], worker_id="1234567890123")])
    write_csv(tmp_path / "inbox", "attendance", FILE_NAME["attendance"], header, rows)
    lh, _ = _ingest(tmp_path)
    [q] = _quarantine(lh, "attendance")
    assert (q["reason"], q["column_name"]) == ("bad_id", "worker_id") and "value" not in q
    assert "1234567890123" not in q["message"]

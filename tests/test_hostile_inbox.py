"""Hostile inboxes at the door (issue 15), each finding on real files and a real lakehouse: what
the inbox may hold besides feed files (links, pipes, sockets, directories, hidden names, odd and
long names), lines that are no rows, and messages that never quote a file's content."""
import datetime as dt
import json
import os
import shutil
import signal
import socket
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ccus.feeds.inbox import NOT_READ, Inbox, classify
from ccus.feeds.ingest import ingest
from ccus.lakehouse import Lakehouse
from orchestration.runner import RunReport, inbox_report, summary
from ccus.settings import Settings
from tests.inbox_writer import write_csv
from tests.test_readers import FILE_NAME, VALID, _rows

KEY = b"k" * 32
TODAY = dt.date(2026, 1, 1)
# A person as a workers file holds one (the example, made up): never past the raw zone.
PERSON = {"worker_id": "00005068178399", "worker_name": "木村 さくら", "phone": "070-4512-3398",
          "address": "群馬県前橋市大手町1-1", "birth_date": "1965-02-13"}
PLANTED = ("木村", "さくら", "070-4512-3398", "群馬県前橋市", "1965-02-13", "00005068178399")


@contextmanager
def deadline(seconds: int):
    """Fail instead of hanging (old code blocked for ever opening a named pipe)."""
    def expire(*_):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _ingest(inbox: Path, lh: Path):
    lakehouse = Lakehouse(lh)
    box = Inbox(inbox)
    with deadline(120):
        return lakehouse, ingest(lakehouse, box, box.files(), KEY)


def _outside_raw(lh: Path) -> str:
    """Every value of every file of the lakehouse outside raw/ (Parquet decoded: its pages are
    compressed), as one text to search."""
    texts = []
    for path in sorted(p for p in lh.rglob("*") if p.is_file() and "raw" not in p.relative_to(lh).parts[:1]):
        if path.suffix == ".parquet":
            texts.append(json.dumps(pq.read_table(path).to_pylist(), ensure_ascii=False, default=str))
        elif path.name != "pseudonym.key":
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(texts)


def _audit(lh: Lakehouse) -> dict:
    table = lh.read_parquet([p for p in lh.glob("bronze/ingest_audit/*/*.parquet") if "_schema" not in p])
    return {r["path"]: r for r in table.to_pylist()}


def test_headerless_workers_file_is_quarantined_without_quoting_its_first_line(tmp_path):
    """Finding: a workers file delivered without its header line was quarantined with the message
    'header has: 00005068178399, 木村 さくら, 070-…' — in the audit, gold, summary and event log."""
    _, rows = _rows("workers", [dict(VALID["workers"], **PERSON)])
    path = tmp_path / "inbox/workers/workers_20240501.csv"
    path.parent.mkdir(parents=True)
    path.write_text(",".join(rows[0]) + "\n" + ",".join(rows[0]) + "\n", encoding="utf-8")
    lh, [row] = _ingest(tmp_path / "inbox", tmp_path / "lh")
    assert (row["status"], row["reason"], row["rows_read"], row["rows_quarantined"]) == (
        "quarantined", "missing_columns", 1, 1)
    assert row["message"].startswith("workers_20240501.csv:1: missing required column(s) worker_id")
    text = _outside_raw(tmp_path / "lh") + summary(Settings.from_environ(os.environ, lakehouse=str(tmp_path / "lh"),
                                                                         inbox=str(tmp_path / "inbox")),
                                                   RunReport(entries=1), dt.datetime(2000, 1, 1))
    for planted in PLANTED:
        assert planted not in text, planted


def test_a_symbolic_link_is_never_followed_nor_copied(tmp_path):
    """Finding: a link in the inbox to /etc/passwd was followed, copied into raw/ and its first line
    printed. Links to a file (named like a feed file), to a directory and to nothing are all
    audited as not_regular_file with 0 rows; nothing of their targets is read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.csv").write_text("worker_id,worker_name\n00005068178399,木村 さくら\n", encoding="utf-8")
    (outside / "folder").mkdir()
    (outside / "folder/workers_20240501.csv").write_text("x\n")
    inbox = tmp_path / "inbox"
    (inbox / "workers").mkdir(parents=True)
    (inbox / "workers/workers_20240501.csv").symlink_to(outside / "secret.csv")
    (inbox / "workers/workers_20240502.csv").symlink_to("/etc/passwd")
    (inbox / "workers/workers_20240503.csv").symlink_to(outside / "missing.csv")
    (inbox / "sites").symlink_to(outside / "folder")  # a feed folder that is a link
    lh, audit = _ingest(inbox, tmp_path / "lh")
    outcome = {a["path"]: (a["status"], a["reason"], a["rows_read"], a["sha256"]) for a in audit}
    expected = ("quarantined", "not_regular_file", 0, NOT_READ)
    assert outcome == {"sites": expected, "workers/workers_20240501.csv": expected,
                       "workers/workers_20240502.csv": expected, "workers/workers_20240503.csv": expected}
    assert all("symbolic link" in a["message"] for a in audit)
    assert not (tmp_path / "lh/raw").exists() or not any(p.is_file() for p in (tmp_path / "lh/raw").rglob("*"))
    assert "root:" not in _outside_raw(tmp_path / "lh") and "木村" not in _outside_raw(tmp_path / "lh")
    _, again = _ingest(inbox, tmp_path / "lh")
    assert again == []  # audited once


def test_pipe_socket_and_a_feed_named_directory_are_audited_never_opened():
    """Finding: a named pipe named like a feed file hung the run for ever; a directory under a feed
    file's name raised IsADirectoryError. (A short folder: a socket's path has at most 107 bytes.)"""
    root = Path(tempfile.mkdtemp(prefix="ccus-", dir="/tmp"))
    try:
        inbox = root / "in"
        (inbox / "attendance/attendance_20240503.csv").mkdir(parents=True)
        (inbox / "attendance/attendance_20240503.csv/inner.csv").write_text("x\n")
        os.mkfifo(inbox / "attendance/attendance_20240501.csv")
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(inbox / "attendance/attendance_20240502.csv"))
        header, rows = _rows("attendance", [VALID["attendance"]])
        write_csv(inbox, "attendance", "attendance_20240504.csv", header, rows)
        lh, audit = _ingest(inbox, root / "lh")
        outcome = {a["file"]: (a["status"], a["reason"], a["rows_read"]) for a in audit}
        assert outcome == {
            "attendance_20240501.csv": ("quarantined", "not_regular_file", 0),
            "attendance_20240502.csv": ("quarantined", "not_regular_file", 0),
            "attendance_20240503.csv": ("quarantined", "not_regular_file", 0),
            "attendance_20240504.csv": ("ingested", None, 1),   # the regular file beside them goes on
        }
        messages = {a["file"]: a["message"] for a in audit}
        assert "named pipe" in messages["attendance_20240501.csv"]
        assert "socket" in messages["attendance_20240502.csv"]
        assert "directory" in messages["attendance_20240503.csv"]
        server.close()
    finally:
        shutil.rmtree(root)


def test_long_and_odd_names_are_unknown_files_stored_under_short_names(tmp_path):
    """Finding: a file name of 200+ characters aborted the run with OSError (the derived audit
    name grew past the file system's limit). Any other name is an unknown file, quarantined whole,
    and every name the lakehouse derives from it stays short."""
    inbox = tmp_path / "inbox"
    (inbox / "attendance").mkdir(parents=True)
    names = ["attendance_20240501" + "9" * 230 + ".csv",           # 253 bytes: the longest a name can be
             "attendance_20240502.csv\n",                          # a newline after the extension
             "attendance_２０２４０５０３.csv",                       # full-width digits
             "attendance_20240504.csv.bak", "attendance_20240505_1234567.csv",  # a version of 7 digits
             "attendance_20240506\x1b]0;owned\x07.csv"]            # terminal escapes
    for name in names:
        (inbox / "attendance" / name).write_text("record_id\nR1\n")
    (inbox / "attendance" / ("a" * 121 + ".csv")).write_text("x\n")
    lh, audit = _ingest(inbox, tmp_path / "lh")
    assert len(audit) == len(names) + 1
    assert {(a["status"], a["reason"]) for a in audit} == {("quarantined", "unknown_file_name")}
    assert all(a["rows_read"] == a["rows_quarantined"] for a in audit)
    derived = [p for p in (tmp_path / "lh").rglob("*") if p.is_file()]
    assert derived and max(len(p.name.encode()) for p in derived) <= 64
    stored = {a["path"] for a in audit}
    assert "attendance/attendance_20240502.csv\n" in stored  # the real name, escaped only when printed


def test_names_must_be_strict_ascii_patterns():
    assert classify("attendance/attendance_20240410.csv", TODAY).feed is not None
    assert classify("attendance/attendance_20240410_2.jsonl", TODAY).version == 2
    assert classify("wages/wages_202404.csv", TODAY).feed is not None
    for bad in ("attendance/attendance_20240410.csv\n", "attendance/attendance_２０２４０４１０.csv",
                "attendance/attendance_20240410.csv ", "attendance/\u212aattendance_20240410.csv",
                "attendance/attendance_20240410_9999999.csv", "wages/wages_2024041.csv"):
        assert classify(bad, TODAY).problem.startswith("unknown_file_name"), bad


def test_file_dates_outside_the_ccus_era_or_after_tomorrow_are_out_of_range():
    """A registry or monthly file dated 9999 would have let its rows' dates go up to 9999."""
    assert classify("workers/workers_99991231.csv", TODAY).problem.startswith("date_out_of_range")
    assert classify("wages/wages_201812.csv", TODAY).problem.startswith("date_out_of_range")
    assert classify("attendance/attendance_20190331.csv", TODAY).problem.startswith("date_out_of_range")
    assert classify("workers/workers_20260102.csv", TODAY).feed is not None   # tomorrow
    assert classify("workers/workers_20260103.csv", TODAY).problem.startswith("date_out_of_range")
    assert classify("workers/workers_20190101.csv", TODAY).feed is not None


def test_hidden_names_are_counted_not_delivered_and_a_name_not_utf8_is_escaped(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "attendance").mkdir(parents=True)
    (inbox / ".DS_Store").write_text("x")
    (inbox / ".git").mkdir()
    (inbox / ".git/config").write_text("x")
    (inbox / "attendance/.attendance_20240501.csv.swp").write_text("x")
    os.mkfifo(inbox / "attendance/.pipe")  # hidden: not even looked at
    (inbox / os.fsdecode(b"attendance/attendance_\xe9.csv")).write_text("x\n")  # Latin-1, not UTF-8
    listing = Inbox(inbox).listing(TODAY)
    assert listing.hidden == [".DS_Store", ".git", "attendance/.attendance_20240501.csv.swp", "attendance/.pipe"]
    assert [f.path for f in listing.files] == ["attendance/attendance_\\xe9.csv"]
    report = inbox_report(listing, Inbox(inbox))
    assert (report.entries, report.hidden) == (1, 4)
    lh, [row] = _ingest(inbox, tmp_path / "lh")
    assert (row["path"], row["reason"]) == ("attendance/attendance_\\xe9.csv", "unknown_file_name")


def test_terminal_escapes_in_a_name_are_printed_escaped(tmp_path):
    """Finding: a name's terminal escapes (ESC]0;…) were printed raw to the operator's terminal."""
    inbox = tmp_path / "inbox"
    (inbox / "attendance").mkdir(parents=True)
    (inbox / "attendance/evil\x1b]0;owned\x07\u202e.csv").write_text("x\n")
    _ingest(inbox, tmp_path / "lh")
    settings = Settings.from_environ(os.environ, lakehouse=str(tmp_path / "lh"), inbox=str(inbox))
    text = summary(settings, RunReport(entries=1), dt.datetime(2000, 1, 1))
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "quarantined file attendance/evil\\x1b]0;owned\\x07\\u202e.csv: " in text


def test_json_lines_nested_too_deep_or_not_text_are_bad_lines_and_the_file_goes_on(tmp_path):
    """Finding: a JSON line nested 1,000 levels deep raised RecursionError and aborted the
    ingestion of every later file."""
    good = dict(VALID["attendance"], record_id="OK1")
    lines = [json.dumps(good), '{"record_id": ' + "[" * 1000 + "]" * 1000 + "}",
             '{"record_id": "x\\ud800"}', '{"record_id": ' + "9" * 5000 + "}",
             "[" * 100000, json.dumps(dict(good, record_id="OK2"))]
    path = tmp_path / "inbox/attendance/attendance_20240501.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(lines) + "\n")
    header, rows = _rows("wages", [VALID["wages"]])
    write_csv(tmp_path / "inbox", "wages", FILE_NAME["wages"], header, rows)  # a later file
    lh, audit = _ingest(tmp_path / "inbox", tmp_path / "lh")
    by_file = {a["file"]: a for a in audit}
    jsonl = by_file["attendance_20240501.jsonl"]
    assert (jsonl["rows_read"], jsonl["rows_accepted"], jsonl["rows_quarantined"]) == (6, 2, 4)
    assert json.loads(jsonl["quarantine_reasons"]) == {"malformed_json": 4}
    assert by_file[FILE_NAME["wages"]]["rows_accepted"] == 1


def test_messages_name_file_line_and_column_never_the_value(tmp_path):
    """A misplaced value may be a person's: no quarantine row keeps or quotes any value."""
    worker = dict(VALID["workers"], **PERSON, occupation_code="木村 さくら")
    header, rows = _rows("workers", [worker, dict(worker, worker_id="00005068178398", level="x木村")])
    write_csv(tmp_path / "inbox", "workers", "workers_20240501.csv", header + ["木村 さくら"], [r + ["1"] for r in rows])
    lh, [row] = _ingest(tmp_path / "inbox", tmp_path / "lh")
    assert row["warnings"] == f"extra columns ignored: column {len(header) + 1}"
    [q1, q2] = lh.read_parquet(lh.glob("quarantine/workers/*/*.parquet")).to_pylist()
    assert q1["message"] == f"workers_20240501.csv:2: column occupation_code ({header.index('occupation_code') + 1}): unknown_occupation"
    assert "value" not in q1
    for planted in PLANTED:
        assert planted not in _outside_raw(tmp_path / "lh"), planted


def test_undecodable_file_names_its_byte_position_not_the_byte(tmp_path):
    path = tmp_path / "inbox/wages/wages_202405.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"year_month\n\xff\xfe\xfa\n")  # neither UTF-8 nor CP932
    lh, [row] = _ingest(tmp_path / "inbox", tmp_path / "lh")
    assert row["reason"] == "undecodable" and "byte offset" in row["message"] and "0x" not in row["message"]


def test_leftover_temporary_files_of_a_killed_writer_are_removed(tmp_path):
    """A killed run leaves its writers' hidden .tmp files; the next run removes those older than
    itself, never a newer one (another writer of the same run)."""
    lh = Lakehouse(tmp_path / "lh")
    lh.write_bytes("bronze/attendance/date=2024-05-01/a.parquet", b"whole")
    old = tmp_path / "lh/bronze/attendance/date=2024-05-01/.a.parquet.0123.tmp"
    old.write_bytes(b"half")
    os.utime(old, (1_000_000_000, 1_000_000_000))
    new = tmp_path / "lh/gold/.m.parquet.4567.tmp"
    new.parent.mkdir(parents=True)
    new.write_bytes(b"being written")
    assert lh.remove_leftovers(started_before=1_500_000_000) == ["bronze/attendance/date=2024-05-01/.a.parquet.0123.tmp"]
    assert not old.exists() and new.exists()
    assert (tmp_path / "lh/bronze/attendance/date=2024-05-01/a.parquet").read_bytes() == b"whole"


def test_an_entry_swapped_for_a_pipe_or_a_link_after_the_listing_is_never_read(tmp_path):
    """Between the listing and the reading an entry may change: the file is opened without
    following links and without blocking, and checked once open."""
    header, rows = _rows("attendance", [VALID["attendance"]])
    for day in ("01", "02"):
        write_csv(tmp_path / "inbox", "attendance", f"attendance_202405{day}.csv", header, rows)
    box = Inbox(tmp_path / "inbox")
    listed = box.files()
    (tmp_path / "inbox/attendance/attendance_20240501.csv").unlink()
    os.mkfifo(tmp_path / "inbox/attendance/attendance_20240501.csv")
    (tmp_path / "inbox/attendance/attendance_20240502.csv").unlink()
    (tmp_path / "inbox/attendance/attendance_20240502.csv").symlink_to("/etc/passwd")
    with deadline(60):
        audit = ingest(Lakehouse(tmp_path / "lh"), box, listed, KEY)
    assert [(a["file"], a["reason"], a["rows_read"]) for a in audit] == [
        ("attendance_20240501.csv", "not_regular_file", 0), ("attendance_20240502.csv", "not_regular_file", 0)]
    assert "became a named pipe" in audit[0]["message"] and "became a symbolic link" in audit[1]["message"]


def test_simulation_json_is_recorded_only_when_it_is_the_simulators(tmp_path, dbt_manifest):
    """simulation.json at the root is no delivery: a valid one becomes gold/simulation.json (the
    pages say the data are simulated), anything else is ignored with a reason that quotes nothing,
    and gold/simulation.json goes when the inbox has none."""
    from assets.gold import record_simulation

    inbox, lh = tmp_path / "inbox", Lakehouse(tmp_path / "lh")
    inbox.mkdir()
    record = {"scale": "small", "seed": 7, "start": "2024-04-01", "days": 30, "sample_fraction": 0.0125}
    (inbox / "simulation.json").write_text(json.dumps(record))
    assert Inbox(inbox).files() == [] and Inbox(inbox).listing().simulation
    assert record_simulation(lh, Inbox(inbox)).startswith("recorded: scale small, seed 7, 30 days from 2024-04-01")
    assert json.loads((tmp_path / "lh/gold/simulation.json").read_text()) == record
    for bad, why in ((dict(record, seed=True), "seed is not an integer"), (dict(record, extra=1), "its keys are not"),
                     (dict(record, scale="木村 さくら"), "scale is not a short lowercase code"),
                     (dict(record, start="2024-02-30"), "start is not a calendar date"),
                     (dict(record, sample_fraction=1.5), "sample_fraction is not a number in (0, 1]")):
        (inbox / "simulation.json").write_text(json.dumps(bad, ensure_ascii=False))
        outcome = record_simulation(lh, Inbox(inbox))
        assert outcome.startswith("none: ") and why in outcome and "木村" not in outcome, outcome
        assert not (tmp_path / "lh/gold/simulation.json").exists()
    (inbox / "simulation.json").write_text("[" * 50_000)   # nested too deep for Python's parser
    assert record_simulation(lh, Inbox(inbox)) == "none: not UTF-8 JSON"
    (inbox / "simulation.json").unlink()
    (inbox / "simulation.json").symlink_to(tmp_path / "elsewhere.json")   # a link is never read
    assert not Inbox(inbox).listing().simulation

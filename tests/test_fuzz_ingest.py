"""Hypothesis generates hostile deliveries for every feed — random bytes, encodings and line
endings, missing/extra/shuffled/absent headers, huge fields, deep JSON, non-objects, odd names,
every plausibility bound and one step beyond — and the ingestion, on a real lakehouse, never
raises, conserves the rows of every file (read = accepted + quarantined, and bronze and the
quarantine hold exactly those) and lets no planted personal string past the raw zone.

Reproducible: a fixed number of examples, derandomized, no example database (the same inputs on
every machine and every run of `make test`)."""
import csv
import datetime as dt
import io
import json
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ccus.feeds import contract as c
from ccus.feeds.inbox import Inbox
from ccus.feeds.ingest import ingest
from ccus.lakehouse import Lakehouse
from tests.test_readers import FILE_NAME, VALID

KEY = b"fuzz-key-" + b"0" * 32
FILE_DATE = dt.date(2024, 5, 1)  # the date in FILE_NAME
PERSON = {"worker_name": "木村 さくら", "phone": "070-4512-3398", "address": "群馬県前橋市大手町1-1",
          "birth_date": "1965-02-13", "kentaikyo_member_no": "KT-88412345"}
PLANTED = tuple(PERSON.values())
# Kinds whose every valid value is far from a name, phone, address or date of birth: a planted
# string there is always quarantined (TEXT and code lists could legitimately hold one).
NEVER_A_PERSON = {c.ID14, c.BUSINESS_REF, c.PERSON_REF, c.BOOL, c.INT, c.ENUM, c.LEVEL, c.PREFECTURE,
                  c.OCCUPATION, c.YEAR_MONTH, c.QUALIFICATION_LIST}
SETTINGS = settings(max_examples=25, derandomize=True, database=None, deadline=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])


def bound_values(col: c.Column, file_date: dt.date) -> list[str]:
    """Each end of the column's plausibility bound, and one step either side of it."""
    b = col.bound
    if b is None:
        return []
    ends = [b.low, b.high]
    if b.days_after_file is not None:
        ends.append(file_date + dt.timedelta(days=b.days_after_file))
    values = []
    for end in (e for e in ends if e is not None):
        if isinstance(end, dt.date):
            days = [end + dt.timedelta(days=d) for d in (-1, 0, 1)]
            if col.kind == c.TIMESTAMP:
                values += [f"{d}T00:00:00" for d in days] + [f"{d}T23:59:59" for d in days]
            elif col.kind == c.YEAR_MONTH:
                values += [f"{d:%Y-%m}" for d in days]
            else:
                values += [d.isoformat() for d in days]
        else:
            values += [str(end - 1), str(end), str(end + 1)]
    return values


HUGE = ["9" * 200_000, "木" * 70_000, "a,b" * 50_000, '"' * 1000]
texts = st.text(st.characters(codec="utf-8"), max_size=30)


@st.composite
def value(draw, feed: c.Feed, col: c.Column) -> str:
    """Mostly the valid value (so that rows get through and carry the planted person), else a
    bound or its neighbours, a planted string, nothing, any text, or a huge field."""
    if col.name in PERSON and col.personal:
        return draw(st.sampled_from([PERSON[col.name]] * 4 + [f" {PERSON[col.name]} ", ""]))
    kind = draw(st.sampled_from(["valid"] * 40 + ["bound"] * 10 + ["planted"] * 3 + ["empty"] * 3 + ["text"] * 3
                                + ["huge"]))
    bounds = bound_values(col, FILE_DATE)
    planted = [p for p in PLANTED if p != PERSON["birth_date"]] if col.kind in NEVER_A_PERSON else []
    if col.kind == c.TIMESTAMP:
        planted.append(PERSON["birth_date"])  # a date is no timestamp
    if kind == "bound" and bounds:
        return draw(st.sampled_from(bounds))
    if kind == "planted" and planted:
        return draw(st.sampled_from(planted))
    if kind == "empty":
        return ""
    if kind == "text":
        return draw(texts)
    if kind == "huge":
        return draw(st.sampled_from(HUGE))
    return VALID[feed.name].get(col.name, "")


@st.composite
def csv_bytes(draw, feed: c.Feed) -> bytes:
    columns = list(feed.columns)
    layout = draw(st.sampled_from(["as is"] * 5 + ["a column missing", "shuffled", "no header line"]))
    if layout == "a column missing":
        columns.remove(draw(st.sampled_from(columns)))
    elif layout == "shuffled":
        columns = draw(st.permutations(columns))
    header = [draw(st.sampled_from([col.name, col.ja, col.name.upper()])) for col in columns]
    extra = draw(st.sampled_from([[], [], ["memo"], [PERSON["worker_name"]]]))      # extra header fields
    rows = draw(st.lists(st.tuples(*[value(feed, col) for col in columns]), max_size=6))
    records = [] if layout == "no header line" else [header + extra]
    records += [list(r) + ["x"] * len(extra) for r in rows]
    records += draw(st.lists(st.lists(texts, max_size=4), max_size=1))                # a row of the wrong width
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if draw(st.sampled_from(["csv module", "csv module", "naive"])) == "csv module":
        out = io.StringIO()
        csv.writer(out, lineterminator=newline).writerows(records)
        text = out.getvalue()
    else:  # naive joining: commas and quotes inside values break rows
        text = "".join(",".join(r) + newline for r in records)
    encoding = draw(st.sampled_from(["utf-8"] * 3 + ["utf-8-sig", "cp932", "cp932", "utf-16"]))
    data = text.encode(encoding, errors="replace") if encoding != "utf-8-sig" else b"\xef\xbb\xbf" + text.encode()
    if draw(st.sampled_from(["whole"] * 6 + ["damaged"])) == "damaged":  # random bytes spliced in
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=16)) + data[at:]
    return data


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@st.composite
def jsonl_bytes(draw) -> bytes:
    feed = c.ATTENDANCE
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["object", "object", "object", "deep", "not an object", "broken", "blank"]))
        if kind == "object":
            obj = {col.name: draw(value(feed, col)) for col in feed.columns}
            if draw(st.booleans()):
                obj[draw(st.sampled_from(["memo", PERSON["worker_name"]]))] = PERSON["address"]  # extra key
            for name in draw(st.lists(st.sampled_from([col.name for col in feed.columns]), max_size=2)):
                obj[name] = draw(st.sampled_from([None, True, 3.5, 10**30, [1, {"a": PERSON["phone"]}], {}]))
            lines.append(json.dumps(obj, ensure_ascii=draw(st.booleans())))
        elif kind == "deep":
            depth = draw(st.sampled_from([900, 1200, 50_000]))
            lines.append('{"record_id": ' + nested(depth) + "}")
        elif kind == "not an object":
            lines.append(draw(st.sampled_from(["null", "1", '"x"', "[]", nested(3000)])))
        elif kind == "broken":
            lines.append(draw(st.sampled_from(['{"record_id": "a', '{"x": "\\ud800"}', '{"a": 1e999999}',
                                               '{"a": ' + "9" * 5000 + "}", "{" * 10_000])))
        else:
            lines.append("")
    return ("\n".join(lines) + "\n").encode("utf-8")


FOLDERS = ["attendance", "workers", "wages", "x", "."]   # "." : the inbox root
hostile_names = st.text(st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=80).filter(
    lambda n: n not in (".", "..", *FOLDERS) and len(n.encode()) < 240)


def _ingest(files: dict[str, bytes]):
    """Write the files into a fresh inbox and ingest them into a fresh lakehouse."""
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        for relative, data in files.items():
            path = inbox / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        lh = Lakehouse(Path(tmp) / "lh")
        box = Inbox(inbox)
        audit = ingest(lh, box, box.files(), KEY)
        _assert_conserved(lh, audit)
        _assert_no_person(Path(tmp) / "lh")
        for row in audit:  # what the examples reached (pytest --hypothesis-show-statistics)
            event(f"{row['status']} {row['reason'] or ''}{' with accepted rows' if row['rows_accepted'] else ''}")
        return audit


def _tables(lh: Lakehouse, pattern: str) -> list[dict]:
    files = [p for p in lh.glob(pattern) if "/_schema/" not in p]
    return lh.read_parquet(files).to_pylist() if files else []


def _assert_conserved(lh: Lakehouse, audit: list[dict]) -> None:
    bronze = [r for feed in c.FEEDS for r in _tables(lh, f"bronze/{feed}/*/*.parquet")]
    quarantine = _tables(lh, "quarantine/*/*/*.parquet")
    for row in audit:
        assert row["rows_read"] == row["rows_accepted"] + row["rows_quarantined"], row
        if row["status"] == "ingested":
            assert sum(r["_file_sha256"] == row["sha256"] for r in bronze) == row["rows_accepted"], row
            assert sum(q["path"] == row["path"] for q in quarantine) == row["rows_quarantined"], row
        else:
            assert row["rows_accepted"] == 0


def _assert_no_person(lh: Path) -> None:
    for path in lh.rglob("*"):
        if not path.is_file() or path.relative_to(lh).parts[0] in ("raw", "_secrets"):
            continue
        text = (json.dumps(pq.read_table(path).to_pylist(), ensure_ascii=False, default=str)
                if path.suffix == ".parquet" else path.read_bytes().decode("utf-8", "replace"))
        for planted in PLANTED:
            assert planted not in text, (planted, path)


@SETTINGS
@given(st.data())
def test_fuzzed_csv_files_of_every_feed(data):
    files = {f"{feed.name}/{FILE_NAME[feed.name]}": data.draw(csv_bytes(feed), label=feed.name)
             for feed in c.FEEDS.values() if data.draw(st.booleans(), label=f"with {feed.name}")}
    _ingest(files)


@SETTINGS
@given(jsonl_bytes(), st.binary(max_size=300))
def test_fuzzed_json_lines_and_random_bytes(jsonl, noise):
    audit = _ingest({"attendance/attendance_20240501.jsonl": jsonl, "attendance/attendance_20240502.jsonl": noise,
                     "wages/wages_202405.csv": noise})
    assert len(audit) == 3  # every file has its audit row (a second delivery of the same bytes: 'duplicate')


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(FOLDERS), hostile_names),
                min_size=1, max_size=5, unique_by=lambda t: t[1]), st.binary(max_size=64))
def test_fuzzed_names(entries, content):
    files = {f"{folder}/{name}": content + name.encode() for folder, name in entries}
    _ingest(files)

"""A day's run does not read again the files of history it has taken in: a file listed with the
size and modification time its audit row recorded is skipped unread (ccus/feeds/ingest.py); one
rewritten in place is read, and its changed content quarantined as before."""
import os

import pyarrow.parquet as pq

from ccus.feeds import audit
from ccus.feeds.inbox import Inbox
from ccus.feeds.ingest import ingest
from ccus.lakehouse import Lakehouse
from tests.inbox_writer import write_csv
from tests.test_readers import VALID, _rows

KEY = b"test-key-not-a-secret"


class CountingInbox(Inbox):
    """The real inbox, remembering which files were opened."""

    def __init__(self, root):
        super().__init__(root)
        self.opened = []

    def read(self, f, limit=-1):
        self.opened.append(f.path)
        return super().read(f, limit)


def _two_files(inbox):
    header, _ = _rows("attendance", [VALID["attendance"]])
    paths = []
    for d in (1, 2):
        rows = [dict(VALID["attendance"], record_id=f"R{d}", work_date=f"2024-05-0{d}",
                     entered_at=f"2024-05-0{d}T08:00:00", exited_at=f"2024-05-0{d}T17:00:00")]
        paths.append(write_csv(inbox, "attendance", f"attendance_2024050{d}.csv", header, _rows("attendance", rows)[1]))
    return paths


def test_files_listed_as_when_taken_in_are_not_read_again(tmp_path):
    first, second = _two_files(tmp_path / "inbox")
    lh = Lakehouse(tmp_path / "lh")
    inbox = CountingInbox(tmp_path / "inbox")
    assert [r["status"] for r in ingest(lh, inbox, inbox.files(), KEY)] == ["ingested", "ingested"]
    rows = audit.read(lh).to_pylist()
    assert {(r["file_bytes"], r["file_modified_ns"]) for r in rows} == {
        (os.stat(p).st_size, os.stat(p).st_mtime_ns) for p in (first, second)}

    again = CountingInbox(tmp_path / "inbox")
    assert ingest(lh, again, again.files(), KEY) == [] and again.opened == []
    audit.compact(lh)  # the same from the compacted audit
    again = CountingInbox(tmp_path / "inbox")
    assert ingest(lh, again, again.files(), KEY) == [] and again.opened == []

    # rewritten in place, same size: a new modification time, so it is read, and quarantined
    data = second.read_bytes()
    second.write_bytes(data.replace(b"R2", b"R9"))
    assert os.stat(second).st_size == len(data)
    changed = CountingInbox(tmp_path / "inbox")
    [row] = ingest(lh, changed, changed.files(), KEY)
    assert changed.opened == ["attendance/attendance_20240502.csv"]
    assert (row["status"], row["reason"]) == ("quarantined", "changed_after_delivery")


def test_an_audit_written_before_the_listing_was_recorded_still_skips_by_content(tmp_path):
    _two_files(tmp_path / "inbox")
    lh = Lakehouse(tmp_path / "lh")
    inbox = Inbox(tmp_path / "inbox")
    ingest(lh, inbox, inbox.files(), KEY)
    for path in audit.audit_files(lh):   # as an older version wrote them: no listing columns
        table = pq.read_table(lh.path(path))
        lh.write_parquet(path, table.drop_columns(["file_bytes", "file_modified_ns"]))
    again = CountingInbox(tmp_path / "inbox")
    assert ingest(lh, again, again.files(), KEY) == []
    assert sorted(again.opened) == ["attendance/attendance_20240501.csv", "attendance/attendance_20240502.csv"]

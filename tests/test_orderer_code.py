"""orderer_code, the optional column of the sites feed (feeds.md): 1-20 of 0-9, A-Z, a-z and
'-', empty allowed; any other value is quarantined with its reason, file, line and column; a
delivery without the column is read as before (real files, real DuckDB)."""
from __future__ import annotations

import json

from ccus.feeds.contract import FEEDS
from tests.inbox_writer import write_csv
from tests.test_readers import FILE_NAME, VALID, _bronze, _ingest, _quarantine


def _sites(tmp_path, codes: list[str]):
    columns = [c.name for c in FEEDS["sites"].columns if c.name in VALID["sites"]] + ["orderer_code"]
    rows = []
    for i, code in enumerate(codes):
        row = dict(VALID["sites"], site_id=f"{101 + i:014d}", orderer_code=code)
        rows.append([row[c] for c in columns])
    write_csv(tmp_path / "inbox", "sites", FILE_NAME["sites"], columns, rows)
    return _ingest(tmp_path)


def test_orderer_codes_at_the_boundaries(tmp_path):
    lh, audit = _sites(tmp_path, ["KT-01", "", "A" * 20, "A" * 21, "関東地整", "MLIT KANTO"])
    assert (audit[0]["rows_read"], audit[0]["rows_accepted"], audit[0]["rows_quarantined"]) == (6, 3, 3)
    assert [r["orderer_code"] for r in sorted(_bronze(lh, "sites"), key=lambda r: r["site_id"])] == [
        "KT-01", None, "A" * 20]
    quarantined = _quarantine(lh, "sites")
    assert [(q["reason"], q["line"], q["column_name"]) for q in quarantined] == [
        ("bad_orderer_code", 5, "orderer_code"), ("bad_orderer_code", 6, "orderer_code"),
        ("bad_orderer_code", 7, "orderer_code")]
    assert json.loads(audit[0]["quarantine_reasons"]) == {"bad_orderer_code": 3}


def test_a_delivery_without_the_column(tmp_path):
    columns = [c.name for c in FEEDS["sites"].columns if c.name in VALID["sites"]]
    write_csv(tmp_path / "inbox", "sites", FILE_NAME["sites"], columns, [[VALID["sites"][c] for c in columns]])
    lh, audit = _ingest(tmp_path)
    assert audit[0]["rows_accepted"] == 1 and _bronze(lh, "sites")[0]["orderer_code"] is None

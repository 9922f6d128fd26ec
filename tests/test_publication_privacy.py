"""End to end on a simulated inbox: `ccus simulate` then `ccus run`, and no published or gold file
(HTML, JS, JSON, Parquet bytes) holds a person's name, phone, address, birth date or a raw worker id."""
from pathlib import Path

import pytest

from ccus.feeds.contract import FEEDS
from ccus.feeds.inbox import Inbox
from ccus.feeds.reader import read_bytes


@pytest.fixture(scope="module")
def simulated(simulated_tiny_run):
    """`ccus simulate --scale tiny` then `ccus run` (tests/conftest.py: made once, shared)."""
    return simulated_tiny_run, (simulated_tiny_run / "stdout.txt").read_text()


def _personal_values(inbox_root: Path) -> set[str]:
    """Every personal value and raw person id delivered in the inbox, read with the platform's reader."""
    inbox, values = Inbox(inbox_root), set()
    for f in inbox.files():
        if f.feed is None or f.feed.name not in ("workers", "rosters", "attendance", "wages", "kentaikyo"):
            continue
        try:
            parsed = read_bytes(f.feed, inbox.read(f), f.name)
        except Exception:
            continue
        for col in FEEDS[f.feed.name].columns:
            if col.personal or col.name in ("worker_id", "person_ref"):
                column = parsed.columns.get(col.name, [])
                # the fast CSV path holds Arrow arrays, the Python reader lists of str
                texts = column.to_pylist() if hasattr(column, "to_pylist") else column
                values.update(v.strip() for v in texts if v is not None and len(v.strip()) >= 4)
    return values


def test_simulated_inbox_runs_end_to_end_and_conserves_rows(simulated):
    _, stdout = simulated
    line = next(l for l in stdout.splitlines() if l.startswith("rows read"))
    read, accepted, quarantined = (int(x.replace(",", "")) for x in
                                   (line.split()[2], line.split()[5], line.split()[8]))
    assert read == accepted + quarantined and quarantined > 0


def test_no_published_or_gold_file_holds_personal_data_or_raw_worker_ids(simulated):
    root, _ = simulated
    secrets = _personal_values(root / "inbox")
    assert len(secrets) > 100  # names, phones, addresses, birth dates, worker ids, P-refs
    published = [p for zone in ("site", "gold", "bronze", "quarantine") for p in (root / "lh" / zone).rglob("*")
                 if p.is_file()]
    assert any(p.suffix == ".html" for p in published) and any(p.suffix == ".parquet" for p in published)
    assert any(p.suffix == ".png" for p in published)                  # the charts' PNG copies
    site = root / "lh" / "site"
    assert (site / "ministry/index.html").is_file()
    for kind in ("associations", "orderers", "primes"):       # a location per audience unit
        assert list(site.glob(f"{kind}/*/index.html")), f"no {kind} location"
    hits = []
    for path in published:
        data = path.read_bytes()
        for secret in secrets:
            if secret.encode("utf-8") in data:
                hits.append(f"{path.relative_to(root)}: {secret}")
    assert not hits, hits[:20]

"""Publication streams its pages: each is written (atomically) as soon as it is built, so memory
does not grow with the number of pages (about 81 000 project pages at national scale), and a
publication that fails part-way leaves complete files only. Hand-made gold (test_project_pages)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboards.publish import publish_site
from dashboards.settings import local
from tests.test_project_pages import S1, S2, gold_tables


def _write(tables: dict[str, pa.Table], gold: Path) -> Path:
    gold.mkdir(parents=True)
    for name, table in tables.items():
        pq.write_table(table, gold / f"{name}.parquet")
    return gold


def _many_sites(count: int) -> dict[str, pa.Table]:
    """test_project_pages' gold with site S1 copied ``count`` times (new site ids, 40 primes)."""
    out = {}
    for name, table in gold_tables().items():
        if "site_id" not in table.column_names:
            out[name] = table
            continue
        rows = table.to_pylist()
        copies = [dict(r, site_id=f"31{i:012d}", **({"prime_business_id": f"41{i % 40:012d}"}
                                                     if "prime_business_id" in r else {}))
                  for i in range(count) for r in rows if r["site_id"] == S1]
        out[name] = pa.Table.from_pylist(rows + copies, schema=table.schema)
    return out


def test_a_failed_write_leaves_complete_pages_only(tmp_path):
    gold = _write(gold_tables(), tmp_path / "gold")
    reference = tmp_path / "reference"
    publish_site(str(gold), local(str(reference)))

    site = tmp_path / "site"
    (site / f"orderers/prefecture/sites/{S2}.html").mkdir(parents=True)   # where a page goes: its write fails
    (site / "index.html").write_text("the previous publication's top page", encoding="utf-8")
    with pytest.raises(OSError):
        publish_site(str(gold), local(str(site)))

    files = [p for p in site.rglob("*") if p.is_file()]
    assert not [p for p in files if p.name.endswith(".tmp")]    # no temporary file left behind
    pages = [p for p in files if p.suffix == ".html" and p != site / "index.html"]
    assert len(pages) >= 2, pages                               # pages before the failure were written...
    for page in pages:                                          # ...each one whole
        assert page.read_bytes() == (reference / page.relative_to(site)).read_bytes(), page
    # the top page is written last: the old one still stands
    assert (site / "index.html").read_text(encoding="utf-8") == "the previous publication's top page"


def _publish_traced(gold: Path, site: Path) -> tuple[int, int]:
    """(peak Python memory while publishing, bytes of HTML written)."""
    tracemalloc.start()
    try:
        publish_site(str(gold), local(str(site)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, sum(p.stat().st_size for p in site.rglob("*.html"))


def test_memory_does_not_grow_with_the_pages(tmp_path):
    """From 200 to 800 project pages the peak of Python memory grows by a small part of the
    extra pages' size: they are not all held (building them all first held each page twice,
    as text and as bytes)."""
    publish_site(str(_write(gold_tables(), tmp_path / "warm-up")), local(str(tmp_path / "warm-up-site")))  # imports
    peak_small, size_small = _publish_traced(_write(_many_sites(200), tmp_path / "gold-200"), tmp_path / "site-200")
    peak_large, size_large = _publish_traced(_write(_many_sites(800), tmp_path / "gold-800"), tmp_path / "site-800")
    extra = size_large - size_small
    assert extra > 25e6, extra                                  # 600 more pages of about 54 kB
    assert peak_large - peak_small < extra / 10, (peak_small, peak_large, extra)

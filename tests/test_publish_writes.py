"""How a publication writes its files.

A publication writes each distinct file once: every other local copy of the same bytes is a
hard link to it (dashboards.io.Writer) — plotly.min.js, a site page in its orderer's and its
prime's location, the methods page of the locations of a kind, header-only CSVs. At national
scale (≈17,000 orderer and prime locations) most files are such copies and creating a file
costs about twenty times a link (issue 14's publish time).

The danger of links is a write through one copy changing the others: a publication over an
earlier one, from changed marts, must give byte for byte what a publication into an empty
folder gives. The project pages' hand-made gold (tests/test_project_pages.py), published for
real.

A day's publication rewrites only what changed (issue 17): a file that already holds its bytes
is left untouched (same inode, same modification time), and a site page's as-of date is the
site's own, so that the page of a finished site does not change when the data's date moves on."""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dashboards.projects import locations as project_locations
from dashboards.projects import unchanged
from dashboards.projects import workers as project_workers
from dashboards.publish import publish_site
from dashboards.settings import local
from tests import test_project_pages as project_gold


def _gold(folder: Path, tables: dict[str, pa.Table]) -> Path:
    folder.mkdir(parents=True)
    for name, table in tables.items():
        pq.write_table(table, folder / f"{name}.parquet")
    return folder


def _files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_identical_files_are_one_file_linked(tmp_path):
    site = tmp_path / "site"
    written = publish_site(str(_gold(tmp_path / "gold", project_gold.gold_tables())), local(str(site)))
    by_content = defaultdict(set)
    for path in site.rglob("*"):
        if path.is_file():
            by_content[hashlib.sha256(path.read_bytes()).digest()].add(os.stat(path).st_ino)
    # no two separate files hold the same bytes
    assert all(len(inodes) == 1 for inodes in by_content.values())
    # what is shared: the primes' methods pages (three primes, one page named "for prime
    # contractors"), the orderers' (named "for orderers"), plotly.min.js everywhere
    primes = [site / p for p in project_gold.LOCATIONS if p.startswith("primes/")]
    assert len({os.stat(p / "methods.html").st_ino for p in primes}) < len(primes)
    assert "元請向け" in (primes[0] / "methods.html").read_text(encoding="utf-8")
    plotly = {os.stat(p).st_ino for p in site.rglob("assets/plotly.min.js")}
    assert len(plotly) == 1
    # every path is reported written, links included
    assert len(written) == sum(1 for p in site.rglob("*") if p.is_file())
    # nothing left under a temporary name
    assert not [p for p in site.rglob(".*") if p.is_file()]


def test_a_publication_over_an_earlier_one_equals_a_fresh_one(tmp_path):
    """The first publication links S2's and S3's prime (B2) files with other locations' copies;
    the second, from marts where S1's figures and the closure rows changed, writes over it. Had
    a write gone through a link, a location whose figures did not change would now hold another
    location's new bytes."""
    tables = project_gold.gold_tables()
    site = tmp_path / "site"
    publish_site(str(_gold(tmp_path / "gold1", tables)), local(str(site)))
    changed = dict(tables)
    rows = changed["kentaikyo_site_monthly"].to_pylist()
    for row in rows:
        if row["site_id"] == project_gold.S1:
            row["days_due"] += 7
    changed["kentaikyo_site_monthly"] = pa.Table.from_pylist(rows, schema=tables["kentaikyo_site_monthly"].schema)
    changed["site_closure_monthly"] = changed["site_closure_monthly"].slice(0, 0)
    gold2 = _gold(tmp_path / "gold2", changed)
    publish_site(str(gold2), local(str(site)))
    fresh = tmp_path / "fresh"
    publish_site(str(gold2), local(str(fresh)))
    over, clean = _files(site), _files(fresh)
    assert over.keys() == clean.keys()
    assert [p for p in over if over[p] != clean[p]] == []
    # the changes did reach the pages: the first publication differs from the second
    first = tmp_path / "first"
    publish_site(str(_gold(tmp_path / "gold3", tables)), local(str(first)))
    assert _files(first) != clean


def test_a_site_that_moved_to_another_prime_leaves_its_old_primes_location(tmp_path):
    """S3 moves from prime B2 (which keeps S2) to B1. Republished over the first publication, B2's
    location must no longer hold S3's page, nor list it in its tables (a prime sees only its own
    sites); B1's now does."""
    tables = project_gold.gold_tables()
    site = tmp_path / "site"
    publish_site(str(_gold(tmp_path / "gold1", tables)), local(str(site)))
    old, new = site / f"primes/{project_gold.B2}", site / f"primes/{project_gold.B1}"
    assert (old / f"sites/{project_gold.S3}.html").is_file()
    moved = {}
    for name, table in tables.items():
        if "prime_business_id" in table.column_names and "site_id" in table.column_names:
            rows = table.to_pylist()
            for row in rows:
                if row["site_id"] == project_gold.S3:
                    row["prime_business_id"] = project_gold.B1
            table = pa.Table.from_pylist(rows, schema=table.schema)
        moved[name] = table
    publish_site(str(_gold(tmp_path / "gold2", moved)), local(str(site)))
    assert not (old / f"sites/{project_gold.S3}").exists()
    assert (old / f"sites/{project_gold.S2}.html").is_file()
    assert (new / f"sites/{project_gold.S3}.html").is_file()
    assert not [p for p in old.rglob("*") if p.is_file() and project_gold.S3 in p.read_text(encoding="utf-8")]


def _stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (os.stat(p).st_ino, os.stat(p).st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _next_day(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """The marts a day later: the data's last date moves from 31 to 1 April; the sites still at
    work (S1, S3, the private one) are observed one day longer; S2, over since 20 December 2024,
    keeps its figures."""
    day = project_gold.AS_OF.replace(month=4, day=1)
    out = dict(tables)
    rows = tables["site_closure"].to_pylist()
    for row in rows:
        row["as_of_date"] = day
        if not row["is_period_complete"]:
            row["period_end"], row["calendar_days"], row["counted_days"] = day, row["calendar_days"] + 1, \
                row["counted_days"] + 1
    out["site_closure"] = pa.Table.from_pylist(rows, schema=tables["site_closure"].schema)
    return out


def test_a_days_publication_leaves_what_did_not_change_untouched(tmp_path):
    tables = project_gold.gold_tables()
    site = tmp_path / "site"
    publish_site(str(_gold(tmp_path / "gold1", tables)), local(str(site)))
    before = _stamps(site)
    gold2 = _gold(tmp_path / "gold2", _next_day(tables))
    publish_site(str(gold2), local(str(site)))
    after = _stamps(site)
    # the page of S2 (over) in both of its locations, and every file of the orderer whose only
    # site is S2, are the same files as yesterday, not rewritten
    s2 = project_gold.S2
    kept = [p for p in before if p.endswith(f"/sites/{s2}.html") or p.startswith("orderers/prefecture/")]
    assert len([p for p in kept if p.endswith(f"/sites/{s2}.html")]) == 2
    assert len(kept) >= 10 and [p for p in kept if after[p] != before[p]] == []
    page = (site / "orderers/prefecture/index.html").read_text(encoding="utf-8")
    assert "2025年4月1日" not in page and "2025年4月1日" not in (site / f"orderers/prefecture/sites/{s2}.html").read_text(
        encoding="utf-8")
    # the pages of the sites still at work did change: their as-of date moved to 1 April
    s1 = f"orderers/KT-01/sites/{project_gold.S1}.html"
    assert after[s1] != before[s1] and "2025年4月1日" in (site / s1).read_text(encoding="utf-8")
    # and what was left untouched is what a publication into an empty folder writes
    fresh = tmp_path / "fresh"
    publish_site(str(gold2), local(str(fresh)))
    assert _files(site) == _files(fresh)


def _built(monkeypatch) -> list[str]:
    """The sites whose pages the publications from now on build."""
    built = []
    build = project_workers.build_site_page

    def counted(site, data, inputs=None):
        built.append(site["site_id"])
        return build(site, data, inputs)
    monkeypatch.setattr(project_workers, "build_site_page", counted)
    return built


def test_a_days_publication_builds_only_the_pages_whose_inputs_changed(tmp_path, monkeypatch):
    """The page of S2 (over since December) is not even built the next day: the digest of its
    inputs in both published copies is today's. A figure of S2 corrected in the marts, and it is."""
    tables = project_gold.gold_tables()
    site = tmp_path / "site"
    publish_site(str(_gold(tmp_path / "gold1", tables)), local(str(site)))
    built = _built(monkeypatch)
    next_day = _next_day(tables)
    publish_site(str(_gold(tmp_path / "gold2", next_day)), local(str(site)))
    s1, s2, s3 = project_gold.S1, project_gold.S2, project_gold.S3
    assert s2 not in built and {s1, s3} <= set(built)
    # a correction of S2's measurement in the marts: S2 is built again, and shows it
    rows = next_day["model_project_measurements"].to_pylist()
    corrected = next(r for r in rows if r["site_id"] == s2)
    corrected["untouched_person_days"] = 4321
    next_day["model_project_measurements"] = pa.Table.from_pylist(
        rows, schema=tables["model_project_measurements"].schema)
    built.clear()
    gold3 = _gold(tmp_path / "gold3", next_day)
    publish_site(str(gold3), local(str(site)))
    assert s2 in built and "4,321" in (site / f"orderers/prefecture/sites/{s2}.html").read_text(encoding="utf-8")
    # what a publication over yesterday's gives is what one into an empty folder gives
    fresh = tmp_path / "fresh"
    publish_site(str(gold3), local(str(fresh)))
    assert _files(site) == _files(fresh)


def test_a_rebuilt_page_is_not_read_back_where_its_copy_carries_other_inputs(tmp_path, monkeypatch):
    """A page built again because its inputs changed replaces a copy whose digest is another one
    without reading it (those bytes cannot be the new ones: the new ones carry the new digest);
    a copy that carries today's digest (its other copy lost) is still compared and kept."""
    from dashboards import io as dashboards_io
    tables = project_gold.gold_tables()
    site = tmp_path / "site"
    publish_site(str(_gold(tmp_path / "gold1", tables)), local(str(site)))
    read_back = []
    holds = dashboards_io._holds

    def recorded(path, data):
        read_back.append(Path(path).name)
        return holds(path, data)
    monkeypatch.setattr(dashboards_io, "_holds", recorded)
    built = _built(monkeypatch)
    gold2 = _gold(tmp_path / "gold2", _next_day(tables))
    publish_site(str(gold2), local(str(site)))
    s1, s3 = project_gold.S1, project_gold.S3
    assert {s1, s3} <= set(built)
    assert not {f"{s}.html" for s in built} & set(read_back)
    fresh = tmp_path / "fresh"
    publish_site(str(gold2), local(str(fresh)))
    assert _files(site) == _files(fresh)
    # S1's copy in its prime's location lost: the page is built again; the copy in its orderer's
    # (where it is written first) carries today's digest, so it is read back, found equal, kept
    orderers_copy, = site.glob(f"orderers/*/sites/{s1}.html")
    primes_copy, = site.glob(f"primes/*/sites/{s1}.html")
    kept = orderers_copy.stat()
    primes_copy.unlink()
    read_back.clear()
    built.clear()
    publish_site(str(gold2), local(str(site)))
    assert built == [s1] and f"{s1}.html" in read_back
    assert orderers_copy.stat().st_ino == kept.st_ino and orderers_copy.stat().st_mtime_ns == kept.st_mtime_ns
    assert primes_copy.read_bytes() == orderers_copy.read_bytes()


def test_a_new_release_builds_every_page_again(tmp_path, monkeypatch):
    tables = project_gold.gold_tables()
    gold, site = _gold(tmp_path / "gold", tables), tmp_path / "site"
    publish_site(str(gold), local(str(site)))
    built = _built(monkeypatch)
    publish_site(str(gold), local(str(site)))
    assert built == []                                   # the same figures, the same code: nothing built
    monkeypatch.setattr(unchanged, "code_version", lambda: b"the next release")
    publish_site(str(gold), local(str(site)))
    pages = {p.name.removesuffix(".html") for p in site.glob("*/*/sites/*.html")}   # orderers' and primes'
    assert len(pages) >= 3
    # every page once (then linked into its second location)
    assert sorted(built) == sorted(pages) and {project_gold.S1, project_gold.S2, project_gold.S3} <= pages


def test_a_page_without_its_copy_elsewhere_is_built(tmp_path, monkeypatch):
    """A copy missing from one of the page's two locations (removed by hand, or a site that moved
    to another prime): the page is built and written there again."""
    tables = project_gold.gold_tables()
    gold, site = _gold(tmp_path / "gold", tables), tmp_path / "site"
    publish_site(str(gold), local(str(site)))
    s2 = project_gold.S2
    copies = sorted(site.rglob(f"sites/{s2}.html"))
    assert len(copies) == 2
    copies[0].unlink()
    built = _built(monkeypatch)
    publish_site(str(gold), local(str(site)))
    assert built == [s2] and copies[0].read_bytes() == copies[1].read_bytes()
    assert '<meta name="ccus-page-inputs" content="' in copies[0].read_text(encoding="utf-8")


def _built_locations(monkeypatch) -> list[str]:
    """The orderer and prime locations the publications from now on build ("kind/code")."""
    built = []
    build = project_locations.ProjectLocations.build

    def counted(self, unit, inputs=None):
        built.append(f"{unit.kind}/{unit.code}")
        return build(self, unit, inputs)
    monkeypatch.setattr(project_locations.ProjectLocations, "build", counted)
    return built


def test_a_days_publication_builds_only_the_locations_whose_sites_changed(tmp_path, monkeypatch):
    """A location is made from its sites' page inputs only: the orderer whose one site is S2 (over
    since December) is not built the next day, its files untouched; the locations of S1 and S3
    (still at work) are. The same gold twice: no location is built. Each time the result is what
    a publication into an empty folder gives."""
    tables = project_gold.gold_tables()
    site = tmp_path / "site"
    gold1 = _gold(tmp_path / "gold1", tables)
    first = publish_site(str(gold1), local(str(site)))
    built = _built_locations(monkeypatch)
    again = publish_site(str(gold1), local(str(site)))
    assert built == []
    assert sorted(again) == sorted(first)          # every file still reported, none twice
    before = _stamps(site)
    gold2 = _gold(tmp_path / "gold2", _next_day(tables))
    publish_site(str(gold2), local(str(site)))
    b1, b2 = project_gold.B1, project_gold.B2
    assert {"orderers/KT-01", f"primes/{b1}", "orderers/131016", f"primes/{b2}"} <= set(built)
    assert "orderers/prefecture" not in built
    after = _stamps(site)
    kept = [p for p in before if p.startswith("orderers/prefecture/")]
    assert "orderers/prefecture/index.html" in kept and [p for p in kept if after[p] != before[p]] == []
    fresh = tmp_path / "fresh"
    publish_site(str(gold2), local(str(fresh)))
    assert _files(site) == _files(fresh)


def test_a_location_without_its_index_or_its_manifest_is_built(tmp_path, monkeypatch):
    """An index page removed by hand, or a manifest that cannot be read: the location is built
    again and holds what a fresh publication writes."""
    gold, site = _gold(tmp_path / "gold", project_gold.gold_tables()), tmp_path / "site"
    publish_site(str(gold), local(str(site)))
    (site / "orderers/prefecture/index.html").unlink()
    (site / f"primes/{project_gold.B1}/manifest.json").write_text("{not json", encoding="utf-8")
    built = _built_locations(monkeypatch)
    publish_site(str(gold), local(str(site)))
    assert sorted(built) == ["orderers/prefecture", f"primes/{project_gold.B1}"]
    fresh = tmp_path / "fresh"
    publish_site(str(gold), local(str(fresh)))
    assert _files(site) == _files(fresh)


def test_a_location_reads_only_the_marts_its_digest_covers(tmp_path):
    """A location is skipped when its sites' page digests are unchanged: that holds only while
    building it reads no mart beyond those digests' (unchanged.PAGE_MARTS). Every mart a
    location's building reads is recorded."""
    from dashboards.io import locate
    from dashboards.projects import data as project_data

    seen: set[str] = set()

    class Recording(dict):
        def get(self, key, default=None):
            seen.add(key)
            return super().get(key, default)

        def __getitem__(self, key):
            seen.add(key)
            return super().__getitem__(key)

        def __contains__(self, key):
            seen.add(key)
            return super().__contains__(key)

    data = project_data.load(locate(str(_gold(tmp_path / "gold", project_gold.gold_tables()))), None)
    # each site's as-of date (read from every site mart, kentaikyo_business_monthly's months
    # included) is itself in the digest: computed before the recording starts
    data.site_as_of(str(data.sites["site_id"].iloc[0]))
    data.marts = Recording(data.marts)
    places = project_locations.ProjectLocations(data)
    for unit in places.units:
        places.build(unit)
    assert len(places.units) >= 5 and seen
    assert seen <= set(unchanged.PAGE_MARTS), seen - set(unchanged.PAGE_MARTS)

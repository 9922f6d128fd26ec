"""The orderers' and primes' locations written by two processes (a spawned worker beside the
publishing one) are the same files as those written by one; hand-made gold with many sites
(test_publish_streaming)."""

from __future__ import annotations

from pathlib import Path

from dashboards.io import Writer, locate
from dashboards.projects import data as project_data
from dashboards.projects import workers as project_workers
from dashboards.publish import publish_site
from dashboards.settings import local
from tests.test_publish_streaming import _many_sites, _write


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_worker_process_writes_the_same_locations(tmp_path):
    """Every job run by the spawned worker (this process takes none): the same bytes."""
    gold = _write(_many_sites(300), tmp_path / "gold")
    publish_site(str(gold), local(str(tmp_path / "one")))
    settings = local(str(tmp_path / "two"))
    targets = project_workers.Targets(settings.locations.orderers, settings.locations.primes)
    jobs = project_workers.Jobs(project_data.load(locate(str(gold))), targets, Writer(None))
    paths = project_workers.ProjectWorkers.start(str(gold), None, targets, 2).join(None)
    # 304 sites (4 + 300 copies of S1), each page in 2 locations, and the locations themselves
    assert len(jobs.places.records) == 304 and len(jobs) == 304 + len(jobs.places.units)
    assert len(paths) > 2 * 304
    one, two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert set(two) == {p for p in one if p.startswith(("orderers/", "primes/"))}
    for path, data in two.items():
        assert one[path] == data, path


def test_two_processes_publish_the_same_site_as_one(tmp_path, monkeypatch):
    gold = _write(_many_sites(900), tmp_path / "gold")
    # a national publication has ~100 000 jobs; here workers start from 500
    monkeypatch.setattr(project_workers, "MIN_JOBS", 500)
    one = publish_site(str(gold), local(str(tmp_path / "one"), workers=1))
    two = publish_site(str(gold), local(str(tmp_path / "two"), workers=2))
    assert sorted(Path(p).relative_to(tmp_path / "two") for p in two) == sorted(
        Path(p).relative_to(tmp_path / "one") for p in one)
    assert len([p for p in two if "/sites/31" in p]) == 2 * 900          # each in its orderer's and its prime's
    assert _files(tmp_path / "two") == _files(tmp_path / "one")

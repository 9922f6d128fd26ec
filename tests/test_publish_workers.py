"""Site pages written by two processes (a spawned worker beside the publishing one) are the same
files as those written by one; hand-made gold with many sites (test_publish_streaming)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboards import project, project_workers
from dashboards.io import locate
from dashboards.publish import publish_site
from dashboards.targets import publish_workers
from tests.test_publish_streaming import _many_sites, _write


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_worker_process_writes_the_same_pages(tmp_path):
    """Every site page written by the spawned worker (this process takes none): the same bytes,
    paths in site order."""
    gold = _write(_many_sites(900), tmp_path / "gold")
    publish_site(str(gold), str(tmp_path / "one"))
    gold_at, site_at = locate(str(gold)), locate(str(tmp_path / "two"))
    data = project.load(gold_at)
    sites = data.sites.to_dict("records")
    workers = project_workers.SitePageWorkers.start(gold_at, None, sites, site_at, 2)
    written = workers.join(data, [], site_at)      # no sites for this process: the worker takes them all
    assert written == [str(tmp_path / "two" / "projects" / s["site_id"] / "index.html") for s in sites]
    for s in sites:
        page = f"projects/{s['site_id']}/index.html"
        assert (tmp_path / "two" / page).read_bytes() == (tmp_path / "one" / page).read_bytes(), page


def test_two_processes_publish_the_same_site_as_one(tmp_path, monkeypatch):
    gold = _write(_many_sites(900), tmp_path / "gold")
    # a national publication has ~64 000 sites; here workers start from 500
    monkeypatch.setattr(project_workers, "MIN_SITES", 500)

    monkeypatch.setenv("CCUS_PUBLISH_WORKERS", "1")
    one = publish_site(str(gold), str(tmp_path / "one"))
    monkeypatch.setenv("CCUS_PUBLISH_WORKERS", "2")
    two = publish_site(str(gold), str(tmp_path / "two"))

    assert [Path(p).relative_to(tmp_path / "two") for p in two] == [Path(p).relative_to(tmp_path / "one") for p in one]
    assert len([p for p in two if "/projects/31" in p]) == 900
    assert _files(tmp_path / "two") == _files(tmp_path / "one")


def test_workers_setting():
    assert publish_workers({}) == 2 and publish_workers({"CCUS_PUBLISH_WORKERS": "1"}) == 1
    with pytest.raises(ValueError, match="CCUS_PUBLISH_WORKERS='0'"):
        publish_workers({"CCUS_PUBLISH_WORKERS": "0"})

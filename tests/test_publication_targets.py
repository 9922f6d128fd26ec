"""Each audience's pages to its own location (configuration), local folders and s3:// prefixes on
a real S3-protocol server (moto on 127.0.0.1); small hand-made gold, no pipeline run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import s3fs

from ccus.lakehouse import Lakehouse
from ccus.runner import _dashboard_lines
from dashboards.png_export import chart_specs
from dashboards.publish import publish_site
from dashboards.targets import export_png, publication_targets
from tests import test_association_pages, test_dashboards
from tests.s3_server import CREDENTIALS, s3_server


def test_targets_come_from_configuration():
    assert publication_targets("/lh/site", {}) == {
        "ministry": "/lh/site", "associations": "/lh/site", "projects": "/lh/site"}
    env = {"CCUS_SITE": "/srv/pages", "CCUS_SITE_MINISTRY": "s3://mlit-pages/ccus", "CCUS_SITE_PROJECTS": ""}
    assert publication_targets("/lh/site", env) == {
        "ministry": "s3://mlit-pages/ccus", "associations": "/srv/pages", "projects": "/srv/pages"}
    with pytest.raises(ValueError, match="CCUS_SITE_ASSOCIATIONS='ftp://x/y': a publication location is a local"):
        publication_targets("/lh/site", {"CCUS_SITE_ASSOCIATIONS": "ftp://x/y"})
    assert export_png({}) is True and export_png({"CCUS_EXPORT_PNG": "0"}) is False
    with pytest.raises(ValueError, match="CCUS_EXPORT_PNG='maybe'"):
        export_png({"CCUS_EXPORT_PNG": "maybe"})


def test_run_summary_names_each_location(tmp_path, monkeypatch):
    lh = Lakehouse(tmp_path / "lh")
    monkeypatch.delenv("CCUS_SITE", raising=False)
    for name in ("CCUS_SITE_MINISTRY", "CCUS_SITE_ASSOCIATIONS", "CCUS_SITE_PROJECTS"):
        monkeypatch.delenv(name, raising=False)
    assert _dashboard_lines(lh) == [f"dashboards: {lh.path('site/index.html')}"]
    monkeypatch.setenv("CCUS_SITE_MINISTRY", "s3://mlit-pages/ccus/")
    assert _dashboard_lines(lh) == ["dashboards (ministry): s3://mlit-pages/ccus/ministry/index.html",
                                    f"dashboards (associations): {lh.path('site')}/associations/index.html",
                                    f"dashboards (projects): {lh.path('site')}/projects/index.html"]


@pytest.fixture(scope="module")
def gold(tmp_path_factory) -> Path:
    """Ministry marts (test_dashboards) and association marts with their sites (test_association_pages):
    pages for all three audiences."""
    root = tmp_path_factory.mktemp("targets") / "gold"
    test_dashboards.write_gold(root)
    test_association_pages.write_gold(root)
    return root


def test_every_chart_says_what_as_of_and_source(gold, tmp_path):
    """On every page of the three audiences: a title (what), a subtitle (how it is measured) and
    a source line naming the gold mart(s) and the data's as-of date, in Japanese and English."""
    site = tmp_path / "site"
    publish_site(str(gold), str(site))
    marts = {p.stem for p in gold.glob("*.parquet")}
    seen = 0
    for page in sorted(site.rglob("*.html")):
        for chart_id, spec in chart_specs(page.read_text(encoding="utf-8")).items():
            layout, english = spec["figure"]["layout"], spec["labels"]["en"]["layout"]
            where = f"{page.relative_to(site)} {chart_id}"
            assert layout["title"]["text"] and layout["title"]["subtitle"]["text"], where
            source = layout["annotations"][0]["text"]
            assert source.startswith("出典（goldマート）: ") and re.search(r"\d{4}年\d{1,2}月", source), (where, source)
            assert any(m in source for m in marts), (where, source)
            en = english.get("annotations[0].text", "")
            assert en.startswith("Source (gold marts): ") and re.search(r"(as of|up to) .*\d{4}", en), (where, en)
            seen += 1
    assert seen >= 8, seen      # ministry, two associations, projects


def _listing(fs, root: str) -> list[str]:
    return sorted(p.removeprefix(root + "/") for p in fs.find(root))


def test_each_audience_to_its_own_location_on_s3(gold, tmp_path, monkeypatch):
    local = tmp_path / "local-site"
    reference = publish_site(str(gold), str(local))                      # everything in one folder
    assert {Path(p).relative_to(local).parts[0] for p in reference} == {
        "assets", "index.html", "ministry", "associations", "projects"}

    with s3_server() as endpoint:
        for key, value in {**CREDENTIALS, "AWS_ENDPOINT_URL": endpoint, "CCUS_S3_MAX_ATTEMPTS": "2"}.items():
            monkeypatch.setenv(key, value)
        fs = s3fs.S3FileSystem(client_kwargs={"endpoint_url": endpoint}, skip_instance_cache=True)
        fs.mkdir("mlit-pages")
        fs.mkdir("association-pages")
        projects = tmp_path / "for-orderers-and-primes"
        written = publish_site(str(gold), str(tmp_path / "default-site"), targets={
            "ministry": "s3://mlit-pages/ccus", "associations": "s3://association-pages/reports",
            "projects": str(projects)})

        ministry = _listing(fs, "mlit-pages/ccus")
        associations = _listing(fs, "association-pages/reports")
        assert ministry == ["assets/plotly.min.js", "index.html", "ministry/index.html"]
        assert associations == ["assets/plotly.min.js", "associations/NIHONTOBI/index.html",
                                "associations/ZENTEKKIN/index.html", "associations/index.html", "index.html"]
        # the same pages as the single-folder publication, byte for byte (the top page lists
        # only the location's own audiences, so it differs)
        for bucket, paths in (("mlit-pages/ccus", ministry), ("association-pages/reports", associations)):
            for path in paths:
                if path != "index.html":
                    assert fs.cat_file(f"{bucket}/{path}") == (local / path).read_bytes(), path
        home = fs.cat_file("mlit-pages/ccus/index.html").decode("utf-8")
        assert 'href="ministry/index.html"' in home
        assert "associations" not in home and "projects" not in home and "建設業団体" not in home
        assert "s3://mlit-pages/ccus/ministry/index.html" in written

    on_disk = sorted(p.relative_to(projects).as_posix() for p in projects.rglob("*") if p.is_file())
    assert on_disk[:2] == ["assets/plotly.min.js", "index.html"]
    assert all(p.startswith("projects/") for p in on_disk[2:]) and "projects/index.html" in on_disk
    assert not (tmp_path / "default-site").exists()                     # every audience went elsewhere

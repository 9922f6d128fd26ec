"""Each audience's pages to its own location (configuration), local folders and s3:// prefixes on
a real S3-protocol server (moto on 127.0.0.1); small hand-made gold, no pipeline run."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import dagster as dg
import pytest
import s3fs

from assets.publish import published_site

from orchestration.runner import _dashboard_lines
from ccus.settings import Publication, Settings
from dashboards.disclosure.audit import audit_location
from dashboards.png_export import chart_specs
from dashboards.publish import publish_site
from dashboards.settings import local, resolve
from orchestration.resources import resources
from tests import test_association_pages, test_dashboards
from tests.s3_server import CREDENTIALS, s3_server


def from_mapping(env: dict, default_site: str):
    """The publication settings as the entry point makes them: read and checked once
    (ccus/settings.py), plain values resolved against the lakehouse's site/ (assets/publish.py)."""
    return resolve(default_site, **dataclasses.asdict(Publication.from_environ(env)))


def test_locations_come_from_configuration():
    places = from_mapping({}, "/lh/site").locations
    assert (places.site, places.ministry) == ("/lh/site", "/lh/site/ministry")
    assert places.association("ZENTEKKIN") == "/lh/site/associations/ZENTEKKIN"
    assert (places.orderers, places.primes) == ("/lh/site/orderers/{code}", "/lh/site/primes/{code}")
    env = {"CCUS_SITE": "/srv/pages", "CCUS_SITE_MINISTRY": "s3://mlit-pages/ccus",
           "CCUS_SITE_ASSOCIATIONS": "s3://association-pages/{code}/", "CCUS_SITE_ORDERERS": "",
           "CCUS_SITE_PRIMES": "s3://prime-pages/{code}/ccus"}
    places = from_mapping(env, "/lh/site").locations
    assert places.ministry == "s3://mlit-pages/ccus" and places.orderers == "/srv/pages/orderers/{code}"
    assert places.association("ZENKEN") == "s3://association-pages/ZENKEN/"
    with pytest.raises(ValueError, match="CCUS_SITE_MINISTRY='ftp://x/y': a publication location is a local"):
        from_mapping({"CCUS_SITE_MINISTRY": "ftp://x/y"}, "/lh/site")
    with pytest.raises(ValueError, match="CCUS_SITE_ASSOCIATIONS='s3://b/assoc/': the pattern must hold"):
        from_mapping({"CCUS_SITE_ASSOCIATIONS": "s3://b/assoc/"}, "/lh/site")
    # a code from the data never walks out of its folder
    with pytest.raises(ValueError, match="cannot name a publication location"):
        from_mapping({}, "/lh/site").locations.association("../ministry")
    assert from_mapping({}, "x").png is True and from_mapping({"CCUS_EXPORT_PNG": "0"}, "x").png is False
    with pytest.raises(ValueError, match="CCUS_EXPORT_PNG='maybe'"):
        from_mapping({"CCUS_EXPORT_PNG": "maybe"}, "x")
    assert from_mapping({}, "x").workers == 2 and from_mapping({"CCUS_PUBLISH_WORKERS": "1"}, "x").workers == 1
    with pytest.raises(ValueError, match="CCUS_PUBLISH_WORKERS='0'"):
        from_mapping({"CCUS_PUBLISH_WORKERS": "0"}, "x")


def test_run_summary_names_each_location(tmp_path):
    settings = Settings.from_environ({}, lakehouse=str(tmp_path / "lh"))
    site = f"{tmp_path}/lh/site"
    assert _dashboard_lines(settings) == [
        f"dashboards: {site}/index.html", f"dashboards (ministry): {site}/ministry/index.html",
        f"dashboards (associations): {site}/associations/{{code}}/index.html",
        f"dashboards (orderers): {site}/orderers/{{code}}/index.html",
        f"dashboards (primes): {site}/primes/{{code}}/index.html"]
    settings = Settings.from_environ({"CCUS_SITE_MINISTRY": "s3://mlit-pages/ccus/"}, lakehouse=str(tmp_path / "lh"))
    assert _dashboard_lines(settings)[1] == "dashboards (ministry): s3://mlit-pages/ccus/index.html"


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
    publish_site(str(gold), local(str(site)))
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
    single = tmp_path / "local-site"
    reference = publish_site(str(gold), local(str(single)))                # everything under one folder
    assert {Path(p).relative_to(single).parts[0] for p in reference} == {
        "index.html", "ministry", "associations", "orderers", "primes"}

    with s3_server() as endpoint:
        for key, value in {**CREDENTIALS, "AWS_ENDPOINT_URL": endpoint, "AWS_MAX_ATTEMPTS": "2"}.items():
            monkeypatch.setenv(key, value)
        fs = s3fs.S3FileSystem(client_kwargs={"endpoint_url": endpoint}, skip_instance_cache=True)
        fs.mkdir("mlit-pages")
        fs.mkdir("association-pages")
        # left by an earlier publication, whose manifest listed it: a table no longer published
        # goes; what lies outside every location stays
        fs.pipe_file("mlit-pages/ccus/manifest.json",
                     json.dumps({"files": ["index.html", "tables/withdrawn_table.csv"]}).encode())
        fs.pipe_file("mlit-pages/ccus/tables/withdrawn_table.csv", b"old figures")
        fs.pipe_file("mlit-pages/elsewhere/keep.txt", b"not ours")
        projects = tmp_path / "for-orderers-and-primes"
        settings = from_mapping({"CCUS_SITE_MINISTRY": "s3://mlit-pages/ccus",
                                 "CCUS_SITE_ASSOCIATIONS": "s3://association-pages/reports/{code}",
                                 "CCUS_SITE_ORDERERS": f"{projects}/orderer-{{code}}",
                                 "CCUS_SITE_PRIMES": f"{projects}/prime-{{code}}", "CCUS_EXPORT_PNG": "0"},
                                str(tmp_path / "default-site"))
        written = publish_site(str(gold), settings, s3=lambda: fs)

        ministry = _listing(fs, "mlit-pages/ccus")
        associations = _listing(fs, "association-pages/reports")
        assert {"assets/plotly.min.js", "index.html", "cells.csv", "relations.csv", "manifest.json",
                "tables/targets.csv"} <= set(ministry)
        assert {"ZENTEKKIN/index.html", "ZENTEKKIN/cells.csv", "ZENTEKKIN/assets/plotly.min.js",
                "NIHONTOBI/index.html"} <= set(associations)
        # the same files as the single-folder publication, byte for byte
        for bucket, paths, folder in (("mlit-pages/ccus", ministry, single / "ministry"),
                                      ("association-pages/reports", associations, single / "associations")):
            for path in paths:
                assert fs.cat_file(f"{bucket}/{path}") == (folder / path).read_bytes(), path
        assert "s3://mlit-pages/ccus/index.html" in written
        assert not fs.exists("mlit-pages/ccus/tables/withdrawn_table.csv")
        assert fs.cat_file("mlit-pages/elsewhere/keep.txt") == b"not ours"
        # the audit reads a location back from wherever it is: here, downloaded from the bucket
        copy = tmp_path / "downloaded"
        fs.get("mlit-pages/ccus", str(copy), recursive=True)
        assert audit_location(copy) == []

    on_disk = sorted(p.relative_to(projects).as_posix() for p in projects.rglob("*") if p.is_file())
    # one location per orderer (no code here: its type) and per prime, by the pattern settings
    assert {p.split("/")[0] for p in on_disk} == {"orderer-mlit", "prime-10000000000011", "prime-10000000000012",
                                                 "prime-10000000000013", "prime-20000000000021",
                                                 "prime-99999999999999"}
    # the top page of the default site lists the locations published elsewhere by count only
    home = (tmp_path / "default-site/index.html").read_text(encoding="utf-8")
    assert "mlit-pages" not in home and "ほか1か所はこのサイトの外に公開しています。" in home


def test_dashboards_read_no_environment_and_ccus_run_checks_the_publication_settings_first(tmp_path):
    """The publication's variables are read and checked once, with the run's other settings
    (ccus/settings.py): a bad one stops `Settings.from_environ` (so `ccus run` before any run);
    nothing in dashboards/ reads the environment."""
    root = Path(__file__).resolve().parents[1] / "dashboards"
    assert not [p for p in root.rglob("*.py") if re.search(r"os\.environ|getenv", p.read_text(encoding="utf-8"))]
    settings = Settings.from_environ({"CCUS_SITE_PRIMES": "/srv/primes/{code}", "CCUS_SUPPRESS_MIN_BUSINESSES": "5"},
                                     lakehouse=str(tmp_path / "lh"))
    assert settings.publication.primes == "/srv/primes/{code}" and settings.publication.min_businesses == 5
    with pytest.raises(ValueError, match="CCUS_SITE_ORDERERS='/srv/orderers': the pattern must hold"):
        Settings.from_environ({"CCUS_SITE_ORDERERS": "/srv/orderers"}, lakehouse=str(tmp_path / "lh"))


def test_the_dagster_asset_publishes_where_the_settings_say(tmp_path):
    """assets/publish.py through a real Dagster run, with the resources `ccus run` makes from its
    settings: the ministry to its own folder, thresholds and locations as read once."""
    lakehouse = tmp_path / "lh"
    test_dashboards.write_gold(lakehouse / "gold")
    settings = Settings.from_environ({"CCUS_SITE_MINISTRY": str(tmp_path / "mlit"), "CCUS_EXPORT_PNG": "0"},
                                     lakehouse=str(lakehouse))
    result = dg.materialize([published_site], resources=resources(settings))
    assert result.success
    [event] = result.get_asset_materialization_events()
    metadata = event.materialization.metadata
    assert metadata["location_ministry"].value == str(tmp_path / "mlit")
    assert (tmp_path / "mlit/index.html").is_file() and (tmp_path / "mlit/cells.csv").is_file()
    assert (lakehouse / "site/index.html").is_file() and not (lakehouse / "site/ministry").exists()


def test_the_dagster_asset_of_a_local_lakehouse_publishes_a_location_on_s3(tmp_path, monkeypatch):
    """Finding: the asset handed the local lakehouse's filesystem to an s3:// location, which
    wrote the ministry's pages under a local folder named "s3:" instead of into the bucket."""
    lakehouse = tmp_path / "lh"
    test_dashboards.write_gold(lakehouse / "gold")
    monkeypatch.chdir(tmp_path)
    with s3_server() as endpoint:
        for key, value in {**CREDENTIALS, "AWS_ENDPOINT_URL": endpoint, "AWS_MAX_ATTEMPTS": "2"}.items():
            monkeypatch.setenv(key, value)   # the standard AWS variables, as README's S3 section says
        fs = s3fs.S3FileSystem(client_kwargs={"endpoint_url": endpoint}, skip_instance_cache=True)
        fs.mkdir("mlit-pages")
        settings = Settings.from_environ({"CCUS_SITE_MINISTRY": "s3://mlit-pages/ccus", "CCUS_EXPORT_PNG": "0"},
                                         lakehouse=str(lakehouse))
        result = dg.materialize([published_site], resources=resources(settings))
        assert result.success
        assert {"index.html", "cells.csv", "manifest.json"} <= set(_listing(fs, "mlit-pages/ccus"))
    assert not [p for p in tmp_path.rglob("*") if p.name == "s3:"]
    assert not (lakehouse / "site/ministry").exists()

"""Issue 16, pages part 1: 推計 derived from the seeds' metadata, a methods page in every location
linked from every page, the level section's history window in the seed's numbers; and, over every
page of a real small run, no raw target id and the headline's progress on the official series.

Hand-made gold and seed files where a formula is checked; the shared `make run` small run
(tests/test_publication_audit.py builds it once) for the end-to-end checks."""

from __future__ import annotations

import csv
import json
import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urljoin

import pytest

from assets.dbt_project import dbt_project
from assets.sources import sources, sources_json
from dashboards import render
from dashboards import sources as seed_sources
from dashboards.disclosure.table import Table
from dashboards.i18n import Text
from dashboards.ministry import level_window
from dashboards.publish import publish_site
from dashboards.settings import local
from tests import test_association_pages, test_dashboards

REPO = Path(__file__).resolve().parents[1]


# ------------------------------------------------------------------ 推計 from the seeds' metadata

def _write_seed(folder: Path, name: str, header: list[str], rows: list[list]) -> str:
    path = folder / "seeds" / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return f"seeds/{name}.csv"


def _manifest(folder: Path) -> dict:
    """A dbt manifest in miniature: three seeds, two marts (each through an intermediate model)."""
    seeds = {
        "criteria": (_write_seed(folder, "criteria", ["level", "certainty", "source_url"],
                                 [[2, "published", "https://a.example/x"], [3, "modelled", ""]]), {}),
        "figures": (_write_seed(folder, "figures", ["as_of", "value", "source_url"],
                                [["2025-10-31", 1, "https://b.example/y"]]), {"certainty": "published"}),
        "codes": (_write_seed(folder, "codes", ["code", "certainty"], [["A", "modelled"]]), {"labels_only": True}),
    }
    nodes = {f"seed.p.{n}": {"resource_type": "seed", "name": n, "original_file_path": path,
                             "description": f"The {n}\n  seed.", "config": {"meta": meta}}
             for n, (path, meta) in seeds.items()}
    for name, path in (("int_levels", "models/intermediate/int_levels.sql"),
                       ("levels_mart", "models/marts/levels_mart.sql"),
                       ("figures_mart", "models/marts/figures_mart.sql")):
        nodes[f"model.p.{name}"] = {"resource_type": "model", "name": name, "original_file_path": path}
    parents = {"model.p.int_levels": ["seed.p.criteria"],
               "model.p.levels_mart": ["model.p.int_levels", "seed.p.codes"],
               "model.p.figures_mart": ["seed.p.figures"]}
    return {"nodes": nodes, "parent_map": parents}


def test_the_estimate_label_follows_the_seeds_metadata(tmp_path):
    """A table built from a mart resting on a modelled seed gets 推計 under it, with a link to the
    methods page; one built only from published seeds (or from seeds whose modelled part is codes
    only, yml meta labels_only) does not. The facts come from the rows' certainty column, or the
    yml meta certainty of a seed without one."""
    facts = sources(_manifest(tmp_path), tmp_path)
    assert facts["marts"] == {"figures_mart": ["figures"], "levels_mart": ["codes", "criteria"]}
    criteria = facts["seeds"]["criteria"]
    assert (criteria["published_rows"], criteria["modelled_rows"], criteria["estimate"]) == (1, 1, True)
    assert criteria["source_urls"] == ["https://a.example/x"] and criteria["description"] == "The criteria seed."
    assert facts["seeds"]["figures"]["estimate"] is False and facts["seeds"]["figures"]["published_rows"] == 1
    assert facts["seeds"]["codes"]["modelled_rows"] == 1 and facts["seeds"]["codes"]["estimate"] is False

    known = seed_sources.parse(facts)
    cells_free = [Table("levels", Text("レベル", "Levels"), ("levels_mart",), [], []),
                  Table("figures", Text("公表値", "Official"), ("figures_mart",), [], [])]
    sections = [render.Section("levels", Text("a", "a"), [render.TableView("levels", [], [], [
                    render.csv_link("levels", Text("t", "t"), 1)])]),
                render.Section("figures", Text("b", "b"), [render.TableView("figures", [], [], [
                    render.csv_link("figures", Text("t", "t"), 1)])])]
    marked = seed_sources.mark(sections, cells_free, known, depth=1)
    levels, figures = (s.blocks for s in marked)
    assert [b.kind for b in levels] == ["table", "estimate"] and levels[1].seeds == ("criteria",)
    assert levels[1].href == "../methods.html#estimates"
    assert [b.kind for b in figures] == ["table"]
    html = render.page(title=Text("t", "t"), sections=marked, as_of=None, depth=1)
    assert html.count('class="estimate"') == 1 and "推計" in html and 'data-estimate="criteria"' in html


def test_a_seed_that_does_not_say_what_it_is_stops_the_export(tmp_path):
    manifest = _manifest(tmp_path)
    _write_seed(tmp_path, "figures", ["as_of", "value"], [["2025-10-31", 1]])
    del manifest["nodes"]["seed.p.figures"]["config"]["meta"]["certainty"]
    with pytest.raises(ValueError, match=r"seed figures \(figures.csv\): no certainty column"):
        sources(manifest, tmp_path)
    manifest = _manifest(tmp_path)
    _write_seed(tmp_path, "criteria", ["level", "certainty"], [[2, "published"], [3, "guessed"]])
    with pytest.raises(ValueError, match=r"criteria.csv\), line 3, column certainty: 'guessed'"):
        sources(manifest, tmp_path)


def test_the_project_seeds_all_say_whether_they_are_published_or_modelled():
    """Every seed of the project passes (certainty column or yml meta), the level criteria and the
    level multipliers are estimates, the published registrations are not."""
    facts = json.loads(sources_json(dbt_project.manifest_path, dbt_project.project_dir))
    seeds = facts["seeds"]
    assert seeds["level_criteria"]["estimate"] and seeds["level_criteria"]["modelled_rows"] == 52
    assert seeds["level_multipliers"]["estimate"] and not seeds["published_registrations"]["estimate"]
    assert not seeds["associations"]["estimate"]                         # platform codes, no figure
    assert "level_criteria" in facts["marts"]["level_eligibility_by_business"]
    assert facts["marts"]["target_progress_official"] == ["adoption_targets", "published_registrations"]


# ------------------------------------------------------------------ methods pages

@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """Ministry, association and project locations from hand-made gold, with the project's
    sources.json and one seed description holding markup."""
    root = tmp_path_factory.mktemp("methods")
    gold = root / "gold"
    test_dashboards.write_gold(gold)
    test_association_pages.write_gold(gold)
    facts = json.loads(sources_json(dbt_project.manifest_path, dbt_project.project_dir))
    facts["seeds"]["published_registrations"]["description"] = "<script>alert(1)</script> & more"
    (gold / "sources.json").write_text(json.dumps(facts), encoding="utf-8")
    publish_site(str(gold), local(str(root / "site")))
    return root / "site"


def _locations(site: Path) -> list[Path]:
    return sorted(p.parent for p in site.rglob("manifest.json"))


def test_every_location_has_a_methods_page_linked_from_every_page(published):
    locations = _locations(published)
    kinds = {p.relative_to(published).parts[0] for p in locations}
    assert kinds == {"ministry", "associations", "orderers", "primes"}, kinds
    for location in locations:
        assert (location / "methods.html").is_file(), location
    pages = [p for p in published.rglob("*.html") if p != published / "index.html"]
    assert len(pages) > len(locations) * 2
    for page in pages:
        text = page.read_text(encoding="utf-8")
        links = re.findall(r'<a class="methods-link" href="([^"]+)"', text)
        if page.name == "methods.html":        # the methods page does not link to itself
            assert links == [], page
            continue
        assert len(links) == 2, page                                      # header and footer
        target = Path(urljoin(page.as_uri(), links[0]).removeprefix("file://"))
        assert target.name == "methods.html" and target.is_file() and target.parent in locations, (page, target)


def test_the_methods_page_says_what_the_figures_rest_on_and_how_to_read_them(published):
    ministry = (published / "ministry/methods.html").read_text(encoding="utf-8")
    # each seed the location's tables rest on, its source and whether it is published
    rows = dict(re.findall(r'data-seed="(\w+)" data-estimate="(true|false)"', ministry))
    assert {"adoption_targets": "false", "published_registrations": "false", "level_criteria": "true",
            "closure_excluded_days": "true", "model_project_thresholds": "false"}.items() <= rows.items(), rows
    assert "design_labor_unit_prices" not in rows        # this gold has no wage mart: no wage figure shown
    assert "登録者数の公表値" in ministry and ">senmonshi.com<" in ministry and "公表値" in ministry
    # the suppression rule with the location's thresholds, and how to read 秘匿 / X and -
    assert "技能者10人未満、または事業者3社未満" in ministry and "二次秘匿" in ministry
    assert "「X」" in ministry and "「-」は該当なし（0）" in ministry
    assert "fewer than 10 workers or fewer than 3 businesses" in ministry
    # the progress against the targets: which series it rests on
    assert "達成率と到達見込みは国土交通省の公表値" in ministry
    # autoescaped: a seed's description is text
    assert "<script>alert(1)</script>" not in ministry and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in ministry
    association = next((published / "associations").glob("*/methods.html")).read_text(encoding="utf-8")
    rows = dict(re.findall(r'data-seed="(\w+)" data-estimate="(true|false)"', association))
    assert rows.get("level_criteria") == "true" and rows.get("model_project_thresholds") == "false", rows
    assert rows.get("associations") == "false" and "なし（コードと名称のみ）" in association
    index = association_index = next((published / "associations").glob("*/index.html")).read_text(encoding="utf-8")
    assert 'data-estimate="level_criteria occupations"' in association_index, "the level mix carries 推計"
    assert index.count('class="estimate"') >= 2
    orderer = next((published / "orderers").glob("*/methods.html")).read_text(encoding="utf-8")
    assert "この場所の数値は秘匿処理をしていません" in orderer and "技能者10人未満" not in orderer


# ------------------------------------------------------------------ the level section's window

def _criteria(tmp_path: Path) -> Path:
    path = tmp_path / "level_criteria.csv"
    path.write_text("level,min_work_days,min_foreman_days\n2,645,0\n3,1505,430\n3,1720,645\n4,2150,645\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("window, level3, level4", [
    (365, "none", "none"),         # shorter than every field's 430 foreman days
    (429, "none", "none"),
    (430, "some", "none"),         # exactly 430: the 430-day field can be met, the 645-day one not
    (644, "some", "none"),
    (645, "all", "all"),           # exactly 645: every field
])
def test_the_level_note_says_what_the_window_can_show_in_the_seeds_numbers(tmp_path, window, level3, level4):
    first = date(2024, 4, 1)
    text = level_window.note(first, first + timedelta(days=window - 1), _criteria(tmp_path))
    assert f"の{window:,}日です" in text.ja and f"{window:,} days" in text.en
    assert "レベル3は職長日数430〜645日（就業日数1,505〜1,720日）" in text.ja
    assert "レベル4は職長日数645日（就業日数2,150日）" in text.ja
    expected = {"none": "になる技能者はいません（0人）", "some": f"職長日数の基準が{window:,}日以下の分野でしか",
                "all": "この期間で満たしうる長さです"}
    level3_text = text.ja[text.ja.index("レベル3は"):text.ja.index("レベル4は")]
    level4_text = text.ja[text.ja.index("レベル4は"):]
    assert expected[level3] in level3_text, level3_text
    assert expected[level4] in level4_text.split("。「現在のレベル」")[0] + "。", level4_text
    assert level_window.note(None, date(2025, 3, 31), _criteria(tmp_path)) is None


# ------------------------------------------------------------------ every page of a small run

def test_no_page_of_a_small_run_shows_a_raw_target_id_and_progress_rests_on_the_official_series(small_run):
    site = small_run / "lh" / "site"
    with (REPO / "dbt_project/seeds/adoption_targets.csv").open(encoding="utf-8") as handle:
        targets = list(csv.DictReader(handle))
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for target in targets:
            assert target["target_id"] not in text, (page, target["target_id"])
    ministry = (site / "ministry/index.html").read_text(encoding="utf-8")
    table = ministry[ministry.index('id="targets"'):ministry.index('id="work-history"')]
    for target in targets:
        assert target["name_ja"] in table, target["name_ja"]
    # the sample's own share ("1.3 %") and centuries-away dates are gone: the shares are the
    # official series' (the 1.5M target was passed by the published figures)
    assert "達成率（公表値）" in table and "年度の開始前" in table or "達成" in table
    assert not re.search(r"2[1-9]\d\d年\d{1,2}月", ministry), "a projection past 2100 is printed as a date"
    assert "模擬データ" in table                                    # the platform's value is said to be a sample
    # 推計 under the level section and not under the registered workers' chart
    levels = ministry[ministry.index('<section class="block" id="levels"'):ministry.index('id="input-methods"')]
    assert 'class="estimate"' in levels and "level_criteria" in levels
    assert "職長日数" in levels and "基準を満たすレベル" in levels               # the history-window note
    workers = ministry[ministry.index('<section class="block" id="workers"'):ministry.index('id="businesses"')]
    assert 'class="estimate"' not in workers
    for location in _locations(site):
        assert (location / "methods.html").is_file(), location


def test_the_banner_prints_the_sample_fraction_to_four_significant_digits(tmp_path):
    """The small run records 0.01229600164766422; the banner and the notes that quote it print 0.0123."""
    from dashboards.io import locate
    from dashboards.publish import simulation_banner

    (tmp_path / "simulation.json").write_text('{"scale": "small", "sample_fraction": 0.01229600164766422}',
                                              encoding="utf-8")
    banner = simulation_banner(locate(str(tmp_path)))
    assert banner.ja == "模擬データ（規模 small、抽出率 0.0123）" and banner.en.endswith("sample fraction 0.0123)")


def test_project_pages_mark_the_sections_resting_on_modelled_seeds(published):
    """A site page's tables have no CSV link of their own: the section's downloads line names them.
    The model-project and 4週8休 sections rest on modelled schedules and excluded days; the 建退共
    section on the published daily rate only."""
    page = next(p for p in (published / "orderers").glob("*/sites/*.html")
                if 'id="model-project"' in p.read_text(encoding="utf-8")).read_text(encoding="utf-8")

    def section(section_id):
        start = page.index(f'<section class="block" id="{section_id}"')
        return page[start:page.index("</section>", start)]
    assert 'data-estimate="model_project_schedule"' in section("model-project")
    assert 'data-estimate="closure_excluded_days"' in section("closure")
    assert 'class="estimate"' not in section("kentaikyo")
    assert section("closure").count('class="estimate"') == 1
    assert 'href="../methods.html#estimates"' in section("closure")


def test_the_small_runs_headline_keeps_its_work_history_series(small_run):
    """The headline's figures are linked to the series they come from (cumulative and fiscal
    year to date = Σ its months); on the small simulation the one small month of 2019 (primary)
    costs one complement, not the series, and the headline's new workers, businesses and sites
    and its cumulative days are published. (A suppression that took one complement per window
    hid all 71 other months.)"""
    location = small_run / "lh" / "site" / "ministry"
    with (location / "cells.csv").open(encoding="utf-8-sig") as handle:
        cells = list(csv.DictReader(handle))
    history = [c for c in cells if c["table_id"] == "work_history_monthly"]
    assert len(history) > 24 and sum(1 for c in history if c["suppressed"]) <= 2
    latest = max(json.loads(c["row_key"])["month"] for c in cells if c["table_id"] == "headline")
    shown = {c["measure"] for c in cells if c["table_id"] == "headline" and not c["suppressed"]
             and json.loads(c["row_key"])["month"] == latest}
    assert {"new_workers", "new_businesses", "new_sites", "work_history_days_cumulative"} <= shown

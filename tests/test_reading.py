"""Reading the pages (issue 16): axes, numbers and months as a reader expects them, prefectures in
JIS code order, English terms in the English view — on the pages of every kind, built from the
hand-made gold marts of the dashboard, association and project tests, in a real Chromium
(tests/browser.py) where what is drawn matters.
"""
from __future__ import annotations

import csv
import html
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboards import charts, png_export
from dashboards.png_export import chart_specs, figure_in
from dashboards.publish import publish_site
from dashboards.settings import local

from tests import browser
from tests import test_association_pages as association_gold
from tests import test_dashboards as dashboard_gold
from tests import test_project_pages as project_gold

ARTIFACTS = Path(__file__).parent / "artifacts"
S1 = project_gold.S1
JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")
MONTH_KEY = re.compile(r"(?<![\d-])\d{4}-\d{2}(?![\d-])")     # 2025-02, not 2025-02-01 nor an id


def _project_tables() -> dict[str, pa.Table]:
    """The project tests' gold with S1's February 建退共 days at 130 (plotly's own ticks of the
    coverage axis, laid on the day axis's 0-136, read 0/33/66/100 %) and the prefectures' 建退共
    days ten times theirs (71,600 in all: plotly wrote "70k" on the Japanese page)."""
    tables = project_gold.gold_tables()
    rows = tables["kentaikyo_site_monthly"].to_pylist()
    for row in rows:
        if row["site_id"] == S1 and row["month"].month == 2:
            row["days_due"] = 130
    tables["kentaikyo_site_monthly"] = pa.Table.from_pylist(rows, schema=tables["kentaikyo_site_monthly"].schema)
    rows = tables["kentaikyo_prefecture_monthly"].to_pylist()
    for row in rows:
        for column in ("days_due", "amount_due_yen", "days_reported", "amount_reported_yen", "covered_days",
                       "shortfall_yen"):
            row[column] *= 10
    tables["kentaikyo_prefecture_monthly"] = pa.Table.from_pylist(
        rows, schema=tables["kentaikyo_prefecture_monthly"].schema)
    # working time reported since July 2019 (work history reaches back), nobody over a cap
    # before March 2025: the chart's axis spanned 2019-2025 for one month of bars
    rows = tables["worktime_violations_monthly"].to_pylist()
    first = dict(rows[0])
    for month in dashboard_gold._months(2019, 7, 68):          # 2019-07 … 2025-02
        rows.append({**first, "month": month, "caps_in_force": month >= date(2024, 4, 1),
                     **{c: 0 for c in first if c.startswith(("workers_over", "businesses_over", "workers_above"))}})
    tables["worktime_violations_monthly"] = pa.Table.from_pylist(
        rows, schema=tables["worktime_violations_monthly"].schema)
    return tables


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """Three published sites: the national adoption pages (dash), associations (assoc) and
    orderers / primes with the ministry's compliance sections (project)."""
    root = tmp_path_factory.mktemp("reading")
    dash = dashboard_gold.write_gold(root / "dash/gold")
    assoc = association_gold.write_gold(root / "assoc/gold")
    project = root / "project/gold"
    project.mkdir(parents=True)
    for name, table in _project_tables().items():
        pq.write_table(table, project / f"{name}.parquet")
    for gold in (dash, assoc, project):
        publish_site(str(gold), local(str(gold.parent / "site")))
    return {name: root / name / "site" for name in ("dash", "assoc", "project")}


def _pages(sites) -> dict[str, Path]:
    """One page of each kind."""
    return {"ministry": sites["dash"] / "ministry/index.html",
            "ministry compliance": sites["project"] / "ministry/index.html",
            "ministry wages": sites["assoc"] / "ministry/index.html",
            "ministry prefecture sites": sites["project"] / "ministry/sites/13.html",
            "association": sites["assoc"] / "associations/ZENTEKKIN/index.html",
            "project": sites["project"] / f"orderers/KT-01/sites/{S1}.html",
            "orderer": sites["project"] / "orderers/KT-01/index.html",
            "prime": sites["project"] / f"primes/{project_gold.B1}/index.html",
            "top": sites["project"] / "index.html"}


def _figures(sites):
    """(page kind, chart id, language, figure as drawn in that language) of every chart."""
    for kind, page in _pages(sites).items():
        for chart_id, spec in chart_specs(page.read_text(encoding="utf-8")).items():
            for lang in ("ja", "en"):
                yield kind, chart_id, lang, figure_in(spec, lang)


def _axes(figure: dict):
    return [(name, axis) for name, axis in figure["layout"].items() if re.fullmatch(r"[xy]axis\d*", name)]


def _with_script(page: Path, action: str) -> browser.BrowserRun:
    """Open ``page`` and run ``action`` (JavaScript) once its charts are drawn."""
    script = ("<script>(function w(){document.documentElement.getAttribute('data-ready')==='true'"
              "?(document.documentElement.removeAttribute('data-ready')," + action + ","
              "setTimeout(function(){document.documentElement.setAttribute('data-ready','true')},300))"
              ":setTimeout(w,50)})()</script></body>")
    test_page = page.parent / "_reading_test.html"
    test_page.write_text(page.read_text(encoding="utf-8").replace("</body>", script), encoding="utf-8")
    try:
        return browser.dump_dom(test_page)
    finally:
        test_page.unlink()


def _ticks(dom: str, chart_id: str, axis: str) -> list[str]:
    """The tick labels plotly drew on ``axis`` ("ytick", "y2tick", "xtick") of one chart."""
    start = dom.index(f'<div id="{chart_id}"')
    following = re.compile(r'<div id="[^"]+" class="ccus-chart').search(dom, start + 1)
    part = dom[start:following.start() if following else len(dom)]
    return [html.unescape(t) for t in re.findall(rf'<g class="{axis}"><text[^>]*?data-unformatted="([^"]*)"', part)]


# ------------------------------------------------------------------ 1. axes and numbers

def test_rate_axes_end_at_100_percent_with_round_ticks(sites):
    """Every rate axis (the project's 建退共 coverage, the ministry's coverage, shares, closure
    rates): ticks 0/25/50/75/100 %, the 100 % line inside the plot. Drawn in Chromium: the
    project's coverage axis, laid over 0-136 days, read 0/33/66/100 % before (0/24/47/71/95 % on
    other data)."""
    run = browser.dump_dom(_pages(sites)["project"])
    assert run.console == [], run.console
    assert _ticks(run.stdout, f"chart-kentaikyo-{S1}", "y2tick") == ["0%", "25%", "50%", "75%", "100%"]
    rate_axes = 0
    for kind, chart_id, lang, figure in _figures(sites):
        for name, axis in _axes(figure):
            texts = [str(t) for t in axis.get("ticktext", [])]
            if str(axis.get("tickformat", "")).endswith("%") or any(t.endswith("%") for t in texts):
                rate_axes += 1
                assert axis.get("tickvals") == [0, 0.25, 0.5, 0.75, 1], (kind, chart_id, name)
                assert axis["range"][0] == 0 and 1 < axis["range"][1] <= 1.1, (kind, chart_id, name)
    assert rate_axes >= 2 * 5      # ministry: coverage, insurance shares; project: rates, coverage, closure


def test_japanese_pages_write_counts_in_man_not_si(sites):
    """plotly writes 40,000 days as "40k": on a Japanese page a count reads 4万 (or 4,000), with
    k/M only in English. Drawn: the ministry's 建退共 days axis (0-71,600) in both languages."""
    page = _pages(sites)["ministry compliance"]
    ja = _ticks(browser.dump_dom(page).stdout, "chart-compliance-kentaikyo", "ytick")
    en = _ticks(browser.dump_dom(f"{page}#lang=en").stdout, "chart-compliance-kentaikyo", "ytick")
    assert ja and not any(re.search(r"\d[kKMGB]$", t) for t in ja), ja
    assert "2万" in ja, ja
    assert "20K" in en, en
    for kind, chart_id, lang, figure in _figures(sites):
        for name, axis in _axes(figure):
            if axis.get("type") in ("date", "category") or "tickvals" in axis or str(axis.get("tickformat", "")).endswith("%"):
                continue
            if lang == "ja":     # an automatic numeric axis: plotly's SI suffixes unless told otherwise
                assert axis.get("exponentformat") == "none" or axis.get("tickformat", "").startswith(","), \
                    (kind, chart_id, name)


def test_wage_axis_in_man_yen_without_a_title(sites):
    """The association's wage chart: ticks 0円 / 200万円 / … (¥2M in English), no axis title."""
    spec = chart_specs(_pages(sites)["association"].read_text(encoding="utf-8"))["chart-wages"]
    ja, en = figure_in(spec, "ja")["layout"]["xaxis"], figure_in(spec, "en")["layout"]["xaxis"]
    assert "title" not in ja
    assert ja["ticktext"][:3] == ["0円", "200万円", "400万円"], ja["ticktext"]
    assert en["ticktext"][:3] == ["¥0", "¥2M", "¥4M"], en["ticktext"]


OVERLAPS = (
    "(function(){var out=[];"
    "function box(e){var r=e.getBoundingClientRect();return r.width&&r.height?r:null}"
    "function hit(a,b){return a.left<b.right-1&&b.left<a.right-1&&a.top<b.bottom-1&&b.top<a.bottom-1}"
    "Array.prototype.forEach.call(document.querySelectorAll('div.ccus-chart'),function(div){"
    "var labels=[].slice.call(div.querySelectorAll('.g-xtitle text,.g-ytitle text,.g-y2title text,"
    "g.annotation text,g.legend .legendtext,.gtitle,.gtitle-subtitle'));"
    "var all=labels.concat([].slice.call(div.querySelectorAll('.xtick text,.ytick text,.y2tick text')));"
    "labels.forEach(function(a,i){var ra=box(a);if(!ra)return;all.forEach(function(b,j){"
    "if(b===a||(j<labels.length&&j<=i))return;var rb=box(b);"
    "if(rb&&hit(ra,rb))out.push(div.id+': '+a.textContent+' / '+b.textContent)})})});"
    "document.body.setAttribute('data-overlaps',JSON.stringify(out))})()")


@pytest.mark.parametrize("kind", ["association", "ministry", "ministry compliance", "ministry wages", "project"])
def test_chart_texts_do_not_overlap(sites, kind):
    """No axis title, source line, legend entry or title runs into another text of its chart
    (the association's wage axis title "円" sat on the source line), in Chromium, both languages."""
    page = _pages(sites)[kind]
    for lang in ("ja", "en"):
        action = OVERLAPS if lang == "ja" else f"window.ccusSetLang('en').then(function(){{{OVERLAPS}}})"
        run = _with_script(page, action)
        assert run.console == [], run.console
        found = re.search(r'data-overlaps="([^"]*)"', run.stdout)
        assert found, "the overlap check did not run"
        assert json.loads(html.unescape(found.group(1))) == [], (kind, lang)


WIDE_TABLES = (
    "(function(){var out=[];"
    "Array.prototype.forEach.call(document.querySelectorAll('table.data'),function(t){"
    "var box=t.closest('section.block')||document.querySelector('main');"
    "var room=box.clientWidth-parseFloat(getComputedStyle(box).paddingLeft)-parseFloat(getComputedStyle(box).paddingRight);"
    "if(t.getBoundingClientRect().width>room+1)out.push((t.id||'?')+': '+Math.round(t.getBoundingClientRect().width)+' > '+Math.round(room))});"
    "document.body.setAttribute('data-wide',JSON.stringify(out))})()")


@pytest.mark.parametrize("kind", ["ministry", "ministry compliance", "ministry wages", "ministry prefecture sites",
                                  "association", "project", "orderer", "prime"])
def test_tables_fit_their_box_on_a_1280_pixel_screen(sites, kind):
    """Every table fits inside its section at 1280 px, in both languages: a reader does not scroll
    sideways to see the last column (the ministry's target table lost its 状況 column and the
    orderers' site tables their last columns at the card's edge; keep-all kept each Japanese
    phrase on one line)."""
    page = _pages(sites)[kind]
    for lang in ("ja", "en"):
        action = WIDE_TABLES if lang == "ja" else f"window.ccusSetLang('en').then(function(){{{WIDE_TABLES}}})"
        run = _with_script(page, action)
        found = re.search(r'data-wide="([^"]*)"', run.stdout)
        assert found, "the width check did not run"
        assert json.loads(html.unescape(found.group(1))) == [], (kind, lang)


def test_a_month_axis_spans_the_months_with_something_to_draw(sites):
    """The working-time chart of the ministry: 68 months of nothing (2019-07 … 2025-02), then
    March 2025. Its axis shows March 2025, not 2019-2025 with one month of bars; the table and
    its CSV keep every month."""
    page = _pages(sites)["ministry compliance"]
    spec = chart_specs(page.read_text(encoding="utf-8"))["chart-compliance-worktime"]
    assert {x for trace in spec["figure"]["data"] for x in trace["x"]} == {"2025-03-01"}
    run = browser.dump_dom(page)
    assert run.console == [], run.console
    assert _ticks(run.stdout, "chart-compliance-worktime", "xtick") == ["2025年3月"]
    csv = (page.parent / "tables/worktime_monthly.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(csv) == 1 + 69


def test_count_axes_have_whole_ticks():
    """An all-suppressed count chart drew 0 / 0.3 / 0.5 / 0.8 / 1 / 1.3 workers."""
    assert charts.nice_ticks(1.15, whole=True) == [0, 1, 2]
    assert charts.nice_ticks(7_160, whole=True) == [0, 2_000, 4_000, 6_000, 8_000]
    assert charts.count_axis(1.15, "ja", "人数")["ticktext"] == ["0", "1", "2"]


# ------------------------------------------------------------------ 1. months

DATE_FORMAT = re.compile(r"%\{x\|([^}]*)\}")


def _display_strings(node, path=""):
    """The label strings of a figure (not its data, fonts or shapes)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("x", "y", "z", "locations", "geojson", "font", "marker", "line", "colorscale", "tickvals",
                       "range", "shapes"):
                continue
            yield from _display_strings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for value in node:
            yield from _display_strings(value, path)
    elif isinstance(node, str):
        yield path, node


def test_one_month_format_per_language_in_charts(sites):
    """Months read 2025年2月 / Feb 2025 and days 2025年2月1日 / 1 Feb 2025 on every axis, in every
    hover text and label — never 2025-02 (the project pages' axes and hovers) or %Y-%m."""
    for kind, chart_id, lang, figure in _figures(sites):
        for path, text in _display_strings(figure):
            assert not MONTH_KEY.search(text), (kind, chart_id, lang, path, text)
            for used in DATE_FORMAT.findall(text):
                assert used in (charts.MONTH_FORMAT[lang], charts.DAY_FORMAT[lang]), (kind, chart_id, path, text)
        for name, axis in _axes(figure):
            for key in ("tickformat", "hoverformat"):
                if axis.get("type") == "date" and key in axis:
                    assert axis[key] in (charts.MONTH_FORMAT[lang], charts.DAY_FORMAT[lang]), (kind, chart_id, name)


def test_one_month_format_per_language_drawn(sites):
    """In Chromium: the project page's month axes read 2025年2月 / Feb 2025; no 2025-02 is drawn."""
    page = _pages(sites)["project"]
    ja = browser.dump_dom(page).stdout
    en = browser.dump_dom(f"{page}#lang=en").stdout
    assert _ticks(ja, f"chart-kentaikyo-{S1}", "xtick") == ["2025年2月", "2025年3月"]
    assert _ticks(en, f"chart-kentaikyo-{S1}", "xtick") == ["Feb 2025", "Mar 2025"]
    for dom in (ja, en):
        assert not MONTH_KEY.search(" ".join(dashboard_gold.svg_text(dom).split())), MONTH_KEY.search(
            dashboard_gold.svg_text(dom))


class _Visible(HTMLParser):
    """The text a reader sees in one language: the other language's elements, scripts and styles
    left out."""

    VOID = {"br", "img", "meta", "link", "input", "hr", "col", "area", "base", "wbr", "source"}

    def __init__(self, lang: str):
        super().__init__()
        self.hide = "en" if lang == "ja" else "ja"
        self.stack: list[bool] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        hidden = dict(attrs).get("data-lang") == self.hide or tag in ("script", "style", "title")
        self.stack.append(hidden or (self.stack[-1] if self.stack else False))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.text.append(data)


def visible_text(page_html: str, lang: str) -> str:
    parser = _Visible(lang)
    parser.feed(page_html)
    return " ".join(parser.text)


def test_one_month_format_per_language_in_tables(sites):
    """The tables and notes of every page write months as their charts do."""
    for kind, page in _pages(sites).items():
        text = page.read_text(encoding="utf-8")
        for lang in ("ja", "en"):
            found = MONTH_KEY.search(visible_text(text, lang))
            assert not found, (kind, lang, found)


# ------------------------------------------------------------------ 2. prefectures in JIS order

SORT_NOTE = ("document.body.setAttribute('data-order-{n}',Array.prototype.map.call("
             "document.querySelectorAll('#table-{table} tbody tr'),function(r){{return (r.cells[0].querySelector('[data-lang=ja]')||r.cells[0]).textContent.trim()}})"
             ".join('|'))")
CLICK = "document.querySelectorAll('#table-{table} th')[0].click()"


def test_a_click_on_the_prefecture_heading_sorts_in_jis_order(sites):
    """Prefecture columns sort by the seed's code (01 北海道, 02 青森県, 13 東京都, 27 大阪府),
    not by the Japanese string; the national row stays last; the ranking stays by value."""
    page = _pages(sites)["ministry compliance"]
    table = "kentaikyo_prefectures"
    steps = [SORT_NOTE.format(n=0, table=table), CLICK.format(table=table), SORT_NOTE.format(n=1, table=table),
             CLICK.format(table=table), SORT_NOTE.format(n=2, table=table)]
    run = _with_script(page, ",".join(steps))
    assert run.console == [], run.console
    order = {n: re.search(f'data-order-{n}="([^"]*)"', run.stdout).group(1).split("|") for n in (0, 1, 2)}
    assert order[0] == ["北海道", "青森県", "東京都", "大阪府", "全国"]        # as built
    assert order[1] == ["北海道", "青森県", "東京都", "大阪府", "全国"]        # ascending by code
    assert order[2] == ["大阪府", "東京都", "青森県", "北海道", "全国"]        # descending by code
    # the ranking of the dashboards' ministry page: by value, and by code on a click
    ranking = _with_script(_pages(sites)["ministry"], ",".join(
        [SORT_NOTE.format(n=0, table="prefectures"), CLICK.format(table="prefectures"),
         SORT_NOTE.format(n=1, table="prefectures")]))
    order = {n: re.search(f'data-order-{n}="([^"]*)"', ranking.stdout).group(1).split("|") for n in (0, 1)}
    assert order[0] == ["東京都", "大阪府", "北海道", "沖縄県", "全国"]
    assert order[1] == ["北海道", "東京都", "大阪府", "沖縄県", "全国"]


def test_prefecture_order_is_the_seeds_code():
    from dashboards import names
    assert [names.prefecture_order(c) for c in ("01", "13", "47")] == [1, 13, 47]
    assert names.prefecture_order(None) == names.prefecture_order("99") == 99   # unknown: after 沖縄県


# ------------------------------------------------------------------ 3. English terms

# Names from the data that have no English form (a site's or a business's name), and the
# switch button, which names the other language in that language.
PROPER_NOUNS = ("東京国道改良工事", "大阪府庁舎改修工事", "市道補修工事", "民間ビル新築工事", "福岡港湾工事（他の発注者）",
                "東京建設株式会社", "民間建設株式会社", "海外港湾建設株式会社", "日本語")


def _untranslated(text: str) -> list[str]:
    for noun in PROPER_NOUNS:
        text = text.replace(noun, " ")
    return JAPANESE.findall(text)


def test_english_view_has_no_untranslated_japanese(sites):
    """建退共, 4週8休, 能力評価 (and 工事成績評定) read in English on every kind of page: its text
    and every label of its charts as the English switch draws them."""
    for kind, page in _pages(sites).items():
        text = page.read_text(encoding="utf-8")
        assert _untranslated(visible_text(text, "en")) == [], kind
        for chart_id, spec in chart_specs(text).items():
            for path, label in _display_strings(figure_in(spec, "en")):
                assert _untranslated(label) == [], (kind, chart_id, path, label)
    ministry = visible_text(_pages(sites)["ministry compliance"].read_text(encoding="utf-8"), "en")
    for term in ("Retirement-allowance mutual aid", "8 closed days in 4 weeks", "skill assessment"):
        assert term in ministry, term


def test_english_pngs_have_no_untranslated_japanese(sites):
    """The PNG copies of the key charts (png_export.key_figures: what kaleido draws) in English."""
    pages = {"index.html": _pages(sites)["ministry compliance"].read_text(encoding="utf-8")}
    figures = png_export.key_figures(pages)
    english = {name: f for name, f in figures.items() if name.endswith(".en.png")}
    assert "png/compliance-kentaikyo.en.png" in english
    for name, figure in english.items():
        for path, label in _display_strings(figure):
            assert _untranslated(label) == [], (name, path, label)
    title = english["png/compliance-kentaikyo.en.png"]["layout"]["title"]["text"]
    assert "Retirement-allowance mutual aid" in title


# ------------------------------------------------------------------ 4. the prefecture map

def test_prefecture_shapes_are_the_47_prefectures():
    """japanmap's outlines as GeoJSON: 47 closed polygons keyed 01 … 47, within Japan."""
    from dashboards import geo
    shapes = geo.prefecture_shapes()
    assert [f["id"] for f in shapes["features"]] == [f"{n:02d}" for n in range(1, 48)]
    for feature in shapes["features"]:
        ring = feature["geometry"]["coordinates"][0]
        assert feature["geometry"]["type"] == "Polygon" and ring[0] == ring[-1] and len(ring) > 10
        assert all(122 < lon < 150 and 24 < lat < 46 for lon, lat in ring), feature["id"]
    lon, lat = geo.centres()["13"]                      # 東京都 around 139.5 E, 35.7 N
    assert 139 < lon < 140 and 35.4 < lat < 36


def test_prefecture_map_shows_suppressed_prefectures_as_grey_x(sites):
    """The dashboards' gold (October 2025): 13 1,000,000 and 27 745,978 registered workers; 01
    (7 workers: primary) and 47 (15: its complement) suppressed. On both maps 01 and 47 are
    grey with an X and no value; their shares follow their counts (01 7/1,746,000 = 0.0004,
    47 15/1,746,000 = 0.0009: published as X); 13's share is 1,000,000/1,746,000 = 57.3 %."""
    page = _pages(sites)["ministry"]
    text = page.read_text(encoding="utf-8")
    specs = chart_specs(text)
    for chart_id in ("chart-prefecture-map", "chart-prefecture-share-map"):
        values, grey, crosses, empty = specs[chart_id]["figure"]["data"]
        assert values["type"] == "choropleth" and values["locations"] == ["13", "27"]
        assert grey["locations"] == ["01", "47"] and set(grey["z"]) == {0}
        assert grey["colorscale"][0][1] == grey["colorscale"][-1][1] == "#BBBBBB"
        assert "秘匿（X）" in grey["hovertemplate"]
        assert figure_in(specs[chart_id], "en")["data"][1]["hovertemplate"].endswith("suppressed (X)<extra></extra>")
        assert crosses["type"] == "scattergeo" and crosses["text"] == ["X", "X"]
        assert len(empty["locations"]) == 47 - 4           # no row: white
    assert specs["chart-prefecture-map"]["figure"]["data"][0]["z"] == [1_000_000, 745_978]
    assert specs["chart-prefecture-share-map"]["figure"]["data"][0]["z"] == [0.573, 0.427]
    shares = (page.parent / "tables/prefecture_shares.csv").read_text(encoding="utf-8-sig").splitlines()
    assert shares[1:] == ["01,北海道,X", "13,東京都,57.3", "27,大阪府,42.7", "47,沖縄県,X"]
    # relations.csv: each share is its prefecture's count over the national row's
    with open(page.parent / "relations.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    tokyo = [r["relation_id"] for r in rows if r["table_id"] == "prefecture_shares" and r["role"] == "rate"
             and json.loads(r["row_key"]) == {"prefecture_code": "13"}]
    assert len(tokyo) == 1
    parts = {(r["role"], r["table_id"], r["row_key"]) for r in rows if r["relation_id"] == tokyo[0]}
    assert parts == {("rate", "prefecture_shares", '{"prefecture_code":"13"}'),
                     ("numerator", "prefectures", '{"prefecture_code":"13"}'),
                     ("denominator", "prefectures", '{"prefecture_code":"*"}')}
    # the top-10 ranking beside them: the published prefectures, largest at the top
    assert specs["chart-prefectures"]["figure"]["data"][0]["y"] == ["27", "13"]


def test_prefecture_map_draws_offline_in_chromium(sites):
    """The maps draw in Chromium with every host unresolvable: no topojson fetched (plotly.js
    asks for one from a CDN; the page hands it an empty one), 47 prefectures on each map, 2 of
    them grey; the "show all" table is folded under its summary."""
    page = _pages(sites)["ministry"]
    run = browser.dump_dom(page)
    assert run.console == [], run.console
    dom = run.stdout
    assert 'data-ready="true"' in dom
    for chart_id in ("chart-prefecture-map", "chart-prefecture-share-map"):
        start = dom.index(f'<div id="{chart_id}"')
        part = dom[start:dom.index('<div id="chart-', start + 10)]
        fills = re.findall(r'<path class="choroplethlocation" fill="([^"]*)"', part)
        assert len(fills) == 47, chart_id
        assert fills.count("rgb(187, 187, 187)") == 2, chart_id
    assert re.search(r'<details class="folded"><summary>.*?すべての都道府県を表示（4）', dom, re.S)
    folded = dom[dom.index('<details class="folded">'):dom.index("</details>")]
    assert 'id="table-prefectures"' in folded and 'id="table-prefecture_shares"' in folded
    ARTIFACTS.mkdir(exist_ok=True)
    browser.screenshot(page, ARTIFACTS / "ministry_prefecture_map.png")

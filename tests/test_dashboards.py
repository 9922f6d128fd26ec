"""Dashboards: number formatting, the published site, and the pages in a real headless Chromium.

Gold marts are small hand-made Parquet files written with pyarrow; nothing is mocked.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import fsspec
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboards import format as fmt
from dashboards.disclosure.audit import audit_location
from dashboards.publish import publish_site
from dashboards.settings import local

from tests import browser, png_pixels

ARTIFACTS = Path(__file__).parent / "artifacts"
DASHBOARDS = Path(__file__).resolve().parent.parent / "dashboards"
ALL_MARTS = ("adoption_national", "target_progress", "target_progress_official", "published_adoption",
             "adoption_prefecture_monthly", "adoption_occupation_monthly")
SEEDS = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"


# ------------------------------------------------------------------ hand-made gold marts

def _months(year: int, month: int, count: int) -> list[date]:
    out = []
    for _ in range(count):
        out.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


MONTHS = _months(2019, 4, 79)            # 2019-04 … 2025-10
WORKERS = [30_000 + 22_000 * k for k in range(len(MONTHS))]          # last: 1,746,000
BUSINESSES = [11_000 + 3_700 * k for k in range(len(MONTHS))]        # last: 299,600
WORK_DAYS = [400_000 + 70_000 * k for k in range(len(MONTHS))]       # last: 5,860,000
AS_OF = date(2025, 10, 31)

# target_id, metric, value, target_value, deadline, projected_date
TARGETS = [
    ("original_year1", "registered_workers", 1_746_000, 1_000_000, date(2020, 3, 31), None),
    ("original_5y", "registered_workers", 1_746_000, 3_300_000, date(2024, 3, 31), date(2031, 8, 31)),
    ("reset_fy2020_workers", "registered_workers", 1_746_000, 500_000, date(2021, 3, 31), None),
    ("reset_fy2020_businesses", "registered_businesses", 299_600, 70_000, date(2021, 3, 31), None),
    ("reset_fy2020_records", "work_records_in_fiscal_year", 38_500_000, 7_200_000, date(2021, 3, 31), None),
    ("low_fy2026_workers", "registered_workers", 1_746_000, 1_500_000, date(2027, 3, 31), None),
    ("low_fy2026_records", "work_records_in_fiscal_year", 38_500_000, 120_000_000, date(2027, 3, 31),
     date(2027, 9, 30)),
    ("outlook_fy2030_workers", "registered_workers", 1_746_000, 2_310_000, date(2031, 3, 31), date(2027, 9, 30)),
]

# progress on the official series (target_progress_official) at the latest official date:
# target_id, value, share, projected_date, projection_status
OFFICIAL = [
    ("original_year1", 1_749_139, 1_749_139 / 1_000_000, date(2023, 7, 31), "reached"),
    ("original_5y", 1_749_139, 1_749_139 / 3_300_000, date(2032, 9, 26), "projected"),   # 53.0 %
    ("reset_fy2020_workers", 1_749_139, 1_749_139 / 500_000, date(2020, 12, 31), "reached"),
    ("reset_fy2020_businesses", 304_314, 304_314 / 70_000, date(2023, 7, 31), "reached"),
    ("reset_fy2020_records", None, None, None, "after_period"),
    ("low_fy2026_workers", 1_749_139, 1_749_139 / 1_500_000, date(2025, 10, 31), "reached"),   # 116.6 %
    ("low_fy2026_records", None, None, None, "before_period"),
    ("outlook_fy2030_workers", 1_749_139, 1_749_139 / 2_310_000, date(2028, 4, 30), "projected"),
]

PUBLISHED = [  # as_of, workers, businesses, basis, cumulative work records, source
    (date(2019, 9, 30), 116_290, 22_516, "incl_sole_proprietors", None, "https://kensetsunet-pr.com/?p=15396"),
    (date(2020, 12, 31), 443_368, 67_225, "excl_sole_proprietors", None, "http://senmonshi.com/archive/x.asp"),
    (date(2023, 7, 31), 1_241_884, 234_642, "incl_sole_proprietors", 96_993_947, "https://built.itmedia.co.jp/bt/x.html"),
    (date(2025, 10, 31), 1_749_139, 304_314, "incl_sole_proprietors", 230_000_000, "https://www.s-housing.jp/archives/404436"),
]


def gold_tables() -> dict[str, pa.Table]:
    n = len(MONTHS)
    national = pa.table({
        "month": pa.array(MONTHS, pa.date32()),
        "registered_workers": pa.array(WORKERS, pa.int64()),
        "registered_businesses": pa.array(BUSINESSES, pa.int64()),
        "registered_businesses_excl_sole": pa.array([9_000 + 2_900 * k for k in range(n)], pa.int64()),
        "new_workers": pa.array([22_000] * n, pa.int64()),
        "new_businesses": pa.array([3_700] * n, pa.int64()),
        "active_workers": pa.array([18_000 + 13_000 * k for k in range(n)], pa.int64()),
        "work_history_days": pa.array(WORK_DAYS, pa.int64()),
        "sites_registered": pa.array([5_000 + 900 * k for k in range(n)], pa.int64()),
        "sites_with_card_reader": pa.array([2_000 + 500 * k for k in range(n)], pa.int64()),
    })
    rows = [(t, m, AS_OF, v, tv, d, v / tv, p) for t, m, v, tv, d, p in TARGETS]
    # An older snapshot of one target: the page must show the latest one only.
    rows.append(("original_5y", "registered_workers", date(2025, 9, 30), 1_724_000, 3_300_000,
                 date(2024, 3, 31), 1_724_000 / 3_300_000, date(2031, 9, 30)))
    cols = list(zip(*rows))
    targets = pa.table({
        "target_id": pa.array(cols[0], pa.string()),
        "metric": pa.array(cols[1], pa.string()),
        "as_of": pa.array(cols[2], pa.date32()),
        "value": pa.array(cols[3], pa.int64()),
        "target_value": pa.array(cols[4], pa.int64()),
        "deadline": pa.array(cols[5], pa.date32()),
        "share": pa.array(cols[6], pa.float64()),
        "projected_date": pa.array(cols[7], pa.date32()),
    })
    seed = pd.read_csv(SEEDS / "adoption_targets.csv", dtype=str).set_index("target_id")
    names = {c: pa.array([seed.loc[t, c] for t in cols[0]], pa.string()) for c in ("name_ja", "name_en", "source_url")}
    targets = targets.append_column("name_ja", names["name_ja"]).append_column("name_en", names["name_en"]) \
        .append_column("source_url", names["source_url"]) \
        .append_column("projection_status", pa.array(["reached" if s >= 1 else "projected" if p else "unreachable"
                                                      for s, p in zip(cols[6], cols[7])], pa.string()))
    meta = {t: (m, tv, dl) for t, m, _, tv, dl, _ in TARGETS}
    official = pa.table({
        "target_id": pa.array([t for t, *_ in OFFICIAL], pa.string()),
        "name_ja": pa.array([seed.loc[t, "name_ja"] for t, *_ in OFFICIAL], pa.string()),
        "name_en": pa.array([seed.loc[t, "name_en"] for t, *_ in OFFICIAL], pa.string()),
        "metric": pa.array([meta[t][0] for t, *_ in OFFICIAL], pa.string()),
        "as_of": pa.array([AS_OF] * len(OFFICIAL), pa.date32()),
        "value": pa.array([v for _, v, *_ in OFFICIAL], pa.int64()),
        "target_value": pa.array([meta[t][1] for t, *_ in OFFICIAL], pa.int64()),
        "deadline": pa.array([meta[t][2] for t, *_ in OFFICIAL], pa.date32()),
        "share": pa.array([s for _, _, s, _, _ in OFFICIAL], pa.float64()),
        "projected_date": pa.array([p for *_, p, _ in OFFICIAL], pa.date32()),
        "projection_status": pa.array([st for *_, st in OFFICIAL], pa.string()),
        "source_url": pa.array(["https://www.s-housing.jp/archives/404436"] * len(OFFICIAL), pa.string()),
    })
    cols = list(zip(*PUBLISHED))
    published = pa.table({
        "as_of": pa.array(cols[0], pa.date32()),
        "registered_workers": pa.array(cols[1], pa.int64()),
        "registered_businesses": pa.array(cols[2], pa.int64()),
        "businesses_basis": pa.array(cols[3], pa.string()),
        "cumulative_work_records": pa.array(cols[4], pa.int64()),
        "source_url": pa.array(cols[5], pa.string()),
    })
    # Every month split between two large prefectures (60 % / 40 %); in October 2025 also 01 (7
    # workers of 2 businesses) and 47 (15 of 4) in another occupation: see
    # test_prefecture_and_occupation_views for the suppression expected.
    by_prefecture, by_occupation = [], []
    for k, (month, workers, days) in enumerate(zip(MONTHS, WORKERS, WORK_DAYS)):
        if month == date(2025, 10, 1):
            rows = [("13", 1_000_000, 5_000, 1_500, 70_000), ("27", 745_978, 3_000, 1_000, 50_000),
                    ("01", 7, 2, 1, 3), ("47", 15, 4, 2, 12)]
        else:
            rows = [("13", workers * 6 // 10, 3_000, 900, 10_000), ("27", workers - workers * 6 // 10, 2_000, 600, 8_000)]
        for code, w, b, new, active in rows:
            share = w / workers
            by_prefecture.append(dict(month=month, prefecture_code=code, registered_workers=w,
                                      registered_worker_businesses=b, new_workers=new,
                                      new_worker_businesses=min(b, new), active_workers=active,
                                      active_worker_businesses=min(b, active), work_history_days=round(days * share),
                                      work_history_workers=active, work_history_businesses=min(b, active)))
        occupations = [("01-01", rows[0][1] + rows[1][1], 8_000, rows[0][3] + rows[1][3], rows[0][4] + rows[1][4])]
        if len(rows) == 4:
            occupations.append(("10-01", 22, 6, 3, 15))
        for code, w, b, new, active in occupations:
            by_occupation.append(dict(month=month, occupation_code=code, registered_workers=w,
                                      registered_worker_businesses=b, new_workers=new, new_worker_businesses=min(b, new),
                                      active_workers=active, active_worker_businesses=min(b, active),
                                      work_history_days=0, work_history_workers=0, work_history_businesses=0))
    # the national work-history days are the prefectures' (rounded parts): keep them equal
    days = {}
    for row in by_prefecture:
        days[row["month"]] = days.get(row["month"], 0) + row["work_history_days"]
    national = national.set_column(national.schema.get_field_index("work_history_days"), "work_history_days",
                                   pa.array([days[m] for m in MONTHS], pa.int64()))
    return {"adoption_national": national, "target_progress": targets, "target_progress_official": official,
            "published_adoption": published,
            "adoption_prefecture_monthly": pa.Table.from_pylist(by_prefecture),
            "adoption_occupation_monthly": pa.Table.from_pylist(by_occupation)}


def write_gold(gold: Path, marts=ALL_MARTS) -> Path:
    gold.mkdir(parents=True, exist_ok=True)
    for name, table in gold_tables().items():
        if name in marts:
            pq.write_table(table, gold / f"{name}.parquet")
    return gold


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("dash")
    gold = write_gold(root / "gold")
    written = publish_site(str(gold), local(str(root / "site"), png=True))
    return root / "site", written


def chart_specs(page_html: str) -> dict[str, dict]:
    """The figure JSON the page embeds, per chart id."""
    return {m.group(1): json.loads(m.group(2)) for m in re.finditer(
        r'<script type="application/json" id="(chart-[\w-]+)-spec">(.*?)</script>', page_html, re.S)}


def svg_text(dom: str) -> str:
    """The text drawn inside plotly's SVGs (what a reader sees in the charts)."""
    svgs = re.findall(r'<svg class="main-svg".*?</svg>', dom, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", s) for s in svgs)


# ------------------------------------------------------------------ number formatting

@pytest.mark.parametrize("value, unit, expected", [
    (1_749_139, "", "174.9万"),
    (1_749_139, "人", "174.9万人"),
    (120_000_000, "", "1.2億"),
    (3_300_000, "人", "330万人"),
    (70_000, "社", "7万社"),
    (9_999, "人", "9,999人"),
    (10_000, "", "1万"),
    (38_500_000, "件", "3,850万件"),
    (99_994_999, "", "9,999.5万"),
    (99_999_999, "", "1億"),         # rounding carries into the next unit
    (2_300_000_000_000, "", "2.3兆"),
    (-1_749_139, "", "-174.9万"),
    (0, "件", "0件"),
    (None, "人", "—"),
    (float("nan"), "", "—"),
])
def test_jp_number(value, unit, expected):
    assert fmt.jp_number(value, unit) == expected


def test_yen_percent_and_english():
    assert fmt.yen(33_800) == "33,800円"
    assert fmt.yen(1_234_567) == "1,234,567円"
    assert fmt.yen(-500) == "-500円"
    assert fmt.en_yen(33_800) == "¥33,800"
    assert fmt.thousands(1_749_139) == "1,749,139"
    assert fmt.percent(0.52949) == "52.9%"
    assert fmt.percent(0.00049) == "0.0%"
    assert fmt.percent(1.746) == "174.6%"
    assert fmt.en_number(1_749_139) == "1.75M"
    assert fmt.en_number(120_000_000) == "120M"
    assert fmt.en_number(70_000) == "70,000"
    assert fmt.en_number(70_000, short=True) == "70K"
    assert fmt.en_number(999, short=True) == "999"


def test_dates():
    assert fmt.jp_date(date(2025, 10, 31)) == "2025年10月31日"
    assert fmt.en_date(date(2025, 10, 31)) == "31 Oct 2025"
    assert fmt.jp_month(date(2027, 3, 1)) == "2027年3月"
    assert fmt.en_month(None) == "—"


# ------------------------------------------------------------------ the published files

PUBLISHED_DATA = {"cells.csv", "relations.csv", "manifest.json"}


def test_publish_writes_each_location_with_its_data(site):
    root, written = site
    paths = sorted(Path(p).relative_to(root).as_posix() for p in written)
    ministry = [p.removeprefix("ministry/") for p in paths if p.startswith("ministry/")]
    assert "index.html" in ministry and "assets/plotly.min.js" in ministry and PUBLISHED_DATA <= set(ministry)
    assert sorted(p for p in ministry if p.startswith("png/")) == sorted(
        f"png/{chart}.{lang}.png" for chart in ("workers", "businesses", "prefectures", "occupations")
        for lang in ("ja", "en"))
    tables = {p.removeprefix("tables/").removesuffix(".csv") for p in ministry if p.startswith("tables/")}
    assert {"registered_workers_monthly", "registered_businesses_monthly", "work_history_monthly",
            "published_adoption", "targets", "prefectures", "occupations"} <= tables
    assert [p for p in paths if not p.startswith("ministry/")] == ["index.html"]     # the top page, written last
    assert written[-1].endswith("index.html") and Path(written[-1]).parent == root
    assert all(Path(p).is_file() for p in written)
    assert [p.relative_to(root).as_posix() for p in root.rglob("*.js")] == ["ministry/assets/plotly.min.js"]
    assert (root / "ministry/assets/plotly.min.js").stat().st_size > 1_000_000
    assert [p.name for p in root.rglob("*") if p.name.endswith(".tmp")] == []   # temporary file + rename
    assert audit_location(root / "ministry") == []


def test_pages_need_nothing_from_the_web(site):
    root, _ = site
    for page in ("index.html", "ministry/index.html"):
        text = (root / page).read_text(encoding="utf-8")
        assert "cdn." not in text.lower(), page
        assert not re.search(r'<script[^>]+src="(https?:)?//', text), page
        assert not re.search(r'<link[^>]+href="(https?:)?//', text), page
        assert "@import" not in text and "url(http" not in text, page
    ministry = (root / "ministry/index.html").read_text(encoding="utf-8")
    assert re.findall(r'<script[^>]+src="([^"]+)"', ministry) == ["assets/plotly.min.js"]
    home = (root / "index.html").read_text(encoding="utf-8")
    assert 'href="ministry/index.html"' in home
    assert "<script src=" not in home  # the top page has no chart, so no plotly


def test_ministry_page_content(site):
    root, _ = site
    text = (root / "ministry/index.html").read_text(encoding="utf-8")
    # Japanese first, English beside it, the as-of date, and the source marts named.
    assert '<html lang="ja" data-ui-lang="ja"' in text
    for label in ("登録技能者数", "Registered workers", "目標に対する進捗", "Progress against the targets",
                  "2025年10月31日", "31 Oct 2025", "adoption_national", "published_adoption", "target_progress"):
        assert label in text, label
    # contents first, then the headline figures of the latest month
    assert text.index('id="toc"') < text.index('id="workers"') and text.index('id="headline"') < text.index('id="toc"')
    headline = text[text.index('id="headline"'):text.index("</dl>")]
    assert "174.6万人" in headline and "30万社" in headline and "2025年10月末" in headline
    # the latest official figure beside the platform's, with its date and source
    workers_card = headline[:headline.index("</div>")]
    assert re.search(r"本基盤.*174\.6万人.*2025年10月末.*公表値.*174\.9万人.*2025年10月31日・www\.s-housing\.jp",
                     workers_card, re.S), workers_card
    assert "30.4万社" in headline                                  # official businesses, with sole proprietors
    specs = chart_specs(text)
    assert set(specs) == {"chart-workers", "chart-businesses", "chart-work-history", "chart-prefectures",
                          "chart-prefecture-map", "chart-prefecture-share-map",
                          "chart-occupations"}
    workers = specs["chart-workers"]
    names = [t["name"] for t in workers["figure"]["data"]]
    assert names == ["公表値（国土交通省）", "目標（期限時点の値）", "到達見込み（公表値のペース）", "本基盤"]
    assert [t["name"] for t in workers["labels"]["en"]["traces"]] == [
        "Official (MLIT)", "Target (value due by the deadline)", "Projected (official pace)", "Platform"]
    published, targets, projection, platform = workers["figure"]["data"]
    # two panels: the official series and the targets above, the platform's own series below on
    # an axis of its own (never the sample drawn on the official 0-400万 axis)
    layout = workers["figure"]["layout"]
    assert platform["yaxis"] == "y2" and all(t.get("yaxis", "y") == "y" for t in (published, targets, projection))
    assert layout["yaxis2"]["domain"][1] < layout["yaxis"]["domain"][0]
    assert "公表値・目標" in layout["yaxis"]["title"]["text"] and "本基盤" in layout["yaxis2"]["title"]["text"]
    assert any("本基盤のデータ" in a["text"] for a in layout["annotations"])
    # the projection: from the latest official figure through the open targets at the dates
    # target_progress_official projects (outlook_fy2030 2.31M by Apr 2028, original_5y 3.3M by Sep 2032)
    assert projection["x"] == ["2025-10-31", "2028-04-30", "2032-09-26"]
    assert projection["y"] == [1_749_139, 2_310_000, 3_300_000]
    assert platform["y"][-1] == 1_746_000 and platform["x"][-1] == "2025-10-31"  # value at month end
    assert published["y"] == [116_290, 443_368, 1_241_884, 1_749_139]
    assert sorted(targets["y"]) == [500_000, 1_000_000, 1_500_000, 2_310_000, 3_300_000]
    assert "2024-03-31" in targets["x"]
    assert "登録技能者150万人（2026年度・低位推計）" in json.dumps(targets["customdata"], ensure_ascii=False)
    assert len(workers["figure"]["layout"]["shapes"]) == 5  # one line per workers target
    # Every chart says what it measures, its as-of date and its mart, in both languages.
    for chart_id, spec in specs.items():
        layout = spec["figure"]["layout"]
        mart = {"chart-prefectures": "adoption_prefecture_monthly", "chart-prefecture-map": "adoption_prefecture_monthly",
                "chart-prefecture-share-map": "adoption_prefecture_monthly",
                "chart-occupations": "adoption_occupation_monthly"}.get(chart_id, "adoption_national")
        assert layout["title"]["subtitle"]["text"]
        assert mart in layout["annotations"][0]["text"]
        assert "2025年10月末" in layout["annotations"][0]["text"]
        assert "end of Oct 2025" in spec["labels"]["en"]["layout"]["annotations[0].text"]
        if "map" not in chart_id:        # a map has no axes
            assert "yaxis.ticktext" in spec["labels"]["en"]["layout"]
    # Businesses: published figures split by basis (incl. / excl. sole proprietors).
    businesses = specs["chart-businesses"]["figure"]["data"]
    assert [t["y"] for t in businesses if t["mode"] == "lines+markers"] == [[22_516, 234_642, 304_314], [67_225]]
    # Target table: named in Japanese with deadline and source; the share and the projection on
    # the official series (1,749,139 / 3,300,000 = 53.0 %), not the platform's (1,746,000: 52.9 %)
    table = text[text.index('id="targets"'):text.index('id="work-history"')]
    assert table.count("<tr>") == 1 + len(TARGETS)
    assert "53.0%" in table and "52.9%" not in table and "116.6%" in table
    assert "登録技能者150万人（2026年度・低位推計）" in table and "2027年3月31日" in table
    assert ">senmonshi.com<" in table and 'href="http://senmonshi.com/archive/01/01FAMH712H2U2A.asp"' in table
    assert "174.9万人（2025年10月31日）" in table and "174.6万人" in table and "330万人" in table
    assert "1.2億件" in table and "3,850万件" in table
    assert "2032年9月" in table and "Sep 2032" in table
    assert "2026年度の開始前" in table and "2020年度の公表値なし" in table
    assert "期限までに未達" in table and "期限内に達成見込み" in table
    assert "達成率（公表値）" in table and "到達見込み（公表値のペース）" in table
    # no raw target id anywhere on the page (table, charts, hover texts)
    for target_id, *_ in TARGETS:
        assert target_id not in text, target_id
    # every table and chart has its CSV under it
    assert text.count('class="download"') >= len(specs) + 3
    assert 'href="tables/targets.csv"' in table


def test_prefecture_and_occupation_views(site):
    """Registered workers at the latest month (Oct 2025) by prefecture and occupation, suppressed.

    Registered: 13 1,000,000, 27 745,978, 01 7 (< 10 workers, 2 businesses: primary), 47 15
    (the smallest other cell that widens 01 to 10, complementary: else 01 = 全国 1,746,000 -
    the rest). New: 01 1 and 47 2 primary. Active: 01 3 primary, 47 12 complementary.
    Occupations: 01-01 1,745,978 and 10-01 22 (6 businesses: shown).
    """
    root, _ = site
    text = (root / "ministry/index.html").read_text(encoding="utf-8")
    specs = chart_specs(text)
    bars = specs["chart-prefectures"]["figure"]["data"][0]
    assert bars["y"] == ["27", "13"] and bars["x"] == [745_978, 1_000_000]      # ranked; 01 and 47 not drawn
    yaxis = specs["chart-prefectures"]["figure"]["layout"]["yaxis"]
    assert yaxis["ticktext"] == ["大阪府", "東京都"]
    assert specs["chart-prefectures"]["labels"]["en"]["layout"]["yaxis.ticktext"] == ["Osaka", "Tokyo"]
    subtitle = specs["chart-prefectures"]["figure"]["layout"]["title"]["subtitle"]["text"]
    assert "秘匿（2）: 北海道、沖縄県" in subtitle
    part = text[text.index('id="table-prefectures"'):text.index('id="table-prefecture_shares"')]
    rows = re.findall(r"<tr>(.*?)</tr>", part, re.S)[1:]
    grid = {re.search(r'data-lang="ja"[^>]*>([^<]*)<', r).group(1):
            ["S" if 'data-suppressed="true"' in td else re.sub(r"<[^>]+>", "", td).split("\n")[0]
             for td in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)[1:]] for r in rows}
    assert grid["東京都"] == ["1,000,0001,000,000", "1,5001,500", "70,00070,000"]
    assert grid["北海道"] == ["S", "S", "S"]
    assert grid["沖縄県"] == ["S", "S", "S"]
    assert grid["全国"] == ["1,746,0001,746,000", "2,5032,503", "120,015120,015"]
    assert 'class="total-label"' in part                               # the sort keeps it at the bottom
    occupations = specs["chart-occupations"]["figure"]["data"][0]
    assert occupations["y"] == ["10-01", "01-01"] and occupations["x"] == [22, 1_745_978]
    assert specs["chart-occupations"]["figure"]["layout"]["yaxis"]["ticktext"] == ["鉄筋工（10-01）", "特殊作業員（01-01）"]
    csv_rows = (root / "ministry/tables/prefectures.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv_rows[0] == "都道府県（所属事業者）,名称,登録技能者数,当月の新規登録,就業実績あり（30日）"
    assert "01,北海道,X,X,X" in csv_rows and "*,全国,1746000,2503,120015" in csv_rows


def test_worktime_chart_with_nobody_over_a_cap_says_so(tmp_path):
    """All-zero months (seen on the tiny run): whole-number ticks 0-5 and a note, not 0.2 workers."""
    gold = tmp_path / "gold"
    gold.mkdir()
    pq.write_table(pa.Table.from_pylist([dict(
        month=date(2024, 4, 1), prefecture_code="13", occupation_code="10-01", workers=40, businesses=5,
        workers_over_100h=0, workers_over_80h_avg=0, workers_over_45h_7th_month=0, workers_over_720h=0,
        businesses_over_100h=0, businesses_over_80h_avg=0, businesses_over_45h_7th_month=0,
        businesses_over_720h=0)]), gold / "worktime_violations_monthly.parquet")
    publish_site(str(gold), local(str(tmp_path / "site")))
    text = (tmp_path / "site/ministry/index.html").read_text(encoding="utf-8")
    spec = chart_specs(text)["chart-compliance-worktime"]
    layout = spec["figure"]["layout"]
    assert layout["yaxis"]["range"] == [0, 5] and layout["yaxis"]["dtick"] == 1
    assert layout["annotations"][1]["text"] == "この期間に上限を超えた技能者はいません（0人）"
    assert spec["labels"]["en"]["layout"]["annotations[1].text"] == "No worker went over a cap in these months (0)"
    assert layout["xaxis"]["ticktext"] == ["2024年4月"] and layout["xaxis"]["tickvals"] == ["2024-04-16 00:00:00"]


def test_key_charts_exported_as_png(site):
    """kaleido (with Debian's Chromium) wrote real PNGs of the page's figures, per language."""
    root, _ = site
    specs = chart_specs((root / "ministry/index.html").read_text(encoding="utf-8"))
    for chart in ("workers", "businesses", "prefectures", "occupations"):
        height = specs[f"chart-{chart}"]["figure"]["layout"]["height"]
        images = {lang: (root / f"ministry/png/{chart}.{lang}.png").read_bytes() for lang in ("ja", "en")}
        assert images["ja"] != images["en"]                               # the labels differ
        for data in images.values():
            assert png_pixels.read(data).shape[:2] == (height, 1200)
    # The colours of what was drawn (Okabe-Ito): the modelled line (blue), the published dots
    # (vermillion), the targets (orange diamonds), the projection (reddish purple); a blank or
    # half-rendered image has none of them.
    workers = png_pixels.read((root / "ministry/png/workers.ja.png").read_bytes())
    for colour, least in (("#0072B2", 300), ("#D55E00", 100), ("#E69F00", 100), ("#CC79A7", 100)):
        assert png_pixels.count_colour(workers, colour) >= least, colour
    bars = png_pixels.read((root / "ministry/png/prefectures.en.png").read_bytes())
    assert png_pixels.count_colour(bars, "#0072B2") > 10_000


def test_png_export_without_chromium_is_a_clear_error(tmp_path):
    from dashboards import png_export

    missing = str(tmp_path / "no-chromium")
    with pytest.raises(RuntimeError, match="PNG export needs Chromium at .*no-chromium"):
        publish_site(str(write_gold(tmp_path / "gold")), local(str(tmp_path / "site"), png=True, chromium=missing))
    assert not (tmp_path / "site").exists()                              # nothing half-published
    assert png_export.render({}) == {}


def test_as_of_leaves_out_later_rows(tmp_path):
    gold = write_gold(tmp_path / "gold")
    publish_site(str(gold), local(str(tmp_path / "site")), as_of=date(2021, 3, 31))
    text = (tmp_path / "site/ministry/index.html").read_text(encoding="utf-8")
    assert "2021年3月31日" in text
    specs = chart_specs(text)
    traces = specs["chart-workers"]["figure"]["data"]
    platform = next(t for t in traces if t.get("yaxis") == "y2")
    assert platform["x"][-1] == "2021-03-31"
    published = next(t for t in traces if t["name"] == "公表値（国土交通省）")
    assert published["x"] == ["2019-09-30", "2020-12-31"]
    # no target_progress row is dated on or before 2021-03-31: the table says so
    assert 'data-missing="target_progress"' in text


def test_missing_marts_do_not_stop_the_build(tmp_path):
    gold = write_gold(tmp_path / "gold", marts=("adoption_national",))
    publish_site(str(gold), local(str(tmp_path / "site")))
    text = (tmp_path / "site/ministry/index.html").read_text(encoding="utf-8")
    assert "データがありません" in text and "Data not available" in text
    assert 'data-missing="published_adoption target_progress"' in text
    assert 'data-missing="target_progress"' in text
    assert set(chart_specs(text)) == {"chart-workers", "chart-businesses", "chart-work-history"}
    # without the prefecture mart the workers and businesses behind each point are unknown:
    # every point of the series is suppressed (never taken as safe)
    [platform] = chart_specs(text)["chart-workers"]["figure"]["data"]
    assert platform["yaxis"] == "y2" and platform["y"] == [None] * len(MONTHS)

    empty = tmp_path / "empty-gold"
    empty.mkdir()
    publish_site(str(empty), local(str(tmp_path / "site2")))
    text = (tmp_path / "site2/ministry/index.html").read_text(encoding="utf-8")
    assert chart_specs(text) == {}
    # every section says its data is missing
    assert text.count('class="unavailable"') == 15      # the all-sites index too
    # a location with no data still publishes its data files, with their headers
    cells = (tmp_path / "site2/ministry/cells.csv").read_bytes().decode("utf-8-sig")
    assert cells == "table_id,row_key,measure,unit,value,suppressed\r\n"
    assert (tmp_path / "site2/ministry/relations.csv").read_bytes().decode("utf-8-sig") == \
        "relation_id,role,table_id,row_key,measure\r\n"
    assert (tmp_path / "site2/ministry/tables/targets.csv").read_text(encoding="utf-8-sig").startswith("目標,名称,本基盤の値,公表値,目標値,達成率（公表値）")


def test_publish_through_an_fsspec_filesystem():
    fs = fsspec.filesystem("memory")
    for name, table in gold_tables().items():
        with fs.open(f"/ccus-test/gold/{name}.parquet", "wb") as handle:
            pq.write_table(table, handle)
    try:
        written = publish_site("memory://ccus-test/gold", local("memory://ccus-test/site"), fs=fs)
        assert "memory://ccus-test/site/ministry/index.html" in written
        assert "memory://ccus-test/site/ministry/cells.csv" in written
        assert written[-1] == "memory://ccus-test/site/index.html"
        page = fs.cat_file("/ccus-test/site/ministry/index.html").decode("utf-8")
        assert "174.6万人" in page
        assert fs.exists("/ccus-test/site/ministry/assets/plotly.min.js")
    finally:
        fs.rm("/ccus-test", recursive=True)


def test_dashboards_package_has_no_dagster_imports():
    offenders = [p.name for p in DASHBOARDS.rglob("*.py") if re.search(r"^\s*(import|from)\s+dagster",
                                                                     p.read_text(encoding="utf-8"), re.M)]
    assert offenders == []


# ------------------------------------------------------------------ in a real browser

def test_ministry_page_renders_in_chromium(site):
    root, _ = site
    page = root / "ministry/index.html"
    shot = browser.screenshot(page, ARTIFACTS / "ministry_index.png")
    assert shot.console == [], shot.console
    assert (ARTIFACTS / "ministry_index.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    run = browser.dump_dom(page)
    dom = run.stdout
    assert run.console == [], run.console
    assert 'data-ready="true"' in dom  # the page script ran to its end
    assert dom.count("js-plotly-plot") == 7      # 5 + the two prefecture maps
    assert dom.count('class="main-svg"') >= 5
    drawn = svg_text(dom)
    for label in ("登録技能者数の推移（全国）", "登録事業者数の推移（全国）", "就業履歴の蓄積（月別・全国）",
                  "本基盤", "公表値", "150万", "2025年10月末", "adoption_national", "到達見込み",
                  "上位10都道府県", "東京都", "大阪府", "職種別の登録技能者数", "鉄筋工（10-01）"):
        assert label in drawn, label
    assert "Registered workers over time" not in drawn


def _assert_english(dom: str):
    assert 'data-ui-lang="en"' in dom and 'lang="en"' in dom
    assert 'data-ready="true"' in dom
    drawn = svg_text(dom)
    for label in ("Registered workers over time (national)", "Registered businesses over time (national)",
                  "Work-history days per month (national)", "Platform", "Official (MLIT)", "1.5M",
                  "end of Oct 2025", "Source (gold marts)", "Top 10 prefectures", "Tokyo"):
        assert label in drawn, label
    for label in ("登録技能者数の推移", "モデル値", "公表値", "150万", "出典", "東京都"):
        assert label not in drawn, label


def test_english_switch_from_the_address(site):
    root, _ = site
    run = browser.dump_dom(f"{root / 'ministry/index.html'}#lang=en")
    assert run.console == [], run.console
    _assert_english(run.stdout)
    browser.screenshot(f"{root / 'ministry/index.html'}#lang=en", ARTIFACTS / "ministry_index_en.png")


def test_english_switch_button(site):
    root, _ = site
    page = (root / "ministry/index.html").read_text(encoding="utf-8")
    # The same page, plus a click on the real button once the charts are drawn.
    clicker = ("<script>(function w(){document.documentElement.getAttribute('data-ready')==='true'"
               "?(document.documentElement.removeAttribute('data-ready'),"
               "document.getElementById('lang-toggle').click(),"
               "setTimeout(function(){document.documentElement.setAttribute('data-ready','true')},500))"
               ":setTimeout(w,50)})()</script></body>")
    test_page = root / "ministry/_click_test.html"
    test_page.write_text(page.replace("</body>", clicker), encoding="utf-8")
    try:
        run = browser.dump_dom(test_page)
    finally:
        test_page.unlink()
    assert run.console == [], run.console
    _assert_english(run.stdout)


def _run_with_script(root: Path, page: str, action: str) -> browser.BrowserRun:
    """Open ``page`` with ``action`` (JavaScript) run once the charts are drawn, as a click would."""
    text = (root / page).read_text(encoding="utf-8")
    script = ("<script>(function w(){document.documentElement.getAttribute('data-ready')==='true'"
              "?(document.documentElement.removeAttribute('data-ready')," + action + ","
              "setTimeout(function(){document.documentElement.setAttribute('data-ready','true')},300))"
              ":setTimeout(w,50)})()</script></body>")
    test_page = root / page.replace("index.html", "_action_test.html")
    test_page.write_text(text.replace("</body>", script), encoding="utf-8")
    try:
        return browser.dump_dom(test_page)
    finally:
        test_page.unlink()


def test_tables_sort_by_a_click_on_a_heading(site):
    """One page load: clicks on headings as a reader would, the rows' order noted after each."""
    root, _ = site
    note = ("document.body.setAttribute('data-order-{n}',Array.prototype.map.call("
            "document.querySelectorAll('#{table} tbody tr'),function(r){{return (r.cells[0].querySelector('[data-lang=ja]')||r.cells[0]).textContent.trim()}})"
            ".join('|'))")
    click = "document.querySelectorAll('#{table} th')[{column}].click()"
    steps = [click.format(table="table-prefectures", column=1), note.format(n=1, table="table-prefectures"),
             click.format(table="table-prefectures", column=1), note.format(n=2, table="table-prefectures"),
             click.format(table="targets", column=1), click.format(table="targets", column=1),
             note.format(n=3, table="targets")]
    run = _run_with_script(root, "ministry/index.html", ",".join(steps))
    assert run.console == [], run.console
    order = {n: re.search(f'data-order-{n}="([^"]*)"', run.stdout).group(1).split("|") for n in (1, 2, 3)}
    # ascending by registered workers: 80,000, 120,000, then the suppressed rows in page order
    # (by code, never by their hidden values), and the national total stays last; a second
    # click reverses
    assert order[1] == ["大阪府", "東京都", "北海道", "沖縄県", "全国"]
    assert order[2] == ["東京都", "大阪府", "北海道", "沖縄県", "全国"]
    assert 'aria-sort="descending"' in run.stdout
    # a column of Japanese dates (the targets' deadlines, 2020年3月31日 … 2031年3月31日), descending
    assert order[3][0] == "登録技能者231万人（2030年度・2025年4月の協議会見通し）", order[3]
    assert order[3][-1] == "登録技能者100万人（運用開始1年目の当初目標）", order[3]


def test_top_page_renders_in_chromium(site):
    root, _ = site
    shot = browser.screenshot(root / "index.html", ARTIFACTS / "site_index.png", height=900)
    assert shot.console == [], shot.console
    run = browser.dump_dom(f"{root / 'index.html'}#lang=en")
    assert run.console == [], run.console
    assert 'data-ui-lang="en"' in run.stdout and 'data-ready="true"' in run.stdout
    assert 'href="ministry/index.html#lang=en"' in run.stdout  # the language follows the link


def test_browser_reports_a_page_that_cannot_load_plotly(tmp_path):
    """The failure path of the checks above: without the bundle the page says so, and the
    browser helper reports the failed load."""
    write_gold(tmp_path / "gold")
    publish_site(str(tmp_path / "gold"), local(str(tmp_path / "site")))
    (tmp_path / "site/ministry/assets/plotly.min.js").unlink()
    run = browser.dump_dom(tmp_path / "site/ministry/index.html")
    assert any("failed to load" in e and "plotly.min.js" in e for e in run.errors), run.console
    assert "js-plotly-plot" not in run.stdout
    assert "plotly.min.js を読み込めませんでした" in run.stdout


def test_a_projection_decades_away_does_not_stretch_the_chart_and_none_past_2100_reads_no_prospect(tmp_path):
    """The chart draws projected points only up to five years after the latest deadline
    (2031-03-31 + 5 years -> 2036-03-28): original_5y projected for 2099-08 drops out of the line
    and the table still gives 2099年8月. A projection past 2100 is no date in
    target_progress_official (status unreachable): the table and the hover text read 見込み立たず
    (the sample's "2346年3月" of issue 16 can no longer be printed)."""
    tables = gold_tables()
    official = tables["target_progress_official"]
    ids = official["target_id"].to_pylist()
    dates = [date(2099, 8, 31) if t == "original_5y" else None if t == "outlook_fy2030_workers" else p
             for t, p in zip(ids, official["projected_date"].to_pylist())]
    status = ["unreachable" if t == "outlook_fy2030_workers" else s
              for t, s in zip(ids, official["projection_status"].to_pylist())]
    official = official.set_column(official.schema.get_field_index("projected_date"), "projected_date",
                                   pa.array(dates, pa.date32()))
    tables["target_progress_official"] = official.set_column(
        official.schema.get_field_index("projection_status"), "projection_status", pa.array(status, pa.string()))
    gold = tmp_path / "gold"
    gold.mkdir()
    for name, table in tables.items():
        pq.write_table(table, gold / f"{name}.parquet")
    publish_site(str(gold), local(str(tmp_path / "site")))
    text = (tmp_path / "site/ministry/index.html").read_text(encoding="utf-8")
    workers = chart_specs(text)["chart-workers"]
    assert "chart-workers" in chart_specs(text)
    assert all(t["name"] != "到達見込み（公表値のペース）" for t in workers["figure"]["data"])   # nothing to draw
    assert all(x < "2036-03-29" for trace in workers["figure"]["data"] for x in trace.get("x", []))
    table = text[text.index('id="targets"'):text.index('id="work-history"')]
    assert "2099年8月" in table
    row = next(r for r in table.split("<tr>") if "登録技能者231万人" in r)
    assert row.count("見込み立たず") == 2, row                     # the projection and the status
    targets = next(t for t in workers["figure"]["data"] if t["name"] == "目標（期限時点の値）")
    assert any("見込み立たず" in c for c in (row[-1] for row in targets["customdata"]))


def test_simulated_runs_carry_the_banner_and_the_recorded_as_of_date(tmp_path):
    """gold/simulation.json (a simulated run) puts the 模擬データ banner on every page;
    gold/data_as_of.parquet gives the pages their as-of date. A gold without either: no banner,
    the latest month end of the marts."""
    gold = write_gold(tmp_path / "gold")
    publish_site(str(gold), local(str(tmp_path / "plain")))
    plain = (tmp_path / "plain/ministry/index.html").read_text(encoding="utf-8")
    assert 'id="simulation-banner"' not in plain and "2025年10月31日" in plain
    (gold / "simulation.json").write_text('{"scale": "small", "seed": 7, "start": "2024-04-01", "days": 365, '
                                          '"sample_fraction": 0.0061}', encoding="utf-8")
    pq.write_table(pa.table({"as_of_date": pa.array([date(2025, 10, 15)], pa.date32()),
                             "first_work_date": pa.array([date(2019, 4, 1)], pa.date32())}),
                   gold / "data_as_of.parquet")
    publish_site(str(gold), local(str(tmp_path / "simulated")))
    for page in (tmp_path / "simulated").rglob("*.html"):
        if page.name == "index.html" and page.parent == tmp_path / "simulated":
            continue                                              # the top page shows no data
        text = page.read_text(encoding="utf-8")
        assert 'id="simulation-banner"' in text and "模擬データ（規模 small、抽出率 0.0061）" in text, page
    ministry = (tmp_path / "simulated/ministry/index.html").read_text(encoding="utf-8")
    assert "2025年10月15日" in ministry                          # the recorded as-of date
    assert json.loads((tmp_path / "simulated/ministry/manifest.json").read_text())["as_of"] == "2025-10-15"


def test_a_subtitles_full_stop_is_not_doubled_by_the_suppressed_list():
    """The work-history chart's subtitle ends in "。" (and its English in "."); the list of what is
    suppressed follows it after one full stop, not two (seen on the ministry page: "…）。。秘匿")."""
    from dashboards.charts import with_suppressed
    from dashboards.i18n import Text

    line = with_suppressed(Text("1人日（重複除去後）。", "One worker-day (deduplicated)."),
                           [Text("2019年6月", "Jun 2019")])
    assert line.ja == "1人日（重複除去後）。秘匿（1）: 2019年6月"
    assert line.en == "One worker-day (deduplicated). Suppressed (1): Jun 2019"

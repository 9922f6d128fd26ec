"""Project pages (one per public-works site, for its orderer and prime) and the ministry page's
compliance sections, built from small hand-made gold Parquet and opened in headless Chromium.

The gold here has no worker ids (the marts never carry them); the pages are checked for any
14-digit number other than the site and business ids they are allowed to show.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboards.disclosure.audit import audit_location
from dashboards.publish import publish_site
from dashboards.settings import local
from tests import browser

ARTIFACTS = Path(__file__).parent / "artifacts"
D = date

S1, S2, S3 = "30000000000001", "30000000000002", "30000000000003"   # mandatory / recommended / no model project
B1, B2, B3 = "40000000000001", "40000000000002", "40000000000003"
# a planted site of another orderer and another prime, with figures found nowhere else
FOREIGN, B9 = "30000000000009", "40000000000009"
AS_OF = D(2025, 3, 31)


def _table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows)


def gold_tables() -> dict[str, pa.Table]:
    measurements = [
        # S1 mandatory: 2 dates; S2 recommended: 1 date
        dict(site_id=S1, measured_on=D(2024, 10, 1), measurement_number=1, measurement_kind="first",
             model_project_type="mandatory", start_on=D(2024, 4, 1), end_on=D(2025, 6, 30),
             business_registration_rate=0.85, worker_registration_rate=0.75, card_touch_rate=0.4,
             registered_businesses=17, businesses=20, registered_persons=30, persons=40, touched_person_days=400,
             roster_person_days=1000, untouched_person_days=600, unrostered_work_history_days=12),
        dict(site_id=S1, measured_on=D(2025, 1, 1), measurement_number=2, measurement_kind="periodic",
             model_project_type="mandatory", start_on=D(2024, 4, 1), end_on=D(2025, 6, 30),
             business_registration_rate=0.95, worker_registration_rate=0.85, card_touch_rate=0.6,
             registered_businesses=19, businesses=20, registered_persons=34, persons=40, touched_person_days=1200,
             roster_person_days=2000, untouched_person_days=800, unrostered_work_history_days=20),
        dict(site_id=S2, measured_on=D(2024, 12, 20), measurement_number=1, measurement_kind="end_on",
             model_project_type="recommended", start_on=D(2024, 9, 1), end_on=D(2024, 12, 20),
             business_registration_rate=1.0, worker_registration_rate=0.95, card_touch_rate=0.7,
             registered_businesses=5, businesses=5, registered_persons=19, persons=20, touched_person_days=350,
             roster_person_days=500, untouched_person_days=150, unrostered_work_history_days=0),
    ]
    base = dict(prefecture_code="13", orderer_type="mlit", prime_business_id=B1)
    scores = [
        dict(site_id=S1, model_project_type="mandatory", site_name="東京国道改良工事", start_on=D(2024, 4, 1),
             end_on=D(2025, 6, 30), measurements=2, last_measured_on=D(2025, 1, 1),
             avg_business_registration_rate=0.9, avg_worker_registration_rate=0.8, avg_card_touch_rate=0.5,
             meets_target_all_three=True, meets_extra_worker_rate=False, is_below_minimum=False, points=1,
             target_business_registration_rate=0.9, target_worker_registration_rate=0.8, target_card_touch_rate=0.5,
             extra_worker_registration_rate=0.9, minimum_business_registration_rate=0.7,
             minimum_worker_registration_rate=0.6, minimum_card_touch_rate=0.3, **base),
        dict(site_id=S2, model_project_type="recommended", site_name="大阪府庁舎改修工事", start_on=D(2024, 9, 1),
             end_on=D(2024, 12, 20), measurements=1, last_measured_on=D(2024, 12, 20),
             avg_business_registration_rate=1.0, avg_worker_registration_rate=0.95, avg_card_touch_rate=0.7,
             meets_target_all_three=True, meets_extra_worker_rate=True, is_below_minimum=False, points=2,
             target_business_registration_rate=0.9, target_worker_registration_rate=0.8, target_card_touch_rate=0.5,
             extra_worker_registration_rate=0.9, minimum_business_registration_rate=None,
             minimum_worker_registration_rate=None, minimum_card_touch_rate=None,
             prefecture_code="27", orderer_type="prefecture", prime_business_id=B2),
    ]
    kentaikyo = [
        dict(site_id=S1, month=D(2025, 2, 1), kentaikyo_method="electronic", workers_due=10, work_history_days=220,
             days_due=200, amount_due_yen=64000, days_reported=150, amount_reported_yen=48000, covered_days=150,
             coverage=0.75, shortfall_yen=16000, is_mixed_method=True, is_electronic_without_reports=False,
             has_over_reporting=False, **base),
        dict(site_id=S1, month=D(2025, 3, 1), kentaikyo_method="electronic", workers_due=10, work_history_days=100,
             days_due=100, amount_due_yen=32000, days_reported=0, amount_reported_yen=0, covered_days=0,
             coverage=0.0, shortfall_yen=32000, is_mixed_method=False, is_electronic_without_reports=True,
             has_over_reporting=False, **base),
    ]
    kentaikyo_business = [
        dict(site_id=S1, month=D(2025, 2, 1), business_id=B1, is_prime=True, has_stamp_exception=False,
             days_due=120, days_reported=120, covered_days=120, shortfall_yen=0, electronic_days_reported=120,
             stamp_days_reported=0),
        dict(site_id=S1, month=D(2025, 2, 1), business_id=B3, is_prime=False, has_stamp_exception=False,
             days_due=80, days_reported=30, covered_days=30, shortfall_yen=16000, electronic_days_reported=0,
             stamp_days_reported=30),
    ]
    insurance = [
        dict(site_id=S1, month=D(2025, 3, 1), is_public_works=True, person_days=400, persons=25, checked_ccus=300,
             checked_document=80, not_checked=20, admitted_person_days=395, refused_person_days=5,
             uninsured_person_days=12, admitted_uninsured_person_days=7, admitted_uninsured_persons=2, businesses=6,
             checked_ccus_persons=20, checked_ccus_businesses=5, checked_document_persons=4,
             checked_document_businesses=2, not_checked_persons=1, not_checked_businesses=1,
             admitted_uninsured_businesses=1, **base),
        dict(site_id=S3, month=D(2025, 3, 1), is_public_works=True, person_days=50, persons=5, checked_ccus=50,
             checked_document=0, not_checked=0, admitted_person_days=50, refused_person_days=0,
             uninsured_person_days=0, admitted_uninsured_person_days=0, admitted_uninsured_persons=0, businesses=2,
             checked_ccus_persons=5, checked_ccus_businesses=2, checked_document_persons=0,
             checked_document_businesses=0, not_checked_persons=0, not_checked_businesses=0,
             admitted_uninsured_businesses=0, prefecture_code="13", orderer_type="municipality", prime_business_id=B2),
    ]
    worktime = [
        dict(site_id=S1, month=D(2024, 3, 1), workers=20, work_history_days=300, unknown_hours_days=3,
             work_hours=2500.0, holiday_work_hours=16.0, overtime_hours_on_site=120.0, workers_over_100h=0,
             workers_over_80h_avg=0, workers_over_45h_7th_month=0, workers_over_720h=0, workers_above_45h=0,
             caps_in_force=False),
        dict(site_id=S1, month=D(2025, 3, 1), workers=25, work_history_days=400, unknown_hours_days=4,
             work_hours=3600.5, holiday_work_hours=40.0, overtime_hours_on_site=310.25, workers_over_100h=2,
             workers_over_80h_avg=3, workers_over_45h_7th_month=1, workers_over_720h=1, workers_above_45h=6,
             caps_in_force=True),
    ]
    closure = [
        dict(site_id=S1, site_name="東京国道改良工事", is_public_works=True, model_project_type="mandatory",
             two_days_off_type="whole_period", kentaikyo_method="electronic", start_on=D(2024, 4, 1),
             end_on=D(2025, 6, 30), period_start=D(2024, 4, 1), period_end=AS_OF, as_of_date=AS_OF,
             is_period_complete=False, calendar_days=365, excluded_days=9, counted_days=356, closed_days=110,
             closure_rate=110 / 356, threshold=0.285, meets_4w8c_whole_period=True, months_counted=12,
             months_meeting=11, meets_4w8c_monthly=False, meets_declared_type=True, **base),
        dict(site_id=S2, site_name="大阪府庁舎改修工事", is_public_works=True, model_project_type="recommended",
             two_days_off_type="monthly", kentaikyo_method="stamp", start_on=D(2024, 9, 1), end_on=D(2024, 12, 20),
             period_start=D(2024, 9, 1), period_end=D(2024, 12, 20), as_of_date=AS_OF, is_period_complete=True,
             calendar_days=111, excluded_days=0, counted_days=111, closed_days=28, closure_rate=28 / 111,
             threshold=0.285, meets_4w8c_whole_period=False, months_counted=4, months_meeting=1,
             meets_4w8c_monthly=False, meets_declared_type=False, prefecture_code="27", orderer_type="prefecture",
             prime_business_id=B2),
        dict(site_id=S3, site_name="市道補修工事", is_public_works=True, model_project_type="none",
             two_days_off_type="none", kentaikyo_method="none", start_on=D(2025, 3, 1), end_on=D(2025, 9, 30),
             period_start=D(2025, 3, 1), period_end=AS_OF, as_of_date=AS_OF, is_period_complete=False,
             calendar_days=31, excluded_days=0, counted_days=31, closed_days=10, closure_rate=10 / 31,
             threshold=0.285, meets_4w8c_whole_period=True, months_counted=1, months_meeting=1,
             meets_4w8c_monthly=True, meets_declared_type=None, prefecture_code="13", orderer_type="municipality",
             prime_business_id=B2),
        dict(site_id="39999999999999", site_name="民間ビル新築工事", is_public_works=False, model_project_type="none",
             two_days_off_type="none", kentaikyo_method="none", start_on=D(2025, 1, 1), end_on=D(2025, 12, 31),
             period_start=D(2025, 1, 1), period_end=AS_OF, as_of_date=AS_OF, is_period_complete=False,
             calendar_days=90, excluded_days=3, counted_days=87, closed_days=20, closure_rate=20 / 87,
             threshold=0.285, meets_4w8c_whole_period=False, months_counted=3, months_meeting=0,
             meets_4w8c_monthly=False, meets_declared_type=None, prefecture_code="13", orderer_type="private",
             prime_business_id=B3),
    ]
    closure_monthly = [
        dict(site_id=S1, month=D(2025, 2, 1), first_day=D(2025, 2, 1), last_day=D(2025, 2, 28), calendar_days=28,
             excluded_days=0, counted_days=28, closed_days=8, closure_rate=8 / 28, meets_4w8c=True),
        dict(site_id=S1, month=D(2025, 3, 1), first_day=D(2025, 3, 1), last_day=D(2025, 3, 31), calendar_days=31,
             excluded_days=0, counted_days=31, closed_days=5, closure_rate=5 / 31, meets_4w8c=False),
    ]
    # prefecture summaries for the ministry page: 13 and 27 are large, 01 rests on 4 workers
    # (primary suppression), 02 on 12 workers: the smallest other row, suppressed as its complement
    kentaikyo_pref = [
        dict(prefecture_code=p, month=D(2025, 3, 1), sites=s, workers=w, businesses=b, workers_due=w,
             businesses_due=b, days_due=d, amount_due_yen=d * 320, days_reported=c, amount_reported_yen=c * 320,
             covered_days=c, coverage=c / d, shortfall_yen=(d - c) * 320, workers_short=w, businesses_short=b,
             mixed_method_sites=m, electronic_sites_without_reports=0, over_reporting_sites=0)
        for p, s, w, b, d, c, m in (("01", 1, 4, 2, 40, 30, 0), ("02", 2, 12, 4, 120, 100, 0),
                                    ("13", 9, 400, 60, 5000, 4000, 3), ("27", 5, 150, 20, 2000, 1900, 1))]
    insurance_pref = [
        dict(prefecture_code=p, month=D(2025, 3, 1), sites=s, persons=w, businesses=b, person_days=d,
             checked_ccus=d // 2, checked_document=d // 4, not_checked=d - d // 2 - d // 4, admitted_person_days=d,
             admitted_uninsured_person_days=v, checked_ccus_persons=w, checked_ccus_businesses=b,
             checked_document_persons=w, checked_document_businesses=b, not_checked_persons=w,
             not_checked_businesses=b, admitted_uninsured_persons=min(w, v), admitted_uninsured_businesses=min(b, v))
        for p, s, w, b, d, v in (("01", 1, 5, 2, 60, 1), ("02", 2, 15, 5, 200, 0), ("13", 9, 500, 70, 9000, 12),
                                 ("27", 5, 180, 25, 3000, 2))]
    worktime_monthly = [
        dict(month=D(2025, 3, 1), prefecture_code=p, occupation_code=o, caps_in_force=True, workers=w, businesses=b,
             workers_over_100h=x, workers_over_80h_avg=x, workers_over_45h_7th_month=0, workers_over_720h=0,
             businesses_over_100h=min(b, x), businesses_over_80h_avg=min(b, x), businesses_over_45h_7th_month=0,
             businesses_over_720h=0, workers_above_45h=x, workers_with_unknown_hours=0, work_days=w * 20, work_history_days=w * 20,
             unknown_hours_days=0, work_hours=w * 160.0, overtime_hours=w * 10.0, holiday_work_hours=0.0)
        for p, o, w, b, x in (("13", "06-01", 300, 40, 5), ("27", "06-01", 100, 12, 1), ("01", "06-01", 3, 1, 1))]
    kentaikyo.append(dict(site_id=FOREIGN, month=D(2025, 3, 1), kentaikyo_method="electronic", workers_due=44,
                          work_history_days=987_654, days_due=987_654, amount_due_yen=987_654 * 320,
                          days_reported=0, amount_reported_yen=0, covered_days=0, coverage=0.0,
                          shortfall_yen=987_654 * 320, is_mixed_method=False, is_electronic_without_reports=True,
                          has_over_reporting=False, prefecture_code="40", orderer_type="national_other",
                          prime_business_id=B9))
    directory = [dict(site_id=site, site_name=name, prefecture_code=pref, orderer_type=kind, orderer_code=code,
                      orderer_key=code or kind, is_public_works=public, model_project_type=model,
                      two_days_off_type=days_off, kentaikyo_method="electronic", start_on=D(2024, 4, 1),
                      end_on=D(2025, 6, 30), prime_business_id=prime, prime_business_name=prime_name,
                      prime_is_sole_proprietor=sole)
                 for site, name, pref, kind, code, public, model, days_off, prime, prime_name, sole in (
                     (S1, "東京国道改良工事", "13", "mlit", "KT-01", True, "mandatory", "whole_period", B1,
                      "東京建設株式会社", False),
                     (S2, "大阪府庁舎改修工事", "27", "prefecture", None, True, "recommended", "monthly", B2, None, True),
                     (S3, "市道補修工事", "13", "municipality", "131016", True, "none", "none", B2, None, True),
                     ("39999999999999", "民間ビル新築工事", "13", "private", None, False, "none", "none", B3,
                      "民間建設株式会社", False),
                     (FOREIGN, "福岡港湾工事（他の発注者）", "40", "national_other", "FOREIGN-9", True, "none", "none",
                      B9, "海外港湾建設株式会社", False))]
    return {"model_project_measurements": _table(measurements), "model_project_scores": _table(scores),
            "site_directory": _table(directory),
            "kentaikyo_site_monthly": _table(kentaikyo), "kentaikyo_business_monthly": _table(kentaikyo_business),
            "insurance_site_monthly": _table(insurance), "worktime_site_monthly": _table(worktime),
            "site_closure": _table(closure), "site_closure_monthly": _table(closure_monthly),
            "kentaikyo_prefecture_monthly": _table(kentaikyo_pref),
            "insurance_prefecture_monthly": _table(insurance_pref),
            "worktime_violations_monthly": _table(worktime_monthly)}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("project_pages")
    gold = root / "gold"
    gold.mkdir()
    for name, table in gold_tables().items():
        pq.write_table(table, gold / f"{name}.parquet")
    written = publish_site(str(gold), local(str(root / "site")))
    return root / "site", written


LOCATIONS = {"orderers/KT-01": {S1}, "orderers/prefecture": {S2}, "orderers/131016": {S3},
             "orderers/FOREIGN-9": {FOREIGN}, f"primes/{B1}": {S1}, f"primes/{B2}": {S2, S3}, f"primes/{B9}": {FOREIGN}}


def chart_specs(page_html: str) -> dict[str, dict]:
    return {m.group(1): json.loads(m.group(2)) for m in re.finditer(
        r'<script type="application/json" id="(chart-[\w-]+)-spec">(.*?)</script>', page_html, re.S)}


def test_one_location_per_orderer_and_per_prime(site):
    """Each orderer (its code, or its type when the code is empty) and each prime gets a location
    with its own sites only; a site's page is the same bytes in its orderer's and its prime's."""
    root, written = site
    paths = {Path(p).relative_to(root).as_posix() for p in written}
    for location, own in LOCATIONS.items():
        pages = {p.split("/")[-1].removesuffix(".html") for p in paths if p.startswith(f"{location}/sites/")}
        assert pages == own, location
        for name in ("index.html", "cells.csv", "relations.csv", "manifest.json", "assets/plotly.min.js",
                     "tables/summary.csv", "tables/sites.csv"):
            assert f"{location}/{name}" in paths, (location, name)
        index = (root / location / "index.html").read_text(encoding="utf-8")
        # the site tables its sites have rows in: each written and linked from the index, no other
        listed = {t["csv"] for t in json.loads((root / location / "manifest.json").read_text(encoding="utf-8"))["site_tables"]}
        written_tables = {p[len(location) + 1:] for p in paths if p.startswith(f"{location}/tables/site_")}
        assert listed == written_tables, location
        assert {c for c in re.findall(r'href="(tables/site_[^"]+\.csv)"', index)} == listed, location
        for s in own:
            assert f'href="sites/{s}.html"' in index
    assert any(p.endswith("/tables/site_kentaikyo_monthly.csv") for p in paths)
    assert "orderers/prefecture/tables/site_kentaikyo_monthly.csv" not in paths     # its one site has no 建退共 rows
    assert not any("39999999999999" in p for p in paths)                 # private works: no project page
    assert (root / f"orderers/KT-01/sites/{S1}.html").read_bytes() == \
        (root / f"primes/{B1}/sites/{S1}.html").read_bytes()
    # the prime by its business name; a sole proprietor's name is never shown (nor stored)
    assert "東京建設株式会社" in (root / f"primes/{B1}/index.html").read_text(encoding="utf-8")
    b2 = (root / f"primes/{B2}/index.html").read_text(encoding="utf-8")
    assert "一人親方の元請（名称は表示しません）" in b2
    home = (root / "index.html").read_text(encoding="utf-8")
    assert 'href="orderers/KT-01/index.html"' in home and f'href="primes/{B1}/index.html"' in home


def test_every_link_of_an_orderers_and_a_primes_pages_reaches_a_published_file(site):
    """Site pages are sites/<site_id>.html, one folder below their location: each relative href
    and src of every page of an orderer's and a prime's location (the back link, the plotly
    script, the methods page, the table CSVs, the site pages from the index) names a file that
    exists in that location."""
    root, _ = site
    checked = 0
    for location in (root / "orderers/KT-01", root / f"primes/{B1}"):
        for page in location.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            for link in re.findall(r'(?:href|src)="([^"#:]+)(?:#[^"]*)?"', text):
                target = (page.parent / link).resolve()
                assert target.is_file(), (page.relative_to(root), link)
                assert location.resolve() in target.parents, (page.relative_to(root), link)
                checked += 1
    assert (root / f"orderers/KT-01/sites/{S1}.html").is_file() and checked > 20


def test_a_planted_foreign_site_stays_in_its_own_locations(site):
    """FOREIGN belongs to orderer FOREIGN-9 and prime B9, with 987,654 days due found nowhere
    else: no other location holds its id, its name or its figure, in any file."""
    root, _ = site
    planted = (FOREIGN, "福岡港湾工事", "987654", "987,654", "海外港湾建設")
    for location, own in LOCATIONS.items():
        texts = [p.read_text(encoding="utf-8-sig") for p in (root / location).rglob("*")
                 if p.is_file() and p.suffix in (".html", ".csv", ".json")]
        found = {mark for mark in planted for text in texts if mark in text}
        assert found == (set(planted) if FOREIGN in own else set()), location
    summary = (root / "orderers/FOREIGN-9/tables/summary.csv").read_text(encoding="utf-8-sig").splitlines()
    assert summary[1].split(",")[7:9] == ["987654", "-"]                 # days due, none covered


def test_pages_never_show_a_worker_id(site):
    root, _ = site
    allowed = {S1, S2, S3, B1, B2, B3, FOREIGN, B9}
    for page in [p for d in ("orderers", "primes") for p in (root / d).rglob("*.html")]:
        text = page.read_text(encoding="utf-8")
        assert not {"worker_key", "person_key", "worker_id", "person_ref"} & set(re.findall(r"\w+", text)), page
        assert set(re.findall(r"(?<!\d)\d{14}(?!\d)", text)) <= allowed, page
        assert "cdn." not in text.lower() and not re.search(r'<script[^>]+src="(https?:)?//', text), page


def test_model_project_page_content(site):
    root, _ = site
    text = (root / f"primes/{B1}/sites/{S1}.html").read_text(encoding="utf-8")
    assert '<html lang="ja" data-ui-lang="ja"' in text
    assert "2025年3月31日" in text and "31 Mar 2025" in text           # as-of date
    for label in ("CCUSモデル工事", "CCUS model project", "建退共", "社会保険の加入確認", "4週8休",
                  "東京国道改良工事", "義務化モデル工事", "model_project_measurements", "kentaikyo_site_monthly"):
        assert label in text, label
    specs = chart_specs(text)
    assert set(specs) == {f"chart-rates-{S1}", f"chart-kentaikyo-{S1}", f"chart-insurance-{S1}",
                          f"chart-closure-{S1}"}
    rates = specs[f"chart-rates-{S1}"]["figure"]
    assert [t["y"] for t in rates["data"]] == [[0.85, 0.95], [0.75, 0.85], [0.4, 0.6]]
    assert rates["data"][2]["customdata"] == ["400 / 1,000", "1,200 / 2,000"]
    # targets 90 / 80 / 50 % dashed, mandatory minimums 70 / 60 / 30 % dotted
    lines = sorted((s["y0"], s["line"]["dash"]) for s in rates["layout"]["shapes"])
    assert lines == [(0.3, "dot"), (0.5, "dash"), (0.6, "dot"), (0.7, "dot"), (0.8, "dash"), (0.9, "dash")]
    assert "+1" in text                                           # the points
    assert "75.0%" in text and "16,000円" in text and "¥16,000" in text  # coverage, shortfall
    assert "電子・証紙の混在" in text and "電子申請の報告なし" in text
    assert "7" in text and "未加入・不明のまま入場" in text
    closure = specs[f"chart-closure-{S1}"]["figure"]
    assert [s["y0"] for s in closure["layout"]["shapes"]] == [0.285]
    # working time: March 2024 is before the caps ("—"), March 2025 shows the counts
    worktime = text[text.index('id="worktime"'):text.index('id="closure"')]
    assert "3,600.5" in worktime and "310.2" in worktime
    recommended = chart_specs((root / f"primes/{B2}/sites/{S2}.html").read_text(encoding="utf-8"))
    lines = sorted(s["y0"] for s in recommended[f"chart-rates-{S2}"]["figure"]["layout"]["shapes"])
    assert lines == [0.5, 0.8, 0.9]                                # no minimums for a recommended project
    plain = (root / f"primes/{B2}/sites/{S3}.html").read_text(encoding="utf-8")
    assert 'id="model-project"' not in plain                       # not a model project
    assert 'data-missing' not in plain


def test_ministry_page_has_suppressed_prefecture_summaries(site):
    """March 2025, 建退共 by prefecture: 01 rests on 4 workers (primary: every figure of its row);
    02 (12 workers) is the smallest row that gives 01 an interval wide enough, so its figures go
    as complements; 13 and 27 are shown, and 全国 = 7,160 days due. Insurance: 01 (5 persons)
    primary, and complements until every hidden cell — complements too — keeps its interval.
    Working time: 01 (1 worker over 100 h and over 80 h, one business) and 27 (1 and 1) primary;
    13's 5 would be 全国 7 - 1 - 1 within 2: hidden too, and 全国 with them."""
    root, _ = site
    text = (root / "ministry/index.html").read_text(encoding="utf-8")
    assert audit_location(root / "ministry") == []

    def table(name):
        rows = (root / f"ministry/tables/{name}.csv").read_text(encoding="utf-8-sig").splitlines()
        return {r.split(",")[0]: r.split(",")[2:] for r in rows[1:]}

    kentaikyo = table("kentaikyo_prefectures")
    assert kentaikyo["01"] == ["X", "X", "X", "X"] and set(kentaikyo["02"]) == {"X"}
    assert kentaikyo["13"] == ["5000", "4000", "80.0", "320000"]
    assert kentaikyo["*"][0] == "7160"                                 # the national total of days due
    insurance = table("insurance_prefectures")
    assert set(insurance["01"]) == {"X"} and insurance["13"][0] == "9000"
    worktime = table("worktime_prefectures")
    assert all(worktime[p][:2] == ["X", "X"] for p in ("01", "13", "27", "*"))
    assert "秘匿" in text and "suppressed" in text
    assert {"chart-compliance-kentaikyo", "chart-compliance-insurance", "chart-compliance-worktime"} <= set(chart_specs(text))


def test_project_page_renders_in_chromium(site):
    root, _ = site
    page = root / f"orderers/KT-01/sites/{S1}.html"
    shot = browser.screenshot(page, ARTIFACTS / "project_page.png", height=4200)
    assert shot.console == [], shot.console
    run = browser.dump_dom(page)
    assert run.console == [], run.console
    assert 'data-ready="true"' in run.stdout
    assert run.stdout.count("js-plotly-plot") == 4
    drawn = " ".join(re.sub(r"<[^>]+>", " ", s) for s in re.findall(r'<svg class="main-svg".*?</svg>', run.stdout, re.S))
    for label in ("測定日ごとの3つの率", "目標 90%", "下限 30%", "月別の閉所率", "基準 28.5%"):
        assert label in drawn, label
    english = browser.dump_dom(f"{page}#lang=en")
    assert english.console == [], english.console
    assert 'data-ui-lang="en"' in english.stdout and 'data-ready="true"' in english.stdout
    drawn = " ".join(re.sub(r"<[^>]+>", " ", s) for s in re.findall(r'<svg class="main-svg".*?</svg>', english.stdout, re.S))
    assert "The three rates at each measurement date" in drawn and "target 90%" in drawn
    assert "測定日ごとの3つの率" not in drawn


def test_index_and_ministry_render_in_chromium(site):
    root, _ = site
    # an orderer's and a prime's location, as their readers open them (test artefacts: look at them)
    for location, shot_name in (("orderers/KT-01", "orderer_index.png"), (f"primes/{B2}", "prime_index.png")):
        shot = browser.screenshot(root / location / "index.html", ARTIFACTS / shot_name, height=1400)
        assert shot.console == [], shot.console
    index = browser.dump_dom(f"{root / 'orderers/KT-01/index.html'}#lang=en")
    assert index.console == [], index.console
    assert f'href="sites/{S1}.html#lang=en"' in index.stdout  # the language follows the link
    ministry = browser.dump_dom(root / "ministry/index.html")
    assert ministry.console == [], ministry.console
    assert 'data-ready="true"' in ministry.stdout


def test_a_simulated_runs_project_pages_carry_the_banner_and_a_real_runs_do_not(site, tmp_path):
    """Finding (issue 16): the orderers' and primes' pages of a simulated run said nothing of it."""
    real_root, _ = site
    real = [p for p in real_root.rglob("*.html") if p.parent != real_root]
    assert real and not any('id="simulation-banner"' in p.read_text(encoding="utf-8") for p in real)
    gold = tmp_path / "gold"
    gold.mkdir()
    for name, table in gold_tables().items():
        pq.write_table(table, gold / f"{name}.parquet")
    (gold / "simulation.json").write_text('{"scale": "tiny", "seed": 7, "start": "2024-04-01", "days": 14, '
                                          '"sample_fraction": 0.0061}', encoding="utf-8")
    publish_site(str(gold), local(str(tmp_path / "site")))
    pages = [p for loc in ("orderers", "primes") for p in (tmp_path / "site" / loc).rglob("*.html")]
    assert any("/sites/" in str(p) for p in pages) and any(p.name == "methods.html" for p in pages)
    for page in pages:   # every site page, each location's index and its methods page
        assert "模擬データ（規模 tiny、抽出率 0.0061）" in page.read_text(encoding="utf-8"), page

"""HTML or script in any text field of the data stays text on every page (the templates escape
what they are given; chart JSON carries no '<'), checked in the files and in a real Chromium;
and the A4 print of the ministry's page (its print stylesheet) in Chromium."""
from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import pyarrow.parquet as pq

from dashboards.publish import publish_site
from dashboards.settings import local
from tests import browser, test_association_pages, test_dashboards, test_project_pages

HOSTILE = '<script>console.error("XSS script")</script><img src=x onerror="console.error(\'XSS img\')">'


def _hostile_gold(root: Path) -> Path:
    gold = root / "gold"
    test_dashboards.write_gold(gold)
    test_association_pages.write_gold(gold)
    tables = test_project_pages.gold_tables()
    # a site name, a prime's business name, an association's and an occupation's names: hostile
    directory = tables["site_directory"].to_pylist()
    for row in directory:
        row["site_name"] = HOSTILE + row["site_name"]
        if row["prime_business_name"]:
            row["prime_business_name"] = HOSTILE
    tables["site_directory"] = type(tables["site_directory"]).from_pylist(directory)
    for name, table in tables.items():
        if name not in ("kentaikyo_prefecture_monthly", "insurance_prefecture_monthly", "worktime_violations_monthly"):
            pq.write_table(table, gold / f"{name}.parquet")
    members = pq.read_table(gold / "association_members.parquet").to_pylist()
    for row in members:
        row["association_name_ja"] = HOSTILE + row["association_name_ja"]
    pq.write_table(type(tables["site_directory"]).from_pylist(members), gold / "association_members.parquet")
    wages = pq.read_table(gold / "wage_level_compliance_national.parquet").to_pylist()
    for row in wages:
        row["occupation_name_ja"] = HOSTILE
    pq.write_table(type(tables["site_directory"]).from_pylist(wages), gold / "wage_level_compliance_national.parquet")
    return gold


def test_markup_in_the_data_stays_text(tmp_path):
    site = tmp_path / "site"
    publish_site(str(_hostile_gold(tmp_path)), local(str(site)))
    pages = sorted(site.rglob("*.html"))
    shown = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script>console" not in text and "<img src=x" not in text, page
        shown += text.count("&lt;script&gt;console.error(")
        for spec in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', text, re.S):
            assert "<" not in spec, page                     # chart JSON: < written as \u003c
    assert shown >= 5                                        # the names are there, as text
    for page in (site / "associations/ZENTEKKIN/index.html", next(site.glob("orderers/*/index.html")), next(site.glob("primes/*/sites/*.html")),
                 next(site.glob("ministry/sites/*.html"))):
        run = browser.dump_dom(page)
        assert not [m for m in run.console if "XSS" in m], (page, run.console)
        # no element was made from the data: an <img> with onerror or a <script> with the payload
        assert not re.search(r"<img[^>]*onerror", run.stdout) and "<script>console" not in run.stdout, page
        assert "XSS img" in run.stdout                       # the name is on the page, as text


def test_the_ministry_page_prints_on_a4(tmp_path):
    site = tmp_path / "site"
    publish_site(str(test_dashboards.write_gold(tmp_path / "gold")), local(str(site)))
    pdf = tmp_path / "ministry.pdf"
    with tempfile.TemporaryDirectory(prefix="ccus-chromium-") as profile:
        subprocess.run([browser.chromium_path(), *browser._FLAGS, f"--user-data-dir={profile}",
                        "--no-pdf-header-footer", "--virtual-time-budget=15000", f"--print-to-pdf={pdf}",
                        (site / "ministry/index.html").as_uri()], capture_output=True, timeout=120)
    data = pdf.read_bytes()
    boxes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data))
    # A4 is 210 x 297 mm = 595.3 x 841.9 pt (Chromium writes it rounded to 595.92 x 842.88 or so)
    assert boxes and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in boxes), boxes
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert 3 <= pages <= 40, pages
    page = (site / "ministry/index.html").read_text(encoding="utf-8")
    # the print stylesheet: A4, no plotly toolbar, no language button, no download links
    assert "@page { size: A4;" in page
    assert re.search(r"@media print \{.*?#lang-toggle, p\.download, \.modebar, \.modebar-container "
                     r"\{ display: none !important; \}", page, re.S)

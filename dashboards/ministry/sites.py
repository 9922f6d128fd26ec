"""The ministry's all-sites index: every public-works site with a project page, by prefecture.

What it may show under metrics.md §8: a site's registered attributes (id, name, prefecture,
orderer, prime by business name — never a sole proprietor's —, construction period) and no
figure of the site: a site's figures rest on its own few workers and businesses and go only to
its orderer and prime. Its model-project and 4週8休 types are left out too: listing them would
count the sites of each type, which the model-project and 4週8休 tables suppress when they rest
on fewer than 3 primes. The number of sites listed per prefecture is published (a list shows
it anyway) as registry counts; their national total is tied to the 4週8休 table's sites by
declared type (the sum of its rows), so that the disclosure step sees that relation too.
"""

from __future__ import annotations

import pandas as pd

from .. import names, render
from .. import format as fmt
from ..disclosure import export, kinds
from ..disclosure.cells import ALL, CellSet
from ..disclosure.table import KeyColumn, Measure, Table
from ..i18n import Text
from ..parts import Part
from ..projects.labels import orderer_name, prime_name

HEADING = Text("公共工事の一覧（全現場）", "All public-works sites")
LEAD = Text("プロジェクトページのある公共工事の一覧（都道府県別）。現場ごとの数値は、その工事の発注者と元請にだけ公開されます。",
            "The public-works sites with a project page, by prefecture. A site's own figures are published to its "
            "orderer and prime only.")
COUNT = Measure("sites", Text("公共工事の数", "Public-works sites"), "sites", exempt=True, worker_rule=False)


def _code(value) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) or value == "" else str(value)


def directory(sites: pd.DataFrame | None, cells: CellSet, closure: Table | None) -> tuple[Part, dict, bytes | None]:
    """(the section of the ministry's page, the sites of each prefecture's page, the CSV of the
    listing)."""
    table = Table("site_directory_counts", Text("都道府県別の公共工事の数", "Public-works sites by prefecture"),
                  ("site_directory",), [KeyColumn("prefecture_code", Text("都道府県", "Prefecture"))], [COUNT])
    if sites is None or sites.empty:
        return Part("site-directory", HEADING, LEAD, [table], missing=("site_directory",)), {}, None
    sites = sites.assign(prefecture_code=[_code(c) for c in sites["prefecture_code"]])
    codes = sorted(set(sites["prefecture_code"]), key=lambda c: (names.prefecture_order(c), c or ""))
    for code in codes:
        table.add_row(cells, {"prefecture_code": code}, names.prefecture(code) if code else names.UNKNOWN,
                      {"sites": int((sites["prefecture_code"].isna() if code is None else
                                     sites["prefecture_code"] == code).sum())})
    table.add_row(cells, {"prefecture_code": ALL}, Text("全国", "National"), {"sites": len(sites)})
    kinds.apply(cells, table, [kinds.Breakdown("prefecture_code")])
    if closure is not None and not closure.empty:
        cells.relate("sum", table.cell("sites", prefecture_code=ALL), [r.cells["sites"] for r in closure.rows])
    records = sites.sort_values(["prefecture_code", "site_id"], na_position="last").to_dict("records")
    by_prefecture: dict = {}
    lines = [["現場ID", "現場名", "都道府県", "発注者", "元請", "工期開始", "工期終了"]]
    for record in records:
        by_prefecture.setdefault(record["prefecture_code"], []).append(record)
        lines.append([record["site_id"], str(record.get("site_name") or ""), record["prefecture_code"] or "",
                      orderer_name(record).ja, prime_name(record).ja, _day(record.get("start_on")), _day(record.get("end_on"))])

    def view(depth):
        links = [render.Link(f"sites/{c or 'unknown'}.html",
                             names.prefecture(c) if c else names.UNKNOWN,
                             Text(f"（{len(by_prefecture[c])}件）", f"({len(by_prefecture[c])})")) for c in codes]
        return [render.table_view(table, depth), render.Links(links),
                render.Note(Text("現場の属性だけを載せ、数値は載せていません。モデル工事・週休2日の区分ごとの現場数は上の表で秘匿されることがあるため、"
                                 "区分も載せていません。", "Sites' attributes only, no figures; their model-project and "
                                 "closed-day (8 closed days in 4 weeks) types are not listed either (their counts by type may be suppressed above)."))]
    return Part("site-directory", HEADING, LEAD, [table], view), by_prefecture, export.csv_bytes(lines)


def _day(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else value.isoformat()


def prefecture_page(code: str | None, rows: list[dict], as_of) -> str:
    name = names.prefecture(code) if code else names.UNKNOWN
    headers = [Text("工事", "Project"), Text("現場ID", "Site id"), Text("発注者", "Orderer"), Text("元請", "Prime"),
               Text("工期", "Construction period")]
    body = []
    for r in rows:
        start, end = r.get("start_on"), r.get("end_on")
        period = Text(f"{fmt.jp_date(start)} 〜 {fmt.jp_date(end)}", f"{fmt.en_date(start)} – {fmt.en_date(end)}")
        body.append([render.CellView(Text(str(r.get("site_name") or r["site_id"]), str(r.get("site_name") or r["site_id"]))),
                     render.CellView(str(r["site_id"])), render.CellView(orderer_name(r)),
                     render.CellView(prime_name(r)), render.CellView(period)])
    section = render.Section("sites", Text(f"{name.ja}の公共工事", f"Public works in {name.en}"),
                             [render.plain_table("sites", headers, body,
                                                 [render.csv_link("site_directory", HEADING, 1)])], LEAD)
    return render.page(title=Text(f"公共工事の一覧 — {name.ja}", f"Public-works sites — {name.en}"), sections=[section],
                       as_of=as_of, depth=1, back=render.Link("../index.html", Text("国土交通省のページへ", "Back to the ministry's page")))

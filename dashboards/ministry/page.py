"""The ministry's location: its page (contents, headline figures, every section), the tables as
data, cells.csv / relations.csv / manifest.json — all after one disclosure step over every table
and chart of the location."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import methods, render
from .. import sources as seed_sources
from .. import format as fmt
from ..disclosure import export
from ..disclosure.cells import ALL, CellSet
from ..disclosure.suppress import Thresholds, protect
from ..i18n import Text
from ..io import Location
from ..parts import Part
from ..theme import OKABE_ITO
from ..topics import TOPICS
from . import adoption, compliance, levels, prefectures, wages
from . import sites as sites_module
from . import data as d
from .adoption_charts import domain

TITLE = Text("CCUS 普及状況（全国）— 国土交通省向け", "CCUS adoption (national) — for MLIT")
LEAD = Text(
    "全国の普及状況と目標、続いて都道府県・職種・レベル別の内訳、賃金、法令・施策の遵守状況。すべての表とグラフは"
    "同じ秘匿処理を経ており、各表の下のCSVで同じ数値を取り出せます。",
    "National adoption against the targets, then breakdowns by prefecture, occupation and level, wages and "
    "compliance. Every table and chart passed the same disclosure control; the CSV under each gives its figures.")
FOOTER = Text("静的ページ（オフラインで閲覧可）。各グラフ・表の数値は出典欄のgoldマートで確認できます。",
              "Static page, readable offline. Every number can be traced to the gold mart named in the source line "
              "of its chart or table.")


AUDIENCE = Text("国土交通省", "Ministry (MLIT)")


@dataclass
class Headline:
    label: Text
    value: Text
    note: Text
    suppressed: bool = False
    official: Text | None = None          # the latest official figure beside the platform's
    official_note: Text | None = None     # its date and source


@dataclass
class LocationPages:
    """What a location publishes: pages (HTML) and data files, by path relative to the location."""

    pages: dict[str, str]
    files: dict[str, bytes]
    as_of: date | None


PLATFORM = Text("本基盤", "Platform")
OFFICIAL = Text("公表値", "Official")


def _official(a: adoption.Adoption, measure: str, basis: str | None) -> tuple[Text | None, Text | None]:
    """The latest official figure of a measure (a cell of the published table, exempt from
    suppression) with its date and source."""
    rows = a.published.rows
    found = [r for r in rows if r.cells.get(measure) is not None and r.cells[measure].value is not None
             and (basis is None or r.key["businesses_basis"] == basis)]
    if not found:
        return None, None
    row = max(found, key=lambda r: r.key["as_of"])
    value, day = row.cells[measure].value, date.fromisoformat(row.key["as_of"])
    frame = a.data.published
    url = frame[frame["as_of"] == day]["source_url"].iloc[0]
    unit = ("人", " workers") if measure == "registered_workers" else ("社", " businesses")
    where = domain(url)
    return (Text(fmt.jp_number(value, unit[0]), f"{fmt.en_number(value)}{unit[1]}"),
            Text(f"{fmt.jp_date(day)}・{where}", f"{fmt.en_date(day)}, {where}"))


def _headline(a: adoption.Adoption) -> list[Headline]:
    month = a.data.latest_month()
    if month is None:
        return []
    key = {"month": d.month_key(month)}
    when = Text(f"{fmt.jp_month(month)}末", f"end of {fmt.en_month(month)}")
    in_month = Text(fmt.jp_month(month), fmt.en_month(month))
    out = []
    for label, cell, unit, note, official in (
            (Text("登録技能者数", "Registered workers"), a.workers.cell("registered_workers", **key), ("人", " workers"), when,
             ("registered_workers", None)),
            (Text("登録事業者数", "Registered businesses"), a.businesses.cell("registered_businesses", **key),
             ("社", " businesses"), when, ("registered_businesses", "incl_sole_proprietors")),
            (Text("新規登録技能者", "New workers"), a.prefectures.cell("new_workers", prefecture_code=ALL),
             ("人", " workers"), in_month, None),
            (Text("就業履歴（当月）", "Work-history days (month)"), a.work_history.cell("work_history_days", **key),
             ("人日", " worker-days"), in_month, None)):
        if cell is None:
            continue
        value = Text(fmt.jp_number(cell.value, unit[0]), f"{fmt.en_number(cell.value)}{unit[1]}")
        figure, figure_note = _official(a, *official) if official else (None, None)
        out.append(Headline(label, value, note, suppressed=bool(cell.suppressed), official=figure,
                            official_note=figure_note))
    return out


def build(gold: Location, thresholds: Thresholds, as_of: date | None = None,
          simulation: Text | None = None, sites=None) -> LocationPages:
    """``sites``: the public-works sites with a project page (their directory rows), listed in
    the all-sites index."""
    data = d.load(gold, as_of)
    cells = CellSet()
    a = adoption.Adoption(data, cells, simulation)
    parts: list[Part] = [
        adoption.workers_part(a), adoption.businesses_part(a), adoption.targets_part(a, simulation), adoption.work_history_part(a),
        prefectures.prefectures_part(a, thresholds),
        adoption.occupations_part(a, OKABE_ITO["bluish_green"], thresholds),
        levels.levels_part(data, cells, thresholds),
        levels.input_methods_part(data, cells, a.work_history, thresholds),
        wages.wages_part(data, cells, thresholds),
        compliance.kentaikyo_part(data, cells, thresholds), compliance.insurance_part(data, cells, thresholds),
        compliance.worktime_part(data, cells, thresholds), compliance.model_part(data, cells, thresholds),
        compliance.closure_part(data, cells, thresholds),
    ]
    closure = next((t for p in parts for t in p.tables if t.id == "closure"), None)
    directory, by_prefecture, listing = sites_module.directory(sites, cells, closure)
    parts.append(directory)
    tables = [a.workers, a.businesses, a.work_history, a.published, a.targets]
    for part in parts:
        tables += [t for t in part.tables if t not in tables]
    protect(cells, thresholds)
    sources = seed_sources.load(gold)
    sections = seed_sources.mark([p.section(0) for p in parts], tables, sources, 0)
    page = render.page(title=TITLE, sections=sections, as_of=data.as_of, depth=0, toc=True,
                       intro=[render.Note(LEAD, "lead")], headline=_headline(a), headline_labels=(PLATFORM, OFFICIAL), footer=FOOTER, simulation=simulation)
    pages = {"index.html": page,
             "methods.html": methods.page(audience=AUDIENCE, tables=tables, sources=sources, thresholds=thresholds,
                                          as_of=data.as_of, simulation=simulation,
                                          notes=[(TOPICS["targets"].heading, TOPICS["targets"].lead)])}
    for code, rows in by_prefecture.items():
        pages[f"sites/{code or 'unknown'}.html"] = sites_module.prefecture_page(code, rows, data.as_of)
    files = export.files(audience="ministry", unit=None, as_of=data.as_of, pages=list(pages), tables=tables,
                         cells=cells, extra={"site_directory": "tables/site_directory.csv"} if listing else None)
    if listing:
        files["tables/site_directory.csv"] = listing
    return LocationPages(pages, files, data.as_of)

"""The ministry's location: its page (contents, headline figures, every section), the tables as
data, cells.csv / relations.csv / manifest.json — all after one disclosure step over every table
and chart of the location."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import methods, render
from .. import sources as seed_sources
from ..disclosure import export
from ..disclosure.cells import CellSet
from ..disclosure.suppress import Thresholds, protect
from ..i18n import Text
from ..io import Location
from ..parts import Part
from ..theme import OKABE_ITO
from ..topics import TOPICS
from . import adoption, compliance, headline, levels, prefectures, wages
from . import sites as sites_module
from . import data as d

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
class LocationPages:
    """What a location publishes: pages (HTML) and data files, by path relative to the location."""

    pages: dict[str, str]
    files: dict[str, bytes]
    as_of: date | None


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
    key_figures = headline.table(a)
    tables = [key_figures, a.workers, a.businesses, a.work_history, a.published, a.targets]
    for part in parts:
        tables += [t for t in part.tables if t not in tables]
    protect(cells, thresholds)
    sources = seed_sources.load(gold)
    sections = seed_sources.mark([p.section(0) for p in parts], tables, sources, 0)
    page = render.page(title=TITLE, sections=sections, as_of=data.as_of, depth=0, toc=True,
                       intro=[render.Note(LEAD, "lead")], headline=headline.cards(a, key_figures),
                       headline_labels=(headline.PLATFORM, headline.OFFICIAL),
                       headline_csv=render.table_view(key_figures, 0).csv, headline_targets=headline.target_cards(a),
                       headline_targets_heading=headline.TARGETS_HEADING, footer=FOOTER, simulation=simulation)
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

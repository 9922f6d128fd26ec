"""The orderers' and primes' locations: one per orderer (its orderer_code, or its orderer_type
when the code is empty) and one per prime (its business id), each listing only its own
public-works sites.

A location holds ``index.html`` (summary figures, then the list of its sites), one page per site
(``sites/<site_id>.html``, the same bytes in the orderer's and the prime's location), its
tables as data (``tables/*.csv``: the summary and the site list, which are its cells, and the
tables of its site pages, one file per topic) and ``cells.csv``, ``relations.csv``,
``manifest.json``. Nothing here is suppressed: these figures go only to the site's own orderer
and prime (metrics.md §8); no worker is named or identified.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import location_files, methods, names, render
from .. import format as fmt
from ..disclosure import export, kinds
from ..disclosure.cells import CellSet
from ..disclosure.table import KeyColumn, Measure, Table
from ..i18n import Text
from ..io import Location
from ..sources import METHODS_PAGE
from ..topics import TOPICS
from .common import site_page_path
from .data import CLOSURE, INSURANCE, KENTAIKYO, MODEL_TYPE, SCORES, ProjectData, _none_if_missing, records
from .labels import orderer_name, prime_name
from .tables import SITE_TABLE_MARTS, TITLES, SiteTables

INDEX = "index.html"   # the location's own page; its digest (unchanged.py) says what it was built from

SUMMARY = [Measure("sites", Text("公共工事", "Public-works sites"), "sites", additive=False, worker_rule=False),
           Measure("model_sites", Text("うちモデル工事", "of which model projects"), "sites", additive=False,
                   worker_rule=False),
           *(Measure(m, TOPICS["model-projects"].measure(m).header, "rate", "rate", additive=False, worker_rule=False)
             for m in ("avg_business_registration_rate", "avg_worker_registration_rate", "avg_card_touch_rate")),
           Measure("days_due", Text("建退共 対象日数", "Retirement-allowance mutual aid: days due"), "days", worker_rule=False),
           Measure("covered_days", Text("建退共 充当済み日数", "Retirement-allowance mutual aid: days covered"), "days", worker_rule=False),
           Measure("coverage", Text("建退共 充当率", "Retirement-allowance mutual aid: coverage"), "rate", "rate", additive=False, worker_rule=False),
           Measure("admitted_uninsured", Text("未加入・不明のまま入場（人日）", "Admitted uninsured (person-days)"),
                   "person_days", worker_rule=False),
           Measure("declared_sites", Text("週休2日を指定した工事", "Sites with 8 closed days in 4 weeks declared"), "sites",
                   additive=False, worker_rule=False),
           Measure("meets_declared", Text("うち区分どおり達成", "of which meeting it"), "sites", additive=False,
                   worker_rule=False),
           Measure("closure_rate", Text("閉所率（合算）", "Closure rate (pooled)"), "rate", "rate", additive=False,
                   worker_rule=False)]
SITE_COLUMNS = [Measure("points", Text("加減点", "Points"), "points", "points", additive=False, worker_rule=False),
                Measure("coverage", Text("建退共充当率", "Retirement-allowance mutual aid: coverage"), "rate", "rate", additive=False,
                        worker_rule=False),
                Measure("admitted_uninsured", Text("未加入入場（人日）", "Admitted uninsured"), "person_days",
                        worker_rule=False),
                Measure("closure_rate", Text("閉所率", "Closure rate"), "rate", "rate", additive=False, worker_rule=False)]


@dataclass(frozen=True)
class Unit:
    kind: str                       # "orderers" | "primes"
    code: str
    name: Text
    sites: tuple[int, ...]          # positions in the site records


def units(records: list[dict]) -> list[Unit]:
    """One unit per orderer and one per prime, in code order; each with its sites."""
    orderers: dict[str, list[int]] = {}
    primes: dict[str, list[int]] = {}
    for i, record in enumerate(records):
        orderer = _none_if_missing(record.get("orderer_key")) or _none_if_missing(record.get("orderer_type"))
        if orderer:
            orderers.setdefault(str(orderer), []).append(i)
        prime = _none_if_missing(record.get("prime_business_id"))
        if prime:
            primes.setdefault(str(prime), []).append(i)
    out = [Unit("orderers", code, orderer_name(records[ix[0]]), tuple(ix)) for code, ix in sorted(orderers.items())]
    out += [Unit("primes", code, prime_name(records[ix[0]]), tuple(ix)) for code, ix in sorted(primes.items())]
    return out


def site_figures(data: ProjectData) -> pd.DataFrame:
    """One row per site (as data.sites) with the figures of the site list and the summary."""
    out = data.sites[["site_id"]].copy()
    scores = data.marts.get(SCORES)
    for column in ("points", "avg_business_registration_rate", "avg_worker_registration_rate", "avg_card_touch_rate"):
        out[column] = out["site_id"].map({} if scores is None else dict(zip(scores["site_id"], scores[column])))
    out["is_model"] = out["site_id"].isin(set() if scores is None else
                                          set(scores.loc[scores["model_project_type"] != "none", "site_id"]))
    kentaikyo = data.marts.get(KENTAIKYO)
    due = covered = {}
    if kentaikyo is not None and not kentaikyo.empty:
        totals = kentaikyo.groupby("site_id")[["days_due", "covered_days"]].sum()
        due, covered = dict(zip(totals.index, totals["days_due"])), dict(zip(totals.index, totals["covered_days"]))
    out["days_due"] = out["site_id"].map(due)
    out["covered_days"] = out["site_id"].map(covered)
    out["coverage"] = [c / d if d == d and c == c and d else None for c, d in zip(out["covered_days"], out["days_due"])]
    insurance = data.marts.get(INSURANCE)
    uninsured = {} if insurance is None or insurance.empty else dict(
        insurance.groupby("site_id")["admitted_uninsured_person_days"].sum().items())
    out["admitted_uninsured"] = out["site_id"].map(uninsured)
    closure = data.marts.get(CLOSURE)
    for column in ("counted_days", "closed_days", "closure_rate", "meets_declared_type"):
        values = {} if closure is None or column not in closure else dict(zip(closure["site_id"], closure[column]))
        out[column] = out["site_id"].map(values)
    out["declared"] = [t not in (None, "none") and t == t for t in data.sites["two_days_off_type"]]
    return out


def _value(v):
    v = _none_if_missing(v)
    return None if v is None else v


class ProjectLocations:
    """Everything the orderers' and primes' locations need, computed once per process."""

    def __init__(self, data: ProjectData):
        self.data = data
        self.records = records(data.sites)
        self.figures = records(site_figures(data))
        self.units = units(self.records)
        self._tables: SiteTables | None = None
        self._methods: dict[tuple, bytes] = {}

    @property
    def tables(self) -> SiteTables:
        """The site tables' lines, formatted on first use (only where locations are built)."""
        if self._tables is None:
            self._tables = SiteTables(self.data)
        return self._tables

    def as_of(self, unit: Unit):
        """The location's as-of date: its latest site's (its pages change only when a site's do)."""
        known = [d for d in (self.data.site_as_of(self.records[i]["site_id"]) for i in unit.sites) if d is not None]
        return max(known) if known else self.data.as_of

    def build(self, unit: Unit, inputs: str | None = None) -> tuple[str, dict[str, bytes]]:
        """(index page, data files) of one location; ``inputs``: the digest of what it is built
        from, written into its index page for the next publication (unchanged.py)."""
        cells = CellSet()
        sites = [self.records[i] for i in unit.sites]
        as_of = self.as_of(unit)
        figures = [self.figures[i] for i in unit.sites]
        site_list = Table("sites", Text("工事の一覧", "The sites"), (SCORES, KENTAIKYO, INSURANCE, CLOSURE),
                          [KeyColumn("site_id", Text("現場ID", "Site id"))], SITE_COLUMNS)
        for record, f in zip(sites, figures):
            site_list.add_row(cells, {"site_id": record["site_id"]}, Text(str(record.get("site_name") or record["site_id"]),
                                                                          str(record.get("site_name") or record["site_id"])),
                              {m.name: _value(f.get(m.name)) for m in SITE_COLUMNS})
        summary = Table("summary", Text("概要", "Summary"), (SCORES, KENTAIKYO, INSURANCE, CLOSURE),
                        [KeyColumn("unit", Text("区分", "Unit"))], SUMMARY)
        model = [f for f in figures if f["is_model"]]

        def mean(column):
            known = [f[column] for f in model if _value(f[column]) is not None]
            return sum(known) / len(known) if known else None

        def total(column):
            known = [f[column] for f in figures if _value(f[column]) is not None]
            return sum(known) if known else None

        due, covered, counted, closed = total("days_due"), total("covered_days"), total("counted_days"), total("closed_days")
        declared = [f for f in figures if f["declared"]]
        row = summary.add_row(cells, {"unit": unit.code}, unit.name, {
            "sites": len(figures), "model_sites": len(model),
            "avg_business_registration_rate": mean("avg_business_registration_rate"),
            "avg_worker_registration_rate": mean("avg_worker_registration_rate"),
            "avg_card_touch_rate": mean("avg_card_touch_rate"), "days_due": due, "covered_days": covered,
            "coverage": covered / due if due else None, "admitted_uninsured": total("admitted_uninsured"),
            "declared_sites": len(declared), "meets_declared": sum(1 for f in declared if _value(f["meets_declared_type"])),
            "closure_rate": closed / counted if counted else None})
        kinds.apply(cells, summary, [kinds.Ratio("coverage", "covered_days", "days_due")])
        cells.relate("sum", row.cells["admitted_uninsured"], [r.cells["admitted_uninsured"] for r in site_list.rows])
        site_tables = self.tables.files([r["site_id"] for r in sites])
        shown = [t for t in self.tables.headers if f"tables/{t}.csv" in site_tables]
        page = self._index_page(unit, sites, summary, site_list, shown, as_of, inputs)
        files = export.files(audience=unit.kind, unit=unit.code, as_of=as_of, pages=[INDEX] + [
            site_page_path(r["site_id"]) for r in sites], tables=[summary, site_list], cells=cells,
            extra={"site_tables": [{"id": t, "title": {"ja": TITLES[t][0], "en": TITLES[t][1]},
                                    "csv": f"tables/{t}.csv"} for t in shown]})
        files.update(site_tables)
        # the location's methods page (issue 16): unsuppressed; the seeds under its site marts
        files[METHODS_PAGE] = self._methods_page(unit.kind, [summary, site_list] + [
            t for t in SITE_TABLE_MARTS if t.id in shown])
        return page, files

    def _methods_page(self, kind: str, tables: list[Table]) -> bytes:
        """The methods page of an orderer's or a prime's location. It names the kind of audience,
        not the unit, so that the locations of a kind showing the same tables share one page:
        rendered once per process, written once and hard-linked (dashboards.io.Writer) into the
        thousands of locations of a national publication."""
        key = (kind, tuple(t.id for t in tables if not t.empty))
        if key not in self._methods:
            audience = (Text("発注者向け", "for orderers") if kind == "orderers"
                        else Text("元請向け", "for prime contractors"))
            self._methods[key] = methods.page(audience=audience, tables=tables, sources=self.data.sources,
                                              thresholds=None, as_of=None,
                                              simulation=self.data.simulation).encode()
        return self._methods[key]

    def _index_page(self, unit: Unit, sites: list[dict], summary: Table, site_list: Table, shown: list[str],
                    as_of, inputs: str | None) -> str:
        kind = Text("発注者", "Orderer") if unit.kind == "orderers" else Text("元請", "Prime contractor")
        title = Text(f"{unit.name.ja} の公共工事（{kind.ja}）", f"Public works of {unit.name.en} ({kind.en.lower()})")
        row = summary.rows[0].cells
        headline = []
        for label, cell, unit_text in (
                (Text("公共工事", "Public-works sites"), row["sites"], ("件", " sites")),
                (TOPICS["model-projects"].measure("avg_business_registration_rate").header,
                 row["avg_business_registration_rate"], None),
                (TOPICS["model-projects"].measure("avg_worker_registration_rate").header,
                 row["avg_worker_registration_rate"], None),
                (TOPICS["model-projects"].measure("avg_card_touch_rate").header, row["avg_card_touch_rate"], None),
                (Text("建退共 充当率", "Retirement-allowance mutual aid: coverage"), row["coverage"], None),
                (Text("未加入・不明のまま入場", "Admitted uninsured"), row["admitted_uninsured"], ("人日", " person-days")),
                (Text("4週8休 区分どおり達成", "8 closed days in 4 weeks as declared"), row["meets_declared"], ("件", " sites"))):
            if unit_text is None:
                value = render.value_text(cell.value, "rate")
            elif cell.value is None:
                value = Text(fmt.MISSING, fmt.MISSING)
            else:
                value = Text(f"{fmt.thousands(cell.value)}{unit_text[0]}", f"{fmt.thousands(cell.value)}{unit_text[1]}")
            note = Text("モデル工事の平均", "mean over model projects") if unit_text is None and "avg" in cell.measure \
                else Text("全工事", "all sites")
            if cell.measure == "meets_declared":
                note = Text(f"週休2日を指定した{row['declared_sites'].value}件中", f"of {row['declared_sites'].value} declared")
            headline.append(_Headline(label, value, note))
        rows = []
        for record, r in zip(sites, site_list.rows):
            link = render.Link(site_page_path(record["site_id"]), r.label)
            rows.append([render.CellView(link), render.CellView(str(record["site_id"])),
                         render.CellView(names.prefecture(_none_if_missing(record.get("prefecture_code"))),
                                         sort=names.prefecture_order(_none_if_missing(record.get("prefecture_code")))),
                         render.CellView(orderer_name(record)), render.CellView(prime_name(record)),
                         render.CellView(MODEL_TYPE.get(_none_if_missing(record.get("model_project_type")),
                                                        Text(fmt.MISSING, fmt.MISSING)))]
                        + [render.cell_view(r.cells[m.name], m.format) for m in SITE_COLUMNS])
        headers = [Text("工事", "Project"), Text("現場ID", "Site id"), Text("都道府県", "Pref."), Text("発注者", "Orderer"),
                   Text("元請", "Prime"), Text("モデル工事", "Model project")] + [m.header for m in SITE_COLUMNS]
        site_links = [render.csv_link(t, Text(*TITLES[t]), 0) for t in shown]
        sections = [
            render.Section("summary", Text("概要", "Summary"), [render.table_view(summary, 0, label=kind)],
                           Text("この発注者・元請の公共工事だけを集計しています。秘匿処理はしていません（工事の発注者と元請にのみ公開）。",
                                "The public works of this orderer or prime only; not suppressed (published to each "
                                "site's orderer and prime only).")),
            render.Section("sites", Text("工事", "Projects"), [
                render.plain_table("sites", headers, rows, [render.csv_link(site_list.id, site_list.title, 0)]),
                render.Note(Text("各工事のページの表のデータ:", "The data of the tables of the site pages:")),
                render.Links(site_links)]),
        ]
        return render.page(title=title, sections=sections, as_of=as_of, depth=0, headline=headline,
                           simulation=self.data.simulation,
                           footer=Text("静的ページ（オフラインで閲覧可）。技能者を特定する情報は含みません。",
                                       "Static page, readable offline. Nothing identifies a worker."),
                           page_inputs=inputs)


@dataclass
class _Headline:
    label: Text
    value: Text
    note: Text
    suppressed: bool = False


def write_location(writer, where: Location, page: str, files: dict[str, bytes], site_pages: list[str]) -> None:
    """A location's data files, then its index page (its site pages are written by the site jobs);
    what its previous publication held and this one does not, removed (location_files)."""
    location_files.write(writer, where, files, {INDEX: page}, site_pages)

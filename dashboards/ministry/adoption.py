"""The ministry's adoption sections: registered workers and businesses against the targets, the
target table and the work-history days (national series), registered workers by prefecture and
by occupation (the latest month).

Every point of the modelled series is a cell: a month of 1-3 workers is suppressed like any
other. Relations: a prefecture or occupation table's 全国 row = Σ its rows, = the national
series' latest month; a target's value = that month's point (registrations) or the sum of the
fiscal year's work-history months (records), and its share = value / target value.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from .. import charts, names, render
from .. import format as fmt
from ..disclosure import kinds
from ..disclosure.cells import ALL, CellSet
from ..disclosure.table import KeyColumn, Measure, Table
from ..i18n import Text
from ..parts import Part, month_end_text, source_note, suppression_note
from ..theme import OKABE_ITO
from ..topics import TOPICS
from . import data as d
from .adoption_charts import COUNT_UNIT, _as_of_month, _count, _series_points, adoption_figure, domain
from .progress import projection_text, status_text

MONTH = KeyColumn("month", Text("月", "Month"))
PUBLISHED = Measure("published", Text("公表値", "Published"), "workers", exempt=True, additive=False)
METRIC_UNIT = {"registered_workers": "workers", "registered_businesses": "businesses",
               "work_records_in_fiscal_year": "person_days"}


def _sum_by_month(frame: pd.DataFrame | None, column: str) -> dict:
    """{month: Σ column over the prefectures} (the prefectures partition workers and businesses)."""
    if frame is None:
        return {}
    return {m: int(v) for m, v in frame.groupby("month")[column].sum().items()}


# ---------------------------------------------------------------- tables

class Adoption:
    """The adoption tables of the ministry's location, assembled once (several sections and the
    headline read them)."""

    def __init__(self, data: d.MinistryData, cells: CellSet, simulation: Text | None = None):
        self.data, self.cells, self.simulation = data, cells, simulation
        self.workers = self._series("registered_workers_monthly", Text("登録技能者数（月末・全国）", "Registered workers (month end, national)"),
                                    TOPICS["registered-workers"].measures,
                                    workers="registered_workers", businesses="registered_worker_businesses")
        self.businesses = self._series("registered_businesses_monthly", Text("登録事業者数（月末・全国）", "Registered businesses (month end, national)"),
                                       TOPICS["registered-businesses"].measures)
        self.work_history = self._series("work_history_monthly", Text("就業履歴日数（月別・全国）", "Work-history days (monthly, national)"),
                                         TOPICS["work-history"].measures,
                                         workers="work_history_workers", businesses="work_history_businesses")
        self.published = self._published()
        self.prefectures = self._breakdown("prefectures", data.prefectures, "prefecture_code",
                                           Text("都道府県（所属事業者）", "Prefecture (of the employer)"),
                                           names.prefecture)
        # a business employs workers of several occupations: the national row's businesses are
        # the prefecture table's (a business has one prefecture)
        national = self.prefectures.find(prefecture_code=ALL)
        self.occupations = self._breakdown("occupations", data.occupations, "occupation_code",
                                           Text("職種", "Occupation"), names.occupation,
                                           national_businesses={m: (national.cells[m].businesses if national else None)
                                                                for m in ("registered_workers", "new_workers",
                                                                          "active_workers")})
        self.targets = self._targets()
        latest = data.latest_month()
        if latest is not None:
            key = {"month": d.month_key(latest)}
            for measure, table in (("registered_workers", self.prefectures), ("registered_workers", self.occupations)):
                kinds.same(cells, self.workers.cell(measure, **key), table.cell(measure, **{table.keys[0].name: ALL}))
        for measure in ("registered_workers", "new_workers", "active_workers"):
            kinds.same(cells, self.prefectures.cell(measure, prefecture_code=ALL),
                       self.occupations.cell(measure, occupation_code=ALL))

    def _series(self, table_id: str, title: Text, measures, workers: str | None = None,
                businesses: str | None = None) -> Table:
        """A national monthly series of adoption_national; the workers and businesses behind each
        point summed over the prefectures of adoption_prefecture_monthly."""
        table = Table(table_id, title, (d.NATIONAL, d.PREFECTURES), [MONTH],
                      list(measures))
        national = self.data.national
        if national is None:
            return table
        worker_counts = _sum_by_month(self.data.prefectures, workers) if workers else {}
        business_counts = _sum_by_month(self.data.prefectures, businesses) if businesses else {}
        for row in national.itertuples(index=False):
            values = {m.name: getattr(row, m.name) for m in measures}
            table.add_row(self.cells, {"month": d.month_key(row.month)}, Text(fmt.jp_month(row.month),
                                                                              fmt.en_month(row.month)), values,
                          default_workers=worker_counts.get(row.month) if workers else None,
                          default_businesses=business_counts.get(row.month))
        return table

    def _published(self) -> Table:
        measures = [Measure("registered_workers", Text("登録技能者数（公表値）", "Registered workers (published)"), "workers",
                            exempt=True, additive=False),
                    Measure("registered_businesses", Text("登録事業者数（公表値）", "Registered businesses (published)"),
                            "businesses", exempt=True, additive=False),
                    Measure("cumulative_work_records", Text("就業履歴蓄積数（公表値）", "Work-history records to date (published)"),
                            "person_days", exempt=True, additive=False)]
        table = Table("published_adoption", Text("公表値（業界紙などが報じた公式の数値）", "Published figures (as reported)"), (d.PUBLISHED,),
                      [KeyColumn("as_of", Text("時点", "As of")), KeyColumn("businesses_basis", Text("事業者数の範囲", "Businesses"))],
                      measures)
        if self.data.published is None:
            return table
        for row in self.data.published.itertuples(index=False):
            values = {name: None if pd.isna(value) else value for name, value in (
                ("registered_workers", row.registered_workers), ("registered_businesses", row.registered_businesses),
                ("cumulative_work_records", getattr(row, "cumulative_work_records", None)))}
            table.add_row(self.cells, {"as_of": row.as_of.isoformat(), "businesses_basis": row.businesses_basis},
                          Text(fmt.jp_date(row.as_of), fmt.en_date(row.as_of)), values)
        return table

    def _breakdown(self, table_id: str, frame: pd.DataFrame | None, dimension: str, header: Text, label,
                   national_businesses: dict | None = None) -> Table:
        measures = TOPICS[table_id].measures
        table = Table(table_id, TOPICS[table_id].heading, TOPICS[table_id].marts, [KeyColumn(dimension, header)],
                      list(measures))
        latest = self.data.latest_month()
        if frame is None or latest is None:
            return table
        rows = frame[frame["month"] == latest]
        if rows.empty:
            return table
        businesses = {"registered_workers": "registered_worker_businesses", "new_workers": "new_worker_businesses",
                      "active_workers": "active_worker_businesses"}
        totals, total_businesses = {m.name: 0 for m in measures}, {m.name: 0 for m in measures}
        ordered = sorted(rows.itertuples(index=False), key=lambda r: (getattr(r, dimension) is None,
                                                                       str(getattr(r, dimension))))
        for row in ordered:
            code = getattr(row, dimension)
            code = None if code is None or (isinstance(code, float) and pd.isna(code)) else str(code)
            values = {m.name: int(getattr(row, m.name)) for m in measures}
            table.add_row(self.cells, {dimension: code}, label(code), values,
                          workers={m.name: values[m.name] for m in measures},
                          businesses={m.name: int(getattr(row, businesses[m.name])) for m in measures})
            for m in measures:
                totals[m.name] += values[m.name]
                total_businesses[m.name] += int(getattr(row, businesses[m.name]))
        if national_businesses is not None:
            total_businesses = national_businesses
        table.add_row(self.cells, {dimension: ALL}, Text("全国", "National"), totals, workers=dict(totals),
                      businesses=total_businesses)
        return kinds.apply(self.cells, table, [kinds.Breakdown(dimension)])

    def _targets(self) -> Table:
        """One row per target, named in Japanese and English: the platform's value at the latest
        month (a cell of its series), the official figure, the target and the share reached on
        the official series (target_progress_official; not the platform's, which is a sample in a
        simulated run)."""
        topic = TOPICS["targets"]
        table = Table("targets", topic.heading, topic.marts, [KeyColumn("target_id", Text("目標", "Target"))],
                      list(topic.measures))
        targets = self.data.targets
        if targets is None:
            return table
        official = self.official_by_target()
        months = {} if self.data.national is None else {d.month_end(m): m for m in self.data.national["month"]}
        for row in targets.itertuples(index=False):
            unit = METRIC_UNIT.get(row.metric, "workers")
            month = months.get(row.as_of)
            point, parts = None, []
            if month is not None and row.metric == "registered_workers":
                point = self.workers.cell("registered_workers", month=d.month_key(month))
            elif month is not None and row.metric == "registered_businesses":
                point = self.businesses.cell("registered_businesses", month=d.month_key(month))
            elif month is not None and row.metric == "work_records_in_fiscal_year":
                fy_start = date(month.year - (month.month < 4), 4, 1)
                parts = [m for m in self.data.national["month"] if fy_start <= m <= month]
            workers = point.workers if point is not None else None
            businesses = point.businesses if point is not None else None
            if parts:
                cells = [self.work_history.cell("work_history_days", month=d.month_key(m)) for m in parts]
                known = [c for c in cells if c is not None]
                # the fiscal year's days rest on at least the workers of its largest month
                workers = max((c.workers or 0 for c in known), default=None)
                businesses = max((c.businesses or 0 for c in known), default=None)
            goal = official.get(row.target_id)
            added = table.add_row(self.cells, {"target_id": row.target_id}, Text(row.name_ja, row.name_en),
                                  {"value": row.value, "target_value": row.target_value,
                                   "official_value": None if goal is None else _known(goal.value),
                                   "share": None if goal is None else _known(goal.share, float)},
                                  units={"value": unit, "target_value": unit, "official_value": unit},
                                  workers={"value": workers}, businesses={"value": businesses})
            if point is not None:
                kinds.same(self.cells, point, added.cells["value"])
            if parts:
                kinds.window_sum(self.cells, added.cells["value"], self.work_history, "work_history_days",
                                 [d.month_key(m) for m in parts])
        return table

    def official_by_target(self) -> dict:
        """{target_id: its latest row of target_progress_official}."""
        frame = self.data.official_targets
        return {} if frame is None else {r.target_id: r for r in frame.itertuples(index=False)}


def _known(value, kind=int):
    return None if value is None or pd.isna(value) else kind(value)


# ---------------------------------------------------------------- sections

def workers_part(a: Adoption) -> Part:
    topic = TOPICS["registered-workers"]

    def view(depth):
        spec = charts.bilingual(lambda lang: adoption_figure(
            a, lang, metric="registered_workers",
            title=Text("登録技能者数の推移（全国）", "Registered workers over time (national)"),
            subtitle=Text("上段: 国土交通省の公表値（●）、目標（◆、期限時点）、公表値のペースでの到達見込み（破線◇）。"
                          "下段: 本基盤の各月末の累計（別の目盛り）",
                          "Above: official figures (dots), targets at their deadline (diamonds), projected at the "
                          "official pace (dashed). Below: the platform's month-end totals, on a scale of their own"),
            platform=platform_label(a),
            modelled=[(a.workers, "registered_workers", Text("本基盤", "Platform"), OKABE_ITO["blue"], "solid")],
            published=[("registered_workers", None, Text("公表値（国土交通省）", "Official (MLIT)"), "circle")]))
        return [render.chart("chart-workers", spec, [a.workers, a.published, a.targets], depth)]
    return _adoption_part(a, "workers", topic, view, "registered_workers")


def businesses_part(a: Adoption) -> Part:
    topic = TOPICS["registered-businesses"]

    def view(depth):
        spec = charts.bilingual(lambda lang: adoption_figure(
            a, lang, metric="registered_businesses",
            title=Text("登録事業者数の推移（全国）", "Registered businesses over time (national)"),
            subtitle=Text("上段: 公表値（●一人親方を含む、○除く）、目標（◆）、公表値のペースでの到達見込み（破線◇）。"
                          "下段: 本基盤の各月末の累計（別の目盛り）",
                          "Above: official figures (dots incl., circles excl. sole proprietors), targets (diamonds), "
                          "projected at the official pace (dashed). Below: the platform's month-end totals, on a "
                          "scale of their own"),
            platform=platform_label(a),
            modelled=[(a.businesses, "registered_businesses", Text("本基盤（一人親方を含む）", "Platform (incl. sole proprietors)"),
                       OKABE_ITO["blue"], "solid"),
                      (a.businesses, "registered_businesses_excl_sole",
                       Text("本基盤（一人親方を除く）", "Platform (excl. sole proprietors)"), OKABE_ITO["bluish_green"], "dash")],
            published=[("registered_businesses", "incl_sole_proprietors",
                        Text("公表値（一人親方を含む）", "Published (incl. sole proprietors)"), "circle"),
                       ("registered_businesses", "excl_sole_proprietors",
                        Text("公表値（一人親方を除く）", "Published (excl. sole proprietors)"), "circle-open")]))
        return [render.chart("chart-businesses", spec, [a.businesses, a.published, a.targets],
                             depth)]
    return _adoption_part(a, "businesses", topic, view, "registered_businesses")


def platform_label(a: Adoption) -> Text:
    """What the lower panel of an adoption chart holds."""
    if a.simulation is None:
        return Text("本基盤のデータ（下段の目盛りは上段と別）", "The platform's data (its own scale)")
    return Text(f"本基盤のデータ: {a.simulation.ja}。標本のため公表値・目標とは比べられません（目盛りは上段と別）",
                f"The platform's data: {a.simulation.en}. A sample, not comparable with the official figures "
                "or the targets (its own scale)")


def _adoption_part(a: Adoption, section_id: str, topic, view, metric: str) -> Part:
    data = a.data
    has_targets = data.targets is not None and (data.targets["metric"] == metric).any()
    tables = [a.workers if metric == "registered_workers" else a.businesses, a.published]
    if data.national is None and data.published is None and not has_targets:
        return Part(section_id, topic.heading, None, tables, missing=(d.NATIONAL, d.PUBLISHED, d.TARGETS))
    missing = tuple(m for m, ok in ((d.NATIONAL, data.national is not None), (d.PUBLISHED, data.published is not None),
                                    (d.TARGETS, has_targets)) if not ok)

    def blocks(depth):
        out = view(depth)
        if missing:
            out.append(render.Unavailable(missing))
        return out
    return Part(section_id, topic.heading, None, tables, blocks)


def targets_part(a: Adoption, simulation: Text | None = None) -> Part:
    topic = TOPICS["targets"]
    if a.data.targets is None:
        return Part("targets", topic.heading, topic.lead, [a.targets], missing=(d.TARGETS,))
    official = a.official_by_target()

    def view(depth):
        rows = []
        for row, goal in zip(a.targets.rows, a.data.targets.itertuples(index=False)):
            unit = COUNT_UNIT.get(goal.metric, Text("", ""))
            mark = official.get(goal.target_id)
            figure = _big_number(row.cells["official_value"], unit)
            if mark is not None and figure.text is not None and not pd.isna(mark.value):
                figure.text = Text(f"{figure.text.ja}（{fmt.jp_date(mark.as_of)}）",
                                   f"{figure.text.en} ({fmt.en_date(mark.as_of)})")
                figure.css = "num phrase"        # the date may go under the figure
            rows.append([
                render.CellView(row.label),
                render.CellView(Text(fmt.jp_date(goal.deadline), fmt.en_date(goal.deadline)), "num"),
                render.CellView(render.Link(str(goal.source_url), Text(domain(goal.source_url), domain(goal.source_url)))),
                _big_number(row.cells["target_value"], unit), figure,
                render.cell_view(row.cells["share"], "rate"),
                render.CellView(projection_text(mark), "num phrase"),
                render.CellView(status_text(mark)),
                _big_number(row.cells["value"], unit),
            ])
        platform = Text("本基盤の値（{}）".format(month_end_text(a.data.latest_month()).ja),
                        "Platform's value ({})".format(month_end_text(a.data.latest_month()).en))
        headers = [Text("目標", "Target"), Text("期限", "Deadline"), Text("目標の出典", "Source of the target"),
                   Text("目標値", "Target value"), Text("公表値（時点）", "Official figure (date)"),
                   Text("達成率（公表値）", "Share reached (official)"),
                   Text("到達見込み（公表値のペース）", "Projected (official pace)"), Text("状況", "Status"), platform]
        blocks = [render.plain_table("targets", headers, rows, render.table_view(a.targets, depth).csv)]
        if simulation is not None:
            blocks.append(render.Note(Text(
                f"本基盤の値は{simulation.ja}の値です。標本のため、目標・公表値と比べることはできません。",
                f"The platform's values are {simulation.en[:1].lower() + simulation.en[1:]}: a sample, not "
                "comparable with the targets or the official figures."), "note"))
        blocks.append(source_note([d.OFFICIAL_TARGETS, d.TARGETS]))
        return blocks
    return Part("targets", topic.heading, topic.lead, [a.targets], view)


def _big_number(cell, unit: Text) -> render.CellView:
    if cell is None or cell.value is None:
        return render.CellView(Text(fmt.MISSING, fmt.MISSING), "num")
    if cell.suppressed:
        return render.CellView(None, "num suppressed", suppressed=True)
    return render.CellView(Text(fmt.jp_number(cell.value, unit.ja), f"{fmt.en_number(cell.value)}{unit.en}"), "num",
                           sort=float(cell.value))


def work_history_part(a: Adoption) -> Part:
    topic = TOPICS["work-history"]
    if a.data.national is None:
        return Part("work-history", topic.heading, None, [a.work_history], missing=(d.NATIONAL,))

    def view(depth):
        def build(lang):
            x, y = _series_points(a.work_history, "work_history_days")
            months = [r.key["month"] + "-01" for r in a.work_history.rows]
            unit = Text("人日", " worker-days")
            name = Text("就業履歴日数", "Work-history days")[lang]
            fig = go.Figure(go.Bar(x=months, y=y, name=name, marker=dict(color=OKABE_ITO["bluish_green"]),
                                   xperiod="M1", xperiodalignment="middle",
                                   customdata=[None if v is None else _count(v, unit, lang) for v in y],
                                   hovertemplate=f"{name}<br>{charts.x_month(lang)}: %{{customdata}}<extra></extra>"))
            hidden = [r.label for r in a.work_history.rows if r.cells["work_history_days"].suppressed]
            fig.update_layout(**charts.layout(
                lang, height=440, title=Text("就業履歴の蓄積（月別・全国）", "Work-history days per month (national)"),
                subtitle=charts.with_suppressed(topic.lead, hidden),
                source=source_note([d.NATIONAL], _as_of_month(a.data.latest_month())).text))
            fig.update_layout(showlegend=False, bargap=0.15,
                              xaxis=charts.month_axis(lang, [date.fromisoformat(m) for m in months]),
                              yaxis=charts.count_axis(max([v for v in y if v] or [1]) * 1.05, lang,
                                                      "就業履歴日数（人日）" if lang == "ja" else "Worker-days"))
            return fig
        return [render.chart("chart-work-history", charts.bilingual(build), [a.work_history], depth)]
    return Part("work-history", topic.heading, None, [a.work_history], view)


def occupations_part(a: Adoption, color: str, thresholds) -> Part:
    """Registered workers by occupation: ranked bars and the sortable table (the prefectures
    have their own part with a map, ministry/prefectures.py)."""
    which = "occupations"
    topic = TOPICS[which]
    table = a.occupations
    if table.empty:
        return Part(which, topic.heading, topic.lead, [table], missing=topic.marts)
    month = a.data.latest_month()
    when = month_end_text(month)
    dimension = table.keys[0].name
    label = names.occupation

    def view(depth):
        source = source_note(topic.marts, _as_of_month(month))
        rows = [r for r in table.rows if not r.is_total]
        shown = sorted((r for r in rows if not r.cells["registered_workers"].suppressed),
                       key=lambda r: r.cells["registered_workers"].value)
        hidden = [r.label for r in rows if r.cells["registered_workers"].suppressed]
        subtitle = charts.with_suppressed(Text(f"{when.ja}の累計登録技能者数。多い順",
                                               f"Registered workers at the {when.en}, cumulative; largest first"), hidden)
        spec = charts.ranked_bars([r.key[dimension] or "?" for r in shown], [r.cells["registered_workers"].value for r in shown],
                                  [label(r.key[dimension]) for r in shown], title=topic.heading, subtitle=subtitle,
                                  source=source.text, color=color, unit=Text("人", " workers"))
        # shown rows largest first, then the suppressed ones by code (ordering them by their
        # hidden values would tell which is larger), the national row last
        order = sorted(rows, key=lambda r: (r.cells["registered_workers"].suppressed,
                                            -(r.cells["registered_workers"].value or 0)
                                            if not r.cells["registered_workers"].suppressed else 0,
                                            str(r.key[dimension])))
        order += [r for r in table.rows if r.is_total]
        return [render.chart(f"chart-{which}", spec, [table], depth),
                render.table_view(table, depth, rows=order), suppression_note(thresholds), source]
    return Part(which, topic.heading, topic.lead, [table], view)

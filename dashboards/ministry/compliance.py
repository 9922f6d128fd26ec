"""The ministry's compliance sections (metrics.md §4-§7): 建退共, insurance checks and working
time as a national monthly chart and a prefecture table over the last 12 months; model projects
and 4週8休 by type.

Every figure is a cell on its own counts: a prefecture's "workers over 100 h" rests on those
workers and their employers, not on the prefecture's total. Over several months or prefectures
the distinct counts are not in the marts; the largest single month's (or prefecture's) count is
used — a lower bound of the distinct number, so a cell is never taken as safer than it is.
Relations: 全国 = Σ prefectures; the 全国 row = Σ the chart's months of the window; counts =
Σ their parts (person-days by check method); rates = numerator / denominator.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from .. import charts, names, render
from .. import format as fmt
from ..disclosure import kinds
from ..disclosure.cells import ALL, CellSet
from ..disclosure.table import KeyColumn, Table
from ..i18n import Text
from ..parts import Part, source_note, suppression_note
from ..theme import OKABE_ITO
from ..topics import TOPICS
from . import data as d

WINDOW_MONTHS = 12
MONTH = KeyColumn("month", Text("月", "Month"))
PREFECTURE = KeyColumn("prefecture_code", Text("都道府県（現場）", "Prefecture (of the site)"))


def _key(code) -> str | None:
    return None if code is None or (isinstance(code, float) and pd.isna(code)) else str(code)


def _month_label(month: date) -> Text:
    return Text(fmt.jp_month(month), fmt.en_month(month))


def _window_text(first: date, last: date) -> Text:
    return Text(f"{fmt.jp_month(first)}〜{fmt.jp_month(last)}の合計", f"totals up to {fmt.en_month(last)}, from {fmt.en_month(first)}")


class Spec:
    """A compliance topic over prefecture-month rows: its measures, which counts rest on which
    mart columns (workers, businesses), the rates and the measures that are sums of others."""

    def __init__(self, topic: str, mart: str, counts: dict[str, tuple[str, str, bool]], rates: dict[str, tuple[str, str]],
                 measure_totals: dict[str, tuple[str, ...]] = (), worker_partition: bool = False):
        self.topic = TOPICS[topic]
        self.mart = mart
        self.counts = counts              # measure -> (workers column, businesses column, a column to sum?)
        self.rates = rates                # rate -> (numerator, denominator)
        self.measure_totals = dict(measure_totals)
        self.worker_partition = worker_partition   # workers of a month partition the prefectures


KENTAIKYO = Spec("kentaikyo", d.KENTAIKYO,
                 {"days_due": ("workers_due", "businesses_due", True), "covered_days": ("workers_due", "businesses_due", True),
                  "shortfall_yen": ("workers_short", "businesses_short", True)},
                 {"coverage": ("covered_days", "days_due")})
INSURANCE = Spec("insurance", d.INSURANCE,
                 {"person_days": ("persons", "businesses", True),
                  "checked_ccus": ("checked_ccus_persons", "checked_ccus_businesses", True),
                  "checked_document": ("checked_document_persons", "checked_document_businesses", True),
                  "not_checked": ("not_checked_persons", "not_checked_businesses", True),
                  "admitted_uninsured_person_days": ("admitted_uninsured_persons", "admitted_uninsured_businesses", True)},
                 {"checked_ccus_share": ("checked_ccus", "person_days"),
                  "checked_document_share": ("checked_document", "person_days"),
                  "not_checked_share": ("not_checked", "person_days")},
                 {"person_days": ("checked_ccus", "checked_document", "not_checked")})
RULES = ("workers_over_100h", "workers_over_80h_avg", "workers_over_45h_7th_month", "workers_over_720h")
WORKTIME = Spec("worktime", d.WORKTIME,
                {r: (r, r.replace("workers_", "businesses_"), True) for r in RULES}, {}, worker_partition=True)


def _prefecture_months(spec: Spec, frame: pd.DataFrame) -> pd.DataFrame:
    """One row per prefecture and month: the counts summed, their workers / businesses (the
    working-time mart has occupations inside a prefecture: workers add up, businesses take the
    largest occupation's)."""
    frame = frame.assign(prefecture_code=[_key(c) for c in frame["prefecture_code"]])
    aggregations = {}
    for measure, (workers, businesses, _) in spec.counts.items():
        aggregations[measure] = (measure, "sum")
        aggregations[f"{measure}__w"] = (workers, "sum" if spec.worker_partition else "max")
        aggregations[f"{measure}__b"] = (businesses, "max")
    return frame.groupby(["prefecture_code", "month"], dropna=False).agg(**aggregations).reset_index()


def _rate(numerator, denominator):
    return numerator / denominator if denominator else None


def compliance_tables(spec: Spec, frame: pd.DataFrame, cells: CellSet) -> tuple[Table, Table, list[date]]:
    """(national monthly series, prefecture table over the last 12 months, the window's months)."""
    measures = [spec.topic.measure(m) for m in (*spec.counts, *spec.rates)]
    measures = [m for m in spec.topic.measures if m in measures]
    per = _prefecture_months(spec, frame)
    months = sorted(set(per["month"]))
    window = months[-WINDOW_MONTHS:]
    series = Table(f"{spec.topic.id}_monthly", Text(f"{spec.topic.heading.ja}（月別・全国）",
                                                    f"{spec.topic.heading.en} (monthly, national)"),
                   (spec.mart,), [MONTH], measures)
    for month in months:
        part = per[per["month"] == month]
        values = {m: int(part[m].sum()) for m in spec.counts}
        for rate, (num, den) in spec.rates.items():
            values[rate] = _rate(values[num], values[den])
        lower = {m: int(part[f"{m}__w"].max()) for m in spec.counts}
        if spec.worker_partition:
            lower = {m: int(part[f"{m}__w"].sum()) for m in spec.counts}
        series.add_row(cells, {"month": d.month_key(month)}, _month_label(month), values,
                       workers={**lower, **{r: lower[den] for r, (_, den) in spec.rates.items()}},
                       businesses={**{m: int(part[f"{m}__b"].max()) for m in spec.counts},
                                   **{r: int(part[f"{den}__b"].max()) for r, (_, den) in spec.rates.items()}})
    prefectures = Table(f"{spec.topic.id}_prefectures", Text(f"{spec.topic.heading.ja}（都道府県別・直近12か月の合計）",
                                                             f"{spec.topic.heading.en} (by prefecture, last 12 months)"),
                        (spec.mart,), [PREFECTURE], measures)
    in_window = per[per["month"].isin(window)]
    codes = sorted(set(in_window["prefecture_code"]), key=lambda c: (names.prefecture_order(c), c or ""))
    totals_w = {m: 0 for m in spec.counts}
    totals_b = {m: 0 for m in spec.counts}
    for code in codes:
        part = in_window[in_window["prefecture_code"].isna()] if code is None else in_window[in_window["prefecture_code"] == code]
        values = {m: int(part[m].sum()) for m in spec.counts}
        for rate, (num, den) in spec.rates.items():
            values[rate] = _rate(values[num], values[den])
        w = {m: int(part[f"{m}__w"].max()) for m in spec.counts}
        b = {m: int(part[f"{m}__b"].max()) for m in spec.counts}
        for m in spec.counts:
            totals_w[m], totals_b[m] = max(totals_w[m], w[m]), max(totals_b[m], b[m])
        prefectures.add_row(cells, {"prefecture_code": code}, names.prefecture(code) if code else names.UNKNOWN, values,
                            workers={**w, **{r: w[den] for r, (_, den) in spec.rates.items()}},
                            businesses={**b, **{r: b[den] for r, (_, den) in spec.rates.items()}})
    # the national row over the window rests on at least the largest month's national count
    for row in series.rows:
        if date.fromisoformat(row.key["month"] + "-01") in window:
            for m in spec.counts:
                totals_w[m] = max(totals_w[m], row.cells[m].workers or 0)
                totals_b[m] = max(totals_b[m], row.cells[m].businesses or 0)
    values = {m: int(in_window[m].sum()) for m in spec.counts}
    for rate, (num, den) in spec.rates.items():
        values[rate] = _rate(values[num], values[den])
    prefectures.add_row(cells, {"prefecture_code": ALL}, Text("全国", "National"), values,
                        workers={**totals_w, **{r: totals_w[den] for r, (_, den) in spec.rates.items()}},
                        businesses={**totals_b, **{r: totals_b[den] for r, (_, den) in spec.rates.items()}})
    table_kinds = [kinds.Ratio(r, num, den) for r, (num, den) in spec.rates.items()]
    table_kinds += [kinds.MeasureTotal(total, parts) for total, parts in spec.measure_totals.items()]
    kinds.apply(cells, series, table_kinds)
    kinds.apply(cells, prefectures, [kinds.Breakdown("prefecture_code", tuple(spec.counts))] + table_kinds)
    for m in spec.counts:
        kinds.window_sum(cells, prefectures.cell(m, prefecture_code=ALL), series, m, [d.month_key(x) for x in window])
    return series, prefectures, window


def _drawn(series: Table, measures) -> Table:
    """The series from its first month with something to draw (a count above 0) to its last:
    the months of nothing before it (work history reaches back to 2019, the caps and the
    reports do not) stretched the axis — a 2019-2025 axis carried 12 bars. All nothing: all of it
    (the chart says so). The table and its CSV keep every month."""
    first = next((i for i, row in enumerate(series.rows)
                  if any(row.cells[m].suppressed or row.cells[m].value for m in measures)), 0)
    return dataclasses.replace(series, rows=series.rows[first:])


def _series_x(series: Table) -> list[str]:
    return [row.key["month"] + "-01" for row in series.rows]


def _values(series: Table, measure: str) -> list:
    return [row.cells[measure].published_value for row in series.rows]


def _hidden_months(series: Table, measures) -> list[Text]:
    return [row.label for row in series.rows if any(row.cells[m].suppressed for m in measures)]


def kentaikyo_part(data: d.MinistryData, cells: CellSet, thresholds) -> Part:
    topic = KENTAIKYO.topic
    if data.kentaikyo is None:
        return Part("compliance-kentaikyo", topic.heading, topic.lead, missing=(d.KENTAIKYO,))
    series, prefectures, window = compliance_tables(KENTAIKYO, data.kentaikyo, cells)

    def view(depth):
        source = source_note([d.KENTAIKYO], _window_text(window[0], window[-1]) if window else None)

        shown = _drawn(series, ("days_due", "covered_days"))

        def build(lang):
            x = _series_x(shown)
            fig = go.Figure()
            for measure, color in (("days_due", OKABE_ITO["sky_blue"]), ("covered_days", OKABE_ITO["blue"])):
                name = topic.measure(measure).header[lang]
                fig.add_trace(go.Bar(x=x, y=_values(shown, measure), name=name, xperiod="M1", xperiodalignment="middle",
                                     marker=dict(color=color), hovertemplate=f"{name} {charts.x_month(lang)}: %{{y:,}}<extra></extra>"))
            name = topic.measure("coverage").header[lang]
            fig.add_trace(go.Scatter(x=x, y=_values(shown, "coverage"), name=name, yaxis="y2", mode="lines+markers",
                                     xperiod="M1", xperiodalignment="middle",
                                     line=dict(color=OKABE_ITO["vermillion"], width=2.5),
                                     hovertemplate=f"{name} {charts.x_month(lang)}: %{{y:.1%}}<extra></extra>"))
            fig.update_layout(**charts.layout(lang, height=440, title=Text("建退共の充当率（全国・公共工事）",
                                                                           "Retirement-allowance mutual aid: coverage (national, public works)"),
                                              subtitle=charts.with_suppressed(topic.lead, _hidden_months(shown, ("days_due",))),
                                              source=source.text))
            fig.update_layout(barmode="group", xaxis=charts.month_axis(lang, [date.fromisoformat(v) for v in x]),
                              margin=dict(l=80, r=90, t=135, b=90),
                              yaxis=charts.count_axis(max([v for v in _values(shown, "days_due") if v] or [1]), lang,
                                                      "日数" if lang == "ja" else "Days"),
                              yaxis2=charts.rate_axis("充当率" if lang == "ja" else "Coverage", overlaying="y",
                                                      side="right", showgrid=False))
            return fig
        return [render.chart("chart-compliance-kentaikyo", charts.bilingual(build), [series], depth),
                render.table_view(prefectures, depth), suppression_note(thresholds), source]
    return Part("compliance-kentaikyo", topic.heading, topic.lead, [series, prefectures], view)


def insurance_part(data: d.MinistryData, cells: CellSet, thresholds) -> Part:
    topic = INSURANCE.topic
    if data.insurance is None:
        return Part("compliance-insurance", topic.heading, topic.lead, missing=(d.INSURANCE,))
    series, prefectures, window = compliance_tables(INSURANCE, data.insurance, cells)

    def view(depth):
        source = source_note([d.INSURANCE], _window_text(window[0], window[-1]) if window else None)

        shown = _drawn(series, ("person_days",))

        def build(lang):
            x = _series_x(shown)
            fig = go.Figure()
            for measure, share, color in (("checked_ccus", "checked_ccus_share", OKABE_ITO["blue"]),
                                          ("checked_document", "checked_document_share", OKABE_ITO["sky_blue"]),
                                          ("not_checked", "not_checked_share", OKABE_ITO["orange"])):
                name = topic.measure(measure).header[lang]
                fig.add_trace(go.Bar(x=x, y=_values(shown, share), name=name, xperiod="M1", xperiodalignment="middle",
                                     marker=dict(color=color), customdata=_values(shown, measure),
                                     hovertemplate=f"{name} {charts.x_month(lang)}: %{{y:.1%}} (%{{customdata:,}})<extra></extra>"))
            fig.update_layout(**charts.layout(lang, height=440, title=Text("保険確認の方法（全国・名簿人日の割合）",
                                                                           "How insurance was checked (national, share of roster person-days)"),
                                              subtitle=charts.with_suppressed(
                                                  Text("確認方法別の名簿人日の割合", "Share of roster person-days by check method"),
                                                  _hidden_months(shown, ("checked_ccus_share", "checked_document_share",
                                                                          "not_checked_share"))),
                                              source=source.text))
            fig.update_layout(barmode="stack", xaxis=charts.month_axis(lang, [date.fromisoformat(v) for v in x]),
                              yaxis=charts.rate_axis("名簿人日に占める割合" if lang == "ja" else "Share of person-days"))
            return fig
        columns = [render.Column("person_days"), render.Column("checked_ccus", share="checked_ccus_share"),
                   render.Column("checked_document", share="checked_document_share"),
                   render.Column("not_checked", share="not_checked_share"),
                   render.Column("admitted_uninsured_person_days")]
        return [render.chart("chart-compliance-insurance", charts.bilingual(build), [series], depth),
                render.table_view(prefectures, depth, columns), suppression_note(thresholds), source]
    return Part("compliance-insurance", topic.heading, topic.lead, [series, prefectures], view)


def worktime_part(data: d.MinistryData, cells: CellSet, thresholds) -> Part:
    topic = WORKTIME.topic
    if data.worktime is None:
        return Part("compliance-worktime", topic.heading, topic.lead, missing=(d.WORKTIME,))
    series, prefectures, window = compliance_tables(WORKTIME, data.worktime, cells)
    prefectures.keys[0] = KeyColumn("prefecture_code", Text("都道府県（所属事業者）", "Prefecture (of the employer)"))
    colors = {"workers_over_100h": OKABE_ITO["vermillion"], "workers_over_80h_avg": OKABE_ITO["orange"],
              "workers_over_45h_7th_month": OKABE_ITO["reddish_purple"], "workers_over_720h": OKABE_ITO["black"]}

    def view(depth):
        source = source_note([d.WORKTIME], _window_text(window[0], window[-1]) if window else None)

        shown = _drawn(series, RULES)

        def build(lang):
            x = _series_x(shown)
            fig = go.Figure()
            top = 0
            for rule in RULES:
                name = topic.measure(rule).header[lang]
                ys = _values(shown, rule)
                top = max([top] + [v for v in ys if v is not None])
                fig.add_trace(go.Bar(x=x, y=ys, name=name, xperiod="M1", xperiodalignment="middle",
                                     marker=dict(color=colors[rule]),
                                     hovertemplate=f"{name} {charts.x_month(lang)}: %{{y:,}}<extra></extra>"))
            fig.update_layout(**charts.layout(lang, height=440, title=Text("上限を超えた技能者（全国・違反が確定した月）",
                                                                           "Workers over a cap (national, in the month the violation is established)"),
                                              subtitle=charts.with_suppressed(
                                                  Text("時間外＋休日労働。2024年3月以前は集計のみで違反としない",
                                                       "Overtime + holiday work; months before April 2024 are reported, not flagged"),
                                                  _hidden_months(shown, RULES)),
                                              source=source.text))
            yaxis = dict(title=dict(text="人数" if lang == "ja" else "Workers"), gridcolor="#DDDDDD", rangemode="tozero",
                         tickformat=",d")
            if top < 5:   # counts of people: whole-number ticks (an all-zero chart showed 0.2 workers)
                yaxis.update(range=[0, 5], dtick=1)
            fig.update_layout(barmode="group", xaxis=charts.month_axis(lang, [date.fromisoformat(v) for v in x]),
                              yaxis=yaxis)
            everything = [c for r in shown.rows for c in (r.cells[m] for m in RULES)]
            if everything and all(c.value == 0 for c in everything):
                fig.add_annotation(text=Text("この期間に上限を超えた技能者はいません（0人）",
                                             "No worker went over a cap in these months (0)")[lang],
                                   xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                                   font=dict(size=15, color="#555555"))
            return fig
        return [render.chart("chart-compliance-worktime", charts.bilingual(build), [series], depth),
                render.table_view(prefectures, depth), suppression_note(thresholds), source]
    return Part("compliance-worktime", topic.heading, topic.lead, [series, prefectures], view)


MODEL_TYPES = (("mandatory", Text("義務化モデル工事", "Mandatory")), ("recommended", Text("活用推奨モデル工事", "Recommended")))
DAYS_OFF_TYPES = (("whole_period", Text("通期", "Whole period")), ("monthly", Text("月単位", "Monthly")),
                  ("none", Text("指定なし", "None declared")))


def model_table(scores: pd.DataFrame, cells: CellSet, table_id: str = "model_projects") -> Table:
    """Model projects by type: sites, measured, points, mean rates; the business rule on the
    distinct primes of each type's sites (site-level figures count no workers)."""
    topic = TOPICS["model-projects"]
    table = Table(table_id, topic.heading, topic.marts, [KeyColumn("model_project_type", Text("区分", "Type"))],
                  list(topic.measures))
    for kind, label in MODEL_TYPES:
        part = scores[scores["model_project_type"] == kind]
        measured = part[part["points"].notna()]
        values = {"sites": len(part), "measured": len(measured),
                  "points_plus_2": int((measured["points"] == 2).sum()), "points_plus_1": int((measured["points"] == 1).sum()),
                  "points_0": int((measured["points"] == 0).sum()), "points_minus_1": int((measured["points"] == -1).sum())}
        for rate in ("avg_business_registration_rate", "avg_worker_registration_rate", "avg_card_touch_rate"):
            values[rate] = float(measured[rate].mean()) if len(measured) and measured[rate].notna().any() else None
        primes = {m: int(part["prime_business_id"].nunique()) for m in values}
        for m in values:
            if m != "sites":
                primes[m] = int(measured["prime_business_id"].nunique())
        for points, p in (("points_plus_2", 2), ("points_plus_1", 1), ("points_0", 0), ("points_minus_1", -1)):
            primes[points] = int(measured.loc[measured["points"] == p, "prime_business_id"].nunique())
        table.add_row(cells, {"model_project_type": kind}, label, values, businesses=primes)
    return kinds.apply(cells, table, [kinds.MeasureTotal("measured", ("points_plus_2", "points_plus_1", "points_0",
                                                                      "points_minus_1"))])


def closure_table(closure: pd.DataFrame, cells: CellSet, table_id: str = "closure") -> Table:
    topic = TOPICS["closure"]
    table = Table(table_id, topic.heading, topic.marts, [KeyColumn("two_days_off_type", Text("週休2日区分", "Declared type"))],
                  list(topic.measures))
    for kind, label in DAYS_OFF_TYPES:
        part = closure[closure["two_days_off_type"] == kind]
        counted, closed = int(part["counted_days"].sum()), int(part["closed_days"].sum())
        flags = {m: part[c].fillna(False).astype(bool) for m, c in (("meets_whole_period", "meets_4w8c_whole_period"),
                                                                     ("meets_monthly", "meets_4w8c_monthly"),
                                                                     ("meets_declared", "meets_declared_type"))}
        values = {"sites": len(part), "counted_days": counted, "closed_days": closed,
                  "closure_rate": closed / counted if counted else None,
                  **{m: int(f.sum()) for m, f in flags.items()}}
        if kind == "none":
            values["meets_declared"] = None
        primes = {m: int(part["prime_business_id"].nunique()) for m in values}
        for m, f in flags.items():
            primes[m] = int(part.loc[f, "prime_business_id"].nunique())
        table.add_row(cells, {"two_days_off_type": kind}, label, values, businesses=primes)
    return kinds.apply(cells, table, [kinds.Ratio("closure_rate", "closed_days", "counted_days")])


def model_part(data: d.MinistryData, cells: CellSet, thresholds) -> Part:
    topic = TOPICS["model-projects"]
    heading = Text("CCUSモデル工事の結果（全国）", "CCUS model projects (national)")
    if data.scores is None:
        return Part("compliance-model-projects", heading, topic.lead, missing=(d.SCORES,))
    table = model_table(data.scores, cells)
    return Part("compliance-model-projects", heading, topic.lead, [table], lambda depth: [
        render.table_view(table, depth), suppression_note(thresholds), source_note([d.SCORES])])


def closure_part(data: d.MinistryData, cells: CellSet, thresholds) -> Part:
    topic = TOPICS["closure"]
    heading = Text("4週8休（公共工事・全国）", "8 closed days in 4 weeks on public works (national)")
    if data.closure is None:
        return Part("compliance-closure", heading, topic.lead, missing=(d.CLOSURE,))
    public = data.closure[data.closure["is_public_works"].fillna(False).astype(bool)]
    table = closure_table(public, cells)
    return Part("compliance-closure", heading, topic.lead, [table], lambda depth: [
        render.table_view(table, depth), suppression_note(thresholds), source_note([d.CLOSURE])])

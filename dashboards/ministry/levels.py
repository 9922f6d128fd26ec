"""The ministry's level distribution and input-method mix.

Levels (level_eligibility_by_business, one row per business x occupation x level pair): the
national count of each current level and of each level whose criteria are met, with the
distinct businesses behind each; 合計 = Σ levels (both columns); the share of each current level
= its count / 合計.

Input methods (adoption_input_method_monthly): per month the work-history days of each method
and its share of the month; 計 = Σ methods = the national work-history days of that month
(the work-history chart), and the shares add up to one through their numerators.
"""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go

from .. import charts, render
from .. import format as fmt
from ..disclosure import kinds
from ..disclosure.cells import ALL, CellSet
from ..disclosure.table import KeyColumn, Measure, Table
from ..i18n import Text
from ..parts import Part, as_of_text, source_note, suppression_note
from ..theme import OKABE_ITO
from ..topics import TOPICS
from . import data as d
from . import level_window

LEVELS = (1, 2, 3, 4)
INPUT_METHOD_LABELS = {
    "card_reader": Text("カードリーダー", "Card reader"), "face_recognition": Text("顔認証", "Face recognition"),
    "smartphone_app": Text("スマートフォンアプリ", "Smartphone app"),
    "worker_direct": Text("技能者直接入力", "Direct entry (worker)"),
    "employer_proxy": Text("事業者代行入力", "Proxy entry (business)"), "api": Text("API連携", "API"),
}
INPUT_METHOD_COLORS = [OKABE_ITO[k] for k in ("blue", "sky_blue", "bluish_green", "orange", "vermillion",
                                              "reddish_purple")]


def level_label(level) -> Text:
    return Text(f"レベル{int(level)}", f"Level {int(level)}")


def level_table(frame, cells: CellSet, table_id: str = "levels") -> Table:
    """Current and criteria-met levels of the workers of ``frame`` (business-level rows)."""
    topic = TOPICS["levels"]
    table = Table(table_id, topic.heading, topic.marts, [KeyColumn("level", Text("レベル", "Level"))],
                  list(topic.measures))
    frame = frame[frame["workers"] > 0]
    total = int(frame["workers"].sum())
    total_businesses = int(frame["business_id"].nunique())
    for level in LEVELS:
        current = frame[frame["current_level"] == level]
        eligible = frame[frame["eligible_level"] == level]
        values = {"current": int(current["workers"].sum()), "eligible": int(eligible["workers"].sum())}
        values["share"] = values["current"] / total if total else None
        table.add_row(cells, {"level": level}, level_label(level), values,
                      workers={"current": values["current"], "eligible": values["eligible"], "share": total},
                      businesses={"current": int(current["business_id"].nunique()),
                                  "eligible": int(eligible["business_id"].nunique()), "share": total_businesses})
    table.add_row(cells, {"level": ALL}, Text("合計", "Total"), {"current": total, "eligible": total},
                  default_workers=total, default_businesses=total_businesses)
    kinds.apply(cells, table, [kinds.Breakdown("level", ("current", "eligible"))])
    total_row = table.find(level=ALL)
    kinds.same(cells, total_row.cells["current"], total_row.cells["eligible"])   # every worker has both
    for row in table.rows[:-1]:
        cells.relate("ratio", row.cells["share"], [row.cells["current"], total_row.cells["current"]])
    return table


def levels_part(data: d.MinistryData, cells: CellSet, thresholds) -> Part:
    topic = TOPICS["levels"]
    if data.levels is None:
        return Part("levels", topic.heading, topic.lead, missing=(d.LEVELS,))
    table = level_table(data.levels, cells)

    def view(depth):
        names = (Text("現在のレベル", "Current level"), Text("基準を満たすレベル", "Level whose criteria are met"))
        rows = [r for r in table.rows if not r.is_total]
        hidden = [Text(f"{names[i].ja} {r.label.ja}", f"{names[i].en} {r.label.en}")
                  for i, m in enumerate(("current", "eligible")) for r in rows if r.cells[m].suppressed]
        subtitle = charts.with_suppressed(Text("登録簿の現在のレベルと、就業日数・職長日数・資格から基準を満たす最高レベル",
                                               "Current registry level, and the highest level whose criteria (work "
                                               "days, foreman days, qualifications) the worker meets"), hidden)
        source = source_note([d.LEVELS], as_of_text(data.as_of))

        def build(lang):
            fig = go.Figure()
            tops = []
            for name, measure, color, pattern in ((names[0], "current", OKABE_ITO["blue"], ""),
                                                  (names[1], "eligible", OKABE_ITO["orange"], "/")):
                ys = [r.cells[measure].published_value for r in rows]
                tops += [v for v in ys if v]
                fig.add_trace(go.Bar(
                    x=list(LEVELS), y=ys, name=name[lang], marker=dict(color=color, pattern=dict(shape=pattern)),
                    text=[render.SUPPRESSED[lang] if v is None else (fmt.jp_number(v) if lang == "ja"
                                                                      else fmt.en_number(v, short=True)) for v in ys],
                    textposition="outside", cliponaxis=False, customdata=[level_label(c)[lang] for c in LEVELS],
                    hovertemplate=f"{name[lang]} %{{customdata}}: %{{y:,}}<extra></extra>"))
            fig.update_layout(**charts.layout(lang, height=440, title=Text("レベル別の登録技能者数（全国）",
                                                                           "Registered workers by level (national)"),
                                              subtitle=subtitle, source=source.text))
            fig.update_layout(barmode="group", xaxis=dict(tickmode="array", tickvals=list(LEVELS),
                                                          ticktext=[level_label(c)[lang] for c in LEVELS]),
                              yaxis=charts.count_axis(max(tops or [1]) * 1.15, lang, "人数" if lang == "ja" else "Workers"))
            return fig
        window = level_window.note(data.first_work_date, data.as_of)
        return [render.chart("chart-levels", charts.bilingual(build), [table], depth),
                render.table_view(table, depth)] + ([render.Note(window, "note level-window")] if window else []) + [
                suppression_note(thresholds), source]
    return Part("levels", topic.heading, topic.lead, [table], view)


def input_methods_part(data: d.MinistryData, cells: CellSet, work_history: Table, thresholds) -> Part:
    topic = TOPICS["input-methods"]
    if data.input_methods is None:
        return Part("input-methods", topic.heading, None, missing=(d.INPUT_METHODS,))
    frame = data.input_methods
    methods = [m for m in INPUT_METHOD_LABELS if m in set(frame["input_method"])] + sorted(
        set(frame["input_method"]) - set(INPUT_METHOD_LABELS))
    measures = [Measure("work_history_days", Text("就業履歴日数", "Work-history days"), "person_days"),
                Measure("share", Text("割合", "Share"), "rate", "rate", additive=False)]
    table = Table("input_methods", topic.heading, topic.marts,
                  [KeyColumn("month", Text("月", "Month")), KeyColumn("input_method", Text("入力方法", "Input method"))],
                  measures)
    months = sorted(set(frame["month"]))
    for month in months:
        part = frame[frame["month"] == month]
        total = int(part["work_history_days"].sum())
        for method in methods:
            rows = part[part["input_method"] == method]
            days = int(rows["work_history_days"].sum())
            table.add_row(cells, {"month": d.month_key(month), "input_method": method},
                          INPUT_METHOD_LABELS.get(method, Text(method, method)),
                          {"work_history_days": days, "share": days / total if total else None},
                          workers={"work_history_days": int(rows["workers"].sum()), "share": int(part["workers"].max())},
                          businesses={"work_history_days": int(rows["businesses"].sum()),
                                      "share": int(part["businesses"].max())})
        # the month's total: its workers and businesses at least those of its largest method
        table.add_row(cells, {"month": d.month_key(month), "input_method": ALL}, Text("計", "Total"),
                      {"work_history_days": total}, default_workers=int(part["workers"].max()),
                      default_businesses=int(part["businesses"].max()))
    kinds.apply(cells, table, [kinds.Breakdown("input_method", ("work_history_days",))])
    for month in months:
        total = table.cell("work_history_days", month=d.month_key(month), input_method=ALL)
        for method in methods:
            row = table.find(month=d.month_key(month), input_method=method)
            cells.relate("ratio", row.cells["share"], [row.cells["work_history_days"], total])
        kinds.same(cells, work_history.cell("work_history_days", month=d.month_key(month)), total)

    def view(depth):
        hidden = [Text(f"{_month(r).ja} {r.label.ja}", f"{_month(r).en} {r.label.en}")
                  for r in table.rows if not r.is_total and r.cells["share"].suppressed]
        subtitle = charts.with_suppressed(Text("各月の就業履歴日数に占める入力方法の割合",
                                               "Share of each month's work-history days by input method"), hidden)
        source = source_note([d.INPUT_METHODS], as_of_text(data.as_of))

        def build(lang):
            fig = go.Figure()
            x = [date.fromisoformat(d.month_key(m) + "-01") for m in months]
            for i, method in enumerate(methods):
                label = INPUT_METHOD_LABELS.get(method, Text(method, method))
                rows = [table.find(month=d.month_key(m), input_method=method) for m in months]
                share = [r.cells["share"].published_value for r in rows]
                count = [r.cells["work_history_days"].published_value for r in rows]
                fig.add_trace(go.Bar(x=[v.isoformat() for v in x], y=share, name=label[lang], xperiod="M1",
                                     xperiodalignment="middle",
                                     marker=dict(color=INPUT_METHOD_COLORS[i % len(INPUT_METHOD_COLORS)]),
                                     customdata=count,
                                     hovertemplate=f"{label[lang]} {charts.x_month(lang)}: %{{y:.1%}} (%{{customdata:,}})<extra></extra>"))
            fig.update_layout(**charts.layout(lang, height=440, title=Text("入力方法別の就業履歴（全国・月別の割合）",
                                                                           "Work history by input method (national, monthly share)"),
                                              subtitle=subtitle, source=source.text))
            fig.update_layout(barmode="stack", xaxis=charts.month_axis(lang, x),
                              yaxis=charts.rate_axis("割合" if lang == "ja" else "Share"))
            return fig
        return [render.chart("chart-input-methods", charts.bilingual(build), [table], depth),
                suppression_note(thresholds), source]
    return Part("input-methods", topic.heading, None, [table], view)


def _month(row) -> Text:
    """A row's month as the page writes it (2024年4月 / Apr 2024), not its key (2024-04)."""
    month = date.fromisoformat(row.key["month"] + "-01")
    return Text(fmt.jp_month(month), fmt.en_month(month))

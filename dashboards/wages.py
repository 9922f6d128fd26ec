"""Wages by level against the guideline, as tables of cells (the ministry's national tables and
an association's own).

A wage row publishes the surveyed workers, the median annual income and the mean guideline
(not additive), the workers with a guideline and those below it, and the share below (a rate of
those two). Each count rests on its own distinct workers and employers (the marts' *_surveyed,
*_with_guideline and *_below_guideline counts), the median and the guideline on the surveyed
ones, the share on those with a guideline.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from . import charts, names, render
from . import format as fmt
from .disclosure import kinds
from .disclosure.cells import CellSet
from .disclosure.table import KeyColumn, Table
from .i18n import Text
from .theme import OKABE_ITO
from .topics import TOPICS

WAGE = TOPICS["wages"]
MEASURES = ("workers_surveyed", "median_observed_annual_yen", "mean_guideline_annual_yen", "workers_with_guideline",
            "workers_below_guideline", "share_below_guideline")
GROUPS = {"l34_foremen": Text("職長として現場を束ねるレベル3・4の技能者", "Level 3-4 foremen"),
          "l2_first_3_years": Text("経験3年以内のレベル2の技能者", "Level 2 within their first three years")}
LEVEL = KeyColumn("level", Text("レベル", "Level"))
OCCUPATION = KeyColumn("occupation_code", Text("職種", "Occupation"))


def level_label(level) -> Text:
    return Text(f"レベル{int(level)}", f"Level {int(level)}")


def _value(v):
    return None if v is None or (isinstance(v, float) and pd.isna(v)) else v


def add_wage_row(table: Table, cells: CellSet, key: dict, label: Text, row, extra: dict | None = None):
    """One wage row of a mart (a namedtuple of wage_cell_columns)."""
    values = {m: _value(getattr(row, m)) for m in MEASURES}
    values.update(extra or {})
    surveyed, businesses = int(row.workers_surveyed), int(row.businesses_surveyed)
    with_g, with_b = int(row.workers_with_guideline), int(row.businesses_with_guideline)
    return table.add_row(cells, key, label, values,
                         workers={"workers_surveyed": surveyed, "median_observed_annual_yen": surveyed,
                                  "mean_guideline_annual_yen": surveyed, "workers_with_guideline": with_g,
                                  "workers_below_guideline": int(row.workers_below_guideline),
                                  "share_below_guideline": with_g},
                         businesses={"workers_surveyed": businesses, "median_observed_annual_yen": businesses,
                                     "mean_guideline_annual_yen": businesses, "workers_with_guideline": with_b,
                                     "workers_below_guideline": int(row.businesses_below_guideline),
                                     "share_below_guideline": with_b})


def wage_table(table_id: str, title: Text, marts, keys, frame: pd.DataFrame, cells: CellSet, key_of, label_of,
               published: bool = False) -> Table:
    measures = [WAGE.measure(m) for m in MEASURES] + ([WAGE.measure("published_2023_middle_annual_yen")]
                                                       if published else [])
    table = Table(table_id, title, tuple(marts), keys, measures)
    for row in frame.itertuples(index=False):
        extra = {"published_2023_middle_annual_yen": _value(row.published_2023_middle_annual_yen)} if published else None
        add_wage_row(table, cells, key_of(row), label_of(row), row, extra)
    return kinds.apply(cells, table, [kinds.Ratio("share_below_guideline", "workers_below_guideline",
                                                  "workers_with_guideline")])


def occupation_label(row) -> Text:
    ja, en = getattr(row, "occupation_name_ja", None), getattr(row, "occupation_name_en", None)
    code = row.occupation_code
    if isinstance(ja, str) or isinstance(en, str):
        return Text(f"{ja}（{code}）" if isinstance(ja, str) else code, f"{en} ({code})" if isinstance(en, str) else code)
    return names.occupation(code)


def relate_levels(cells: CellSet, levels: Table, detail: Table) -> None:
    """A level's national row = Σ its occupation rows, for each count (where that holds in the
    figures: a worker paid in two occupations in a year counts once in the level and once in
    each occupation, and then the sum is no relation — CellSet.relate leaves it out)."""
    for total in levels.rows:
        parts = [r for r in detail.rows if r.key.get("level") == total.key["level"]]
        for m in ("workers_surveyed", "workers_with_guideline", "workers_below_guideline"):
            if parts:
                cells.relate("sum", total.cells[m], [p.cells[m] for p in parts])


def detail_view(table: Table, depth: int, by_group: bool = False) -> list:
    """The rows with something published (a row whose every figure is suppressed is in the CSV,
    as X, and counted under the table)."""
    shown = [r for r in table.rows if not all(c.suppressed or c.value is None for c in r.cells.values())]
    omitted = len(table.rows) - len(shown)
    columns = [render.Column(m) for m in MEASURES if m not in ("workers_with_guideline",)]
    view = render.table_view(table, depth, columns, label=Text("職種 × レベル", "Occupation x level"), rows=shown)
    for row_view, row in zip(view.rows, shown):
        prefix = GROUPS.get(row.key.get("group_code")) if by_group else None
        lab = row.label
        if prefix is not None:
            lab = Text(f"{prefix.ja}: {lab.ja}", f"{prefix.en}: {lab.en}")
        row_view.cells[0] = render.CellView(lab)
    out = [view] if shown else []
    if omitted:
        out.append(render.Note(Text(f"すべての値が秘匿の{omitted}区分は表に表示していません（CSVでは X）。",
                                    f"{omitted} rows with every value suppressed are not listed (X in the CSV).")))
    return out


def level_chart(table: Table, fiscal_year: int, source: Text) -> charts.Chart:
    """Median and guideline by level (published cells only), the published 2023 income beside."""
    rows = table.rows

    def build(lang: str) -> go.Figure:
        x = [int(r.key["level"]) for r in rows]
        money = fmt.yen if lang == "ja" else fmt.en_yen

        def values(measure):
            return [None if r.cells[measure].suppressed or r.cells[measure].value is None else int(r.cells[measure].value)
                    for r in rows]

        def hover(series):
            return [[level_label(level)[lang], money(v)] for level, v in zip(x, series)]

        observed, guideline = values("median_observed_annual_yen"), values("mean_guideline_annual_yen")
        published = values("published_2023_middle_annual_yen") if "published_2023_middle_annual_yen" in rows[0].cells else []
        series = [(WAGE.measure("median_observed_annual_yen").header, observed, OKABE_ITO["blue"]),
                  (Text("目安（設計労務単価×234日×係数）", "Guideline (unit price x 234 x multiplier)"), guideline,
                   OKABE_ITO["vermillion"])]
        template = "%{customdata[0]}: %{customdata[1]}<extra></extra>"
        fig = go.Figure([go.Bar(x=x, y=ys, name=name[lang], marker=dict(color=color), customdata=hover(ys),
                                hovertemplate=template) for name, ys, color in series])
        if published:
            fig.add_trace(go.Scatter(x=x, y=published, mode="markers",
                                     name=WAGE.measure("published_2023_middle_annual_yen").header[lang],
                                     marker=dict(symbol="diamond", size=12, color=OKABE_ITO["black"]),
                                     customdata=hover(published), hovertemplate=template))
        hidden = [level_label(r.key["level"]) for r in rows if r.cells["median_observed_annual_yen"].suppressed]
        subtitle = charts.with_suppressed(Text("棒＝モデル値（調査の中央値と目安）、◆＝公表値。年収は時間外手当を除き234日換算",
                                               "Bars = modelled (survey median and guideline), diamonds = published. "
                                               "Annual income at 234 days, overtime excluded"), hidden)
        top = max([v for v in observed + guideline + published if v] or [1])
        fig.update_layout(**charts.layout(lang, height=460, title=Text(f"{fiscal_year}年度 レベル別年収と目安",
                                                                       f"FY{fiscal_year}: annual income by level "
                                                                       "against the guideline"),
                                          subtitle=subtitle, source=source))
        fig.update_layout(barmode="group", xaxis=dict(tickmode="array", tickvals=x,
                                                      ticktext=[level_label(v)[lang] for v in x]),
                          yaxis=charts.yen_axis(top * 1.1, lang))
        return fig
    return charts.bilingual(build)


def occupation_chart(table: Table, title: Text, source: Text) -> charts.Chart:
    """Median and guideline of each published occupation x level row, as horizontal bars."""
    rows = [r for r in table.rows if not r.cells["median_observed_annual_yen"].suppressed
            and r.cells["median_observed_annual_yen"].value is not None]

    def build(lang: str) -> go.Figure:
        names_ = [r.label[lang] for r in rows]
        y = list(range(len(rows)))   # positions: data may not differ between languages
        observed = [int(r.cells["median_observed_annual_yen"].value) for r in rows]
        guideline = [None if r.cells["mean_guideline_annual_yen"].suppressed or r.cells["mean_guideline_annual_yen"].value
                     is None else int(r.cells["mean_guideline_annual_yen"].value) for r in rows]
        money = fmt.yen if lang == "ja" else fmt.en_yen
        fig = go.Figure([
            go.Bar(y=y, x=observed, orientation="h", name=WAGE.measure("median_observed_annual_yen").header[lang],
                   marker=dict(color=OKABE_ITO["blue"]), customdata=[[n, money(v)] for n, v in zip(names_, observed)],
                   hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>"),
            go.Scatter(y=y, x=guideline, mode="markers", name=Text("目安", "Guideline")[lang],
                       marker=dict(symbol="line-ns-open", size=22, color=OKABE_ITO["vermillion"],
                                   line=dict(width=3, color=OKABE_ITO["vermillion"])),
                       customdata=[[n, money(v)] for n, v in zip(names_, guideline)],
                       hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>"),
        ])
        fig.update_layout(**charts.layout(
            lang, height=max(320, 150 + 36 * len(rows)), title=title,
            subtitle=Text("棒＝中央値、縦線＝目安（設計労務単価×234日×レベル係数）。秘匿のセルは表示しません",
                          "Bars = median, ticks = guideline (unit price x 234 days x level multiplier). "
                          "Suppressed cells are not drawn"), source=source))
        fig.update_layout(margin=dict(l=260, r=30, t=135, b=90),
                          yaxis=dict(autorange="reversed", tickmode="array", tickvals=y, ticktext=names_),
                          xaxis=charts.yen_axis(max(observed + [v for v in guideline if v] or [1]) * 1.05, lang))
        return fig
    return charts.bilingual(build)

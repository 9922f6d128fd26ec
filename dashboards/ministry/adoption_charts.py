"""The ministry's adoption charts: the modelled national series (published cells only), the
published figures, the targets at their deadlines and the projection of when each is reached."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlparse

import pandas as pd
import plotly.graph_objects as go

from .. import charts
from .. import format as fmt
from ..disclosure.table import Table
from ..i18n import Text
from ..parts import month_end_text
from ..theme import OKABE_ITO
from . import data as d

COUNT_UNIT = {"registered_workers": Text("人", " workers"), "registered_businesses": Text("社", " businesses"),
              "work_records_in_fiscal_year": Text("件", " records")}
METRIC = {"registered_workers": Text("登録技能者数", "Registered workers"),
          "registered_businesses": Text("登録事業者数", "Registered businesses"),
          "work_records_in_fiscal_year": Text("年度内の就業履歴蓄積件数", "Work records in the fiscal year")}
PROJECTION_YEARS_PAST_DEADLINES = 5


def _as_of_month(month) -> Text:
    when = month_end_text(month)
    return Text(f"{when.ja}時点", f"as of {when.en}")


def _count(value, unit: Text, lang: str) -> str:
    if lang == "ja":
        return f"{fmt.jp_number(value, unit.ja)}（{fmt.thousands(value)}{unit.ja}）"
    return f"{fmt.en_number(value)}{unit.en} ({fmt.thousands(value)})"


def _domain(url) -> str:
    if url is None or (isinstance(url, float) and pd.isna(url)) or not str(url):
        return fmt.MISSING
    return urlparse(str(url)).netloc or str(url)


def projection_horizon(deadlines) -> date:
    """The last date a projection is drawn: five years after the latest deadline."""
    last = max(deadlines)
    return date(last.year + PROJECTION_YEARS_PAST_DEADLINES, last.month, min(last.day, 28))


def _series_points(table: Table, measure: str) -> tuple[list, list]:
    x, y = [], []
    for row in table.rows:
        cell = row.cells.get(measure)
        x.append(d.month_end(date.fromisoformat(row.key["month"] + "-01")).isoformat())
        y.append(None if cell is None or cell.suppressed else cell.value)
    return x, y


def adoption_figure(a, lang: str, *, metric: str, title: Text, subtitle: Text,
                    modelled: list[tuple[Table, str, Text, str, str]],
                    published: list[tuple[str, str | None, Text, str]]) -> go.Figure:
    unit = COUNT_UNIT[metric]
    fig, tops, starts, sources = go.Figure(), [], [], []
    data = a.data
    if data.national is not None:
        sources.append((d.NATIONAL, month_end_text(data.latest_month())))
        for table, measure, name, color, dash in modelled:
            x, y = _series_points(table, measure)
            starts.append(x[0])
            tops += [v for v in y if v is not None]
            fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=name[lang], connectgaps=False,
                                     line=dict(color=color, width=2.5, dash=dash),
                                     customdata=[None if v is None else _count(v, unit, lang) for v in y],
                                     hovertemplate=f"{name[lang]}<br>{charts.x_day(lang)}: %{{customdata}}<extra></extra>"))
    if data.published is not None:
        sources.append((d.PUBLISHED, None))
        for column, basis, name, symbol in published:
            rows = data.published if basis is None else data.published[data.published["businesses_basis"] == basis]
            rows = rows[rows[column].notna()]
            if rows.empty:
                continue
            y = [int(v) for v in rows[column]]
            tops += y
            starts.append(min(rows["as_of"]).isoformat())
            via = "出典" if lang == "ja" else "reported by"
            fig.add_trace(go.Scatter(
                x=[v.isoformat() for v in rows["as_of"]], y=y, mode="markers", name=name[lang],
                marker=dict(color=OKABE_ITO["vermillion"], symbol=symbol, size=9,
                            line=dict(width=1.5, color=OKABE_ITO["vermillion"])),
                customdata=[[_count(v, unit, lang), _domain(u)] for v, u in zip(y, rows["source_url"])],
                hovertemplate=(f"{name[lang]}<br>{charts.x_day(lang)}: %{{customdata[0]}}<br>{via}: %{{customdata[1]}}"
                               "<extra></extra>")))
    goals = None if data.targets is None else data.targets[data.targets["metric"] == metric]
    shapes = []
    if goals is not None and not goals.empty:
        sources.append((d.TARGETS, None))
        y = [int(v) for v in goals["target_value"]]
        tops += y
        x0 = min(starts) if starts else min(goals["deadline"]).isoformat()
        for deadline, value in zip(goals["deadline"], y):
            shapes.append(dict(type="line", xref="x", yref="y", x0=x0, x1=deadline.isoformat(), y0=value, y1=value,
                               line=dict(color=OKABE_ITO["black"], width=1, dash="dot"), opacity=0.45))
        shares = [a.targets.cell("share", target_id=t) for t in goals["target_id"]]
        share_text = [fmt.MISSING if c is None or c.suppressed else fmt.percent(c.value) for c in shares]
        if lang == "ja":
            text = [fmt.jp_number(v) for v in y]
            detail = [[tid, _count(v, unit, lang), fmt.jp_date(dl), s, fmt.jp_month(p)]
                      for tid, v, dl, s, p in zip(goals["target_id"], y, goals["deadline"], share_text,
                                                  goals["projected_date"])]
            template = ("目標 %{customdata[0]}<br>%{customdata[2]}までに %{customdata[1]}"
                        "<br>達成率 %{customdata[3]}・到達見込み %{customdata[4]}<extra></extra>")
        else:
            text = [fmt.en_number(v, short=True) for v in y]
            detail = [[tid, _count(v, unit, lang), fmt.en_date(dl), s, fmt.en_month(p)]
                      for tid, v, dl, s, p in zip(goals["target_id"], y, goals["deadline"], share_text,
                                                  goals["projected_date"])]
            template = ("Target %{customdata[0]}<br>%{customdata[1]} by %{customdata[2]}"
                        "<br>share reached %{customdata[3]}, projected %{customdata[4]}<extra></extra>")
        fig.add_trace(go.Scatter(
            x=[v.isoformat() for v in goals["deadline"]], y=y, mode="markers+text",
            name=Text("目標（期限時点の値）", "Target (value due by the deadline)")[lang], text=text,
            textposition="top center", textfont=dict(size=11, color=OKABE_ITO["black"]),
            marker=dict(symbol="diamond", size=11, color=OKABE_ITO["orange"], line=dict(width=1.5, color=OKABE_ITO["black"])),
            customdata=detail, hovertemplate=template))
        _add_projection(fig, a, goals, modelled[0] if modelled else None, unit, lang)
    source = Text("出典（goldマート）: " + "／".join(m + (f"（{w.ja}時点）" if w else "") for m, w in sources),
                  "Source (gold marts): " + " / ".join(m + (f" (as of {w.en})" if w else "") for m, w in sources))
    fig.update_layout(**charts.layout(lang, title=title, subtitle=subtitle, source=source))
    label = METRIC[metric]
    fig.update_layout(shapes=shapes, xaxis=charts.date_axis(lang),
                      yaxis=charts.count_axis(max(tops) * 1.08 if tops else 1, lang,
                                              f"{label.ja}（{unit.ja}）" if lang == "ja" else f"{label.en} (count)"))
    return fig


def _add_projection(fig: go.Figure, a, goals: pd.DataFrame, modelled, unit: Text, lang: str) -> None:
    """A dashed line from the latest modelled value (when published) through each open target
    at the date target_progress projects it is reached (trailing 12-month pace)."""
    if modelled is None or a.data.national is None:
        return
    table, measure = modelled[0], modelled[1]
    last = table.rows[-1].cells.get(measure) if table.rows else None
    if last is None or last.suppressed:
        return
    open_goals = goals[[p is not None and not (s is not None and not pd.isna(s) and s >= 1)
                        for p, s in zip(goals["projected_date"], goals["share"])]]
    if open_goals.empty:
        return
    horizon = projection_horizon(goals["deadline"])
    points = sorted((p, v, t, dl) for p, v, t, dl in zip(open_goals["projected_date"], open_goals["target_value"],
                                                         open_goals["target_id"], open_goals["deadline"]) if p <= horizon)
    if not points:
        return
    start = (d.month_end(a.data.latest_month()), int(last.value))
    name = Text("到達見込み（直近12か月のペース）", "Projected (trailing 12-month pace)")[lang]
    if lang == "ja":
        detail = [["最新のモデル値", _count(start[1], unit, lang), fmt.jp_month(start[0])]] + [
            [f"目標 {t}（期限 {fmt.jp_date(dl)}）", _count(v, unit, lang), fmt.jp_month(p)] for p, v, t, dl in points]
        template = "%{customdata[0]}<br>%{customdata[1]}：%{customdata[2]}<extra></extra>"
    else:
        detail = [["Latest modelled value", _count(start[1], unit, lang), fmt.en_month(start[0])]] + [
            [f"Target {t} (due {fmt.en_date(dl)})", _count(v, unit, lang), fmt.en_month(p)] for p, v, t, dl in points]
        template = "%{customdata[0]}<br>%{customdata[1]} in %{customdata[2]}<extra></extra>"
    fig.add_trace(go.Scatter(
        x=[start[0].isoformat()] + [p.isoformat() for p, _, _, _ in points],
        y=[start[1]] + [int(v) for _, v, _, _ in points], mode="lines+markers", name=name, customdata=detail,
        hovertemplate=template, line=dict(color=OKABE_ITO["reddish_purple"], width=2, dash="dash"),
        marker=dict(symbol=["circle"] + ["diamond-open"] * len(points), size=[6] + [13] * len(points),
                    color=OKABE_ITO["reddish_purple"], line=dict(width=2, color=OKABE_ITO["reddish_purple"]))))

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
from .progress import projection_text

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


def domain(url) -> str:
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


# the two panels: the official series and the targets above, the platform's own series below
# on its own scale (a simulated sample of 20,000 workers drawn on a 0-400万 axis lay flat at 0)
OFFICIAL_DOMAIN, PLATFORM_DOMAIN = [0.42, 1.0], [0.0, 0.27]


def adoption_figure(a, lang: str, *, metric: str, title: Text, subtitle: Text,
                    modelled: list[tuple[Table, str, Text, str, str]],
                    published: list[tuple[str, str | None, Text, str]], platform: Text) -> go.Figure:
    """Upper panel: the official figures, the targets at their deadlines and the projection of
    when each is reached at the official pace (target_progress_official). Lower panel, on its own
    y axis: the platform's series (``platform`` says what it is: a simulated sample or not)."""
    unit = COUNT_UNIT[metric]
    fig, tops, platform_tops, sources = go.Figure(), [], [], []
    data = a.data
    if data.published is not None:
        sources.append((d.PUBLISHED, None))
        for column, basis, name, symbol in published:
            rows = data.published if basis is None else data.published[data.published["businesses_basis"] == basis]
            rows = rows[rows[column].notna()]
            if rows.empty:
                continue
            y = [int(v) for v in rows[column]]
            tops += y
            via = "出典" if lang == "ja" else "reported by"
            fig.add_trace(go.Scatter(
                x=[v.isoformat() for v in rows["as_of"]], y=y, mode="lines+markers", name=name[lang],
                line=dict(color=OKABE_ITO["vermillion"], width=1, dash="dot"),
                marker=dict(color=OKABE_ITO["vermillion"], symbol=symbol, size=9,
                            line=dict(width=1.5, color=OKABE_ITO["vermillion"])),
                customdata=[[_count(v, unit, lang), domain(u)] for v, u in zip(y, rows["source_url"])],
                hovertemplate=(f"{name[lang]}<br>{charts.x_day(lang)}: %{{customdata[0]}}<br>{via}: %{{customdata[1]}}"
                               "<extra></extra>")))
    goals = None if data.targets is None else data.targets[data.targets["metric"] == metric]
    shapes = []
    if goals is not None and not goals.empty:
        sources.append((d.OFFICIAL_TARGETS, None))
        official = a.official_by_target()
        y = [int(v) for v in goals["target_value"]]
        tops += y
        starts = [min(data.published["as_of"]).isoformat()] if data.published is not None else []
        x0 = min(starts) if starts else min(goals["deadline"]).isoformat()
        for deadline, value in zip(goals["deadline"], y):
            shapes.append(dict(type="line", xref="x", yref="y", x0=x0, x1=deadline.isoformat(), y0=value, y1=value,
                               line=dict(color=OKABE_ITO["black"], width=1, dash="dot"), opacity=0.45))
        marks = [official.get(t) for t in goals["target_id"]]
        share_text = [fmt.MISSING if m is None or pd.isna(m.share) else fmt.percent(m.share) for m in marks]
        names = [Text(ja, en)[lang] for ja, en in zip(goals["name_ja"], goals["name_en"])]
        when = [projection_text(m)[lang] for m in marks]
        if lang == "ja":
            text = [fmt.jp_number(v) for v in y]
            detail = [[n, _count(v, unit, lang), fmt.jp_date(dl), s, w]
                      for n, v, dl, s, w in zip(names, y, goals["deadline"], share_text, when)]
            template = ("%{customdata[0]}<br>%{customdata[2]}までに %{customdata[1]}"
                        "<br>達成率（公表値） %{customdata[3]}・到達見込み %{customdata[4]}<extra></extra>")
        else:
            text = [fmt.en_number(v, short=True) for v in y]
            detail = [[n, _count(v, unit, lang), fmt.en_date(dl), s, w]
                      for n, v, dl, s, w in zip(names, y, goals["deadline"], share_text, when)]
            template = ("%{customdata[0]}<br>%{customdata[1]} by %{customdata[2]}"
                        "<br>share reached (official) %{customdata[3]}, projected %{customdata[4]}<extra></extra>")
        fig.add_trace(go.Scatter(
            x=[v.isoformat() for v in goals["deadline"]], y=y, mode="markers+text",
            name=Text("目標（期限時点の値）", "Target (value due by the deadline)")[lang], text=text,
            textposition="top center", textfont=dict(size=11, color=OKABE_ITO["black"]),
            marker=dict(symbol="diamond", size=11, color=OKABE_ITO["orange"], line=dict(width=1.5, color=OKABE_ITO["black"])),
            customdata=detail, hovertemplate=template))
        _add_projection(fig, a, goals, metric, unit, lang)
    if data.national is not None:
        sources.append((d.NATIONAL, month_end_text(data.latest_month())))
        for table, measure, name, color, dash in modelled:
            x, y = _series_points(table, measure)
            platform_tops += [v for v in y if v is not None]
            fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=name[lang], connectgaps=False, yaxis="y2",
                                     line=dict(color=color, width=2.5, dash=dash),
                                     customdata=[None if v is None else _count(v, unit, lang) for v in y],
                                     hovertemplate=f"{name[lang]}<br>{charts.x_day(lang)}: %{{customdata}}<extra></extra>"))
    source = Text("出典（goldマート）: " + "／".join(m + (f"（{w.ja}時点）" if w else "") for m, w in sources),
                  "Source (gold marts): " + " / ".join(m + (f" (as of {w.en})" if w else "") for m, w in sources))
    fig.update_layout(**charts.layout(lang, title=title, subtitle=subtitle, source=source, height=680))
    label = METRIC[metric]
    official_title = (f"公表値・目標（{unit.ja}）" if lang == "ja" else f"Official and targets ({label.en.lower()})")
    platform_title = (f"本基盤（{unit.ja}）" if lang == "ja" else "Platform")
    fig.update_layout(
        shapes=shapes, xaxis=dict(charts.date_axis(lang), anchor="y2"),
        yaxis=dict(charts.count_axis(max(tops) * 1.08 if tops else 1, lang, official_title), domain=OFFICIAL_DOMAIN),
        yaxis2=dict(charts.count_axis(max(platform_tops) * 1.1 if platform_tops else 1, lang, platform_title),
                    domain=PLATFORM_DOMAIN, anchor="x"))
    fig.add_annotation(text=f"<b>{platform[lang]}</b>", xref="paper", yref="paper", x=0, y=PLATFORM_DOMAIN[1] + 0.02,
                       xanchor="left", yanchor="bottom", showarrow=False, align="left",
                       font=dict(size=12, color=OKABE_ITO["blue"]))
    return fig


def _add_projection(fig: go.Figure, a, goals: pd.DataFrame, metric: str, unit: Text, lang: str) -> None:
    """A dashed line from the latest official figure through each open target at the date
    target_progress_official projects it is reached (the official pace over about a year);
    points past five years after the latest deadline are not drawn (the table gives them)."""
    official = a.official_by_target()
    marks = [official.get(t) for t in goals["target_id"]]
    open_marks = [(m, ja, en) for m, ja, en in zip(marks, goals["name_ja"], goals["name_en"])
                  if m is not None and m.projection_status == "projected"]
    latest = [m for m in marks if m is not None and not pd.isna(m.value)]
    if not open_marks or not latest:
        return
    start_mark = max(latest, key=lambda m: m.as_of)
    horizon = projection_horizon(goals["deadline"])
    points = sorted((m.projected_date, int(m.target_value), Text(ja, en)[lang], m.deadline)
                    for m, ja, en in open_marks if m.projected_date <= horizon)
    if not points:
        return
    start = (start_mark.as_of, int(start_mark.value)) if metric != "work_records_in_fiscal_year" else None
    if start is None:
        return
    name = Text("到達見込み（公表値のペース）", "Projected (official pace)")[lang]
    if lang == "ja":
        detail = [["最新の公表値", _count(start[1], unit, lang), fmt.jp_date(start[0])]] + [
            [f"{n}（期限 {fmt.jp_date(dl)}）", _count(v, unit, lang), fmt.jp_month(p)] for p, v, n, dl in points]
        template = "%{customdata[0]}<br>%{customdata[1]}：%{customdata[2]}<extra></extra>"
    else:
        detail = [["Latest official figure", _count(start[1], unit, lang), fmt.en_date(start[0])]] + [
            [f"{n} (due {fmt.en_date(dl)})", _count(v, unit, lang), fmt.en_month(p)] for p, v, n, dl in points]
        template = "%{customdata[0]}<br>%{customdata[1]} in %{customdata[2]}<extra></extra>"
    fig.add_trace(go.Scatter(
        x=[start[0].isoformat()] + [p.isoformat() for p, _, _, _ in points],
        y=[start[1]] + [v for _, v, _, _ in points], mode="lines+markers", name=name, customdata=detail,
        hovertemplate=template, line=dict(color=OKABE_ITO["reddish_purple"], width=2, dash="dash"),
        marker=dict(symbol=["circle"] + ["diamond-open"] * len(points), size=[6] + [13] * len(points),
                    color=OKABE_ITO["reddish_purple"], line=dict(width=2, color=OKABE_ITO["reddish_purple"]))))

"""Bilingual plotly figures: build a figure once per language, keep the label differences.

``bilingual(build)`` calls ``build("ja")`` and ``build("en")``; the two figures must differ in
labels only (titles, axis titles, tick texts, legend names, hover texts), never in data. The
page draws the Japanese figure and switches language with Plotly.relayout (layout paths such
as ``title.text`` or ``annotations[0].text``) and Plotly.restyle (per-trace paths such as
``name`` or ``hovertemplate``) using the stored label sets.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

import plotly.graph_objects as go
import plotly.io as pio

from . import format as fmt
from . import theme
from .i18n import LANGS, Text

# Trace keys that carry data: a language switch must never change them.
_DATA_KEYS = {"x", "y", "type", "xperiod", "xperiodalignment"}


@dataclass(frozen=True)
class Chart:
    figure: dict  # {"data": [...], "layout": {...}} in the default language (Japanese)
    labels: dict  # {lang: {"layout": {path: value}, "traces": [{path: value}, ...]}}


def bilingual(build: Callable[[str], go.Figure]) -> Chart:
    figures = {lang: json.loads(pio.to_json(build(lang), validate=True)) for lang in LANGS}
    first, *others = LANGS
    labels = {lang: {"layout": {}, "traces": []} for lang in LANGS}
    base = figures[first]
    for other in others:
        fig = figures[other]
        if len(fig["data"]) != len(base["data"]):
            raise ValueError("the language versions of a chart have different traces")
        _diff(base["layout"], fig["layout"], "", labels[first]["layout"], labels[other]["layout"])
        for index, (a, b) in enumerate(zip(base["data"], fig["data"])):
            ours, theirs = {}, {}
            _diff(a, b, "", ours, theirs)
            changed = {path.split(".")[0].split("[")[0] for path in ours}
            if changed & _DATA_KEYS:
                raise ValueError(f"trace {index} differs in data between languages: {sorted(changed & _DATA_KEYS)}")
            labels[first]["traces"].append(ours)
            labels[other]["traces"].append(theirs)
    return Chart(figure=base, labels=labels)


def _diff(a, b, prefix: str, out_a: dict, out_b: dict) -> None:
    # Equal parts (most of a layout, every data array) hold no difference: one comparison in C
    # instead of a walk (the project pages diff ~3 charts each, 81 000 pages at national scale).
    if isinstance(a, dict) and isinstance(b, dict):
        # a's keys in its order, then b's own: deterministic (both are built in a fixed order)
        # without sorting every dict of every chart
        for key in (*a, *(k for k in b if k not in a)):
            x, y = a.get(key), b.get(key)
            if x is not y and x != y:
                _diff(x, y, f"{prefix}.{key}" if prefix else key, out_a, out_b)
    elif (isinstance(a, list) and isinstance(b, list) and a and len(a) == len(b)
          and all(isinstance(x, dict) for x in a + b)):
        for index, (x, y) in enumerate(zip(a, b)):
            if x is not y and x != y:
                _diff(x, y, f"{prefix}[{index}]", out_a, out_b)
    elif a != b:
        out_a[prefix] = a
        out_b[prefix] = b


def nice_ticks(top: float, count: int = 5, whole: bool = False) -> list[float]:
    """Round tick values from 0 to at least ``top``, about ``count`` intervals; ``whole``: steps
    of at least 1 (a count of people has no 0.3 worker, seen on an all-suppressed chart)."""
    top = float(top) if top and top > 0 else 1.0
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1, math.ceil(step))
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]


# One way of writing a month and a day per language, on axes, in hover texts and in tables
# (format.jp_month / en_month, jp_date / en_date write the same in Python).
MONTH_FORMAT = {"ja": "%Y年%-m月", "en": "%b %Y"}
DAY_FORMAT = {"ja": "%Y年%-m月%-d日", "en": "%-d %b %Y"}


def count_text(value, lang: str) -> str:
    """A tick or bar label of a count: 150万 / 1.5M (never plotly's SI "k" on a Japanese page)."""
    return fmt.jp_number(value) if lang == "ja" else fmt.en_number(value, short=True)


def count_axis(top: float, lang: str, title: str) -> dict:
    """A y axis for counts, ticks written 150万 / 1.5M (d3 formats cannot write 万)."""
    ticks = nice_ticks(top, whole=True)
    return dict(title=dict(text=title), tickmode="array", tickvals=ticks, ticktext=[count_text(v, lang) for v in ticks],
                range=[0, ticks[-1] * 1.04], gridcolor=theme.GRID, zeroline=True,
                zerolinecolor="#999999", fixedrange=False)


def yen_axis(top: float, lang: str) -> dict:
    """An axis of annual incomes: 400万円 / ¥4M (raw yen were unreadable: 4,000,000). No axis
    title: the unit is in the ticks, and a title under the plot ran into the source line."""
    ticks = nice_ticks(top)
    text = [f"{fmt.jp_number(v)}円" if lang == "ja" else f"¥{fmt.en_number(v, short=True)}" for v in ticks]
    return dict(tickmode="array", tickvals=ticks, ticktext=text, range=[0, ticks[-1] * 1.04], gridcolor=theme.GRID,
                zeroline=True, zerolinecolor="#999999")


RATE_TICKS = [0, 0.25, 0.5, 0.75, 1]


def rate_axis(title: str | None = None, **extra) -> dict:
    """An axis of rates (fractions, 0-1): round ticks 0 % … 100 %, the 100 % line inside the
    plot (left to plotly, an overlaid axis read 0/24/47/71/95 % with 100 % above it)."""
    axis = dict(tickmode="array", tickvals=RATE_TICKS, ticktext=[f"{round(v * 100)}%" for v in RATE_TICKS],
                range=[0, 1.06], gridcolor=theme.GRID, zeroline=True, zerolinecolor="#999999", **extra)
    if title:
        axis["title"] = dict(text=title)
    return axis


def x_month(lang: str) -> str:
    """A hover template's month of a date x: 2024年4月 / Apr 2024."""
    return "%{x|" + MONTH_FORMAT[lang] + "}"


def x_day(lang: str) -> str:
    """A hover template's day of a date x: 2025年10月31日 / 31 Oct 2025."""
    return "%{x|" + DAY_FORMAT[lang] + "}"


def date_axis(lang: str, title: str | None = None) -> dict:
    axis = dict(type="date", tickformat=MONTH_FORMAT[lang], gridcolor=theme.GRID, hoverformat=DAY_FORMAT[lang])
    if title:
        axis["title"] = dict(text=title)
    return axis


def source_line(marts: list[str], as_of) -> Text:
    """The bottom line of a chart: its gold marts and the data's as-of date."""
    names = "／".join(marts), " / ".join(marts)
    if as_of is None:
        return Text(f"出典（goldマート）: {names[0]}", f"Source (gold marts): {names[1]}")
    return Text(f"出典（goldマート）: {names[0]}（{fmt.jp_date(as_of)}時点）",
                f"Source (gold marts): {names[1]} (as of {fmt.en_date(as_of)})")


def _month_middle(month) -> str:
    """Where plotly draws a month's bar with xperiod="M1", xperiodalignment="middle": halfway
    between its first day and the next month's (a single bar's axis spans little more)."""
    start = datetime(month.year, month.month, 1)
    end = datetime(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return (start + (end - start) / 2).isoformat(sep=" ")


def month_axis(lang: str, months) -> dict:
    """An x axis of calendar months (bars drawn over the whole month). With few months plotly's
    automatic ticks fall on days and repeat one month's label across the axis, or show none
    (both seen on a one-month run): then each month is labelled once, under the middle of its
    bar. (A fixed range is no cure: with one bar plotly can no longer size it, and it vanished.)"""
    axis = dict(type="date", tickformat=MONTH_FORMAT[lang], gridcolor=theme.GRID, hoverformat=MONTH_FORMAT[lang])
    months = sorted(set(months))
    if months and len(months) <= 12:
        axis.update(tickmode="array", tickvals=[_month_middle(m) for m in months],
                    ticktext=[fmt.jp_month(m) if lang == "ja" else fmt.en_month(m) for m in months])
    return axis


def layout(lang: str, *, title: Text, subtitle: Text, source: Text, height: int = 520) -> dict:
    """Common layout: title says what is measured, the bottom line says source and as-of."""
    return dict(
        template="none",
        height=height,
        font=dict(family=theme.FONT_FAMILY, size=13, color="#222222"),
        colorway=theme.COLORWAY,
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        title=dict(text=f"<b>{title[lang]}</b>", x=0.01, xanchor="left", y=0.98, yanchor="top",
                   font=dict(size=17), subtitle=dict(text=subtitle[lang], font=dict(size=12, color=theme.MUTED))),
        legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom",
                    bgcolor="rgba(255,255,255,0.8)"),
        margin=dict(l=80, r=30, t=135, b=90),
        hovermode="closest",
        hoverlabel=dict(font=dict(family=theme.FONT_FAMILY)),
        annotations=[dict(text=source[lang], xref="paper", yref="paper", x=0, y=0, xanchor="left",
                          yanchor="top", yshift=-48, showarrow=False, align="left",
                          font=dict(size=11, color=theme.MUTED))],
    )


LINE_CHARS = {"ja": 95, "en": 190}   # what fits on a subtitle line of a 1200-px chart (12-px font)


def with_suppressed(subtitle: Text, hidden: list[Text], line_chars: dict = LINE_CHARS) -> Text:
    """The subtitle plus what is suppressed (not drawn), cut to one line of ``line_chars`` (a
    narrower chart: fewer): a long list ran off the chart's width; the table below lists every
    row."""
    if not hidden:
        return subtitle

    def line(lang: str) -> str:
        # a subtitle's own full stop is not doubled ("…重複除去後）。。秘匿")
        head = (f"{subtitle.ja.rstrip('。')}。秘匿（{len(hidden)}）: " if lang == "ja"
                else f"{subtitle.en.rstrip('.')}. Suppressed ({len(hidden)}): ")
        separator = "、" if lang == "ja" else ", "
        shown: list[str] = []
        for name in (t[lang] for t in hidden):
            if shown and len(head + separator.join(shown + [name])) > line_chars[lang]:
                break
            shown.append(name)
        rest = len(hidden) - len(shown)
        more = "" if rest == 0 else (f" ほか{rest}（表を参照）" if lang == "ja" else f" and {rest} more (see the table)")
        return head + separator.join(shown) + more
    return Text(line("ja"), line("en"))


def ranked_bars(keys: list[str], values: list, labels: list[Text], *, title: Text, subtitle: Text, source: Text,
                color: str, unit: Text, margin_left: int = 190) -> Chart:
    """Horizontal bars, smallest at the bottom (``keys`` in that order): a ranking of published
    values only (a suppressed category is not drawn; the subtitle names it)."""
    def build(lang: str) -> go.Figure:
        text = [count_text(v, lang) for v in values]
        fig = go.Figure(go.Bar(
            x=values, y=keys, orientation="h", marker=dict(color=color), text=text, textposition="outside",
            cliponaxis=False, customdata=[[label[lang], fmt.thousands(v)] for label, v in zip(labels, values)],
            hovertemplate=f"%{{customdata[0]}}: %{{customdata[1]}}{unit[lang]}<extra></extra>"))
        fig.update_layout(**layout(lang, title=title, subtitle=subtitle, source=source,
                                   height=180 + 22 * max(len(keys), 3)))
        ticks = nice_ticks(max(values or [1]) * 1.12)
        fig.update_layout(
            # no legend and no x-axis title (the title names the measure, the ticks its unit)
            showlegend=False, bargap=0.25, margin=dict(l=margin_left, r=40, t=100, b=80),
            xaxis=dict(tickmode="array", tickvals=ticks, range=[0, ticks[-1] * 1.02], gridcolor=theme.GRID,
                       ticktext=[count_text(v, lang) for v in ticks]),
            yaxis=dict(type="category", tickmode="array", tickvals=keys, ticktext=[label[lang] for label in labels],
                       automargin=True))
        return fig
    return bilingual(build)

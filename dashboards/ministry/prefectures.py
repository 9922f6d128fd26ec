"""The ministry's prefecture section: maps of registered workers and of each prefecture's share of
the national total, beside the top-10 ranking, with every prefecture in a folded table.

The share is a table of its own (``prefecture_shares``: a rate = the prefecture's registered
workers / the national row's), so it goes through disclosure control like every figure: a
suppressed count takes its share with it. A suppressed prefecture is drawn grey with an X on
both maps, never coloured by its value; a prefecture with no row is left white.
"""

from __future__ import annotations

import plotly.graph_objects as go

from .. import charts, geo, names, render
from .. import format as fmt
from ..disclosure.cells import ALL, CellSet
from ..disclosure.table import KeyColumn, Measure, Table
from ..i18n import Text
from ..parts import Part, month_end_text, source_note, suppression_note
from ..theme import OKABE_ITO
from ..topics import TOPICS
from . import data as d
from .adoption import Adoption
from .adoption_charts import _as_of_month

TOP = 10
SHARE = Measure("share", Text("全国に占める割合", "Share of the national total"), "rate", "rate", additive=False)
SUPPRESSED_GREY = "#BBBBBB"
SCALE = [[0, "#DCEAF5"], [1, OKABE_ITO["blue"]]]     # light to the palette's blue (one hue: reads in grey too)
MAP_HEIGHT = 480
NARROW_CHARS = {"ja": 28, "en": 56}     # a subtitle line of a chart in one of three columns


def share_table(a: Adoption, cells: CellSet) -> Table:
    """Each prefecture's registered workers over the national row's, at the latest month."""
    table = Table("prefecture_shares", Text("都道府県別の登録技能者の構成比", "Registered workers by prefecture: share"),
                  (d.PREFECTURES,), [a.prefectures.keys[0]], [SHARE])
    national = a.prefectures.find(prefecture_code=ALL)
    if national is None or not national.cells["registered_workers"].value:
        return table
    total = national.cells["registered_workers"]
    for row in a.prefectures.rows:
        if row.is_total:
            continue
        count = row.cells["registered_workers"]
        added = table.add_row(cells, dict(row.key), row.label, {"share": count.value / total.value},
                              workers={"share": count.workers}, businesses={"share": count.businesses})
        cells.relate("ratio", added.cells["share"], [count, total])
    return table


def _status(table: Table, measure: str) -> tuple[list, list, list]:
    """(published rows, suppressed codes, codes with no row) of a prefecture table."""
    rows = [r for r in table.rows if not r.is_total and r.key.get("prefecture_code")]
    published = [r for r in rows if not r.cells[measure].suppressed and r.cells[measure].value is not None]
    hidden = [r.key["prefecture_code"] for r in rows if r.cells[measure].suppressed]
    present = {r.key["prefecture_code"] for r in rows}
    absent = [f["id"] for f in geo.prefecture_shapes()["features"] if f["id"] not in present]
    return published, hidden, absent


def _flat(codes: list, colour: str, label: Text, lang: str) -> go.Choropleth:
    """Prefectures filled with one colour, no value (suppressed, or no data)."""
    return go.Choropleth(geojson=geo.prefecture_shapes(), featureidkey="id", locations=codes, z=[0] * len(codes),
                         colorscale=[[0, colour], [1, colour]], showscale=False, marker=dict(line=dict(color="#FFFFFF",
                                                                                                         width=0.6)),
                         customdata=[names.prefecture(c)[lang] for c in codes],
                         hovertemplate=f"%{{customdata}}: {label[lang]}<extra></extra>")


def map_chart(table: Table, measure: str, *, title: Text, subtitle: Text, source: Text, value_text,
              scale_text) -> charts.Chart:
    """A choropleth of ``measure`` by prefecture (published cells only); suppressed prefectures
    grey with an X, prefectures with no row white. ``value_text(value, lang)`` writes a hover's
    figure, ``scale_text`` a tick of the colour bar."""
    published, hidden, absent = _status(table, measure)

    def build(lang: str) -> go.Figure:
        codes = [r.key["prefecture_code"] for r in published]
        values = [r.cells[measure].value for r in published]
        ticks = [v for v in charts.nice_ticks(max(values or [1]), count=4) if v <= max(values or [1])]
        fig = go.Figure(go.Choropleth(
            geojson=geo.prefecture_shapes(), featureidkey="id", locations=codes, z=values, colorscale=SCALE,
            zmin=0, zmax=max(values or [1]), marker=dict(line=dict(color="#FFFFFF", width=0.6)),
            colorbar=dict(thickness=12, len=0.6, x=1.0, tickmode="array", tickvals=ticks,
                          ticktext=[scale_text(v, lang) for v in ticks]),
            customdata=[[r.label[lang], value_text(r.cells[measure].value, lang)] for r in published],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>"))
        if hidden:
            fig.add_trace(_flat(hidden, SUPPRESSED_GREY, Text("秘匿（X）", "suppressed (X)"), lang))
            centres = [geo.centres()[c] for c in hidden if c in geo.centres()]
            fig.add_trace(go.Scattergeo(lon=[c[0] for c in centres], lat=[c[1] for c in centres], mode="text",
                                        text=["X"] * len(centres), textfont=dict(size=11, color="#222222"),
                                        hoverinfo="skip", showlegend=False))
        if absent:
            fig.add_trace(_flat(absent, "#FFFFFF", Text("データなし", "no data"), lang))
            fig.data[-1].marker.line.color = "#BBBBBB"
        fig.update_layout(**charts.layout(lang, title=title, subtitle=subtitle, source=source, height=MAP_HEIGHT))
        fig.update_layout(margin=dict(l=10, r=10, t=100, b=90), showlegend=False,
                          geo=dict(visible=False, fitbounds="locations", projection=dict(type="mercator"),
                                   bgcolor="#FFFFFF"))
        return fig
    return charts.bilingual(build)


def _count_text(value, lang: str) -> str:
    return fmt.jp_number(value, "人") if lang == "ja" else f"{fmt.thousands(value)} workers"


def _share_text(value, lang: str) -> str:
    return fmt.percent(value)


def _share_tick(value, lang: str) -> str:
    """2.5 % stays 2.5 % (rounded to 3 % it would misplace the colour)."""
    return fmt.percent(value, 0 if round(value * 100, 6).is_integer() else 1)


def prefectures_part(a: Adoption, thresholds) -> Part:
    """The section: two maps and the top-10 ranking side by side, every prefecture folded below."""
    topic = TOPICS["prefectures"]
    table = a.prefectures
    if table.empty:
        return Part("prefectures", topic.heading, topic.lead, [table], missing=topic.marts)
    shares = share_table(a, a.cells)
    month = a.data.latest_month()
    when = month_end_text(month)

    def view(depth):
        source = source_note(topic.marts, _as_of_month(month))
        rows = [r for r in table.rows if not r.is_total]
        shown = sorted((r for r in rows if not r.cells["registered_workers"].suppressed),
                       key=lambda r: -r.cells["registered_workers"].value)[:TOP][::-1]
        hidden = table.suppressed_labels("registered_workers")
        grey = Text("灰色のX＝秘匿", "grey X = suppressed")
        # a chart in one of three columns: the as-of date on a line of its own
        short = Text(f"出典（goldマート）: {topic.marts[0]}<br>（{_as_of_month(month).ja}）",
                     f"Source (gold marts): {topic.marts[0]}<br>({_as_of_month(month).en})")
        workers_map = map_chart(table, "registered_workers", title=Text("登録技能者数", "Registered workers"),
                                subtitle=Text(f"{when.ja}・{grey.ja}", f"{when.en}; {grey.en}"), source=short,
                                value_text=_count_text, scale_text=charts.count_text)
        share_map = map_chart(shares, "share", title=Text("全国に占める割合", "Share of national total"),
                              subtitle=Text(f"{when.ja}・{grey.ja}", f"{when.en}; {grey.en}"), source=short,
                              value_text=_share_text, scale_text=_share_tick)
        ranking = charts.ranked_bars(
            [r.key["prefecture_code"] for r in shown], [r.cells["registered_workers"].value for r in shown],
            [r.label for r in shown],
            title=Text(f"上位{TOP}都道府県", f"Top {TOP} prefectures"),
            subtitle=charts.with_suppressed(Text(when.ja, f"At the {when.en}"), hidden,
                                            line_chars=NARROW_CHARS),
            source=short, color=OKABE_ITO["blue"], unit=Text("人", " workers"), margin_left=100)
        # the folded table: largest first, then the suppressed ones by code (ordering them by
        # their hidden values would tell which is larger), the national row last
        order = sorted(rows, key=lambda r: (bool(r.cells["registered_workers"].suppressed),
                                            -(r.cells["registered_workers"].value or 0)
                                            if not r.cells["registered_workers"].suppressed else 0,
                                            names.prefecture_order(r.key["prefecture_code"])))
        order += [r for r in table.rows if r.is_total]
        note = Text("地図: 各都道府県の本土部分の形（japanmap パッケージ）。沖縄県は位置をずらして表示。"
                    f"秘匿（{len(hidden)}）: " + ("、".join(t.ja for t in hidden) or "なし"),
                    "Maps: each prefecture's main land (the japanmap package); Okinawa moved nearer. "
                    f"Suppressed ({len(hidden)}): " + (", ".join(t.en for t in hidden) or "none"))
        return [*render.columns(render.chart("chart-prefecture-map", workers_map, [table], depth),
                                render.chart("chart-prefecture-share-map", share_map, [shares], depth),
                                render.chart("chart-prefectures", ranking, [table], depth)),
                render.Note(note),
                *render.folded(Text(f"すべての都道府県を表示（{len(rows)}）", f"Show all prefectures ({len(rows)})"),
                               render.table_view(table, depth, rows=order),
                               render.table_view(shares, depth)),
                suppression_note(thresholds), source]
    return Part("prefectures", topic.heading, topic.lead, [table, shares], view)


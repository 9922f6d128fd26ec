"""The ministry page's section on wages by level against the guideline (national, suppressed).

From the gold marts:
- wage_level_compliance_national_levels (fiscal_year x level): the headline chart and table —
  median observed annual income, the mean guideline of the surveyed workers, the share below the
  guideline, and the published 2023 level-based income (all fields, middle band) beside them;
- wage_level_compliance_national (fiscal_year x occupation x level): the detail table;
- wage_level_compliance_groups: the two groups the April 2020 letter names (level 3-4 foremen,
  level 2 in their first three years).
Every cell passes dashboards.privacy's primary rule (10 workers, 3 businesses); these cells
have no published totals, so no complementary suppression is needed.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from . import charts, layout
from . import format as fmt
from .i18n import Text
from .io import Location, read_mart
from .privacy import SUPPRESSED, Thresholds, is_small
from .theme import OKABE_ITO

LEVELS_MART = "wage_level_compliance_national_levels"
DETAIL_MART = "wage_level_compliance_national"
GROUPS_MART = "wage_level_compliance_groups"

HEADING = Text("レベル別賃金と目安（全国）", "Wages by level against the guideline (national)")
GROUPS = {"l34_foremen": Text("職長として現場を束ねるレベル3・4の技能者", "Level 3-4 foremen"),
          "l2_first_3_years": Text("経験3年以内のレベル2の技能者", "Level 2 within their first three years")}


def _level(level) -> Text:
    return Text(f"レベル{int(level)}", f"Level {int(level)}")


def _suppressed() -> tuple[str, str]:
    return f'<span class="suppressed" data-suppressed="true">{SUPPRESSED.html()}</span>', "num suppressed"


def _yen(value) -> tuple[Text, str]:
    if value is None or pd.isna(value):
        return Text(fmt.MISSING, fmt.MISSING), "num"
    return Text(fmt.yen(value), fmt.en_yen(value)), "num"


def _share(row) -> tuple[Text, str]:
    """The share with its denominator (the surveyed workers with a guideline)."""
    share = None if pd.isna(row.share_below_guideline) else float(row.share_below_guideline)
    d = int(row.workers_with_guideline)
    return Text(f"{fmt.percent(share)}（{fmt.thousands(d)}人中）", f"{fmt.percent(share)} (of {fmt.thousands(d)})"), "num"


def _load(gold: Location, mart: str, required: tuple[str, ...], as_of: date | None) -> pd.DataFrame | None:
    frame = read_mart(gold, mart, required=required)
    if frame is None:
        return None
    if as_of is not None:
        frame = frame[[date(int(fy), 4, 1) <= as_of for fy in frame["fiscal_year"]]]
    return None if frame.empty else frame.reset_index(drop=True)


_MEASURES = ("fiscal_year", "level", "workers_surveyed", "businesses_surveyed", "median_observed_annual_yen",
             "mean_guideline_annual_yen", "share_below_guideline", "workers_below_guideline",
             "workers_with_guideline")


def _levels_chart(rows: pd.DataFrame, small: list[bool], fiscal_year: int, as_of: date | None) -> charts.Chart:
    def build(lang: str) -> go.Figure:
        x = [int(v) for v in rows["level"]]   # numbers: data may not differ between languages
        money = fmt.yen if lang == "ja" else fmt.en_yen

        def values(column):
            return [None if s or pd.isna(v) else int(v) for v, s in zip(rows[column], small)]

        def hover(series):
            return [[_level(level)[lang], money(v)] for level, v in zip(x, series)]

        observed, guideline = values("median_observed_annual_yen"), values("mean_guideline_annual_yen")
        published = [None if pd.isna(v) else int(v) for v in rows["published_2023_middle_annual_yen"]]
        names = (Text("年収換算の中央値（調査）", "Median annual income (survey)"),
                 Text("目安（設計労務単価×234日×係数）", "Guideline (unit price x 234 x multiplier)"),
                 Text("公表値 2023年（全分野・中位）", "Published 2023 (all fields, middle)"))
        template = "%{customdata[0]}: %{customdata[1]}<extra></extra>"
        fig = go.Figure([
            go.Bar(x=x, y=observed, name=names[0][lang], marker=dict(color=OKABE_ITO["blue"]),
                   customdata=hover(observed), hovertemplate=template),
            go.Bar(x=x, y=guideline, name=names[1][lang], marker=dict(color=OKABE_ITO["vermillion"]),
                   customdata=hover(guideline), hovertemplate=template),
            go.Scatter(x=x, y=published, mode="markers", name=names[2][lang],
                       marker=dict(symbol="diamond", size=12, color=OKABE_ITO["black"]),
                       customdata=hover(published), hovertemplate=template),
        ])
        hidden = [_level(v) for v, s in zip(rows["level"], small) if s]
        subtitle = Text("棒＝モデル値（調査の中央値と目安）、◆＝公表値。年収は時間外手当を除き234日換算",
                        "Bars = modelled (survey median and guideline), diamonds = published. Annual income at "
                        "234 days, overtime excluded")
        if hidden:
            subtitle = Text(subtitle.ja + "。秘匿: " + "、".join(h.ja for h in hidden),
                            subtitle.en + ". Suppressed: " + ", ".join(h.en for h in hidden))
        top = max([v for v in observed + guideline + published if v] or [1])
        fig.update_layout(**charts.layout(
            lang, height=460, title=Text(f"{fiscal_year}年度 レベル別年収と目安", f"FY{fiscal_year}: annual income "
                                         "by level against the guideline"),
            subtitle=subtitle, source=charts.source_line([LEVELS_MART], as_of)))
        ticks = charts.nice_ticks(top * 1.1)
        fig.update_layout(barmode="group", xaxis=dict(tickmode="array", tickvals=x,
                                                      ticktext=[_level(v)[lang] for v in x]), yaxis=dict(
            title=dict(text="円" if lang == "ja" else "yen"), tickmode="array", tickvals=ticks,
            ticktext=[fmt.jp_number(v) if lang == "ja" else fmt.en_number(v, short=True) for v in ticks],
            range=[0, ticks[-1] * 1.04], gridcolor="#DDDDDD"))
        return fig
    return charts.bilingual(build)


def section(gold: Location, as_of: date | None = None, thresholds: Thresholds | None = None) -> str:
    t = thresholds or Thresholds.from_env()
    lead = Text("賃金調査に回答した技能者の年収換算額（(基本給＋手当＋賞与)×234日÷就業日数）を、レベル別の目安"
                "（公共工事設計労務単価×234日×レベル係数: レベル1 0.80、2 0.91、3 1.00、4 1.13）と比べます。"
                "都道府県・職種ごとの目安と比べた結果を全国で集計しています。",
                "Surveyed workers' annual income ((base pay + allowances + bonus) x 234 / days worked) against "
                "the guideline of their level (design labour unit price x 234 days x level multiplier: level 1 "
                "0.80, 2 0.91, 3 1.00, 4 1.13), each worker against their occupation's and prefecture's "
                "guideline, summed nationally.")
    levels = _load(gold, LEVELS_MART, _MEASURES, as_of)
    if levels is None:
        return layout.section("wages-by-level", HEADING, layout.unavailable(LEVELS_MART), lead=lead)
    fiscal_year = int(levels["fiscal_year"].max())
    rows = levels[levels["fiscal_year"] == fiscal_year].sort_values("level").reset_index(drop=True)
    small = [is_small(w, b, t) for w, b in zip(rows["workers_surveyed"], rows["businesses_surveyed"])]
    parts = [layout.chart("chart-wages-by-level", _levels_chart(rows, small, fiscal_year, as_of))]

    headers = [Text("レベル", "Level"), Text("回答者数", "Workers surveyed"), Text("年収換算の中央値", "Median"),
               Text("目安（平均）", "Guideline (mean)"), Text("目安を下回る割合", "Share below guideline"),
               Text("公表値 2023年（全分野・中位）", "Published 2023 (all fields, middle)")]
    body = []
    for row, hide in zip(rows.itertuples(index=False), small):
        cells = [(_level(row.level), "")]
        cells += [_suppressed()] * 4 if hide else [
            (fmt.thousands(row.workers_surveyed), "num"), _yen(row.median_observed_annual_yen),
            _yen(row.mean_guideline_annual_yen), _share(row)]
        cells.append(_yen(row.published_2023_middle_annual_yen))
        body.append(cells)
    parts.append(layout.table(headers, body))
    parts.append(layout.paragraph(Text(f"出典（goldマート）: {LEVELS_MART}（{fiscal_year}年度）",
                                       f"Source (gold marts): {LEVELS_MART} (FY{fiscal_year})"), "source"))

    detail = _load(gold, DETAIL_MART, _MEASURES + ("occupation_code",), as_of)
    parts.append(f"<h3>{Text('職種別', 'By occupation').html()}</h3>")
    if detail is None:
        parts.append(layout.unavailable(DETAIL_MART))
    else:
        parts.append(_detail_table(detail[detail["fiscal_year"] == detail["fiscal_year"].max()], t, DETAIL_MART))

    groups = _load(gold, GROUPS_MART, _MEASURES + ("occupation_code", "group_code"), as_of)
    parts.append(f"<h3>{Text('要請文が挙げる2つの層', 'The two groups named in the April 2020 letter').html()}</h3>")
    if groups is None:
        parts.append(layout.unavailable(GROUPS_MART))
    else:
        parts.append(_detail_table(groups[groups["fiscal_year"] == groups["fiscal_year"].max()], t, GROUPS_MART,
                                   by_group=True))
    parts.append(layout.paragraph(t.note()))
    return layout.section("wages-by-level", HEADING, "\n".join(parts), lead=lead)


def _detail_table(frame: pd.DataFrame, t: Thresholds, mart: str, by_group: bool = False) -> str:
    sort = (["group_code"] if by_group else []) + ["occupation_code", "level"]
    frame = frame.sort_values(sort)
    headers = ([Text("層", "Group")] if by_group else []) + [
        Text("職種", "Occupation"), Text("レベル", "Level"), Text("回答者数", "Workers surveyed"),
        Text("年収換算の中央値", "Median"), Text("目安（平均）", "Guideline (mean)"),
        Text("目安を下回る割合", "Share below guideline")]
    body, omitted = [], 0
    for row in frame.itertuples(index=False):
        if is_small(row.workers_surveyed, row.businesses_surveyed, t):
            omitted += 1   # every value of the row would be suppressed: not listed
            continue
        ja = getattr(row, "occupation_name_ja", None)
        en = getattr(row, "occupation_name_en", None)
        occupation = Text(f"{ja}（{row.occupation_code}）" if isinstance(ja, str) else row.occupation_code,
                          f"{en} ({row.occupation_code})" if isinstance(en, str) else row.occupation_code)
        cells = ([(GROUPS.get(row.group_code, Text(row.group_code, row.group_code)), "")] if by_group else [])
        cells += [(occupation, ""), (_level(row.level), ""), (fmt.thousands(row.workers_surveyed), "num"),
                  _yen(row.median_observed_annual_yen), _yen(row.mean_guideline_annual_yen), _share(row)]
        body.append(cells)
    fiscal_year = int(frame["fiscal_year"].max())
    note = layout.paragraph(Text(
        f"秘匿（回答者{t.min_workers}人未満または事業者{t.min_businesses}社未満）の{omitted}区分は表示していません。",
        f"{omitted} suppressed cells (fewer than {t.min_workers} workers or {t.min_businesses} businesses) are "
        "not listed.")) if omitted else ""
    return (layout.table(headers, body) if body else "") + note + layout.paragraph(
        Text(f"出典（goldマート）: {mart}（{fiscal_year}年度）", f"Source (gold marts): {mart} (FY{fiscal_year})"),
        "source")

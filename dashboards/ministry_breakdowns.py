"""The ministry page's breakdowns of adoption: prefectures, occupations, levels, input methods.

From the gold marts:
- adoption_monthly (month x prefecture x occupation): registered workers ranked by prefecture
  and by occupation in the latest month, with new and active workers in a sortable table;
- level_eligibility_by_business (business x occupation x current level x eligible level): the
  level distribution of registered workers, nationally;
- adoption_input_method_monthly (month x input method), when the mart exists: the input-method mix.

Suppression (dashboards.privacy): each column of a breakdown is a count of distinct workers
whose national total is published, so a cell under the worker threshold is suppressed and then
complemented so that it cannot be recovered from the total. adoption_monthly carries no count
of distinct businesses, so only the worker rule can be applied to the prefecture and occupation
breakdowns (the level distribution applies both, from its business rows).
Suppressed prefectures and occupations are listed (as 秘匿) below the ranked bars, never drawn.
"""

from __future__ import annotations

import html
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from . import charts, layout, names
from . import format as fmt
from .i18n import Text
from .io import Location, read_mart
from .privacy import SUPPRESSED, CountTable, Suppression, Thresholds, count_table, is_small, suppress_table
from .theme import OKABE_ITO

MONTHLY = "adoption_monthly"
LEVELS_MART = "level_eligibility_by_business"
INPUT_METHODS = "adoption_input_method_monthly"
LEVELS = (1, 2, 3, 4)
NO_BUSINESS_COUNT = 10 ** 9   # adoption_monthly has no distinct businesses: the business rule cannot bind

MEASURES = (("registered_workers", Text("登録技能者数", "Registered workers")),
            ("new_workers", Text("当月の新規登録", "New in the month")),
            ("active_workers", Text("就業実績あり（30日）", "Active (30 days)")))

INPUT_METHOD_LABELS = {
    "card_reader": Text("カードリーダー", "Card reader"), "face_recognition": Text("顔認証", "Face recognition"),
    "smartphone_app": Text("スマートフォンアプリ", "Smartphone app"),
    "worker_direct": Text("技能者直接入力", "Direct entry (worker)"),
    "employer_proxy": Text("事業者代行入力", "Proxy entry (business)"), "api": Text("API連携", "API"),
}
INPUT_METHOD_COLORS = [OKABE_ITO[k] for k in ("blue", "sky_blue", "bluish_green", "orange", "vermillion",
                                              "reddish_purple")]


def _source(mart: str, when: Text | None) -> Text:
    if when is None:
        return Text(f"出典（goldマート）: {mart}", f"Source (gold marts): {mart}")
    return Text(f"出典（goldマート）: {mart}（{when.ja}時点）", f"Source (gold marts): {mart} (as of {when.en})")


def _month_end_text(month: date) -> Text:
    return Text(f"{fmt.jp_month(month)}末", f"end of {fmt.en_month(month)}")


def _suppressed_cell() -> tuple[str, str]:
    return f'<span class="suppressed" data-suppressed="true">{SUPPRESSED.html()}</span>', "num suppressed"


LINE_CHARS = {"ja": 95, "en": 190}   # what fits on a subtitle line of a 1200-px chart (12-px font)


def _with_suppressed(subtitle: Text, hidden: list[Text]) -> Text:
    """The subtitle plus what is suppressed, cut to one line (a long list ran off the chart's
    width; the table below lists every row)."""
    def line(lang: str) -> str:
        head = (f"{subtitle.ja}。秘匿（{len(hidden)}）: " if lang == "ja"
                else f"{subtitle.en}. Suppressed ({len(hidden)}): ")
        separator = "、" if lang == "ja" else ", "
        names = []
        for name in (t[lang] for t in hidden):
            if names and len(head + separator.join(names + [name])) > LINE_CHARS[lang]:
                break
            names.append(name)
        rest = len(hidden) - len(names)
        more = "" if rest == 0 else (f" ほか{rest}（表を参照）" if lang == "ja" else f" and {rest} more (see the table)")
        return head + separator.join(names) + more

    return Text(line("ja"), line("en"))


def _key(code) -> str:
    return "" if code is None or (isinstance(code, float) and pd.isna(code)) else str(code)


# ---------------------------------------------------------------- prefectures and occupations

def _latest_month(gold: Location, as_of: date | None) -> tuple[pd.DataFrame, date] | None:
    frame = read_mart(gold, MONTHLY, required=("month", "prefecture_code", "occupation_code")
                      + tuple(m for m, _ in MEASURES), date_columns=("month",))
    if frame is None:
        return None
    if as_of is not None:
        frame = frame[[m is not None and m <= as_of.replace(day=1) for m in frame["month"]]]
    if frame.empty:
        return None
    last = max(frame["month"])
    return frame[frame["month"] == last].reset_index(drop=True), last


def breakdown_table(frame: pd.DataFrame, by: str) -> CountTable:
    """Rows = the codes of ``by`` (unknown as ''), columns = the MEASURES, national totals published."""
    grouped = frame.assign(key=[_key(c) for c in frame[by]]).groupby("key")[[m for m, _ in MEASURES]].sum()
    rows = list(grouped.index)
    values = {(r, m): int(grouped.loc[r, m]) for r in rows for m, _ in MEASURES}
    return CountTable(rows=rows, cols=[m for m, _ in MEASURES], values=values, workers=dict(values),
                      businesses={k: NO_BUSINESS_COUNT for k in values},
                      col_totals={m: (int(grouped[m].sum()), int(grouped[m].sum()), NO_BUSINESS_COUNT)
                                  for m, _ in MEASURES})


def _ranked_chart(table: CountTable, supp: Suppression, label, *, title: Text, subtitle: Text,
                  source: Text, color: str) -> charts.Chart:
    measure = "registered_workers"
    shown = sorted((r for r in table.rows if not supp.cell(r, measure)),
                   key=lambda r: (table.values[(r, measure)], r))            # ascending: the largest on top
    hidden = [r for r in table.rows if supp.cell(r, measure)]

    def build(lang: str) -> go.Figure:
        values = [table.values[(r, measure)] for r in shown]
        unit = Text("人", " workers")
        text = [fmt.jp_number(v) if lang == "ja" else fmt.en_number(v, short=True) for v in values]
        fig = go.Figure(go.Bar(
            x=values, y=[r or "?" for r in shown], orientation="h", marker=dict(color=color),
            text=text, textposition="outside", cliponaxis=False,
            customdata=[[label(r)[lang], fmt.thousands(v)] for r, v in zip(shown, values)],
            hovertemplate=f"%{{customdata[0]}}: %{{customdata[1]}}{unit[lang]}<extra></extra>"))
        note = subtitle
        if hidden:
            note = _with_suppressed(subtitle, [label(r) for r in hidden])
        height = 180 + 22 * max(len(shown), 3)
        fig.update_layout(**charts.layout(lang, title=title, subtitle=note, source=source, height=height))
        top = max(values or [1])
        ticks = charts.nice_ticks(top * 1.12)
        fig.update_layout(
            # no legend: less room above; no x-axis title (the chart title names the measure, the
            # ticks its unit), so the source line below the axis has the bottom margin to itself
            showlegend=False, bargap=0.25, margin=dict(l=190, r=40, t=100, b=80),
            xaxis=dict(tickmode="array", tickvals=ticks, range=[0, ticks[-1] * 1.02], gridcolor="#DDDDDD",
                       ticktext=[fmt.jp_number(v) if lang == "ja" else fmt.en_number(v, short=True) for v in ticks]),
            yaxis=dict(type="category", tickmode="array", tickvals=[r or "?" for r in shown],
                       ticktext=[label(r)[lang] for r in shown], automargin=True))
        return fig
    return charts.bilingual(build)


def _breakdown_rows(table: CountTable, supp: Suppression, label) -> list:
    rows = []
    # shown rows largest first, then the suppressed ones by code: ordering them by their hidden
    # values would tell which is larger
    order = sorted(table.rows, key=lambda r: (True, 0, r) if supp.cell(r, "registered_workers")
                   else (False, -table.values[(r, "registered_workers")], r))
    for r in order:
        cells = [(label(r), "")]
        for m, _ in MEASURES:
            cells.append(_suppressed_cell() if supp.cell(r, m) else (html.escape(fmt.thousands(table.values[(r, m)])), "num"))
        registered, active = table.values[(r, "registered_workers")], table.values[(r, "active_workers")]
        if supp.cell(r, "registered_workers") or supp.cell(r, "active_workers"):
            cells.append(_suppressed_cell())
        else:
            cells.append((fmt.percent(active / registered) if registered else fmt.MISSING, "num"))
        rows.append(cells)
    # the national row; a total is suppressed too when it would give a lone suppressed row away
    totals = table.col_totals
    share = totals["active_workers"][0] / totals["registered_workers"][0] if totals["registered_workers"][0] else None
    national = [_suppressed_cell() if supp.col_total(m) else (fmt.thousands(totals[m][0]), "num") for m, _ in MEASURES]
    hidden_share = supp.col_total("registered_workers") or supp.col_total("active_workers")
    rows.append([(Text("全国", "National"), "")] + national
                + [_suppressed_cell() if hidden_share else (fmt.percent(share), "num")])
    return rows


def _breakdown_section(section_id: str, heading: Text, by: str, label, corner: Text, lead: Text,
                       title: Text, color: str, latest, t: Thresholds) -> str:
    if latest is None:
        return layout.section(section_id, heading, layout.unavailable(MONTHLY))
    frame, month = latest
    table = breakdown_table(frame, by)
    supp = suppress_table(table, t)
    when = _month_end_text(month)
    source = _source(MONTHLY, when)
    chart = _ranked_chart(table, supp, label, title=title, source=source, color=color, subtitle=Text(
        f"{when.ja}の累計登録技能者数（脱退を除く）。多い順", f"Registered workers at the {when.en}, cumulative, "
        "net of withdrawals; largest first"))
    headers = [corner] + [name for _, name in MEASURES] + [Text("就業実績ありの割合", "Active share")]
    note = Text(t.note().ja + "adoption_monthly には事業者数がないため、技能者数の基準だけを適用しています。",
                t.note().en + " adoption_monthly has no business counts, so only the worker rule applies.")
    return layout.section(section_id, heading, "\n".join([
        layout.chart(f"chart-{section_id}", chart),
        layout.table(headers, _breakdown_rows(table, supp, label)),
        layout.paragraph(note), layout.paragraph(source, "source")]), lead=lead)


def prefecture_section(latest, t: Thresholds) -> str:
    return _breakdown_section(
        "prefectures", Text("都道府県別の登録技能者数", "Registered workers by prefecture"), "prefecture_code",
        names.prefecture, Text("都道府県（所属事業者）", "Prefecture (of the employer)"),
        Text("所属事業者の都道府県別。表の見出しをクリックすると並べ替えられます。",
             "By the prefecture of the worker's employer. Click a column heading to sort the table."),
        Text("都道府県別 登録技能者数", "Registered workers by prefecture"), OKABE_ITO["blue"], latest, t)


def occupation_section(latest, t: Thresholds) -> str:
    return _breakdown_section(
        "occupations", Text("職種別の登録技能者数", "Registered workers by occupation"), "occupation_code",
        names.occupation, Text("職種", "Occupation"),
        Text("登録簿の職種別。表の見出しをクリックすると並べ替えられます。",
             "By the worker's registry occupation. Click a column heading to sort the table."),
        Text("職種別 登録技能者数", "Registered workers by occupation"), OKABE_ITO["bluish_green"], latest, t)


# ---------------------------------------------------------------- level distribution

LEVEL_COLORS = {1: "#BBBBBB", 2: OKABE_ITO["sky_blue"], 3: "#7F7F7F", 4: OKABE_ITO["orange"]}


def _level(level) -> Text:
    return Text(f"レベル{int(level)}", f"Level {int(level)}")


def level_section(gold: Location, as_of: date | None, t: Thresholds) -> str:
    heading = Text("レベル別の登録技能者数（全国）", "Registered workers by level (national)")
    frame = read_mart(gold, LEVELS_MART, required=("business_id", "occupation_code", "current_level",
                                                   "eligible_level", "workers"))
    if frame is None or frame.empty:
        return layout.section("levels", heading, layout.unavailable(LEVELS_MART))
    national = frame.assign(nation="all")
    current = count_table(national, row="nation", col="current_level", value="workers", cols=LEVELS)
    eligible = count_table(national, row="nation", col="eligible_level", value="workers", cols=LEVELS)
    supp_current, supp_eligible = suppress_table(current, t), suppress_table(eligible, t)
    when = None if as_of is None else Text(fmt.jp_date(as_of), fmt.en_date(as_of))
    source = _source(LEVELS_MART, when)

    def values(table: CountTable, supp: Suppression) -> list:
        return [None if supp.cell("all", c) else table.values.get(("all", c), 0) for c in LEVELS]

    shown_current, shown_eligible = values(current, supp_current), values(eligible, supp_eligible)

    def build(lang: str) -> go.Figure:
        names_ = (Text("現在のレベル", "Current level"), Text("基準を満たすレベル", "Level whose criteria are met"))
        fig = go.Figure()
        for name, ys, color, pattern in ((names_[0], shown_current, OKABE_ITO["blue"], ""),
                                         (names_[1], shown_eligible, OKABE_ITO["orange"], "/")):
            fig.add_trace(go.Bar(
                x=list(LEVELS), y=ys, name=name[lang], marker=dict(color=color, pattern=dict(shape=pattern)),
                text=[SUPPRESSED[lang] if v is None else (fmt.jp_number(v) if lang == "ja" else fmt.en_number(v, short=True))
                      for v in ys], textposition="outside", cliponaxis=False,
                customdata=[_level(c)[lang] for c in LEVELS],
                hovertemplate=f"{name[lang]} %{{customdata}}: %{{y:,}}<extra></extra>"))
        subtitle = Text("登録簿の現在のレベルと、就業日数・職長日数・資格から基準を満たす最高レベル",
                        "Current registry level, and the highest level whose criteria (work days, foreman "
                        "days, qualifications) the worker meets")
        # a suppressed bar is not drawn (its text would not show either): the subtitle says so
        hidden = [Text(f"{names_[i].ja} {_level(c).ja}", f"{names_[i].en} {_level(c).en}")
                  for i, ys in enumerate((shown_current, shown_eligible)) for c, v in zip(LEVELS, ys) if v is None]
        if hidden:
            subtitle = _with_suppressed(subtitle, hidden)
        fig.update_layout(**charts.layout(
            lang, height=440, title=Text("レベル別の登録技能者数（全国）", "Registered workers by level (national)"),
            subtitle=subtitle, source=source))
        top = max([v for v in shown_current + shown_eligible if v] or [1])
        fig.update_layout(barmode="group", xaxis=dict(tickmode="array", tickvals=list(LEVELS),
                                                      ticktext=[_level(c)[lang] for c in LEVELS]),
                          yaxis=charts.count_axis(top * 1.15, lang, "人数" if lang == "ja" else "Workers"))
        return fig

    total = current.row_totals["all"][0]
    rows = []
    for c, v_cur, v_eli in zip(LEVELS, shown_current, shown_eligible):
        rows.append([(_level(c), "")]
                    + [(fmt.thousands(v), "num") if v is not None else _suppressed_cell() for v in (v_cur, v_eli)]
                    + [(fmt.percent(v_cur / total) if v_cur is not None and total else fmt.MISSING, "num")])
    rows.append([(Text("合計", "Total"), ""), (fmt.thousands(total), "num"), (fmt.thousands(total), "num"),
                 ("100.0%", "num")])
    table = layout.table([Text("レベル", "Level"), Text("現在のレベル（人）", "Current level (workers)"),
                          Text("基準を満たすレベル（人）", "Criteria met (workers)"),
                          Text("現在のレベルの構成比", "Share by current level")], rows)
    return layout.section("levels", heading, "\n".join([
        layout.chart("chart-levels", charts.bilingual(build)), table, layout.paragraph(t.note()),
        layout.paragraph(source, "source")]),
        lead=Text("登録簿の最新の状態による技能者のレベル（能力評価）の分布。",
                  "Skill levels (能力評価) of registered workers, from the latest registry state."))


# ---------------------------------------------------------------- input methods

def input_method_shares(frame: pd.DataFrame, t: Thresholds) -> tuple[pd.DataFrame, set]:
    """Work-history days per month (rows) and method (columns), and the (month, method) cells
    not shown: fewer than t.min_workers workers or t.min_businesses businesses behind them, and,
    because a month's shares add up to 1, the smallest other cell of a month with one such cell
    (else 1 - the others would give it away). Frames without the counts (older gold) hide nothing."""
    monthly = frame.groupby(["month", "input_method"])["work_history_days"].sum().unstack(fill_value=0).sort_index()
    if not {"workers", "businesses"} <= set(frame.columns):
        return monthly, set()
    small = {(r.month, r.input_method) for r in frame.itertuples()
             if is_small(r.workers, r.businesses, t)}
    hidden = set(small)
    for month in monthly.index:
        present = [m for m in monthly.columns if monthly.at[month, m] > 0]
        lone = [m for m in present if (month, m) in small]
        if len(lone) == 1:
            others = sorted((monthly.at[month, m], str(m)) for m in present if (month, m) not in small)
            if others:
                hidden.add((month, others[0][1]))
    return monthly, hidden


def input_method_section(gold: Location, as_of: date | None, thresholds: Thresholds | None = None) -> str:
    heading = Text("就業履歴の入力方法", "How work history is entered")
    frame = read_mart(gold, INPUT_METHODS, required=("month", "input_method", "work_history_days"),
                      date_columns=("month",))
    if frame is not None and as_of is not None:
        frame = frame[[m is not None and m <= as_of for m in frame["month"]]]
    if frame is None or frame.empty:
        return layout.section("input-methods", heading, layout.unavailable(INPUT_METHODS) + layout.paragraph(Text(
            "入力方法別の集計（カードリーダー・顔認証・スマートフォンアプリ・直接入力）は、goldマート "
            f"{INPUT_METHODS} が公開された時点で表示されます。",
            "The input-method mix (card reader, face recognition, smartphone app, direct entry) appears here "
            f"once the gold mart {INPUT_METHODS} exists.")))
    monthly, hidden = input_method_shares(frame, thresholds or Thresholds.from_env())
    last = monthly.index[-1]
    source = _source(INPUT_METHODS, _month_end_text(last))

    subtitle = Text("各月の就業履歴日数に占める入力方法の割合", "Share of each month's work-history days by input method")
    if hidden:   # a hidden cell is not drawn: the subtitle names it
        subtitle = _with_suppressed(subtitle, [
            Text(f"{m:%Y-%m} {INPUT_METHOD_LABELS.get(k, Text(k, k)).ja}",
                 f"{m:%Y-%m} {INPUT_METHOD_LABELS.get(k, Text(k, k)).en}") for m, k in sorted(hidden)])

    def build(lang: str) -> go.Figure:
        fig = go.Figure()
        totals = monthly.sum(axis=1)
        for i, method in enumerate(monthly.columns):
            label = INPUT_METHOD_LABELS.get(method, Text(str(method), str(method)))
            share = [None if (m, method) in hidden or not t else v / t
                     for m, v, t in zip(monthly.index, monthly[method], totals)]
            fig.add_trace(go.Bar(x=list(monthly.index), y=share, name=label[lang], xperiod="M1",
                                 xperiodalignment="middle",
                                 marker=dict(color=INPUT_METHOD_COLORS[i % len(INPUT_METHOD_COLORS)]),
                                 customdata=[None if (m, method) in hidden else int(v)
                                             for m, v in zip(monthly.index, monthly[method])],
                                 hovertemplate=f"{label[lang]} %{{x|%Y-%m}}: %{{y:.1%}} (%{{customdata:,}})<extra></extra>"))
        fig.update_layout(**charts.layout(
            lang, height=440, title=Text("入力方法別の就業履歴（全国・月別の割合）",
                                         "Work history by input method (national, monthly share)"),
            subtitle=subtitle,
            source=source))
        fig.update_layout(barmode="stack", xaxis=charts.month_axis(lang, list(monthly.index)),
                          yaxis=dict(range=[0, 1.02], tickformat=".0%", gridcolor="#DDDDDD",
                                     title=dict(text="割合" if lang == "ja" else "Share")))
        return fig

    return layout.section("input-methods", heading, layout.chart("chart-input-methods", charts.bilingual(build)))


def sections(gold: Location, as_of: date | None, thresholds: Thresholds | None = None) -> list[str]:
    t = thresholds or Thresholds.from_env()
    latest = _latest_month(gold, as_of)
    return [prefecture_section(latest, t), occupation_section(latest, t), level_section(gold, as_of, t),
            input_method_section(gold, as_of, t)]

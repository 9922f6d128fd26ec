"""The ministry's page: national adoption against the targets, then breakdowns and compliance.

Registered workers and businesses over time (modelled, from adoption_national) with the
published figures (published_adoption) beside them, each target (target_progress) at its
deadline and the projection of when it is reached; a table of target progress; work-history
days per month; then the suppressed breakdowns (ministry_breakdowns: prefectures, occupations,
levels, input methods), wages (ministry_wages) and compliance (ministry_compliance).
"""

from __future__ import annotations

import calendar
import html
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlparse

import pandas as pd
import plotly.graph_objects as go

from . import charts, layout, ministry_breakdowns, ministry_compliance, ministry_wages
from . import format as fmt
from .i18n import Text
from .io import Location, read_mart
from .theme import OKABE_ITO

NATIONAL = "adoption_national"
TARGETS = "target_progress"
PUBLISHED = "published_adoption"

TITLE = Text("CCUS 普及状況（全国）— 国土交通省向け", "CCUS adoption (national) — for MLIT")

METRICS = {
    "registered_workers": (Text("登録技能者数", "Registered workers"), Text("人", " workers")),
    "registered_businesses": (Text("登録事業者数", "Registered businesses"), Text("社", " businesses")),
    "work_records_in_fiscal_year": (Text("年度内の就業履歴蓄積件数", "Work records in the fiscal year"),
                                    Text("件", " records")),
}


@dataclass(frozen=True)
class MinistryData:
    national: pd.DataFrame | None    # one row per month, with month_end added
    targets: pd.DataFrame | None     # the latest row of each target
    published: pd.DataFrame | None   # published figures, one row per as_of
    as_of: date | None               # the page's as-of date

    def national_as_of(self) -> date | None:
        return None if self.national is None else max(self.national["month_end"])

    def targets_as_of(self) -> date | None:
        return None if self.targets is None else max(self.targets["as_of"])

    def published_as_of(self) -> date | None:
        return None if self.published is None else max(self.published["as_of"])


def month_end(month: date) -> date:
    return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def _nonempty(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    return None if frame is None or frame.empty else frame.reset_index(drop=True)


def load(gold: Location, as_of: date | None = None) -> MinistryData:
    """Read the marts this page uses; rows after ``as_of`` (when given) are left out."""
    national = read_mart(gold, NATIONAL, required=("month", "registered_workers", "registered_businesses",
                                                   "registered_businesses_excl_sole", "work_history_days"),
                         date_columns=("month",))
    if national is not None:
        national["month_end"] = [month_end(m) for m in national["month"]]
        if as_of is not None:
            national = national[national["month_end"] <= as_of]
        national = _nonempty(national.sort_values("month"))

    targets = read_mart(gold, TARGETS, required=("target_id", "metric", "as_of", "value", "target_value",
                                                 "deadline", "share", "projected_date"),
                        date_columns=("as_of", "deadline", "projected_date"))
    if targets is not None:
        if as_of is not None:
            targets = targets[targets["as_of"] <= as_of]
        if not targets.empty:  # the latest snapshot of each target
            latest = targets.groupby("target_id")["as_of"].transform("max")
            targets = targets[targets["as_of"] == latest].sort_values(["deadline", "metric", "target_id"])
        targets = _nonempty(targets)

    published = read_mart(gold, PUBLISHED, required=("as_of", "registered_workers", "registered_businesses",
                                                     "businesses_basis", "source_url"),
                          date_columns=("as_of",))
    if published is not None:
        if as_of is not None:
            published = published[published["as_of"] <= as_of]
        published = _nonempty(published.sort_values("as_of"))

    data = MinistryData(national, targets, published, as_of)
    if as_of is None:
        known = [d for d in (data.national_as_of(), data.targets_as_of()) if d is not None]
        data = MinistryData(national, targets, published, max(known) if known else None)
    return data


# ---------------------------------------------------------------- labels of dates and sources

def _when(day: date, month_end_basis: bool) -> Text:
    if month_end_basis:
        return Text(f"{fmt.jp_month(day)}末", f"end of {fmt.en_month(day)}")
    return Text(fmt.jp_date(day), fmt.en_date(day))


def _source(parts: list[tuple[str, date | None, bool]]) -> Text:
    """'Source (gold marts): mart (as of …) / …' — every chart names its marts and dates."""
    ja, en = [], []
    for mart, day, month_basis in parts:
        if day is None:
            continue
        when = _when(day, month_basis)
        ja.append(f"{mart}（{when.ja}時点）")
        en.append(f"{mart} (as of {when.en})")
    return Text("出典（goldマート）: " + "／".join(ja), "Source (gold marts): " + " / ".join(en))


def _count(value, unit: Text, lang: str) -> str:
    """Hover text of a count: 174.9万人（1,749,139人） / 1.75M workers (1,749,139)."""
    if lang == "ja":
        return f"{fmt.jp_number(value, unit.ja)}（{fmt.thousands(value)}{unit.ja}）"
    return f"{fmt.en_number(value)}{unit.en} ({fmt.thousands(value)})"


def _domain(url) -> str:
    """Where a published figure was read (the site's host name), for the hover text."""
    if url is None or pd.isna(url) or not str(url):
        return fmt.MISSING
    return urlparse(str(url)).netloc or str(url)


# ---------------------------------------------------------------- adoption charts

@dataclass(frozen=True)
class Series:
    column: str
    name: Text
    color: str
    dash: str = "solid"


@dataclass(frozen=True)
class PublishedSeries:
    column: str
    basis: str | None          # businesses_basis to keep, None for all rows
    name: Text
    color: str
    symbol: str


def _adoption_figure(data: MinistryData, lang: str, *, metric: str, title: Text, subtitle: Text,
                     modelled: list[Series], published: list[PublishedSeries]) -> go.Figure:
    label, unit = METRICS[metric]
    fig = go.Figure()
    tops, starts = [], []
    sources = []

    if data.national is not None:
        sources.append((NATIONAL, data.national_as_of(), True))
        x = list(data.national["month_end"])
        starts.append(x[0])
        for series in modelled:
            y = [int(v) for v in data.national[series.column]]
            tops.append(max(y))
            fig.add_trace(go.Scatter(
                x=x, y=y, mode="lines", name=series.name[lang],
                line=dict(color=series.color, width=2.5, dash=series.dash),
                customdata=[_count(v, unit, lang) for v in y],
                hovertemplate=(f"{series.name[lang]}<br>%{{x|%Y-%m-%d}}: %{{customdata}}<extra></extra>")))

    if data.published is not None:
        sources.append((PUBLISHED, data.published_as_of(), False))
        for series in published:
            rows = data.published if series.basis is None else \
                data.published[data.published["businesses_basis"] == series.basis]
            rows = rows[rows[series.column].notna()]
            if rows.empty:
                continue
            y = [int(v) for v in rows[series.column]]
            tops.append(max(y))
            starts.append(min(rows["as_of"]))
            via = "出典" if lang == "ja" else "reported by"
            fig.add_trace(go.Scatter(
                x=list(rows["as_of"]), y=y, mode="markers", name=series.name[lang],
                marker=dict(color=series.color, symbol=series.symbol, size=9,
                            line=dict(width=1.5, color=series.color)),
                customdata=[[_count(v, unit, lang), _domain(u)] for v, u in zip(y, rows["source_url"])],
                hovertemplate=(f"{series.name[lang]}<br>%{{x|%Y-%m-%d}}: %{{customdata[0]}}"
                               f"<br>{via}: %{{customdata[1]}}<extra></extra>")))

    goals = None if data.targets is None else data.targets[data.targets["metric"] == metric]
    shapes = []
    if goals is not None and not goals.empty:
        sources.append((TARGETS, data.targets_as_of(), False))
        y = [int(v) for v in goals["target_value"]]
        tops.append(max(y))
        x0 = min(starts) if starts else min(goals["deadline"])
        for deadline, value in zip(goals["deadline"], y):
            shapes.append(dict(type="line", xref="x", yref="y", x0=x0, x1=deadline, y0=value, y1=value,
                               line=dict(color=OKABE_ITO["black"], width=1, dash="dot"), opacity=0.45))
        name = Text("目標（期限時点の値）", "Target (value due by the deadline)")[lang]
        if lang == "ja":
            text = [fmt.jp_number(v) for v in y]
            detail = [[tid, _count(v, unit, lang), fmt.jp_date(d), fmt.percent(s), fmt.jp_month(p)]
                      for tid, v, d, s, p in zip(goals["target_id"], y, goals["deadline"], goals["share"],
                                                 goals["projected_date"])]
            template = ("目標 %{customdata[0]}<br>%{customdata[2]}までに %{customdata[1]}"
                        "<br>達成率 %{customdata[3]}・到達見込み %{customdata[4]}<extra></extra>")
        else:
            text = [fmt.en_number(v, short=True) for v in y]
            detail = [[tid, _count(v, unit, lang), fmt.en_date(d), fmt.percent(s), fmt.en_month(p)]
                      for tid, v, d, s, p in zip(goals["target_id"], y, goals["deadline"], goals["share"],
                                                 goals["projected_date"])]
            template = ("Target %{customdata[0]}<br>%{customdata[1]} by %{customdata[2]}"
                        "<br>share reached %{customdata[3]}, projected %{customdata[4]}<extra></extra>")
        fig.add_trace(go.Scatter(
            x=list(goals["deadline"]), y=y, mode="markers+text", name=name, text=text,
            textposition="top center", textfont=dict(size=11, color=OKABE_ITO["black"]),
            marker=dict(symbol="diamond", size=11, color=OKABE_ITO["orange"],
                        line=dict(width=1.5, color=OKABE_ITO["black"])),
            customdata=detail, hovertemplate=template))
        _add_projection(fig, data, goals, metric, lang)

    fig.update_layout(**charts.layout(lang, title=title, subtitle=subtitle, source=_source(sources)))
    fig.update_layout(shapes=shapes, xaxis=charts.date_axis(lang),
                      yaxis=charts.count_axis(max(tops) * 1.08 if tops else 1,
                                              lang, f"{label[lang]}（{unit.ja}）" if lang == "ja"
                                              else f"{label.en} (count)"))
    return fig


PROJECTION_YEARS_PAST_DEADLINES = 5


def projection_horizon(deadlines) -> date:
    """The last date a projection is drawn: five years after the latest deadline."""
    last = max(deadlines)
    return date(last.year + PROJECTION_YEARS_PAST_DEADLINES, last.month, min(last.day, 28))


def _add_projection(fig: go.Figure, data: MinistryData, goals: pd.DataFrame, metric: str, lang: str) -> None:
    """A dashed line from the latest modelled value through each open target at the date
    target_progress projects it is reached (trailing 12-month pace): when each target is met."""
    open_goals = goals[[p is not None and not (s is not None and s >= 1)
                        for p, s in zip(goals["projected_date"], goals["share"])]]
    if open_goals.empty or data.national is None or metric not in data.national.columns:
        return
    points = sorted(zip(open_goals["projected_date"], open_goals["target_value"], open_goals["target_id"],
                        open_goals["deadline"]))
    # A projection far past every deadline (a small simulation against national targets reaches
    # them centuries later) would stretch the time axis until the series is a vertical line: the
    # chart draws the points up to the horizon, the target table gives every projected date.
    horizon = projection_horizon(goals["deadline"])
    points = [pt for pt in points if pt[0] <= horizon]
    if not points:
        return
    start = (data.national_as_of(), int(data.national[metric].iloc[-1]))
    unit = METRICS[metric][1]
    name = Text("到達見込み（直近12か月のペース）", "Projected (trailing 12-month pace)")[lang]
    if lang == "ja":
        detail = [["最新のモデル値", _count(start[1], unit, lang), fmt.jp_month(start[0])]] + [
            [f"目標 {tid}（期限 {fmt.jp_date(d)}）", _count(v, unit, lang), fmt.jp_month(p)] for p, v, tid, d in points]
        template = "%{customdata[0]}<br>%{customdata[1]}：%{customdata[2]}<extra></extra>"
    else:
        detail = [["Latest modelled value", _count(start[1], unit, lang), fmt.en_month(start[0])]] + [
            [f"Target {tid} (due {fmt.en_date(d)})", _count(v, unit, lang), fmt.en_month(p)] for p, v, tid, d in points]
        template = "%{customdata[0]}<br>%{customdata[1]} in %{customdata[2]}<extra></extra>"
    fig.add_trace(go.Scatter(
        x=[start[0]] + [p for p, _, _, _ in points], y=[start[1]] + [int(v) for _, v, _, _ in points],
        mode="lines+markers", name=name, customdata=detail, hovertemplate=template,
        line=dict(color=OKABE_ITO["reddish_purple"], width=2, dash="dash"),
        marker=dict(symbol=["circle"] + ["diamond-open"] * len(points), size=[6] + [13] * len(points),
                    color=OKABE_ITO["reddish_purple"], line=dict(width=2, color=OKABE_ITO["reddish_purple"]))))


def _workers_chart(data: MinistryData) -> charts.Chart:
    return charts.bilingual(lambda lang: _adoption_figure(
        data, lang, metric="registered_workers",
        title=Text("登録技能者数の推移（全国）", "Registered workers over time (national)"),
        subtitle=Text("各月末の累計登録技能者数（脱退を除く）。線＝モデル値、●＝公表値、◆＝目標（期限時点）、破線◇＝到達見込み",
                      "Registered workers at each month end, cumulative, net of withdrawals. "
                      "Line = modelled, dots = published, diamonds = targets at their deadline, dashed = projected"),
        modelled=[Series("registered_workers", Text("モデル値", "Modelled"), OKABE_ITO["blue"])],
        published=[PublishedSeries("registered_workers", None, Text("公表値", "Published"),
                                   OKABE_ITO["vermillion"], "circle")]))


def _businesses_chart(data: MinistryData) -> charts.Chart:
    return charts.bilingual(lambda lang: _adoption_figure(
        data, lang, metric="registered_businesses",
        title=Text("登録事業者数の推移（全国）", "Registered businesses over time (national)"),
        subtitle=Text("各月末の累計登録事業者数（一人親方を含む／除く）。線＝モデル値、●○＝公表値、◆＝目標、破線◇＝到達見込み",
                      "Registered businesses at each month end, with and without sole proprietors. "
                      "Lines = modelled, dots = published, diamonds = targets, dashed = projected"),
        modelled=[
            Series("registered_businesses", Text("モデル値（一人親方を含む）", "Modelled (incl. sole proprietors)"),
                   OKABE_ITO["blue"]),
            Series("registered_businesses_excl_sole", Text("モデル値（一人親方を除く）",
                                                           "Modelled (excl. sole proprietors)"),
                   OKABE_ITO["bluish_green"], "dash"),
        ],
        published=[
            PublishedSeries("registered_businesses", "incl_sole_proprietors",
                            Text("公表値（一人親方を含む）", "Published (incl. sole proprietors)"),
                            OKABE_ITO["vermillion"], "circle"),
            PublishedSeries("registered_businesses", "excl_sole_proprietors",
                            Text("公表値（一人親方を除く）", "Published (excl. sole proprietors)"),
                            OKABE_ITO["vermillion"], "circle-open"),
        ]))


def _work_history_chart(data: MinistryData) -> charts.Chart:
    def build(lang: str) -> go.Figure:
        months = list(data.national["month"])
        days = [int(v) for v in data.national["work_history_days"]]
        unit = Text("人日", " worker-days")
        name = Text("就業履歴日数", "Work-history days")[lang]
        fig = go.Figure(go.Bar(
            x=months, y=days, name=name, marker=dict(color=OKABE_ITO["bluish_green"]),
            xperiod="M1", xperiodalignment="middle",
            customdata=[_count(v, unit, lang) for v in days],
            hovertemplate=f"{name}<br>%{{x|%Y-%m}}: %{{customdata}}<extra></extra>"))
        fig.update_layout(**charts.layout(
            lang, height=440,
            title=Text("就業履歴の蓄積（月別・全国）", "Work-history days per month (national)"),
            subtitle=Text("各月に記録された就業履歴日数。技能者1人が1現場で1日働くと1人日（重複除去後）",
                          "Work-history days recorded in each month: one worker on one site on one date "
                          "is one worker-day (deduplicated)"),
            source=_source([(NATIONAL, data.national_as_of(), True)])))
        fig.update_layout(showlegend=False, bargap=0.15, xaxis=charts.month_axis(lang, months),
                          yaxis=charts.count_axis(max(days) * 1.05, lang,
                                                  "就業履歴日数（人日）" if lang == "ja" else "Worker-days"))
        return fig
    return charts.bilingual(build)


# ---------------------------------------------------------------- target table

def _status(row, as_of: date) -> Text:
    if row.share is not None and row.share >= 1:
        return Text("達成", "Reached")
    if row.deadline < as_of:
        return Text("期限までに未達", "Deadline missed")
    if row.projected_date is None:
        return Text("見込みを算出できず", "No projection")
    if row.projected_date <= row.deadline:
        return Text("期限内に達成見込み", "On track")
    return Text("期限後に達成見込み", "Behind schedule")


def _number_cell(value, unit: Text) -> tuple[str, str]:
    text = Text(fmt.jp_number(value, unit.ja), f"{fmt.en_number(value)}{unit.en}")
    return f'<span title="{fmt.thousands(value)}">{text.html()}</span>', "num"


def _targets_table(data: MinistryData) -> str:
    headers = [Text("目標", "Target"), Text("指標", "Metric"), Text("期限", "Deadline"),
               Text("実績", "Value"), Text("目標値", "Target value"), Text("達成率", "Share reached"),
               Text("到達見込み（直近12か月のペース）", "Projected date (trailing 12-month pace)"),
               Text("状況", "Status")]
    rows = []
    for row in data.targets.itertuples(index=False):
        label, unit = METRICS.get(row.metric, (Text(row.metric, row.metric), Text("", "")))
        share = None if pd.isna(row.share) else float(row.share)
        projected = row.projected_date
        rows.append([
            (f"<code>{html.escape(str(row.target_id))}</code>", ""),
            (label, ""),
            (Text(fmt.jp_date(row.deadline), fmt.en_date(row.deadline)), "num"),
            _number_cell(row.value, unit),
            _number_cell(row.target_value, unit),
            (fmt.percent(share), "num"),
            (Text(fmt.jp_month(projected), fmt.en_month(projected)), "num"),
            (_status(row._replace(share=share), row.as_of), ""),
        ])
    source = _source([(TARGETS, data.targets_as_of(), False)])
    return layout.table(headers, rows) + "\n" + layout.paragraph(source, "source")


# ---------------------------------------------------------------- page

def build_page(gold: Location, as_of: date | None = None) -> str:
    data = load(gold, as_of)
    sections = [layout.paragraph(Text(
        "全国の普及状況と目標、続いて都道府県・職種・レベル別の内訳（秘匿処理済み）、賃金、法令・施策の遵守状況。"
        "モデル値はプラットフォームのgoldマート adoption_national、公表値は業界紙などが報じた公式の公表値"
        "（published_adoption）、目標と到達見込みは target_progress によります。",
        "National adoption against the targets, then breakdowns by prefecture, occupation and level "
        "(suppressed where needed), wages and compliance. Modelled figures come from the platform's gold mart "
        "adoption_national, published figures are the official numbers as reported in the trade press "
        "(published_adoption), targets and their projections come from target_progress."),
        "lead")]

    def adoption_section(section_id, heading, chart_builder, metric):
        has_targets = data.targets is not None and (data.targets["metric"] == metric).any()
        if data.national is None and data.published is None and not has_targets:
            return layout.section(section_id, heading, layout.unavailable(NATIONAL, PUBLISHED, TARGETS))
        missing = [m for m, ok in ((NATIONAL, data.national is not None), (PUBLISHED, data.published is not None),
                                   (TARGETS, has_targets)) if not ok]
        notes = layout.unavailable(*missing) if missing else ""
        return layout.section(section_id, heading, layout.chart(f"chart-{section_id}", chart_builder(data)) + notes)

    sections.append(adoption_section("workers", Text("登録技能者数", "Registered workers"),
                                     _workers_chart, "registered_workers"))
    sections.append(adoption_section("businesses", Text("登録事業者数", "Registered businesses"),
                                     _businesses_chart, "registered_businesses"))
    sections.append(layout.section(
        "targets", Text("目標に対する進捗", "Progress against the targets"),
        layout.unavailable(TARGETS) if data.targets is None else _targets_table(data),
        lead=Text("各目標の最新時点の実績、目標値、達成率と、直近12か月のペースで目標に届く見込みの月。",
                  "Latest value of each target, the target value, the share reached, and the month the "
                  "target would be reached at the trailing 12-month pace.")))
    sections.append(layout.section(
        "work-history", Text("就業履歴", "Work history"),
        layout.unavailable(NATIONAL) if data.national is None
        else layout.chart("chart-work-history", _work_history_chart(data))))
    sections.extend(ministry_breakdowns.sections(gold, data.as_of))
    sections.append(ministry_wages.section(gold, data.as_of))
    sections.extend(ministry_compliance.sections(gold, data.as_of))

    as_of_text = None if data.as_of is None else Text(fmt.jp_date(data.as_of), fmt.en_date(data.as_of))
    return layout.page(
        title=TITLE, body="\n".join(sections), as_of=as_of_text, depth=1, with_charts=True,
        footer=Text("静的ページ（オフラインで閲覧可）。各グラフ・表の数値は出典欄のgoldマートで確認できます。",
                    "Static page, readable offline. Every number can be traced to the gold mart named "
                    "in the source line of its chart or table."))

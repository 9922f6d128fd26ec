"""The ministry page's compliance sections (metrics.md §4-§7): national and prefecture summaries.

From the gold marts:
- kentaikyo_prefecture_monthly: 建退共 coverage of public works (national per month; prefectures);
- insurance_prefecture_monthly: insurance checks at site entry (national per month; prefectures);
- worktime_violations_monthly: workers over the working-time caps (national per month; prefectures);
- model_project_scores: model-project points (national, per type);
- site_closure: 4週8休 of public works against their declared type (national).

National figures are aggregates of the whole country. Prefecture rows are suppressed (秘匿) when
they rest on fewer than 10 workers or fewer than 3 businesses (dashboards.privacy), counted
conservatively over the table's 12 months: the largest monthly count of distinct workers (or
persons) and of businesses, which never exceeds the true number of distinct ones. As the
prefecture rows add up to the national totals shown beside them, a lone suppressed row would be
recoverable by subtraction: privacy.suppress_table then suppresses the next-smallest row too
(complementary suppression), whole rows at a time.
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
from .privacy import SUPPRESSED, CountTable, Thresholds, suppress_table
from .theme import OKABE_ITO

KENTAIKYO = "kentaikyo_prefecture_monthly"
INSURANCE = "insurance_prefecture_monthly"
WORKTIME = "worktime_violations_monthly"
SCORES = "model_project_scores"
CLOSURE = "site_closure"
MARTS = (KENTAIKYO, INSURANCE, WORKTIME, SCORES, CLOSURE)
WINDOW_MONTHS = 12

UNKNOWN_PREFECTURE = Text("不明", "unknown")
NATIONAL = "__national__"   # not a prefecture code: marks a suppressed national row


def _load(gold: Location, as_of: date | None) -> dict[str, pd.DataFrame | None]:
    marts = {
        KENTAIKYO: read_mart(gold, KENTAIKYO, required=("prefecture_code", "month", "workers", "businesses",
                                                        "days_due", "covered_days", "shortfall_yen",
                                                        "mixed_method_sites", "sites"),
                             date_columns=("month",)),
        INSURANCE: read_mart(gold, INSURANCE, required=("prefecture_code", "month", "persons", "businesses",
                                                        "person_days", "checked_ccus", "checked_document",
                                                        "not_checked", "admitted_uninsured_person_days"),
                             date_columns=("month",)),
        WORKTIME: read_mart(gold, WORKTIME, required=("month", "prefecture_code", "occupation_code", "workers",
                                                      "workers_over_100h", "workers_over_80h_avg",
                                                      "workers_over_45h_7th_month", "workers_over_720h"),
                            date_columns=("month",)),
        SCORES: read_mart(gold, SCORES, required=("site_id", "model_project_type", "points")),
        CLOSURE: read_mart(gold, CLOSURE, required=("site_id", "counted_days", "closed_days",
                                                    "meets_4w8c_whole_period", "meets_4w8c_monthly")),
    }
    for name in (KENTAIKYO, INSURANCE, WORKTIME):
        frame = marts[name]
        if frame is not None and as_of is not None:
            frame = frame[[m is not None and m <= as_of for m in frame["month"]]].reset_index(drop=True)
        marts[name] = None if frame is None or frame.empty else frame
    return marts


def _source(mart: str, last_month: date | None) -> Text:
    if last_month is None:
        return Text(f"出典（goldマート）: {mart}", f"Source (gold marts): {mart}")
    return Text(f"出典（goldマート）: {mart}（{fmt.jp_month(last_month)}まで）",
                f"Source (gold marts): {mart} (up to {fmt.en_month(last_month)})")


def _num(text: str) -> tuple[str, str]:
    return html.escape(text), "num"


def _suppressed() -> tuple[str, str]:
    return f'<span class="suppressed" data-suppressed="true">{SUPPRESSED.html()}</span>', "num suppressed"


def _pct(value) -> str:
    return fmt.percent(value)


def _monthly_axis(lang: str, months) -> dict:
    return charts.month_axis(lang, months)


def _prefecture_label(code) -> Text:
    if code is None or (isinstance(code, float) and pd.isna(code)):
        return UNKNOWN_PREFECTURE
    return names.prefecture(code)


def _window(frame: pd.DataFrame) -> tuple[pd.DataFrame, date, date]:
    """The last WINDOW_MONTHS months of a monthly mart."""
    last = max(frame["month"])
    months = sorted(set(frame["month"]))[-WINDOW_MONTHS:]
    return frame[frame["month"].isin(months)], months[0], last


def _suppress_rows(rows: pd.DataFrame, value: str, workers: str, businesses: str,
                   thresholds: Thresholds) -> set:
    """Prefecture rows (index = prefecture key) to suppress: primary on the conservative counts,
    then complementary against the national total of ``value``. The key NATIONAL is in the set
    when the total itself must go (a lone suppressed row with nothing else to hide, as on a
    one-prefecture run: the total would give it away)."""
    keys = list(rows.index)
    table = CountTable(
        rows=keys, cols=["all"],
        values={(k, "all"): int(rows.loc[k, value]) for k in keys},
        workers={(k, "all"): int(rows.loc[k, workers]) for k in keys},
        businesses={(k, "all"): int(rows.loc[k, businesses]) for k in keys},
        col_totals={"all": (int(rows[value].sum()), 10 ** 9, 10 ** 9)},   # the national total is published
    )
    result = suppress_table(table, thresholds)
    return {k for k in keys if result.cell(k, "all")} | ({NATIONAL} if result.col_total("all") else set())


def _prefecture_key(code) -> str:
    return "" if code is None or (isinstance(code, float) and pd.isna(code)) else str(code)


def _window_note(first: date, last: date, thresholds: Thresholds) -> str:
    return layout.paragraph(Text(
        f"都道府県別は{fmt.jp_month(first)}〜{fmt.jp_month(last)}の合計。" + thresholds.note().ja,
        f"Prefectures: totals of {fmt.en_month(first)} – {fmt.en_month(last)}. " + thresholds.note().en))


# ---------------------------------------------------------------- 建退共

def _kentaikyo_section(frame: pd.DataFrame | None, thresholds: Thresholds) -> str:
    heading = Text("建退共の掛金充当（公共工事）", "建退共 contributions on public works")
    if frame is None:
        return layout.section("compliance-kentaikyo", heading, layout.unavailable(KENTAIKYO))
    national = frame.groupby("month")[["days_due", "covered_days", "shortfall_yen", "mixed_method_sites",
                                       "sites"]].sum().reset_index().sort_values("month")
    national["coverage"] = [c / d if d else None for c, d in zip(national["covered_days"], national["days_due"])]
    last = max(national["month"])

    def build(lang: str) -> go.Figure:
        x = list(national["month"])
        due, covered, coverage = (Text("対象日数", "Days due"), Text("充当済み日数", "Days covered"),
                                  Text("充当率", "Coverage"))
        fig = go.Figure()
        fig.add_trace(go.Bar(x=x, y=[int(v) for v in national["days_due"]], name=due[lang], xperiod="M1",
                             xperiodalignment="middle", marker=dict(color=OKABE_ITO["sky_blue"]),
                             hovertemplate=f"{due[lang]} %{{x|%Y-%m}}: %{{y:,}}<extra></extra>"))
        fig.add_trace(go.Bar(x=x, y=[int(v) for v in national["covered_days"]], name=covered[lang], xperiod="M1",
                             xperiodalignment="middle", marker=dict(color=OKABE_ITO["blue"]),
                             hovertemplate=f"{covered[lang]} %{{x|%Y-%m}}: %{{y:,}}<extra></extra>"))
        fig.add_trace(go.Scatter(x=x, y=list(national["coverage"]), name=coverage[lang], yaxis="y2",
                                 mode="lines+markers", xperiod="M1", xperiodalignment="middle",
                                 line=dict(color=OKABE_ITO["vermillion"], width=2.5),
                                 hovertemplate=f"{coverage[lang]} %{{x|%Y-%m}}: %{{y:.1%}}<extra></extra>"))
        fig.update_layout(**charts.layout(
            lang, height=440, title=Text("建退共の充当率（全国・公共工事）", "建退共 coverage (national, public works)"),
            subtitle=Text("対象日数＝共済手帳のある技能者の就業履歴日数。充当済み＝技能者ごとに min(報告, 対象) の合計",
                          "Days due = work-history days of member workers; covered = Σ per worker min(reported, due)"),
            source=_source(KENTAIKYO, last)))
        fig.update_layout(barmode="group", xaxis=_monthly_axis(lang, x), margin=dict(l=80, r=90, t=135, b=90),
                          yaxis=dict(title=dict(text="日数" if lang == "ja" else "Days"), gridcolor="#DDDDDD",
                                     rangemode="tozero"),
                          yaxis2=dict(title=dict(text="充当率" if lang == "ja" else "Coverage"), overlaying="y",
                                      side="right", range=[0, 1.05], tickformat=".0%", dtick=0.25, showgrid=False))
        return fig

    window, first, last = _window(frame)
    window = window.assign(key=[_prefecture_key(c) for c in window["prefecture_code"]])
    rows = window.groupby("key").agg(days_due=("days_due", "sum"), covered_days=("covered_days", "sum"),
                                     shortfall_yen=("shortfall_yen", "sum"),
                                     mixed_method_sites=("mixed_method_sites", "sum"),
                                     workers=("workers", "max"), businesses=("businesses", "max"))
    hidden = _suppress_rows(rows, "days_due", "workers", "businesses", thresholds)
    table_rows = []
    for key, r in rows.sort_index().iterrows():
        label = _prefecture_label(key or None)
        if key in hidden:
            table_rows.append([(label, "")] + [_suppressed()] * 5)
            continue
        table_rows.append([(label, ""), _num(fmt.thousands(r["days_due"])), _num(fmt.thousands(r["covered_days"])),
                           _num(_pct(r["covered_days"] / r["days_due"]) if r["days_due"] else fmt.MISSING),
                           (Text(fmt.yen(r["shortfall_yen"]), fmt.en_yen(r["shortfall_yen"])), "num"),
                           _num(fmt.thousands(r["mixed_method_sites"]))])
    totals = rows.sum()
    if NATIONAL in hidden:
        table_rows.append([(Text("全国", "National"), "")] + [_suppressed()] * 5)
    else:
        table_rows.append([(Text("全国", "National"), ""), _num(fmt.thousands(totals["days_due"])),
                           _num(fmt.thousands(totals["covered_days"])),
                           _num(_pct(totals["covered_days"] / totals["days_due"]) if totals["days_due"] else fmt.MISSING),
                           (Text(fmt.yen(totals["shortfall_yen"]), fmt.en_yen(totals["shortfall_yen"])), "num"),
                           _num(fmt.thousands(totals["mixed_method_sites"]))])
    table = layout.table([Text("都道府県（現場）", "Prefecture (of the site)"), Text("対象日数", "Days due"),
                          Text("充当済み日数", "Days covered"), Text("充当率", "Coverage"),
                          Text("不足額", "Shortfall"), Text("電子・証紙混在（現場月）", "Mixed-method site-months")],
                         table_rows)
    return layout.section("compliance-kentaikyo", heading, "\n".join([
        layout.chart("chart-compliance-kentaikyo", charts.bilingual(build)), table,
        _window_note(first, last, thresholds)]))


# ---------------------------------------------------------------- insurance

def _insurance_section(frame: pd.DataFrame | None, thresholds: Thresholds) -> str:
    heading = Text("社会保険の加入確認（現場入場時）", "Social insurance checks at site entry")
    if frame is None:
        return layout.section("compliance-insurance", heading, layout.unavailable(INSURANCE))
    columns = ["person_days", "checked_ccus", "checked_document", "not_checked", "admitted_uninsured_person_days"]
    national = frame.groupby("month")[columns].sum().reset_index().sort_values("month")
    last = max(national["month"])

    def build(lang: str) -> go.Figure:
        x = list(national["month"])
        fig = go.Figure()
        for col, name, color in (("checked_ccus", Text("CCUSで確認", "Through CCUS"), OKABE_ITO["blue"]),
                                 ("checked_document", Text("書類で確認", "On documents"), OKABE_ITO["sky_blue"]),
                                 ("not_checked", Text("確認なし", "Not checked"), OKABE_ITO["orange"])):
            share = [v / d if d else None for v, d in zip(national[col], national["person_days"])]
            fig.add_trace(go.Bar(x=x, y=share, name=name[lang], xperiod="M1", xperiodalignment="middle",
                                 marker=dict(color=color), customdata=[int(v) for v in national[col]],
                                 hovertemplate=f"{name[lang]} %{{x|%Y-%m}}: %{{y:.1%}} (%{{customdata:,}})<extra></extra>"))
        violation = Text("未加入・不明のまま入場", "Admitted uninsured")
        share = [v / d if d else None for v, d in zip(national["admitted_uninsured_person_days"], national["person_days"])]
        fig.add_trace(go.Scatter(x=x, y=share, name=violation[lang], mode="lines+markers", xperiod="M1",
                                 xperiodalignment="middle", line=dict(color=OKABE_ITO["vermillion"], width=2.5),
                                 customdata=[int(v) for v in national["admitted_uninsured_person_days"]],
                                 hovertemplate=f"{violation[lang]} %{{x|%Y-%m}}: %{{y:.2%}} (%{{customdata:,}})<extra></extra>"))
        fig.update_layout(**charts.layout(
            lang, height=440, title=Text("保険確認の方法（全国・名簿人日の割合）", "How insurance was checked (national, share of roster person-days)"),
            subtitle=Text("棒＝確認方法の割合、線＝未加入・不明のまま入場させた人日の割合（入場ルール違反）",
                          "Bars: share by check method; line: share of person-days admitted uninsured (violations)"),
            source=_source(INSURANCE, last)))
        fig.update_layout(barmode="stack", xaxis=_monthly_axis(lang, x),
                          yaxis=dict(title=dict(text="名簿人日に占める割合" if lang == "ja" else "Share of person-days"),
                                     range=[0, 1.02], tickformat=".0%", gridcolor="#DDDDDD"))
        return fig

    window, first, last_month = _window(frame)
    window = window.assign(key=[_prefecture_key(c) for c in window["prefecture_code"]])
    rows = window.groupby("key").agg(**{c: (c, "sum") for c in columns}, persons=("persons", "max"),
                                     businesses=("businesses", "max"))
    hidden = _suppress_rows(rows, "person_days", "persons", "businesses", thresholds)

    def cells(r) -> list:
        days = r["person_days"]
        share = (lambda v: _pct(v / days) if days else fmt.MISSING)
        return [_num(fmt.thousands(days)), _num(share(r["checked_ccus"])), _num(share(r["checked_document"])),
                _num(share(r["not_checked"])), _num(fmt.thousands(r["admitted_uninsured_person_days"]))]

    table_rows = []
    for key, r in rows.sort_index().iterrows():
        label = _prefecture_label(key or None)
        table_rows.append([(label, "")] + ([_suppressed()] * 5 if key in hidden else cells(r)))
    table_rows.append([(Text("全国", "National"), "")]
                      + ([_suppressed()] * 5 if NATIONAL in hidden else cells(rows.sum())))
    table = layout.table([Text("都道府県（現場）", "Prefecture (of the site)"), Text("名簿人日", "Roster person-days"),
                          Text("CCUSで確認", "Through CCUS"), Text("書類で確認", "On documents"),
                          Text("確認なし", "Not checked"), Text("未加入・不明のまま入場（人日）", "Admitted uninsured (person-days)")],
                         table_rows)
    return layout.section("compliance-insurance", heading, "\n".join([
        layout.chart("chart-compliance-insurance", charts.bilingual(build)), table,
        _window_note(first, last_month, thresholds)]))


# ---------------------------------------------------------------- working time

RULES = (("workers_over_100h", Text("月100時間以上", "100 h or more in a month"), OKABE_ITO["vermillion"]),
         ("workers_over_80h_avg", Text("2〜6か月平均80時間超", "2-6-month average over 80 h"), OKABE_ITO["orange"]),
         ("workers_over_45h_7th_month", Text("月45時間超が年7回目", "7th month over 45 h in the year"),
          OKABE_ITO["reddish_purple"]),
         ("workers_over_720h", Text("年720時間超", "Over 720 h in the year"), OKABE_ITO["black"]))


def _worktime_section(frame: pd.DataFrame | None, thresholds: Thresholds) -> str:
    heading = Text("労働時間の上限（2024年4月から建設業に適用）", "Working-time caps (construction, from April 2024)")
    if frame is None:
        return layout.section("compliance-worktime", heading, layout.unavailable(WORKTIME))
    columns = ["workers"] + [r[0] for r in RULES]
    national = frame.groupby("month")[columns].sum().reset_index().sort_values("month")
    last = max(national["month"])

    def build(lang: str) -> go.Figure:
        x = list(national["month"])
        fig = go.Figure()
        for col, name, color in RULES:
            fig.add_trace(go.Bar(x=x, y=[int(v) for v in national[col]], name=name[lang], xperiod="M1",
                                 xperiodalignment="middle", marker=dict(color=color),
                                 hovertemplate=f"{name[lang]} %{{x|%Y-%m}}: %{{y:,}}<extra></extra>"))
        fig.update_layout(**charts.layout(
            lang, height=440, title=Text("上限を超えた技能者（全国・違反が確定した月）",
                                         "Workers over a cap (national, in the month the violation is established)"),
            subtitle=Text("時間外＋休日労働。2024年3月以前は集計のみで違反としない",
                          "Overtime + holiday work; months before April 2024 are reported, not flagged"),
            source=_source(WORKTIME, last)))
        top = int(national[[c for c, _, _ in RULES]].to_numpy().max())
        # counts of people: whole-number ticks (an all-zero chart showed 0.2, 0.4 … workers)
        yaxis = dict(title=dict(text="人数" if lang == "ja" else "Workers"), gridcolor="#DDDDDD",
                     rangemode="tozero", tickformat=",d")
        if top < 5:
            yaxis.update(range=[0, 5], dtick=1)
        fig.update_layout(barmode="group", xaxis=_monthly_axis(lang, x), yaxis=yaxis)
        if top == 0:   # an empty chart reads as missing data: say that nobody went over a cap
            fig.add_annotation(text=Text("この期間に上限を超えた技能者はいません（0人）",
                                         "No worker went over a cap in these months (0)")[lang],
                               xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                               font=dict(size=15, color="#555555"))
        return fig

    window, first, last_month = _window(frame)
    window = window.assign(key=[_prefecture_key(c) for c in window["prefecture_code"]])
    businesses_col = "businesses" if "businesses" in window.columns else "workers"
    per_month = window.groupby(["key", "month"])[columns].sum()
    rows = per_month.groupby(level="key").agg(**{c: (c, "sum") for c in columns[1:]},
                                              workers_max=("workers", "max"), worker_months=("workers", "sum"))
    rows["businesses"] = window.groupby("key")[businesses_col].max()
    hidden = _suppress_rows(rows, "worker_months", "workers_max", "businesses", thresholds)
    table_rows = []

    def cells(r) -> list:
        return [_num(fmt.thousands(r["worker_months"]))] + [_num(fmt.thousands(r[c])) for c, _, _ in RULES]

    for key, r in rows.sort_index().iterrows():
        label = _prefecture_label(key or None)
        table_rows.append([(label, "")] + ([_suppressed()] * 5 if key in hidden else cells(r)))
    table_rows.append([(Text("全国", "National"), "")]
                      + ([_suppressed()] * 5 if NATIONAL in hidden else cells(rows.sum())))
    table = layout.table([Text("都道府県（所属事業者）", "Prefecture (of the employer)"),
                          Text("延べ技能者数（人月）", "Worker-months")] + [name for _, name, _ in RULES], table_rows)
    return layout.section("compliance-worktime", heading, "\n".join([
        layout.chart("chart-compliance-worktime", charts.bilingual(build)), table,
        _window_note(first, last_month, thresholds)]))


# ---------------------------------------------------------------- model projects and 4週8休 (national)

def _model_project_section(frame: pd.DataFrame | None) -> str:
    heading = Text("CCUSモデル工事の結果（全国）", "CCUS model projects (national)")
    if frame is None or frame.empty:
        return layout.section("compliance-model-projects", heading, layout.unavailable(SCORES))
    rows = []
    for kind, label in (("mandatory", Text("義務化モデル工事", "Mandatory")),
                        ("recommended", Text("活用推奨モデル工事", "Recommended"))):
        part = frame[frame["model_project_type"] == kind]
        measured = part[part["points"].notna()]
        counts = {p: int((measured["points"] == p).sum()) for p in (-1, 0, 1, 2)}
        rows.append([(label, ""), _num(fmt.thousands(len(part))), _num(fmt.thousands(len(measured)))]
                    + [_num(fmt.thousands(counts[p])) for p in (2, 1, 0, -1)]
                    + [_num(_pct(measured[c].mean()) if len(measured) else fmt.MISSING)
                       for c in ("avg_business_registration_rate", "avg_worker_registration_rate", "avg_card_touch_rate")])
    table = layout.table([Text("区分", "Type"), Text("工事数", "Projects"), Text("測定済み", "Measured"),
                          Text("+2点", "+2"), Text("+1点", "+1"), Text("0点", "0"), Text("-1点", "-1"),
                          Text("事業者登録率（平均）", "Business registration (mean)"),
                          Text("技能者登録率（平均）", "Worker registration (mean)"),
                          Text("就業履歴蓄積率（平均）", "Card touch (mean)")], rows)
    return layout.section("compliance-model-projects", heading, table + layout.paragraph(Text(
        f"出典（goldマート）: {SCORES}。加減点は測定日ごとの率の平均による（+1: 90%・80%・50%以上、さらに技能者登録率90%以上で+1、"
        "義務化モデルは70%・60%・30%のいずれかを下回ると-1）。",
        f"Source (gold marts): {SCORES}. Points on the mean of the rates at the measurement dates (+1 at or above "
        "90 % / 80 % / 50 %, +1 more with worker registration at or above 90 %, -1 for a mandatory project below "
        "70 % / 60 % / 30 %)."), "source"))


def _closure_section(frame: pd.DataFrame | None) -> str:
    heading = Text("4週8休（公共工事・全国）", "4週8休 on public works (national)")
    if frame is None or frame.empty:
        return layout.section("compliance-closure", heading, layout.unavailable(CLOSURE))
    public = frame[frame["is_public_works"].fillna(False).astype(bool)] if "is_public_works" in frame else frame
    rows = []
    for kind, label in (("whole_period", Text("通期", "Whole period")), ("monthly", Text("月単位", "Monthly")),
                        ("none", Text("指定なし", "None declared"))):
        part = public[public["two_days_off_type"] == kind] if "two_days_off_type" in public else public.iloc[0:0]
        counted, closed = int(part["counted_days"].sum()), int(part["closed_days"].sum())
        rows.append([(label, ""), _num(fmt.thousands(len(part))), _num(_pct(closed / counted) if counted else fmt.MISSING),
                     _num(fmt.thousands(int(part["meets_4w8c_whole_period"].fillna(False).astype(bool).sum()))),
                     _num(fmt.thousands(int(part["meets_4w8c_monthly"].fillna(False).astype(bool).sum()))),
                     _num(fmt.thousands(int(part["meets_declared_type"].fillna(False).astype(bool).sum()))
                          if kind != "none" and "meets_declared_type" in part else "—")])
    table = layout.table([Text("週休2日区分", "Declared type"), Text("工事数", "Projects"),
                          Text("閉所率（合算）", "Closure rate (pooled)"), Text("通期で達成", "Meet whole period"),
                          Text("毎月達成", "Meet every month"), Text("区分どおり達成", "Meet their declared type")], rows)
    return layout.section("compliance-closure", heading, table + layout.paragraph(Text(
        f"出典（goldマート）: {CLOSURE}。閉所日＝就業履歴も作業員名簿もない日（年末年始12/29〜1/3・夏季8/13〜15を除く）。"
        "閉所率28.5%以上で4週8休。",
        f"Source (gold marts): {CLOSURE}. A closed day has neither a work-history day nor a roster row (29 Dec - "
        "3 Jan and 13-15 Aug left out); 4週8休 is a closure rate of at least 28.5 %."), "source"))


def sections(gold: Location, as_of: date | None = None, thresholds: Thresholds | None = None) -> list[str]:
    """The compliance sections of the ministry page; none while no compliance mart exists."""
    marts = _load(gold, as_of)
    if all(marts[m] is None for m in MARTS):
        return []
    thresholds = thresholds or Thresholds.from_env()
    return [
        layout.section("compliance", Text("法令・施策の遵守状況", "Compliance with the rules"), layout.paragraph(Text(
            "公共工事の建退共・社会保険の確認・労働時間・モデル工事・4週8休。全国の値はすべての集計、都道府県の行は"
            "秘匿処理済みです。",
            "建退共, insurance checks, working time, model projects and 4週8休. National figures aggregate everything; "
            "prefecture rows are suppressed where needed."), "lead")),
        _kentaikyo_section(marts[KENTAIKYO], thresholds),
        _insurance_section(marts[INSURANCE], thresholds),
        _worktime_section(marts[WORKTIME], thresholds),
        _model_project_section(marts[SCORES]),
        _closure_section(marts[CLOSURE]),
    ]

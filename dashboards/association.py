"""Association reports: one report per construction association, its member businesses only.

Pages: ``associations/index.html`` (the list) and ``associations/<code>/index.html`` per
association found in the gold mart ``association_members`` (a business is a member when the
association's code is in its association_codes). Every figure is summed over member
businesses only, and passes through :mod:`dashboards.privacy` (association audience):

- level mix: member workers by occupation x current level, with totals (complementary
  suppression) — from level_eligibility_by_business;
- level-up candidates: member workers whose eligible level is above their current level, by
  occupation x the level they are eligible for, with totals — same mart;
- wages against the guideline: wage_level_compliance_by_association (primary suppression on
  the surveyed workers and businesses of each cell);
- 見える化: member workers holding each qualification, by level (row totals only: a worker
  may hold several qualifications) — from specialty_contractor_qualifications;
- members' projects' compliance: the sites whose prime is a member (association_member_sites),
  summed per month (建退共, insurance checks) or over the sites (model projects, 4週8休).
  Those marts carry no distinct worker counts over several sites, so the worker threshold is
  checked on a lower bound (the largest single-site count of the month) and the business
  threshold on the distinct member primes; model-project and 4週8休 figures count sites, and
  are shown only over at least 3 member primes.

No page names a business, a site or a worker; no per-business or per-site row is shown.
"""

from __future__ import annotations

import calendar
import html
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from . import charts, layout
from . import format as fmt
from .i18n import Text
from .io import Location, read_mart
from .privacy import SUPPRESSED, CountTable, Suppression, Thresholds, count_table, is_small, suppress_table
from .theme import OKABE_ITO

FOLDER = "associations"
MEMBERS = "association_members"
ELIGIBILITY = "level_eligibility_by_business"
WAGES = "wage_level_compliance_by_association"
QUALIFICATIONS = "specialty_contractor_qualifications"
SITES = "association_member_sites"
KENTAIKYO = "kentaikyo_site_monthly"
INSURANCE = "insurance_site_monthly"
MODEL_SCORES = "model_project_scores"
CLOSURE = "site_closure"
NATIONAL = "adoption_national"

LEVELS = (1, 2, 3, 4)
INDEX_TITLE = Text("建設業団体別レポート", "Reports by construction association")
LEVEL_COLORS = {1: "#BBBBBB", 2: OKABE_ITO["sky_blue"], 3: "#9E9E9E", 4: OKABE_ITO["orange"]}


def level_label(level) -> Text:
    return Text(f"レベル{int(level)}", f"Level {int(level)}")


@dataclass(frozen=True)
class AssociationData:
    members: pd.DataFrame                  # association_members
    eligibility: pd.DataFrame | None       # level_eligibility_by_business
    wages: pd.DataFrame | None             # wage_level_compliance_by_association
    qualifications: pd.DataFrame | None    # specialty_contractor_qualifications
    sites: pd.DataFrame | None             # association_member_sites
    kentaikyo: pd.DataFrame | None
    insurance: pd.DataFrame | None
    model_scores: pd.DataFrame | None
    closure: pd.DataFrame | None
    as_of: date | None


def _month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def _nonempty(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    return None if frame is None or frame.empty else frame.reset_index(drop=True)


def load(gold: Location, as_of: date | None = None) -> AssociationData | None:
    """The marts of the reports; None when there is no membership to report on."""
    members = _nonempty(read_mart(gold, MEMBERS, required=("association_code", "business_id")))
    if members is None:
        return None
    eligibility = _nonempty(read_mart(gold, ELIGIBILITY, required=(
        "business_id", "occupation_code", "current_level", "eligible_level", "workers")))
    wages = read_mart(gold, WAGES, required=(
        "fiscal_year", "association_code", "occupation_code", "level", "workers_surveyed", "businesses_surveyed",
        "median_observed_annual_yen", "mean_guideline_annual_yen", "share_below_guideline"),
        date_columns=("last_surveyed_month",))
    qualifications = _nonempty(read_mart(gold, QUALIFICATIONS, required=(
        "business_id", "level", "qualification_code", "workers")))
    sites = _nonempty(read_mart(gold, SITES, required=("association_code", "site_id", "prime_business_id")))
    kentaikyo = read_mart(gold, KENTAIKYO, required=("site_id", "month", "days_due", "days_reported"),
                          date_columns=("month",))
    insurance = read_mart(gold, INSURANCE, required=("site_id", "month", "person_days", "checked_ccus",
                                                     "checked_document", "not_checked",
                                                     "admitted_uninsured_person_days"),
                          date_columns=("month",))
    model_scores = _nonempty(read_mart(gold, MODEL_SCORES, required=(
        "site_id", "model_project_type", "avg_business_registration_rate", "avg_worker_registration_rate",
        "avg_card_touch_rate", "points")))
    closure = _nonempty(read_mart(gold, CLOSURE, required=(
        "site_id", "counted_days", "closed_days", "meets_4w8c_whole_period", "meets_4w8c_monthly")))

    if as_of is None:
        national = read_mart(gold, NATIONAL, required=("month",), date_columns=("month",))
        if national is not None and not national.empty:
            as_of = _month_end(max(national["month"]))
        elif wages is not None and not wages.empty and wages["last_surveyed_month"].notna().any():
            as_of = _month_end(max(m for m in wages["last_surveyed_month"] if m is not None))
    if as_of is not None:
        # leave out what is dated after the as-of date (fiscal years starting after it)
        if wages is not None:
            wages = wages[[date(int(fy), 4, 1) <= as_of for fy in wages["fiscal_year"]]]
        if kentaikyo is not None:
            kentaikyo = kentaikyo[kentaikyo["month"] <= as_of]
        if insurance is not None:
            insurance = insurance[insurance["month"] <= as_of]
    kentaikyo, insurance = _nonempty(kentaikyo), _nonempty(insurance)
    return AssociationData(members, eligibility, _nonempty(wages), qualifications, sites, kentaikyo, insurance,
                           model_scores, closure, as_of)


# ------------------------------------------------------------------ cells

def _suppressed_cell() -> tuple[str, str]:
    return f'<span class="suppressed" data-suppressed="true">{SUPPRESSED.html()}</span>', "num suppressed"


def _count(value) -> tuple[str, str]:
    return fmt.thousands(value), "num"


def _yen(value) -> tuple[Text, str]:
    return Text(fmt.yen(value), fmt.en_yen(value)), "num"


def _source(marts: list[str], as_of: date | None) -> str:
    when = Text(fmt.jp_date(as_of), fmt.en_date(as_of)) if as_of else Text("—", "—")
    return layout.paragraph(Text(f"出典（goldマート）: {'、'.join(marts)}（{when.ja}時点）",
                                 f"Source (gold marts): {', '.join(marts)} (as of {when.en})"), "source")


def count_table_html(table: CountTable, supp: Suppression, *, corner: Text, row_label, col_label,
                     total: Text = Text("計", "Total")) -> str:
    headers = [corner] + [col_label(c) for c in table.cols]
    if table.row_totals is not None:
        headers.append(total)
    body, omitted = [], 0
    for r in table.rows:
        if all(supp.cell(r, c) for c in table.cols) and (table.row_totals is None or supp.row_total(r)):
            omitted += 1   # nothing of the row is published: not listed
            continue
        cells: list[tuple] = [(row_label(r), "")]
        for c in table.cols:
            cells.append(_suppressed_cell() if supp.cell(r, c) else _count(table.values.get((r, c), 0)))
        if table.row_totals is not None:
            cells.append(_suppressed_cell() if supp.row_total(r) else _count(table.row_totals[r][0]))
        body.append(cells)
    if table.col_totals is not None:
        cells = [(total, "")]
        for c in table.cols:
            cells.append(_suppressed_cell() if supp.col_total(c) else _count(table.col_totals[c][0]))
        if table.row_totals is not None:
            if table.grand_total is not None:
                cells.append(_suppressed_cell() if supp.grand() else _count(table.grand_total[0]))
            else:
                cells.append(("", ""))
        body.append(cells)
    note = "" if not omitted else layout.paragraph(Text(
        f"すべての値が秘匿となる{omitted}行は表示していません。",
        f"{omitted} row{'s' if omitted > 1 else ''} with every value suppressed {'are' if omitted > 1 else 'is'} "
        "not listed."))
    return layout.table(headers, body) + note


# ------------------------------------------------------------------ sections

def _occupation_labels(frame: pd.DataFrame) -> dict[str, Text]:
    labels = {}
    for row in frame.drop_duplicates("occupation_code").itertuples(index=False):
        ja = getattr(row, "occupation_name_ja", None)
        en = getattr(row, "occupation_name_en", None)
        code = row.occupation_code
        labels[code] = Text(f"{ja}（{code}）" if isinstance(ja, str) else code,
                            f"{en} ({code})" if isinstance(en, str) else code)
    return labels


def _level_mix(data: AssociationData, member_ids: set[str], t: Thresholds, code: str) -> str:
    heading = Text("技能者のレベル構成", "Level mix of the members' workers")
    if data.eligibility is None:
        return layout.section("level-mix", heading, layout.unavailable(ELIGIBILITY))
    units = data.eligibility[data.eligibility["business_id"].isin(member_ids)]
    if units.empty:
        return layout.section("level-mix", heading, layout.paragraph(Text(
            "会員事業者に登録技能者がいません。", "The members employ no registered workers.")))
    labels = _occupation_labels(units)
    table = count_table(units, row="occupation_code", col="current_level", value="workers", cols=LEVELS)
    supp = suppress_table(table, t)
    chart = layout.chart(f"chart-level-mix-{code}", _level_chart(table, supp, data.as_of))
    html_table = count_table_html(table, supp, corner=Text("職種 ＼ 現在のレベル", "Occupation \\ current level"),
                                  row_label=lambda r: labels[r], col_label=level_label)
    return layout.section("level-mix", heading, chart + html_table + layout.paragraph(t.note()) +
                          _source([ELIGIBILITY, MEMBERS], data.as_of),
                          lead=Text("会員事業者に所属する登録技能者の、職種別・現在のレベル別の人数。",
                                    "Registered workers employed by member businesses, by occupation and "
                                    "current level."))


def _level_chart(table: CountTable, supp: Suppression, as_of: date | None) -> charts.Chart:
    shown = [c for c in table.cols if not supp.col_total(c)]

    def build(lang: str) -> go.Figure:
        values = [table.col_totals[c][0] for c in shown]
        x = [int(c) for c in shown]   # numbers: data may not differ between languages
        unit = "人" if lang == "ja" else " workers"
        fig = go.Figure(go.Bar(x=x, y=values, marker=dict(color=[LEVEL_COLORS[int(c)] for c in shown]),
                               text=[fmt.thousands(v) for v in values], textposition="outside",
                               customdata=[level_label(c)[lang] for c in shown],
                               hovertemplate=f"%{{customdata}}: %{{y:,}}{unit}<extra></extra>"))
        hidden = [level_label(c)[lang] for c in table.cols if supp.col_total(c)]
        subtitle = Text("会員事業者の登録技能者（現在のレベル別）", "Members' registered workers by current level")
        if hidden:
            subtitle = Text(subtitle.ja + f"。秘匿: {'、'.join(level_label(c).ja for c in table.cols if supp.col_total(c))}",
                            subtitle.en + f". Suppressed: {', '.join(level_label(c).en for c in table.cols if supp.col_total(c))}")
        fig.update_layout(**charts.layout(lang, height=400, title=Text("レベル別の技能者数", "Workers by level"),
                                          subtitle=subtitle, source=charts.source_line([ELIGIBILITY], as_of)))
        fig.update_layout(showlegend=False, yaxis=charts.count_axis(max(values or [1]) * 1.15, lang,
                                                                    "人数" if lang == "ja" else "Workers"),
                          xaxis=dict(tickmode="array", tickvals=[int(c) for c in LEVELS],
                                     ticktext=[level_label(c)[lang] for c in LEVELS], range=[0.4, 4.6]))
        return fig
    return charts.bilingual(build)


def _candidates(data: AssociationData, member_ids: set[str], t: Thresholds) -> str:
    heading = Text("レベルアップ候補", "Level-up candidates")
    if data.eligibility is None:
        return layout.section("candidates", heading, layout.unavailable(ELIGIBILITY))
    units = data.eligibility[data.eligibility["business_id"].isin(member_ids)
                             & (data.eligibility["eligible_level"] > data.eligibility["current_level"])]
    lead = Text("就業履歴日数（登録前の経験は年215日で換算）・職長日数・保有資格が、現在より上のレベルの"
                "基準をすべて満たす技能者の人数（能力評価を申請すれば上のレベルになり得る人）。個人は特定しません。",
                "Workers whose work days (experience before registration at 215 days a year), foreman days "
                "and qualifications meet every criterion of a level above their current one — who could move "
                "up if assessed. Counts only; no person is identified.")
    if units.empty:
        return layout.section("candidates", heading, layout.paragraph(Text(
            "会員事業者にレベルアップ候補はいません。", "No level-up candidates among the members' workers.")),
            lead=lead)
    labels = _occupation_labels(units)
    table = count_table(units, row="occupation_code", col="eligible_level", value="workers", cols=(2, 3, 4))
    supp = suppress_table(table, t)
    body = count_table_html(table, supp, corner=Text("職種 ＼ 基準を満たすレベル", "Occupation \\ level met"),
                            row_label=lambda r: labels[r],
                            col_label=lambda c: Text(f"レベル{c}へ", f"to level {c}"))
    return layout.section("candidates", heading, body + layout.paragraph(t.note()) +
                          _source([ELIGIBILITY, MEMBERS], data.as_of), lead=lead)


def _wages(data: AssociationData, code: str, t: Thresholds) -> str:
    heading = Text("レベル別賃金と目安", "Wages by level against the guideline")
    lead = Text("賃金調査に回答した会員事業者の技能者について、年収換算額（(基本給＋手当＋賞与)×234日÷就業日数、"
                "時間外手当を除く）の中央値と、目安（公共工事設計労務単価×234日×レベル係数）を下回る人の割合。",
                "Members' surveyed workers: median annual income ((base pay + allowances + bonus) x 234 / days "
                "worked, overtime excluded) and the share below the guideline (design labour unit price x 234 "
                "days x level multiplier).")
    if data.wages is None:
        return layout.section("wages", heading, layout.unavailable(WAGES), lead=lead)
    rows = data.wages[data.wages["association_code"] == code]
    if rows.empty:
        return layout.section("wages", heading, layout.paragraph(Text(
            "会員事業者の賃金調査の回答がありません。", "No payroll survey answers from the members.")), lead=lead)
    fiscal_year = int(rows["fiscal_year"].max())
    rows = rows[rows["fiscal_year"] == fiscal_year].sort_values(["occupation_code", "level"])
    labels = _occupation_labels(rows)
    headers = [Text("職種", "Occupation"), Text("レベル", "Level"), Text("回答者数", "Workers surveyed"),
               Text("年収換算の中央値", "Median annual income"), Text("目安（平均）", "Guideline (mean)"),
               Text("目安を下回る割合", "Share below guideline")]
    body, plotted, omitted = [], [], 0
    for row in rows.itertuples(index=False):
        small = is_small(row.workers_surveyed, row.businesses_surveyed, t)
        cells = [(labels[row.occupation_code], ""), (level_label(row.level), "")]
        if small:
            omitted += 1   # every value of the row would be suppressed: not listed
            continue
        else:
            share = None if pd.isna(row.share_below_guideline) else float(row.share_below_guideline)
            cells += [_count(row.workers_surveyed), _yen(row.median_observed_annual_yen),
                      _yen(row.mean_guideline_annual_yen), (fmt.percent(share), "num")]
            plotted.append(row)
        body.append(cells)
    chart = ""
    if plotted:
        chart = layout.chart(f"chart-wages-{code}", _wage_chart(plotted, labels, fiscal_year, data.as_of))
    note = layout.paragraph(Text(f"{fiscal_year}年度。目安は各技能者の職種・所属事業者の都道府県の単価による"
                                 f"（回答者の平均）。秘匿となる{omitted}区分（職種×レベル）は表示していません。",
                                 f"Fiscal year {fiscal_year}. Each worker's guideline uses the unit price of their "
                                 f"occupation and employer's prefecture (mean shown). {omitted} suppressed "
                                 "occupation x level cells are not listed."))
    table_html = layout.table(headers, body) if body else ""
    return layout.section("wages", heading, chart + table_html + note + layout.paragraph(t.note())
                          + _source([WAGES], data.as_of), lead=lead)


def _wage_chart(rows: list, labels: dict[str, Text], fiscal_year: int, as_of: date | None) -> charts.Chart:
    def build(lang: str) -> go.Figure:
        names = [f"{labels[r.occupation_code][lang]} {level_label(r.level)[lang]}" for r in rows]
        y = list(range(len(rows)))   # positions: data may not differ between languages
        observed = [int(r.median_observed_annual_yen) for r in rows]
        guideline = [None if pd.isna(r.mean_guideline_annual_yen) else int(r.mean_guideline_annual_yen) for r in rows]
        money = (lambda v: fmt.yen(v)) if lang == "ja" else (lambda v: fmt.en_yen(v))
        fig = go.Figure([
            go.Bar(y=y, x=observed, orientation="h", name=Text("年収換算の中央値", "Median annual income")[lang],
                   marker=dict(color=OKABE_ITO["blue"]), customdata=[[n, money(v)] for n, v in zip(names, observed)],
                   hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>"),
            go.Scatter(y=y, x=guideline, mode="markers", name=Text("目安", "Guideline")[lang],
                       marker=dict(symbol="line-ns-open", size=22, color=OKABE_ITO["vermillion"],
                                   line=dict(width=3, color=OKABE_ITO["vermillion"])),
                       customdata=[[n, money(v)] for n, v in zip(names, guideline)],
                       hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>"),
        ])
        fig.update_layout(**charts.layout(
            lang, height=max(320, 150 + 36 * len(rows)),
            title=Text(f"{fiscal_year}年度 レベル別年収（中央値）と目安", f"FY{fiscal_year}: median annual income "
                       "by level against the guideline"),
            subtitle=Text("棒＝中央値、縦線＝目安（設計労務単価×234日×レベル係数）。秘匿セルは表示しません",
                          "Bars = median, ticks = guideline (unit price x 234 days x level multiplier). "
                          "Suppressed cells are not drawn"),
            source=charts.source_line([WAGES], as_of)))
        fig.update_layout(margin=dict(l=260, r=30, t=135, b=90),
                          yaxis=dict(autorange="reversed", tickmode="array", tickvals=y, ticktext=names),
                          xaxis=dict(title=dict(text="円" if lang == "ja" else "yen"), tickformat=",d",
                                     gridcolor="#DDDDDD"))
        return fig
    return charts.bilingual(build)


def _visibility(data: AssociationData, member_ids: set[str], t: Thresholds) -> str:
    heading = Text("保有資格の見える化", "Qualifications held (visibility)")
    if data.qualifications is None:
        return layout.section("visibility", heading, layout.unavailable(QUALIFICATIONS))
    units = data.qualifications[data.qualifications["business_id"].isin(member_ids)]
    if units.empty:
        return layout.section("visibility", heading, layout.paragraph(Text(
            "会員事業者の技能者に登録資格がありません。", "The members' workers hold no registered qualification.")))
    labels = {}
    for row in units.drop_duplicates("qualification_code").itertuples(index=False):
        ja, en = getattr(row, "qualification_name_ja", None), getattr(row, "qualification_name_en", None)
        labels[row.qualification_code] = Text(ja if isinstance(ja, str) else row.qualification_code,
                                              en if isinstance(en, str) else row.qualification_code)
    # a worker may hold several qualifications: only the row totals (per qualification) add up
    table = count_table(units, row="qualification_code", col="level", value="workers", cols=LEVELS,
                        col_totals=False, grand_total=False)
    supp = suppress_table(table, t)
    body = count_table_html(table, supp, corner=Text("資格 ＼ 現在のレベル", "Qualification \\ current level"),
                            row_label=lambda r: labels[r], col_label=level_label)
    return layout.section("visibility", heading, body + layout.paragraph(t.note()) +
                          _source([QUALIFICATIONS, MEMBERS], data.as_of),
                          lead=Text("専門工事業者の施工能力の見える化: 会員事業者の技能者が保有する資格の人数（レベル別）。"
                                    "1人が複数の資格を持つため、列の合計は示しません。",
                                    "Specialty contractors' capability made visible: members' workers holding "
                                    "each qualification, by level. A worker may hold several, so columns have no "
                                    "total."))


def _member_sites(data: AssociationData, code: str, member_ids: set[str]) -> set[str]:
    if data.sites is not None:
        return set(data.sites.loc[data.sites["association_code"] == code, "site_id"])
    sites = set()
    for frame in (data.kentaikyo, data.insurance, data.model_scores, data.closure):
        if frame is not None and "prime_business_id" in frame:
            sites |= set(frame.loc[frame["prime_business_id"].isin(member_ids), "site_id"])
    return sites


def _primes(frame: pd.DataFrame, data: AssociationData) -> pd.Series:
    """prime_business_id of each row (from the mart, else from association_member_sites)."""
    if "prime_business_id" in frame:
        return frame["prime_business_id"]
    lookup = {} if data.sites is None else dict(zip(data.sites["site_id"], data.sites["prime_business_id"]))
    return frame["site_id"].map(lookup)


def _compliance(data: AssociationData, code: str, member_ids: set[str], t: Thresholds) -> str:
    heading = Text("会員が元請の工事のコンプライアンス", "Compliance on the projects members lead as prime")
    sites = _member_sites(data, code, member_ids)
    lead = Text("会員事業者が元請の現場の集計（現場別の値は示しません）。技能者数は月内で最も多い現場の人数"
                "（重複を除いた人数の下限）、事業者数は元請の会員数で秘匿を判定します。",
                "Totals over the sites led by a member as prime (no site is shown). Suppression uses the "
                "largest single-site worker count of the month (a lower bound of the distinct workers) and "
                "the number of member primes.")
    parts = []
    # 建退共
    if data.kentaikyo is None:
        parts.append(layout.unavailable(KENTAIKYO))
    else:
        k = data.kentaikyo[data.kentaikyo["site_id"].isin(sites)].copy()
        parts.append(_monthly_table(
            k, data, t, Text("建退共（公共工事）", "建退共 contributions (public works)"),
            worker_column="workers_due" if "workers_due" in k else None,
            columns=[("days_due", Text("掛金対象日数", "Days due"), "count"),
                     ("days_reported", Text("報告日数", "Days reported"), "count"),
                     ("coverage", Text("充当率", "Coverage"), "coverage"),
                     ("shortfall_yen", Text("不足額", "Shortfall"), "yen")]) + _source([KENTAIKYO, SITES], data.as_of))
    # 社会保険
    if data.insurance is None:
        parts.append(layout.unavailable(INSURANCE))
    else:
        i = data.insurance[data.insurance["site_id"].isin(sites)].copy()
        parts.append(_monthly_table(
            i, data, t, Text("入場時の社会保険加入確認", "Social insurance checks at site entry"),
            worker_column="persons" if "persons" in i else None,
            columns=[("person_days", Text("延べ人日", "Person-days"), "count"),
                     ("checked_ccus", Text("CCUSで確認", "Checked in CCUS"), "share"),
                     ("checked_document", Text("書類で確認", "Checked on documents"), "share"),
                     ("not_checked", Text("未確認", "Not checked"), "share"),
                     ("admitted_uninsured_person_days", Text("未加入等で入場", "Admitted uninsured"), "count")])
            + _source([INSURANCE, SITES], data.as_of))
    # モデル工事
    if data.model_scores is None:
        parts.append(layout.unavailable(MODEL_SCORES))
    else:
        m = data.model_scores[data.model_scores["site_id"].isin(sites)
                              & (data.model_scores["model_project_type"] != "none")].copy()
        parts.append(_model_table(m, data, t) + _source([MODEL_SCORES, SITES], data.as_of))
    # 4週8休
    if data.closure is None:
        parts.append(layout.unavailable(CLOSURE))
    else:
        c = data.closure[data.closure["site_id"].isin(sites)].copy()
        parts.append(_closure_table(c, data, t) + _source([CLOSURE, SITES], data.as_of))
    return layout.section("compliance", heading, "\n".join(parts) + layout.paragraph(t.note()), lead=lead)


def _h3(text: Text) -> str:
    return f"<h3>{text.html()}</h3>"


def _monthly_table(frame: pd.DataFrame, data: AssociationData, t: Thresholds, title: Text, *,
                   worker_column: str | None, columns: list[tuple[str, Text, str]]) -> str:
    if frame.empty:
        return _h3(title) + layout.paragraph(Text("対象の現場・月がありません。", "No sites or months to report."))
    frame["_prime"] = _primes(frame, data)
    months = sorted(frame["month"].unique())[-12:]
    headers = [Text("月", "Month"), Text("現場数", "Sites")] + [label for _, label, _ in columns]
    body = []
    for month in months:
        part = frame[frame["month"] == month]
        workers = int(part[worker_column].max()) if worker_column else 0
        primes = part["_prime"].nunique()
        cells = [(Text(fmt.jp_month(month), fmt.en_month(month)), "")]
        if is_small(workers, primes, t):
            cells += [_suppressed_cell()] * (1 + len(columns))
        else:
            cells.append(_count(part["site_id"].nunique()))
            for column, _, kind in columns:
                if kind == "count":
                    cells.append(_count(part[column].sum()))
                elif kind == "yen":
                    cells.append(_yen(part[column].sum()))
                elif kind == "coverage":
                    due = part["days_due"].sum()
                    covered = part["covered_days"].sum() if "covered_days" in part else \
                        part[["days_reported", "days_due"]].min(axis=1).sum()
                    cells.append((fmt.percent(covered / due if due else None), "num"))
                elif kind == "share":
                    total = part["person_days"].sum()
                    cells.append((fmt.percent(part[column].sum() / total if total else None), "num"))
        body.append(cells)
    return _h3(title) + layout.table(headers, body)


def _model_table(frame: pd.DataFrame, data: AssociationData, t: Thresholds) -> str:
    title = Text("CCUSモデル工事", "CCUS model projects")
    if frame.empty:
        return _h3(title) + layout.paragraph(Text("会員が元請のモデル工事はありません。",
                                                  "No model project led by a member."))
    frame["_prime"] = _primes(frame, data)
    headers = [Text("区分", "Type"), Text("現場数", "Sites"), Text("事業者登録率（平均）", "Business registration (mean)"),
               Text("技能者登録率（平均）", "Worker registration (mean)"), Text("就業履歴蓄積率（平均）", "Card-touch rate (mean)"),
               Text("加点（+1以上）の現場", "Sites with bonus points"), Text("減点の現場", "Sites with a deduction")]
    kinds = {"mandatory": Text("義務化モデル", "Mandatory"), "recommended": Text("活用推奨モデル", "Recommended")}
    body = []
    for kind, part in frame.groupby("model_project_type"):
        cells = [(kinds.get(kind, Text(str(kind), str(kind))), "")]
        # site-level rates count no workers here: the business rule (member primes) applies
        if part["_prime"].nunique() < t.min_businesses:
            cells += [_suppressed_cell()] * 6
        else:
            cells += [_count(part["site_id"].nunique()),
                      (fmt.percent(part["avg_business_registration_rate"].mean()), "num"),
                      (fmt.percent(part["avg_worker_registration_rate"].mean()), "num"),
                      (fmt.percent(part["avg_card_touch_rate"].mean()), "num"),
                      _count((part["points"] > 0).sum()), _count((part["points"] < 0).sum())]
        body.append(cells)
    return _h3(title) + layout.table(headers, body)


def _closure_table(frame: pd.DataFrame, data: AssociationData, t: Thresholds) -> str:
    title = Text("4週8休（現場閉所）", "4 closed days in 4 weeks (site closure)")
    if frame.empty:
        return _h3(title) + layout.paragraph(Text("対象の現場がありません。", "No sites to report."))
    frame["_prime"] = _primes(frame, data)
    headers = [Text("現場数", "Sites"), Text("閉所率（対象日で加重）", "Closure rate (days-weighted)"),
               Text("通期で4週8休", "Meeting 4-in-4 over the period"), Text("毎月4週8休", "Meeting it every month")]
    if frame["_prime"].nunique() < t.min_businesses:
        cells = [_suppressed_cell()] * 4
    else:
        counted = frame["counted_days"].sum()
        cells = [_count(frame["site_id"].nunique()),
                 (fmt.percent(frame["closed_days"].sum() / counted if counted else None), "num"),
                 _count(frame["meets_4w8c_whole_period"].fillna(False).astype(bool).sum()),
                 _count(frame["meets_4w8c_monthly"].fillna(False).astype(bool).sum())]
    return _h3(title) + layout.table(headers, [cells])


# ------------------------------------------------------------------ pages

def _names(members: pd.DataFrame, code: str) -> Text:
    rows = members[members["association_code"] == code]
    ja = rows["association_name_ja"].dropna().iloc[0] if "association_name_ja" in rows and \
        rows["association_name_ja"].notna().any() else code
    en = rows["association_name_en"].dropna().iloc[0] if "association_name_en" in rows and \
        rows["association_name_en"].notna().any() else code
    return Text(str(ja), str(en))


def _overview(data: AssociationData, code: str, t: Thresholds) -> str:
    members = data.members[data.members["association_code"] == code]
    n = members["business_id"].nunique()
    if "registered_workers" in members:
        with_workers = members[members["registered_workers"] > 0]
        workers = int(with_workers["registered_workers"].sum())
    else:
        with_workers, workers = members.iloc[0:0], 0
    headers = [Text("会員事業者数", "Member businesses"), Text("会員事業者の登録技能者数", "Members' registered workers")]
    cells = [_suppressed_cell() if n < t.min_businesses else _count(n),
             _suppressed_cell() if is_small(workers, with_workers["business_id"].nunique(), t) else _count(workers)]
    return layout.section("overview", Text("会員の概要", "Members at a glance"), layout.table(headers, [cells]) +
                          _source([MEMBERS], data.as_of),
                          lead=Text("このレポートは、この団体の会員事業者（所属団体に当団体を登録した事業者）の"
                                    "データだけを集計しています。",
                                    "This report adds up the data of the association's member businesses only "
                                    "(businesses that list the association)."))


def build_association_page(data: AssociationData, code: str, t: Thresholds) -> str:
    member_ids = set(data.members.loc[data.members["association_code"] == code, "business_id"])
    name = _names(data.members, code)
    sections = [
        _overview(data, code, t),
        _level_mix(data, member_ids, t, code),
        _candidates(data, member_ids, t),
        _wages(data, code, t),
        _visibility(data, member_ids, t),
        _compliance(data, code, member_ids, t),
    ]
    as_of = None if data.as_of is None else Text(fmt.jp_date(data.as_of), fmt.en_date(data.as_of))
    title = Text(f"{name.ja} 会員レポート", f"{name.en}: member report")
    back = (f'<p class="note"><a href="../index.html" data-keep-lang>'
            f'{Text("団体一覧へ", "All associations").html()}</a></p>')
    return layout.page(title=title, body=back + "\n".join(sections), as_of=as_of, depth=2, with_charts=True,
                       footer=Text("静的ページ（オフラインで閲覧可）。会員事業者の集計のみ。小さなセルは秘匿しています。",
                                   "Static page, readable offline. Member businesses only; small cells are "
                                   "suppressed."))


def build_index(data: AssociationData, codes: list[str], t: Thresholds) -> str:
    headers = [Text("団体", "Association"), Text("コード", "Code"), Text("会員事業者数", "Member businesses")]
    body = []
    for code in codes:
        name = _names(data.members, code)
        n = data.members.loc[data.members["association_code"] == code, "business_id"].nunique()
        link = f'<a href="{html.escape(code)}/index.html" data-keep-lang>{name.html()}</a>'
        body.append([(link, ""), (f"<code>{html.escape(code)}</code>", ""),
                     _suppressed_cell() if n < t.min_businesses else _count(n)])
    as_of = None if data.as_of is None else Text(fmt.jp_date(data.as_of), fmt.en_date(data.as_of))
    content = layout.section("associations", INDEX_TITLE, layout.table(headers, body) + layout.paragraph(t.note()),
                             lead=Text("団体ごとに、その会員事業者だけを集計したレポートです。",
                                       "One report per association, adding up its member businesses only."))
    return layout.page(title=INDEX_TITLE, body=content, as_of=as_of, depth=1)


def iter_pages(gold: Location, as_of: date | None = None,
               thresholds: Thresholds | None = None) -> Iterator[tuple[str, str]]:
    """(relative path, page) for the association audience, one at a time (the caller writes each
    and lets it go); nothing when there is no membership mart."""
    t = thresholds or Thresholds.from_env()
    data = load(gold, as_of)
    if data is None:
        return
    codes = sorted(data.members["association_code"].dropna().unique().tolist())
    yield f"{FOLDER}/index.html", build_index(data, codes, t)
    for code in codes:
        yield f"{FOLDER}/{code}/index.html", build_association_page(data, code, t)


def build_pages(gold: Location, as_of: date | None = None, thresholds: Thresholds | None = None) -> dict[str, str]:
    """{relative path: page} for the association audience; {} when there is no membership mart."""
    return dict(iter_pages(gold, as_of, thresholds))

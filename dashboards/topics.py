"""What each topic publishes, described once and used by every audience that shows it.

A topic names its gold mart(s), its measures (column headers in both languages, unit, format),
the kind of chart that draws it and its copy (heading and lead, in Japanese and English). The
ministry page, an association's report, an orderer's or a prime's index and a project page
all take their headings, column names and units from here, so a topic reads the same wherever
it appears; what differs per audience is the rows (prefectures, months, sites) and suppression.
"""

from __future__ import annotations

from dataclasses import dataclass

from .disclosure.table import Measure
from .i18n import Text


@dataclass(frozen=True)
class Topic:
    id: str
    heading: Text
    lead: Text
    marts: tuple[str, ...]
    chart: str                       # "line", "bars", "ranked_bars", "stacked_shares", "grouped_bars", "none"
    measures: tuple[Measure, ...]

    def measure(self, name: str) -> Measure:
        for m in self.measures:
            if m.name == name:
                return m
        raise KeyError(f"topic {self.id}: no measure {name}")

    def pick(self, *names: str) -> list[Measure]:
        return [self.measure(n) for n in names]


def _m(name, ja, en, unit, fmt="count", **kw) -> Measure:
    return Measure(name, Text(ja, en), unit, fmt, **kw)


WORKERS = _m("registered_workers", "登録技能者数", "Registered workers", "workers")
NEW_WORKERS = _m("new_workers", "当月の新規登録", "New in the month", "workers")
ACTIVE_WORKERS = _m("active_workers", "就業実績あり（30日）", "Active (30 days)", "workers")

TOPICS: dict[str, Topic] = {t.id: t for t in (
    Topic("registered-workers", Text("登録技能者数", "Registered workers"),
          Text("国土交通省の公表値と目標、公表値のペースでの到達見込み（上段）と、本基盤の各月末の累計登録技能者数（下段）。",
               "The official figures, the targets and when each is projected to be reached at the official pace "
               "(above); the platform's registered workers at each month end (below)."),
          ("adoption_national", "adoption_prefecture_monthly", "published_adoption", "target_progress_official"),
          "line",
          (WORKERS,)),
    Topic("registered-businesses", Text("登録事業者数", "Registered businesses"),
          Text("国土交通省の公表値と目標（上段）と、本基盤の各月末の累計登録事業者数（一人親方を含む／除く、下段）。",
               "The official figures and the targets (above); the platform's registered businesses at each month "
               "end, with and without sole proprietors (below)."),
          ("adoption_national", "published_adoption", "target_progress_official"), "line",
          (_m("registered_businesses", "登録事業者数", "Registered businesses", "businesses", worker_rule=False),
           _m("registered_businesses_excl_sole", "登録事業者数（一人親方を除く）",
              "Registered businesses (excl. sole proprietors)", "businesses", worker_rule=False))),
    Topic("targets", Text("目標に対する進捗", "Progress against the targets"),
          Text("達成率と到達見込みは国土交通省の公表値（業界紙が報じた公式の数値）によります。本基盤の値は参考で、"
               "模擬データでは標本の値のため目標とは比べられません。到達見込みは公表値のおよそ1年間の伸び"
               "（1年以上前の直近の公表時点から）が続いた場合の月で、2100年より後は「見込み立たず」、年度の目標は"
               "その年度内に限って見込みます。",
               "The share reached and the projection rest on the official figures (MLIT's, as the trade press "
               "reported them). The platform's value is for reference: in simulated data it is a sample's and "
               "cannot be compared with a target. The projection is the month the target is reached if the "
               "official figures keep their growth over about a year (from the latest official date at least a "
               "year earlier); past 2100 it reads 'no prospect', and a fiscal-year target is projected within "
               "its fiscal year only."),
          ("target_progress_official", "published_adoption", "target_progress"), "none",
          (_m("value", "本基盤の値", "Platform's value", "workers"),
           _m("official_value", "公表値", "Official figure", "workers", exempt=True, additive=False),
           _m("target_value", "目標値", "Target value", "workers", exempt=True),
           _m("share", "達成率（公表値）", "Share reached (official)", "rate", "rate", additive=False, exempt=True))),
    Topic("work-history", Text("就業履歴", "Work history"),
          Text("各月に記録された就業履歴日数。技能者1人が1現場で1日働くと1人日（重複除去後）。",
               "Work-history days recorded in each month: one worker on one site on one date is one worker-day."),
          ("adoption_national", "adoption_prefecture_monthly"), "bars",
          (_m("work_history_days", "就業履歴日数", "Work-history days", "person_days"),)),
    Topic("prefectures", Text("都道府県別の登録技能者数", "Registered workers by prefecture"),
          Text("所属事業者の都道府県別。表の見出しをクリックすると並べ替えられます。",
               "By the prefecture of the worker's employer. Click a column heading to sort the table."),
          ("adoption_prefecture_monthly",), "ranked_bars", (WORKERS, NEW_WORKERS, ACTIVE_WORKERS)),
    Topic("occupations", Text("職種別の登録技能者数", "Registered workers by occupation"),
          Text("登録簿の職種別。表の見出しをクリックすると並べ替えられます。",
               "By the worker's registry occupation. Click a column heading to sort the table."),
          ("adoption_occupation_monthly",), "ranked_bars", (WORKERS, NEW_WORKERS, ACTIVE_WORKERS)),
    Topic("levels", Text("レベル別の登録技能者数", "Registered workers by level"),
          Text("登録簿の最新の状態による技能者のレベル（能力評価）の分布。",
               "Skill levels (skill assessment) of registered workers, from the latest registry state."),
          ("level_eligibility_by_business",), "grouped_bars",
          (_m("current", "現在のレベル（人）", "Current level (workers)", "workers"),
           _m("eligible", "基準を満たすレベル（人）", "Criteria met (workers)", "workers"),
           _m("share", "現在のレベルの構成比", "Share by current level", "rate", "rate", additive=False))),
    Topic("input-methods", Text("就業履歴の入力方法", "How work history is entered"),
          Text("各月の就業履歴日数に占める入力方法の割合。", "Share of each month's work-history days by input method."),
          ("adoption_input_method_monthly",), "stacked_shares",
          (_m("work_history_days", "就業履歴日数", "Work-history days", "person_days"),
           _m("share", "割合", "Share", "rate", "rate", additive=False))),
    Topic("wages", Text("レベル別賃金と目安", "Wages by level against the guideline"),
          Text("賃金調査に回答した技能者の年収換算額（(基本給＋手当＋賞与)×234日÷就業日数、時間外手当を除く）を、"
               "レベル別の目安（公共工事設計労務単価×234日×レベル係数: レベル1 0.80、2 0.91、3 1.00、4 1.13）と比べます。",
               "Surveyed workers' annual income ((base pay + allowances + bonus) x 234 / days worked, overtime "
               "excluded) against the guideline of their level (design labour unit price x 234 days x level "
               "multiplier: level 1 0.80, 2 0.91, 3 1.00, 4 1.13)."),
          ("wage_level_compliance_national_levels", "wage_level_compliance_national", "wage_level_compliance_groups",
           "wage_level_compliance_by_association"), "grouped_bars",
          (_m("workers_surveyed", "回答者数", "Workers surveyed", "workers"),
           _m("median_observed_annual_yen", "年収換算の中央値", "Median annual income", "yen", "yen", additive=False),
           _m("mean_guideline_annual_yen", "目安（平均）", "Guideline (mean)", "yen", "yen", additive=False),
           _m("workers_with_guideline", "目安のある回答者", "Surveyed with a guideline", "workers"),
           _m("workers_below_guideline", "目安を下回る人数", "Below the guideline", "workers"),
           _m("share_below_guideline", "目安を下回る割合", "Share below the guideline", "rate", "rate", additive=False),
           _m("published_2023_middle_annual_yen", "公表値 2023年（全分野・中位）", "Published 2023 (all fields, middle)",
              "yen", "yen", additive=False, exempt=True))),
    Topic("kentaikyo", Text("建退共の掛金充当（公共工事）", "Retirement-allowance mutual aid contributions on public works"),
          Text("対象日数＝建退共の共済手帳（被共済者番号）のある技能者の就業履歴日数。充当済み＝技能者ごとに "
               "min(報告日数, 対象日数) を合計。充当率＝充当済み÷対象日数。",
               "Days due = work-history days of workers with a retirement-allowance mutual aid member number; covered = Σ per worker "
               "min(days reported, days due); coverage = covered / due."),
          ("kentaikyo_prefecture_monthly", "kentaikyo_site_monthly", "kentaikyo_business_monthly"), "bars",
          (_m("days_due", "対象日数", "Days due", "days"),
           _m("covered_days", "充当済み日数", "Days covered", "days"),
           _m("coverage", "充当率", "Coverage", "rate", "rate", additive=False),
           _m("shortfall_yen", "不足額", "Shortfall", "yen", "yen"))),
    Topic("insurance", Text("社会保険の加入確認（現場入場時）", "Social insurance checks at site entry"),
          Text("作業員名簿の人日ごとに、元請が社会保険の加入をどう確認したか。未加入・不明のまま入場させた人日は"
               "入場ルール違反です。",
               "For each roster person-day, how the prime checked social insurance; a person-day admitted while "
               "uninsured breaks the admission rule."),
          ("insurance_prefecture_monthly", "insurance_site_monthly"), "stacked_shares",
          (_m("person_days", "名簿人日", "Roster person-days", "person_days"),
           _m("checked_ccus", "CCUSで確認", "Through CCUS", "person_days"),
           _m("checked_ccus_share", "CCUSで確認（割合）", "Through CCUS (share)", "rate", "rate", additive=False),
           _m("checked_document", "書類で確認", "On documents", "person_days"),
           _m("checked_document_share", "書類で確認（割合）", "On documents (share)", "rate", "rate", additive=False),
           _m("not_checked", "確認なし", "Not checked", "person_days"),
           _m("not_checked_share", "確認なし（割合）", "Not checked (share)", "rate", "rate", additive=False),
           _m("admitted_uninsured_person_days", "未加入・不明のまま入場（人日）", "Admitted uninsured (person-days)",
              "person_days"))),
    Topic("worktime", Text("労働時間の上限（2024年4月から建設業に適用）", "Working-time caps (construction, from April 2024)"),
          Text("上限を超えた技能者の人数（違反が確定した月に数えます。時間外＋休日労働）。",
               "Workers over a cap, counted in the month the violation is established (overtime + holiday work)."),
          ("worktime_violations_monthly", "worktime_site_monthly"), "grouped_bars",
          (_m("workers_over_100h", "月100時間以上", "100 h or more in a month", "workers"),
           _m("workers_over_80h_avg", "2〜6か月平均80時間超", "2-6-month average over 80 h", "workers"),
           _m("workers_over_45h_7th_month", "月45時間超が年7回目", "7th month over 45 h in the year", "workers"),
           _m("workers_over_720h", "年720時間超", "Over 720 h in the year", "workers"))),
    Topic("model-projects", Text("CCUSモデル工事の結果", "CCUS model projects"),
          Text("事業者登録率・技能者登録率・就業履歴蓄積率の測定日ごとの平均と、工事成績評定の加減点"
               "（+1: 90%・80%・50%以上、さらに技能者登録率90%以上で+1、義務化モデルは70%・60%・30%を下回ると-1）。",
               "Mean rates at the measurement dates and the points (+1 at or above 90 % / 80 % / 50 %, +1 more "
               "with worker registration at or above 90 %, -1 for a mandatory project below 70 % / 60 % / 30 %)."),
          ("model_project_scores", "model_project_measurements"), "none",
          (_m("sites", "工事数", "Projects", "sites", worker_rule=False),
           _m("measured", "測定済み", "Measured", "sites", worker_rule=False),
           _m("points_plus_2", "+2点", "+2", "sites", worker_rule=False),
           _m("points_plus_1", "+1点", "+1", "sites", worker_rule=False),
           _m("points_0", "0点", "0", "sites", worker_rule=False),
           _m("points_minus_1", "-1点", "-1", "sites", worker_rule=False),
           _m("avg_business_registration_rate", "事業者登録率（平均）", "Business registration (mean)", "rate", "rate",
              additive=False, worker_rule=False),
           _m("avg_worker_registration_rate", "技能者登録率（平均）", "Worker registration (mean)", "rate", "rate",
              additive=False, worker_rule=False),
           _m("avg_card_touch_rate", "就業履歴蓄積率（平均）", "Card touch (mean)", "rate", "rate", additive=False,
              worker_rule=False))),
    Topic("closure", Text("4週8休（現場閉所）", "8 closed days in 4 weeks (site closure)"),
          Text("閉所日＝就業履歴も作業員名簿もない日（年末年始12/29〜1/3・夏季8/13〜15を除く）。閉所率28.5%以上で4週8休。",
               "A closed day has neither a work-history day nor a roster row (29 Dec - 3 Jan and 13-15 Aug left "
               "out); 8 closed days in 4 weeks is a closure rate of at least 28.5 % (8 / 28)."),
          ("site_closure", "site_closure_monthly"), "none",
          (_m("sites", "工事数", "Projects", "sites", worker_rule=False),
           _m("counted_days", "対象日（現場日）", "Counted site-days", "days", worker_rule=False),
           _m("closed_days", "閉所日（現場日）", "Closed site-days", "days", worker_rule=False),
           _m("closure_rate", "閉所率（合算）", "Closure rate (pooled)", "rate", "rate", additive=False,
              worker_rule=False),
           _m("meets_whole_period", "通期で達成", "Meet it over the period", "sites", worker_rule=False),
           _m("meets_monthly", "毎月達成", "Meet it every month", "sites", worker_rule=False),
           _m("meets_declared", "区分どおり達成", "Meet their declared type", "sites", worker_rule=False))),
)}

"""The tables of the project pages as data: one CSV per topic with the rows of a location's own
sites (UTF-8 with BOM, Japanese headers, rates in % as on the pages).

Each mart is formatted once, vectorised, and cut into each site's lines; a location's file is
its sites' lines joined, so tens of thousands of locations cost string joins, not formatting.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from ..disclosure.table import Table
from ..i18n import Text
from .data import (CLOSURE, CLOSURE_MONTHLY, INSURANCE, KENTAIKYO, MEASUREMENTS, WORKTIME,
                   _KENTAIKYO_BUSINESS_TOTALS, ProjectData)

BOM = "\ufeff"

# table id -> (mart, [(column, Japanese header, kind)]); kind "rate" is written in %
SITE_TABLES = {
    "site_kentaikyo_monthly": (KENTAIKYO, [
        ("site_id", "現場ID", ""), ("month", "月", "month"), ("days_due", "対象日数", ""),
        ("days_reported", "報告日数", ""), ("covered_days", "充当済み日数", ""), ("coverage", "充当率（%）", "rate"),
        ("amount_due_yen", "掛金（対象）", ""), ("amount_reported_yen", "掛金（報告）", ""),
        ("shortfall_yen", "不足額", "")]),
    "site_kentaikyo_businesses": (_KENTAIKYO_BUSINESS_TOTALS, [
        ("site_id", "現場ID", ""), ("business_id", "事業者ID", ""), ("is_prime", "元請", "flag"),
        ("has_stamp_exception", "証紙例外", "flag"), ("days_due", "対象日数", ""),
        ("covered_days", "充当済み日数", ""), ("electronic_days", "電子申請日数", ""), ("stamp_days", "証紙日数", ""),
        ("shortfall_yen", "不足額", "")]),
    "site_insurance_monthly": (INSURANCE, [
        ("site_id", "現場ID", ""), ("month", "月", "month"), ("person_days", "名簿人日", ""), ("persons", "人数", ""),
        ("checked_ccus", "CCUSで確認", ""), ("checked_document", "書類で確認", ""), ("not_checked", "確認なし", ""),
        ("refused_person_days", "入場不可", ""), ("admitted_uninsured_person_days", "未加入・不明のまま入場", "")]),
    "site_worktime_monthly": (WORKTIME, [
        ("site_id", "現場ID", ""), ("month", "月", "month"), ("workers", "技能者数", ""),
        ("work_history_days", "就業履歴日数", ""), ("work_hours", "労働時間", "hours"),
        ("overtime_hours_on_site", "時間外（この現場の日）", "hours"), ("holiday_work_hours", "休日労働", "hours"),
        ("workers_over_100h", "月100時間以上", ""), ("workers_over_80h_avg", "2〜6か月平均80時間超", ""),
        ("workers_over_45h_7th_month", "45時間超が年7回目", ""), ("workers_over_720h", "年720時間超", "")]),
    "site_model_project_measurements": (MEASUREMENTS, [
        ("site_id", "現場ID", ""), ("measured_on", "測定日", "date"),
        ("business_registration_rate", "事業者登録率（%）", "rate"), ("registered_businesses", "登録事業者", ""),
        ("businesses", "事業者", ""), ("worker_registration_rate", "技能者登録率（%）", "rate"),
        ("registered_persons", "登録技能者", ""), ("persons", "技能者", ""),
        ("card_touch_rate", "就業履歴蓄積率（%）", "rate"), ("touched_person_days", "タッチのある名簿人日", ""),
        ("roster_person_days", "名簿人日", "")]),
    "site_closure": (CLOSURE, [
        ("site_id", "現場ID", ""), ("counted_days", "対象日", ""), ("closed_days", "閉所日", ""),
        ("closure_rate", "閉所率（%）", "rate"), ("meets_4w8c_whole_period", "通期で4週8休", "flag"),
        ("meets_4w8c_monthly", "毎月4週8休", "flag"), ("meets_declared_type", "区分どおり達成", "flag")]),
    "site_closure_monthly": (CLOSURE_MONTHLY, [
        ("site_id", "現場ID", ""), ("month", "月", "month"), ("counted_days", "対象日", ""),
        ("closed_days", "閉所日", ""), ("closure_rate", "閉所率（%）", "rate")]),
}
TITLES = {
    "site_kentaikyo_monthly": ("建退共：月別の対象日数と充当", "Retirement-allowance mutual aid: days due and covered per month"),
    "site_kentaikyo_businesses": ("建退共：事業者別（全期間）", "Retirement-allowance mutual aid per business (whole period)"),
    "site_insurance_monthly": ("社会保険の加入確認（月別）", "Insurance checks per month"),
    "site_worktime_monthly": ("労働時間（月別）", "Working time per month"),
    "site_model_project_measurements": ("モデル工事：測定日ごとの3つの率", "Model project: the rates per measurement date"),
    "site_closure": ("4週8休（工期全体）", "8 closed days in 4 weeks (whole period)"),
    "site_closure_monthly": ("4週8休（月別）", "8 closed days in 4 weeks, per month"),
}


def _formatted(frame: pd.DataFrame, columns) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    for column, _, kind in columns:
        if column not in frame.columns:
            out[column] = ""
            continue
        # Python values in one call: iterating a pyarrow-backed column yields them one at a time
        # (3 million calls, 3.7 s of every publishing process at national scale)
        values = frame[column].tolist()
        if kind == "rate":
            out[column] = [("" if v is None or v != v else f"{float(v) * 100:.1f}") for v in values]
        elif kind == "hours":
            out[column] = [("" if v is None or v != v else f"{float(v):.1f}") for v in values]
        elif kind == "flag":
            out[column] = [("" if v is None or v != v else ("1" if v else "0")) for v in values]
        elif kind == "month":
            out[column] = [("" if v is None else f"{v.year:04d}-{v.month:02d}") for v in values]
        elif kind == "date":
            out[column] = [("" if v is None else v.isoformat()) for v in values]
        else:
            out[column] = ["" if v is None or (isinstance(v, float) and v != v) else
                           (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)) for v in values]
    return out


# the site tables as tables of marts, for the 推計 lines and the methods page: the mart whose
# rows each holds (the kentaikyo businesses' totals are kentaikyo_business_monthly summed)
SITE_TABLE_MARTS = [Table(t, Text(*TITLES[t]), (mart.split(" ", 1)[0],), [], []) for t, (mart, _) in SITE_TABLES.items()]


class SiteTables:
    """Each site table's header and each site's lines, computed once."""

    def __init__(self, data: ProjectData):
        self.headers: dict[str, str] = {}
        self.lines: dict[str, dict[str, str]] = {}
        for table_id, (mart, columns) in SITE_TABLES.items():
            frame = data.marts.get(mart)
            if frame is None:
                continue
            header = io.StringIO()
            csv.writer(header, lineterminator="\r\n").writerow([ja for _, ja, _ in columns])
            self.headers[table_id] = header.getvalue()
            text = _formatted(frame.sort_values([c for c, _, k in columns[:2] if c in frame.columns], kind="stable"),
                              columns)
            body = io.StringIO()
            text.to_csv(body, index=False, header=False, lineterminator="\r\n")
            by_site: dict[str, list[str]] = {}
            for site_id, line in zip(text["site_id"], body.getvalue().splitlines(keepends=True)):
                by_site.setdefault(site_id, []).append(line)
            self.lines[table_id] = {site: "".join(lines) for site, lines in by_site.items()}

    def files(self, site_ids) -> dict[str, bytes]:
        """{tables/<id>.csv: bytes} of the tables these sites have rows in (a site page shows
        only those)."""
        out = {}
        for table_id, lines in self.lines.items():
            body = "".join(lines.get(s, "") for s in site_ids)
            if body:
                out[f"tables/{table_id}.csv"] = (BOM + self.headers[table_id] + body).encode("utf-8")
        return out

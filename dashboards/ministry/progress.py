"""How a target's progress on the official series (a row of target_progress_official) reads
on a page: the projected month, 見込み立たず, or why there is no projection; and its status."""

from __future__ import annotations

from .. import format as fmt
from ..i18n import Text


def _fiscal_year(deadline) -> int:
    return deadline.year - (deadline.month < 4)


NO_PROSPECT = Text("見込み立たず", "No prospect")


def projection_text(goal) -> Text:
    """When a target is (projected to be) reached on the official series (a row of
    target_progress_official): a month, 見込み立たず past 2100 or at a pace <= 0, or why there is
    no projection."""
    if goal is None:
        return Text("公表値なし", "No official figure")
    status = goal.projection_status
    if status == "reached":
        return Text(f"{fmt.jp_date(goal.projected_date)}に達成", f"reached on {fmt.en_date(goal.projected_date)}")
    if status == "projected":
        return Text(fmt.jp_month(goal.projected_date), fmt.en_month(goal.projected_date))
    if status == "unreachable":
        return NO_PROSPECT
    year = _fiscal_year(goal.deadline)
    if status == "before_period":
        return Text(f"{year}年度の開始前", f"FY{year} not begun")
    if status in ("after_period", "no_opening_figure"):
        return Text(f"{year}年度の公表値なし", f"no official figure for FY{year}")
    return Text("算出できず（公表値が1時点のみ）", "none (a single official date)")


def status_text(goal) -> Text:
    if goal is None:
        return Text("公表値なし", "No official figure")
    status = goal.projection_status
    if status == "reached":
        return Text("達成", "Reached")
    if status in ("before_period", "after_period", "no_opening_figure"):
        return Text("-", "-")
    if goal.deadline < goal.as_of:
        return Text("期限までに未達", "Deadline missed")
    if status == "unreachable":
        return NO_PROSPECT
    if status != "projected":
        return Text("見込みを算出できず", "No projection")
    if goal.projected_date <= goal.deadline:
        return Text("期限内に達成見込み", "On track")
    return Text("期限後に達成見込み", "Behind schedule")

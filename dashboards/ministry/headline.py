"""The headline of the ministry's page, in the form of the industry's monthly 「CCUSの運営状況」:
the latest month's cumulative registered workers and businesses (with and without 一人親方), the
month's new registrations and new sites, work-history days (the month, the fiscal year to date,
cumulative), each with its change on the previous month and year, the latest official figure
beside the platform's, and the progress against each target.

Every figure is a cell: the cumulative counts and the month's work-history days are points of the
national series; the rest are cells of the ``headline`` table (rows: the latest month, the
previous month and the same month a year earlier), published as tables/headline.csv and linked
to the series so that suppression holds across them:

- registered workers(m) = registered workers(m-1) + new workers(m) (workers are never withdrawn);
- the latest month's new workers = the prefecture table's 全国 row;
- the fiscal year to date = Σ the series' months of that fiscal year up to m;
- cumulative = Σ the series' months up to m.

A change is shown only when both of its figures are published: it then discloses nothing that
the page does not already show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from .. import format as fmt
from ..disclosure import kinds
from ..disclosure.cells import ALL, Cell, CellSet
from ..disclosure.table import KeyColumn, Measure, Table
from ..i18n import Text
from . import adoption
from . import data as d
from .adoption_charts import domain
from .progress import projection_text, status_text

MEASURES = (
    Measure("new_workers", Text("新規登録技能者（当月）", "New workers (month)"), "workers"),
    Measure("new_businesses", Text("新規登録事業者（当月）", "New businesses (month)"), "businesses",
            worker_rule=False),
    Measure("new_sites", Text("新規登録現場（当月）", "New sites (month)"), "sites", worker_rule=False),
    Measure("work_history_days_fiscal_ytd", Text("就業履歴日数（年度累計）", "Work-history days (fiscal year to date)"),
            "person_days"),
    Measure("work_history_days_cumulative", Text("就業履歴日数（累計）", "Work-history days (cumulative)"),
            "person_days"),
)
TITLE = Text("主な数値（当月・前月・前年同月）", "Key figures (the month, the previous month, a year earlier)")
UNITS = {"workers": ("人", " workers"), "businesses": ("社", " businesses"), "sites": ("現場", " sites"),
         "person_days": ("人日", " worker-days")}
PLATFORM = Text("本基盤", "Platform")
OFFICIAL = Text("公表値", "Official")
TARGETS_HEADING = Text("目標に対する進捗（公表値による）", "Progress against the targets (on the official figures)")


@dataclass
class Headline:
    label: Text
    value: Text
    note: Text
    suppressed: bool = False
    official: Text | None = None          # the latest official figure beside the platform's
    official_note: Text | None = None     # its date and source
    changes: list[Text] = field(default_factory=list)   # on the previous month, on the year


def _shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _fiscal_year_start(month: date) -> date:
    return date(month.year - (month.month < 4), 4, 1)


def _months_behind(frame: pd.DataFrame | None, month: date, column: str) -> int | None:
    """Σ a distinct-count column of adoption_prefecture_monthly over the prefectures in a month
    (a business has one prefecture, so the national count of businesses is their sum)."""
    if frame is None or column not in frame:
        return None
    rows = frame[frame["month"] == month]
    return None if rows.empty else int(rows[column].sum())


def table(a: adoption.Adoption) -> Table:
    """The headline table of the latest month, the previous month and the same month a year
    earlier (those the series holds), with its relations to the national series."""
    out = Table("headline", TITLE, (d.NATIONAL, d.PREFECTURES), [adoption.MONTH], list(MEASURES))
    national, latest = a.data.national, a.data.latest_month()
    if national is None or latest is None:
        return out
    series = list(national["month"])
    by_month = {row.month: row for row in national.itertuples(index=False)}
    for month in sorted({m for m in (latest, _shift(latest, 1), _shift(latest, 12)) if m in by_month}, reverse=True):
        row = by_month[month]
        fiscal = [m for m in series if _fiscal_year_start(month) <= m <= month]
        upto = [m for m in series if m <= month]
        history = [a.work_history.cell("work_history_days", month=d.month_key(m)) for m in upto]
        fiscal_cells = [c for c, m in zip(history, upto) if m in fiscal and c is not None]
        values = {m.name: _value(row, m.name) for m in MEASURES}
        # the days of a window rest on at least the workers (businesses) of its largest month
        added = out.add_row(
            a.cells, {"month": d.month_key(month)}, Text(fmt.jp_month(month), fmt.en_month(month)), values,
            workers={"new_workers": values["new_workers"],
                     "work_history_days_fiscal_ytd": max((c.workers or 0 for c in fiscal_cells), default=None),
                     "work_history_days_cumulative": max((c.workers or 0 for c in history if c), default=None)},
            businesses={"new_workers": _months_behind(a.data.prefectures, month, "new_worker_businesses"),
                        "new_sites": _primes(row),
                        "work_history_days_fiscal_ytd": max((c.businesses or 0 for c in fiscal_cells), default=None),
                        "work_history_days_cumulative": max((c.businesses or 0 for c in history if c), default=None)})
        _relate(a, added.cells, month, fiscal, upto)
    return out


def _value(row, column: str) -> int | None:
    """A column of adoption_national (None when the mart predates it: no figure)."""
    value = getattr(row, column, None)
    return None if value is None or pd.isna(value) else int(value)


def _primes(row) -> int | None:
    """The prime contractors behind a month's new sites (None when the mart predates the column:
    unknown, so the cell is suppressed)."""
    return _value(row, "new_sites_primes")


def _relate(a: adoption.Adoption, cells: dict[str, Cell], month: date, fiscal: list[date], upto: list[date]) -> None:
    key = d.month_key(month)
    before = _shift(month, 1)
    registered = a.workers.cell("registered_workers", month=key)
    if registered is not None and "new_workers" in cells:
        previous = a.workers.cell("registered_workers", month=d.month_key(before))
        if previous is not None:
            a.cells.relate("sum", registered, [previous, cells["new_workers"]])
        elif upto == [month]:
            # the first month of the series: everyone registered is new
            kinds.same(a.cells, registered, cells["new_workers"])
    if month == a.data.latest_month():
        kinds.same(a.cells, cells.get("new_workers"), a.prefectures.cell("new_workers", prefecture_code=ALL))
    kinds.window_sum(a.cells, cells.get("work_history_days_fiscal_ytd"), a.work_history, "work_history_days",
                     [d.month_key(m) for m in fiscal])
    kinds.window_sum(a.cells, cells.get("work_history_days_cumulative"), a.work_history, "work_history_days",
                     [d.month_key(m) for m in upto])


# ---------------------------------------------------------------- the cards

def _official(a: adoption.Adoption, measure: str, basis: str | None) -> tuple[Text | None, Text | None]:
    """The latest official figure of a measure (a cell of the published table, exempt from
    suppression) with its date and source."""
    found = [r for r in a.published.rows if r.cells.get(measure) is not None and r.cells[measure].value is not None
             and (basis is None or r.key["businesses_basis"] == basis)]
    if not found:
        return None, None
    row = max(found, key=lambda r: r.key["as_of"])
    value, day = row.cells[measure].value, date.fromisoformat(row.key["as_of"])
    frame = a.data.published
    url = frame[frame["as_of"] == day]["source_url"].iloc[0]
    unit = {"registered_workers": UNITS["workers"], "registered_businesses": UNITS["businesses"],
            "cumulative_work_records": UNITS["person_days"]}[measure]
    where = domain(url)
    return (Text(fmt.jp_number(value, unit[0]), f"{fmt.en_number(value)}{unit[1]}"),
            Text(f"{fmt.jp_date(day)}・{where}", f"{fmt.en_date(day)}, {where}"))


def _signed(value, unit: tuple[str, str]) -> Text:
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return Text(f"{sign}{fmt.jp_number(abs(value), unit[0])}", f"{sign}{fmt.en_number(abs(value))}{unit[1]}")


def _changes(cell: Cell, earlier: dict[str, Cell | None], unit: tuple[str, str], compare: tuple[str, ...]) -> list[Text]:
    """前月比 / 前年同月比 of a published cell (``compare``: "month", "year"), each only when the
    earlier figure is published."""
    out = []
    for (ja, en), which in ((("前月比", "on the month"), "month"), (("前年同月比", "on the year"), "year")):
        other = earlier.get(which) if which in compare else None
        if other is None or other.suppressed or other.value is None:
            continue
        change = _signed(cell.value - other.value, unit)
        out.append(Text(f"{ja} {change.ja}", f"{change.en} {en}"))
    return out


def cards(a: adoption.Adoption, headline: Table) -> list[Headline]:
    month = a.data.latest_month()
    if month is None:
        return []
    when = Text(f"{fmt.jp_month(month)}末", f"end of {fmt.en_month(month)}")
    in_month = Text(fmt.jp_month(month), fmt.en_month(month))
    fiscal = _fiscal_year_start(month).year
    keys = {"now": d.month_key(month), "month": d.month_key(_shift(month, 1)), "year": d.month_key(_shift(month, 12))}

    def series(table: Table, measure: str):
        return {k: table.cell(measure, month=v) for k, v in keys.items()}

    def own(measure: str):
        return {k: headline.cell(measure, month=v) for k, v in keys.items()}

    both, year = ("month", "year"), ("year",)
    # a fiscal year to date or a cumulative sum changes on the month by the month's days (shown
    # beside it): only its change on the year is told
    figures = (
        (Text("登録技能者数（累計）", "Registered workers"), series(a.workers, "registered_workers"), "workers", when,
         ("registered_workers", None), both),
        (Text("登録事業者数（一人親方を含む）", "Registered businesses (incl. sole proprietors)"),
         series(a.businesses, "registered_businesses"), "businesses", when,
         ("registered_businesses", "incl_sole_proprietors"), both),
        (Text("登録事業者数（一人親方を除く）", "Registered businesses (excl. sole proprietors)"),
         series(a.businesses, "registered_businesses_excl_sole"), "businesses", when,
         ("registered_businesses", "excl_sole_proprietors"), both),
        (Text("新規登録技能者", "New workers"), own("new_workers"), "workers", in_month, None, both),
        (Text("新規登録事業者", "New businesses"), own("new_businesses"), "businesses", in_month, None, both),
        (Text("新規登録現場", "New sites"), own("new_sites"), "sites", in_month, None, both),
        (Text("就業履歴（当月）", "Work-history days (month)"), series(a.work_history, "work_history_days"),
         "person_days", in_month, None, both),
        (Text("就業履歴（年度累計）", "Work-history days (fiscal year to date)"), own("work_history_days_fiscal_ytd"),
         "person_days", Text(f"{fiscal}年度・{fmt.jp_month(month)}まで", f"FY{fiscal} to {fmt.en_month(month)}"), None, year),
        (Text("就業履歴（累計）", "Work-history days (cumulative)"), own("work_history_days_cumulative"),
         "person_days", when, ("cumulative_work_records", None), year),
    )
    out = []
    for label, found, unit_name, note, official, compare in figures:
        cell = found["now"]
        if cell is None:
            continue
        unit = UNITS[unit_name]
        value = Text(fmt.jp_number(cell.value, unit[0]), f"{fmt.en_number(cell.value)}{unit[1]}")
        figure, figure_note = _official(a, *official) if official else (None, None)
        suppressed = bool(cell.suppressed) or cell.value is None
        out.append(Headline(label, value, note, suppressed=suppressed, official=figure, official_note=figure_note,
                            changes=[] if suppressed else _changes(cell, found, unit, compare)))
    return out


def target_cards(a: adoption.Adoption) -> list[Headline]:
    """One card per target: its share reached on the official series (exempt: official figures
    and targets are public), its deadline, and when it is projected to be reached."""
    if a.data.targets is None:
        return []
    official = a.official_by_target()
    out = []
    for row, goal in zip(a.targets.rows, a.data.targets.itertuples(index=False)):
        share, mark = row.cells.get("share"), official.get(goal.target_id)
        value = (Text(fmt.MISSING, fmt.MISSING) if share is None or share.value is None else
                 Text(fmt.percent(share.value), fmt.percent(share.value)))
        deadline = Text(f"期限 {fmt.jp_date(goal.deadline)}", f"deadline {fmt.en_date(goal.deadline)}")
        status, projected = status_text(mark), projection_text(mark)
        if mark is not None and mark.projection_status == "projected":
            projected = Text(f"到達見込み {projected.ja}", f"projected: {projected.en}")
        # "reached on <date>" and "FY2026 not begun" say it all; otherwise the status, then when
        reached_or_idle = mark is not None and (mark.projection_status == "reached" or status.ja == "-")
        lines = [projected] if reached_or_idle or status.ja == projected.ja else [status, projected]
        out.append(Headline(row.label, value, deadline, changes=lines))
    return out

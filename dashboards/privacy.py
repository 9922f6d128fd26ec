"""Statistical disclosure control for published pages (metrics.md section 8).

The gold marts are internal aggregates, not suppressed. Everything a page shows to the ministry
or to an association passes through this module:

- **Primary suppression**: a cell that counts fewer than ``min_workers`` distinct workers (10) or
  fewer than ``min_businesses`` distinct businesses (3) is suppressed (shown as 秘匿 /
  suppressed). In a table of counts an empty cell (0) counts nobody and is published as 0; a
  single figure with no one behind it (``is_small``) is suppressed.
- **Complementary suppression** for tables of additive counts with published totals: no
  suppressed value may be recoverable by subtracting the published cells of a row or column
  from its published total. When a line (a row or a column with its total, or the row of
  column totals / column of row totals with the grand total) has exactly one suppressed
  member, the next-smallest published cell of that line is suppressed as well (its total when
  there is no other cell; a non-empty cell rather than a 0), and so on until no line has
  exactly one. As recovery by subtraction
  must start from a line with a single unknown, no suppressed value can then be recovered by
  chains of subtractions either (``recoverable`` checks exactly that). Suppressed cells that
  share lines in a rectangle still leave their individual values undetermined.
- Medians, shares and other non-additive cells have no totals to subtract from: primary
  suppression only, on the workers and businesses behind the cell.

Thresholds are configuration (``Thresholds.from_env``): ``CCUS_SUPPRESS_MIN_WORKERS`` and
``CCUS_SUPPRESS_MIN_BUSINESSES`` override the defaults.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Hashable, Sequence

import pandas as pd

from .i18n import Text

SUPPRESSED = Text("秘匿", "suppressed")
SUPPRESSION_NOTE = Text(
    "「秘匿」は、技能者10人未満または事業者3社未満のセル、および合計からの差し引きで秘匿値が分かってしまう"
    "セル（補完秘匿）です。",
    "'suppressed' marks cells counting fewer than 10 workers or fewer than 3 businesses, and cells "
    "whose value would otherwise let a suppressed one be recovered from a total (complementary "
    "suppression).")


@dataclass(frozen=True)
class Thresholds:
    min_workers: int = 10
    min_businesses: int = 3

    @classmethod
    def from_env(cls, environ: dict | None = None) -> "Thresholds":
        env = os.environ if environ is None else environ
        default = cls()
        return cls(min_workers=int(env.get("CCUS_SUPPRESS_MIN_WORKERS", default.min_workers)),
                   min_businesses=int(env.get("CCUS_SUPPRESS_MIN_BUSINESSES", default.min_businesses)))

    def note(self) -> Text:
        if (self.min_workers, self.min_businesses) == (10, 3):
            return SUPPRESSION_NOTE
        return Text(SUPPRESSION_NOTE.ja.replace("10人", f"{self.min_workers}人").replace("3社", f"{self.min_businesses}社"),
                    SUPPRESSION_NOTE.en.replace("10 workers", f"{self.min_workers} workers")
                    .replace("3 businesses", f"{self.min_businesses} businesses"))


def is_small(workers, businesses, thresholds: Thresholds) -> bool:
    """Primary rule for one cell (missing counts are treated as 0: suppressed)."""
    w = 0 if workers is None or pd.isna(workers) else int(workers)
    b = 0 if businesses is None or pd.isna(businesses) else int(businesses)
    return w < thresholds.min_workers or b < thresholds.min_businesses


def suppress_cells(frame: pd.DataFrame, thresholds: Thresholds, *, workers: str = "workers",
                   businesses: str = "businesses") -> pd.Series:
    """Primary suppression of independent cells (one per row of ``frame``): True = suppressed."""
    return pd.Series([is_small(w, b, thresholds) for w, b in zip(frame[workers], frame[businesses])],
                     index=frame.index, dtype=bool)


# ------------------------------------------------------------------ tables with totals

Key = tuple  # ("cell", row, col) | ("row_total", row) | ("col_total", col) | ("grand",)


@dataclass
class CountTable:
    """A two-way table of additive counts with its margins.

    ``values[r][c]`` is the published count of a cell, ``workers`` / ``businesses`` the distinct
    workers and businesses behind it (for a count of workers, ``workers`` = ``values``).
    Margins are given with their own distinct counts (a business spanning two cells counts once
    in their total). ``row_totals`` etc. are None when the page does not publish them.
    """

    rows: list[Hashable]
    cols: list[Hashable]
    values: dict[tuple, int]
    workers: dict[tuple, int]
    businesses: dict[tuple, int]
    row_totals: dict[Hashable, tuple[int, int, int]] | None = None   # row -> (value, workers, businesses)
    col_totals: dict[Hashable, tuple[int, int, int]] | None = None
    grand_total: tuple[int, int, int] | None = None

    def members(self) -> dict[Key, tuple[int, int, int]]:
        out: dict[Key, tuple[int, int, int]] = {}
        for r in self.rows:
            for c in self.cols:
                out[("cell", r, c)] = (self.values.get((r, c), 0), self.workers.get((r, c), 0),
                                       self.businesses.get((r, c), 0))
        for r, v in (self.row_totals or {}).items():
            out[("row_total", r)] = v
        for c, v in (self.col_totals or {}).items():
            out[("col_total", c)] = v
        if self.grand_total is not None:
            out[("grand",)] = self.grand_total
        return out

    def lines(self) -> list[tuple[list[Key], Key]]:
        """(addends, total) of every published additive relation."""
        out = []
        if self.row_totals is not None:
            for r in self.rows:
                out.append(([("cell", r, c) for c in self.cols], ("row_total", r)))
        if self.col_totals is not None:
            for c in self.cols:
                out.append(([("cell", r, c) for r in self.rows], ("col_total", c)))
        if self.grand_total is not None:
            if self.row_totals is not None:
                out.append(([("row_total", r) for r in self.rows], ("grand",)))
            if self.col_totals is not None:
                out.append(([("col_total", c) for c in self.cols], ("grand",)))
        return out

    def value(self, key: Key) -> int:
        return self.members()[key][0]


def count_table(frame: pd.DataFrame, *, row: str, col: str, value: str, business: str = "business_id",
                rows: Sequence | None = None, cols: Sequence | None = None, workers: str | None = None,
                row_totals: bool = True, col_totals: bool = True, grand_total: bool = True) -> CountTable:
    """A CountTable from unit rows (e.g. one row per business x row x col with a count).

    Cells sum ``value``; the distinct businesses of a cell or margin count the distinct
    ``business`` ids with a positive count in it. ``workers`` names the column of distinct workers
    (default: ``value`` itself, for counts of workers, who each belong to one business).
    Margins cover ``rows`` x ``cols`` only; publish only the additive ones (e.g. no column
    totals when a worker can count in several rows).
    """
    workers = workers or value
    rows = list(rows) if rows is not None else sorted(frame[row].dropna().unique().tolist())
    cols = list(cols) if cols is not None else sorted(frame[col].dropna().unique().tolist())
    data = frame[frame[row].isin(rows) & frame[col].isin(cols) & (frame[value] > 0)]

    def summary(part: pd.DataFrame) -> tuple[int, int, int]:
        return int(part[value].sum()), int(part[workers].sum()), int(part[business].nunique())

    values, worker_counts, business_counts = {}, {}, {}
    for (r, c), part in data.groupby([row, col]):
        v, w, b = summary(part)
        values[(r, c)], worker_counts[(r, c)], business_counts[(r, c)] = v, w, b
    table = CountTable(rows, cols, values, worker_counts, business_counts)
    if row_totals:
        table.row_totals = {r: summary(data[data[row] == r]) for r in rows}
    if col_totals:
        table.col_totals = {c: summary(data[data[col] == c]) for c in cols}
    if grand_total:
        table.grand_total = summary(data)
    return table


@dataclass
class Suppression:
    suppressed: set[Key] = field(default_factory=set)
    primary: set[Key] = field(default_factory=set)

    def __contains__(self, key: Key) -> bool:
        return key in self.suppressed

    def cell(self, r, c) -> bool:
        return ("cell", r, c) in self.suppressed

    def row_total(self, r) -> bool:
        return ("row_total", r) in self.suppressed

    def col_total(self, c) -> bool:
        return ("col_total", c) in self.suppressed

    def grand(self) -> bool:
        return ("grand",) in self.suppressed


def suppress_table(table: CountTable, thresholds: Thresholds) -> Suppression:
    """Primary then complementary suppression of a CountTable (see the module doc)."""
    members = table.members()
    # an empty cell (0) counts no worker: it is published as 0
    primary = {k for k, (v, w, b) in members.items() if v != 0 and is_small(w, b, thresholds)}
    suppressed = set(primary)
    lines = table.lines()
    while True:
        line = next(((addends, total) for addends, total in lines
                     if sum(m in suppressed for m in [*addends, total]) == 1), None)
        if line is None:
            break
        addends, total = line
        candidates = [m for m in addends if m not in suppressed]
        if candidates:
            # the next-smallest published cell, a non-empty one when there is one (hiding a 0
            # beside a small cell would still leave the small value bounded by the difference);
            # ties: the first in table order
            suppressed.add(min(candidates, key=lambda m: (members[m][0] == 0, members[m][0], addends.index(m))))
        else:
            suppressed.add(total)
    return Suppression(suppressed=suppressed, primary=primary)


def recoverable(table: CountTable, suppression: Suppression) -> dict[Key, int]:
    """Suppressed members an attacker recovers by subtractions (chains included): what a
    published table must never allow. Returns {member: recovered value}."""
    members = table.members()
    known = {k: v for k, (v, _, _) in members.items() if k not in suppression}
    recovered: dict[Key, int] = {}
    changed = True
    while changed:
        changed = False
        for addends, total in table.lines():
            unknown = [m for m in [*addends, total] if m not in known]
            if len(unknown) != 1:
                continue
            (m,) = unknown
            if m == total:
                value = sum(known[a] for a in addends)
            else:
                value = known[total] - sum(known[a] for a in addends if a != m)
            known[m] = recovered[m] = value
            changed = True
    return recovered

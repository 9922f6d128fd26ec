"""The relations of each kind of table, declared once (outputs.md: every relation that holds
between published figures is listed, across the tables and charts of a location).

- :class:`Breakdown` — rows by one or more dimensions with total rows (a key ``*``): each total
  row's additive measures are the sum of the rows it covers (national = Σ prefectures, a level
  total = Σ its occupations, 計 = Σ rows).
- :class:`MeasureTotal` — a measure that is the sum of other measures of the same row (a row
  total of a cross table: 計 = Σ levels; shares that add to one).
- :class:`Ratio` — a rate and its numerator and denominator in the same row.
- :func:`window_sum` — a table's figure is the sum of a monthly series' points over a window (a
  12-month chart and the table of its sum).
- :func:`same` — one figure shown in two places (a chart's latest month and a table's total row).

A table's kinds are given with the table (``TableSpec.kinds``) and applied to it after it is
filled; the links between tables are added by the page that shows both.
"""

from __future__ import annotations

from dataclasses import dataclass

from .cells import ALL, Cell, CellSet
from .table import Table


@dataclass(frozen=True)
class Breakdown:
    """Total rows (``*`` in ``dimension``) = Σ of the rows with any value there, the other key
    columns equal. ``measures``: the additive measures (default: every additive measure)."""

    dimension: str
    measures: tuple[str, ...] | None = None

    def apply(self, cells: CellSet, table: Table) -> None:
        names = self.measures or tuple(m.name for m in table.measures if m.additive)
        others = [k.name for k in table.keys if k.name != self.dimension]
        for total in table.rows:
            if total.key.get(self.dimension) != ALL:
                continue
            parts = [r for r in table.rows if r.key.get(self.dimension) != ALL
                     and all(r.key.get(o) == total.key.get(o) for o in others)]
            if not parts:
                continue
            for name in names:
                if name in total.cells and all(name in p.cells for p in parts):
                    cells.relate("sum", total.cells[name], [p.cells[name] for p in parts])


@dataclass(frozen=True)
class MeasureTotal:
    """In every row, ``total`` = Σ ``parts``."""

    total: str
    parts: tuple[str, ...]

    def apply(self, cells: CellSet, table: Table) -> None:
        for row in table.rows:
            if self.total in row.cells and all(p in row.cells for p in self.parts):
                cells.relate("sum", row.cells[self.total], [row.cells[p] for p in self.parts])


@dataclass(frozen=True)
class Ratio:
    """In every row, ``rate`` = ``numerator`` / ``denominator``."""

    rate: str
    numerator: str
    denominator: str

    def apply(self, cells: CellSet, table: Table) -> None:
        for row in table.rows:
            if all(m in row.cells for m in (self.rate, self.numerator, self.denominator)):
                cells.relate("ratio", row.cells[self.rate], [row.cells[self.numerator], row.cells[self.denominator]])


def apply(cells: CellSet, table: Table, kinds) -> Table:
    for kind in kinds:
        kind.apply(cells, table)
    return table


def window_sum(cells: CellSet, total: Cell | None, series: Table, measure: str, months) -> None:
    """``total`` (a table's figure over ``months``) = Σ the series' points of those months."""
    parts = [series.cell(measure, month=m) for m in months]
    if total is not None and parts and all(p is not None for p in parts):
        cells.relate("sum", total, parts)


def same(cells: CellSet, a: Cell | None, b: Cell | None) -> None:
    """One figure in two places."""
    if a is not None and b is not None:
        cells.relate("sum", a, [b])

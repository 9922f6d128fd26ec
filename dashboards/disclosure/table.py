"""A published table: rows (keyed like cells.csv), measures (columns) and one cell per figure.

Tables are assembled from the marts before disclosure control; pages, charts and CSV files are
rendered from them afterwards, so that nothing can show a figure the control did not pass.
A table's *kind* (dashboards.disclosure.kinds) declares the relations among its cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..i18n import Text
from .cells import ALL, Cell, CellSet, row_key_json

# how a measure is shown: "count" (1,234), "rate" (52.9 %), "yen" (33,800円), "hours" (1,234.5)
FORMATS = ("count", "rate", "yen", "hours", "points")
RATE_DIGITS = 3          # a rate is published as a fraction with 3 decimals (52.9 %)


@dataclass(frozen=True)
class Measure:
    name: str
    header: Text
    unit: str
    format: str = "count"
    additive: bool = True            # adds up over the rows of the table (a count, an amount)
    exempt: bool = False             # not the platform's data (published figure, target, seed)
    worker_rule: bool = True         # False: counts no workers (businesses, sites, site means)

    def __post_init__(self):
        if self.format not in FORMATS:
            raise ValueError(f"measure {self.name}: unknown format {self.format!r}")


@dataclass(frozen=True)
class KeyColumn:
    name: str
    header: Text


@dataclass
class Row:
    key: dict[str, Any]
    label: Text
    cells: dict[str, Cell] = field(default_factory=dict)

    @property
    def is_total(self) -> bool:
        return any(v == ALL for v in self.key.values())


def rounded_rate(value) -> float | None:
    """A rate as the page shows it (half up to 0.1 %): what cells.csv publishes."""
    if value is None:
        return None
    return float(Decimal(str(float(value))).quantize(Decimal(1).scaleb(-RATE_DIGITS), rounding=ROUND_HALF_UP))


@dataclass
class Table:
    id: str
    title: Text
    marts: tuple[str, ...]
    keys: list[KeyColumn]
    measures: list[Measure]
    rows: list[Row] = field(default_factory=list)
    note: Text | None = None

    def measure(self, name: str) -> Measure:
        for m in self.measures:
            if m.name == name:
                return m
        raise KeyError(f"{self.id}: no measure {name}")

    def add_row(self, cells: CellSet, key: dict[str, Any], label: Text, values: dict[str, Any],
                workers: dict[str, int | None] | None = None, businesses: dict[str, int | None] | None = None,
                default_workers: int | None = None, default_businesses: int | None = None,
                units: dict[str, str] | None = None, business_rule_only: tuple[str, ...] = ()) -> Row:
        """A row and its cells (added to ``cells``). ``values`` by measure (None: not available;
        a measure left out has no cell in this row); ``workers`` / ``businesses`` by measure,
        else the defaults, are the distinct counts behind each cell. A count of businesses is
        its own business count. ``units`` overrides a measure's unit in this row;
        ``business_rule_only`` names measures that count no workers in this row."""
        workers, businesses, units = workers or {}, businesses or {}, units or {}
        row = Row(key=dict(key), label=label)
        key_json = row_key_json(row.key)     # once per row, not per cell
        for m in self.measures:
            if m.name not in values:
                continue
            value = values[m.name]
            if value is not None and m.format == "rate":
                value = rounded_rate(value)
            elif value is not None and m.format == "hours":
                value = round(float(value), 1)
            elif value is not None:
                value = int(value) if float(value).is_integer() else float(value)
            unit = units.get(m.name, m.unit)
            b = businesses.get(m.name, default_businesses)
            if unit == "businesses" and not m.exempt:
                b = value
            cell = Cell(self.id, row.key, m.name, unit, value,
                        workers=workers.get(m.name, default_workers), businesses=b,
                        worker_rule=m.worker_rule and unit != "businesses" and m.name not in business_rule_only,
                        exempt=m.exempt,
                        rounding=0.5 * 10 ** -RATE_DIGITS if m.format == "rate" else
                        (0.05 if m.format == "hours" else 0.0))
            cell._key = (self.id, key_json, m.name)
            row.cells[m.name] = cells.add(cell)
        self.rows.append(row)
        return row

    def find(self, **key) -> Row | None:
        for row in self.rows:
            if all(row.key.get(k) == v for k, v in key.items()):
                return row
        return None

    def cell(self, measure: str, **key) -> Cell | None:
        row = self.find(**key)
        return None if row is None else row.cells.get(measure)

    @property
    def empty(self) -> bool:
        return not self.rows

    def suppressed_labels(self, measure: str) -> list[Text]:
        return [r.label for r in self.rows if measure in r.cells and r.cells[measure].suppressed]

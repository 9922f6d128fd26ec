"""Published numbers as cells, and the additive relations among them (outputs.md "Published data").

Every number a location publishes (a table's figure, a chart's point, a hover's count) is a
:class:`Cell`: which table, which row (its key columns), which measure, its unit and value,
and — never published, used only to decide suppression — the distinct workers and businesses
behind it. A :class:`Relation` says that published figures add up (a total and its parts) or
that a rate is its numerator over its denominator. Tables declare their relations by kind
(dashboards.disclosure.kinds), once, and the disclosure step (suppress.py) and the audit
(audit.py) work on nothing else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# the units of outputs.md; the audit's threshold of each is in audit.py
UNITS = ("workers", "businesses", "sites", "person_days", "days", "hours", "yen", "rate", "points")
# units whose value 0 counts nothing (published as "-", the e-Stat sign for a structural zero)
COUNT_UNITS = ("workers", "businesses", "sites", "person_days", "days", "hours", "yen")
ALL = "*"            # a key column's value in a total row: "all of them" (全国, 計)

PRIMARY, SECONDARY = "primary", "secondary"


def row_key_json(key: dict[str, Any]) -> str:
    """The row key as cells.csv and relations.csv write it: a JSON object, keys in table order."""
    return json.dumps(key, ensure_ascii=False, separators=(",", ":"), default=str)


CellKey = tuple[str, str, str]       # (table_id, row_key JSON, measure)


@dataclass
class Cell:
    """One published number.

    ``workers`` / ``businesses``: the distinct workers and businesses behind the cell (None =
    unknown, which suppresses it). ``worker_rule`` False: the figure counts no workers (a count
    of businesses, of sites, a site-level mean) and only the business rule applies (for a
    count of businesses its value is its business count). ``exempt``: not the platform's data
    (a published official figure, a target, a seed's guideline): never suppressed.
    ``rounding``: half the last published digit (0.0005 for a rate shown as 52.9 %), which the
    audit allows the true value to differ by.
    """

    table_id: str
    row_key: dict[str, Any]
    measure: str
    unit: str
    value: float | int | None
    workers: int | None = None
    businesses: int | None = None
    worker_rule: bool = True
    exempt: bool = False
    rounding: float = 0.0
    at_most_one: bool = False          # a rate bounded by 1 (a share, a coverage)
    suppressed: str = ""               # "", "primary" or "secondary"
    _key: CellKey | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"cell {self.table_id}/{self.measure}: unknown unit {self.unit!r}")

    @property
    def key(self) -> CellKey:
        if self._key is None:
            self._key = (self.table_id, row_key_json(self.row_key), self.measure)
        return self._key

    @property
    def is_zero(self) -> bool:
        """A count of nothing: published as "-" and never suppressed (no one is behind it)."""
        return self.unit in COUNT_UNITS and self.value is not None and self.value == 0

    @property
    def published_value(self):
        """The value as published (None when suppressed or not available)."""
        return None if self.suppressed else self.value


@dataclass(frozen=True)
class Relation:
    """``kind`` "sum": total = Σ parts. ``kind`` "ratio": parts = (numerator, denominator) and
    total is the rate = numerator / denominator."""

    id: str
    kind: str
    total: CellKey
    parts: tuple[CellKey, ...]

    def members(self) -> tuple[CellKey, ...]:
        return (self.total, *self.parts)

    def roles(self) -> list[tuple[str, CellKey]]:
        """(role, cell) rows of relations.csv."""
        if self.kind == "sum":
            return [("total", self.total)] + [("part", p) for p in self.parts]
        numerator, denominator = self.parts
        return [("rate", self.total), ("numerator", numerator), ("denominator", denominator)]


def _holds(kind: str, total: Cell, parts: list[Cell]) -> bool:
    if kind == "sum":
        slack = total.rounding + sum(p.rounding for p in parts) + 1e-9
        return abs(total.value - sum(p.value for p in parts)) <= slack
    numerator, denominator = parts
    if denominator.value == 0:
        return False
    return abs(numerator.value / denominator.value - total.value) <= total.rounding + 1e-9


class CellSet:
    """The cells and relations of one location, in the order they were added."""

    def __init__(self):
        self.cells: dict[CellKey, Cell] = {}
        self.relations: list[Relation] = []
        self._relation_keys: set[tuple] = set()

    def add(self, cell: Cell) -> Cell:
        if cell.key in self.cells:
            raise ValueError(f"cell added twice: {cell.key}")
        self.cells[cell.key] = cell
        return cell

    def relate(self, kind: str, total: Cell | None, parts: list[Cell | None]) -> None:
        """Add a relation among cells of this set. Left out: a relation with a missing member or
        a member not available (it holds nothing published), and one the figures do not satisfy
        (within their rounding) — a reader cannot use what is not true of the published data."""
        if total is None or any(p is None for p in parts) or not parts:
            return
        members = [total, *parts]
        if any(m.value is None for m in members) or not _holds(kind, total, parts):
            return
        signature = (kind, total.key, tuple(p.key for p in parts))
        if signature in self._relation_keys:
            return
        self._relation_keys.add(signature)
        self.relations.append(Relation(f"R{len(self.relations) + 1:05d}", kind, total.key,
                                       tuple(p.key for p in parts)))

    def __iter__(self):
        return iter(self.cells.values())

    def counts(self) -> dict[str, int]:
        out = {PRIMARY: 0, SECONDARY: 0}
        for cell in self.cells.values():
            if cell.suppressed:
                out[cell.suppressed] += 1
        return out

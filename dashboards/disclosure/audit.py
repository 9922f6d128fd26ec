"""The attack as a check: how closely can a reader pin down each suppressed cell?

Given everything one location publishes (its cells.csv) and the additive relations among those
figures (its relations.csv), the interval each suppressed cell can take is computed by linear
programming (scipy's HiGHS): minimise and maximise the cell subject to

- every relation: a total equals the sum of its parts; a published rate r (rounded to the digits
  shown) puts its numerator between (r - ½ digit) × denominator and (r + ½ digit) × denominator,
  a suppressed rate only numerator <= denominator (every published rate is a fraction in [0, 1]);
- every published figure at its value (a rounded one within half its last digit), every count
  at least 0.

A suppressed cell fails when its interval is narrower than its unit's threshold (unless it is
everything from 0 up to a published total it is a part of: a total the disclosure step may not
hide, such as the number of sites the all-sites index lists, can itself be below the threshold,
and then no suppression can widen its parts; the reader learns nothing the total does not say):

| unit | narrowest interval allowed |
|---|---|
| workers | the worker threshold (10) |
| businesses, sites | the business threshold (3) |
| person_days, days, hours, yen, points | 10 % of the cell's value, at least 1 |
| rate | not checked itself: a rate is protected through its numerator and denominator cells |

(A rate, a median or a mean tied to no relation can take any value of its range: it passes.)
The same computation serves the disclosure step (suppress.py), which adds complementary
suppressions until every interval passes, and the test suite, which reads a published location
back from its files.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
# HiGHS as scipy ships it: the same solver as scipy.optimize.linprog(method="highs"), used
# directly so that one model serves every bound of a group (linprog builds and checks a new model
# per call). A private module of scipy, which is pinned exactly (pyproject.toml);
# tests/test_disclosure.py holds it to linprog's results on random tables, so an upgrade that
# moves it fails there. (The highspy package has the same class but prints a banner to stdout.)
from scipy.optimize._highspy import _core as highs
from scipy.sparse import csr_array

RELATIVE_WIDTH = 0.10          # other additive units: 10 % of the value
RATE_UNITS = ("rate",)
INTEGER_UNITS = ("workers", "businesses", "sites", "person_days", "days", "yen", "points")


@dataclass(frozen=True)
class AuditCell:
    key: tuple[str, str, str]       # (table_id, row_key JSON, measure)
    unit: str
    value: float | None             # the true value (suppressed cells: known to the publisher only)
    suppressed: bool
    rounding: float = 0.0


@dataclass(frozen=True)
class AuditRelation:
    id: str
    kind: str                       # "sum" | "ratio"
    total: tuple[str, str, str]
    parts: tuple[tuple[str, str, str], ...]

    def members(self) -> tuple:
        return (self.total, *self.parts)


@dataclass(frozen=True)
class Finding:
    key: tuple[str, str, str]
    unit: str
    low: float
    high: float
    required: float

    def __str__(self) -> str:
        table, row, measure = self.key
        return (f"{table} {row} {measure} ({self.unit}): in [{self.low:g}, {self.high:g}], "
                f"width {self.high - self.low:g} < {self.required:g}")


def required_width(unit: str, value: float | None, min_workers: int, min_businesses: int) -> float | None:
    """The narrowest interval a suppressed cell of ``unit`` may have (None: not checked)."""
    if unit == "workers":
        return float(min_workers)
    if unit in ("businesses", "sites"):
        return float(min_businesses)
    if unit in RATE_UNITS:
        return None
    return max(1.0, RELATIVE_WIDTH * abs(value or 0.0))


class Problem:
    """The published cells and relations of one location, as linear constraints."""

    def __init__(self, cells: list[AuditCell], relations: list[AuditRelation]):
        self.cells = {c.key: c for c in cells}
        missing = [r.id for r in relations if not all(k in self.cells for k in (r.total, *r.parts))]
        if missing:
            raise ValueError(f"relations naming cells that are not published: {missing[:5]}")
        self.relations = list(relations)
        # the smallest published total each cell is a part of: a hidden part that can be anything
        # from 0 up to it tells a reader no more than that total does
        self._whole: dict = {}
        for relation in self.relations:
            total = self.cells[relation.total]
            if relation.kind == "sum" and not total.suppressed and total.value is not None:
                for part in relation.parts:
                    self._whole[part] = min(self._whole.get(part, math.inf), total.value)

    def _too_narrow(self, key, low: float, high: float, need: float) -> bool:
        """Whether an interval is narrower than needed, and narrower than the published total
        the cell is a part of allows (a count of 2 public sites split in two hidden cells cannot
        be widened: [0, 2] is all a reader learns, and the published total tells as much)."""
        if high - low >= need - 1e-6:
            return False
        return not (low <= 1e-9 and high >= self._whole.get(key, math.inf) - 1e-6)

    def _unknown(self, key) -> bool:
        cell = self.cells[key]
        return cell.suppressed and cell.unit not in RATE_UNITS

    def components(self) -> list[tuple[list, list]]:
        """Groups of suppressed (non-rate) cells tied together by relations, each with its relations."""
        parent: dict = {}

        def find(k):
            while parent.setdefault(k, k) != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        for key in self.cells:
            if self._unknown(key):
                find(key)
        touching: list[tuple[AuditRelation, list]] = []
        for relation in self.relations:
            unknown = [k for k in relation.members() if self._unknown(k)]
            if not unknown:
                continue
            touching.append((relation, unknown))
            for k in unknown[1:]:
                parent[find(k)] = find(unknown[0])
        groups: dict = defaultdict(lambda: ([], []))
        for key in parent:
            groups[find(key)][0].append(key)
        for relation, unknown in touching:
            groups[find(unknown[0])][1].append(relation)
        return list(groups.values())

    def intervals(self, keys=None) -> dict[tuple, tuple[float, float]]:
        """{suppressed cell: (lowest, highest) value given everything published}; ``keys`` limits
        the computation to the components holding those cells."""
        out = {}
        wanted = None if keys is None else set(keys)
        for variables, relations in self.components():
            if wanted is not None and not wanted.intersection(variables):
                continue
            out.update(self._solve(variables, relations))
        return out

    def _system(self, variables: list, relations: list[AuditRelation]) -> "_Programme":
        """The linear programme of a group of unknown cells."""
        index = {k: i for i, k in enumerate(variables)}
        n = len(variables)
        eq_rows, eq_rhs, ub_rows, ub_rhs = [], [], [], []
        for relation in relations:
            if relation.kind == "sum":
                row, rhs = np.zeros(n), 0.0
                slack = 0.0
                for key, sign in ((relation.total, 1.0), *((p, -1.0) for p in relation.parts)):
                    cell = self.cells[key]
                    if key in index:
                        row[index[key]] += sign
                    else:   # published: a constant within its rounding
                        rhs -= sign * cell.value
                        slack += cell.rounding
                if slack == 0:
                    eq_rows.append(row)
                    eq_rhs.append(rhs)
                else:      # rounded members: the sum holds within their rounding
                    ub_rows += [row, -row]
                    ub_rhs += [rhs + slack, -(rhs - slack)]
            else:
                self._ratio(relation, index, n, ub_rows, ub_rhs)
        return _Programme(index, ub_rows, ub_rhs, eq_rows, eq_rhs)

    def _plain(self, variables: list, relations: list[AuditRelation]) -> dict | None:
        """The intervals without linear programming when the group is plain enough (most are):
        no relation at all — any value from 0 up; or one sum of exact figures — with its total
        published, each unknown part lies in [0, what the published parts leave] (exactly that
        when it is the only one), with its total unknown too, every part is unbounded above
        and the total is at least the published parts (exactly their sum when every part is
        published). None: the group needs the programmes."""
        if not relations:
            return {key: (0.0, math.inf) for key in variables}
        if len(relations) > 1 or relations[0].kind != "sum":
            return None
        relation = relations[0]
        members = [self.cells[k] for k in relation.members()]
        if any(c.rounding for c in members if not self._unknown(c.key)):
            return None
        known = {k for k in relation.members() if not self._unknown(k)}
        if relation.total in known:
            left = self.cells[relation.total].value - sum(self.cells[p].value for p in relation.parts if p in known)
            unknown = [p for p in relation.parts if p not in known]
            return {p: ((left, left) if len(unknown) == 1 else (0.0, left)) for p in unknown}
        published = sum(self.cells[p].value for p in relation.parts if p in known)
        out = {p: (0.0, math.inf) for p in relation.parts if p not in known}
        # a hidden total of published parts is their sum (found by the random tables of
        # test_disclosure.py: it was read as unbounded above)
        out[relation.total] = (published, math.inf if out else published)
        return out

    def _solve(self, variables: list, relations: list[AuditRelation]) -> dict:
        plain = self._plain(variables, relations)
        if plain is not None:
            return plain
        system = self._system(variables, relations)
        return {key: (system.lowest(key), system.highest(key)) for key in variables}

    def first_failures(self, min_workers: int, min_businesses: int, keys, passed: set) -> list[Finding]:
        """The too-narrow cells of the groups of linked unknown cells holding ``keys``, narrowest
        first, found with as few linear programmes as the true values allow: a cell whose
        highest value is far enough above its true value needs no lowest, and a cell in
        ``passed`` is not looked at again (suppressing more only widens intervals); the cells
        that pass are added to it. For the disclosure step, which suppresses complements and looks
        again."""
        out = []
        wanted = set(keys)
        for variables, relations in self.components():
            if not wanted.intersection(variables):
                continue
            plain = self._plain(variables, relations)
            system = None if plain is not None else self._system(variables, relations)
            failing = []
            for key in sorted(variables):
                cell = self.cells[key]
                if key in passed or cell.value is None or required_width(cell.unit, 0, min_workers,
                                                                         min_businesses) is None:
                    continue
                high = plain[key][1] if plain is not None else system.highest(key)
                if math.isinf(high) or high - cell.value >= required_width(cell.unit, high, min_workers, min_businesses):
                    passed.add(key)
                    continue
                low = plain[key][0] if plain is not None else system.lowest(key)
                middle = (low + high) / 2
                need = required_width(cell.unit, middle, min_workers, min_businesses)
                if self._too_narrow(key, low, high, need):
                    failing.append(Finding(key, cell.unit, low, high, need))
                else:
                    passed.add(key)
            # the narrowest first: a cell bounded by another hidden cell (a numerator by its
            # denominator) widens once that one does
            out += sorted(failing, key=lambda f: (f.high - f.low, f.key))
        return out

    def _ratio(self, relation: AuditRelation, index: dict, n: int, ub_rows: list, ub_rhs: list) -> None:
        """numerator / denominator = rate, as linear inequalities over the unknown counts."""
        numerator, denominator = relation.parts
        rate = self.cells[relation.total]

        def term(key, factor):
            """(row, constant) of factor x the cell (a variable or a published constant)."""
            row = np.zeros(n)
            if key in index:
                row[index[key]] = factor
                return row, 0.0
            return row, factor * self.cells[key].value

        if numerator not in index and denominator not in index:
            return
        if rate.suppressed:
            low, high = 0.0, 1.0
        else:
            low, high = max(0.0, rate.value - rate.rounding), rate.value + rate.rounding
        # numerator - high x denominator <= 0 and low x denominator - numerator <= 0
        for lo_hi, sign in ((high, 1.0), (low, -1.0)):
            num_row, num_const = term(numerator, sign)
            den_row, den_const = term(denominator, -sign * lo_hi)
            row = num_row + den_row
            if row.any():
                ub_rows.append(row)
                ub_rhs.append(-(num_const + den_const))

    def findings(self, min_workers: int, min_businesses: int, keys=None) -> list[Finding]:
        """Suppressed cells whose interval is too narrow (``keys``: only their components).

        The relative width of the other units is taken on the interval's midpoint, what a reader
        can compute (the true value of a suppressed cell is not published)."""
        out = []
        for key, (low, high) in self.intervals(keys).items():
            cell = self.cells[key]
            middle = low if math.isinf(high) else (low + high) / 2
            need = required_width(cell.unit, middle, min_workers, min_businesses)
            if need is not None and self._too_narrow(key, low, high, need):
                out.append(Finding(key, cell.unit, low, high, need))
        return sorted(out, key=lambda f: f.key)


class _Programme:
    """The constraints of a group of unknown cells (A_ub x <= b_ub, A_eq x = b_eq, x >= 0) held
    in one HiGHS model: each bound changes only the objective and starts from the last optimal
    basis. (scipy's linprog builds and checks a new model per call: that cost about seven times
    the solving, thousands of times per location.)"""

    def __init__(self, index: dict, ub_rows: list, ub_rhs: list, eq_rows: list, eq_rhs: list):
        self.index = index
        n = len(index)
        self._highs = highs._Highs()
        self._highs.setOptionValue("output_flag", False)
        self._highs.setOptionValue("presolve", "off")      # tiny programmes, warm-started
        inf = highs.kHighsInf
        self._highs.addVars(n, np.zeros(n), np.full(n, inf))
        rows = ub_rows + eq_rows
        if rows:
            matrix = csr_array(np.array(rows))       # HiGHS takes the rows in compressed form
            lower = np.concatenate((np.full(len(ub_rows), -inf), np.array(eq_rhs, dtype=float)))
            upper = np.array(ub_rhs + eq_rhs, dtype=float)
            self._highs.addRows(len(rows), lower, upper, matrix.nnz, matrix.indptr[:-1].astype(np.int32),
                                matrix.indices.astype(np.int32), matrix.data.astype(float))
        self._all = np.arange(n, dtype=np.int32)
        self._cost = np.zeros(n)

    def lowest(self, key) -> float:
        value = self._optimum(key, 1.0)
        return -math.inf if value is None else value

    def highest(self, key) -> float:
        value = self._optimum(key, -1.0)
        return math.inf if value is None else -value

    def _optimum(self, key, sign: float) -> float | None:
        """min sign·x[key], or None when unbounded."""
        self._cost[:] = 0.0
        self._cost[self.index[key]] = sign
        self._highs.changeColsCost(len(self._all), self._all, self._cost)
        self._highs.run()
        status = self._highs.getModelStatus()
        if status == highs.HighsModelStatus.kUnbounded:
            return None
        if status != highs.HighsModelStatus.kOptimal:
            raise RuntimeError(f"the audit's linear program failed: {self._highs.modelStatusToString(status)} "
                               "(the published figures contradict their relations)")
        return float(self._highs.getInfo().objective_function_value)


# ------------------------------------------------------------------ reading a published location

def rounding_of(text: str, unit: str) -> float:
    """Half the last digit written: 0.529 -> 0.0005; an integer count is exact."""
    if "." in text:
        return 0.5 * 10 ** -len(text.split(".", 1)[1])
    return 0.0 if unit in INTEGER_UNITS else 0.5


def read_location(folder: Path | str) -> tuple[list[AuditCell], list[AuditRelation]]:
    """The cells and relations a location published (its cells.csv and relations.csv)."""
    folder = Path(folder)
    cells = []
    with (folder / "cells.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row["table_id"], row["row_key"], row["measure"])
            text = row["value"]
            suppressed = bool(row["suppressed"])
            if not suppressed and text == "":
                continue     # not available: no figure
            cells.append(AuditCell(key, row["unit"], None if suppressed else float(text), suppressed,
                                   0.0 if suppressed else rounding_of(text, row["unit"])))
    members: dict[str, list] = defaultdict(list)
    with (folder / "relations.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            members[row["relation_id"]].append((row["role"], (row["table_id"], row["row_key"], row["measure"])))
    relations = []
    for relation_id, rows in members.items():
        roles = dict((role, key) for role, key in rows if role in ("total", "rate", "numerator", "denominator"))
        if "rate" in roles:
            relations.append(AuditRelation(relation_id, "ratio", roles["rate"],
                                           (roles["numerator"], roles["denominator"])))
        else:
            relations.append(AuditRelation(relation_id, "sum", roles["total"],
                                           tuple(key for role, key in rows if role == "part")))
    return cells, relations


def audit_location(folder: Path | str, min_workers: int = 10, min_businesses: int = 3) -> list[Finding]:
    """Every suppressed cell of a published location whose interval is too narrow ([] = passes)."""
    cells, relations = read_location(folder)
    return Problem(cells, relations).findings(min_workers, min_businesses)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Audit a published location's suppression (cells.csv, relations.csv).")
    parser.add_argument("location", nargs="+", type=Path)
    parser.add_argument("--min-workers", type=int, default=10)
    parser.add_argument("--min-businesses", type=int, default=3)
    args = parser.parse_args(argv)
    failed = 0
    for folder in args.location:
        findings = audit_location(folder, args.min_workers, args.min_businesses)
        print(f"{folder}: {'PASS' if not findings else f'FAIL ({len(findings)})'}")
        for finding in findings[:50]:
            print(f"  {finding}")
        failed += bool(findings)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

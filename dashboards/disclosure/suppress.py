"""Statistical disclosure control of one location (metrics.md section 8), after all of its tables
and charts are assembled and before anything is written.

1. **Primary suppression.** A cell with fewer than ``min_workers`` distinct workers or fewer
   than ``min_businesses`` distinct businesses behind it is suppressed — totals, national rows
   and modelled series included. An unknown count suppresses (never safe). A cell that counts
   no workers (a count of businesses or of sites, a site-level mean) is held to the business
   rule only. Not suppressed: a count of nothing (0, published as "-": no one is behind it),
   a figure not available, and figures that are not the platform's data (published official
   figures, targets, the guideline seeds).
2. **Rates follow their counts.** A rate whose numerator or denominator is suppressed is
   suppressed too (it would give the hidden count away).
3. **Complementary (secondary) suppression over the linked tables of the location.** The audit
   (audit.py) computes the interval every suppressed cell can take given everything the
   location publishes; for each cell whose interval is too narrow, one more published cell of
   the relations it is tied to is suppressed — the one of least information loss: a part
   rather than a total; of the parts, the one sharing the most of the failing cell's relations
   (one complement inside every window a hidden month lies in: a cumulative total to each of
   three months, a fiscal year to date); then, of the cells that would widen the interval
   enough, the smallest, else the largest. A complement printed twice (a chart's month and a
   table's row of that month) is hidden in both places. The audit runs again on what changed,
   until every interval passes; a failing cell tied through hidden cells to a complement chosen
   in the same round waits for that audit. (A
   greedy choice checked by the audit, in the spirit of τ-ARGUS's modular method and R's
   sdcTable::protectLinkedTables: not the optimum, but never a leak the audit can see.) A
   published zero is chosen only when no other cell can widen the interval.
"""

from __future__ import annotations

from dataclasses import dataclass

from .audit import AuditCell, AuditRelation, Problem, required_width
from .cells import PRIMARY, SECONDARY, Cell, CellSet


@dataclass(frozen=True)
class Thresholds:
    """Distinct workers and businesses a published cell needs (metrics.md section 8)."""

    min_workers: int = 10
    min_businesses: int = 3


def is_primary(cell: Cell, t: Thresholds) -> bool:
    if cell.exempt or cell.value is None or cell.is_zero:
        return False
    if cell.businesses is None or cell.businesses < t.min_businesses:
        return True
    return cell.worker_rule and (cell.workers is None or cell.workers < t.min_workers)


MAX_ROUNDS = 500
# _complement's answer when a complement chosen earlier in the round already lies in a relation
# the failing cell is tied to through hidden cells: the audit must see that one first
WAIT = ("wait",)


def protect(cells: CellSet, t: Thresholds) -> dict[str, int]:
    """Mark the suppressed cells of ``cells`` in place; {"primary": n, "secondary": m}."""
    for cell in cells:
        cell.suppressed = PRIMARY if is_primary(cell, t) else ""
    _rates_follow(cells)
    relations = [AuditRelation(r.id, r.kind, r.total, r.parts) for r in cells.relations]
    by_member: dict = {}
    for relation in relations:
        for key in relation.members():
            by_member.setdefault(key, []).append(relation)
    pending = [c.key for c in cells if c.suppressed]
    passed: set = set()
    for _ in range(MAX_ROUNDS):
        if not pending:
            return cells.counts()
        problem = Problem(_audit_cells(cells), relations)
        failures = problem.first_failures(t.min_workers, t.min_businesses, pending, passed)
        if not failures:
            return cells.counts()
        # a complement for each failing cell not tied by a relation to one served this round
        # (narrowest first): a second complement chosen before the audit has seen the first
        # would often be more than needed
        added, near = [], set()
        for finding in failures:
            if finding.key in near:
                continue
            # a zero (published as "-") only when nothing else can widen the interval: 2 listed
            # sites that are both of one type, the other types 0, cannot be protected otherwise
            choice = (_complement(cells, finding, by_member, t, set(added))
                      or _complement(cells, finding, by_member, t, set(added), zeros=True))
            if choice is WAIT:
                continue
            chosen = _with_twins(cells, choice, by_member) if choice is not None else []
            added += chosen
            for key in (finding.key, *chosen):
                for relation in by_member.get(key, ()):
                    near.update(relation.members())
        if not added:
            raise RuntimeError("disclosure control found no complementary cell for "
                               + "; ".join(str(f) for f in failures[:5]))
        for key in added:
            cells.cells[key].suppressed = SECONDARY
        _rates_follow(cells)
        pending = added
    raise RuntimeError(f"disclosure control did not settle in {MAX_ROUNDS} rounds")


def _with_twins(cells: CellSet, key, by_member: dict) -> list:
    """``key`` and every published cell showing the same figure (a one-part sum: a chart's month
    and a table's row of that month, a window of one month): a complement hidden in one place
    and printed in the other would widen nothing."""
    out, frontier = [key], [key]
    while frontier:
        current = frontier.pop()
        for relation in by_member.get(current, ()):
            if relation.kind != "sum" or len(relation.parts) != 1:
                continue
            for member in relation.members():
                if member not in out and not cells.cells[member].suppressed:
                    out.append(member)
                    frontier.append(member)
    return out


def _audit_cells(cells: CellSet) -> list[AuditCell]:
    return [AuditCell(c.key, c.unit, None if c.value is None else float(c.value), bool(c.suppressed), c.rounding)
            for c in cells if c.value is not None]


def _rates_follow(cells: CellSet) -> None:
    for relation in cells.relations:
        if relation.kind != "ratio":
            continue
        rate = cells.cells[relation.total]
        if not rate.suppressed and any(cells.cells[k].suppressed for k in relation.parts):
            rate.suppressed = SECONDARY


def _complement(cells: CellSet, finding, by_member: dict, t: Thresholds, taken: set, zeros: bool = False):
    """The published cell to suppress so that ``finding``'s interval widens: from the sum
    relations of the failing cell (then of the cells suppressed with it), a part before a total;
    the smallest that covers the missing width, else the largest. ``zeros``: a count of nothing
    may be chosen too (the last resort: hiding a "-" loses least, but says least)."""
    missing = finding.required - (finding.high - finding.low)
    frontier, seen = [finding.key], {finding.key}
    while frontier:
        candidates = {}
        for key in frontier:
            for relation in by_member.get(key, ()):
                if relation.kind != "sum":
                    continue
                for member in relation.members():
                    if member in taken:
                        return WAIT
                    cell = cells.cells[member]
                    if (cell.suppressed or cell.exempt or cell.value is None or (cell.is_zero and not zeros)
                            or cell.unit != finding.unit):
                        continue
                    is_total, shared = candidates.get(member, (True, 0))
                    candidates[member] = (is_total and member == relation.total, shared + 1)
        if candidates:
            def loss(member):
                cell = cells.cells[member]
                value = abs(float(cell.value))
                enough = value >= missing
                is_total, shared = candidates[member]
                # a part before a total; then the cell sharing the most of the hidden cell's
                # relations: one complement inside every window of a month (a cumulative total
                # to each of three months, a fiscal year to date) instead of one per window and
                # then complements of those complements
                return (is_total, -shared, not enough, value if enough else -value, member)
            return min(candidates, key=loss)
        # nothing to hide beside it: look one step further, through the cells hidden with it
        nxt = []
        for key in frontier:
            for relation in by_member.get(key, ()):
                for member in relation.members():
                    if member not in seen and cells.cells[member].suppressed:
                        seen.add(member)
                        nxt.append(member)
        frontier = nxt
    return None


__all__ = ["Thresholds", "protect", "is_primary", "required_width"]

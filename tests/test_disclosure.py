"""Disclosure control (dashboards/disclosure): the primary rule at its boundaries, the audit's
intervals computed by hand, complementary suppression of least loss, and the relations every
kind of table declares. The leaks of issue 14 replayed on hand-made marts: test_disclosure_leaks.py."""

from __future__ import annotations

import csv
import json
import math
import random
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linprog

from dashboards.disclosure import audit, export, kinds
from dashboards.disclosure.cells import ALL, Cell, CellSet
from dashboards.disclosure.suppress import Thresholds, is_primary, protect
from dashboards.disclosure.table import KeyColumn, Measure, Table, rounded_rate
from dashboards.i18n import Text

T = Thresholds()
WORKERS = Measure("workers", Text("人", "workers"), "workers")


def _cell(value, workers=None, businesses=None, unit="workers", **kw) -> Cell:
    return Cell("t", {"k": 1}, "m", unit, value, workers=workers, businesses=businesses, **kw)


@pytest.mark.parametrize("workers, businesses, primary", [
    (9, 3, True), (10, 3, False),          # the worker threshold, exactly at 10
    (10, 2, True), (50, 3, False),         # the business threshold, exactly at 3
    (50, None, True), (None, 5, True),     # an unknown count suppresses: never safe
])
def test_primary_rule_at_its_boundaries(workers, businesses, primary):
    assert is_primary(_cell(40, workers, businesses), T) is primary


def test_what_the_primary_rule_leaves_alone():
    assert not is_primary(_cell(0, 0, 0), T)                              # a count of nothing: "-"
    assert not is_primary(_cell(None, 1, 1), T)                           # not available
    assert not is_primary(_cell(5, 1, 1, exempt=True), T)                 # a published official figure
    # a count of businesses is held to the business rule only, on its own value
    assert is_primary(_cell(2, None, 2, unit="businesses", worker_rule=False), T)
    assert not is_primary(_cell(3, None, 3, unit="businesses", worker_rule=False), T)
    assert is_primary(_cell(0.5, 2, 2, unit="rate"), T)                    # a rate rests on its population


def _breakdown(values: dict, businesses: int = 5) -> tuple[CellSet, Table]:
    """One column of workers by occupation with a 計 row (each occupation of ``businesses``)."""
    cells = CellSet()
    table = Table("occ", Text("職種別", "By occupation"), ("m",), [KeyColumn("occupation", Text("職種", "Occupation"))],
                  [WORKERS])
    for code, v in values.items():
        table.add_row(cells, {"occupation": code}, Text(code, code), {"workers": v}, default_workers=v,
                      default_businesses=businesses)
    total = sum(values.values())
    table.add_row(cells, {"occupation": ALL}, Text("計", "Total"), {"workers": total}, default_workers=total,
                  default_businesses=3 * businesses)
    kinds.apply(cells, table, [kinds.Breakdown("occupation")])
    return cells, table


def _problem(cells: CellSet) -> audit.Problem:
    return audit.Problem([audit.AuditCell(c.key, c.unit, c.value, bool(c.suppressed), c.rounding) for c in cells],
                         [audit.AuditRelation(r.id, r.kind, r.total, r.parts) for r in cells.relations])


def test_the_audit_finds_a_subtraction():
    """120 = 60 + 55 + x with only x hidden: x = 120 - 60 - 55 = 5 exactly, an interval of width
    0 < 10; with 55 hidden too, x and the 55 share 120 - 60 = 60: x in [0, 60]."""
    cells, table = _breakdown({"A": 60, "B": 55, "C": 5})
    table.cell("workers", occupation="C").suppressed = "primary"
    (finding,) = _problem(cells).findings(10, 3)
    assert (finding.low, finding.high, finding.required) == (5, 5, 10)
    table.cell("workers", occupation="B").suppressed = "secondary"
    intervals = _problem(cells).intervals()
    assert intervals[table.cell("workers", occupation="C").key] == (0, 60)
    assert _problem(cells).findings(10, 3) == []


def test_parts_of_a_public_total_below_the_threshold():
    """The all-sites index lists 2 sites (a total the step may not hide); the 4週8休 table splits
    them by declared type: whole_period 1, none 1 (both hidden), monthly 0 (shown). Each hidden
    count is in [0, 2 - 0] = [0, 2], width 2 < 3 sites, yet that is all the listed total says:
    it passes. With 3 sites listed and the third type's 1 shown, the two hidden ones share
    3 - 1 = 2: each in [0, 2], narrower than the 3 sites and than the listed total: both fail."""
    def problem(shown: int) -> audit.Problem:
        key = lambda row, table="closure": (table, json.dumps({"type": row}), "sites")   # noqa: E731
        cells = [audit.AuditCell(key("*", "directory"), "sites", 2 + shown, False),
                 audit.AuditCell(key("whole"), "sites", None, True), audit.AuditCell(key("none"), "sites", None, True),
                 audit.AuditCell(key("monthly"), "sites", float(shown), False)]
        return audit.Problem(cells, [audit.AuditRelation("R1", "sum", cells[0].key, tuple(c.key for c in cells[1:]))])

    assert problem(0).intervals()[("closure", '{"type": "whole"}', "sites")] == (0, 2)
    assert problem(0).findings(10, 3) == []
    failing = problem(1).findings(10, 3)
    assert [(f.low, f.high) for f in failing] == [(0, 2), (0, 2)] and problem(1).intervals()[
        ("closure", '{"type": "whole"}', "sites")] == (0, 2)


def test_a_zero_is_the_complement_when_nothing_else_can_widen():
    """2 listed sites (a total the step may not hide), both of type "monthly": monthly 2 is
    primary (2 businesses < 3), whole_period 0 and none 0 are zeros ("-"). With the zeros shown,
    monthly = 2 - 0 - 0 = 2 exactly, width 0 < 3, and no non-zero cell exists to hide: the step
    hides a zero (not the listed total), and monthly then lies in [0, 2], all the total says."""
    cells = CellSet()
    def site_count(row, value, **kw):
        return cells.add(Cell("closure", {"type": row}, "sites", "sites", value, businesses=value,
                              worker_rule=False, **kw))
    total = site_count(ALL, 2, exempt=True)
    monthly, whole, none = site_count("monthly", 2), site_count("whole_period", 0), site_count("none", 0)
    cells.relate("sum", total, [monthly, whole, none])
    assert protect(cells, T) == {"primary": 1, "secondary": 1}
    assert (monthly.suppressed, total.suppressed) == ("primary", "")
    assert sorted([whole.suppressed, none.suppressed]) == ["", "secondary"]
    assert _problem(cells).intervals()[monthly.key] == (0, 2)
    assert _problem(cells).findings(10, 3) == []


def test_complementary_suppression_takes_the_least_loss():
    """C (5 workers) is primary; its interval must reach 10, so the complement must be worth at
    least 10 - 5 = 5: of A (60) and B (55) the smaller, B; never the total."""
    cells, table = _breakdown({"A": 60, "B": 55, "C": 5})
    assert protect(cells, T) == {"primary": 1, "secondary": 1}
    assert [r.cells["workers"].suppressed for r in table.rows] == ["", "secondary", "primary", ""]


def test_the_smallest_complement_that_covers_the_width():
    """C (3) primary; the complement must be worth at least 10 - 3 = 7: of A (60), B (12) and
    D (40) the smallest, B; C then lies in [0, 15]."""
    cells, table = _breakdown({"A": 60, "B": 12, "C": 3, "D": 40})
    protect(cells, T)
    assert {r.key["occupation"]: r.cells["workers"].suppressed for r in table.rows} == {
        "A": "", "B": "secondary", "C": "primary", "D": "", ALL: ""}
    assert _problem(cells).intervals()[table.cell("workers", occupation="C").key] == (0, 15)


def test_one_complement_serves_every_window_and_is_hidden_in_both_places():
    """A monthly series of person-days, April 100 (3 workers: primary), May 500, June 400, July
    300, each month also printed as the total of a by-method table (a twin); cumulative totals
    to June (100 + 500 + 400 = 1,000) and to July (1,300), and the window to April alone (100,
    primary on its own counts). The complement must lie in both published windows (May or June,
    not July, which the window to June leaves out; 400 ≥ the 10 % width of 100 and smaller than
    500: June), and be hidden in the by-method table too — printed there, it would pin April
    again (1,000 − 500 − 400 = 100). So: April and June hidden in both places, nothing else of
    the series; April then lies in [0, 500]."""
    cells = CellSet()
    months = {"04": 100, "05": 500, "06": 400, "07": 300}

    def days(table, month, value, workers=40):
        return cells.add(Cell(table, {"month": month}, "days", "person_days", value, workers=workers, businesses=5))

    series = {m: days("series", m, v, workers=3 if m == "04" else 40) for m, v in months.items()}
    twins = {m: days("methods", m, v, workers=3 if m == "04" else 40) for m, v in months.items()}
    for m in months:
        kinds.same(cells, twins[m], series[m])
    for upto, total in (("04", 100), ("06", 1_000), ("07", 1_300)):
        window = days("cumulative", upto, total, workers=3 if upto == "04" else 40)
        cells.relate("sum", window, [series[m] for m in months if m <= upto])
    protect(cells, T)
    hidden = {(c.table_id, c.row_key["month"]): c.suppressed for c in cells if c.suppressed}
    assert hidden == {("series", "04"): "primary", ("methods", "04"): "primary", ("cumulative", "04"): "primary",
                      ("series", "06"): "secondary", ("methods", "06"): "secondary"}
    assert _problem(cells).intervals()[series["04"].key] == (0, 500)
    assert _problem(cells).findings(10, 3) == []


def test_a_lone_row_hides_its_total():
    """A table of one prefecture of 7 workers: the national row would be that prefecture in
    disguise, so it is suppressed on its own counts (7 < 10) — not treated as safe."""
    cells, table = _breakdown({"01": 7}, businesses=2)
    table.rows[-1].cells["workers"].businesses = 2
    protect(cells, T)
    assert [r.cells["workers"].suppressed for r in table.rows] == ["primary", "primary"]


def test_rates_follow_their_counts_and_rounding_bounds_the_numerator():
    """A share published to 0.1 % with its denominator pins the numerator within ±0.05 % of it:
    25.0 % of 1,000 puts a hidden numerator in [249.5, 250.5] — so when the numerator is
    suppressed the share goes with it."""
    cells = CellSet()
    table = Table("r", Text("r", "r"), ("m",), [KeyColumn("k", Text("k", "k"))],
                  [Measure("num", Text("n", "n"), "person_days"), Measure("den", Text("d", "d"), "person_days"),
                   Measure("share", Text("s", "s"), "rate", "rate", additive=False)])
    table.add_row(cells, {"k": 1}, Text("1", "1"), {"num": 250, "den": 1000, "share": 0.25},
                  workers={"num": 4, "den": 400, "share": 400}, businesses={"num": 2, "den": 40, "share": 40})
    kinds.apply(cells, table, [kinds.Ratio("share", "num", "den")])
    num = table.cell("num", k=1)
    num.suppressed = "primary"
    ((low, high),) = _problem(cells).intervals().values()
    assert (low, high) == pytest.approx((249.5, 250.5))
    protect(cells, T)
    assert table.cell("share", k=1).suppressed == "secondary" and table.cell("den", k=1).suppressed == ""
    assert _problem(cells).findings(10, 3) == []


def test_rounded_rates_are_half_up():
    assert rounded_rate(0.52949) == 0.529 and rounded_rate(0.5295) == 0.530 and rounded_rate(None) is None


@pytest.mark.parametrize("unit, value, need", [("workers", 3, 10), ("businesses", 1, 3), ("sites", 1, 3),
                                               ("person_days", 5, 1), ("yen", 50_000, 5_000), ("rate", 0.4, None)])
def test_the_width_each_unit_needs(unit, value, need):
    assert audit.required_width(unit, value, 10, 3) == need


# ------------------------------------------------------------------ the files and reading them back

def _write_location(folder: Path, cells: CellSet, tables: list[Table]) -> None:
    for name, data in export.files(audience="test", unit=None, as_of=None, pages=[], tables=tables,
                                   cells=cells).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


def test_published_data_files_and_the_audit_reading_them(tmp_path):
    cells, table = _breakdown({"A": 60, "B": 55, "C": 5, "D": 0})
    protect(cells, T)
    _write_location(tmp_path, cells, [table])
    raw = (tmp_path / "tables/occ.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())                                  # UTF-8 with BOM
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows == [["職種", "名称", "人"], ["A", "A", "60"], ["B", "B", "X"], ["C", "C", "X"], ["D", "D", "-"],
                    ["*", "計", "120"]]
    with (tmp_path / "cells.csv").open(encoding="utf-8-sig") as handle:
        published = list(csv.DictReader(handle))
    assert [(c["row_key"], c["value"], c["suppressed"]) for c in published] == [
        ('{"occupation":"A"}', "60", ""), ('{"occupation":"B"}', "", "secondary"), ('{"occupation":"C"}', "", "primary"),
        ('{"occupation":"D"}', "0", ""), ('{"occupation":"*"}', "120", "")]
    with (tmp_path / "relations.csv").open(encoding="utf-8-sig") as handle:
        assert [(r["role"], r["row_key"]) for r in csv.DictReader(handle)] == [
            ("total", '{"occupation":"*"}'), ("part", '{"occupation":"A"}'), ("part", '{"occupation":"B"}'),
            ("part", '{"occupation":"C"}'), ("part", '{"occupation":"D"}')]
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["suppressed"] == {"primary": 1, "secondary": 1} and manifest["tables"][0]["csv"] == "tables/occ.csv"
    assert audit.audit_location(tmp_path) == []
    # the same files with B published, as the pages published every row but the small one:
    # C = 120 - 60 - 55 - 0 = 5 exactly
    text = (tmp_path / "cells.csv").read_text(encoding="utf-8-sig").replace(
        '"{""occupation"":""B""}",workers,workers,,secondary', '"{""occupation"":""B""}",workers,workers,55,')
    (tmp_path / "cells.csv").write_text(text, encoding="utf-8-sig")
    (finding,) = audit.audit_location(tmp_path)
    assert (finding.low, finding.high) == (5, 5) and '"C"' in finding.key[1]
    assert audit.main([str(tmp_path)]) == 1


def test_the_audit_reads_rates_with_their_rounding(tmp_path):
    assert audit.rounding_of("0.529", "rate") == pytest.approx(0.0005)
    assert audit.rounding_of("120", "workers") == 0 and audit.rounding_of("12.5", "hours") == pytest.approx(0.05)


# ------------------------------------------------------------------ relations are complete

def _expected_relations(table: Table, total_measures: dict, ratios: dict) -> set:
    """Every relation the table's structure implies, derived from its keys and measures alone:
    a row with * in a key column is the sum of the rows that differ from it only there (each
    additive measure); a total measure is the sum of its parts in every row; a rate is its
    numerator over its denominator."""
    out = set()
    for total in table.rows:
        for name, value in total.key.items():
            if value != ALL:
                continue
            parts = [r for r in table.rows if r.key[name] != ALL
                     and all(r.key[o] == total.key[o] for o in total.key if o != name)]
            for m in table.measures:
                if m.additive and parts and m.name in total.cells:
                    out.add(("sum", total.cells[m.name].key, tuple(p.cells[m.name].key for p in parts)))
    for row in table.rows:
        for total, parts in total_measures.items():
            out.add(("sum", row.cells[total].key, tuple(row.cells[p].key for p in parts)))
        for rate, (num, den) in ratios.items():
            out.add(("ratio", row.cells[rate].key, (row.cells[num].key, row.cells[den].key)))
    return out


def _listed(cells: CellSet, table: Table) -> set:
    return {(r.kind, r.total, r.parts) for r in cells.relations if r.total[0] == table.id}


def test_relations_are_complete_for_each_table_kind():
    """Breakdown (a 計 row), a two-way table (both totals), a share table (shares of a total):
    what the kinds declare is exactly what the structure implies."""
    # a breakdown by one key
    cells, table = _breakdown({"A": 60, "B": 55, "C": 5})
    assert _listed(cells, table) == _expected_relations(table, {}, {})
    # a two-way table: occupation rows with a 計 row, level columns with a 計 column
    cells = CellSet()
    levels = [Measure(f"level_{c}", Text(str(c), str(c)), "workers") for c in (1, 2)]
    two_way = Table("mix", Text("mix", "mix"), ("m",), [KeyColumn("occupation", Text("職種", "o"))],
                    levels + [Measure("total", Text("計", "Total"), "workers")])
    for code, (a, b) in {"A": (30, 12), "B": (5, 0), ALL: (35, 12)}.items():
        two_way.add_row(cells, {"occupation": code}, Text(code, code), {"level_1": a, "level_2": b, "total": a + b},
                        default_workers=50, default_businesses=5)
    kinds.apply(cells, two_way, [kinds.Breakdown("occupation"), kinds.MeasureTotal("total", ("level_1", "level_2"))])
    assert _listed(cells, two_way) == _expected_relations(two_way, {"total": ("level_1", "level_2")}, {})
    # shares of a month's total (two keys: month and method)
    cells = CellSet()
    shares = Table("shares", Text("s", "s"), ("m",), [KeyColumn("month", Text("月", "m")),
                                                      KeyColumn("method", Text("方法", "m"))],
                   [Measure("days", Text("日", "d"), "person_days"),
                    Measure("share", Text("割合", "s"), "rate", "rate", additive=False)])
    for month in ("2024-04", "2024-05"):
        for method, days in (("card", 80), ("app", 20)):
            shares.add_row(cells, {"month": month, "method": method}, Text(method, method),
                           {"days": days, "share": days / 100}, default_workers=50, default_businesses=5)
        shares.add_row(cells, {"month": month, "method": ALL}, Text("計", "Total"), {"days": 100},
                       default_workers=50, default_businesses=5)
    kinds.apply(cells, shares, [kinds.Breakdown("method", ("days",))])
    for month in ("2024-04", "2024-05"):
        total = shares.cell("days", month=month, method=ALL)
        for method in ("card", "app"):
            row = shares.find(month=month, method=method)
            cells.relate("ratio", row.cells["share"], [row.cells["days"], total])
    expected = {r for r in _expected_relations(shares, {}, {})}
    for month in ("2024-04", "2024-05"):
        total = shares.cell("days", month=month, method=ALL)
        for method in ("card", "app"):
            row = shares.find(month=month, method=method)
            expected.add(("ratio", row.cells["share"].key, (row.cells["days"].key, total.key)))
    assert _listed(cells, shares) == expected


def _linprog_interval(cells: dict, relations: list, key) -> tuple[float, float]:
    """The interval of one suppressed cell, formulated afresh over every suppressed cell and
    solved by scipy's public linprog: what the audit's reused HiGHS models must reproduce."""
    unknown = sorted(k for k, c in cells.items() if c.suppressed and c.unit != "rate")
    index = {k: i for i, k in enumerate(unknown)}
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for relation in relations:
        if relation.kind == "sum":
            row, rhs = np.zeros(len(unknown)), 0.0
            for member, sign in ((relation.total, 1.0), *((p, -1.0) for p in relation.parts)):
                if member in index:
                    row[index[member]] += sign
                else:
                    rhs -= sign * cells[member].value
            a_eq.append(row), b_eq.append(rhs)
        else:   # numerator / denominator within the rate's rounding (a hidden rate: within [0, 1])
            rate, (numerator, denominator) = cells[relation.total], relation.parts
            low, high = (0.0, 1.0) if rate.suppressed else (rate.value - rate.rounding, rate.value + rate.rounding)
            for bound, sign in ((high, 1.0), (low, -1.0)):
                row, rhs = np.zeros(len(unknown)), 0.0
                for member, factor in ((numerator, sign), (denominator, -sign * bound)):
                    if member in index:
                        row[index[member]] += factor
                    else:
                        rhs -= factor * cells[member].value
                a_ub.append(row), b_ub.append(rhs)
    out = []
    for sign in (1.0, -1.0):
        c = np.zeros(len(unknown))
        c[index[key]] = sign
        result = linprog(c, A_ub=np.array(a_ub) if a_ub else None, b_ub=b_ub or None,
                         A_eq=np.array(a_eq) if a_eq else None, b_eq=b_eq or None,
                         bounds=[(0, None)] * len(unknown), method="highs")
        assert result.status in (0, 3), result.message
        out.append((-math.inf if sign > 0 else math.inf) if result.status == 3 else sign * result.fun)
    return out[0], out[1]


def test_a_hidden_total_of_published_parts_is_their_sum():
    """Parts 6 and 7 published, their total hidden: a reader adds 6 + 7 = 13, an interval of
    width 0 < 10 workers (the audit once read it as [13, inf) and passed it)."""
    cells = [audit.AuditCell(("t", "a", "m"), "workers", 6.0, False), audit.AuditCell(("t", "b", "m"), "workers", 7.0, False),
             audit.AuditCell(("t", "all", "m"), "workers", 13.0, True)]
    relation = audit.AuditRelation("r", "sum", ("t", "all", "m"), (("t", "a", "m"), ("t", "b", "m")))
    problem = audit.Problem(cells, [relation])
    assert problem.intervals() == {("t", "all", "m"): (13.0, 13.0)}
    assert [f.key for f in problem.findings(10, 3)] == [("t", "all", "m")]


def test_the_audit_intervals_equal_linprogs_on_random_linked_tables():
    """200 random two-way tables (row, column and grand totals; a third of the cells hidden, some
    totals too; a rounded rate of the first row): every interval equals the one scipy's linprog
    finds for the same system (the audit keeps one HiGHS model per group and changes only its
    objective, through a private module of scipy: this holds it to the public function)."""
    rng = random.Random(14)
    compared = 0
    for _ in range(200):
        rows, columns = rng.randint(2, 5), rng.randint(2, 5)
        values = [[rng.randint(0, 40) for _ in range(columns)] for _ in range(rows)]
        cells = {}

        def add(row, measure, value, hidden, unit="workers", rounding=0.0):
            cells[("t", row, measure)] = audit.AuditCell(("t", row, measure), unit, float(value), hidden,
                                                         0.0 if hidden else rounding)

        for i in range(rows):
            for j in range(columns):
                add(str(i), f"m{j}", values[i][j], rng.random() < 0.35)
            add(str(i), "total", sum(values[i]), rng.random() < 0.2)
        for j in range(columns):
            add("all", f"m{j}", sum(v[j] for v in values), rng.random() < 0.2)
        add("all", "total", sum(map(sum, values)), False)
        relations = [audit.AuditRelation(f"row{i}", "sum", ("t", str(i), "total"),
                                         tuple(("t", str(i), f"m{j}") for j in range(columns))) for i in range(rows)]
        relations += [audit.AuditRelation(f"column{j}", "sum", ("t", "all", f"m{j}"),
                                          tuple(("t", str(i), f"m{j}") for i in range(rows))) for j in range(columns)]
        relations.append(audit.AuditRelation("all", "sum", ("t", "all", "total"),
                                             tuple(("t", "all", f"m{j}") for j in range(columns))))
        if sum(values[0]):
            add("0", "rate", round(values[0][0] / sum(values[0]), 3), rng.random() < 0.5, unit="rate", rounding=0.0005)
            relations.append(audit.AuditRelation("rate", "ratio", ("t", "0", "rate"),
                                                 (("t", "0", "m0"), ("t", "0", "total"))))
        intervals = audit.Problem(list(cells.values()), relations).intervals()
        for key, (low, high) in intervals.items():
            expected = _linprog_interval(cells, relations, key)
            assert low == pytest.approx(expected[0], abs=1e-6) and high == pytest.approx(expected[1], abs=1e-6), key
            compared += 1
    assert compared > 1000      # the tables did hide cells: the comparison ran

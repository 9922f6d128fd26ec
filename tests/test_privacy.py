"""dashboards/privacy.py: primary and complementary suppression on hand-made tables."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboards.privacy import (CountTable, Thresholds, count_table, is_small, recoverable, suppress_cells,
                                suppress_table)

T = Thresholds()


def table(values: dict, businesses: dict | None = None, *, rows, cols, totals=True) -> CountTable:
    """Counts of workers (workers = values); businesses default to 5 per cell, 9 per total."""
    businesses = businesses or {}
    t = CountTable(rows=rows, cols=cols, values=values, workers=dict(values),
                   businesses={k: businesses.get(k, 5) for k in values})
    if totals:
        t.row_totals = {r: (sum(values.get((r, c), 0) for c in cols),) * 2 + (9,) for r in rows}
        t.col_totals = {c: (sum(values.get((r, c), 0) for r in rows),) * 2 + (9,) for c in cols}
        grand = sum(values.values())
        t.grand_total = (grand, grand, 9)
    return t


def test_thresholds_and_env_overrides():
    assert (T.min_workers, T.min_businesses) == (10, 3)
    assert Thresholds.from_env({"CCUS_SUPPRESS_MIN_WORKERS": "5", "CCUS_SUPPRESS_MIN_BUSINESSES": "2"}) == \
        Thresholds(5, 2)
    assert Thresholds.from_env({}) == T
    # fewer than 10 workers OR fewer than 3 businesses; exactly at the threshold is published
    assert is_small(9, 5, T) and is_small(50, 2, T) and is_small(0, 0, T) and is_small(None, 5, T)
    assert not is_small(10, 3, T)
    frame = pd.DataFrame({"workers": [9, 10, 40], "businesses": [4, 3, 2]})
    assert suppress_cells(frame, T).tolist() == [True, False, True]
    assert "10人" in T.note().ja and "5人" in Thresholds(5, 3).note().ja


def test_subtraction_attack_on_a_row_is_blocked():
    """One small cell in a row with a published total: without complementary suppression the
    reader gets it back as total - the other cells; with it, two cells are hidden."""
    t = table({("L1", "A"): 40, ("L1", "B"): 3, ("L1", "C"): 25, ("L1", "D"): 12}, rows=["L1"],
              cols=["A", "B", "C", "D"])
    # primary only: the attack works
    primary_only = suppress_table(t, Thresholds(10, 3))
    naive = type(primary_only)(suppressed=set(primary_only.primary), primary=primary_only.primary)
    assert naive.suppressed == {("cell", "L1", "B"), ("col_total", "B")}
    assert recoverable(t, naive)[("cell", "L1", "B")] == 80 - 40 - 25 - 12 == 3
    # complementary: the next-smallest cell of the row (12, at D) goes too, and then its column
    # total (the only other member of column D's line)... and so on until no line has exactly one
    s = suppress_table(t, T)
    assert s.cell("L1", "B") and s.cell("L1", "D")
    assert not s.cell("L1", "A") and not s.cell("L1", "C")
    assert recoverable(t, s) == {}
    for addends, total in t.lines():
        assert sum(m in s for m in [*addends, total]) != 1


def test_two_way_table_with_margins():
    # occupations x levels; one small cell (L3 of 10-01: 4 workers) and one cell with 2 businesses
    values = {("06-01", 1): 120, ("06-01", 2): 30, ("06-01", 3): 15,
              ("10-01", 1): 80, ("10-01", 2): 25, ("10-01", 3): 4,
              ("33-01", 1): 60, ("33-01", 2): 18, ("33-01", 3): 11}
    businesses = {("33-01", 3): 2}
    t = table(values, businesses, rows=["06-01", "10-01", "33-01"], cols=[1, 2, 3])
    s = suppress_table(t, T)
    assert s.primary == {("cell", "10-01", 3), ("cell", "33-01", 3)}
    # column 3 now has two suppressed cells, but rows 10-01 and 33-01 had one each: their
    # next-smallest cells (25 at level 2, 18 at level 2) are suppressed too; column 2 then has
    # two. No line is left with exactly one hidden member.
    assert s.suppressed == {("cell", "10-01", 3), ("cell", "33-01", 3),
                            ("cell", "10-01", 2), ("cell", "33-01", 2)}
    assert recoverable(t, s) == {}
    # all the totals stay published
    assert not any(s.row_total(r) for r in t.rows) and not any(s.col_total(c) for c in t.cols) and not s.grand()


def test_chains_of_subtractions_and_a_line_with_nothing_left_to_hide():
    # a single column: the only way to protect the small cell of a 2-row table is to hide the
    # other row too; then the row totals' line (with the grand total) needs its share
    t = table({("a", "x"): 50, ("b", "x"): 5}, rows=["a", "b"], cols=["x"])
    s = suppress_table(t, T)
    assert s.cell("b", "x") and s.cell("a", "x")
    assert recoverable(t, s) == {}
    # row b's total equals its single cell: both hidden (the total itself is small)
    assert s.row_total("b")


def test_count_table_from_unit_rows_counts_distinct_businesses():
    # per-business rows (the shape of level_eligibility_by_business): businesses spanning cells
    # count once in a total
    units = pd.DataFrame({
        "business_id": ["b1", "b1", "b2", "b3", "b4", "b4"],
        "occupation_code": ["10-01", "10-01", "10-01", "10-01", "06-01", "10-01"],
        "current_level": [1, 2, 1, 1, 1, 2],
        "workers": [12, 3, 20, 7, 30, 0],
    })
    t = count_table(units, row="occupation_code", col="current_level", value="workers", rows=["10-01", "06-01"],
                    cols=[1, 2])
    assert t.values[("10-01", 1)] == 39 and t.businesses[("10-01", 1)] == 3
    assert t.values[("10-01", 2)] == 3 and t.businesses[("10-01", 2)] == 1     # b4's 0 is no business
    assert t.row_totals["10-01"] == (42, 42, 3)                                 # b1, b2, b3
    assert t.col_totals[1] == (69, 69, 4)
    assert t.grand_total == (72, 72, 4)
    s = suppress_table(t, T)
    # 06-01 x 1 has one business (b4): suppressed; 10-01 x 2 has 3 workers: suppressed;
    # 06-01 x 2 is empty: published as 0; then the lines are protected
    assert {("cell", "06-01", 1), ("cell", "10-01", 2)} <= s.primary
    assert ("cell", "06-01", 2) not in s.suppressed
    assert recoverable(t, s) == {}


def test_complements_prefer_a_non_empty_cell():
    # row: 40, 3 (small), 0 -> hiding the 0 would leave 3 = 43 - 40 - (0 or 3): hide the 40
    t = table({("r", "a"): 40, ("r", "b"): 3, ("r", "c"): 0}, rows=["r"], cols=["a", "b", "c"])
    s = suppress_table(t, T)
    assert s.cell("r", "a") and s.cell("r", "b") and not s.cell("r", "c")
    assert recoverable(t, s) == {}


@pytest.mark.parametrize("seed", range(30))
def test_random_tables_never_leak_by_subtraction(seed):
    import random

    rng = random.Random(seed)
    rows, cols = list(range(rng.randint(1, 6))), list(range(rng.randint(1, 6)))
    values = {(r, c): rng.choice([0, 1, 2, 5, 9, 10, 11, 15, 30, 80]) for r in rows for c in cols}
    businesses = {k: rng.choice([1, 2, 3, 4, 8]) for k in values}
    t = table(values, businesses, rows=rows, cols=cols)
    s = suppress_table(t, T)
    assert recoverable(t, s) == {}
    assert s.primary <= s.suppressed


def test_pseudonyms_equal_the_keyed_hmac_whether_computed_or_remembered():
    """ccus/pseudonym.py computes HMAC-SHA256 from precomputed key states and remembers the
    hashes of ids it has seen: every value, first time or again, under any key length, is
    hmac.new(key, id, sha256) truncated to 20 hex digits, and another key gives other hashes."""
    import hashlib
    import hmac

    import pyarrow as pa

    from ccus.pseudonym import KEY_HEX_CHARS, pseudonymise

    ids = ["01234567890123", "P77", "ユニ", "", None, "01234567890123"]
    for key in (b"k", b"x" * 64, b"y" * 65, "鍵".encode()):
        expected = [None if v is None else hmac.new(key, v.encode(), hashlib.sha256).hexdigest()[:KEY_HEX_CHARS]
                    for v in ids]
        assert pseudonymise(key, pa.array(ids)).to_pylist() == expected  # computed
        assert pseudonymise(key, pa.array(ids[::-1])).to_pylist() == expected[::-1]  # remembered
    assert pseudonymise(b"k", pa.array(ids[:1])).to_pylist() != pseudonymise(b"k2", pa.array(ids[:1])).to_pylist()

"""Great Expectations 1.x suites for the bronze feeds, derived from the contract, called directly
(ephemeral context, no network) by the ingestion assets' Dagster asset checks.

The door (validate.py) already rejects what breaks the contract, so a failure of the contract
suite on bronze means the ingestion itself is wrong: it is an ERROR and blocks publication.
Plausibility ranges and row-count drift are WARNINGs: real data may legitimately trip them.
"""
from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from ccus.feeds import bronze
from ccus.feeds import contract as c

# Plausibility ranges beyond the contract (warning severity).
RANGES = {
    "wages": {"days_worked": (0, 31)},
    "kentaikyo": {"days_reported": (0, 31)},
    "site_contracts": {"tier": (0, 9)},
    "businesses": {"employee_count": (0, 500_000)},
}
DRIFT_LOW, DRIFT_HIGH = 0.2, 5.0  # accepted rows vs the mean of the previous deliveries


class TableFailure(NamedTuple):
    """A failed expectation over bronze files read as one table: the table's first file (where
    the asset check's `failed_at` points) and GE's message."""
    first_file: str
    message: str

    def __str__(self) -> str:
        return f"{self.first_file}…: {self.message}"


@dataclass
class Validation:
    """One table validated by one suite: GE's message for each expectation that failed."""
    passed: bool
    evaluated: int = 0
    messages: list[str] = field(default_factory=list)


@dataclass
class SuiteOutcome:
    """One suite over bronze files read as tables: each failure named by its table's first file."""
    passed: bool
    evaluated: int = 0
    failures: list[TableFailure] = field(default_factory=list)


@lru_cache(maxsize=1)
def _gx():
    """great_expectations, imported without the warning pyspark raises when GE imports it (pyspark
    is the Spark engine's, installed beside; GE validates pandas frames here and never uses it)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
        import great_expectations as gx
    return gx


@lru_cache(maxsize=1)
def _context():
    gx = _gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.execution_engine import pandas_execution_engine

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    # GE fingerprints every pandas batch below this size by hashing all its values, twice per
    # validation (the batch is fetched again inside validate()): 45 % of the checks' CPU on a
    # national roster table, for a marker (batch_markers["pandas_data_fingerprint"]) that nothing
    # here reads. A threshold of 0 bytes leaves every batch unhashed; GE is pinned in
    # pyproject.toml and tests/test_quality.py fails if this stops taking effect.
    pandas_execution_engine.HASH_THRESHOLD = 0
    return context


def _batch_definition(feed_name: str):
    context = _context()
    name = f"bronze_{feed_name}"
    try:
        return context.data_sources.get(name).get_asset(feed_name).get_batch_definition("delivery")
    except (KeyError, ValueError, LookupError):
        source = context.data_sources.add_pandas(name)
        return source.add_dataframe_asset(name=feed_name).add_batch_definition_whole_dataframe("delivery")


def contract_suite(feed: c.Feed):
    """Schema, ids, enumerations, levels and non-null keys, as the contract says."""
    gx = _gx()
    _context()  # suites need an active (ephemeral) context
    e = gx.expectations
    suite = gx.ExpectationSuite(name=f"{feed.name}_contract")
    suite.add_expectation(e.ExpectTableColumnsToMatchSet(column_set=bronze.schema(feed).names, exact_match=True))
    for col in feed.columns:
        name = c.PSEUDONYMISED.get(col.name, col.name)
        if col.personal and col.name not in c.PSEUDONYMISED:
            continue
        if not col.nullable:
            suite.add_expectation(e.ExpectColumnValuesToNotBeNull(column=name))
        if col.name in c.PSEUDONYMISED:  # a keyed hash, never a raw 14-digit id
            suite.add_expectation(e.ExpectColumnValuesToMatchRegex(column=name, regex=r"^[0-9a-f]{20}$"))
        elif col.kind == c.ID14:
            suite.add_expectation(e.ExpectColumnValuesToMatchRegex(column=name, regex=r"^\d{14}$"))
        elif col.kind == c.ENUM:
            suite.add_expectation(e.ExpectColumnValuesToBeInSet(column=name, value_set=list(col.codes)))
        elif col.kind == c.LEVEL:
            suite.add_expectation(e.ExpectColumnValuesToBeBetween(column=name, min_value=1, max_value=4))
        elif col.kind == c.PREFECTURE:
            # a group that captures nothing: pandas warns on every batch about groups it does not return
            suite.add_expectation(e.ExpectColumnValuesToMatchRegex(column=name, regex=r"^(?:0[1-9]|[1-3]\d|4[0-7])$"))
        elif col.kind == c.INT:  # the door's plausibility bound, when the contract sets one
            high = col.bound.high if col.bound is not None else None
            suite.add_expectation(e.ExpectColumnValuesToBeBetween(column=name, min_value=0, max_value=high))
    return suite


def range_suite(feed: c.Feed):
    gx = _gx()
    _context()
    suite = gx.ExpectationSuite(name=f"{feed.name}_ranges")
    for column, (low, high) in RANGES.get(feed.name, {}).items():
        suite.add_expectation(gx.expectations.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high))
    return suite


def validate(feed: c.Feed, table: pa.Table, suite) -> Validation:
    if not suite.expectations:
        return Validation(True)
    frame = _frame(table)
    result = _batch_definition(feed.name).get_batch(batch_parameters={"dataframe": frame}).validate(suite)
    messages = []
    for r in result.results:
        if not r.success:
            kwargs = r.expectation_config.kwargs
            sample = (r.result or {}).get("partial_unexpected_list") or (r.result or {}).get("observed_value")
            messages.append(f"{r.expectation_config.type}({kwargs.get('column', '')}): "
                            f"{(r.result or {}).get('unexpected_count', '')} unexpected, e.g. {sample!r:.200}")
    return Validation(result.success, len(result.results), messages)


def _frame(table: pa.Table):
    """The pandas frame Great Expectations validates. A list column (association codes,
    qualifications) goes in as its ';'-joined text, a null list staying null: pandas cannot hash
    lists, so GE fingerprinted each batch by pickling the whole frame instead, which was four
    fifths of the checks' time on the registry feeds. No expectation reads inside a list column;
    its name and its nulls, all a suite can see of it, are unchanged."""
    for i, field in enumerate(table.schema):
        if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
            table = table.set_column(i, field.name, pc.binary_join(table.column(i), ";"))
    return table.to_pandas()


def drift_baseline(deliveries: list[tuple[dt.date, int]], i: int, daily: bool) -> list[int]:
    """Accepted rows of the deliveries that delivery i (of `deliveries`, in date order) is
    compared with: the six before it of the same weekday for a daily feed (sites close on
    Sundays), the six before it for a monthly one. A daily feed's first delivery is never a
    baseline: it may be the initial extract of the history, as the registries' first delivery
    is a full one."""
    first_day = deliveries[0][0] if deliveries else None
    earlier = [(day, rows) for day, rows in deliveries[:i]
               if not daily or (day != first_day and day.weekday() == deliveries[i][0].weekday())]
    return [rows for _, rows in earlier[-6:]]


def row_count_drift(history: list[int], latest: int) -> str | None:
    """A message when the latest delivery's accepted rows are far from the previous ones' mean."""
    if not history:
        return None
    mean = sum(history) / len(history)
    if mean == 0:
        return None
    ratio = latest / mean
    if ratio < DRIFT_LOW or ratio > DRIFT_HIGH:
        return f"{latest:,} rows accepted vs {mean:,.0f} on average in the previous {len(history)} deliveries (×{ratio:.2f})"
    return None

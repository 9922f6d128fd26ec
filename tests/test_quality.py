"""Great Expectations suites on bronze, as the ingestion assets' Dagster checks."""
import datetime as dt

import pyarrow as pa

from ccus import quality
from ccus.feeds import bronze
from ccus.feeds.contract import FEEDS


def _attendance(**overrides):
    row = {"record_id": "R1", "site_id": "00000000000101", "worker_key": "0123456789abcdef0123", "employer_business_id": "00000000000011",
           "work_date": dt.date(2024, 5, 1), "entered_at": dt.datetime(2024, 5, 1, 8), "exited_at": None,
           "role": "general", "occupation_code": "10-01", "input_method": "card_reader", "device_id": None,
           "received_at": dt.datetime(2024, 5, 1, 18), "_source_file": "a.csv", "_source_line": 2,
           "_file_sha256": "x", "_file_date": dt.date(2024, 5, 1), "_file_version": 1}
    row.update(overrides)
    return pa.Table.from_pylist([row], schema=bronze.schema(FEEDS["attendance"]))


def test_contract_suite_passes_on_contract_rows_and_names_what_breaks_it():
    feed = FEEDS["attendance"]
    suite = quality.contract_suite(feed)
    assert quality.validate(feed, _attendance(), suite).passed
    broken = quality.validate(feed, _attendance(site_id="123", role="boss", worker_key="01234567890123"), suite)
    assert not broken.passed
    assert any("match_regex(site_id)" in f and "'123'" in f for f in broken.failures)
    assert any("to_be_in_set(role)" in f and "boss" in f for f in broken.failures)
    assert any("match_regex(worker_key)" in f for f in broken.failures)  # a raw id where a hash belongs


def test_schema_drift_is_caught():
    feed = FEEDS["attendance"]
    table = _attendance().append_column("surprise", pa.array([1]))
    outcome = quality.validate(feed, table, quality.contract_suite(feed))
    assert not outcome.passed and any("columns_to_match_set" in f for f in outcome.failures)


def test_plausible_ranges_and_row_count_drift_boundaries():
    feed = FEEDS["wages"]
    row = {"year_month": dt.date(2024, 5, 1), "business_id": "00000000000011", "worker_key": "k", "days_worked": 31,
           "base_pay_yen": 1, "allowances_yen": 0, "overtime_pay_yen": 0, "bonus_yen": 0, "_source_file": "w",
           "_source_line": 2, "_file_sha256": "x", "_file_date": dt.date(2024, 5, 1), "_file_version": 1}
    schema = bronze.schema(feed)
    assert quality.validate(feed, pa.Table.from_pylist([row], schema=schema), quality.range_suite(feed)).passed
    over = pa.Table.from_pylist([dict(row, days_worked=32)], schema=schema)
    assert not quality.validate(feed, over, quality.range_suite(feed)).passed
    # mean of the previous deliveries = 100: 20 (×0.2) and 500 (×5) are still fine, 19 and 501 drift
    assert quality.row_count_drift([50, 150], 20) is None
    assert quality.row_count_drift([50, 150], 500) is None
    assert "×0.19" in quality.row_count_drift([50, 150], 19)
    assert quality.row_count_drift([50, 150], 501) is not None
    assert quality.row_count_drift([], 10) is None


def test_checks_are_declared_on_every_feed_asset_and_the_contract_suite_blocks(dbt_manifest):
    from assets.ingest import FEED_ASSETS

    for asset in FEED_ASSETS:
        specs = {spec.name: spec for spec in asset.check_specs}
        assert set(specs) == {"contract_suite", "plausible_ranges", "row_count_drift"}
        assert specs["contract_suite"].blocking and not specs["row_count_drift"].blocking

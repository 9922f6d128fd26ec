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
    assert any("match_regex(site_id)" in f and "'123'" in f for f in broken.messages)
    assert any("to_be_in_set(role)" in f and "boss" in f for f in broken.messages)
    assert any("match_regex(worker_key)" in f for f in broken.messages)  # a raw id where a hash belongs


def _workers(n):
    """Bronze worker rows with qualification lists (some empty, some null) and a few bad levels."""
    rows = [{"worker_key": f"{i:020x}", "birth_year": 1980, "employer_business_id": "00000000000011",
             "occupation_code": "10-01", "registration_type": "detailed", "registered_on": dt.date(2021, 1, 1),
             "level": 9 if i % 7 == 3 else 2, "level_judged_on": None,
             "qualifications": [None, [], ["TAMAKAKE"], ["TAMAKAKE", "KOGATA_CRANE"]][i % 4],
             "experience_start_on": dt.date(2010, 4, 1), "health_insurance": "enrolled",
             "pension_insurance": "enrolled", "employment_insurance": "maybe" if i == 5 else "enrolled",
             "insurance_verified_on": None, "has_kentaikyo_member_no": True,
             "updated_at": dt.datetime(2024, 5, 1, 9), "_source_file": "w.csv", "_source_line": i + 2,
             "_file_sha256": "x", "_file_date": dt.date(2024, 5, 1), "_file_version": 1} for i in range(n)]
    return pa.Table.from_pylist(rows, schema=bronze.schema(FEEDS["workers"]))


def _results(feed, frame, suite):
    result = quality._batch_definition(feed.name).get_batch(batch_parameters={"dataframe": frame}).validate(suite)
    out = []
    for r in result.results:
        d = r.to_json_dict()
        d["expectation_config"].pop("id", None)
        out.append(d)
    return result.success, out


def test_list_columns_reach_great_expectations_as_text_with_the_same_results():
    """quality._frame hands list columns to GE as text (pandas cannot hash lists, and GE then
    pickles the frame to fingerprint it): every expectation result, passing or failing, with its
    counts and sample values, equals the one on the plain frame."""
    feed = FEEDS["workers"]
    table = _workers(60)
    frame = quality._frame(table)
    texts = frame["qualifications"].tolist()[:4]
    assert texts[0] is None or texts[0] != texts[0]  # null stays null (None or NaN)
    assert texts[1:] == ["", "TAMAKAKE", "TAMAKAKE;KOGATA_CRANE"]
    suite = quality.contract_suite(feed)
    plain, fast = _results(feed, table.to_pandas(), suite), _results(feed, frame, suite)
    assert plain[0] is False  # the bad levels and the bad enum fail, so failures are compared too
    assert plain == fast


def test_schema_drift_is_caught():
    feed = FEEDS["attendance"]
    table = _attendance().append_column("surprise", pa.array([1]))
    outcome = quality.validate(feed, table, quality.contract_suite(feed))
    assert not outcome.passed and any("columns_to_match_set" in f for f in outcome.messages)


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


def test_drift_baselines_skip_a_daily_feeds_initial_extract():
    monday = dt.date(2024, 4, 1)
    # a first delivery carrying years of history, then a delivery a day for five weeks
    deliveries = [(monday, 1_700_000)] + [(monday + dt.timedelta(days=d), 2_000 + d) for d in range(1, 36)]
    mondays = [i for i, (day, _) in enumerate(deliveries) if day.weekday() == 0]      # days 0, 7, 14, 21, 28, 35
    assert quality.drift_baseline(deliveries, mondays[1], daily=True) == []          # only the extract before it
    assert quality.drift_baseline(deliveries, mondays[2], daily=True) == [2_007]
    assert quality.drift_baseline(deliveries, mondays[5], daily=True) == [2_007, 2_014, 2_021, 2_028]
    assert quality.row_count_drift(quality.drift_baseline(deliveries, mondays[2], daily=True), 2_014) is None
    # without the rule the extract would be the baseline: ×0.0012, a drift
    assert quality.row_count_drift([1_700_000], 2_007) is not None
    # the six latest of the weekday
    weekly = [(monday + dt.timedelta(weeks=w), 100 + w) for w in range(10)]
    assert quality.drift_baseline(weekly, 9, daily=True) == [103, 104, 105, 106, 107, 108]
    # monthly feeds: the six months before, the first month included
    months = [(dt.date(2024, m, 1), 10 * m) for m in range(1, 10)]
    assert quality.drift_baseline(months, 8, daily=False) == [20, 30, 40, 50, 60, 70, 80][-6:]
    assert quality.drift_baseline(months, 1, daily=False) == [10]


def test_checks_are_declared_on_every_feed_asset_and_the_contract_suite_blocks(dbt_manifest):
    from assets.ingest import FEED_ASSETS

    for asset in FEED_ASSETS:
        specs = {spec.name: spec for spec in asset.check_specs}
        assert set(specs) == {"contract_suite", "plausible_ranges", "row_count_drift"}
        assert specs["contract_suite"].blocking and not specs["row_count_drift"].blocking


def test_batches_are_not_fingerprinted():
    """quality._context() switches off GE's hash of every value of a batch (a marker nothing here
    reads, 45 % of the checks' CPU): a GE upgrade that moves the switch fails here, not silently."""
    feed = FEEDS["attendance"]
    quality.contract_suite(feed)  # the context, as the worker sets it up
    frame = quality._frame(_attendance())
    batch = quality._batch_definition(feed.name).get_batch(batch_parameters={"dataframe": frame})
    assert "ge_load_time" in batch.batch_markers   # the markers GE writes are there…
    assert "pandas_data_fingerprint" not in batch.batch_markers   # …but not the hash of the data

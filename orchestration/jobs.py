"""Jobs: the daily day-by-day ingestion, and the refresh of everything downstream of it.

The split is written here once: the schedules and the sensor start these jobs by name, and
`ccus run` (orchestration/runner.py) and the bench (bench/steps.py) execute the same jobs of the
Definitions (orchestration/assembly.py) in process.
"""
import dagster as dg

from assets.dbt import ccus_dbt_models

DAILY_INGEST = "daily_ingest"
REFRESH = "refresh"
REFRESH_WITHOUT_DBT_TESTS = "refresh_without_dbt_tests"

DAILY_FEEDS = dg.AssetSelection.assets(["bronze", "attendance"], ["bronze", "rosters"])
REFRESHED = dg.AssetSelection.all() - DAILY_FEEDS

# One day's attendance and rosters (a range of days runs as one run: single-run backfill policy).
daily_ingest_job = dg.define_asset_job(
    DAILY_INGEST, selection=DAILY_FEEDS,
    description="Ingest one day's attendance and rosters files into bronze.",
)

# Registry and monthly feeds, the audit, dbt build (with its tests as checks), gold and pages.
refresh_job = dg.define_asset_job(
    REFRESH, selection=REFRESHED,
    description="Ingest registry and monthly deliveries, build all dbt models and tests, export gold, publish pages.",
)

# The same on an engine that runs no dbt data tests (Spark with CCUS_SPARK_DATA_TESTS=0, ccus/engine.py):
# their checks unselected, not merely unrun, since a blocking check that never reports would skip
# gold and the pages.
refresh_without_dbt_tests_job = dg.define_asset_job(
    REFRESH_WITHOUT_DBT_TESTS, selection=REFRESHED - dg.AssetSelection.checks_for_assets(ccus_dbt_models),
    description="The refresh without dbt's data tests (an engine configured to run none).",
)

JOBS = [daily_ingest_job, refresh_job, refresh_without_dbt_tests_job]


def refresh_job_name(dbt_data_tests: bool) -> str:
    """The refresh job for an engine that runs dbt's data tests (or not): ccus/engine.py data_tests_run."""
    return REFRESH if dbt_data_tests else REFRESH_WITHOUT_DBT_TESTS

"""Jobs: the daily day-by-day ingestion, and the refresh of everything downstream of it."""
import dagster as dg


DAILY_FEEDS = dg.AssetSelection.assets(["bronze", "attendance"], ["bronze", "rosters"])

# One day's attendance and rosters (a range of days runs as one run: single-run backfill policy).
daily_ingest_job = dg.define_asset_job(
    "daily_ingest", selection=DAILY_FEEDS,
    description="Ingest one day's attendance and rosters files into bronze.",
)

# Registry and monthly feeds, the audit, dbt build (with its tests as checks), gold and pages.
refresh_job = dg.define_asset_job(
    "refresh", selection=dg.AssetSelection.all() - DAILY_FEEDS,
    description="Ingest registry and monthly deliveries, build all dbt models and tests, export gold, publish pages.",
)

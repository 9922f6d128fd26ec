"""The one Dagster entry point (workspace.yaml points here)."""
import os

from orchestration.quiet_libraries import quiet_libraries

quiet_libraries(os.environ)   # the edge `dagster dev` and the daemon load: before the libraries below run

import dagster as dg

from assets.dbt import ccus_dbt_models
from assets.gold import gold_marts
from assets.ingest import FEED_ASSETS, bronze_ingest_audit, bronze_jp_holidays, bronze_unrecognised
from assets.publish import published_site
from orchestration.jobs import daily_ingest_job, refresh_job
from orchestration.resources import default_resources
from orchestration.schedules import daily_ingest_schedule, daily_refresh_schedule, weekly_audit_schedule
from orchestration.sensors import inbox_sensor

defs = dg.Definitions(
    assets=[*FEED_ASSETS, bronze_unrecognised, bronze_ingest_audit, bronze_jp_holidays, ccus_dbt_models, gold_marts, published_site],
    jobs=[daily_ingest_job, refresh_job],
    schedules=[daily_ingest_schedule, daily_refresh_schedule, weekly_audit_schedule],
    sensors=[inbox_sensor],
    resources=default_resources(),
)

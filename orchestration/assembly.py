"""The platform as one Dagster Definitions: the assets, the jobs, the schedules and the sensor,
with the resources given. orchestration/definitions.py gives it the resources of the environment
(what `dagster dev` and the daemon load); `ccus run` and the bench the resources of their own
settings (orchestration/runner.py), so they execute the same jobs."""
import dagster as dg

from assets.dbt import ccus_dbt_models
from assets.gold import gold_marts
from assets.ingest import FEED_ASSETS, bronze_ingest_audit, bronze_jp_holidays, bronze_unrecognised
from assets.publish import published_site
from orchestration.jobs import JOBS
from orchestration.schedules import daily_ingest_schedule, daily_refresh_schedule, weekly_audit_schedule
from orchestration.sensors import inbox_sensor

ASSETS = [*FEED_ASSETS, bronze_unrecognised, bronze_ingest_audit, bronze_jp_holidays, ccus_dbt_models, gold_marts,
          published_site]


def definitions(resources: dict) -> dg.Definitions:
    return dg.Definitions(
        assets=ASSETS,
        jobs=JOBS,
        schedules=[daily_ingest_schedule, daily_refresh_schedule, weekly_audit_schedule],
        sensors=[inbox_sensor],
        resources=resources,
    )

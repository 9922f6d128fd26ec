"""Resources chosen by configuration: where the inbox and the lakehouse are (local or s3://),
where the lakehouse's local state is, the pseudonym key, and where the pages are published.

`resources(settings)` is the one place settings become resources: `ccus run` passes the settings
it built from its command line, the Dagster daemon and `ccus dev` the ones built here from the
environment (default_resources, the daemon's entry point).
"""
from __future__ import annotations

import os

import dagster as dg

from assets.dbt_project import dbt_resource
from assets.resources import InboxResource, LakehouseResource, Progress
from ccus.settings import KEY_ENV, Settings


def resources(settings: Settings, progress: Progress | None = None) -> dict:
    """`progress`: where the steps report how far they are (`ccus run`'s display); by default nowhere
    (runs of the daemon and the UI show their events in the UI)."""
    # The key as dg.EnvVar, not its value: Dagster shows plain resource config in the UI and keeps
    # it with the run; an EnvVar is resolved in the run's own process. Its value was checked when
    # the settings were built (ccus/settings.py), from the same environment.
    key = dg.EnvVar(KEY_ENV) if settings.pseudonym_key is not None else None
    return {
        "lakehouse": LakehouseResource(root=settings.lakehouse, engine=settings.engine,
                                       state_folder=str(settings.state.folder),
                                       warehouse_path=str(settings.state.warehouse),
                                       pseudonym_key=key, spark_thrift=settings.spark_thrift,
                                       dbt_unit_tests=settings.dbt_unit_tests,
                                       spark_data_tests=settings.spark_data_tests,
                                       ingest_workers=settings.ingest_workers),
        "inbox": InboxResource(root=settings.inbox),
        "dbt": dbt_resource(),
        # plain checked values (a hardcoded resource): where the pages go, the suppression thresholds
        "publication": settings.publication,
        "progress": progress or Progress(),
        # the environment the settings were read from (plain, never shown): what the steps'
        # child processes (the quality checks' worker) are given
        "environment": settings.environ,
    }


def default_resources() -> dict:
    """Resources from the environment, as `ccus dev` and the Dagster daemon see them."""
    return resources(Settings.from_environ(os.environ))

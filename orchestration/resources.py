"""Resources chosen by configuration: where the inbox and the lakehouse are (local or s3://),
where the lakehouse's local state is, and the pseudonym key.

`resources(settings)` is the one place settings become resources: `ccus run` passes the settings
it built from its command line, the Dagster daemon and `ccus dev` the ones built here from the
environment (default_resources, the daemon's entry point).
"""
from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from assets.dbt_project import dbt_resource
from ccus.feeds.inbox import Inbox
from ccus.lakehouse import Lakehouse
from ccus.progress import Progress
from ccus.settings import KEY_ENV, LocalState, Settings


class LakehouseResource(dg.ConfigurableResource):
    """The lakehouse root: a local folder or s3://bucket/prefix (CCUS_LAKEHOUSE), the engine that
    builds its models and marts from its bronze (CCUS_ENGINE: duckdb or spark), its local state
    (absolute paths, ccus/settings.py) and the pseudonym key (None: the local key file)."""

    root: str
    engine: str = "duckdb"
    state_folder: str
    warehouse_path: str
    pseudonym_key: str | None = None
    spark_thrift: str = ""      # HOST:PORT of a Spark Thrift Server (CCUS_SPARK_THRIFT): Spark on its cluster

    def get(self) -> Lakehouse:
        return Lakehouse(self.root)

    def state(self) -> LocalState:
        return LocalState(folder=Path(self.state_folder), warehouse=Path(self.warehouse_path))


class InboxResource(dg.ConfigurableResource):
    """Where producers deliver files (CCUS_INBOX): a local folder or an s3:// prefix."""

    root: str

    def get(self) -> Inbox:
        return Inbox(self.root)


def resources(settings: Settings, progress: Progress | None = None) -> dict:
    """`progress`: where the steps report how far they are (`ccus run`'s display); by default nowhere."""
    # The key as dg.EnvVar, not its value: Dagster shows plain resource config in the UI and keeps
    # it with the run; an EnvVar is resolved in the run's own process. Its value was checked when
    # the settings were built (ccus/settings.py), from the same environment.
    key = dg.EnvVar(KEY_ENV) if settings.pseudonym_key is not None else None
    return {
        "lakehouse": LakehouseResource(root=settings.lakehouse, engine=settings.engine,
                                       state_folder=str(settings.state.folder),
                                       warehouse_path=str(settings.state.warehouse),
                                       pseudonym_key=key, spark_thrift=settings.spark_thrift),
        "inbox": InboxResource(root=settings.inbox),
        "dbt": dbt_resource(),
        "progress": progress or Progress(),
    }


def default_resources() -> dict:
    """Resources from the environment, as `ccus dev` and the Dagster daemon see them."""
    return resources(Settings.from_environ(os.environ))

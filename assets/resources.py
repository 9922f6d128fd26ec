"""The resources the assets take: where the lakehouse and the inbox are, the engine, the local
state and the pseudonym key, and where the steps report how far they are (Progress). Which values they get is decided once, at the entry point
(orchestration/resources.py builds them from the settings)."""
from __future__ import annotations

from pathlib import Path

import dagster as dg

from ccus.feeds.inbox import Inbox
from ccus.lakehouse import Lakehouse
from ccus.settings import LocalState


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
    dbt_unit_tests: bool = False    # dbt's unit tests in the build (CCUS_DBT_UNIT_TESTS; DuckDB only)
    spark_data_tests: bool = True   # dbt's data tests on Spark (CCUS_SPARK_DATA_TESTS)
    ingest_workers: int = 2         # processes ingesting the feed files' rows, and checking them (CCUS_INGEST_WORKERS)

    def get(self) -> Lakehouse:
        return Lakehouse(self.root)

    def state(self) -> LocalState:
        return LocalState(folder=Path(self.state_folder), warehouse=Path(self.warehouse_path))


class InboxResource(dg.ConfigurableResource):
    """Where producers deliver files (CCUS_INBOX): a local folder or an s3:// prefix."""

    root: str

    def get(self) -> Inbox:
        return Inbox(self.root)


class Progress:
    """How far a run is, reported as it goes: files and rows per feed, dbt nodes, pages. One task
    per name (e.g. "ingest attendance", "dbt build", "pages"), updated in place; used as a context
    manager around the run (a live display starts and stops with it).

    The steps call `update` from the run's own events (files committed, dagster-dbt's events,
    pages written); the entry point decides what to show (orchestration/console.py: a live
    display on a terminal, a few plain lines otherwise). This base reports nothing: the runs of
    the Dagster daemon and the UI show their events there."""

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, task: str, done: int, total: int | None = None, *, unit: str = "files",
               rows: int | None = None, current: str | None = None) -> None:
        """`done` of `total` (None: not known in advance) `unit`s of `task`; `rows` read so far,
        `current`: what it is working on (a model's name)."""

"""Resources chosen by configuration: where the inbox and the lakehouse are (local or s3://)."""
from __future__ import annotations

import os

import dagster as dg

from ccus.feeds.inbox import Inbox
from ccus.lakehouse import Lakehouse


class LakehouseResource(dg.ConfigurableResource):
    """The lakehouse root: a local folder or s3://bucket/prefix (CCUS_LAKEHOUSE), and the engine
    that builds its models and marts from its bronze (CCUS_ENGINE: duckdb or spark; Spark on a
    cluster when spark_thrift names its Thrift server, HOST:PORT, CCUS_SPARK_THRIFT)."""

    root: str
    engine: str = "duckdb"
    spark_thrift: str = ""

    def get(self) -> Lakehouse:
        return Lakehouse(self.root)


class InboxResource(dg.ConfigurableResource):
    """Where producers deliver files (CCUS_INBOX): a local folder or an s3:// prefix."""

    root: str

    def get(self) -> Inbox:
        return Inbox(self.root)


def default_resources() -> dict:
    """Resources from the environment, as `ccus dev` and the Dagster daemon see them."""
    from assets.dbt_project import dbt_resource
    from ccus.engine import engine_from_env

    return {
        "lakehouse": LakehouseResource(root=os.environ.get("CCUS_LAKEHOUSE", "lakehouse"),
                                       engine=engine_from_env(),
                                       spark_thrift=os.environ.get("CCUS_SPARK_THRIFT", "")),
        "inbox": InboxResource(root=os.environ.get("CCUS_INBOX", "inbox")),
        "dbt": dbt_resource(),
    }

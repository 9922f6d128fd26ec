"""Resources chosen by configuration: where the inbox and the lakehouse are (local or s3://)."""
from __future__ import annotations

import os

import dagster as dg

from ccus.feeds.inbox import Inbox
from ccus.lakehouse import Lakehouse
from dashboards.settings import PublishSettings, from_mapping

# The publication's settings (dashboards/settings.py), read from the environment here only.
PUBLICATION_VARIABLES = ("CCUS_SITE", "CCUS_SITE_MINISTRY", "CCUS_SITE_ASSOCIATIONS", "CCUS_SITE_ORDERERS", "CCUS_SITE_PRIMES",
                         "CCUS_SUPPRESS_MIN_WORKERS", "CCUS_SUPPRESS_MIN_BUSINESSES", "CCUS_EXPORT_PNG",
                         "CCUS_PUBLISH_WORKERS", "CCUS_CHROMIUM")


class LakehouseResource(dg.ConfigurableResource):
    """The lakehouse root: a local folder or s3://bucket/prefix (CCUS_LAKEHOUSE), and the engine
    that builds its models and marts from its bronze (CCUS_ENGINE: duckdb or spark)."""

    root: str
    engine: str = "duckdb"

    def get(self) -> Lakehouse:
        return Lakehouse(self.root)


class InboxResource(dg.ConfigurableResource):
    """Where producers deliver files (CCUS_INBOX): a local folder or an s3:// prefix."""

    root: str

    def get(self) -> Inbox:
        return Inbox(self.root)


class PublicationResource(dg.ConfigurableResource):
    """Where each audience's location is and how pages are suppressed (the CCUS_SITE*,
    CCUS_SUPPRESS_*, CCUS_EXPORT_PNG, CCUS_PUBLISH_WORKERS and CCUS_CHROMIUM variables, read once
    by :func:`publication_from_env`)."""

    variables: dict[str, str] = {}

    def settings(self, default_site: str) -> PublishSettings:
        return from_mapping(self.variables, default_site)


def publication_from_env(environ=None) -> PublicationResource:
    env = os.environ if environ is None else environ
    return PublicationResource(variables={k: env[k] for k in PUBLICATION_VARIABLES if env.get(k)})


def default_resources() -> dict:
    """Resources from the environment, as `ccus dev` and the Dagster daemon see them."""
    from assets.dbt_project import dbt_resource
    from ccus.engine import engine_from_env

    return {
        "lakehouse": LakehouseResource(root=os.environ.get("CCUS_LAKEHOUSE", "lakehouse"),
                                       engine=engine_from_env()),
        "inbox": InboxResource(root=os.environ.get("CCUS_INBOX", "inbox")),
        "dbt": dbt_resource(),
        "publication": publication_from_env(),
    }

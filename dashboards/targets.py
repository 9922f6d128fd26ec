"""Where each audience's pages are published: configuration, one location per audience.

Each audience may have its own location (a local folder or an s3:// prefix), so the ministry,
the associations and the orderers/primes can be served from places with different access
rules. Unset, every audience goes under the default site folder (``<lakehouse>/site``).

    CCUS_SITE              default location of every audience (default: <lakehouse>/site)
    CCUS_SITE_MINISTRY     the ministry's pages
    CCUS_SITE_ASSOCIATIONS the associations' pages
    CCUS_SITE_PROJECTS     the project pages (orderers and primes)
    CCUS_PUBLISH_WORKERS   processes building the project pages (default 2; 1: no worker process)

A location receives ``<audience>/…`` (the same relative layout as the default site, so links
between pages stay the same), its own ``assets/plotly.min.js`` and an ``index.html`` that lists
only the audiences published there.
"""

from __future__ import annotations

import os

AUDIENCES = ("ministry", "associations", "projects")
DEFAULT_ENV = "CCUS_SITE"
ENV = {audience: f"CCUS_SITE_{audience.upper()}" for audience in AUDIENCES}


def publication_targets(default_site: str, environ: dict | None = None) -> dict[str, str]:
    """{audience: location}; an empty variable counts as unset."""
    env = os.environ if environ is None else environ
    default = env.get(DEFAULT_ENV) or default_site
    targets = {audience: env.get(ENV[audience]) or default for audience in AUDIENCES}
    for audience, url in targets.items():
        if "://" in url and not url.startswith("s3://"):
            raise ValueError(f"{ENV[audience]}={url!r}: a publication location is a local folder or s3://bucket/prefix")
    return targets


def export_png(environ: dict | None = None) -> bool:
    """Whether publication writes PNG copies of the key charts (CCUS_EXPORT_PNG, default on)."""
    env = os.environ if environ is None else environ
    value = env.get("CCUS_EXPORT_PNG", "1").strip().lower()
    if value not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
        raise ValueError(f"CCUS_EXPORT_PNG={value!r}: use 1 or 0")
    return value in ("1", "true", "yes", "on")


def publish_workers(environ: dict | None = None) -> int:
    """How many processes build the project pages (CCUS_PUBLISH_WORKERS, default 2: the machine
    the national benchmark runs on has two cores). 1 builds them in the publishing process alone."""
    env = os.environ if environ is None else environ
    value = env.get("CCUS_PUBLISH_WORKERS", "").strip() or "2"
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"CCUS_PUBLISH_WORKERS={value!r}: use a whole number of processes, 1 or more")
    return int(value)

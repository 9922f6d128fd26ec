"""Publish the static dashboards from gold/ to each audience unit's location (default site/…)."""

import dataclasses

import dagster as dg

from assets.gold import gold_marts
from assets.resources import LakehouseResource, Progress
from ccus.settings import Publication
from ccus.storage import s3_filesystem
from dashboards.publish import publish_site
from dashboards.settings import resolve

SITE_KEY = dg.AssetKey(["site", "dashboards"])


def files_last_published(instance: dg.DagsterInstance) -> int | None:
    """The files the previous publication wrote (its materialisation's metadata): this one's
    expected total, for the time left; None the first time."""
    event = instance.get_latest_materialization_event(SITE_KEY)
    materialization = event.asset_materialization if event is not None else None
    value = materialization.metadata.get("files") if materialization is not None else None
    return int(value.value) if value is not None else None


@dg.asset(key=SITE_KEY, group_name="publish", deps=[gold_marts], kinds={"html"},
          description="Static pages (plotly bundled once per location, no CDN), Japanese with an English switch, "
                      "one location per audience unit (CCUS_SITE_MINISTRY / _ASSOCIATIONS / _ORDERERS / _PRIMES), each with "
                      "its tables as data (tables/*.csv, cells.csv, relations.csv, manifest.json) after one "
                      "disclosure-control step; PNG copies of the key charts (kaleido with Debian's Chromium).")
def published_site(context: dg.AssetExecutionContext, lakehouse: LakehouseResource,
                   publication: dg.ResourceParam[Publication], progress: dg.ResourceParam[Progress]):
    lh = lakehouse.get()
    settings = resolve(lh.path("site"), **dataclasses.asdict(publication))
    expected = files_last_published(context.instance)
    # a location on S3 gets the S3 filesystem of the standard AWS settings, whether the lakehouse
    # is local or on S3 (the lakehouse's own filesystem serves its own protocol only)
    written = publish_site(lh.path("gold"), settings, fs=None if lh.is_local else lh.fs, s3=s3_filesystem,
                           on_written=lambda count: progress.update("pages", count, expected))
    progress.update("pages", len(written), len(written))
    metadata = {"pages": len([p for p in written if p.endswith(".html")]),
                "png": len([p for p in written if p.endswith(".png")]),
                "files": len(written),
                "index": dg.MetadataValue.path(lh.path("site/index.html")),
                "location_ministry": settings.locations.ministry,
                "location_associations": settings.locations.associations,
                "location_orderers": settings.locations.orderers, "location_primes": settings.locations.primes}
    return dg.MaterializeResult(metadata=metadata)

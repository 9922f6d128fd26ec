"""Publish the static dashboards from gold/ to each audience unit's location (default site/…)."""

import dataclasses

import dagster as dg

from assets.gold import gold_marts
from assets.resources import LakehouseResource
from ccus.settings import Publication
from dashboards.publish import publish_site
from dashboards.settings import resolve


@dg.asset(key=["site", "dashboards"], group_name="publish", deps=[gold_marts], kinds={"html"},
          description="Static pages (plotly bundled once per location, no CDN), Japanese with an English switch, "
                      "one location per audience unit (CCUS_SITE_MINISTRY / _ASSOCIATIONS / _ORDERERS / _PRIMES), each with "
                      "its tables as data (tables/*.csv, cells.csv, relations.csv, manifest.json) after one "
                      "disclosure-control step; PNG copies of the key charts (kaleido with Debian's Chromium).")
def published_site(context: dg.AssetExecutionContext, lakehouse: LakehouseResource,
                   publication: dg.ResourceParam[Publication]):
    lh = lakehouse.get()
    settings = resolve(lh.path("site"), **dataclasses.asdict(publication))
    written = publish_site(lh.path("gold"), settings, fs=None if lh.is_local else lh.fs, s3=lambda: lh.fs)
    metadata = {"pages": len([p for p in written if p.endswith(".html")]),
                "png": len([p for p in written if p.endswith(".png")]),
                "index": dg.MetadataValue.path(lh.path("site/index.html")),
                "location_ministry": settings.locations.ministry,
                "location_associations": settings.locations.associations,
                "location_orderers": settings.locations.orderers, "location_primes": settings.locations.primes}
    return dg.MaterializeResult(metadata=metadata)

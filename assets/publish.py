"""Publish the static dashboards from gold/ into site/<audience>/."""

import dagster as dg

from assets.gold import gold_marts
from orchestration.resources import LakehouseResource


@dg.asset(key=["site", "dashboards"], group_name="publish", deps=[gold_marts], kinds={"html"},
          description="Static pages (plotly bundled once, no CDN) under site/, Japanese with an English switch.")
def published_site(context: dg.AssetExecutionContext, lakehouse: LakehouseResource):
    from dashboards.publish import publish_site

    lh = lakehouse.get()
    written = publish_site(lh.path("gold"), lh.path("site"), fs=None if lh.is_local else lh.fs)
    return dg.MaterializeResult(metadata={"pages": len(written), "index": dg.MetadataValue.path(lh.path("site/index.html"))})

"""Publish the static dashboards from gold/ to each audience's location (default site/<audience>/)."""

import dagster as dg

from assets.gold import gold_marts
from assets.resources import LakehouseResource


@dg.asset(key=["site", "dashboards"], group_name="publish", deps=[gold_marts], kinds={"html"},
          description="Static pages (plotly bundled once per location, no CDN), Japanese with an English switch; "
                      "each audience to its own location (CCUS_SITE_MINISTRY / _ASSOCIATIONS / _PROJECTS); "
                      "PNG copies of the key charts (kaleido with Debian's Chromium).")
def published_site(context: dg.AssetExecutionContext, lakehouse: LakehouseResource):
    from dashboards.publish import publish_site
    from dashboards.targets import export_png, publication_targets

    lh = lakehouse.get()
    targets = publication_targets(lh.path("site"))
    written = publish_site(lh.path("gold"), lh.path("site"), fs=None if lh.is_local else lh.fs,
                           targets=targets, png=export_png())
    metadata = {"pages": len([p for p in written if p.endswith(".html")]),
                "png": len([p for p in written if p.endswith(".png")]),
                "index": dg.MetadataValue.path(lh.path("site/index.html"))}
    metadata.update({f"location_{audience}": url for audience, url in targets.items()})
    return dg.MaterializeResult(metadata=metadata)

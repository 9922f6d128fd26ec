"""Publish the static dashboards from gold/ to each audience's location (default site/<audience>/)."""

import dagster as dg

from assets.gold import gold_marts
from ccus.progress import Progress
from orchestration.resources import LakehouseResource

SITE_KEY = dg.AssetKey(["site", "dashboards"])


def files_last_published(instance: dg.DagsterInstance) -> int | None:
    """The files the previous publication wrote (its materialisation's metadata): this one's
    expected total, for the time left; None the first time."""
    event = instance.get_latest_materialization_event(SITE_KEY)
    materialization = event.asset_materialization if event is not None else None
    value = materialization.metadata.get("files") if materialization is not None else None
    return int(value.value) if value is not None else None


@dg.asset(key=SITE_KEY, group_name="publish", deps=[gold_marts], kinds={"html"},
          description="Static pages (plotly bundled once per location, no CDN), Japanese with an English switch; "
                      "each audience to its own location (CCUS_SITE_MINISTRY / _ASSOCIATIONS / _PROJECTS); "
                      "PNG copies of the key charts (kaleido with Debian's Chromium).")
def published_site(context: dg.AssetExecutionContext, lakehouse: LakehouseResource, progress: dg.ResourceParam[Progress]):
    from dashboards.publish import publish_site
    from dashboards.targets import export_png, publication_targets

    lh = lakehouse.get()
    targets = publication_targets(lh.path("site"))
    expected = files_last_published(context.instance)
    written = publish_site(lh.path("gold"), lh.path("site"), fs=None if lh.is_local else lh.fs,
                           targets=targets, png=export_png(),
                           on_written=lambda count: progress.update("pages", count, expected))
    progress.update("pages", len(written), len(written))
    metadata = {"pages": len([p for p in written if p.endswith(".html")]),
                "png": len([p for p in written if p.endswith(".png")]),
                "files": len(written),
                "index": dg.MetadataValue.path(lh.path("site/index.html"))}
    metadata.update({f"location_{audience}": url for audience, url in targets.items()})
    return dg.MaterializeResult(metadata=metadata)

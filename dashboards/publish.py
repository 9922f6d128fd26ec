"""Entry point: publish every dashboard page from the gold marts, each audience to its location."""

from __future__ import annotations

from datetime import date

import fsspec
import plotly.offline

from . import association, home, ministry, png_export, project
from .io import locate, write_atomic
from .layout import PLOTLY_ASSET
from .targets import AUDIENCES


def build_pages(gold: str, *, fs: fsspec.AbstractFileSystem | None = None,
                as_of: date | None = None) -> dict[str, str]:
    """Every audience's pages: {path relative to the site root: HTML} (no top page)."""
    gold_at = locate(gold, fs)
    pages = {"ministry/index.html": ministry.build_page(gold_at, as_of)}
    pages.update(association.build_pages(gold_at, as_of))
    pages.update(project.build_pages(gold_at, as_of))
    return pages


def _filesystem(url: str, fs: fsspec.AbstractFileSystem | None):
    """``fs`` when it serves ``url``'s protocol; s3fs from the AWS variables for another s3:// URL."""
    protocol = url.split("://", 1)[0] if "://" in url else "file"
    if fs is not None:
        protocols = (fs.protocol,) if isinstance(fs.protocol, str) else tuple(fs.protocol)
        if protocol in protocols or (protocol == "file" and "local" in protocols):
            return fs
    if protocol == "s3":
        from ccus.lakehouse import s3_filesystem
        return s3_filesystem()
    return None


def publish_site(gold: str, site: str, *, fs: fsspec.AbstractFileSystem | None = None,
                 as_of: date | None = None, targets: dict[str, str] | None = None,
                 png: bool = False) -> list[str]:
    """Write the static dashboards from the marts under ``gold``.

    ``site`` is the default location of every audience; ``targets`` ({audience: location},
    see dashboards.targets) sends an audience elsewhere. Locations and ``gold`` are local
    folders or fsspec URLs (``s3://bucket/prefix``). ``fs``, when given, is the filesystem for
    the URLs of its protocol. ``as_of`` leaves out rows dated after it and is the date the pages
    state; by default the pages state the latest date in the marts.

    Each location gets ``assets/plotly.min.js`` (the one copy of plotly.js its pages load by a
    relative path), an ``index.html`` listing the audiences published there, and those
    audiences' folders: ``ministry/index.html``; with the membership marts
    ``associations/index.html`` and ``associations/<code>/index.html``; with the site-level
    compliance marts ``projects/index.html`` and ``projects/<site_id>/index.html``. With
    ``png``, the key charts also as ``<audience>/png/<chart>.<lang>.png`` (kaleido, Chromium).
    Missing marts do not stop the build: their sections say the data is not available.
    Returns the written paths, spelled like the locations.
    """
    pages = build_pages(gold, fs=fs, as_of=as_of)
    images = png_export.render(png_export.key_figures(pages)) if png else {}
    files = {**{k: v.encode("utf-8") for k, v in pages.items()}, **images}

    where = {audience: (targets or {}).get(audience) or site for audience in AUDIENCES}
    locations: dict[str, list[str]] = {}
    for audience in AUDIENCES:
        locations.setdefault(where[audience], []).append(audience)

    plotly_js = plotly.offline.get_plotlyjs().encode("utf-8")
    written = []
    for url, audiences in locations.items():
        site_at = locate(url, _filesystem(url, fs))
        mine = {path: data for path, data in files.items() if path.split("/")[0] in audiences}
        published = {path.split("/")[0] for path in mine}
        mine["index.html"] = home.build_page(published, listed=audiences).encode("utf-8")
        written.append(write_atomic(site_at, PLOTLY_ASSET, plotly_js))
        for relative, data in mine.items():
            written.append(write_atomic(site_at, relative, data))
    return written

"""Entry point: publish every dashboard page from the gold marts, each audience to its location."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date

import fsspec
import plotly.offline

from . import association, home, ministry, png_export, project
from .io import locate, write_atomic
from .layout import PLOTLY_ASSET
from .targets import AUDIENCES


def iter_pages(gold: str, *, fs: fsspec.AbstractFileSystem | None = None,
               as_of: date | None = None) -> Iterator[tuple[str, str]]:
    """Every audience's pages as (path relative to the site root, HTML), no top page, built one at
    a time as they are asked for — the ministry's page first."""
    gold_at = locate(gold, fs)
    yield "ministry/index.html", ministry.build_page(gold_at, as_of)
    yield from association.iter_pages(gold_at, as_of)
    yield from project.iter_pages(gold_at, as_of)


def build_pages(gold: str, *, fs: fsspec.AbstractFileSystem | None = None,
                as_of: date | None = None) -> dict[str, str]:
    """Every audience's pages: {path relative to the site root: HTML} (no top page). All in
    memory — gigabytes at national scale; publish_site writes them as they come instead."""
    return dict(iter_pages(gold, fs=fs, as_of=as_of))


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
    where = {audience: (targets or {}).get(audience) or site for audience in AUDIENCES}
    locations: dict[str, list[str]] = {}
    for audience in AUDIENCES:
        locations.setdefault(where[audience], []).append(audience)
    site_at = {url: locate(url, _filesystem(url, fs)) for url in locations}

    pages = iter_pages(gold, fs=fs, as_of=as_of)
    ministry_page = next(pages)
    # the PNGs are made before anything is written: without Chromium nothing is published
    images = png_export.render(png_export.key_figures(dict([ministry_page]))) if png else {}

    # Each page is written as soon as it is built and then dropped, so memory does not grow
    # with the number of pages (about 81 000 project pages at national scale). Each file is
    # written atomically; the top pages come last, listing the audiences that got pages.
    plotly_js = plotly.offline.get_plotlyjs().encode("utf-8")
    written = [write_atomic(site_at[url], PLOTLY_ASSET, plotly_js) for url in locations]
    published: dict[str, set[str]] = {url: set() for url in locations}
    for relative, content in itertools.chain([ministry_page], pages, images.items()):
        audience = relative.split("/")[0]
        url = where[audience]
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        written.append(write_atomic(site_at[url], relative, data))
        published[url].add(audience)
    for url, audiences in locations.items():
        top = home.build_page(published[url], listed=audiences).encode("utf-8")
        written.append(write_atomic(site_at[url], "index.html", top))
    return written

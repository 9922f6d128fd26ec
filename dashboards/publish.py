"""Entry point: publish every dashboard page from the gold marts, each audience to its location."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

import fsspec
import plotly.offline

from . import association, home, ministry, png_export, project, project_workers
from .io import Location, locate, write_atomic
from .layout import PLOTLY_ASSET
from .project_workers import SitePageWorkers
from .targets import AUDIENCES, publish_workers


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
                 png: bool = False, on_written=None) -> list[str]:
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
    Returns the written paths, spelled like the locations; ``on_written(count)`` is told each
    time the count of written files grows (the run's progress display).

    Pages are written one by one as they are built (each file atomically; the top pages last),
    so a failure part-way leaves whole files only and memory does not grow with the number of
    pages. With thousands of sites between local folders, CCUS_PUBLISH_WORKERS processes
    (default 2) write the site pages (dashboards.project_workers).
    """
    where = {audience: (targets or {}).get(audience) or site for audience in AUDIENCES}
    locations: dict[str, list[str]] = {}
    for audience in AUDIENCES:
        locations.setdefault(where[audience], []).append(audience)
    out = _Output(where, {url: locate(url, _filesystem(url, fs)) for url in locations}, on_written)

    gold_at = locate(gold, fs)
    ministry_page = ("ministry/index.html", ministry.build_page(gold_at, as_of))
    # the PNGs are made before anything is written: without Chromium nothing is published
    images = png_export.render(png_export.key_figures(dict([ministry_page]))) if png else {}

    # Each page is written as soon as it is built and then dropped, so memory does not grow
    # with the number of pages (about 81 000 project pages at national scale). Each file is
    # written atomically; the top pages come last, listing the audiences that got pages.
    plotly_js = plotly.offline.get_plotlyjs().encode("utf-8")
    for url in locations:
        out.write_to(url, PLOTLY_ASSET, plotly_js)
    out.write([ministry_page, *images.items()])
    # the association marts are let go before the project marts are read: one at a time in memory
    out.write(association.iter_pages(gold_at, as_of))
    projects = project.load(gold_at, as_of)
    sites = projects.sites.to_dict("records") if project.has_pages(projects) else []
    projects_at = out.site_at[where["projects"]]
    processes = publish_workers()
    # worker processes for the site pages, started now: they load the marts while this one
    # writes the index pages
    workers = (SitePageWorkers.start(gold_at, as_of, sites, projects_at, processes)
               if project_workers.worth_it(gold_at, projects_at, len(sites), processes) else None)
    try:
        if project.has_pages(projects):
            out.write(project.index_pages(projects))
            if workers:
                out.written += workers.join(projects, sites, projects_at)
                out.on_written(len(out.written))
            else:
                out.write(project.site_pages(projects, sites))
    finally:
        if workers:
            workers.stop()
    for url, audiences in locations.items():
        out.write_to(url, "index.html", home.build_page(out.published[url], listed=audiences).encode("utf-8"))
    return out.written


class _Output:
    """Writes each page to its audience's location; keeps the written paths (spelled like the
    locations) and which audiences got pages where."""

    def __init__(self, where: dict[str, str], site_at: dict[str, Location], on_written=None):
        self.where, self.site_at = where, site_at
        self.on_written = on_written or (lambda count: None)
        self.written: list[str] = []
        self.published: dict[str, set[str]] = {url: set() for url in site_at}

    def write_to(self, url: str, relative: str, data: bytes) -> None:
        self.written.append(write_atomic(self.site_at[url], relative, data))
        self.on_written(len(self.written))

    def write(self, pages: Iterable[tuple[str, str | bytes]]) -> None:
        for relative, content in pages:
            audience = relative.split("/")[0]
            url = self.where[audience]
            self.write_to(url, relative, content if isinstance(content, bytes) else content.encode("utf-8"))
            self.published[url].add(audience)

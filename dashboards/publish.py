"""Entry point: publish every audience unit's location from the gold marts.

Each location (the ministry's, one per association, one per orderer and per prime) gets its
pages, its published data (tables/<id>.csv, cells.csv, relations.csv, manifest.json, written
before its pages) and its own ``assets/plotly.min.js`` (a hard link to one copy where the
filesystem allows). The orderers' and primes' locations are started first, in worker processes
(dashboards/projects/workers.py), while this process builds the ministry's and the
associations'; the site root's top page, listing the locations published under it, comes last.
"""

from __future__ import annotations


import fsspec

from . import home, location_files, png_export, render
from . import sources as seed_sources
from .association import data as association_data
from .association import page as association_page
from .i18n import Text
from .io import Location, Writer, locate
from .ministry import page as ministry_page
from .projects import data as project_data
from .projects.workers import Jobs, ProjectWorkers, Targets, worth_it
from .settings import PublishSettings
from .simulation import simulation_banner

def _relative_href(site: str, location: str) -> str | None:
    """The link from the site root's top page to a location under it (None: elsewhere)."""
    root, target = site.rstrip("/"), location.rstrip("/")
    if target.startswith(root + "/"):
        return target[len(root) + 1:] + "/index.html"
    return None


def publish_site(gold: str, settings: PublishSettings, *, fs: fsspec.AbstractFileSystem | None = None,
                 as_of=None, s3=None, on_written=None) -> list[str]:
    """Write every location from the marts under ``gold`` (a folder or an fsspec URL); returns the
    written paths. ``fs`` serves the URLs of its protocol; ``s3`` makes a filesystem for other
    s3:// URLs. ``as_of`` leaves out rows dated after it. Missing marts do not stop the build:
    their sections say so. Each file is written atomically, a location's pages after its data,
    the top page last. ``on_written(count)`` is told the count of files written as it grows."""
    gold_at = locate(gold, fs)
    out = Writer(fs, s3, on_written)
    banner = simulation_banner(gold_at)
    places = settings.locations
    entries = {kind: home.Entry(kind, []) for kind in home.KINDS}

    projects = project_data.load(gold_at, as_of)
    if settings.png:
        png_export.chromium(settings.chromium)   # without Chromium nothing is published
    targets = Targets(places.orderers, places.primes)
    jobs = Jobs(projects, targets, out) if project_data.has_pages(projects) else None
    # the orderers' and primes' locations (most of the work at national scale) are started
    # first, in worker processes: they run while this process builds the ministry's and the
    # associations' locations, then this one joins them
    # plotly.min.js's first copy, before the workers start: every process links to this one
    plotly_copy = out.plotly(jobs.where(*jobs.first_unit())) if jobs is not None and len(jobs.places.units) else None
    workers = (ProjectWorkers.start(gold, as_of, targets, settings.workers, plotly_copy)
               if jobs is not None and worth_it(gold_at, targets, len(jobs), settings.workers) else None)
    try:
        ministry = ministry_page.build(gold_at, settings.thresholds, as_of, banner, sites=projects.sites)
        images = (png_export.render(png_export.key_figures(ministry.pages), settings.chromium) if settings.png else {})
        _publish_location(out, out.at(places.ministry), ministry, images)
        _list(entries["ministry"], places.site, places.ministry, Text("国土交通省", "Ministry (MLIT)"))

        associations = association_data.load(gold_at, as_of)
        sources = seed_sources.load(gold_at)
        for code in associations.codes() if associations is not None else []:
            url = places.association(code)
            _publish_location(out, out.at(url), association_page.build(associations, code, settings.thresholds,
                                                                       banner, sources))
            _list(entries["associations"], places.site, url, Text(*associations.name(code)))

        if workers:
            out.wrote(workers.join(jobs))
        elif jobs is not None:
            for job in range(len(jobs)):
                jobs.run(job)
    finally:
        if workers:
            workers.stop()
    for unit in jobs.places.units if jobs is not None else []:
        _list(entries[unit.kind], places.site, targets.url(unit.kind, unit.code), unit.name)

    site_at = out.at(places.site)
    out.write(site_at, "index.html", home.build_page([e for e in entries.values() if e.links or e.elsewhere]))
    return list(dict.fromkeys(out.written))      # plotly's first copy is written twice


def _list(entry: home.Entry, site: str, url: str, name: Text) -> None:
    href = _relative_href(site, url)
    if href is None:
        entry.elsewhere += 1
    else:
        entry.links.append(render.Link(href, name))


def _publish_location(out: Writer, where: Location, location, images: dict[str, bytes] | None = None) -> None:
    location_files.write(out, where, {**location.files, **(images or {})}, location.pages)

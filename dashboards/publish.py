"""Entry point: publish every dashboard page from the gold marts into a site folder."""

from __future__ import annotations

from datetime import date

import fsspec
import plotly.offline

from . import association, home, ministry, project
from .io import locate, write_atomic
from .layout import PLOTLY_ASSET


def publish_site(gold: str, site: str, *, fs: fsspec.AbstractFileSystem | None = None,
                 as_of: date | None = None) -> list[str]:
    """Write the static dashboard site under ``site`` from the marts under ``gold``.

    ``gold`` and ``site`` are folders: local paths or fsspec URLs (``s3://bucket/prefix/gold``).
    ``fs``, when given, is the fsspec filesystem for both; otherwise each URL picks its own.
    ``as_of`` leaves out rows dated after it and is the date the pages state; by default
    the pages state the latest date in the marts.

    Writes ``assets/plotly.min.js`` (the one copy of plotly.js every page loads by a relative
    path), ``index.html`` and one folder per audience (``ministry/index.html``; with the
    membership marts, ``associations/index.html`` and ``associations/<code>/index.html``; with the
    site-level compliance marts, ``projects/index.html`` and ``projects/<site_id>/index.html``).
    Missing marts do not stop the build: their sections say the data is not available.
    Returns the written paths, spelled like ``site``.
    """
    gold_at = locate(gold, fs)
    site_at = locate(site, fs)
    pages = {"ministry/index.html": ministry.build_page(gold_at, as_of)}
    pages.update(association.build_pages(gold_at, as_of))
    pages.update(project.build_pages(gold_at, as_of))
    audiences = {path.split("/")[0] for path in pages}
    pages["index.html"] = home.build_page(audiences)

    written = [write_atomic(site_at, PLOTLY_ASSET, plotly.offline.get_plotlyjs().encode("utf-8"))]
    for relative, text in pages.items():
        written.append(write_atomic(site_at, relative, text.encode("utf-8")))
    return written

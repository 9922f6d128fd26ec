"""Whether a site page or a location needs building again: a digest of everything it is built
from, written into the page (``<meta name="ccus-page-inputs">``) and read back from the published
copy by the next publication.

A day's publication at national scale has ~67,000 site pages, and most sites' figures did not
change since the day before (their work is over, or a day's records did not reach them). The
writer already leaves a page untouched when its new bytes equal the old ones, but building the
page to find that out was most of a day's publication (issue 17). The digest covers:

- the site's record and, for every mart a page reads, the site's rows (in page order);
- the site's own as-of date, the simulation banner, the seeds the marts rest on;
- the code that turns them into HTML: every file of the ``dashboards`` package (modules,
  templates, stylesheet, scripts) and the template engine's version.

A page is skipped only when every location it goes to (its orderer's, its prime's) already
holds a copy with the same digest; a site that moved to another prime, a missing copy, a
changed figure or a new release of the code builds it again. Local folders only: on an object
store each page is built and written (a read per page there costs about what a write does).

An orderer's or a prime's location (its index, site list, summary, its sites' tables, methods
page and manifest: about a dozen files) is made from nothing but its sites' page inputs, so its
digest is that of its unit and its sites' digests, written into its ``index.html`` — the last of
its files to be written. A location whose sites all kept their digests is not built again; its
files stay as they are.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

import jinja2

from ..io import Location
from .data import _KENTAIKYO_BUSINESS_TOTALS, CLOSURE, CLOSURE_MONTHLY, INSURANCE, KENTAIKYO, MEASUREMENTS, SCORES, \
    WORKTIME, ProjectData

META_NAME = "ccus-page-inputs"
# the marts a site page reads (dashboards/projects/site_page.py)
PAGE_MARTS = (SCORES, MEASUREMENTS, KENTAIKYO, _KENTAIKYO_BUSINESS_TOTALS, INSURANCE, WORKTIME, CLOSURE,
              CLOSURE_MONTHLY)
HEAD_BYTES = 4096           # the meta sits in the page's <head>, after a title of any length
_META = re.compile(rb'<meta name="' + META_NAME.encode() + rb'" content="([0-9a-f]{40})">')


@lru_cache(maxsize=1)
def code_version() -> bytes:
    """A digest of the dashboards package's files (a new release builds every page again)."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(jinja2.__version__.encode(), digest_size=20)
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".html", ".css", ".js"):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


def site_digest(site: dict, data: ProjectData) -> str:
    """The digest of a site page's inputs (40 hex digits): the site's record, its own as-of date,
    the banner, the seeds, and the hashes of its rows in every mart the page reads
    (ProjectData.rows_digest: one 64-bit hash per row, computed for a whole mart at once)."""
    site_id = site["site_id"]
    digest = hashlib.blake2b(code_version(), digest_size=20)
    digest.update(data.sources_digest())
    digest.update(repr((sorted(site.items()), data.site_as_of(site_id), data.simulation)).encode("utf-8"))
    for mart in PAGE_MARTS:
        rows = data.rows_digest(mart, site_id)
        # a missing mart and a mart without the site's rows give different digests
        digest.update(b"\0" + mart.encode("utf-8") + (b"\1" if rows is None else
                                                      b"\2" + len(rows).to_bytes(8, "little") + rows))
    return digest.hexdigest()


def location_digest(kind: str, code: str, name, as_of, site_digests: list[str]) -> str:
    """The digest of an orderer's or a prime's location's inputs: the unit, its as-of date and
    the digests of its sites' pages, in its order. Everything a location holds — its index, the
    site list and summary, its sites' tables, its methods page, its manifest — is made from
    those sites' records and rows (the same marts as their pages), the seeds and the code."""
    digest = hashlib.blake2b(code_version(), digest_size=20)
    digest.update(repr((kind, code, name, as_of)).encode("utf-8"))
    for site in site_digests:
        digest.update(site.encode("ascii"))
    return digest.hexdigest()


def published_digest(where: Location, relative: str) -> str | None:
    """The digest in the page published at ``where``/``relative`` (None: no such local page, or a
    page without one)."""
    if not where.is_local:
        return None
    try:
        with open(where.path(relative), "rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return None
    found = _META.search(head)
    return found.group(1).decode() if found else None

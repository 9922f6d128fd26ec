"""Writing one location whole: its files listed in its manifest, and what the previous publication
listed there but this one no longer writes removed.

A publication over an earlier one must not leave the earlier one's files behind: the page of a
site that moved to another prime would stay in its old prime's location (a prime sees only its
own sites), a table no longer published would keep its old figures. The manifest of a location
lists every file it holds (``files``), so the next publication knows what to remove by reading
one small file, not by walking the location (at national scale 17,000 locations and 370,000
files: walking them took longer than writing them). A manifest written before the list existed
gives its pages and table CSVs. Files the manifest never listed (anything else in the folder)
are left alone.
"""

from __future__ import annotations

import json
import os
import posixpath

from .disclosure.export import json_document
from .io import PLOTLY_ASSET, Location, Writer

MANIFEST = "manifest.json"


def previous_files(where: Location) -> set[str]:
    """The files the location's current manifest lists (none: no manifest, or unreadable)."""
    try:
        with where.fs.open(where.path(MANIFEST), "rb") as handle:
            manifest = json.loads(handle.read().decode("utf-8"))
    except (FileNotFoundError, ValueError, UnicodeDecodeError):
        return set()
    if not isinstance(manifest, dict):
        return set()
    listed = manifest.get("files")
    if isinstance(listed, list):
        return {f for f in listed if isinstance(f, str)}
    # a manifest of the code before the list: its pages and the CSVs of its tables
    found = {p for p in manifest.get("pages") or () if isinstance(p, str)}
    for key in ("tables", "site_tables"):
        found |= {t["csv"] for t in manifest.get(key) or () if isinstance(t, dict) and isinstance(t.get("csv"), str)}
    return found


def _safe(relative: str) -> bool:
    """A path inside the location (a manifest is read back from storage: never trust it to
    point elsewhere)."""
    normal = posixpath.normpath(relative)
    return not (normal.startswith(("/", "../")) or normal in ("..", ".") or "\\" in relative)


def with_file_list(manifest: bytes, files: set[str]) -> bytes:
    data = json.loads(manifest.decode("utf-8"))
    data["files"] = sorted(files | {MANIFEST})
    return json_document(data)


def remove(where: Location, stale: set[str]) -> None:
    """Remove the stale files, then the folders they leave empty (an earlier layout's ``sites/<id>/``)."""
    for relative in sorted(stale):
        if not _safe(relative):
            continue
        path = where.path(relative)
        try:
            where.fs.rm_file(path)
        except FileNotFoundError:
            continue
        if where.is_local:
            folder = os.path.dirname(path)
            while folder != where.root and folder.startswith(where.root.rstrip("/") + "/"):
                try:
                    os.rmdir(folder)
                except OSError:
                    break      # not empty
                folder = os.path.dirname(folder)


def write(writer: Writer, where: Location, files: dict[str, bytes | str], pages: dict[str, bytes | str],
          other_pages: list[str] = ()) -> None:
    """The location's plotly copy, its data files (manifest with the list of every file), then its
    pages; ``other_pages``: pages written elsewhere (the site pages of an orderer's or a prime's
    location, written by their own jobs). Then what the previous manifest listed and this
    publication does not write is removed."""
    previous = previous_files(where)
    current = {PLOTLY_ASSET, *files, *pages, *other_pages}
    files = dict(files)
    if MANIFEST in files:
        manifest = files[MANIFEST]
        files[MANIFEST] = with_file_list(manifest.encode("utf-8") if isinstance(manifest, str) else manifest, current)
    writer.plotly(where)
    writer.write_all(where, files.items())
    writer.write_all(where, pages.items())
    remove(where, previous - current - {MANIFEST})


def keep(writer: Writer, where: Location, page: str, other_pages: list[str] = ()) -> bool:
    """A location left as it is (built from the same inputs): the files its manifest lists are
    reported written, its plotly copy checked; False when the manifest is unreadable or does not
    list ``page`` (then the location must be built). ``other_pages`` are reported by their own
    jobs, as in :func:`write`."""
    files = previous_files(where)
    if page not in files:
        return False
    writer.plotly(where)
    writer.wrote([where.url_of(f) for f in sorted(files - {PLOTLY_ASSET, *other_pages})])
    return True

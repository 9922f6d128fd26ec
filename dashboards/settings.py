"""Publication settings: where each audience unit's location is, the suppression thresholds,
PNG copies and worker processes. The entry point reads and checks them once (ccus/settings.py,
Publication: the CCUS_SITE*, CCUS_SUPPRESS_*, CCUS_EXPORT_PNG, CCUS_PUBLISH_WORKERS and
CCUS_CHROMIUM variables) and passes them here as plain values; nothing in dashboards/ reads the
environment.

Default locations: the ministry's {site}/ministry, one per association {site}/associations/{code},
per orderer {site}/orderers/{code}, per prime contractor {site}/primes/{code}. A location is a
local folder or an s3:// prefix; a per-unit pattern holds ``{code}`` once.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace

from .disclosure.suppress import Thresholds

CODE = re.compile(r"[0-9A-Za-z_-]{1,40}")      # what may stand for {code} in a location


def join(root: str, *parts: str) -> str:
    return posixpath.join(root.rstrip("/"), *parts) if "://" in root else posixpath.join(root, *parts)


@dataclass(frozen=True)
class Locations:
    site: str
    ministry: str
    associations: str
    orderers: str
    primes: str

    def association(self, code: str) -> str:
        return unit_location(self.associations, code)


def unit_location(pattern: str, code: str) -> str:
    """The location of one audience unit: the pattern with its code (checked: a code from the
    data never walks out of its folder)."""
    if not CODE.fullmatch(code or ""):
        raise ValueError(f"{code!r} cannot name a publication location (allowed: {CODE.pattern})")
    return pattern.replace("{code}", code)


@dataclass(frozen=True)
class PublishSettings:
    locations: Locations
    thresholds: Thresholds = field(default_factory=Thresholds)
    png: bool = False
    workers: int = 2
    chromium: str = "/usr/bin/chromium"


def resolve(default_site: str, *, site: str = "", ministry: str = "", associations: str = "", orderers: str = "",
            primes: str = "", min_workers: int = 10, min_businesses: int = 3, png: bool = True, workers: int = 2,
            chromium: str = "/usr/bin/chromium") -> PublishSettings:
    """The settings from the plain values the entry point resolved (ccus/settings.py,
    Publication, which checks them): an empty location is its default under the site root,
    itself ``default_site`` (a lakehouse path, any fsspec URL in tests) when empty."""
    site = site or default_site
    locations = Locations(
        site=site,
        ministry=ministry or join(site, "ministry"),
        associations=associations or join(site, "associations", "{code}"),
        orderers=orderers or join(site, "orderers", "{code}"),
        primes=primes or join(site, "primes", "{code}"))
    return PublishSettings(locations=locations, thresholds=Thresholds(min_workers, min_businesses), png=png,
                           workers=workers, chromium=chromium)


def local(site: str, **changes) -> PublishSettings:
    """Every location under ``site`` with the defaults and no PNG (tests, previews); ``changes``
    replace fields of the settings."""
    return replace(resolve(site, png=False), **changes)

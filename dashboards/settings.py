"""Publication settings: where each audience unit's location is, the suppression thresholds,
PNG copies and worker processes. Built once at the entry point (orchestration/resources.py reads
the environment there) and passed down; nothing in dashboards/ reads the environment.

    CCUS_SITE              the site root (default <lakehouse>/site): the top page, and the root
                           of the default locations below
    CCUS_SITE_MINISTRY     the ministry's location            (default {site}/ministry)
    CCUS_SITE_ASSOCIATIONS one location per association        (default {site}/associations/{code})
    CCUS_SITE_ORDERERS     one location per orderer               (default {site}/orderers/{code})
    CCUS_SITE_PRIMES       one location per prime contractor       (default {site}/primes/{code})
    CCUS_SUPPRESS_MIN_WORKERS / _MIN_BUSINESSES   thresholds (10 / 3)
    CCUS_EXPORT_PNG        PNG copies of the ministry's key charts (default 1)
    CCUS_PUBLISH_WORKERS   processes writing the project pages (default 2)
    CCUS_CHROMIUM          the Chromium kaleido drives for the PNGs (default /usr/bin/chromium)

A location is a local folder or an s3:// prefix; a per-unit pattern holds ``{code}`` once.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

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


def _location(name: str, value: str) -> str:
    if "://" in value and not value.startswith("s3://"):
        raise ValueError(f"{name}={value!r}: a publication location is a local folder or s3://bucket/prefix")
    return value


def _pattern(name: str, value: str) -> str:
    _location(name, value)
    if value.count("{code}") != 1:
        raise ValueError(f"{name}={value!r}: the pattern must hold {{code}} once (e.g. s3://bucket/associations/{{code}}/)")
    return value


def _whole(name: str, value: str, default: int, least: int) -> int:
    value = (value or "").strip() or str(default)
    if not value.isdigit() or int(value) < least:
        raise ValueError(f"{name}={value!r}: use a whole number, {least} or more")
    return int(value)


def _flag(name: str, value: str, default: bool) -> bool:
    value = (value or "").strip().lower() or ("1" if default else "0")
    if value not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
        raise ValueError(f"{name}={value!r}: use 1 or 0")
    return value in ("1", "true", "yes", "on")


def from_mapping(env: Mapping[str, str], default_site: str) -> PublishSettings:
    """Settings from a mapping of the variables above (an empty value counts as unset)."""
    # the caller's default (a lakehouse path, any fsspec URL in tests) is taken as it is
    site = _location("CCUS_SITE", env["CCUS_SITE"]) if env.get("CCUS_SITE") else default_site
    def place(name: str, default: str, pattern: bool = False) -> str:
        if not env.get(name):
            return default
        return _pattern(name, env[name]) if pattern else _location(name, env[name])

    locations = Locations(
        site=site,
        ministry=place("CCUS_SITE_MINISTRY", join(site, "ministry")),
        associations=place("CCUS_SITE_ASSOCIATIONS", join(site, "associations", "{code}"), pattern=True),
        orderers=place("CCUS_SITE_ORDERERS", join(site, "orderers", "{code}"), pattern=True),
        primes=place("CCUS_SITE_PRIMES", join(site, "primes", "{code}"), pattern=True))
    return PublishSettings(
        locations=locations,
        thresholds=Thresholds(_whole("CCUS_SUPPRESS_MIN_WORKERS", env.get("CCUS_SUPPRESS_MIN_WORKERS", ""), 10, 1),
                              _whole("CCUS_SUPPRESS_MIN_BUSINESSES", env.get("CCUS_SUPPRESS_MIN_BUSINESSES", ""), 3, 1)),
        png=_flag("CCUS_EXPORT_PNG", env.get("CCUS_EXPORT_PNG", ""), True),
        workers=_whole("CCUS_PUBLISH_WORKERS", env.get("CCUS_PUBLISH_WORKERS", ""), 2, 1),
        chromium=env.get("CCUS_CHROMIUM") or "/usr/bin/chromium")


def local(site: str, **changes) -> PublishSettings:
    """Every location under ``site`` with the defaults (tests, previews); ``changes`` replace
    fields of the settings."""
    settings = from_mapping({}, site)
    return PublishSettings(**{**settings.__dict__, "png": False, **changes})

"""The settings of a run, read once at the entry point and passed down.

`ccus run` and `ccus dev` build them in orchestration/cli.py, the Dagster daemon in
orchestration/resources.py; nothing below reads the environment for them. Every path is absolute
here, so no step depends on the working directory of whoever started it (dbt runs inside
dbt_project/, a relative path would mean another file there).

The local state of a lakehouse is what only one machine can hold: dbt's DuckDB file and its
writer lock, dbt's per-run target folders, the local Spark engine's catalog and tables. For a
local lakehouse it lives in the lakehouse folder; for an s3:// lakehouse in one folder per
lakehouse under the user's cache (`~/.cache/ccus/<hash>/`), named by the URL and the S3 endpoint
so that two stores never share a warehouse.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ccus.engine import DEFAULT_ENGINE, check_engine
from ccus.spark_thrift import parse_address

KEY_ENV = "CCUS_PSEUDONYM_KEY"
MIN_KEY_BYTES = 32  # 256 bits, the size of HMAC-SHA256's own output


class SettingsError(ValueError):
    """A setting that cannot be used; the message says which and why (one line)."""


@dataclass(frozen=True)
class LocalState:
    """The local files of one lakehouse."""

    folder: Path
    warehouse: Path          # dbt's DuckDB file (CCUS_WAREHOUSE_PATH, default folder/warehouse.duckdb)

    @property
    def lock(self) -> Path:
        """One writer at a time (ccus/lock.py): beside the warehouse."""
        return Path(f"{self.warehouse}.lock")

    @property
    def dagster_home(self) -> Path:
        """The Dagster instance of this lakehouse's runs (default DAGSTER_HOME): one per lakehouse,
        so two lakehouses (two test runs) never share one by accident."""
        return self.folder / "dagster_home"

    @property
    def dbt_runs(self) -> Path:
        """dbt's per-run target folders (manifest, compiled SQL, run_results.json, dbt.log)."""
        return self.folder / "_dbt_runs"

    @property
    def spark_dir(self) -> Path:
        """The local Spark engine's catalog (Derby) and tables (Parquet)."""
        return self.folder / "spark"

    def spark_mart_glob(self, name: str) -> str:
        """The Parquet files of one mart as the local Spark engine writes it (a managed table)."""
        return f"{self.spark_dir}/warehouse/marts.db/{name}/*.parquet"


def is_s3(root: str) -> bool:
    return str(root).startswith("s3://")


def absolute_root(root: str | os.PathLike) -> str:
    """A local folder made absolute (symlinks of the operator's own path resolved), an s3:// URL as given."""
    root = str(root)
    return root.rstrip("/") if is_s3(root) else str(Path(root).resolve())


def cache_home(environ: Mapping[str, str]) -> Path:
    """The XDG cache folder: $XDG_CACHE_HOME, else ~/.cache."""
    if environ.get("XDG_CACHE_HOME"):
        return Path(environ["XDG_CACHE_HOME"]).resolve()
    return Path(environ.get("HOME") or Path.home()).resolve() / ".cache"


def s3_endpoint(environ: Mapping[str, str]) -> str:
    return environ.get("AWS_ENDPOINT_URL") or environ.get("AWS_ENDPOINT_URL_S3") or ""


def local_state(lakehouse: str, environ: Mapping[str, str]) -> LocalState:
    """Where the local state of `lakehouse` (an absolute root) lives."""
    if is_s3(lakehouse):
        name = hashlib.sha256(f"{s3_endpoint(environ)}|{lakehouse}".encode()).hexdigest()[:12]
        folder = cache_home(environ) / "ccus" / name
    else:
        folder = Path(lakehouse)
    explicit = environ.get("CCUS_WAREHOUSE_PATH")
    warehouse = Path(explicit).resolve() if explicit else folder / "warehouse.duckdb"
    return LocalState(folder=folder, warehouse=warehouse)


def pseudonym_key(environ: Mapping[str, str]) -> str | None:
    """CCUS_PSEUDONYM_KEY: None when unset (a local lakehouse keeps its own key file); when set,
    at least MIN_KEY_BYTES bytes (UTF-8), else SettingsError. A set but empty variable is an
    error, not 'unset': a deployment that meant to pass a key and passed nothing must not
    silently get another key (and other pseudonyms)."""
    if KEY_ENV not in environ:
        return None
    value = environ[KEY_ENV]
    size = len(value.encode("utf-8"))
    if size == 0:
        raise SettingsError(f"{KEY_ENV} is set but empty: set a key of at least {MIN_KEY_BYTES} bytes, "
                            f"or unset it to use the local lakehouse's own key file")
    if size < MIN_KEY_BYTES:
        raise SettingsError(f"{KEY_ENV} has {size} bytes: a key needs at least {MIN_KEY_BYTES} "
                            f"(e.g. `openssl rand -hex 32`)")
    return value


@dataclass(frozen=True)
class Publication:
    """Where each audience unit's location is and how the pages are suppressed, as plain checked
    values (dashboards/settings.py turns them into its PublishSettings; an empty location is its
    default under the site root, which defaults to <lakehouse>/site):

        CCUS_SITE                 the site root: top page and default locations
        CCUS_SITE_MINISTRY        the ministry's location
        CCUS_SITE_ASSOCIATIONS / _ORDERERS / _PRIMES   one location per unit: a pattern holding {code} once
        CCUS_SUPPRESS_MIN_WORKERS / _MIN_BUSINESSES   thresholds (10 / 3)
        CCUS_EXPORT_PNG           PNG copies of the ministry's key charts (default 1)
        CCUS_PUBLISH_WORKERS      processes writing the orderers' and primes' locations (default 2)
        CCUS_CHROMIUM             the Chromium kaleido drives for the PNGs
    """

    site: str = ""
    ministry: str = ""
    associations: str = ""
    orderers: str = ""
    primes: str = ""
    min_workers: int = 10
    min_businesses: int = 3
    png: bool = True
    workers: int = 2
    chromium: str = "/usr/bin/chromium"

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> "Publication":
        """The CCUS_SITE*, CCUS_SUPPRESS_*, CCUS_EXPORT_PNG, CCUS_PUBLISH_WORKERS and CCUS_CHROMIUM
        variables (an empty value counts as unset), or SettingsError naming the variable."""
        def get(name: str) -> str:
            return (environ.get(name) or "").strip()

        return cls(
            site=_location("CCUS_SITE", get("CCUS_SITE")),
            ministry=_location("CCUS_SITE_MINISTRY", get("CCUS_SITE_MINISTRY")),
            associations=_pattern("CCUS_SITE_ASSOCIATIONS", get("CCUS_SITE_ASSOCIATIONS")),
            orderers=_pattern("CCUS_SITE_ORDERERS", get("CCUS_SITE_ORDERERS")),
            primes=_pattern("CCUS_SITE_PRIMES", get("CCUS_SITE_PRIMES")),
            min_workers=_whole("CCUS_SUPPRESS_MIN_WORKERS", get("CCUS_SUPPRESS_MIN_WORKERS"), 10),
            min_businesses=_whole("CCUS_SUPPRESS_MIN_BUSINESSES", get("CCUS_SUPPRESS_MIN_BUSINESSES"), 3),
            png=_flag("CCUS_EXPORT_PNG", get("CCUS_EXPORT_PNG"), True),
            workers=_whole("CCUS_PUBLISH_WORKERS", get("CCUS_PUBLISH_WORKERS"), 2),
            chromium=get("CCUS_CHROMIUM") or cls.chromium)


def _location(name: str, value: str) -> str:
    if "://" in value and not value.startswith("s3://"):
        raise SettingsError(f"{name}={value!r}: a publication location is a local folder or s3://bucket/prefix")
    return value


def _pattern(name: str, value: str) -> str:
    if value and value.count("{code}") != 1:
        raise SettingsError(f"{name}={value!r}: the pattern must hold {{code}} once "
                            f"(e.g. s3://bucket/associations/{{code}}/)")
    return _location(name, value)


def _whole(name: str, value: str, default: int) -> int:
    value = value or str(default)
    if not value.isdigit() or int(value) < 1:
        raise SettingsError(f"{name}={value!r}: use a whole number, 1 or more")
    return int(value)


def _flag(name: str, value: str, default: bool) -> bool:
    value = value.lower() or ("1" if default else "0")
    if value not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
        raise SettingsError(f"{name}={value!r}: use 1 or 0")
    return value in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    lakehouse: str               # absolute folder or s3://bucket/prefix
    inbox: str                   # absolute folder or s3:// prefix
    engine: str
    state: LocalState
    pseudonym_key: str | None    # None: a local lakehouse's own key file (_secrets/)
    dagster_home: Path
    spark_thrift: str = ""       # HOST:PORT of a Spark Thrift Server: --engine spark runs on its cluster
    publication: Publication = Publication()
    dbt_unit_tests: bool = False     # CCUS_DBT_UNIT_TESTS=1: dbt's unit tests in a pipeline run (DuckDB)
    ingest_workers: int = 2          # CCUS_INGEST_WORKERS: processes ingesting the feed files' rows (and checking them)
    spark_data_tests: bool = True    # CCUS_SPARK_DATA_TESTS=0: no data tests on Spark (ccus/engine.py)
    # The environment the settings were read from, frozen: what the child processes a run starts
    # (the quality checks' worker, Spark) are given, so nothing below the entry point reads
    # os.environ. Never shown (it may hold keys): out of repr and of comparisons.
    environ: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), repr=False, compare=False)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str], *, lakehouse: str | None = None, inbox: str | None = None,
                     engine: str | None = None, spark_thrift: str | None = None) -> "Settings":
        """Arguments of the command line win over CCUS_LAKEHOUSE, CCUS_INBOX, CCUS_ENGINE and
        CCUS_SPARK_THRIFT."""
        lakehouse = absolute_root(lakehouse or environ.get("CCUS_LAKEHOUSE") or "lakehouse")
        key = pseudonym_key(environ)
        if key is None and is_s3(lakehouse):
            raise SettingsError(f"{KEY_ENV} must be set for a lakehouse on S3 ({lakehouse})")
        state = local_state(lakehouse, environ)
        return cls(
            lakehouse=lakehouse,
            inbox=absolute_root(inbox or environ.get("CCUS_INBOX") or "inbox"),
            engine=check_engine(engine or environ.get("CCUS_ENGINE") or DEFAULT_ENGINE),
            state=state,
            pseudonym_key=key,
            dagster_home=Path(environ.get("DAGSTER_HOME") or state.dagster_home).resolve(),
            spark_thrift=thrift_address(spark_thrift if spark_thrift is not None
                                        else environ.get("CCUS_SPARK_THRIFT", "")),
            publication=Publication.from_environ(environ),
            dbt_unit_tests=environ.get("CCUS_DBT_UNIT_TESTS", "0") == "1",
            ingest_workers=_whole("CCUS_INGEST_WORKERS", environ.get("CCUS_INGEST_WORKERS", ""), 2),
            spark_data_tests=environ.get("CCUS_SPARK_DATA_TESTS", "1") != "0",
            environ=MappingProxyType(dict(environ)),
        )


def thrift_address(value: str) -> str:
    """A Spark Thrift Server's HOST:PORT as given ('' for none), or SettingsError."""
    if value:
        try:
            parse_address(value)
        except ValueError as error:
            raise SettingsError(str(error)) from None
    return value

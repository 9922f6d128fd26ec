"""The site-level marts of the project pages and the site directory, split by site once.

Published only to each site's orderer and prime (metrics.md §8), a project page shows the site's
own figures unsuppressed but never names or ids a worker: every figure comes from site-level
gold marts, which hold counts only.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from ..i18n import Text
from ..io import Location, _as_date, read_mart
from ..sources import Sources
from ..sources import load as load_sources
from ..simulation import simulation_banner
from ..theme import OKABE_ITO
from .site_rows import SiteRows

MEASUREMENTS = "model_project_measurements"
SCORES = "model_project_scores"
KENTAIKYO = "kentaikyo_site_monthly"
KENTAIKYO_BUSINESS = "kentaikyo_business_monthly"
INSURANCE = "insurance_site_monthly"
WORKTIME = "worktime_site_monthly"
CLOSURE = "site_closure"
CLOSURE_MONTHLY = "site_closure_monthly"
_KENTAIKYO_BUSINESS_TOTALS = "kentaikyo_business_monthly (whole period)"   # derived once in load()
DIRECTORY = "site_directory"
DATA_DATE = "as_of_date"      # the data's as-of date, on every row of site_closure
SITE_MARTS = (MEASUREMENTS, SCORES, KENTAIKYO, KENTAIKYO_BUSINESS, INSURANCE, WORKTIME, CLOSURE, CLOSURE_MONTHLY)

ORDERER = {
    "mlit": Text("国土交通省直轄", "MLIT (direct)"),
    "national_other": Text("その他国の機関", "Other national agencies"),
    "prefecture": Text("都道府県", "Prefectures"),
    "municipality": Text("市区町村", "Municipalities"),
    "public_corp": Text("公社・公団等", "Public corporations"),
    "private": Text("民間", "Private"),
}
MODEL_TYPE = {
    "mandatory": Text("義務化モデル工事", "Mandatory model project"),
    "recommended": Text("活用推奨モデル工事", "Recommended model project"),
    "none": Text("モデル工事ではない", "Not a model project"),
}
KENTAIKYO_METHOD = {
    "electronic": Text("電子申請方式", "Electronic"),
    "stamp": Text("証紙方式", "Stamps"),
    "none": Text("なし", "None"),
}
DAYS_OFF = {
    "none": Text("指定なし", "None declared"),
    "whole_period": Text("通期（工期全体で28.5%以上）", "Whole period (28.5 % over the period)"),
    "monthly": Text("月単位（毎月28.5%以上）", "Monthly (28.5 % in every month)"),
}
RATES = (
    ("business_registration_rate", Text("事業者登録率", "Business registration rate"),
     "registered_businesses", "businesses", OKABE_ITO["blue"], "target_business_registration_rate",
     "minimum_business_registration_rate"),
    ("worker_registration_rate", Text("技能者登録率", "Worker registration rate"),
     "registered_persons", "persons", OKABE_ITO["vermillion"], "target_worker_registration_rate",
     "minimum_worker_registration_rate"),
    ("card_touch_rate", Text("就業履歴蓄積率（カードタッチ率）", "Card-touch rate (work-history accumulation)"),
     "touched_person_days", "roster_person_days", OKABE_ITO["bluish_green"], "target_card_touch_rate",
     "minimum_card_touch_rate"),
)
SHORT = {"business_registration_rate": Text("事業者登録率", "Businesses"),
         "worker_registration_rate": Text("技能者登録率", "Workers"),
         "card_touch_rate": Text("就業履歴蓄積率", "Card touch")}
YES, NO = Text("はい", "yes"), Text("いいえ", "no")
TITLE = Text("工事別 CCUS 活用状況", "CCUS use per project")
FOOTER = Text(
    "この工事の発注者と元請のためのページです。現場の数値は秘匿処理をしていませんが、技能者を特定する"
    "情報（氏名・ID）は一切含みません。各数値は出典欄のgoldマートで確認できます。",
    "For this project's orderer and prime contractor only. The site's own figures are not "
    "suppressed, but nothing names or identifies a worker. Every number can be traced to the gold "
    "mart named beside it.")



# ---------------------------------------------------------------- data

@dataclass
class ProjectData:
    sites: pd.DataFrame                        # one row per public-works site with its attributes
    marts: dict[str, pd.DataFrame | None] = field(default_factory=dict)
    as_of: date | None = None
    sources: Sources = field(default_factory=Sources)     # the seeds behind the marts (methods page)
    simulation: Text | None = None   # the banner of a simulated run (every page carries it)

    _by_site: dict[str, SiteRows] = field(default_factory=dict, repr=False)
    # [site, {mart: rows}]: the rows of the site asked for last (a page reads a mart more than
    # once, and its digest — dashboards/projects/unchanged.py — reads them all first)
    _last_site: list = field(default_factory=lambda: [None, {}], repr=False)
    # {site: the last day its figures cover}, computed on first use (site_as_of)
    _last_days: dict[str, date] | None = field(default=None, repr=False)
    # a digest of the seeds behind the marts, computed on first use (sources_digest)
    _sources_digest: bytes | None = field(default=None, repr=False)

    def of(self, mart: str, site_id: str) -> list[dict] | None:
        """The mart's rows of one site as dicts, in the order the page shows them (see _ORDER);
        an empty list when it has none, None without the mart."""
        frame = self.marts.get(mart)
        if frame is None:
            return None
        last = self._last_site
        if last[0] != site_id:
            last[0], last[1] = site_id, {}
        rows = last[1].get(mart)
        if rows is None:
            rows = last[1][mart] = self._split(mart, frame).rows(site_id)
        return rows

    def rows_digest(self, mart: str, site_id: str) -> bytes | None:
        """The hashes of the mart's rows of one site, in page order (None without the mart):
        the site's part of a page's input digest (dashboards/projects/unchanged.py). The data's
        as-of date, which site_closure carries on every row, is left out: it moves every day,
        the page shows the site's own date."""
        frame = self.marts.get(mart)
        return None if frame is None else self._split(mart, frame).hashes(site_id)

    def _split(self, mart: str, frame: pd.DataFrame) -> SiteRows:
        if mart not in self._by_site:   # split each mart once, not once per page
            self._by_site[mart] = SiteRows(frame, _ORDER.get(mart, ()), unhashed=(DATA_DATE,))
        return self._by_site[mart]

    def sources_digest(self) -> bytes:
        """A digest of the seeds behind the marts (part of every site page's input digest:
        dashboards/projects/unchanged.py)."""
        if self._sources_digest is None:
            self._sources_digest = hashlib.blake2b(repr(self.sources).encode(), digest_size=20).digest()
        return self._sources_digest

    def missing(self) -> list[str]:
        return [m for m in SITE_MARTS if self.marts.get(m) is None]

    def site_as_of(self, site_id: str) -> date | None:
        """The last date a site's figures cover, at most the data's as-of date: its closure
        period's last observed day, its latest measurement, the end of its latest month. A site
        whose work is over keeps its date (and its page its bytes) while the data's as-of date
        moves on; one still at work follows the data's."""
        if self._last_days is None:
            self._last_days = self._every_last_day()
        own = self._last_days.get(site_id)
        if own is None:
            return self.as_of
        return own if self.as_of is None else min(own, self.as_of)

    def _every_last_day(self) -> dict[str, date]:
        """{site: the last day its rows cover} over the marts of _SITE_DAYS, for every site at
        once (a groupby per mart: at national scale, per site, this took 15 s of each process)."""
        last: dict[str, date] = {}
        for mart, column in _SITE_DAYS:
            frame = self.marts.get(mart)
            if frame is None or column not in frame.columns:
                continue
            # the dates are date objects (load): as datetime64 the groupby runs in C
            days = pd.Series(pd.to_datetime(frame[column]).to_numpy(dtype="datetime64[D]"), index=frame["site_id"])
            latest = days.dropna().groupby(level=0, sort=False).max()
            for site_id, day in zip(latest.index.tolist(), latest.to_numpy(dtype="datetime64[D]").tolist()):
                day = _month_end(day) if column == "month" else day
                if site_id not in last or day > last[site_id]:
                    last[site_id] = day
        return last


# where a site's figures end: (mart, date column); a month counts to its last day
_SITE_DAYS = ((CLOSURE, "period_end"), (MEASUREMENTS, "measured_on"), (KENTAIKYO, "month"),
              (KENTAIKYO_BUSINESS, "month"), (INSURANCE, "month"), (WORKTIME, "month"), (CLOSURE_MONTHLY, "month"))


def _month_end(month: date) -> date:
    return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


_DATES = {
    MEASUREMENTS: ("measured_on", "start_on", "end_on"),
    SCORES: ("start_on", "end_on", "last_measured_on"),
    KENTAIKYO: ("month",), KENTAIKYO_BUSINESS: ("month",), INSURANCE: ("month",), WORKTIME: ("month",),
    CLOSURE: ("start_on", "end_on", "period_start", "period_end", "as_of_date"),
    CLOSURE_MONTHLY: ("month", "first_day", "last_day"),
}
_REQUIRED = {
    MEASUREMENTS: ("site_id", "measured_on", "business_registration_rate", "worker_registration_rate",
                   "card_touch_rate"),
    SCORES: ("site_id", "model_project_type", "avg_business_registration_rate", "avg_worker_registration_rate",
             "avg_card_touch_rate", "points"),
    KENTAIKYO: ("site_id", "month", "days_due", "amount_due_yen", "days_reported", "amount_reported_yen",
                "coverage", "shortfall_yen", "is_mixed_method"),
    KENTAIKYO_BUSINESS: ("site_id", "month", "business_id"),
    INSURANCE: ("site_id", "month", "person_days", "checked_ccus", "checked_document", "not_checked",
                "admitted_uninsured_person_days"),
    WORKTIME: ("site_id", "month", "workers"),
    CLOSURE: ("site_id", "counted_days", "closed_days"),
    CLOSURE_MONTHLY: ("site_id", "month", "counted_days", "closed_days", "closure_rate"),
}
# the order of a site's rows on its page ((column, ascending), ...); a mart not named here keeps
# its own order (one row per site: the first is shown)
_ORDER = {
    MEASUREMENTS: (("measured_on", True),),
    KENTAIKYO: (("month", True),), INSURANCE: (("month", True),), WORKTIME: (("month", True),),
    CLOSURE_MONTHLY: (("month", True),),
    _KENTAIKYO_BUSINESS_TOTALS: (("is_prime", False), ("days_due", False)),   # the prime first, then the largest
}
# site attributes, from whichever mart has them first
_ATTRIBUTES = ("site_name", "prefecture_code", "orderer_type", "prime_business_id", "model_project_type",
               "two_days_off_type", "kentaikyo_method", "start_on", "end_on")
# from the site directory (site_directory), when it exists: where the site is published and who
# its prime is (its business name; never a sole proprietor's)
_DIRECTORY = ("orderer_code", "orderer_key", "prime_business_name", "prime_is_sole_proprietor")


def records(frame: pd.DataFrame) -> list[dict]:
    """``frame.to_dict("records")``, the same values (checked on every national site), a column
    at a time: to_dict boxes each value in Python (1.4 s for the national sites, in every
    publishing process)."""
    columns = [_strings(frame[c]) if isinstance(frame[c].dtype, pd.StringDtype) else frame[c].tolist()
               for c in frame.columns]
    names = list(frame.columns)
    return [dict(zip(names, values)) for values in zip(*columns)]


def _strings(column: pd.Series) -> list:
    """A string column's values as to_dict gives them: a missing one None ("string", whose
    missing value is pd.NA) or nan ("str")."""
    missing = column.dtype.na_value
    return column.to_numpy(dtype=object, na_value=None if missing is pd.NA else missing).tolist()


def _none_if_missing(value):
    if value is None:
        return None
    kind = type(value)
    if kind is float:                  # the common cases first, without pandas (called ~150 times a page)
        return None if value != value else value
    if kind is int or kind is str or kind is bool:
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def load(gold: Location, as_of: date | None = None) -> ProjectData:
    """Read the site-level compliance marts; rows dated after ``as_of`` (when given) are left out."""
    marts: dict[str, pd.DataFrame | None] = {}
    for mart in SITE_MARTS:
        frame = read_mart(gold, mart, required=_REQUIRED[mart])
        if frame is not None:
            for column in _DATES[mart]:     # optional columns: convert those present
                if column in frame.columns:
                    frame[column] = [_as_date(v) for v in frame[column]]
            frame["site_id"] = frame["site_id"].astype(str)
            if as_of is not None:
                column = {MEASUREMENTS: "measured_on"}.get(mart, "month")
                if column in frame.columns:
                    frame = frame[[d is not None and d <= as_of for d in frame[column]]]
            frame = frame.reset_index(drop=True)
            if mart == CLOSURE and "closure_rate" not in frame.columns:
                frame["closure_rate"] = [c / n if n else None for c, n in zip(frame["closed_days"], frame["counted_days"])]
        marts[mart] = frame

    business = marts[KENTAIKYO_BUSINESS]
    if business is not None and {"covered_days", "shortfall_yen", "stamp_days_reported", "electronic_days_reported",
                                 "is_prime", "has_stamp_exception", "days_reported"} <= set(business.columns):
        marts[_KENTAIKYO_BUSINESS_TOTALS] = _kentaikyo_business_totals(business)

    public_ids: set[str] = set()
    attributes: dict[str, dict] = {}

    def absorb(frame: pd.DataFrame | None, public_filter: str | None):
        if frame is None or frame.empty:
            return
        rows = frame
        if public_filter is not None and public_filter in frame.columns:
            rows = frame[frame[public_filter].fillna(False).astype(bool)]
        # only the columns read here: records of every column of every row took ~70 MB more at national scale
        rows = rows[["site_id", *(name for name in _ATTRIBUTES if name in rows.columns)]]
        for record in rows.to_dict("records"):
            site_id = record["site_id"]
            public_ids.add(site_id)
            known = attributes.setdefault(site_id, {})
            for name in _ATTRIBUTES:
                if known.get(name) is None and _none_if_missing(record.get(name)) is not None:
                    known[name] = record[name]

    directory = read_mart(gold, DIRECTORY, required=("site_id", "is_public_works", *_ATTRIBUTES, *_DIRECTORY),
                          date_columns=("start_on", "end_on"))
    if directory is not None:
        directory["site_id"] = directory["site_id"].astype(str)
        known = set(directory["site_id"])
        for frame in (marts[CLOSURE], marts[SCORES], marts[KENTAIKYO], marts[INSURANCE]):
            if frame is not None:
                public_ids.update(s for s in frame["site_id"] if s in known)
        directory = directory[directory["site_id"].isin(public_ids) & directory["is_public_works"].fillna(False)]
        sites = directory[["site_id", *_ATTRIBUTES, *_DIRECTORY]].sort_values("site_id").reset_index(drop=True)
    else:   # an older gold: the attributes from whichever site mart has them, the orderer by its type
        absorb(marts[CLOSURE], "is_public_works")
        absorb(marts[SCORES], None)            # model projects are public works
        absorb(marts[KENTAIKYO], None)         # public works only
        absorb(marts[INSURANCE], "is_public_works")
        records = [{"site_id": s, **{a: attributes.get(s, {}).get(a) for a in _ATTRIBUTES}} for s in sorted(public_ids)]
        sites = pd.DataFrame(records, columns=["site_id", *_ATTRIBUTES])
        sites["orderer_code"], sites["orderer_key"] = None, sites["orderer_type"]
        sites["prime_business_name"], sites["prime_is_sole_proprietor"] = None, False

    if as_of is None:
        candidates = []
        closure = marts[CLOSURE]
        if closure is not None and not closure.empty and "as_of_date" in closure.columns:
            candidates += [d for d in closure["as_of_date"] if d is not None]
        measurements = marts[MEASUREMENTS]
        if measurements is not None and not measurements.empty:
            candidates += [d for d in measurements["measured_on"] if d is not None]
        as_of = max(candidates) if candidates else None
    return ProjectData(sites=sites, marts=marts, as_of=as_of, sources=load_sources(gold),
                       simulation=simulation_banner(gold))

def _kentaikyo_business_totals(businesses: pd.DataFrame) -> pd.DataFrame:
    """Per site and business, the whole period summed (computed once for every page)."""
    frame = businesses.assign(business_id=businesses["business_id"].fillna(""),
                              is_prime=businesses["is_prime"].fillna(False).astype(bool),
                              has_stamp_exception=businesses["has_stamp_exception"].fillna(False).astype(bool))
    return frame.groupby(["site_id", "business_id"]).agg(
        days_due=("days_due", "sum"), days_reported=("days_reported", "sum"), covered_days=("covered_days", "sum"),
        shortfall_yen=("shortfall_yen", "sum"), stamp_days=("stamp_days_reported", "sum"),
        electronic_days=("electronic_days_reported", "sum"),
        is_prime=("is_prime", "max"), has_stamp_exception=("has_stamp_exception", "max")).reset_index()


def has_pages(data: ProjectData) -> bool:
    """Whether there are project pages: not before some site-level compliance mart exists."""
    return any(data.marts.get(m) is not None for m in SITE_MARTS) and not data.sites.empty

"""The gold marts the ministry's location reads, cut at the as-of date."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..io import Location, read_mart

NATIONAL = "adoption_national"
PREFECTURES = "adoption_prefecture_monthly"
OCCUPATIONS = "adoption_occupation_monthly"
TARGETS = "target_progress"
OFFICIAL_TARGETS = "target_progress_official"
PUBLISHED = "published_adoption"
LEVELS = "level_eligibility_by_business"
INPUT_METHODS = "adoption_input_method_monthly"
WAGE_LEVELS = "wage_level_compliance_national_levels"
WAGE_DETAIL = "wage_level_compliance_national"
WAGE_GROUPS = "wage_level_compliance_groups"
KENTAIKYO = "kentaikyo_prefecture_monthly"
INSURANCE = "insurance_prefecture_monthly"
WORKTIME = "worktime_violations_monthly"
SCORES = "model_project_scores"
CLOSURE = "site_closure"
DATA_AS_OF = "data_as_of"
SIMULATION = "simulation.json"

BREAKDOWN_MEASURES = ("registered_workers", "registered_worker_businesses", "new_workers", "new_worker_businesses",
                      "active_workers", "active_worker_businesses", "work_history_days", "work_history_workers",
                      "work_history_businesses")
WAGE_MEASURES = ("fiscal_year", "level", "workers_surveyed", "businesses_surveyed", "median_observed_annual_yen",
                 "mean_guideline_annual_yen", "share_below_guideline", "workers_below_guideline",
                 "workers_with_guideline", "businesses_with_guideline", "businesses_below_guideline")


def month_end(month: date) -> date:
    return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def month_key(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def _rows(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    return None if frame is None or frame.empty else frame.reset_index(drop=True)


def _by_month(frame: pd.DataFrame | None, as_of: date | None, column: str = "month") -> pd.DataFrame | None:
    if frame is not None and as_of is not None:
        frame = frame[[m is not None and month_end(m) <= as_of for m in frame[column]]]
    return _rows(frame)


def _by_fiscal_year(frame: pd.DataFrame | None, as_of: date | None) -> pd.DataFrame | None:
    if frame is not None and as_of is not None:
        frame = frame[[date(int(fy), 4, 1) <= as_of for fy in frame["fiscal_year"]]]
    return _rows(frame)


def data_as_of(gold: Location) -> date | None:
    """The as-of date of the data when the run recorded one (gold/data_as_of.parquet)."""
    frame = read_mart(gold, DATA_AS_OF, required=("as_of_date",), date_columns=("as_of_date",))
    if frame is None or frame.empty or frame["as_of_date"].iloc[0] is None:
        return None
    return frame["as_of_date"].iloc[0]


def _latest_per_target(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """The latest snapshot of each target, by deadline."""
    if frame is None or frame.empty:
        return frame
    latest = frame.groupby("target_id")["as_of"].transform("max")
    return frame[frame["as_of"] == latest].sort_values(["deadline", "metric", "target_id"])


def first_work_date(gold: Location) -> date | None:
    """The earliest work date of the data (gold/data_as_of.parquet): where the history window starts."""
    frame = read_mart(gold, DATA_AS_OF, required=("first_work_date",), date_columns=("first_work_date",))
    if frame is None or frame.empty:
        return None
    return frame["first_work_date"].iloc[0]


@dataclass
class MinistryData:
    as_of: date | None
    national: pd.DataFrame | None
    prefectures: pd.DataFrame | None
    occupations: pd.DataFrame | None
    targets: pd.DataFrame | None
    official_targets: pd.DataFrame | None       # progress on the official series: the headline's
    published: pd.DataFrame | None
    levels: pd.DataFrame | None
    input_methods: pd.DataFrame | None
    wage_levels: pd.DataFrame | None
    wage_detail: pd.DataFrame | None
    wage_groups: pd.DataFrame | None
    kentaikyo: pd.DataFrame | None
    insurance: pd.DataFrame | None
    worktime: pd.DataFrame | None
    scores: pd.DataFrame | None
    closure: pd.DataFrame | None
    first_work_date: date | None = None      # the history window is first_work_date .. as_of

    def latest_month(self) -> date | None:
        return None if self.national is None else max(self.national["month"])


def load(gold: Location, as_of: date | None = None) -> MinistryData:
    """Every mart of the ministry's page; rows dated after ``as_of`` are left out. ``as_of``
    defaults to gold/data_as_of.parquet, else the latest month end of adoption_national (or of
    target_progress)."""
    as_of = as_of or data_as_of(gold)
    national = read_mart(gold, NATIONAL, required=("month", "registered_workers", "registered_businesses",
                                                   "registered_businesses_excl_sole", "work_history_days"),
                         date_columns=("month",))
    targets = read_mart(gold, TARGETS, required=("target_id", "name_ja", "name_en", "metric", "as_of", "value",
                                                 "target_value", "deadline", "share", "projected_date",
                                                 "projection_status", "source_url"),
                        date_columns=("as_of", "deadline", "projected_date"))
    if as_of is None:
        known = []
        if national is not None and not national.empty:
            known.append(month_end(max(national["month"])))
        if targets is not None and not targets.empty:
            known.append(max(targets["as_of"]))
        as_of = max(known) if known else None
    national = _by_month(national, as_of)
    if national is not None:
        national = national.sort_values("month").reset_index(drop=True)
    if targets is not None and as_of is not None:
        targets = targets[targets["as_of"] <= as_of]
    targets = _latest_per_target(targets)
    official = read_mart(gold, OFFICIAL_TARGETS, required=(
        "target_id", "metric", "as_of", "value", "target_value", "deadline", "share", "projected_date",
        "projection_status", "source_url"), date_columns=("as_of", "deadline", "projected_date"))
    published = read_mart(gold, PUBLISHED, required=("as_of", "registered_workers", "registered_businesses",
                                                     "businesses_basis", "source_url"), date_columns=("as_of",))
    if published is not None and as_of is not None:
        published = published[published["as_of"] <= as_of]
    if published is not None:
        published = published.sort_values("as_of")
    if official is not None:
        official = _latest_per_target(official[official["as_of"] <= as_of] if as_of is not None else official)
    breakdown = ("month", *BREAKDOWN_MEASURES)
    return MinistryData(
        as_of=as_of, national=national, first_work_date=first_work_date(gold),
        prefectures=_by_month(read_mart(gold, PREFECTURES, required=breakdown + ("prefecture_code",),
                                        date_columns=("month",)), as_of),
        occupations=_by_month(read_mart(gold, OCCUPATIONS, required=breakdown + ("occupation_code",),
                                        date_columns=("month",)), as_of),
        targets=_rows(targets), official_targets=_rows(official), published=_rows(published),
        levels=_rows(read_mart(gold, LEVELS, required=("business_id", "occupation_code", "current_level",
                                                       "eligible_level", "workers"))),
        input_methods=_by_month(read_mart(gold, INPUT_METHODS, required=("month", "input_method", "work_history_days",
                                                                         "workers", "businesses"),
                                          date_columns=("month",)), as_of),
        wage_levels=_by_fiscal_year(read_mart(gold, WAGE_LEVELS, required=WAGE_MEASURES), as_of),
        wage_detail=_by_fiscal_year(read_mart(gold, WAGE_DETAIL, required=WAGE_MEASURES + ("occupation_code",)), as_of),
        wage_groups=_by_fiscal_year(read_mart(gold, WAGE_GROUPS, required=WAGE_MEASURES + ("occupation_code",
                                                                                         "group_code")), as_of),
        kentaikyo=_by_month(read_mart(gold, KENTAIKYO, required=(
            "prefecture_code", "month", "workers_due", "businesses_due", "days_due", "covered_days", "shortfall_yen",
            "workers_short", "businesses_short"), date_columns=("month",)), as_of),
        insurance=_by_month(read_mart(gold, INSURANCE, required=(
            "prefecture_code", "month", "persons", "businesses", "person_days", "checked_ccus", "checked_document",
            "not_checked", "admitted_uninsured_person_days", "checked_ccus_persons", "checked_ccus_businesses",
            "checked_document_persons", "checked_document_businesses", "not_checked_persons",
            "not_checked_businesses", "admitted_uninsured_persons", "admitted_uninsured_businesses"),
            date_columns=("month",)), as_of),
        worktime=_by_month(read_mart(gold, WORKTIME, required=(
            "month", "prefecture_code", "occupation_code", "workers_over_100h", "workers_over_80h_avg",
            "workers_over_45h_7th_month", "workers_over_720h", "businesses_over_100h", "businesses_over_80h_avg",
            "businesses_over_45h_7th_month", "businesses_over_720h"), date_columns=("month",)), as_of),
        scores=_rows(read_mart(gold, SCORES, required=("site_id", "model_project_type", "prime_business_id",
                                                       "points", "avg_business_registration_rate",
                                                       "avg_worker_registration_rate", "avg_card_touch_rate"))),
        closure=_rows(read_mart(gold, CLOSURE, required=("site_id", "prime_business_id", "is_public_works",
                                                         "two_days_off_type", "counted_days", "closed_days",
                                                         "meets_4w8c_whole_period", "meets_4w8c_monthly",
                                                         "meets_declared_type"))),
    )

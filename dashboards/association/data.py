"""The gold marts an association's location reads: its member businesses, their workers' levels,
wages and qualifications, and the sites a member leads as prime."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from ..io import Location, read_mart
from ..ministry.data import data_as_of, month_end

MEMBERS = "association_members"
ELIGIBILITY = "level_eligibility_by_business"
WAGES = "wage_level_compliance_by_association"
QUALIFICATIONS = "specialty_contractor_qualifications"
SITES = "association_member_sites"
KENTAIKYO = "kentaikyo_site_monthly"
KENTAIKYO_BUSINESS = "kentaikyo_business_monthly"
INSURANCE = "insurance_site_monthly"
SCORES = "model_project_scores"
CLOSURE = "site_closure"
NATIONAL = "adoption_national"
WAGE_COLUMNS = ("fiscal_year", "association_code", "occupation_code", "level", "workers_surveyed",
                "businesses_surveyed", "median_observed_annual_yen", "mean_guideline_annual_yen",
                "share_below_guideline", "workers_below_guideline", "workers_with_guideline",
                "businesses_with_guideline", "businesses_below_guideline")
INSURANCE_COUNTS = ("checked_ccus", "checked_document", "not_checked", "admitted_uninsured")


def _rows(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    return None if frame is None or frame.empty else frame.reset_index(drop=True)


def _up_to(frame: pd.DataFrame | None, as_of: date) -> pd.DataFrame | None:
    return None if frame is None else frame[frame["month"] <= as_of]


@dataclass
class AssociationData:
    members: pd.DataFrame
    eligibility: pd.DataFrame | None
    wages: pd.DataFrame | None
    qualifications: pd.DataFrame | None
    sites: pd.DataFrame | None
    kentaikyo: pd.DataFrame | None
    kentaikyo_business: pd.DataFrame | None
    insurance: pd.DataFrame | None
    scores: pd.DataFrame | None
    closure: pd.DataFrame | None
    as_of: date | None
    # {site: its prime}, made on first use (every association's tables of its members' sites read it)
    _prime_of_site: dict | None = field(default=None, init=False, repr=False)

    def prime_of_site(self) -> dict:
        """Each site's prime business (the same value a row of ``sites`` gives; a site listed by
        several associations has one prime)."""
        if self._prime_of_site is None:
            self._prime_of_site = ({} if self.sites is None else
                                   dict(zip(self.sites["site_id"].tolist(), self.sites["prime_business_id"].tolist())))
        return self._prime_of_site

    def codes(self) -> list[str]:
        return sorted(self.members["association_code"].dropna().unique().tolist())

    def member_ids(self, code: str) -> set[str]:
        return set(self.members.loc[self.members["association_code"] == code, "business_id"])

    def name(self, code: str):
        from_members = self.members[self.members["association_code"] == code]
        ja = next((v for v in from_members.get("association_name_ja", []) if isinstance(v, str)), code)
        en = next((v for v in from_members.get("association_name_en", []) if isinstance(v, str)), code)
        return ja, en

    def member_sites(self, code: str) -> set[str]:
        if self.sites is None:
            return set()
        return set(self.sites.loc[self.sites["association_code"] == code, "site_id"])


def load(gold: Location, as_of: date | None = None) -> AssociationData | None:
    """The marts of the association reports; None when there is no membership to report on."""
    members = _rows(read_mart(gold, MEMBERS, required=("association_code", "business_id")))
    if members is None:
        return None
    wages = read_mart(gold, WAGES, required=WAGE_COLUMNS, date_columns=("last_surveyed_month",))
    kentaikyo = read_mart(gold, KENTAIKYO, required=("site_id", "month", "days_due", "days_reported", "covered_days",
                                                     "shortfall_yen", "workers_due"), date_columns=("month",))
    kentaikyo_business = read_mart(gold, KENTAIKYO_BUSINESS, required=("site_id", "month", "business_id", "days_due"),
                                   date_columns=("month",))
    insurance = read_mart(gold, INSURANCE, required=(
        "site_id", "month", "person_days", "persons", "businesses", "checked_ccus", "checked_document", "not_checked",
        "admitted_uninsured_person_days", *(f"{c}_persons" for c in INSURANCE_COUNTS),
        *(f"{c}_businesses" for c in INSURANCE_COUNTS)), date_columns=("month",))
    as_of = as_of or data_as_of(gold)
    if as_of is None:
        national = read_mart(gold, NATIONAL, required=("month",), date_columns=("month",))
        if national is not None and not national.empty:
            as_of = month_end(max(national["month"]))
        elif wages is not None and not wages.empty and wages["last_surveyed_month"].notna().any():
            as_of = month_end(max(m for m in wages["last_surveyed_month"] if m is not None))
    if as_of is not None:
        if wages is not None:
            wages = wages[[date(int(fy), 4, 1) <= as_of for fy in wages["fiscal_year"]]]
        kentaikyo, kentaikyo_business, insurance = (_up_to(f, as_of) for f in (kentaikyo, kentaikyo_business,
                                                                                insurance))
    return AssociationData(
        members=members,
        eligibility=_rows(read_mart(gold, ELIGIBILITY, required=("business_id", "occupation_code", "current_level",
                                                                 "eligible_level", "workers"))),
        wages=_rows(wages),
        qualifications=_rows(read_mart(gold, QUALIFICATIONS, required=("business_id", "level", "qualification_code",
                                                                       "workers"))),
        sites=_rows(read_mart(gold, SITES, required=("association_code", "site_id", "prime_business_id"))),
        kentaikyo=_rows(kentaikyo), kentaikyo_business=_rows(kentaikyo_business), insurance=_rows(insurance),
        scores=_rows(read_mart(gold, SCORES, required=("site_id", "model_project_type", "prime_business_id", "points",
                                                       "avg_business_registration_rate", "avg_worker_registration_rate",
                                                       "avg_card_touch_rate"))),
        closure=_rows(read_mart(gold, CLOSURE, required=("site_id", "prime_business_id", "two_days_off_type",
                                                         "counted_days", "closed_days", "meets_4w8c_whole_period",
                                                         "meets_4w8c_monthly", "meets_declared_type"))),
        as_of=as_of)

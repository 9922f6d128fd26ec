"""An association's tables, its member businesses only (cells before disclosure control).

- members: member businesses (a count of businesses) and their registered workers;
- level mix and level-up candidates: occupation x level with row and column totals (計 = Σ
  levels, the 計 row = Σ occupations) — from level_eligibility_by_business, whose business
  rows give every cell's exact workers and businesses;
- wages: occupation x level (wage_level_compliance_by_association);
- qualifications: qualification x level with row totals only (a worker may hold several);
- the sites a member leads as prime, by month (建退共, insurance) and by type (model projects,
  4週8休). Site marts carry no distinct workers over several sites: the largest site's count is
  used (a lower bound); 建退共's businesses come from kentaikyo_business_monthly (exact),
  insurance's from the largest site's; site-level figures rest on the distinct member primes.
"""

from __future__ import annotations

import pandas as pd

from .. import format as fmt
from .. import wages
from ..disclosure import kinds
from ..disclosure.cells import ALL, CellSet
from ..disclosure.table import KeyColumn, Measure, Table
from ..i18n import Text
from ..ministry import compliance
from ..ministry.data import month_key
from ..topics import TOPICS
from . import data as d

LEVELS = (1, 2, 3, 4)
OCCUPATION = KeyColumn("occupation_code", Text("職種", "Occupation"))
MONTH = KeyColumn("month", Text("月", "Month"))
MONTHS_SHOWN = 12


def level_label(level) -> Text:
    return Text(f"レベル{int(level)}", f"Level {int(level)}")


def _occupation_labels(frame: pd.DataFrame) -> dict:
    labels = {}
    for row in frame.drop_duplicates("occupation_code").itertuples(index=False):
        labels[row.occupation_code] = wages.occupation_label(row)
    return labels


def members_table(data: d.AssociationData, code: str, cells: CellSet) -> Table:
    members = data.members[data.members["association_code"] == code]
    table = Table("members", Text("会員の概要", "Members at a glance"), (d.MEMBERS,),
                  [KeyColumn("association_code", Text("団体", "Association"))],
                  [Measure("member_businesses", Text("会員事業者数", "Member businesses"), "businesses", additive=False),
                   Measure("member_workers", Text("会員事業者の登録技能者数", "Members' registered workers"), "workers",
                           additive=False)])
    with_workers = members[members["registered_workers"] > 0] if "registered_workers" in members else members.iloc[0:0]
    workers = int(with_workers["registered_workers"].sum()) if len(with_workers) else 0
    table.add_row(cells, {"association_code": code}, Text(*data.name(code)),
                  {"member_businesses": members["business_id"].nunique(), "member_workers": workers},
                  workers={"member_workers": workers}, businesses={"member_workers": with_workers["business_id"].nunique()})
    return table


def two_way_table(table_id: str, title: Text, units: pd.DataFrame, column: str, levels, cells: CellSet,
                  header: Text) -> Table:
    """Occupation x ``column`` (a level) counts of workers with both totals."""
    measures = [Measure(f"level_{c}", Text(f"{header.ja} {level_label(c).ja}", f"{header.en} {level_label(c).en}"),
                        "workers") for c in levels]
    measures.append(Measure("total", Text("計", "Total"), "workers"))
    table = Table(table_id, title, (d.ELIGIBILITY, d.MEMBERS), [OCCUPATION], measures)
    units = units[units["workers"] > 0]
    labels = _occupation_labels(units)

    # workers summed and businesses counted once per group (a boolean mask per cell cost pandas
    # ~1 ms each, hundreds per association); a group without rows counts 0 of both
    counted = units[units[column].isin(levels)]
    by_cell = _sums(counted, ["occupation_code", column])
    by_occupation = _sums(counted, ["occupation_code"])
    by_level = _sums(counted, [column])
    everyone = (int(counted["workers"].sum()), int(counted["business_id"].nunique()))

    def add(key, label, cell_of, total):
        values = {f"level_{c}": cell_of(c)[0] for c in levels}
        businesses = {f"level_{c}": cell_of(c)[1] for c in levels}
        values["total"], businesses["total"] = total
        table.add_row(cells, key, label, values, workers=dict(values), businesses=businesses)

    for occupation in sorted(labels):
        add({"occupation_code": occupation}, labels[occupation],
            lambda c: by_cell.get((occupation, c), (0, 0)), by_occupation.get((occupation,), (0, 0)))
    add({"occupation_code": ALL}, Text("計", "Total"), lambda c: by_level.get((c,), (0, 0)), everyone)
    return kinds.apply(cells, table, [kinds.Breakdown("occupation_code"),
                                      kinds.MeasureTotal("total", tuple(f"level_{c}" for c in levels))])


def _sums(units: pd.DataFrame, keys: list[str]) -> dict[tuple, tuple[int, int]]:
    """{key values: (workers summed, distinct businesses)} of each group of ``keys``."""
    if units.empty:
        return {}
    grouped = units.groupby(keys, sort=False, observed=True)
    workers, businesses = grouped["workers"].sum(), grouped["business_id"].nunique()
    return {(key if isinstance(key, tuple) else (key,)): (int(w), int(b))
            for key, w, b in zip(workers.index.tolist(), workers.tolist(), businesses.tolist())}


def level_mix_table(data: d.AssociationData, members: set, cells: CellSet) -> Table | None:
    if data.eligibility is None:
        return None
    units = data.eligibility[data.eligibility["business_id"].isin(members)]
    return two_way_table("level_mix", Text("技能者のレベル構成", "Level mix of the members' workers"), units,
                         "current_level", LEVELS, cells, Text("現在のレベル", "Current level"))


def candidates_table(data: d.AssociationData, members: set, cells: CellSet) -> Table | None:
    if data.eligibility is None:
        return None
    units = data.eligibility[data.eligibility["business_id"].isin(members)
                             & (data.eligibility["eligible_level"] > data.eligibility["current_level"])]
    table = two_way_table("candidates", Text("レベルアップ候補", "Level-up candidates"), units, "eligible_level",
                          (2, 3, 4), cells, Text("基準を満たすレベル", "Level met"))
    return table


def wages_table(data: d.AssociationData, code: str, cells: CellSet) -> Table | None:
    if data.wages is None:
        return None
    rows = data.wages[data.wages["association_code"] == code]
    if rows.empty:
        return None
    fiscal_year = int(rows["fiscal_year"].max())
    rows = rows[rows["fiscal_year"] == fiscal_year].sort_values(["occupation_code", "level"])
    return wages.wage_table("wages", Text(f"{fiscal_year}年度 レベル別賃金", f"FY{fiscal_year} wages by level"), [d.WAGES],
                            [wages.OCCUPATION, wages.LEVEL], rows, cells,
                            lambda r: {"occupation_code": r.occupation_code, "level": int(r.level)},
                            lambda r: Text(f"{wages.occupation_label(r).ja} {level_label(r.level).ja}",
                                           f"{wages.occupation_label(r).en} {level_label(r.level).en}"))


def qualifications_table(data: d.AssociationData, members: set, cells: CellSet) -> Table | None:
    if data.qualifications is None:
        return None
    units = data.qualifications[data.qualifications["business_id"].isin(members) & (data.qualifications["workers"] > 0)]
    measures = [Measure(f"level_{c}", level_label(c), "workers") for c in LEVELS]
    measures.append(Measure("total", Text("計", "Total"), "workers"))
    table = Table("qualifications", Text("保有資格の見える化", "Qualifications held (visibility)"),
                  (d.QUALIFICATIONS, d.MEMBERS), [KeyColumn("qualification_code", Text("資格", "Qualification"))],
                  measures)
    for qualification in sorted(units["qualification_code"].unique()):
        part = units[units["qualification_code"] == qualification]
        first = part.iloc[0]
        ja, en = first.get("qualification_name_ja"), first.get("qualification_name_en")
        values, businesses = {}, {}
        for c in LEVELS:
            cell = part[part["level"] == c]
            values[f"level_{c}"], businesses[f"level_{c}"] = int(cell["workers"].sum()), int(cell["business_id"].nunique())
        values["total"], businesses["total"] = int(part["workers"].sum()), int(part["business_id"].nunique())
        table.add_row(cells, {"qualification_code": qualification},
                      Text(ja if isinstance(ja, str) else qualification, en if isinstance(en, str) else qualification),
                      values, workers=dict(values), businesses=businesses)
    return kinds.apply(cells, table, [kinds.MeasureTotal("total", tuple(f"level_{c}" for c in LEVELS))])


# ------------------------------------------------------------------ members' projects

def _months(frame: pd.DataFrame) -> list:
    return sorted(frame["month"].unique())[-MONTHS_SHOWN:]


def kentaikyo_table(data: d.AssociationData, sites: set, cells: CellSet) -> Table | None:
    if data.kentaikyo is None:
        return None
    topic = TOPICS["kentaikyo"]
    frame = data.kentaikyo[data.kentaikyo["site_id"].isin(sites)]
    business = None if data.kentaikyo_business is None else data.kentaikyo_business[
        data.kentaikyo_business["site_id"].isin(sites) & (data.kentaikyo_business["days_due"] > 0)]
    measures = [Measure("sites", Text("現場数", "Sites"), "sites", additive=False, worker_rule=False),
                *topic.pick("days_due", "covered_days", "coverage", "shortfall_yen")]
    table = Table("members_kentaikyo", topic.heading, (d.KENTAIKYO, d.KENTAIKYO_BUSINESS, d.SITES), [MONTH], measures)
    primes = data.prime_of_site()
    for month in _months(frame) if not frame.empty else []:
        part = frame[frame["month"] == month]
        due, covered = int(part["days_due"].sum()), int(part["covered_days"].sum())
        values = {"sites": part["site_id"].nunique(), "days_due": due, "covered_days": covered,
                  "coverage": covered / due if due else None, "shortfall_yen": int(part["shortfall_yen"].sum())}
        workers = int(part["workers_due"].max())
        businesses = None if business is None else int(business[business["month"] == month]["business_id"].nunique())
        table.add_row(cells, {"month": month_key(month)}, Text(*_month_names(month)), values,
                      default_workers=workers, default_businesses=businesses,
                      businesses={"sites": len({primes.get(s) for s in part["site_id"]} - {None})})
    return kinds.apply(cells, table, [kinds.Ratio("coverage", "covered_days", "days_due")])


def _month_names(month) -> tuple[str, str]:
    return fmt.jp_month(month), fmt.en_month(month)


def insurance_table(data: d.AssociationData, sites: set, cells: CellSet) -> Table | None:
    if data.insurance is None:
        return None
    topic = TOPICS["insurance"]
    frame = data.insurance[data.insurance["site_id"].isin(sites)]
    measures = [Measure("sites", Text("現場数", "Sites"), "sites", additive=False, worker_rule=False),
                *topic.measures]
    table = Table("members_insurance", topic.heading, (d.INSURANCE, d.SITES), [MONTH], measures)
    primes = data.prime_of_site()
    counts = {"person_days": ("persons", "businesses"), "admitted_uninsured_person_days":
              ("admitted_uninsured_persons", "admitted_uninsured_businesses"),
              **{c: (f"{c}_persons", f"{c}_businesses") for c in ("checked_ccus", "checked_document", "not_checked")}}
    for month in _months(frame) if not frame.empty else []:
        part = frame[frame["month"] == month]
        values = {m: int(part[m].sum()) for m in counts}
        values["sites"] = part["site_id"].nunique()
        for c in ("checked_ccus", "checked_document", "not_checked"):
            values[f"{c}_share"] = values[c] / values["person_days"] if values["person_days"] else None
        workers = {m: int(part[w].max()) for m, (w, _) in counts.items()}
        businesses = {m: int(part[b].max()) for m, (_, b) in counts.items()}
        for c in ("checked_ccus", "checked_document", "not_checked"):
            workers[f"{c}_share"], businesses[f"{c}_share"] = workers["person_days"], businesses["person_days"]
        businesses["sites"] = len({primes.get(s) for s in part["site_id"]} - {None})
        table.add_row(cells, {"month": month_key(month)}, Text(*_month_names(month)), values, workers=workers,
                      businesses=businesses)
    return kinds.apply(cells, table, [kinds.MeasureTotal("person_days", ("checked_ccus", "checked_document",
                                                                        "not_checked"))]
                       + [kinds.Ratio(f"{c}_share", c, "person_days") for c in ("checked_ccus", "checked_document",
                                                                                 "not_checked")])


def model_table(data: d.AssociationData, sites: set, cells: CellSet) -> Table | None:
    if data.scores is None:
        return None
    return compliance.model_table(data.scores[data.scores["site_id"].isin(sites)], cells, "members_model_projects")


def closure_table(data: d.AssociationData, sites: set, cells: CellSet) -> Table | None:
    if data.closure is None:
        return None
    return compliance.closure_table(data.closure[data.closure["site_id"].isin(sites)], cells, "members_closure")


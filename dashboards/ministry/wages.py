"""The ministry's wage section: national by level (with the published 2023 income), by
occupation x level (each level's row = Σ its occupations where that holds), and the two groups
the April 2020 letter names."""

from __future__ import annotations

from .. import render, wages
from ..disclosure.cells import CellSet
from ..i18n import Text
from ..parts import Part, source_note, suppression_note
from . import data as d


def wages_part(data: d.MinistryData, cells: CellSet, thresholds) -> Part:
    topic = wages.WAGE
    heading = Text("レベル別賃金と目安（全国）", "Wages by level against the guideline (national)")
    if data.wage_levels is None:
        return Part("wages-by-level", heading, topic.lead, missing=(d.WAGE_LEVELS,))
    fiscal_year = int(data.wage_levels["fiscal_year"].max())
    levels = wages.wage_table(
        "wages_by_level", Text(f"{fiscal_year}年度 レベル別", f"FY{fiscal_year} by level"), [d.WAGE_LEVELS],
        [wages.LEVEL], data.wage_levels[data.wage_levels["fiscal_year"] == fiscal_year].sort_values("level"), cells,
        lambda r: {"level": int(r.level)}, lambda r: wages.level_label(r.level), published=True)
    tables = [levels]
    detail = groups = None
    if data.wage_detail is not None:
        frame = data.wage_detail[data.wage_detail["fiscal_year"] == data.wage_detail["fiscal_year"].max()]
        detail = wages.wage_table(
            "wages_by_occupation", Text("職種別", "By occupation"), [d.WAGE_DETAIL], [wages.LEVEL, wages.OCCUPATION],
            frame.sort_values(["level", "occupation_code"]), cells,
            lambda r: {"level": int(r.level), "occupation_code": r.occupation_code},
            lambda r: Text(f"{wages.occupation_label(r).ja} {wages.level_label(r.level).ja}",
                           f"{wages.occupation_label(r).en} {wages.level_label(r.level).en}"))
        wages.relate_levels(cells, levels, detail)
        tables.append(detail)
    if data.wage_groups is not None:
        frame = data.wage_groups[data.wage_groups["fiscal_year"] == data.wage_groups["fiscal_year"].max()]
        groups = wages.wage_table(
            "wages_groups", Text("要請文が挙げる2つの層", "The two groups named in the April 2020 letter"),
            [d.WAGE_GROUPS], [wages.KeyColumn("group_code", Text("層", "Group")), wages.LEVEL, wages.OCCUPATION],
            frame.sort_values(["group_code", "occupation_code", "level"]), cells,
            lambda r: {"group_code": r.group_code, "level": int(r.level), "occupation_code": r.occupation_code},
            lambda r: Text(f"{wages.occupation_label(r).ja} {wages.level_label(r.level).ja}",
                           f"{wages.occupation_label(r).en} {wages.level_label(r.level).en}"))
        tables.append(groups)

    def view(depth):
        source = source_note([d.WAGE_LEVELS], Text(f"{fiscal_year}年度", f"FY{fiscal_year}"))
        out = [render.chart("chart-wages-by-level", wages.level_chart(levels, fiscal_year, source.text), [levels],
                            depth),
               render.table_view(levels, depth, [render.Column(m) for m in wages.MEASURES
                                                 if m != "workers_with_guideline"]
                                 + [render.Column("published_2023_middle_annual_yen")]), source,
               render.Heading(Text("職種別", "By occupation"))]
        out += wages.detail_view(detail, depth) if detail is not None else [render.Unavailable((d.WAGE_DETAIL,))]
        out.append(render.Heading(Text("要請文が挙げる2つの層", "The two groups named in the April 2020 letter")))
        out += wages.detail_view(groups, depth, by_group=True) if groups is not None else [
            render.Unavailable((d.WAGE_GROUPS,))]
        out.append(suppression_note(thresholds))
        return out
    return Part("wages-by-level", heading, topic.lead, tables, view)

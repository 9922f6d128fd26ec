"""An association's location: its report (members only) and its published data, after one
disclosure step over every table and chart of the location. No page names a business, a site
or a worker; no per-business or per-site row is shown."""

from __future__ import annotations

import plotly.graph_objects as go

from .. import charts, methods, render, wages
from .. import sources as seed_sources
from .. import format as fmt
from ..disclosure import export
from ..disclosure.cells import CellSet
from ..disclosure.suppress import Thresholds, protect
from ..disclosure.table import Table
from ..i18n import Text
from ..ministry.page import LocationPages
from ..parts import Part, as_of_text, source_note, suppression_note
from ..theme import OKABE_ITO
from ..topics import TOPICS
from . import data as d
from . import tables

LEVEL_COLORS = {1: "#BBBBBB", 2: OKABE_ITO["sky_blue"], 3: "#9E9E9E", 4: OKABE_ITO["orange"]}
FOOTER = Text("静的ページ（オフラインで閲覧可）。会員事業者の集計のみ。小さなセルは秘匿しています。",
              "Static page, readable offline. Member businesses only; small cells are suppressed.")


def _level_chart(table: Table, as_of) -> charts.Chart:
    total = table.rows[-1]
    levels = [c for c in tables.LEVELS if f"level_{c}" in total.cells]
    shown = [c for c in levels if not total.cells[f"level_{c}"].suppressed]
    hidden = [tables.level_label(c) for c in levels if total.cells[f"level_{c}"].suppressed]

    def build(lang: str) -> go.Figure:
        values = [total.cells[f"level_{c}"].value for c in shown]
        unit = "人" if lang == "ja" else " workers"
        fig = go.Figure(go.Bar(x=shown, y=values, marker=dict(color=[LEVEL_COLORS[c] for c in shown]),
                               text=[fmt.thousands(v) for v in values], textposition="outside",
                               customdata=[tables.level_label(c)[lang] for c in shown],
                               hovertemplate=f"%{{customdata}}: %{{y:,}}{unit}<extra></extra>"))
        fig.update_layout(**charts.layout(lang, height=400, title=Text("レベル別の技能者数", "Workers by level"),
                                          subtitle=charts.with_suppressed(Text("会員事業者の登録技能者（現在のレベル別）",
                                                                               "Members' registered workers by current level"),
                                                                          hidden),
                                          source=charts.source_line([d.ELIGIBILITY], as_of)))
        fig.update_layout(showlegend=False, yaxis=charts.count_axis(max(values or [1]) * 1.15, lang,
                                                                    "人数" if lang == "ja" else "Workers"),
                          xaxis=dict(tickmode="array", tickvals=list(tables.LEVELS),
                                     ticktext=[tables.level_label(c)[lang] for c in tables.LEVELS], range=[0.4, 4.6]))
        return fig
    return charts.bilingual(build)


def _part(part_id: str, heading: Text, lead: Text | None, table: Table | None, missing: str, blocks) -> Part:
    if table is None:
        return Part(part_id, heading, lead, missing=(missing,))
    return Part(part_id, heading, lead, [table], blocks)


def build(data: d.AssociationData, code: str, thresholds: Thresholds, simulation: Text | None = None,
          sources: seed_sources.Sources | None = None) -> LocationPages:
    cells = CellSet()
    members = data.member_ids(code)
    sites = data.member_sites(code)
    when = as_of_text(data.as_of)
    note = suppression_note(thresholds)
    overview = tables.members_table(data, code, cells)
    mix = tables.level_mix_table(data, members, cells)
    candidates = tables.candidates_table(data, members, cells)
    wage = tables.wages_table(data, code, cells)
    qualifications = tables.qualifications_table(data, members, cells)
    project_tables = [tables.kentaikyo_table(data, sites, cells), tables.insurance_table(data, sites, cells),
                      tables.model_table(data, sites, cells), tables.closure_table(data, sites, cells)]

    parts = [
        Part("overview", Text("会員の概要", "Members at a glance"),
             Text("このレポートは、この団体の会員事業者（所属団体に当団体を登録した事業者）のデータだけを集計しています。",
                  "This report adds up the data of the association's member businesses only (businesses that list "
                  "the association)."), [overview],
             lambda depth: [render.table_view(overview, depth, label=Text("団体", "Association")),
                            source_note([d.MEMBERS], when)]),
        _part("level-mix", Text("技能者のレベル構成", "Level mix of the members' workers"),
              Text("会員事業者に所属する登録技能者の、職種別・現在のレベル別の人数。",
                   "Registered workers employed by member businesses, by occupation and current level."), mix,
              d.ELIGIBILITY, lambda depth: [render.chart(f"chart-level-mix-{code}", _level_chart(mix, data.as_of),
                                                         [mix], depth),
                                            render.table_view(mix, depth), note,
                                            source_note([d.ELIGIBILITY, d.MEMBERS], when)]),
        _part("candidates", Text("レベルアップ候補", "Level-up candidates"),
              Text("就業履歴日数・職長日数・保有資格が、現在より上のレベルの基準をすべて満たす技能者の人数。個人は特定しません。",
                   "Workers whose work days, foreman days and qualifications meet every criterion of a level above "
                   "their current one. Counts only; no person is identified."), candidates, d.ELIGIBILITY,
              lambda depth: [render.table_view(candidates, depth), note, source_note([d.ELIGIBILITY, d.MEMBERS], when)]),
        _wages_part(wage, data, note, when),
        _part("visibility", Text("保有資格の見える化", "Qualifications held (visibility)"),
              Text("会員事業者の技能者が保有する資格の人数（レベル別）。1人が複数の資格を持つため、列の合計は示しません。",
                   "Members' workers holding each qualification, by level. A worker may hold several, so columns "
                   "have no total."), qualifications, d.QUALIFICATIONS,
              lambda depth: [render.table_view(qualifications, depth), note,
                             source_note([d.QUALIFICATIONS, d.MEMBERS], when)]),
        _compliance_part(project_tables, note, when),
    ]
    all_tables = [t for p in parts for t in p.tables]
    protect(cells, thresholds)
    name = Text(*data.name(code))
    # 推計 under what rests on a modelled seed, and the methods page (issue 16)
    sources = sources or seed_sources.Sources()
    sections = seed_sources.mark([p.section(0) for p in parts], all_tables, sources, 0)
    page = render.page(title=Text(f"{name.ja} 会員レポート", f"{name.en}: member report"),
                       sections=sections, as_of=data.as_of, depth=0, toc=True, footer=FOOTER,
                       simulation=simulation)
    pages = {"index.html": page,
             "methods.html": methods.page(audience=name, tables=all_tables, sources=sources, thresholds=thresholds,
                                          as_of=data.as_of, simulation=simulation)}
    files = export.files(audience="association", unit=code, as_of=data.as_of, pages=list(pages), tables=all_tables,
                         cells=cells)
    return LocationPages(pages, files, data.as_of)


def _wages_part(wage: Table | None, data: d.AssociationData, note, when) -> Part:
    topic = wages.WAGE
    if wage is None:
        missing = (d.WAGES,) if data.wages is None else ()
        part = Part("wages", topic.heading, topic.lead, missing=missing)
        if not missing:
            part.view = lambda depth: [render.Note(Text("会員事業者の賃金調査の回答がありません。",
                                                        "No payroll survey answers from the members."))]
        return part
    def view(depth):
        out = []
        if any(not r.cells["median_observed_annual_yen"].suppressed for r in wage.rows):
            title = Text(f"{wage.title.ja}（中央値）と目安", f"{wage.title.en}: median against the guideline")
            out.append(render.chart("chart-wages", wages.occupation_chart(wage, title, charts.source_line([d.WAGES],
                                                                                                         data.as_of)),
                                    [wage], depth))
        return out + wages.detail_view(wage, depth) + [note, source_note([d.WAGES], when)]
    return Part("wages", topic.heading, topic.lead, [wage], view)


def _compliance_part(project_tables: list, note, when) -> Part:
    kentaikyo, insurance, model, closure = project_tables
    heading = Text("会員が元請の工事のコンプライアンス", "Compliance on the projects members lead as prime")
    lead = Text("会員事業者が元請の現場の集計（現場別の値は示しません）。",
                "Totals over the sites led by a member as prime (no site is shown).")

    def view(depth):
        out = []
        for table, topic, mart, columns in (
                (kentaikyo, TOPICS["kentaikyo"], d.KENTAIKYO, None),
                (insurance, TOPICS["insurance"], d.INSURANCE,
                 [render.Column("sites"), render.Column("person_days"),
                  render.Column("checked_ccus", share="checked_ccus_share"),
                  render.Column("checked_document", share="checked_document_share"),
                  render.Column("not_checked", share="not_checked_share"),
                  render.Column("admitted_uninsured_person_days")]),
                (model, TOPICS["model-projects"], d.SCORES, None), (closure, TOPICS["closure"], d.CLOSURE, None)):
            out.append(render.Heading(topic.heading))
            if table is None:
                out.append(render.Unavailable((mart,)))
            elif table.empty:
                out.append(render.Note(Text("対象の現場がありません。", "No sites to report.")))
            else:
                out += [render.table_view(table, depth, columns), source_note([mart, d.SITES], when)]
        return out + [note]
    return Part("compliance", heading, lead, [t for t in project_tables if t is not None], view)

"""HTML from Jinja2 templates (dashboards/templates, autoescaped), and the views they render.

Pages are assembled as sections of blocks (a chart, a table, a note) after disclosure control,
from the published cells only; the templates escape every text they are given, so HTML or
script in a name from the data stays text. Chart specifications are embedded as JSON with
``<``, ``>`` and ``&`` written as unicode escapes (nothing in them can end the script element).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from functools import lru_cache

import jinja2
from markupsafe import Markup, escape

from . import format as fmt
from . import i18n, names
from .charts import Chart
from .disclosure.cells import Cell
from .disclosure.table import Table
from .i18n import Text

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}
SUPPRESSED = Text("秘匿", "suppressed")
CSV_LINK = Text("CSV（この表のデータ）", "CSV (this table's data)")


def csv_link(table_id: str, title: Text, depth: int) -> "Link":
    return Link(f"{'../' * depth}tables/{table_id}.csv", Text(f"CSV: {title.ja}", f"CSV: {title.en}"))


def _marts_text(marts) -> Text:
    template = i18n.MART_MISSING if len(marts) == 1 else i18n.MARTS_MISSING
    return Text(template.ja.format(mart="、".join(marts)), template.en.format(mart=", ".join(marts)))


@lru_cache(maxsize=32768)
def _bilingual(ja: str, en: str) -> Markup:
    return Markup(f'<span data-lang="ja" lang="ja">{escape(ja)}</span><span data-lang="en" lang="en">{escape(en)}</span>')


def bilingual(text) -> Markup:
    """The ``bi`` filter: both languages as sibling spans, each escaped (CSS shows the page's).
    Labels repeat across tens of thousands of pages: cached."""
    return _bilingual(text.ja, text.en)


def content(value) -> Markup | str:
    """The ``content`` filter: a table cell's content — a Text (both languages), a Link, or
    plain text (escaped by the template)."""
    if value is None:
        return ""
    if isinstance(value, Text):
        return _bilingual(value.ja, value.en)
    if isinstance(value, Link):
        return Markup(f'<a href="{escape(value.href)}" data-keep-lang>') + _bilingual(value.text.ja, value.text.en) + \
            Markup("</a>")
    return value


_MARK = Markup('<span class="suppressed" data-suppressed="true">') + _bilingual("秘匿", "suppressed") + Markup("</span>")


_text = lru_cache(maxsize=65536)(html.escape)     # the same figures recur page after page


@lru_cache(maxsize=256)
def _td(css: str) -> str:
    return f'<td class="{html.escape(css)}">' if css else "<td>"


def table_body(rows) -> Markup:
    """The ``table_body`` filter: the <tr> rows of a table view, every value escaped. A filter
    rather than a loop in the template: the site pages of a national publication hold millions
    of cells, and a template loop per cell took half of their build time. A row is a RowView of
    CellViews, or (faster) a list of (content, css class) pairs."""
    out = []
    for row in rows:
        cells = []
        for cell in (row.cells if isinstance(row, RowView) else row):
            if isinstance(cell, tuple):
                value, start, suppressed = cell[0], _td(cell[1]), False
            else:
                value, start, suppressed = cell.text, _td(cell.css), cell.suppressed
                if cell.sort is not None:
                    start = start[:-1] + f' data-sort="{_text(str(cell.sort))}">'
            if suppressed:
                inner = _MARK
            elif isinstance(value, Text):
                inner = _bilingual(value.ja, value.en)
            elif isinstance(value, str):
                inner = _text(value)
            else:
                inner = escape(content(value))
            cells.append(f"{start}{inner}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    return Markup("\n".join(out))


ENV = jinja2.Environment(loader=jinja2.PackageLoader("dashboards", "templates"),
                         autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
                         undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                         auto_reload=False)     # templates ship with the package: no stat per page
ENV.globals.update(SUPPRESSED=SUPPRESSED, NOT_AVAILABLE=i18n.NOT_AVAILABLE, MISSING_SEP=Text(": ", ": "),
                   AS_OF=i18n.AS_OF, NO_DATA=i18n.NO_DATA, SWITCH=i18n.SWITCH, SWITCH_HINT=i18n.SWITCH_HINT,
                   TOC=Text("目次", "Contents"), marts_text=_marts_text, plotly_config=PLOTLY_CONFIG,
                   ESTIMATE=Text("推計", "Estimate"), METHODS=Text("方法と出典", "Methods and sources"))
def table_head(headers) -> Markup:
    """The ``table_head`` filter: a table's header cells (<th>, both languages, escaped). The
    same few header rows recur on every site page of a publication: cached."""
    return _table_head(tuple(headers))


@lru_cache(maxsize=1024)
def _table_head(headers: tuple) -> Markup:
    return Markup("".join(f"<th>{_bilingual(h.ja, h.en)}</th>" for h in headers))


def downloads(links) -> Markup:
    """The ``downloads`` filter: a line of download links (a table's or a chart's CSV)."""
    inner = " · ".join(f'<a href="{html.escape(link.href)}" download>{_bilingual(link.text.ja, link.text.en)}</a>'
                       for link in links)
    return Markup(f'<p class="download">{inner}</p>')


ENV.filters.update(bi=bilingual, content=content, table_body=table_body, table_head=table_head, downloads=downloads,
                   bi_pair=lambda pair: _bilingual(*pair))   # (ja, en) written in a template
# the page's stylesheet and scripts, the same on every page: read once (static files, not templates)
_STATIC = {name: Markup(ENV.loader.get_source(ENV, name)[0]) for name in ("page.css", "page.js", "head.js")}
ENV.globals.update(PAGE_CSS=_STATIC["page.css"], PAGE_JS=_STATIC["page.js"], HEAD_JS=_STATIC["head.js"])


def render(template: str, **context) -> str:
    return ENV.get_template(template).render(**context)


def page(*, title: Text, sections: list, as_of: date | None, depth: int, intro: list | None = None,
         headline: list | None = None, toc: bool = False, footer: Text | None = None, home: bool = False,
         back: "Link | None" = None, simulation: Text | None = None, template: str = "page.html",
         methods: bool = True, **extra) -> str:
    """A whole page. ``depth``: folders between the page and its location's root (where
    ``assets/plotly.min.js`` and the location's methods page are). ``methods``: the header links
    to the methods page (every page of a location; not the site's top page)."""
    with_charts = any(b.kind == "chart" for s in sections for b in s.blocks) or any(
        b.kind == "chart" for b in intro or ())
    return render(template, title=title, sections=sections, intro=intro or [], headline=headline or [],
                  toc=toc, footer=footer, home=home, back=back, simulation=simulation, with_charts=with_charts,
                  up="../" * depth, as_of=None if as_of is None else Text(fmt.jp_date(as_of), fmt.en_date(as_of)),
                  methods_href=f"{'../' * depth}methods.html" if methods and not home else None, **extra)


# ------------------------------------------------------------------ blocks

@dataclass(frozen=True)
class Link:
    href: str
    text: Text
    note: Text | None = None


@dataclass
class Section:
    id: str
    heading: Text
    blocks: list = field(default_factory=list)
    lead: Text | None = None


@dataclass(frozen=True)
class Note:
    text: Text
    cls: str = "note"
    kind: str = "note"


@dataclass(frozen=True)
class Estimate:
    """The 推計 line under a chart or table resting on a modelled seed (dashboards/sources.py)."""
    text: Text
    href: str                  # the location's methods page
    seeds: tuple[str, ...]
    kind: str = "estimate"


@dataclass(frozen=True)
class Heading:
    text: Text
    kind: str = "heading"


@dataclass(frozen=True)
class Unavailable:
    marts: tuple[str, ...]
    kind: str = "unavailable"


@dataclass(frozen=True)
class Links:
    links: list[Link]
    kind: str = "links"


@dataclass(frozen=True)
class Downloads:
    links: list[Link]
    kind: str = "downloads"


@dataclass(frozen=True)
class Open:
    """The start of a box of blocks, ended by :class:`Close`: side by side (``cls`` "columns") or
    folded under a summary ("show all", a <details>). Markers in the flat list of a section's
    blocks, not nested blocks: one loop writes a page (templates/page.html)."""

    cls: str
    summary: Text | None = None
    kind: str = "open"


@dataclass(frozen=True)
class Close:
    folded: bool = False
    kind: str = "close"


def columns(*blocks) -> list:
    """Blocks side by side (one column each; they wrap on a narrow screen and in print)."""
    return [Open("columns"), *blocks, Close()]


def folded(summary: Text, *blocks) -> list:
    """Blocks shown on a click on ``summary`` (a long table under its ranking)."""
    return [Open("folded", summary), *blocks, Close(folded=True)]


@dataclass
class ChartView:
    id: str
    payload: Markup
    height: int
    csv: list[Link]
    kind: str = "chart"


@dataclass
class CellView:
    text: Any            # Text, str, Link or None
    css: str = ""
    suppressed: bool = False
    sort: float | None = None


@dataclass
class RowView:
    cells: list[CellView]


@dataclass
class TableView:
    id: str
    headers: list[Text]
    rows: list[RowView]
    csv: list[Link]
    kind: str = "table"


def script_json(value) -> Markup:
    """JSON safe inside a <script> element: no <, > or & in it at all."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def chart(chart_id: str, spec: Chart, tables: list, depth: int) -> ChartView:
    """A chart and the download links of the tables it draws from (Table objects, or ids)."""
    links = [csv_link(t.id, t.title, depth) if isinstance(t, Table) else
             Link(f"{'../' * depth}tables/{t}.csv", Text(f"CSV: {t}", f"CSV: {t}")) for t in tables]
    return ChartView(chart_id, script_json({"figure": spec.figure, "labels": spec.labels}),
                     spec.figure["layout"].get("height", 520), links)


# ------------------------------------------------------------------ figures as text

def value_text(value, fmt_name: str) -> Text:
    """A published figure in both languages, as the page shows it."""
    if value is None:
        return Text(fmt.MISSING, fmt.MISSING)
    if fmt_name == "count":
        if value == 0:
            return Text("-", "-")
        text = fmt.thousands(value)
        return Text(text, text)
    if fmt_name == "rate":
        text = fmt.percent(value)
        return Text(text, text)
    if fmt_name == "yen":
        if value == 0:
            return Text("-", "-")
        return Text(fmt.yen(value), fmt.en_yen(value))
    if fmt_name == "hours":
        text = f"{value:,.1f}"
        return Text(text, text)
    if fmt_name == "points":
        text = f"{int(value):+d}"
        return Text(text, text)
    raise ValueError(fmt_name)


def cell_view(cell: Cell | None, fmt_name: str, share: Cell | None = None) -> CellView:
    """A table cell: 秘匿 when suppressed; with ``share``, "count (share)"."""
    if cell is None:
        return CellView(Text(fmt.MISSING, fmt.MISSING), "num")
    if cell.suppressed:
        return CellView(None, "num suppressed", suppressed=True)
    text = value_text(cell.value, fmt_name)
    if share is not None:
        part = SUPPRESSED if share.suppressed else value_text(share.value, "rate")
        text = Text(f"{text.ja}（{part.ja}）", f"{text.en} ({part.en})")
    sort = None if cell.value is None else float(cell.value)
    return CellView(text, "num", sort=sort)


@dataclass(frozen=True)
class Column:
    """A column of a table's view: a measure, or a count with its share beside it."""

    measure: str
    header: Text | None = None         # default: the measure's header
    share: str | None = None


def table_view(table: Table, depth: int, columns: list[Column] | None = None, label: Text | None = None,
               rows=None) -> TableView:
    """The HTML view of a published table: its row labels, then ``columns`` (default: every
    measure); total rows are marked so that sorting keeps them at the bottom."""
    columns = columns or [Column(m.name) for m in table.measures]
    headers = [label or table.keys[-1].header] + [c.header or table.measure(c.measure).header for c in columns]
    by_prefecture = table.keys[-1].name == "prefecture_code"
    out = []
    for row in rows if rows is not None else table.rows:
        cells = [CellView(row.label, "total-label" if row.is_total else "")]
        if by_prefecture and not row.is_total:     # a click on the heading sorts in JIS code order
            cells[0].sort = names.prefecture_order(row.key.get("prefecture_code"))
        for c in columns:
            share = row.cells.get(c.share) if c.share else None
            cells.append(cell_view(row.cells.get(c.measure), table.measure(c.measure).format, share))
        out.append(RowView(cells))
    return TableView(table.id, headers, out, [csv_link(table.id, table.title, depth)])


def plain_table(table_id: str, headers: list[Text], rows: list[list[CellView]], csv: list[Link] | None = None) -> TableView:
    return TableView(table_id, headers, [RowView(r) for r in rows], csv or [])

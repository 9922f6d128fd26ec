"""The HTML around the charts: page skeleton, sections, tables, and the language switch.

Pages are static and self-contained: no CDN, no web fonts, no external JavaScript.
Charts need ``assets/plotly.min.js`` from the same site, referenced by a relative path.
"""

from __future__ import annotations

import html
import json

from . import i18n, theme
from .charts import Chart
from .i18n import Text

PLOTLY_ASSET = "assets/plotly.min.js"
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True,
                 "modeBarButtonsToRemove": ["select2d", "lasso2d"]}

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font-family: %(font)s; color: #222; background: #F6F6F4; line-height: 1.6; }
html[data-ui-lang="ja"] [data-lang="en"], html[data-ui-lang="en"] [data-lang="ja"] { display: none !important; }
header.page { background: #0B3954; color: #fff; padding: 14px 24px; display: flex; gap: 16px;
  align-items: center; justify-content: space-between; flex-wrap: wrap; }
header.page h1 { font-size: 1.35rem; margin: 0; font-weight: 700; }
header.page .meta { font-size: .9rem; opacity: .9; }
header.page a { color: #fff; }
#lang-toggle { font: inherit; font-size: .95rem; padding: 6px 14px; border-radius: 4px;
  border: 2px solid #fff; background: transparent; color: #fff; cursor: pointer; }
#lang-toggle:hover, #lang-toggle:focus { background: #fff; color: #0B3954; }
main { max-width: 1240px; margin: 0 auto; padding: 8px 20px 40px; }
section.block { background: #fff; border: 1px solid #E2E2DE; border-radius: 6px; padding: 16px 20px; margin: 18px 0; }
section.block h2 { font-size: 1.15rem; margin: 0 0 6px; border-left: 5px solid %(accent)s; padding-left: 10px; }
p.lead { margin: 4px 0 10px; color: #333; }
p.note, p.source { font-size: .85rem; color: %(muted)s; margin: 6px 0 0; }
p.unavailable { background: #FFF4E5; border-left: 4px solid %(warn)s; padding: 10px 14px; margin: 8px 0; }
div.ccus-chart { width: 100%%; }
div.chart-error { padding: 20px; color: %(warn)s; }
table.data { border-collapse: collapse; width: 100%%; font-size: .92rem; }
table.data th, table.data td { border-bottom: 1px solid #E2E2DE; padding: 6px 8px; text-align: left; vertical-align: top; }
/* Japanese words do not break mid-word (都道府県, not 都道府/県); a wide table scrolls in its box */
table.data th, table.data td { word-break: keep-all; }
section.block { overflow-x: auto; }
table.data th { background: #F0F0EC; font-weight: 600; }
table.data th[data-sortable] { cursor: pointer; user-select: none; }
table.data th[data-sortable]::after { content: "\\00a0\\2195"; color: %(muted)s; font-weight: 400; }
table.data th[aria-sort="ascending"]::after { content: "\\00a0\\25B2"; color: #222; }
table.data th[aria-sort="descending"]::after { content: "\\00a0\\25BC"; color: #222; }
table.data th[data-sortable]:focus { outline: 2px solid %(accent)s; outline-offset: -2px; }
table.data td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.data code { font-size: .85em; color: %(muted)s; }
ul.audiences { list-style: none; padding: 0; display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); }
ul.audiences li { background: #fff; border: 1px solid #E2E2DE; border-radius: 6px; padding: 14px 18px; }
ul.audiences a { font-size: 1.1rem; font-weight: 700; color: %(accent)s; }
footer.page { max-width: 1240px; margin: 0 auto; padding: 0 20px 30px; font-size: .8rem; color: %(muted)s; }
""" % {"font": theme.FONT_FAMILY, "accent": theme.OKABE_ITO["blue"], "muted": theme.MUTED,
       "warn": theme.OKABE_ITO["vermillion"]}

# The language switch. Every HTML label exists twice (data-lang="ja" / "en", CSS hides one);
# every chart carries both label sets and is switched with Plotly.relayout / Plotly.restyle.
# "#lang=en" in the address selects English at load (and is kept when switching).
_JS = r"""
(function () {
  "use strict";
  var root = document.documentElement;
  var charts = [];
  var config = %(config)s;

  function langFromHash() {
    var m = /(?:^#|&)lang=(ja|en)(?:&|$)/.exec(window.location.hash);
    return m ? m[1] : null;
  }

  function applyChart(chart, lang) {
    var set = chart.labels[lang];
    var done = Plotly.relayout(chart.div, set.layout);
    set.traces.forEach(function (labels, index) {
      var keys = Object.keys(labels);
      if (!keys.length) { return; }
      var update = {};
      keys.forEach(function (key) { update[key] = [labels[key]]; });
      done = done.then(function () { return Plotly.restyle(chart.div, update, [index]); });
    });
    return done;
  }

  function setLang(lang) {
    root.setAttribute("lang", lang);
    root.setAttribute("data-ui-lang", lang);
    document.title = root.getAttribute("data-title-" + lang) || document.title;
    var button = document.getElementById("lang-toggle");
    if (button) {
      button.setAttribute("aria-pressed", lang === "en" ? "true" : "false");
      button.title = button.getAttribute("data-title-" + lang) || "";
    }
    Array.prototype.forEach.call(document.querySelectorAll("a[data-keep-lang]"), function (a) {
      var href = (a.getAttribute("href") || "").split("#")[0];
      a.setAttribute("href", lang === "en" ? href + "#lang=en" : href);
    });
    if (langFromHash() !== lang) {
      try { history.replaceState(null, "", "#lang=" + lang); } catch (e) { /* file:// may refuse */ }
    }
    return Promise.all(charts.map(function (chart) { return applyChart(chart, lang); }));
  }

  // Sortable tables: a click (or Enter) on a column heading sorts the rows by that column,
  // again to reverse. Keys are read from what the reader sees in the current language:
  // 174.9万 / 1.75M, 12,345円 / ¥12,345, 52.9 percent, 2025年10月31日 / 31 Oct 2025; 秘匿 / suppressed
  // and — sort last. Total rows (first cell marked total-label) stay at the bottom.
  var UNITS = {"兆": 1e12, "億": 1e8, "万": 1e4, "T": 1e12, "B": 1e9, "M": 1e6, "K": 1e3};
  var MONTHS = {Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12};
  function sortKey(cell) {
    if (cell.hasAttribute("data-sort")) { return {n: parseFloat(cell.getAttribute("data-sort"))}; }
    if (cell.querySelector("[data-suppressed]")) { return null; }
    var text = (cell.innerText || cell.textContent || "").trim();
    if (!text || text === "—" || text.indexOf("—") === 0) { return null; }
    var m = /(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?/.exec(text);
    if (m) { return {n: m[1] * 10000 + m[2] * 100 + (m[3] ? +m[3] : 0)}; }
    m = /^(?:(\d{1,2}) )?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4})$/.exec(text);
    if (m) { return {n: m[3] * 10000 + MONTHS[m[2]] * 100 + (m[1] ? +m[1] : 0)}; }
    m = /^[¥+]?(-?[\d,]*\.?\d+)\s*(兆|億|万|T|B|M|K)?/.exec(text.replace(/^[+¥]/, ""));
    if (m) { return {n: parseFloat(m[1].replace(/,/g, "")) * (m[2] ? UNITS[m[2]] : 1)}; }
    return {s: text};
  }
  function compare(a, b) {
    if (a === null || b === null) { return a === b ? 0 : (a === null ? 1 : -1); }
    if ("n" in a && "n" in b) { return a.n - b.n; }
    var x = "n" in a ? String(a.n) : a.s, y = "n" in b ? String(b.n) : b.s;
    return x.localeCompare(y, "ja");
  }
  function sortTable(table, column, th) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) {
      if (h.hasAttribute("data-sortable")) { h.setAttribute("aria-sort", "none"); }
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var keyed = rows.map(function (row, index) {
      var cell = row.cells[column];
      var total = row.cells[0] && row.cells[0].classList.contains("total-label");
      return {row: row, key: cell ? sortKey(cell) : null, total: total, index: index};
    });
    keyed.sort(function (a, b) {
      if (a.total !== b.total) { return a.total ? 1 : -1; }
      if (a.key === null || b.key === null) { return compare(a.key, b.key) || a.index - b.index; }
      return (ascending ? compare(a.key, b.key) : compare(b.key, a.key)) || a.index - b.index;
    });
    keyed.forEach(function (k) { body.appendChild(k.row); });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.data"), function (table) {
    if (!table.tHead || !table.tBodies.length || table.tBodies[0].rows.length < 2) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      th.setAttribute("data-sortable", "");
      th.setAttribute("aria-sort", "none");
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortTable(table, column, th); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortTable(table, column, th); }
      });
    });
  });

  window.ccusSetLang = setLang;
  window.ccusToggleLang = function () {
    return setLang(root.getAttribute("data-ui-lang") === "en" ? "ja" : "en");
  };

  var plotted = [];
  Array.prototype.forEach.call(document.querySelectorAll("div.ccus-chart"), function (div) {
    if (typeof Plotly === "undefined") {
      div.className = "chart-error";
      div.textContent = "plotly.min.js could not be loaded / plotly.min.js を読み込めませんでした";
      return;
    }
    var spec = JSON.parse(document.getElementById(div.id + "-spec").textContent);
    charts.push({div: div, labels: spec.labels});
    plotted.push(Plotly.newPlot(div, spec.figure.data, spec.figure.layout, config));
  });

  var button = document.getElementById("lang-toggle");
  if (button) { button.addEventListener("click", window.ccusToggleLang); }
  window.addEventListener("hashchange", function () {
    var lang = langFromHash();
    if (lang && lang !== root.getAttribute("data-ui-lang")) { setLang(lang); }
  });

  Promise.all(plotted)
    .then(function () { return setLang(langFromHash() || "%(default)s"); })
    .then(function () { root.setAttribute("data-ready", "true"); },
          function (err) { root.setAttribute("data-ready", "error"); console.error(err); });
})();
"""


_SCRIPT = _JS % {"config": json.dumps(PLOTLY_CONFIG), "default": i18n.DEFAULT_LANG}   # the same on every page


# In <head>, before anything loads: report every resource that fails to load (a missing
# plotly.min.js, an image) and every unhandled promise rejection on the console.
_HEAD_JS = (
    'window.addEventListener("error",function(e){var t=e.target;if(t&&t!==window&&(t.src||t.href))'
    '{console.error("CCUS page: failed to load "+(t.src||t.href));}},true);'
    'window.addEventListener("unhandledrejection",function(e){console.error("CCUS page: "+e.reason);});'
)


def _script_json(value) -> str:
    """JSON safe inside <script>: no <, > or & in it at all (as render.script_json)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def chart(chart_id: str, spec: Chart) -> str:
    height = spec.figure["layout"].get("height", 520)
    payload = _script_json({"figure": spec.figure, "labels": spec.labels})
    return (f'<div id="{chart_id}" class="ccus-chart" style="height:{height}px"></div>\n'
            f'<script type="application/json" id="{chart_id}-spec">{payload}</script>')


def section(section_id: str, heading: Text, content: str, lead: Text | None = None) -> str:
    lead_html = f'<p class="lead">{lead.html()}</p>' if lead else ""
    return (f'<section class="block" id="{section_id}">\n<h2>{heading.html()}</h2>\n'
            f"{lead_html}\n{content}\n</section>")


def paragraph(text: Text, cls: str = "note") -> str:
    return f'<p class="{cls}">{text.html()}</p>'


def unavailable(*marts: str) -> str:
    template = i18n.MART_MISSING if len(marts) == 1 else i18n.MARTS_MISSING
    message = Text(f"{i18n.NOT_AVAILABLE.ja}: {template.ja.format(mart='、'.join(marts))}",
                   f"{i18n.NOT_AVAILABLE.en}: {template.en.format(mart=', '.join(marts))}")
    return f'<p class="unavailable" data-missing="{html.escape(" ".join(marts))}">{message.html()}</p>'


TOTAL_LABELS = ("全国", "合計", "計")


def table(headers: list[Text], rows: list[list[tuple[Text | str, str]]]) -> str:
    """A table; each cell is (content, css class). Text cells render in both languages.

    Every table is sortable by a click on a heading (the page script); a row whose first cell
    is 全国 / 合計 (National / Total) is a total row and stays at the bottom."""
    return table_of_rows(headers, [table_row(row) for row in rows])


def table_row(row: list[tuple[Text | str, str]]) -> str:
    """One ``<tr>`` of :func:`table` (for a row shown in several tables: rendered once)."""
    cells = []
    if row and isinstance(row[0][0], Text) and row[0][0].ja in TOTAL_LABELS:
        # a total row: the sort script keeps it at the bottom
        row = [(row[0][0], f"{row[0][1]} total-label".strip())] + list(row[1:])
    for content, cls in row:
        inner = content.html() if isinstance(content, Text) else content
        cells.append(f'<td class="{cls}">{inner}</td>' if cls else f"<td>{inner}</td>")
    return "<tr>" + "".join(cells) + "</tr>"


def table_of_rows(headers: list[Text], rows: list[str]) -> str:
    """:func:`table` from rows already rendered by :func:`table_row`."""
    head = "".join(f"<th>{h.html()}</th>" for h in headers)
    return (f'<table class="data"><thead><tr>{head}</tr></thead>\n<tbody>\n'
            + "\n".join(rows) + "\n</tbody></table>")


def page(*, title: Text, body: str, as_of: Text | None, depth: int, home: bool = False,
         with_charts: bool = False, footer: Text | None = None) -> str:
    """A whole page. ``depth`` is how many folders below the site root the page sits.

    ``as_of`` is the data's as-of date; a page built from data always states one
    (``as_of=None`` there means no data at all); the top page (``home``) has none."""
    up = "../" * depth
    as_of_html = "" if home else (f'<div class="meta">{i18n.AS_OF.html()}: '
                                  f"{(as_of or i18n.NO_DATA).html()}</div>")
    home_link = "" if home else (f'<div class="meta"><a href="{up}index.html" data-keep-lang>'
                                 f"{i18n.BACK_HOME.html()}</a></div>")
    plotly_tag = f'<script src="{up}{PLOTLY_ASSET}"></script>\n' if with_charts else ""
    footer_html = f'<footer class="page"><p>{footer.html()}</p></footer>' if footer else ""
    script = _SCRIPT
    return f"""<!DOCTYPE html>
<html lang="{i18n.DEFAULT_LANG}" data-ui-lang="{i18n.DEFAULT_LANG}" data-title-ja="{html.escape(title.ja)}" data-title-en="{html.escape(title.en)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title.ja)}</title>
<script>{_HEAD_JS}</script>
<style>{_CSS}</style>
</head>
<body>
<header class="page">
<div><h1>{title.html()}</h1>{as_of_html}{home_link}</div>
<button id="lang-toggle" type="button" aria-pressed="false" title="{html.escape(i18n.SWITCH_HINT.ja)}" data-title-ja="{html.escape(i18n.SWITCH_HINT.ja)}" data-title-en="{html.escape(i18n.SWITCH_HINT.en)}">{i18n.SWITCH.html()}</button>
</header>
<main>
{body}
</main>
{footer_html}
{plotly_tag}<script>{script}</script>
</body>
</html>
"""

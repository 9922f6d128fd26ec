(function () {
  "use strict";
  var root = document.documentElement;
  var charts = [];
  var config = window.CCUS_PLOTLY_CONFIG || {};

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

  // Geo charts (the prefecture map) draw their own shapes on no base map, yet plotly.js asks
  // for its world topojson first, from a CDN: it is handed an empty one (the hook it reads
  // before fetching), so nothing is downloaded (dashboards/geo.py).
  window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};
  window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};
  window.PlotlyGeoAssets.topojson.world_110m = window.PlotlyGeoAssets.topojson.world_110m ||
    {type: "Topology", objects: {}, arcs: []};

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
    .then(function () { return setLang(langFromHash() || root.getAttribute("data-default-lang") || "ja"); })
    .then(function () { root.setAttribute("data-ready", "true"); },
          function (err) { root.setAttribute("data-ready", "error"); console.error(err); });
})();
(function () {
  "use strict";
  // Printing: charts drawn at the screen's width are redrawn at the paper's (A4) and back.
  function resizeAll() {
    if (typeof Plotly === "undefined") { return; }
    Array.prototype.forEach.call(document.querySelectorAll("div.ccus-chart"), function (div) {
      if (div._fullLayout) { Plotly.Plots.resize(div); }
    });
  }
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();

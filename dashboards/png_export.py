"""PNG copies of the key charts, for reports: kaleido 1.x driving Debian's Chromium.

The PNGs are made from the very figures the pages embed (the chart specs in the page HTML), in
Japanese and in English, so a report shows what the page shows. kaleido is given the Chromium
binary and the plotly.js of the installed plotly package explicitly, and MathJax is switched
off: left to its defaults kaleido would look for (or download) Chrome and load MathJax from a
CDN, and nothing may be downloaded at run time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
from pathlib import Path

import plotly

from .i18n import LANGS

DEFAULT_CHROMIUM = "/usr/bin/chromium"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
WIDTH = 1200          # px; the charts' heights come from their own layouts
TIMEOUT_S = 90        # per image

# The key charts of each page that gets PNG copies: (page, chart ids in the order of the page).
# A chart id missing from a page (its mart was not there) is skipped.
KEY_CHARTS = {
    "index.html": ("chart-workers", "chart-businesses", "chart-prefectures", "chart-occupations",
                            "chart-levels", "chart-wages-by-level", "chart-compliance-kentaikyo",
                            "chart-compliance-insurance", "chart-compliance-worktime"),
}

_SPEC = re.compile(r'<script type="application/json" id="(chart-[\w-]+)-spec">(.*?)</script>', re.S)
_STEP = re.compile(r"([^.\[\]]+)(?:\[(\d+)\])?")


class _QuietClose(logging.Filter):
    """choreographer logs a traceback ("JSONError decoding message. Ignoring") when Chromium's
    last message is cut off as kaleido closes it; the images are already made, so drop it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "JSONError decoding message" not in record.getMessage()



def chromium(path: str = DEFAULT_CHROMIUM) -> str:
    """The Chromium kaleido drives; a clear error when it is not installed."""
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise RuntimeError(
            f"PNG export needs Chromium at {path} (set CCUS_CHROMIUM to use another): install it with "
            "`apt-get install -y chromium fonts-noto-cjk` (make run and make test do), or publish without "
            "PNGs (CCUS_EXPORT_PNG=0). kaleido is never allowed to download a browser.")
    return path


def chart_specs(page_html: str) -> dict[str, dict]:
    """The charts a page embeds: {chart id: {"figure": …, "labels": …}}."""
    return {m.group(1): json.loads(m.group(2)) for m in _SPEC.finditer(page_html)}


def _set(target: dict, path: str, value) -> None:
    """Set a plotly.js attribute path (``annotations[0].text``, ``title.text``) in a figure dict."""
    steps = [(m.group(1), m.group(2)) for m in _STEP.finditer(path)]
    node = target
    for i, (key, index) in enumerate(steps):
        last = i == len(steps) - 1
        if index is None:
            if last:
                node[key] = value
            else:
                node = node.setdefault(key, {})
        else:
            items = node.setdefault(key, [])
            while len(items) <= int(index):
                items.append({})
            if last:
                items[int(index)] = value
            else:
                node = items[int(index)]


def figure_in(spec: dict, lang: str) -> dict:
    """The chart's figure with the labels of ``lang`` (the page's switch, done in Python)."""
    figure = json.loads(json.dumps(spec["figure"]))
    labels = spec["labels"][lang]
    for path, value in labels["layout"].items():
        _set(figure["layout"], path, value)
    for trace, changes in zip(figure["data"], labels["traces"]):
        for path, value in changes.items():
            _set(trace, path, value)
    return figure


def key_figures(pages: dict[str, str]) -> dict[str, dict]:
    """{png path relative to the site: figure} for the key charts of the built ``pages``."""
    out = {}
    for page, ids in KEY_CHARTS.items():
        if page not in pages:
            continue
        specs = chart_specs(pages[page])
        for chart_id in ids:
            if chart_id in specs:
                for lang in LANGS:
                    out[f"png/{chart_id.removeprefix('chart-')}.{lang}.png"] = figure_in(specs[chart_id], lang)
    return out


def render(figures: dict[str, dict], browser_path: str = DEFAULT_CHROMIUM) -> dict[str, bytes]:
    """PNG bytes of each figure, all through one Chromium started once."""
    if not figures:
        return {}
    import kaleido  # a third-party package imported here: only publication with PNGs needs it

    # after the import: choreographer's loggers are logistro's (they have debug2); asking
    # logging for the name first would create a plain Logger that choreographer then fails on
    pipe_log = logging.getLogger("choreographer.channels.pipe")
    if not any(isinstance(f, _QuietClose) for f in pipe_log.filters):
        pipe_log.addFilter(_QuietClose())
    browser = chromium(browser_path)

    async def run() -> dict[str, bytes]:
        out = {}
        async with kaleido.Kaleido(n=1, timeout=TIMEOUT_S, path=browser, mathjax=False,
                                   plotlyjs=PLOTLY_JS.as_uri()) as k:
            for name, figure in figures.items():
                height = int(figure["layout"].get("height", 520))
                out[name] = await k.calc_fig(figure, opts=dict(format="png", width=WIDTH, height=height))
        return out

    return asyncio.run(run())

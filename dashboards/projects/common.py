"""Labels, formatting and chart helpers of the project pages (written as plain dicts: fast for
tens of thousands of pages)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import charts, render
from .. import format as fmt
from ..charts import Chart
from ..i18n import Text
from .data import NO, YES, _none_if_missing

# A site page is sites/<site_id>.html, one folder below its location's root (its assets, methods
# page and tables): a file, not a folder of its own — a national publication writes each of
# ~67,000 pages into two locations, and a folder per page cost about as much as the page's write.
SITE_PAGE_DEPTH = 1
UP = "../" * SITE_PAGE_DEPTH


def site_page_path(site_id: str) -> str:
    """A site page's path in its location."""
    return f"sites/{site_id}.html"


# ---------------------------------------------------------------- small helpers

def _text_of(mapping: dict[str, Text], code) -> Text:
    code = _none_if_missing(code)
    if code is None:
        return Text(fmt.MISSING, fmt.MISSING)
    return mapping.get(code, Text(str(code), str(code)))


def _date_text(day) -> Text:
    day = _none_if_missing(day)
    return Text(fmt.jp_date(day), fmt.en_date(day)) if day is not None else Text(fmt.MISSING, fmt.MISSING)


def _month_text(day) -> Text:
    day = _none_if_missing(day)
    return Text(fmt.jp_month(day), fmt.en_month(day)) if day is not None else Text(fmt.MISSING, fmt.MISSING)


def _pct(value) -> str:
    return fmt.percent(_none_if_missing(value))


def _int(value) -> str:
    value = _none_if_missing(value)
    return fmt.MISSING if value is None else fmt.thousands(value)


def _hours(value) -> str:
    value = _none_if_missing(value)
    return fmt.MISSING if value is None else f"{value:,.1f}"


def _yen(value) -> Text:
    value = _none_if_missing(value)
    return Text(fmt.yen(value), fmt.en_yen(value))


def _flag(value) -> Text:
    value = _none_if_missing(value)
    if value is None:
        return Text(fmt.MISSING, fmt.MISSING)
    return YES if bool(value) else NO


def _num(text: str) -> tuple[str, str]:
    return (text, "num")


def _source(marts: list[str], as_of: date | None) -> Text:
    when = Text(fmt.jp_date(as_of), fmt.en_date(as_of)) if as_of else Text(fmt.MISSING, fmt.MISSING)
    return Text(f"出典（goldマート）: {'／'.join(marts)}（データ時点 {when.ja}）",
                f"Source (gold marts): {' / '.join(marts)} (data as of {when.en})")


# the location's tables (dashboards/projects/tables.py) that hold each mart's rows of a site page
_CSV_OF_MART = {"kentaikyo_site_monthly": ("site_kentaikyo_monthly",),
                "kentaikyo_business_monthly": ("site_kentaikyo_businesses",),
                "insurance_site_monthly": ("site_insurance_monthly",), "worktime_site_monthly": ("site_worktime_monthly",),
                "model_project_measurements": ("site_model_project_measurements",),
                "site_closure": ("site_closure",), "site_closure_monthly": ("site_closure_monthly",)}
_CSV_LINK = Text("CSV（この発注者・元請の全工事の表）", "CSV (the table of all sites of this orderer or prime)")


def _source_note(marts: list[str], as_of: date | None) -> list:
    """The source line under a section, and the download links of its tables (in its location's
    tables/ folder)."""
    tables = [t for m in marts for t in _CSV_OF_MART.get(m, ())]
    links = [render.Link(f"{UP}tables/{t}.csv", Text(f"{_CSV_LINK.ja}: {t}", f"{_CSV_LINK.en}: {t}")) for t in tables]
    return [render.Note(_source(marts, as_of), "source")] + ([render.Downloads(links)] if links else [])


def table(headers: list[Text], rows: list[list[tuple]]) -> render.TableView:
    """A table of a site page: each cell (Text or text, css class); the first cell of a 合計 /
    計 row marks it as a total (the sort keeps it at the bottom)."""
    return render.TableView("", headers, rows, [])      # rows of (content, css) pairs: see render.table_body


def section(section_id: str, heading: Text, blocks: list, lead: Text | None = None) -> render.Section:
    return render.Section(section_id, heading, blocks, lead)


def chart(chart_id: str, spec: Chart) -> render.ChartView:
    return render.chart(chart_id, spec, [], SITE_PAGE_DEPTH)


@dataclass(frozen=True)
class Texts:
    """A list of labels in each language (tick texts, the months of a hover): a chart's value
    that the language switch replaces whole."""

    ja: list
    en: list


def both(write) -> Text:
    """``write(lang)`` in each language (a hover template, a threshold's label)."""
    return Text(write("ja"), write("en"))


def figure(data: list[dict], layout: dict) -> Chart:
    """A chart built once with both languages in place: every label a Text (or Texts) where the
    language changes it. The Japanese values stay in the figure; the labels of each language
    are gathered by path for the switch (Plotly.relayout / restyle; see dashboards/charts.py).
    The labels are declared, not found by building the chart twice and comparing: tens of
    thousands of pages are built in a national publication."""
    labels = {"ja": {"layout": {}, "traces": []}, "en": {"layout": {}, "traces": []}}
    _split(layout, "", labels["ja"]["layout"], labels["en"]["layout"])
    for trace in data:
        ours, theirs = {}, {}
        _split(trace, "", ours, theirs)
        labels["ja"]["traces"].append(ours)
        labels["en"]["traces"].append(theirs)
    return Chart(figure={"data": data, "layout": layout}, labels=labels)


def _split(node: dict, prefix: str, ja: dict, en: dict) -> None:
    """Each Text or Texts in ``node`` (dicts and lists of dicts, never data arrays) replaced by
    its Japanese value; paths whose two values differ recorded in ``ja`` and ``en``."""
    for key, value in node.items():
        kind = type(value)
        if kind is Text or kind is Texts:
            node[key] = value.ja
            if value.ja != value.en:
                path = prefix + key
                ja[path], en[path] = value.ja, value.en
        elif kind is dict:
            _split(value, f"{prefix}{key}.", ja, en)
        elif kind is list and value and type(value[0]) is dict:
            for index, item in enumerate(value):
                _split(item, f"{prefix}{key}[{index}].", ja, en)


def _layout(*, title: Text, subtitle: Text, source: Text, height: int = 420) -> dict:
    """charts.layout's look with each label a Text (both languages), the project pages'
    margins, and no template (plotly's default: the page sets none)."""
    layout = charts.layout("ja", title=title, subtitle=subtitle, source=source, height=height)
    del layout["template"]
    layout["margin"] = dict(l=70, r=150, t=120, b=80)
    layout["title"]["text"] = Text(f"<b>{title.ja}</b>", f"<b>{title.en}</b>")
    layout["title"]["subtitle"]["text"] = subtitle
    layout["annotations"][0]["text"] = source
    return layout


def _rate_axis(title: Text, **extra) -> dict:
    axis = charts.rate_axis(None, **extra)
    axis["title"] = dict(text=title)
    return axis


def _count_axis(top: float, title: Text) -> dict:
    axis = charts.count_axis(top, "ja", title.ja)
    axis["ticktext"] = Texts(axis["ticktext"], [charts.count_text(v, "en") for v in axis["tickvals"]])
    axis["title"]["text"] = title
    return axis


def _month_axis(rows: list[dict], when: Texts) -> dict:
    """Months as categories (a single month is a proper bar, and only months with data take
    room), labelled as the page writes a month: 2025年2月 / Feb 2025, not the key 2025-02."""
    return dict(type="category", gridcolor="#DDDDDD", tickmode="array", tickvals=_months(rows), ticktext=when)


def _months(rows: list[dict]) -> list[str]:
    """The x values of a month chart: the months' keys (the same in both languages)."""
    return [r["month"].strftime("%Y-%m") for r in rows]


def _month_labels(rows: list[dict]) -> Texts:
    """Each row's month as the page writes it, for the ticks and the hover (``%{text}``)."""
    return Texts([fmt.jp_month(r["month"]) for r in rows], [fmt.en_month(r["month"]) for r in rows])


def _iso(days) -> list[str]:
    return [d.isoformat() for d in days]


def _threshold_line(y: float, label: Text, color: str, dash: str) -> tuple[dict, dict]:
    shape = dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=y, y1=y,
                 line=dict(color=color, width=1.5, dash=dash))
    note = dict(xref="paper", x=1.0, xanchor="left", yref="y", y=y, text=label, showarrow=False,
                font=dict(size=11, color=color), align="left")
    return shape, note



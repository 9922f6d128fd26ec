"""Project pages: one page per public-works site, for its orderer and its prime contractor.

Published only to that site's orderer and prime (metrics.md §8), a project page shows the site's
own figures unsuppressed — model-project rates over time with the thresholds drawn and the
points, 建退共 coverage, insurance checks at entry, working-time flags and 4週8休 — but never names
or ids a worker: every figure comes from site-level gold marts, which hold counts only.

Indexes: ``projects/index.html`` (every project, by orderer type, and the list of primes),
``projects/by_orderer/<orderer_type>.html`` and ``projects/by_prime/<business_id>.html``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from . import charts, layout, names
from . import format as fmt
from .charts import Chart
from .i18n import LANGS, Text
from .io import Location, _as_date, read_mart
from .site_rows import SiteRows
from .theme import OKABE_ITO

FOLDER = "projects"

MEASUREMENTS = "model_project_measurements"
SCORES = "model_project_scores"
KENTAIKYO = "kentaikyo_site_monthly"
KENTAIKYO_BUSINESS = "kentaikyo_business_monthly"
INSURANCE = "insurance_site_monthly"
WORKTIME = "worktime_site_monthly"
CLOSURE = "site_closure"
CLOSURE_MONTHLY = "site_closure_monthly"
_KENTAIKYO_BUSINESS_TOTALS = "kentaikyo_business_monthly (whole period)"   # derived once in load()
SITE_MARTS = (MEASUREMENTS, SCORES, KENTAIKYO, KENTAIKYO_BUSINESS, INSURANCE, WORKTIME, CLOSURE, CLOSURE_MONTHLY)

ORDERER = {
    "mlit": Text("国土交通省直轄", "MLIT (direct)"),
    "national_other": Text("その他国の機関", "Other national agencies"),
    "prefecture": Text("都道府県", "Prefectures"),
    "municipality": Text("市区町村", "Municipalities"),
    "public_corp": Text("公社・公団等", "Public corporations"),
    "private": Text("民間", "Private"),
}
MODEL_TYPE = {
    "mandatory": Text("義務化モデル工事", "Mandatory model project"),
    "recommended": Text("活用推奨モデル工事", "Recommended model project"),
    "none": Text("モデル工事ではない", "Not a model project"),
}
KENTAIKYO_METHOD = {
    "electronic": Text("電子申請方式", "Electronic"),
    "stamp": Text("証紙方式", "Stamps"),
    "none": Text("なし", "None"),
}
DAYS_OFF = {
    "none": Text("指定なし", "None declared"),
    "whole_period": Text("通期（工期全体で28.5%以上）", "Whole period (28.5 % over the period)"),
    "monthly": Text("月単位（毎月28.5%以上）", "Monthly (28.5 % in every month)"),
}
RATES = (
    ("business_registration_rate", Text("事業者登録率", "Business registration rate"),
     "registered_businesses", "businesses", OKABE_ITO["blue"], "target_business_registration_rate",
     "minimum_business_registration_rate"),
    ("worker_registration_rate", Text("技能者登録率", "Worker registration rate"),
     "registered_persons", "persons", OKABE_ITO["vermillion"], "target_worker_registration_rate",
     "minimum_worker_registration_rate"),
    ("card_touch_rate", Text("就業履歴蓄積率（カードタッチ率）", "Card-touch rate (work-history accumulation)"),
     "touched_person_days", "roster_person_days", OKABE_ITO["bluish_green"], "target_card_touch_rate",
     "minimum_card_touch_rate"),
)
SHORT = {"business_registration_rate": Text("事業者登録率", "Businesses"),
         "worker_registration_rate": Text("技能者登録率", "Workers"),
         "card_touch_rate": Text("就業履歴蓄積率", "Card touch")}
YES, NO = Text("はい", "yes"), Text("いいえ", "no")
TITLE = Text("工事別 CCUS 活用状況", "CCUS use per project")
FOOTER = Text(
    "この工事の発注者と元請のためのページです。現場の数値は秘匿処理をしていませんが、技能者を特定する"
    "情報（氏名・ID）は一切含みません。各数値は出典欄のgoldマートで確認できます。",
    "For this project's orderer and prime contractor only. The site's own figures are not "
    "suppressed, but nothing names or identifies a worker. Every number can be traced to the gold "
    "mart named beside it.")


# ---------------------------------------------------------------- data

@dataclass
class ProjectData:
    sites: pd.DataFrame                        # one row per public-works site with its attributes
    marts: dict[str, pd.DataFrame | None] = field(default_factory=dict)
    as_of: date | None = None

    _by_site: dict[str, SiteRows] = field(default_factory=dict, repr=False)

    def of(self, mart: str, site_id: str) -> list[dict] | None:
        """The mart's rows of one site as dicts, in the order the page shows them (see _ORDER);
        an empty list when it has none, None without the mart."""
        frame = self.marts.get(mart)
        if frame is None:
            return None
        if mart not in self._by_site:   # split each mart once, not once per page
            self._by_site[mart] = SiteRows(frame, _ORDER.get(mart, ()))
        return self._by_site[mart].rows(site_id)

    def missing(self) -> list[str]:
        return [m for m in SITE_MARTS if self.marts.get(m) is None]


_DATES = {
    MEASUREMENTS: ("measured_on", "start_on", "end_on"),
    SCORES: ("start_on", "end_on", "last_measured_on"),
    KENTAIKYO: ("month",), KENTAIKYO_BUSINESS: ("month",), INSURANCE: ("month",), WORKTIME: ("month",),
    CLOSURE: ("start_on", "end_on", "period_start", "period_end", "as_of_date"),
    CLOSURE_MONTHLY: ("month", "first_day", "last_day"),
}
_REQUIRED = {
    MEASUREMENTS: ("site_id", "measured_on", "business_registration_rate", "worker_registration_rate",
                   "card_touch_rate"),
    SCORES: ("site_id", "model_project_type", "avg_business_registration_rate", "avg_worker_registration_rate",
             "avg_card_touch_rate", "points"),
    KENTAIKYO: ("site_id", "month", "days_due", "amount_due_yen", "days_reported", "amount_reported_yen",
                "coverage", "shortfall_yen", "is_mixed_method"),
    KENTAIKYO_BUSINESS: ("site_id", "month", "business_id"),
    INSURANCE: ("site_id", "month", "person_days", "checked_ccus", "checked_document", "not_checked",
                "admitted_uninsured_person_days"),
    WORKTIME: ("site_id", "month", "workers"),
    CLOSURE: ("site_id", "counted_days", "closed_days"),
    CLOSURE_MONTHLY: ("site_id", "month", "counted_days", "closed_days", "closure_rate"),
}
# the order of a site's rows on its page ((column, ascending), ...); a mart not named here keeps
# its own order (one row per site: the first is shown)
_ORDER = {
    MEASUREMENTS: (("measured_on", True),),
    KENTAIKYO: (("month", True),), INSURANCE: (("month", True),), WORKTIME: (("month", True),),
    CLOSURE_MONTHLY: (("month", True),),
    _KENTAIKYO_BUSINESS_TOTALS: (("is_prime", False), ("days_due", False)),   # the prime first, then the largest
}
# site attributes, from whichever mart has them first
_ATTRIBUTES = ("site_name", "prefecture_code", "orderer_type", "prime_business_id", "model_project_type",
               "two_days_off_type", "kentaikyo_method", "start_on", "end_on")


def _none_if_missing(value):
    if value is None:
        return None
    kind = type(value)
    if kind is float:                  # the common cases first, without pandas (called ~150 times a page)
        return None if value != value else value
    if kind is int or kind is str or kind is bool:
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def load(gold: Location, as_of: date | None = None) -> ProjectData:
    """Read the site-level compliance marts; rows dated after ``as_of`` (when given) are left out."""
    marts: dict[str, pd.DataFrame | None] = {}
    for mart in SITE_MARTS:
        frame = read_mart(gold, mart, required=_REQUIRED[mart])
        if frame is not None:
            for column in _DATES[mart]:     # optional columns: convert those present
                if column in frame.columns:
                    frame[column] = [_as_date(v) for v in frame[column]]
            frame["site_id"] = frame["site_id"].astype(str)
            if as_of is not None:
                column = {MEASUREMENTS: "measured_on"}.get(mart, "month")
                if column in frame.columns:
                    frame = frame[[d is not None and d <= as_of for d in frame[column]]]
            frame = frame.reset_index(drop=True)
            if mart == CLOSURE and "closure_rate" not in frame.columns:
                frame["closure_rate"] = [c / n if n else None for c, n in zip(frame["closed_days"], frame["counted_days"])]
        marts[mart] = frame

    business = marts[KENTAIKYO_BUSINESS]
    if business is not None and {"covered_days", "shortfall_yen", "stamp_days_reported", "electronic_days_reported",
                                 "is_prime", "has_stamp_exception", "days_reported"} <= set(business.columns):
        marts[_KENTAIKYO_BUSINESS_TOTALS] = _kentaikyo_business_totals(business)

    public_ids: set[str] = set()
    attributes: dict[str, dict] = {}

    def absorb(frame: pd.DataFrame | None, public_filter: str | None):
        if frame is None or frame.empty:
            return
        rows = frame
        if public_filter is not None and public_filter in frame.columns:
            rows = frame[frame[public_filter].fillna(False).astype(bool)]
        # only the columns read here: records of every column of every row took ~70 MB more at national scale
        rows = rows[["site_id", *(name for name in _ATTRIBUTES if name in rows.columns)]]
        for record in rows.to_dict("records"):
            site_id = record["site_id"]
            public_ids.add(site_id)
            known = attributes.setdefault(site_id, {})
            for name in _ATTRIBUTES:
                if known.get(name) is None and _none_if_missing(record.get(name)) is not None:
                    known[name] = record[name]

    absorb(marts[CLOSURE], "is_public_works")
    absorb(marts[SCORES], None)            # model projects are public works
    absorb(marts[KENTAIKYO], None)         # public works only
    absorb(marts[INSURANCE], "is_public_works")

    records = [{"site_id": s, **{a: attributes.get(s, {}).get(a) for a in _ATTRIBUTES}} for s in sorted(public_ids)]
    sites = pd.DataFrame(records, columns=["site_id", *_ATTRIBUTES])

    if as_of is None:
        candidates = []
        closure = marts[CLOSURE]
        if closure is not None and not closure.empty and "as_of_date" in closure.columns:
            candidates += [d for d in closure["as_of_date"] if d is not None]
        measurements = marts[MEASUREMENTS]
        if measurements is not None and not measurements.empty:
            candidates += [d for d in measurements["measured_on"] if d is not None]
        as_of = max(candidates) if candidates else None
    return ProjectData(sites=sites, marts=marts, as_of=as_of)


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
    return (html.escape(text), "num")


def _source(marts: list[str], as_of: date | None) -> Text:
    when = Text(fmt.jp_date(as_of), fmt.en_date(as_of)) if as_of else Text(fmt.MISSING, fmt.MISSING)
    return Text(f"出典（goldマート）: {'／'.join(marts)}（データ時点 {when.ja}）",
                f"Source (gold marts): {' / '.join(marts)} (data as of {when.en})")


def _source_note(marts: list[str], as_of: date | None) -> str:
    return layout.paragraph(_source(marts, as_of), "source")


def _site_href(site_id: str, depth: int) -> str:
    return f"{'../' * depth}{site_id}/index.html"


def _bilingual(build) -> Chart:
    """charts.bilingual for figures written as plain dicts (no plotly validation: fast for tens
    of thousands of pages). ``build(lang)`` returns {"data": [...], "layout": {...}} holding JSON
    values only (str, int, float, bool, None, lists, dicts): the page embeds it as it is."""
    figures = {lang: build(lang) for lang in LANGS}
    first, *others = LANGS
    labels = {lang: {"layout": {}, "traces": []} for lang in LANGS}
    base = figures[first]
    for other in others:
        fig = figures[other]
        if len(fig["data"]) != len(base["data"]):
            raise ValueError("the language versions of a chart have different traces")
        charts._diff(base["layout"], fig["layout"], "", labels[first]["layout"], labels[other]["layout"])
        for a, b in zip(base["data"], fig["data"]):
            ours, theirs = {}, {}
            charts._diff(a, b, "", ours, theirs)
            if {p.split(".")[0].split("[")[0] for p in ours} & {"x", "y", "type"}:
                raise ValueError("a chart differs in data between languages")
            labels[first]["traces"].append(ours)
            labels[other]["traces"].append(theirs)
    return Chart(figure=base, labels=labels)


def _layout(lang: str, *, title: Text, subtitle: Text, source: Text, height: int = 420) -> dict:
    out = charts.layout(lang, title=title, subtitle=subtitle, source=source, height=height)
    out.pop("template", None)
    out["margin"] = dict(l=70, r=150, t=120, b=80)
    return out


def _rate_axis(lang: str, title: Text) -> dict:
    return dict(title=dict(text=title[lang]), range=[0, 1.05], tickformat=".0%", gridcolor="#DDDDDD",
                zeroline=True, zerolinecolor="#999999")


def _month_axis(lang: str, months) -> dict:
    """Months as categories labelled YYYY-MM (the same in both languages): a single month is a
    proper bar, and only months with data take room."""
    return dict(type="category", gridcolor="#DDDDDD")


def _months(rows: list[dict]) -> list[str]:
    return [r["month"].strftime("%Y-%m") for r in rows]


def _iso(days) -> list[str]:
    return [d.isoformat() for d in days]


def _threshold_line(y: float, label: str, color: str, dash: str) -> tuple[dict, dict]:
    shape = dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=y, y1=y,
                 line=dict(color=color, width=1.5, dash=dash))
    note = dict(xref="paper", x=1.0, xanchor="left", yref="y", y=y, text=label, showarrow=False,
                font=dict(size=11, color=color), align="left")
    return shape, note


# ---------------------------------------------------------------- sections of a site page

def _overview(site: dict, score: dict | None, data: ProjectData, depth: int) -> str:
    prime = _none_if_missing(site.get("prime_business_id"))
    orderer = _none_if_missing(site.get("orderer_type"))
    prime_link = (f'<a href="../by_prime/{html.escape(prime)}.html" data-keep-lang>{html.escape(prime)}</a>'
                  if prime else fmt.MISSING)
    orderer_link = (f'<a href="../by_orderer/{html.escape(orderer)}.html" data-keep-lang>'
                    f'{_text_of(ORDERER, orderer).html()}</a>' if orderer else fmt.MISSING)
    period = Text(f"{fmt.jp_date(_none_if_missing(site.get('start_on')))} 〜 {fmt.jp_date(_none_if_missing(site.get('end_on')))}",
                  f"{fmt.en_date(_none_if_missing(site.get('start_on')))} – {fmt.en_date(_none_if_missing(site.get('end_on')))}")
    rows = [
        [(Text("現場ID", "Site id"), ""), (html.escape(site["site_id"]), "")],
        [(Text("現場名", "Site name"), ""), (html.escape(str(site.get("site_name") or fmt.MISSING)), "")],
        [(Text("都道府県", "Prefecture"), ""), (_prefecture(site.get("prefecture_code")), "")],
        [(Text("発注者区分", "Orderer"), ""), (orderer_link, "")],
        [(Text("元請（事業者ID）", "Prime contractor (business id)"), ""), (prime_link, "")],
        [(Text("工期", "Construction period"), ""), (period, "")],
        [(Text("モデル工事区分", "Model project"), ""), (_text_of(MODEL_TYPE, site.get("model_project_type")), "")],
        [(Text("建退共方式", "建退共 method"), ""), (_text_of(KENTAIKYO_METHOD, site.get("kentaikyo_method")), "")],
        [(Text("週休2日区分", "Two days off a week"), ""), (_text_of(DAYS_OFF, site.get("two_days_off_type")), "")],
    ]
    if score is not None:
        rows.append([(Text("工事成績評定の加減点（これまでの平均による）", "Points (工事成績評定, on the averages so far)"), ""),
                     (html.escape(_points_text(score.get("points"))), "num")])
    table = layout.table([Text("項目", "Item"), Text("内容", "Value")], rows)
    return layout.section("overview", Text("工事の概要", "The project"), table)


def _points_text(points) -> str:
    points = _none_if_missing(points)
    if points is None:
        return fmt.MISSING
    return f"{int(points):+d}"


def _model_project_section(site_id: str, data: ProjectData) -> str | None:
    score_rows = data.of(SCORES, site_id)
    measurements = data.of(MEASUREMENTS, site_id)
    if score_rows is None and measurements is None:
        return layout.section("model-project", Text("CCUSモデル工事", "CCUS model project"),
                              layout.unavailable(SCORES, MEASUREMENTS))
    if not score_rows and not measurements:
        return None   # not a model project
    score = score_rows[0] if score_rows else {}
    parts = []
    if measurements:   # in date order
        parts.append(layout.chart(f"chart-rates-{site_id}", _rates_chart(measurements, score, data.as_of)))
        parts.append(_measurements_table(measurements))
    else:
        parts.append(layout.paragraph(Text(
            "まだ測定日（工事開始から6か月後、以後3か月ごと、および工期末）が来ていません。",
            "No measurement date yet (month 6 after the start, every 3 months after, and the end date)."),
            "note"))
    if score:
        parts.append(_points_table(score))
    parts.append(_source_note([MEASUREMENTS, SCORES], data.as_of))
    return layout.section(
        "model-project", Text("CCUSモデル工事：3つの率と加減点", "CCUS model project: the three rates and the points"),
        "\n".join(parts),
        lead=Text("工事開始から各測定日までの累計。破線は加点の目標（90%・80%・50%）、点線は義務化モデル工事の"
                  "減点の下限（70%・60%・30%）。加減点はこれまでの測定日の率の平均で判定します。",
                  "Cumulative from the start to each measurement date. Dashed lines: the targets of the point "
                  "(90 % / 80 % / 50 %); dotted lines: the minimums below which a mandatory project loses a "
                  "point (70 % / 60 % / 30 %). Points are judged on the mean of the rates so far."))


def _rates_chart(measurements: list[dict], score: dict, as_of: date | None) -> Chart:
    def build(lang: str) -> dict:
        x = _iso(r["measured_on"] for r in measurements)
        traces, shapes, notes = [], [], []
        for column, name, numerator, denominator, color, target_col, minimum_col in RATES:
            y = [_none_if_missing(r[column]) for r in measurements]
            custom = [f"{_int(r.get(numerator))} / {_int(r.get(denominator))}" for r in measurements]
            traces.append(dict(type="scatter", mode="lines+markers", x=x, y=y, name=name[lang],
                               line=dict(color=color, width=2.5), marker=dict(size=9, color=color),
                               customdata=custom,
                               hovertemplate=f"{name[lang]}<br>%{{x|%Y-%m-%d}}: %{{y:.1%}} (%{{customdata}})<extra></extra>"))
            target = _none_if_missing(score.get(target_col))
            if target is not None:
                label = (f"目標 {fmt.percent(target, 0)}" if lang == "ja" else f"target {fmt.percent(target, 0)}")
                shape, note = _threshold_line(target, f"{SHORT[column][lang]} {label}", color, "dash")
                shapes.append(shape)
                notes.append(note)
            minimum = _none_if_missing(score.get(minimum_col))
            if minimum is not None:
                label = (f"下限 {fmt.percent(minimum, 0)}" if lang == "ja" else f"minimum {fmt.percent(minimum, 0)}")
                shape, note = _threshold_line(minimum, f"{SHORT[column][lang]} {label}", color, "dot")
                shapes.append(shape)
                notes.append(note)
        figure_layout = _layout(lang, title=Text("測定日ごとの3つの率", "The three rates at each measurement date"),
                                subtitle=Text("工事開始から測定日までの累計（分子／分母はカーソルを合わせると表示）",
                                              "Cumulative from the start to the date (hover for numerator / denominator)"),
                                source=_source([MEASUREMENTS, SCORES], as_of), height=460)
        figure_layout["annotations"] = figure_layout["annotations"] + notes
        figure_layout.update(shapes=shapes, xaxis=dict(charts.date_axis(lang),
                                                       tickformat="%Y年%-m月%-d日" if lang == "ja" else "%d %b %Y"),
                             yaxis=_rate_axis(lang, Text("率", "Rate")))
        return {"data": traces, "layout": figure_layout}
    return _bilingual(build)


def _measurements_table(measurements: list[dict]) -> str:
    kinds = {"first": Text("6か月後", "month 6"), "periodic": Text("3か月ごと", "every 3 months"),
             "end_on": Text("工期末", "end date")}
    rows = []
    for r in measurements:
        rows.append([
            (_date_text(r["measured_on"]), ""),
            (_text_of(kinds, r.get("measurement_kind")), ""),
            _num(f"{_pct(r['business_registration_rate'])} ({_int(r.get('registered_businesses'))}/{_int(r.get('businesses'))})"),
            _num(f"{_pct(r['worker_registration_rate'])} ({_int(r.get('registered_persons'))}/{_int(r.get('persons'))})"),
            _num(f"{_pct(r['card_touch_rate'])} ({_int(r.get('touched_person_days'))}/{_int(r.get('roster_person_days'))})"),
            _num(_int(r.get("untouched_person_days"))),
            _num(_int(r.get("unrostered_work_history_days"))),
        ])
    return layout.table([
        Text("測定日", "Measured on"), Text("区分", "Kind"),
        Text("事業者登録率（登録/全体）", "Businesses registered (reg./all)"),
        Text("技能者登録率（登録/全体）", "Workers registered (reg./all)"),
        Text("就業履歴蓄積率（タッチ/名簿人日）", "Card touch (touched/roster person-days)"),
        Text("タッチのない名簿人日", "Roster person-days without a touch"),
        Text("名簿にない就業履歴（参考・率の外）", "Touches without a roster row (data quality, outside the rate)"),
    ], rows)


def _points_table(score: dict) -> str:
    rows = []
    for column, name, _, _, _, target_col, minimum_col in RATES:
        rows.append([
            (name, ""),
            _num(_pct(score.get(f"avg_{column}"))),
            _num(_pct(score.get(target_col))),
            _num(_pct(score.get(minimum_col))),
        ])
    table = layout.table([Text("率", "Rate"), Text("これまでの平均", "Average so far"), Text("加点の目標", "Target"),
                          Text("減点の下限（義務化モデル）", "Minimum (mandatory)")], rows)
    summary = Text(
        f"測定日 {_int(score.get('measurements'))} 回の平均。目標達成（+1）: {_flag(score.get('meets_target_all_three')).ja}、"
        f"技能者登録率{_pct(score.get('extra_worker_registration_rate'))}以上の追加点（+1）: "
        f"{_flag(score.get('meets_extra_worker_rate')).ja}、下限割れ（-1）: {_flag(score.get('is_below_minimum')).ja}。"
        f"加減点 {_points_text(score.get('points'))}。",
        f"Mean over {_int(score.get('measurements'))} measurement date(s). Targets met (+1): "
        f"{_flag(score.get('meets_target_all_three')).en}; worker registration at or above "
        f"{_pct(score.get('extra_worker_registration_rate'))} for the extra point (+1): "
        f"{_flag(score.get('meets_extra_worker_rate')).en}; below a minimum (-1): "
        f"{_flag(score.get('is_below_minimum')).en}. Points {_points_text(score.get('points'))}.")
    return table + layout.paragraph(summary, "lead")


def _kentaikyo_section(site_id: str, data: ProjectData) -> str:
    heading = Text("建退共：掛金充当の状況", "建退共 (construction workers' retirement fund) contributions")
    months = data.of(KENTAIKYO, site_id)   # in month order
    if months is None:
        return layout.section("kentaikyo", heading, layout.unavailable(KENTAIKYO))
    if not months:
        return layout.section("kentaikyo", heading, layout.paragraph(Text(
            "この工事の建退共の対象日（共済手帳のある技能者の就業履歴）と報告はまだありません。",
            "No 建退共 days due (work-history days of member workers) and no reports for this project yet.")))

    def build(lang: str) -> dict:
        x = _months(months)
        due = Text("対象日数（就業履歴）", "Days due (work history)")
        covered = Text("充当済み日数", "Days covered")
        coverage = Text("充当率", "Coverage")
        traces = [
            dict(type="bar", x=x, y=[int(r["days_due"]) for r in months], name=due[lang], marker=dict(color=OKABE_ITO["sky_blue"]),
                 hovertemplate=f"{due[lang]} %{{x}}: %{{y}}<extra></extra>"),
            dict(type="bar", x=x, y=[int(r["covered_days"]) for r in months] if "covered_days" in months[0] else [],
                 name=covered[lang], marker=dict(color=OKABE_ITO["blue"]),
                 hovertemplate=f"{covered[lang]} %{{x}}: %{{y}}<extra></extra>"),
            dict(type="scatter", mode="lines+markers", x=x, y=[_none_if_missing(r["coverage"]) for r in months],
                 name=coverage[lang], yaxis="y2",
                 line=dict(color=OKABE_ITO["vermillion"], width=2.5),
                 hovertemplate=f"{coverage[lang]} %{{x}}: %{{y:.1%}}<extra></extra>"),
        ]
        figure_layout = _layout(lang, title=Text("月別の対象日数と充当", "Days due and covered per month"),
                                subtitle=Text("充当済み＝技能者ごとに min(報告日数, 対象日数) を合計",
                                              "Covered = Σ per worker min(days reported, days due)"),
                                source=_source([KENTAIKYO], data.as_of))
        figure_layout.update(barmode="group", xaxis=_month_axis(lang, None),
                             yaxis=dict(title=dict(text="日数" if lang == "ja" else "Days"), gridcolor="#DDDDDD",
                                        rangemode="tozero"),
                             yaxis2=dict(title=dict(text="充当率" if lang == "ja" else "Coverage"), overlaying="y",
                                         side="right", range=[0, 1.05], tickformat=".0%", showgrid=False))
        figure_layout["margin"]["r"] = 80
        return {"data": traces, "layout": figure_layout}

    rows = []
    for r in months:
        flags = []
        if _none_if_missing(r.get("is_mixed_method")):
            flags.append(Text("電子・証紙の混在", "mixed methods"))
        if _none_if_missing(r.get("is_electronic_without_reports")):
            flags.append(Text("電子申請の報告なし", "electronic, no report"))
        if _none_if_missing(r.get("has_over_reporting")):
            flags.append(Text("就業履歴を超える報告", "reported above the work history"))
        flag_text = Text("・".join(f.ja for f in flags) or "—", ", ".join(f.en for f in flags) or "—")
        rows.append([
            (_month_text(r["month"]), ""),
            _num(_int(r["days_due"])), _num(_int(r["days_reported"])), _num(_int(r.get("covered_days"))),
            _num(_pct(r["coverage"])), (_yen(r["amount_due_yen"]), "num"), (_yen(r["amount_reported_yen"]), "num"),
            (_yen(r["shortfall_yen"]), "num"), (flag_text, ""),
        ])
    table = layout.table([
        Text("月", "Month"), Text("対象日数", "Days due"), Text("報告日数", "Days reported"),
        Text("充当済み日数", "Days covered"), Text("充当率", "Coverage"), Text("掛金（対象）", "Amount due"),
        Text("掛金（報告）", "Amount reported"), Text("不足額", "Shortfall"), Text("注意", "Flags"),
    ], rows)
    parts = [layout.chart(f"chart-kentaikyo-{site_id}", _bilingual(build)), table]
    businesses = data.of(_KENTAIKYO_BUSINESS_TOTALS, site_id)   # the prime first, then by days due
    if businesses:
        parts.append(_kentaikyo_business_table(businesses))
    parts.append(_source_note([KENTAIKYO, KENTAIKYO_BUSINESS], data.as_of))
    return layout.section("kentaikyo", heading, "\n".join(parts), lead=Text(
        "対象日数＝建退共の共済手帳（被共済者番号）のある技能者の就業履歴日数。掛金は就業日の日額（2021年9月30日まで"
        "310円、10月1日から320円）。充当率と不足額は技能者ごとに計算してから合計します。",
        "Days due = work-history days of workers with a 建退共 member number, at the daily rate in force on "
        "each work date (310 yen up to 30 Sep 2021, 320 yen from 1 Oct 2021). Coverage and shortfall are "
        "computed per worker first, then summed."))


def _kentaikyo_business_totals(businesses: pd.DataFrame) -> pd.DataFrame:
    """Per site and business, the whole period summed (computed once for every page)."""
    frame = businesses.assign(business_id=businesses["business_id"].fillna(""),
                              is_prime=businesses["is_prime"].fillna(False).astype(bool),
                              has_stamp_exception=businesses["has_stamp_exception"].fillna(False).astype(bool))
    return frame.groupby(["site_id", "business_id"]).agg(
        days_due=("days_due", "sum"), days_reported=("days_reported", "sum"), covered_days=("covered_days", "sum"),
        shortfall_yen=("shortfall_yen", "sum"), stamp_days=("stamp_days_reported", "sum"),
        electronic_days=("electronic_days_reported", "sum"),
        is_prime=("is_prime", "max"), has_stamp_exception=("has_stamp_exception", "max")).reset_index()


def _kentaikyo_business_table(totals: list[dict]) -> str:
    rows = []
    for r in totals:
        due = int(r["days_due"])
        rows.append([
            (html.escape(str(_none_if_missing(r["business_id"]) or fmt.MISSING)), ""),
            (_flag(r["is_prime"]), ""), (_flag(r["has_stamp_exception"]), ""),
            _num(_int(due)), _num(_int(r["covered_days"])),
            _num(fmt.percent(r["covered_days"] / due) if due else fmt.MISSING),
            _num(_int(r["electronic_days"])), _num(_int(r["stamp_days"])), (_yen(r["shortfall_yen"]), "num"),
        ])
    return ('<h3 data-section="kentaikyo-business">' + Text("事業者別（全期間の合計）", "Per business (whole period)").html()
            + "</h3>" + layout.table([
                Text("事業者ID", "Business id"), Text("元請", "Prime"), Text("証紙例外", "Stamp exception"),
                Text("対象日数", "Days due"), Text("充当済み日数", "Days covered"), Text("充当率", "Coverage"),
                Text("電子申請日数", "Electronic days"), Text("証紙日数", "Stamp days"), Text("不足額", "Shortfall"),
            ], rows))


def _insurance_section(site_id: str, data: ProjectData) -> str:
    heading = Text("社会保険の加入確認（現場入場時）", "Social insurance checks at site entry")
    months = data.of(INSURANCE, site_id)   # in month order
    if months is None:
        return layout.section("insurance", heading, layout.unavailable(INSURANCE))
    if not months:
        return layout.section("insurance", heading, layout.paragraph(Text(
            "この工事の作業員名簿はまだありません。", "No roster of this project yet.")))

    def build(lang: str) -> dict:
        x = _months(months)
        series = (("checked_ccus", Text("CCUSで確認", "Checked through CCUS"), OKABE_ITO["blue"]),
                  ("checked_document", Text("書類で確認", "Checked on documents"), OKABE_ITO["sky_blue"]),
                  ("not_checked", Text("確認なし", "Not checked"), OKABE_ITO["orange"]))
        traces = [dict(type="bar", x=x, y=[int(r[col]) for r in months], name=name[lang],  marker=dict(color=color),
                       hovertemplate=f"{name[lang]} %{{x}}: %{{y}}<extra></extra>")
                  for col, name, color in series]
        violation = Text("未加入・不明のまま入場（人日）", "Admitted uninsured (person-days)")
        traces.append(dict(type="scatter", mode="lines+markers", x=x,
                           y=[int(r["admitted_uninsured_person_days"]) for r in months], name=violation[lang],  line=dict(color=OKABE_ITO["vermillion"], width=2.5),
                           hovertemplate=f"{violation[lang]} %{{x}}: %{{y}}<extra></extra>"))
        figure_layout = _layout(lang, title=Text("名簿人日の保険確認方法", "How insurance was checked, per roster person-day"),
                                subtitle=Text("棒＝確認方法別の人日、線＝保険未加入・不明のまま入場させた人日（入場ルール違反）",
                                              "Bars: person-days by check method; line: person-days admitted while "
                                              "uninsured (breaking the admission rule)"),
                                source=_source([INSURANCE], data.as_of))
        figure_layout.update(barmode="stack", xaxis=_month_axis(lang, None),
                             yaxis=dict(title=dict(text="人日" if lang == "ja" else "Person-days"), gridcolor="#DDDDDD",
                                        rangemode="tozero"))
        figure_layout["margin"]["r"] = 40
        return {"data": traces, "layout": figure_layout}

    rows = []
    for r in months:
        days = int(r["person_days"])
        share = (lambda v: fmt.percent(v / days) if days else fmt.MISSING)
        rows.append([
            (_month_text(r["month"]), ""), _num(_int(days)), _num(_int(r.get("persons"))),
            _num(f"{_int(r['checked_ccus'])} ({share(r['checked_ccus'])})"),
            _num(f"{_int(r['checked_document'])} ({share(r['checked_document'])})"),
            _num(f"{_int(r['not_checked'])} ({share(r['not_checked'])})"),
            _num(_int(r.get("refused_person_days"))), _num(_int(r["admitted_uninsured_person_days"])),
        ])
    table = layout.table([
        Text("月", "Month"), Text("名簿人日", "Roster person-days"), Text("人数", "Persons"),
        Text("CCUSで確認", "Through CCUS"), Text("書類で確認", "On documents"), Text("確認なし", "Not checked"),
        Text("入場不可", "Refused"), Text("未加入・不明のまま入場", "Admitted uninsured"),
    ], rows)
    return layout.section("insurance", heading, "\n".join([
        layout.chart(f"chart-insurance-{site_id}", _bilingual(build)), table,
        _source_note([INSURANCE], data.as_of)]), lead=Text(
        "作業員名簿の人日ごとに、元請が社会保険の加入をどう確認したか。健康保険・年金・雇用保険のいずれかが"
        "未加入または不明（適用除外を除く）のまま入場させた人日は入場ルール違反です。",
        "For each roster person-day, how the prime checked social insurance. A person-day admitted while any "
        "of health, pension or employment insurance was not enrolled or unknown (exempt aside) breaks the "
        "admission rule."))


def _worktime_section(site_id: str, data: ProjectData) -> str:
    heading = Text("働き方：労働時間の上限と休日", "Working time: the caps")
    months = data.of(WORKTIME, site_id)   # in month order
    if months is None:
        return layout.section("worktime", heading, layout.unavailable(WORKTIME))
    if not months:
        return layout.section("worktime", heading, layout.paragraph(Text(
            "この工事の就業履歴はまだありません。", "No work history of this project yet.")))
    rows = []
    for r in months:
        in_force = bool(_none_if_missing(r.get("caps_in_force")))
        cap = (lambda col: _int(r.get(col)) if in_force else "—")
        rows.append([
            (_month_text(r["month"]), ""), _num(_int(r["workers"])), _num(_int(r.get("work_history_days"))),
            _num(_int(r.get("unknown_hours_days"))), _num(_hours(r.get("work_hours"))),
            _num(_hours(r.get("overtime_hours_on_site"))), _num(_hours(r.get("holiday_work_hours"))),
            _num(cap("workers_above_45h")), _num(cap("workers_over_100h")), _num(cap("workers_over_80h_avg")),
            _num(cap("workers_over_45h_7th_month")), _num(cap("workers_over_720h")),
        ])
    table = layout.table([
        Text("月", "Month"), Text("技能者数", "Workers"), Text("就業履歴日数", "Work-history days"),
        Text("退場記録なし（時間不明）", "No exit (hours unknown)"), Text("労働時間", "Work hours"),
        Text("時間外（この現場の日）", "Overtime (days at this site)"), Text("休日労働", "Holiday work"),
        Text("月45時間超", "Over 45 h"), Text("月100時間以上", "100 h or more"),
        Text("2〜6か月平均80時間超", "2-6-month average over 80 h"), Text("45時間超が年7回目", "7th month over 45 h"),
        Text("年720時間超", "Year over 720 h"),
    ], rows)
    return layout.section("worktime", heading, table + _source_note([WORKTIME], data.as_of), lead=Text(
        "この現場で働いた技能者のうち、上限（2024年4月1日から建設業に適用）を超えた人数。上限の判定は技能者の"
        "全現場の時間で行います。労働時間＝在場時間−休憩（8時間超1時間、6時間超45分）、日曜・祝日の就業は休日労働。"
        "2024年3月以前は「—」（適用前）。",
        "How many of the workers of this site exceeded a cap (applying to construction from 1 Apr 2024); the caps "
        "are judged on each worker's hours at all sites. Work hours = time on site - one break (1 h over 8 h, "
        "45 min over 6 h); work on Sundays and national holidays is holiday work. Before April 2024: '—'."))


def _closure_section(site_id: str, data: ProjectData) -> str:
    heading = Text("4週8休（現場閉所）", "Four closed days in four weeks (4週8休)")
    sites = data.of(CLOSURE, site_id)
    months = data.of(CLOSURE_MONTHLY, site_id)   # in month order
    if sites is None:
        return layout.section("closure", heading, layout.unavailable(CLOSURE))
    if not sites:
        return layout.section("closure", heading, layout.paragraph(Text(
            "工期がまだ始まっていません。", "The construction period has not started yet.")))
    site = sites[0]
    threshold = _none_if_missing(site.get("threshold")) or 0.285
    parts = []
    if months:
        def build(lang: str) -> dict:
            x = _months(months)
            rate = Text("閉所率", "Closure rate")
            colors = [OKABE_ITO["bluish_green"] if _none_if_missing(r.get("meets_4w8c")) else OKABE_ITO["vermillion"]
                      for r in months]
            custom = [f"{_int(r['closed_days'])} / {_int(r['counted_days'])}" for r in months]
            traces = [dict(type="bar", x=x, y=[_none_if_missing(r["closure_rate"]) for r in months], name=rate[lang],  marker=dict(color=colors), customdata=custom,
                           hovertemplate=f"{rate[lang]} %{{x}}: %{{y:.1%}} (%{{customdata}})<extra></extra>")]
            label = (f"基準 {fmt.percent(threshold)}（4週8休）" if lang == "ja" else f"threshold {fmt.percent(threshold)}")
            shape, note = _threshold_line(threshold, label, OKABE_ITO["black"], "dash")
            figure_layout = _layout(lang, title=Text("月別の閉所率", "Closure rate per month"),
                                    subtitle=Text("閉所日／対象日（年末年始12/29〜1/3と夏季8/13〜15を除く）。緑＝基準以上、赤＝未満",
                                                  "Closed days / counted days (29 Dec - 3 Jan and 13-15 Aug left out). "
                                                  "Green: at or above the threshold; red: below"),
                                    source=_source([CLOSURE_MONTHLY, CLOSURE], data.as_of))
            figure_layout["annotations"] = figure_layout["annotations"] + [note]
            figure_layout.update(shapes=[shape], showlegend=False, xaxis=_month_axis(lang, None),
                                 yaxis=_rate_axis(lang, Text("閉所率", "Closure rate")))
            return {"data": traces, "layout": figure_layout}
        parts.append(layout.chart(f"chart-closure-{site_id}", _bilingual(build)))
    declared = _none_if_missing(site.get("two_days_off_type"))
    rows = [
        [(Text("対象期間", "Period judged"), ""),
         (Text(f"{fmt.jp_date(_none_if_missing(site.get('period_start')))} 〜 {fmt.jp_date(_none_if_missing(site.get('period_end')))}",
               f"{fmt.en_date(_none_if_missing(site.get('period_start')))} – {fmt.en_date(_none_if_missing(site.get('period_end')))}"), "")],
        [(Text("対象日（除外日を除く）", "Counted days (exclusions left out)"), ""), _num(_int(site["counted_days"]))],
        [(Text("閉所日", "Closed days"), ""), _num(_int(site["closed_days"]))],
        [(Text("閉所率（工期全体）", "Closure rate (whole period)"), ""), _num(_pct(site["closure_rate"]))],
        [(Text("通期で4週8休", "4週8休 over the whole period"), ""), (_flag(site.get("meets_4w8c_whole_period")), "")],
        [(Text("毎月4週8休", "4週8休 in every month"), ""), (_flag(site.get("meets_4w8c_monthly")), "")],
        [(Text("週休2日区分", "Declared type"), ""), (_text_of(DAYS_OFF, declared), "")],
        [(Text("区分どおり達成", "Meets its declared type"), ""), (_flag(site.get("meets_declared_type")), "")],
    ]
    parts.append(layout.table([Text("項目", "Item"), Text("値", "Value")], rows))
    if not _none_if_missing(site.get("is_period_complete")):
        parts.append(layout.paragraph(Text("工期途中のため、データ時点までの値です。",
                                           "The period is not over: figures up to the data's as-of date.")))
    parts.append(_source_note([CLOSURE, CLOSURE_MONTHLY], data.as_of))
    return layout.section("closure", heading, "\n".join(parts), lead=Text(
        "閉所日＝就業履歴も作業員名簿もない日。閉所率＝閉所日÷対象日が28.5%以上で4週8休。",
        "A closed day has neither a work-history day nor a roster row. 4週8休 is met when closed days / counted "
        "days is at least 28.5 %."))


def build_site_page(site: dict, data: ProjectData) -> str:
    site_id = site["site_id"]
    score_rows = data.of(SCORES, site_id)
    score = score_rows[0] if score_rows else None
    sections = [_overview(site, score, data, depth=2)]
    model = _model_project_section(site_id, data)
    if model:
        sections.append(model)
    sections += [_kentaikyo_section(site_id, data), _insurance_section(site_id, data),
                 _worktime_section(site_id, data), _closure_section(site_id, data)]
    name = str(site.get("site_name") or site_id)
    title = Text(f"{name}（{site_id}）— 工事別 CCUS 活用状況", f"{name} ({site_id}) — CCUS use on this project")
    nav = (f'<p class="note"><a href="../index.html" data-keep-lang>{Text("工事の一覧へ", "All projects").html()}</a></p>')
    return layout.page(title=title, body=nav + "\n".join(sections), as_of=_as_of_text(data.as_of), depth=2,
                       with_charts=True, footer=FOOTER)


def _as_of_text(as_of: date | None) -> Text | None:
    return None if as_of is None else Text(fmt.jp_date(as_of), fmt.en_date(as_of))


# ---------------------------------------------------------------- indexes

def _summary(data: ProjectData) -> pd.DataFrame:
    """One row per site with the headline figures of the index tables."""
    out = data.sites.copy()
    scores = data.marts.get(SCORES)
    points = {} if scores is None else dict(zip(scores["site_id"], scores["points"]))
    out["points"] = out["site_id"].map(points)
    closure = data.marts.get(CLOSURE)
    if closure is not None:
        out["closure_rate"] = out["site_id"].map(dict(zip(closure["site_id"], closure["closure_rate"])))
        declared = closure["meets_declared_type"] if "meets_declared_type" in closure else [None] * len(closure)
        out["meets_declared_type"] = out["site_id"].map(dict(zip(closure["site_id"], declared)))
    else:
        out["closure_rate"], out["meets_declared_type"] = None, None
    kentaikyo = data.marts.get(KENTAIKYO)
    if kentaikyo is not None and not kentaikyo.empty:
        totals = kentaikyo.groupby("site_id")[["days_due", "covered_days", "shortfall_yen"]].sum()
        coverage = {s: (c / d if d else None) for s, c, d in zip(totals.index, totals["covered_days"], totals["days_due"])}
        out["coverage"] = out["site_id"].map(coverage)
        out["shortfall_yen"] = out["site_id"].map(dict(zip(totals.index, totals["shortfall_yen"])))
    else:
        out["coverage"], out["shortfall_yen"] = None, None
    insurance = data.marts.get(INSURANCE)
    if insurance is not None and not insurance.empty:
        violations = insurance.groupby("site_id")["admitted_uninsured_person_days"].sum()
        out["admitted_uninsured"] = out["site_id"].map(dict(zip(violations.index, violations)))
    else:
        out["admitted_uninsured"] = None
    return out


def _prefecture(code) -> Text:
    """東京都（13） / Tokyo (13): the name a reader knows, the code the marts use."""
    if code is None or (isinstance(code, float) and pd.isna(code)) or code == "":
        return Text(fmt.MISSING, fmt.MISSING)
    name = names.prefecture(code)
    return Text(f"{name.ja}（{code}）", f"{name.en} ({code})")


_SITE_TABLE_HEADERS = [
    Text("工事", "Project"), Text("現場ID", "Site id"), Text("都道府県", "Pref."), Text("発注者", "Orderer"),
    Text("元請", "Prime"), Text("モデル工事", "Model project"), Text("加減点", "Points"),
    Text("建退共充当率", "建退共 coverage"), Text("未加入入場（人日）", "Admitted uninsured"),
    Text("閉所率", "Closure rate"), Text("週休2日区分どおり", "Meets declared days off"),
]
_ROW_LINK = '<tr><td><a href="'   # how a site table row starts: the link to the site's page


@dataclass
class _SiteTable:
    """Every site's row of the index tables, rendered once (a site is listed on the index, on its
    orderer type's page and on its prime's page), in table order: orderer type, prefecture, site id.

    ``rows[i]`` is the row of ``records[i]`` with links for a page at the projects folder
    (depth 0); pages one folder further down get them through :meth:`table`."""
    records: list[dict]
    rows: list[str]

    @classmethod
    def of(cls, summary: pd.DataFrame) -> "_SiteTable":
        ordered = summary.sort_values(["orderer_type", "prefecture_code", "site_id"], na_position="last")
        records = ordered.to_dict("records")
        return cls(records, [layout.table_row(_site_row(r)) for r in records])

    def groups(self, column: str) -> dict:
        """{value of ``column``, None for missing: indexes of its rows, in table order}."""
        out: dict = {}
        for i, r in enumerate(self.records):
            out.setdefault(_none_if_missing(r.get(column)), []).append(i)
        return out

    def table(self, indexes, depth: int) -> str:
        rows = [self.rows[i] for i in indexes]
        if depth:   # the same rows, links one folder up (see _site_href)
            rows = [row.replace(_ROW_LINK, _ROW_LINK + "../" * depth, 1) for row in rows]
        return layout.table_of_rows(_SITE_TABLE_HEADERS, rows)


def _site_row(r: dict) -> list:
    link = f'<a href="{_site_href(r["site_id"], 0)}" data-keep-lang>{html.escape(str(r.get("site_name") or r["site_id"]))}</a>'
    return [
        (link, ""), (html.escape(r["site_id"]), ""), (_prefecture(r.get("prefecture_code")), ""),
        (_text_of(ORDERER, r.get("orderer_type")), ""),
        (html.escape(str(r.get("prime_business_id") or fmt.MISSING)), ""),
        (_text_of(MODEL_TYPE, r.get("model_project_type")), ""),
        _num(_points_text(r.get("points"))), _num(_pct(r.get("coverage"))),
        _num(_int(r.get("admitted_uninsured"))), _num(_pct(r.get("closure_rate"))),
        (_flag(r.get("meets_declared_type")), ""),
    ]


def _index_page(data: ProjectData, table: _SiteTable) -> str:
    sections = [layout.paragraph(Text(
        "公共工事ごとのページです。各ページはその工事の発注者と元請に公開されるもので、現場の数値を秘匿処理なしで"
        "示しますが、技能者を特定する情報は含みません。",
        "One page per public-works project, published to that project's orderer and prime contractor: the "
        "site's own figures, unsuppressed, and nothing that identifies a worker."), "lead")]
    if not table.records:
        sections.append(layout.section("projects", Text("工事", "Projects"), layout.unavailable(*SITE_MARTS)))
    by_orderer = table.groups("orderer_type")
    known = sorted(o for o in by_orderer if o is not None)
    for orderer in known + ([None] if None in by_orderer else []):
        link = (f'<p class="note"><a href="by_orderer/{html.escape(orderer)}.html" data-keep-lang>'
                f'{Text("この発注者区分の一覧ページ", "Index page of this orderer type").html()}</a></p>') if orderer else ""
        sections.append(layout.section(f"orderer-{orderer or 'unknown'}", _text_of(ORDERER, orderer),
                                       link + table.table(by_orderer[orderer], depth=0)))
    primes: dict[str, int] = {}
    for prime, indexes in table.groups("prime_business_id").items():
        primes[prime or ""] = primes.get(prime or "", 0) + len(indexes)   # a missing prime counts as ""
    prime_rows = [[(f'<a href="by_prime/{html.escape(p)}.html" data-keep-lang>{html.escape(p)}</a>', ""),
                   _num(_int(primes[p]))] for p in sorted(primes) if p]
    if prime_rows:
        sections.append(layout.section("primes", Text("元請別", "By prime contractor"),
                                       layout.table([Text("元請（事業者ID）", "Prime (business id)"),
                                                     Text("工事数", "Projects")], prime_rows)))
    return layout.page(title=Text("公共工事ごとの CCUS 活用状況（一覧）", "CCUS use per public-works project (index)"),
                       body="\n".join(sections), as_of=_as_of_text(data.as_of), depth=1, footer=FOOTER)


def _group_page(data: ProjectData, table: _SiteTable, indexes: list[int], title: Text, lead: Text) -> str:
    body = layout.paragraph(lead, "lead") + (
        f'<p class="note"><a href="../index.html" data-keep-lang>{Text("工事の一覧へ", "All projects").html()}</a></p>')
    body += layout.section("projects", Text("工事", "Projects"), table.table(indexes, depth=1))
    return layout.page(title=title, body=body, as_of=_as_of_text(data.as_of), depth=2, footer=FOOTER)


def index_pages(data: ProjectData) -> Iterator[tuple[str, str]]:
    """The index, one page per orderer type and one per prime contractor: (path, html)."""
    table = _SiteTable.of(_summary(data))
    yield f"{FOLDER}/index.html", _index_page(data, table)
    for orderer, indexes in sorted(table.groups("orderer_type").items(), key=_known_first):
        if orderer is not None:
            yield f"{FOLDER}/by_orderer/{orderer}.html", _group_page(
                data, table, indexes, Text(f"{_text_of(ORDERER, orderer).ja}発注の公共工事",
                                           f"Public works ordered by: {_text_of(ORDERER, orderer).en}"),
                Text("この発注者区分の公共工事の一覧。", "The public-works projects of this orderer type."))
    for prime, indexes in sorted(table.groups("prime_business_id").items(), key=_known_first):
        if prime is not None:
            yield f"{FOLDER}/by_prime/{prime}.html", _group_page(
                data, table, indexes, Text(f"元請 {prime} の公共工事", f"Public works of prime contractor {prime}"),
                Text("この元請の公共工事の一覧。", "The public-works projects of this prime contractor."))


def _known_first(item) -> tuple:
    return (item[0] is None, item[0] or "")


def iter_pages(gold: Location, as_of: date | None = None) -> Iterator[tuple[str, str]]:
    """Every project page and index as (path relative to the site root, html), one at a time:
    at national scale the pages together are gigabytes, so the caller writes each and lets it go.

    Nothing when no site-level compliance mart exists yet (the audience has no pages then)."""
    data = load(gold, as_of)
    if has_pages(data):
        yield from index_pages(data)
        yield from site_pages(data, data.sites.to_dict("records"))


def has_pages(data: ProjectData) -> bool:
    """Whether the audience has pages: not before some site-level compliance mart exists."""
    return any(data.marts.get(m) is not None for m in SITE_MARTS)


def site_pages(data: ProjectData, sites: Iterable[dict]) -> Iterator[tuple[str, str]]:
    """(path, html) of the page of each site (records of ``data.sites``)."""
    for site in sites:
        yield f"{FOLDER}/{site['site_id']}/index.html", build_site_page(site, data)


def build_pages(gold: Location, as_of: date | None = None) -> dict[str, str]:
    """Every project page and index, as {path relative to the site root: html} (all in memory:
    for a small site or a test; publication streams :func:`iter_pages`)."""
    return dict(iter_pages(gold, as_of))

"""One page per public-works site: model-project rates and points, 建退共, insurance checks,
working time and 4週8休 of that site, unsuppressed, never naming or identifying a worker."""

from __future__ import annotations

import dataclasses

from datetime import date

from .. import charts, names, render
from .. import sources as seed_sources
from .. import format as fmt
from ..charts import Chart
from ..i18n import Text
from ..theme import OKABE_ITO
from ..topics import TOPICS
from .common import (SITE_PAGE_DEPTH, UP, both, chart, figure, section, table, _count_axis, _date_text, _flag, _hours,
                     _int, _iso, _layout, _month_axis, _month_labels, _month_text, _months, _num, _pct, _rate_axis,
                     _source, _source_note, _text_of, _threshold_line, _yen)
from .labels import orderer_name, prime_name
from .tables import SITE_TABLE_MARTS
from .data import (CLOSURE, CLOSURE_MONTHLY, DAYS_OFF, FOOTER, INSURANCE, KENTAIKYO, KENTAIKYO_BUSINESS, KENTAIKYO_METHOD, MEASUREMENTS, MODEL_TYPE, ProjectData, RATES, SCORES, SHORT, WORKTIME, _KENTAIKYO_BUSINESS_TOTALS, _none_if_missing)

# ---------------------------------------------------------------- sections of a site page

def _hover(name: Text, value: str) -> Text:
    """A month chart's hover: the series, the month (the trace's text) and the value."""
    return Text(f"{name.ja} %{{text}}: {value}<extra></extra>", f"{name.en} %{{text}}: {value}<extra></extra>")


def _overview(site: dict, score: dict | None) -> render.Section:
    period = Text(f"{fmt.jp_date(_none_if_missing(site.get('start_on')))} 〜 {fmt.jp_date(_none_if_missing(site.get('end_on')))}",
                  f"{fmt.en_date(_none_if_missing(site.get('start_on')))} – {fmt.en_date(_none_if_missing(site.get('end_on')))}")
    rows = [
        [(Text("現場ID", "Site id"), ""), ((site["site_id"]), "")],
        [(Text("現場名", "Site name"), ""), ((str(site.get("site_name") or fmt.MISSING)), "")],
        [(Text("都道府県", "Prefecture"), ""), (_prefecture(site.get("prefecture_code")), "")],
        [(Text("発注者", "Orderer"), ""), (orderer_name(site), "")],
        [(Text("元請", "Prime contractor"), ""), (prime_name(site), "")],
        [(Text("工期", "Construction period"), ""), (period, "")],
        [(Text("モデル工事区分", "Model project"), ""), (_text_of(MODEL_TYPE, site.get("model_project_type")), "")],
        [(Text("建退共方式", "Retirement-allowance mutual aid: method"), ""), (_text_of(KENTAIKYO_METHOD, site.get("kentaikyo_method")), "")],
        [(Text("週休2日区分", "Two days off a week"), ""), (_text_of(DAYS_OFF, site.get("two_days_off_type")), "")],
    ]
    if score is not None:
        rows.append([(Text("工事成績評定の加減点（これまでの平均による）", "Points in the works performance rating (on the averages so far)"), ""),
                     ((_points_text(score.get("points"))), "num")])
    return section("overview", Text("工事の概要", "The project"), [table([Text("項目", "Item"), Text("内容", "Value")], rows)])


def _prefecture(code) -> Text:
    """東京都（13） / Tokyo (13): the name a reader knows, the code the marts use."""
    code = _none_if_missing(code)
    if code is None or code == "":
        return Text(fmt.MISSING, fmt.MISSING)
    name = names.prefecture(code)
    return Text(f"{name.ja}（{code}）", f"{name.en} ({code})")


def _points_text(points) -> str:
    points = _none_if_missing(points)
    if points is None:
        return fmt.MISSING
    return f"{int(points):+d}"


def _model_project_section(site_id: str, data: ProjectData) -> render.Section | None:
    score_rows = data.of(SCORES, site_id)
    measurements = data.of(MEASUREMENTS, site_id)
    if score_rows is None and measurements is None:
        return section("model-project", TOPICS["model-projects"].heading,
                              [render.Unavailable((SCORES, MEASUREMENTS,))])
    if not score_rows and not measurements:
        return None   # not a model project
    score = score_rows[0] if score_rows else {}
    parts = []
    if measurements:   # in date order
        parts.append(chart(f"chart-rates-{site_id}", _rates_chart(measurements, score, data.as_of)))
        parts.append(_measurements_table(measurements))
    else:
        parts.append(render.Note(Text(
            "まだ測定日（工事開始から6か月後、以後3か月ごと、および工期末）が来ていません。",
            "No measurement date yet (month 6 after the start, every 3 months after, and the end date)."),
            "note"))
    if score:
        parts += _points_table(score)
    parts += _source_note([MEASUREMENTS, SCORES], data.as_of)
    return section(
        "model-project", Text("CCUSモデル工事：3つの率と加減点", "CCUS model project: the three rates and the points"),
        parts,
        lead=Text("工事開始から各測定日までの累計。破線は加点の目標（90%・80%・50%）、点線は義務化モデル工事の"
                  "減点の下限（70%・60%・30%）。加減点はこれまでの測定日の率の平均で判定します。",
                  "Cumulative from the start to each measurement date. Dashed lines: the targets of the point "
                  "(90 % / 80 % / 50 %); dotted lines: the minimums below which a mandatory project loses a "
                  "point (70 % / 60 % / 30 %). Points are judged on the mean of the rates so far."))


def _rates_chart(measurements: list[dict], score: dict, as_of: date | None) -> Chart:
    x = _iso(r["measured_on"] for r in measurements)
    traces, shapes, notes = [], [], []
    for column, name, numerator, denominator, color, target_col, minimum_col in RATES:
        y = [_none_if_missing(r[column]) for r in measurements]
        custom = [f"{_int(r.get(numerator))} / {_int(r.get(denominator))}" for r in measurements]
        traces.append(dict(type="scatter", mode="lines+markers", x=x, y=y, name=name,
                           line=dict(color=color, width=2.5), marker=dict(size=9, color=color),
                           customdata=custom,
                           hovertemplate=both(lambda lang: f"{name[lang]}<br>{charts.x_day(lang)}: %{{y:.1%}} "
                                                           f"(%{{customdata}})<extra></extra>")))
        for value, words, dash in ((_none_if_missing(score.get(target_col)), Text("目標", "target"), "dash"),
                                   (_none_if_missing(score.get(minimum_col)), Text("下限", "minimum"), "dot")):
            if value is not None:
                label = both(lambda lang: f"{SHORT[column][lang]} {words[lang]} {fmt.percent(value, 0)}")
                shape, note = _threshold_line(value, label, color, dash)
                shapes.append(shape)
                notes.append(note)
    figure_layout = _layout(title=Text("測定日ごとの3つの率", "The three rates at each measurement date"),
                            subtitle=Text("工事開始から測定日までの累計（分子／分母はカーソルを合わせると表示）",
                                          "Cumulative from the start to the date (hover for numerator / denominator)"),
                            source=_source([MEASUREMENTS, SCORES], as_of), height=460)
    figure_layout["annotations"] = figure_layout["annotations"] + notes
    figure_layout.update(shapes=shapes, xaxis=dict(charts.date_axis("ja"), tickformat=both(charts.DAY_FORMAT.get),
                                                   hoverformat=both(charts.DAY_FORMAT.get)),
                         yaxis=_rate_axis(Text("率", "Rate")))
    return figure(traces, figure_layout)


def _measurements_table(measurements: list[dict]) -> render.TableView:
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
    return table([
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
    grid = table([Text("率", "Rate"), Text("これまでの平均", "Average so far"), Text("加点の目標", "Target"),
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
    return [grid, render.Note(summary, "lead")]


def _kentaikyo_section(site_id: str, data: ProjectData) -> render.Section:
    heading = TOPICS["kentaikyo"].heading
    months = data.of(KENTAIKYO, site_id)   # in month order
    if months is None:
        return section("kentaikyo", heading, [render.Unavailable((KENTAIKYO,))])
    if not months:
        return section("kentaikyo", heading, [render.Note(Text(
            "この工事の建退共の対象日（共済手帳のある技能者の就業履歴）と報告はまだありません。",
            "No retirement-allowance mutual aid days due (work-history days of member workers) and no reports for this project yet."))])

    def build() -> Chart:
        x, when = _months(months), _month_labels(months)
        due = Text("対象日数（就業履歴）", "Days due (work history)")
        covered = Text("充当済み日数", "Days covered")
        coverage = Text("充当率", "Coverage")
        traces = [
            dict(type="bar", x=x, y=[int(r["days_due"]) for r in months], name=due, marker=dict(color=OKABE_ITO["sky_blue"]),
                 text=when, textposition="none", hovertemplate=_hover(due, "%{y:,}")),
            dict(type="bar", x=x, y=[int(r["covered_days"]) for r in months] if "covered_days" in months[0] else [],
                 name=covered, marker=dict(color=OKABE_ITO["blue"]), text=when, textposition="none",
                 hovertemplate=_hover(covered, "%{y:,}")),
            dict(type="scatter", mode="lines+markers", x=x, y=[_none_if_missing(r["coverage"]) for r in months],
                 name=coverage, yaxis="y2", text=when,
                 line=dict(color=OKABE_ITO["vermillion"], width=2.5),
                 hovertemplate=_hover(coverage, "%{y:.1%}")),
        ]
        figure_layout = _layout(title=Text("月別の対象日数と充当", "Days due and covered per month"),
                                subtitle=Text("充当済み＝技能者ごとに min(報告日数, 対象日数) を合計",
                                              "Covered = Σ per worker min(days reported, days due)"),
                                source=_source([KENTAIKYO], data.as_of))
        figure_layout.update(barmode="group", xaxis=_month_axis(months, when),
                             yaxis=_count_axis(max([int(r["days_due"]) for r in months] or [1]), Text("日数", "Days")),
                             yaxis2=_rate_axis(coverage, overlaying="y", side="right", showgrid=False))
        figure_layout["margin"]["r"] = 80
        return figure(traces, figure_layout)

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
    grid = table([
        Text("月", "Month"), Text("対象日数", "Days due"), Text("報告日数", "Days reported"),
        Text("充当済み日数", "Days covered"), Text("充当率", "Coverage"), Text("掛金（対象）", "Amount due"),
        Text("掛金（報告）", "Amount reported"), Text("不足額", "Shortfall"), Text("注意", "Flags"),
    ], rows)
    parts = [chart(f"chart-kentaikyo-{site_id}", build()), grid]
    businesses = data.of(_KENTAIKYO_BUSINESS_TOTALS, site_id)   # the prime first, then by days due
    if businesses:
        parts += _kentaikyo_business_table(businesses)
    parts += _source_note([KENTAIKYO, KENTAIKYO_BUSINESS] if businesses else [KENTAIKYO], data.as_of)
    return section("kentaikyo", heading, parts, lead=Text(
        "対象日数＝建退共の共済手帳（被共済者番号）のある技能者の就業履歴日数。掛金は就業日の日額（2021年9月30日まで"
        "310円、10月1日から320円）。充当率と不足額は技能者ごとに計算してから合計します。",
        "Days due = work-history days of workers with a retirement-allowance mutual aid member number, at the daily rate in force on "
        "each work date (310 yen up to 30 Sep 2021, 320 yen from 1 Oct 2021). Coverage and shortfall are "
        "computed per worker first, then summed."))




def _kentaikyo_business_table(totals: list[dict]) -> list:
    rows = []
    for r in totals:
        due = int(r["days_due"])
        rows.append([
            ((str(_none_if_missing(r["business_id"]) or fmt.MISSING)), ""),
            (_flag(r["is_prime"]), ""), (_flag(r["has_stamp_exception"]), ""),
            _num(_int(due)), _num(_int(r["covered_days"])),
            _num(fmt.percent(r["covered_days"] / due) if due else fmt.MISSING),
            _num(_int(r["electronic_days"])), _num(_int(r["stamp_days"])), (_yen(r["shortfall_yen"]), "num"),
        ])
    return [render.Heading(Text("事業者別（全期間の合計）", "Per business (whole period)")), table([
        Text("事業者ID", "Business id"), Text("元請", "Prime"), Text("証紙例外", "Stamp exception"),
        Text("対象日数", "Days due"), Text("充当済み日数", "Days covered"), Text("充当率", "Coverage"),
        Text("電子申請日数", "Electronic days"), Text("証紙日数", "Stamp days"), Text("不足額", "Shortfall"),
    ], rows)]


def _insurance_section(site_id: str, data: ProjectData) -> render.Section:
    heading = TOPICS["insurance"].heading
    months = data.of(INSURANCE, site_id)   # in month order
    if months is None:
        return section("insurance", heading, [render.Unavailable((INSURANCE,))])
    if not months:
        return section("insurance", heading, [render.Note(Text(
            "この工事の作業員名簿はまだありません。", "No roster of this project yet."))])

    def build() -> Chart:
        x, when = _months(months), _month_labels(months)
        series = (("checked_ccus", Text("CCUSで確認", "Checked through CCUS"), OKABE_ITO["blue"]),
                  ("checked_document", Text("書類で確認", "Checked on documents"), OKABE_ITO["sky_blue"]),
                  ("not_checked", Text("確認なし", "Not checked"), OKABE_ITO["orange"]))
        traces = [dict(type="bar", x=x, y=[int(r[col]) for r in months], name=name,  marker=dict(color=color),
                       text=when, textposition="none", hovertemplate=_hover(name, "%{y:,}"))
                  for col, name, color in series]
        violation = Text("未加入・不明のまま入場（人日）", "Admitted uninsured (person-days)")
        traces.append(dict(type="scatter", mode="lines+markers", x=x,
                           y=[int(r["admitted_uninsured_person_days"]) for r in months], name=violation,
                           line=dict(color=OKABE_ITO["vermillion"], width=2.5),
                           text=when, hovertemplate=_hover(violation, "%{y:,}")))
        figure_layout = _layout(title=Text("名簿人日の保険確認方法", "How insurance was checked, per roster person-day"),
                                subtitle=Text("棒＝確認方法別の人日、線＝保険未加入・不明のまま入場させた人日（入場ルール違反）",
                                              "Bars: person-days by check method; line: person-days admitted while "
                                              "uninsured (breaking the admission rule)"),
                                source=_source([INSURANCE], data.as_of))
        top = max([sum(int(r[col]) for col, _, _ in series) for r in months] or [1])
        figure_layout.update(barmode="stack", xaxis=_month_axis(months, when),
                             yaxis=_count_axis(top, Text("人日", "Person-days")))
        figure_layout["margin"]["r"] = 40
        return figure(traces, figure_layout)

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
    grid = table([
        Text("月", "Month"), Text("名簿人日", "Roster person-days"), Text("人数", "Persons"),
        Text("CCUSで確認", "Through CCUS"), Text("書類で確認", "On documents"), Text("確認なし", "Not checked"),
        Text("入場不可", "Refused"), Text("未加入・不明のまま入場", "Admitted uninsured"),
    ], rows)
    return section("insurance", heading, [chart(f"chart-insurance-{site_id}", build()), grid,
                                          *_source_note([INSURANCE], data.as_of)], lead=Text(
        "作業員名簿の人日ごとに、元請が社会保険の加入をどう確認したか。健康保険・年金・雇用保険のいずれかが"
        "未加入または不明（適用除外を除く）のまま入場させた人日は入場ルール違反です。",
        "For each roster person-day, how the prime checked social insurance. A person-day admitted while any "
        "of health, pension or employment insurance was not enrolled or unknown (exempt aside) breaks the "
        "admission rule."))


def _worktime_section(site_id: str, data: ProjectData) -> render.Section:
    heading = TOPICS["worktime"].heading
    months = data.of(WORKTIME, site_id)   # in month order
    if months is None:
        return section("worktime", heading, [render.Unavailable((WORKTIME,))])
    if not months:
        return section("worktime", heading, [render.Note(Text(
            "この工事の就業履歴はまだありません。", "No work history of this project yet."))])
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
    grid = table([
        Text("月", "Month"), Text("技能者数", "Workers"), Text("就業履歴日数", "Work-history days"),
        Text("退場記録なし（時間不明）", "No exit (hours unknown)"), Text("労働時間", "Work hours"),
        Text("時間外（この現場の日）", "Overtime (days at this site)"), Text("休日労働", "Holiday work"),
        Text("月45時間超", "Over 45 h"), Text("月100時間以上", "100 h or more"),
        Text("2〜6か月平均80時間超", "2-6-month average over 80 h"), Text("45時間超が年7回目", "7th month over 45 h"),
        Text("年720時間超", "Year over 720 h"),
    ], rows)
    return section("worktime", heading, [grid, *_source_note([WORKTIME], data.as_of)], lead=Text(
        "この現場で働いた技能者のうち、上限（2024年4月1日から建設業に適用）を超えた人数。上限の判定は技能者の"
        "全現場の時間で行います。労働時間＝在場時間−休憩（8時間超1時間、6時間超45分）、日曜・祝日の就業は休日労働。"
        "2024年3月以前は「—」（適用前）。",
        "How many of the workers of this site exceeded a cap (applying to construction from 1 Apr 2024); the caps "
        "are judged on each worker's hours at all sites. Work hours = time on site - one break (1 h over 8 h, "
        "45 min over 6 h); work on Sundays and national holidays is holiday work. Before April 2024: '—'."))


def _closure_section(site_id: str, data: ProjectData) -> render.Section:
    heading = TOPICS["closure"].heading
    sites = data.of(CLOSURE, site_id)
    months = data.of(CLOSURE_MONTHLY, site_id)   # in month order
    if sites is None:
        return section("closure", heading, [render.Unavailable((CLOSURE,))])
    if not sites:
        return section("closure", heading, [render.Note(Text(
            "工期がまだ始まっていません。", "The construction period has not started yet."))])
    site = sites[0]
    threshold = _none_if_missing(site.get("threshold")) or 0.285
    parts = []
    if months:
        def build() -> Chart:
            x, when = _months(months), _month_labels(months)
            rate = Text("閉所率", "Closure rate")
            colors = [OKABE_ITO["bluish_green"] if _none_if_missing(r.get("meets_4w8c")) else OKABE_ITO["vermillion"]
                      for r in months]
            custom = [f"{_int(r['closed_days'])} / {_int(r['counted_days'])}" for r in months]
            traces = [dict(type="bar", x=x, y=[_none_if_missing(r["closure_rate"]) for r in months], name=rate,
                           marker=dict(color=colors), customdata=custom, text=when, textposition="none",
                           hovertemplate=_hover(rate, "%{y:.1%} (%{customdata})"))]
            label = Text(f"基準 {fmt.percent(threshold)}（4週8休）", f"threshold {fmt.percent(threshold)}")
            shape, note = _threshold_line(threshold, label, OKABE_ITO["black"], "dash")
            figure_layout = _layout(title=Text("月別の閉所率", "Closure rate per month"),
                                    subtitle=Text("閉所日／対象日（年末年始12/29〜1/3と夏季8/13〜15を除く）。緑＝基準以上、赤＝未満",
                                                  "Closed days / counted days (29 Dec - 3 Jan and 13-15 Aug left out). "
                                                  "Green: at or above the threshold; red: below"),
                                    source=_source([CLOSURE_MONTHLY, CLOSURE], data.as_of))
            figure_layout["annotations"] = figure_layout["annotations"] + [note]
            figure_layout.update(shapes=[shape], showlegend=False, xaxis=_month_axis(months, when),
                                 yaxis=_rate_axis(rate))
            return figure(traces, figure_layout)
        parts.append(chart(f"chart-closure-{site_id}", build()))
    declared = _none_if_missing(site.get("two_days_off_type"))
    rows = [
        [(Text("対象期間", "Period judged"), ""),
         (Text(f"{fmt.jp_date(_none_if_missing(site.get('period_start')))} 〜 {fmt.jp_date(_none_if_missing(site.get('period_end')))}",
               f"{fmt.en_date(_none_if_missing(site.get('period_start')))} – {fmt.en_date(_none_if_missing(site.get('period_end')))}"), "")],
        [(Text("対象日（除外日を除く）", "Counted days (exclusions left out)"), ""), _num(_int(site["counted_days"]))],
        [(Text("閉所日", "Closed days"), ""), _num(_int(site["closed_days"]))],
        [(Text("閉所率（工期全体）", "Closure rate (whole period)"), ""), _num(_pct(site["closure_rate"]))],
        [(Text("通期で4週8休", "8 closed days in 4 weeks over the whole period"), ""), (_flag(site.get("meets_4w8c_whole_period")), "")],
        [(Text("毎月4週8休", "8 closed days in 4 weeks in every month"), ""), (_flag(site.get("meets_4w8c_monthly")), "")],
        [(Text("週休2日区分", "Declared type"), ""), (_text_of(DAYS_OFF, declared), "")],
        [(Text("区分どおり達成", "Meets its declared type"), ""), (_flag(site.get("meets_declared_type")), "")],
    ]
    parts.append(table([Text("項目", "Item"), Text("値", "Value")], rows))
    if not _none_if_missing(site.get("is_period_complete")):
        parts.append(render.Note(Text("工期途中のため、データ時点までの値です。",
                                           "The period is not over: figures up to the data's as-of date.")))
    parts += _source_note([CLOSURE, CLOSURE_MONTHLY] if months else [CLOSURE], data.as_of)
    return section("closure", heading, parts, lead=Text(
        "閉所日＝就業履歴も作業員名簿もない日。閉所率＝閉所日÷対象日が28.5%以上で4週8休。",
        "A closed day has neither a work-history day nor a roster row. The rule of 8 closed days in 4 weeks is met "
        "when closed days / counted days is at least 28.5 %."))


def build_site_page(site: dict, data: ProjectData, inputs: str | None = None) -> str:
    """The page of one site; ``inputs``: the digest of what it is built from, written into the
    page for the next publication (dashboards/projects/unchanged.py)."""
    site_id = site["site_id"]
    # the page's as-of date is the site's own: a site whose work is over keeps its page
    # byte for byte from one day's publication to the next (the writer then leaves it untouched)
    data = dataclasses.replace(data, as_of=data.site_as_of(site_id))
    score_rows = data.of(SCORES, site_id)
    score = score_rows[0] if score_rows else None
    sections = [_overview(site, score)]
    model = _model_project_section(site_id, data)
    if model:
        sections.append(model)
    sections += [_kentaikyo_section(site_id, data), _insurance_section(site_id, data),
                 _worktime_section(site_id, data), _closure_section(site_id, data)]
    # 推計 under the sections resting on a modelled seed (issue 16; dashboards/sources.py)
    sections = seed_sources.mark(sections, SITE_TABLE_MARTS, data.sources, SITE_PAGE_DEPTH)
    name = str(site.get("site_name") or site_id)
    title = Text(f"{name}（{site_id}）— 工事別 CCUS 活用状況", f"{name} ({site_id}) — CCUS use on this project")
    return render.page(title=title, sections=sections, as_of=data.as_of, depth=SITE_PAGE_DEPTH, footer=FOOTER,
                       simulation=data.simulation,
                       intro=[render.Links([render.Link(f"{UP}index.html", Text("工事の一覧へ", "All projects"))])],
                       page_inputs=inputs)



"""What the level section's history window can and cannot show, in the numbers of the data and of
the level-criteria seed (dbt_project/seeds/wages/level_criteria.csv, the file dbt loads).

Foreman days count from the work history only (metrics.md §2): in a window of N days nobody can
have more than N of them, so a level whose criteria need more foreman days than the window holds
is met by nobody, whatever the registry says the workers hold. Work days also count the
experience before registration (215 days a year), so the window does not cap them."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from .. import format as fmt
from ..i18n import Text
from ..names import SEEDS

CRITERIA = SEEDS / "wages" / "level_criteria.csv"


@dataclass(frozen=True)
class Needs:
    level: int
    min_foreman_days: int      # the smallest over the fields
    max_foreman_days: int
    min_work_days: int
    max_work_days: int


@lru_cache(maxsize=4)
def needs(path: Path = CRITERIA) -> tuple[Needs, ...]:
    """Per level the range over the fields of the foreman and work days its criteria ask for."""
    by_level: dict[int, list[tuple[int, int]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            by_level.setdefault(int(row["level"]), []).append((int(row["min_foreman_days"]), int(row["min_work_days"])))
    return tuple(Needs(level, min(f for f, _ in rows), max(f for f, _ in rows), min(w for _, w in rows),
                       max(w for _, w in rows)) for level, rows in sorted(by_level.items()))


def _days(low: int, high: int, lang: str) -> str:
    if low == high:
        return f"{low:,}日" if lang == "ja" else f"{low:,} days"
    return f"{low:,}〜{high:,}日" if lang == "ja" else f"{low:,}-{high:,} days"


def note(first: date | None, as_of: date | None, path: Path = CRITERIA) -> Text | None:
    """The level section's note on its history window; None when the window is unknown."""
    if first is None or as_of is None or as_of < first:
        return None
    window = (as_of - first).days + 1
    levels = [n for n in needs(path) if n.min_foreman_days > 0]
    if not levels:
        return None
    head = Text(f"就業履歴の期間は{fmt.jp_date(first)}〜{fmt.jp_date(as_of)}の{window:,}日です。職長日数は就業履歴だけから"
                f"数えるため、1人の職長日数はこの期間の{window:,}日を超えません。就業日数には登録前の経験（年215日換算）を"
                "含めるので、期間の短さに縛られません。",
                f"The work history runs from {fmt.en_date(first)} to {fmt.en_date(as_of)}: {window:,} days. Foreman "
                f"days count from the work history only, so nobody has more than {window:,} of them; work days also "
                "count the experience before registration (215 days a year) and are not capped by the window.")
    parts_ja, parts_en = [], []
    for n in levels:
        need = Text(f"レベル{n.level}は職長日数{_days(n.min_foreman_days, n.max_foreman_days, 'ja')}"
                    f"（就業日数{_days(n.min_work_days, n.max_work_days, 'ja')}）",
                    f"Level {n.level} asks for {_days(n.min_foreman_days, n.max_foreman_days, 'en')} as foreman "
                    f"({_days(n.min_work_days, n.max_work_days, 'en')} of work)")
        if window < n.min_foreman_days:
            parts_ja.append(f"{need.ja}を求めるため、期間が{n.min_foreman_days:,}日に満たない今は、資格や経験があっても"
                            f"「基準を満たすレベル」が{n.level}になる技能者はいません（0人）。")
            parts_en.append(f"{need.en}: with a window shorter than {n.min_foreman_days:,} days nobody can meet it "
                            "(0 workers), whatever their qualifications and experience.")
        elif window < n.max_foreman_days:
            parts_ja.append(f"{need.ja}を求めるため、この期間では職長日数の基準が{window:,}日以下の分野でしか満たせません。")
            parts_en.append(f"{need.en}: within this window only the fields asking for {window:,} days or fewer can "
                            "be met.")
        else:
            parts_ja.append(f"{need.ja}を求め、この期間で満たしうる長さです。")
            parts_en.append(f"{need.en}: the window is long enough to meet it.")
    tail = Text("技能者ごとの就業履歴はCCUSに登録した日から始まるため、最近登録した技能者の職長日数は期間よりさらに短くなります。"
                "「現在のレベル」は登録簿にある判定で、期間より前の職長経験も含みます。このため、期間が短いあいだは"
                "現在のレベル3・4の技能者がいても「基準を満たす」レベル3・4は少なく（または0と）出ます。"
                "基準は level_criteria（能力評価のレベル判定基準、多くの分野はモデル値）によります。",
                "A worker's history starts when they registered, so recent registrants have fewer foreman days "
                "still. The current level is the registry's judgement, which counts foreman work before the window: while "
                "the window is short, workers hold levels 3 and 4 that the window cannot confirm. The criteria "
                "come from level_criteria (skill-level criteria, modelled for most fields).")
    return Text(head.ja + "".join(parts_ja) + tail.ja, " ".join([head.en] + parts_en + [tail.en]))

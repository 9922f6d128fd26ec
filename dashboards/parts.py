"""A section of a page in two steps: its tables are assembled from the marts (cells, relations)
before the location's disclosure control; its blocks (charts, tables, notes) are made after it,
from the published cells only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from . import format as fmt
from .disclosure.table import Table
from .i18n import Text
from .render import Note, Section, Unavailable


@dataclass
class Part:
    id: str
    heading: Text
    lead: Text | None = None
    tables: list[Table] = field(default_factory=list)
    view: Callable[[int], list] | None = None       # depth -> blocks
    missing: tuple[str, ...] = ()                    # marts not there: the section says so

    def section(self, depth: int) -> Section:
        if self.view is None:
            blocks = [Unavailable(self.missing)] if self.missing else []
        else:
            blocks = self.view(depth)
        return Section(self.id, self.heading, blocks, self.lead)


def source_note(marts, when: Text | None = None) -> Note:
    """'出典（goldマート）: mart（… 時点）' under a table."""
    names = "、".join(marts), ", ".join(marts)
    if when is None:
        return Note(Text(f"出典（goldマート）: {names[0]}", f"Source (gold marts): {names[1]}"), "source")
    return Note(Text(f"出典（goldマート）: {names[0]}（{when.ja}）", f"Source (gold marts): {names[1]} ({when.en})"),
                "source")


def as_of_text(day) -> Text | None:
    return None if day is None else Text(f"{fmt.jp_date(day)}時点", f"as of {fmt.en_date(day)}")


def month_end_text(month) -> Text:
    return Text(f"{fmt.jp_month(month)}末", f"end of {fmt.en_month(month)}")


SUPPRESSION_NOTE = Text(
    "「秘匿」は、技能者{w}人未満または事業者{b}社未満のセル（一人親方を含む事業者数・現場数は事業者{b}社未満）、"
    "および他の公表値からの差し引きで秘匿値が分かってしまうセル（補完秘匿）です。「-」は該当なし（0）。",
    "'suppressed' marks cells with fewer than {w} workers or {b} businesses behind them, and cells that "
    "would let a suppressed value be worked out from other published figures (complementary suppression). "
    "'-' means none (0).")


def suppression_note(thresholds) -> Note:
    w, b = thresholds.min_workers, thresholds.min_businesses
    return Note(Text(SUPPRESSION_NOTE.ja.format(w=w, b=b), SUPPRESSION_NOTE.en.format(w=w, b=b)))

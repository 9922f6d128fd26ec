"""Names of prefectures and occupations for the pages, from the repository's reference seeds.

The marts carry codes; the names live in dbt_project/seeds (copied from reference), the
same files dbt loads. A code with no name in the seed is shown as the code itself.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from .i18n import Text

SEEDS = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"
UNKNOWN = Text("不明", "unknown")


@lru_cache(maxsize=None)
def _seed(name: str) -> dict[str, Text]:
    path = SEEDS / f"{name}.csv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row[f"{name[:-1]}_code"]: Text(row["name_ja"], row["name_en"]) for row in csv.DictReader(handle)}


def prefecture(code) -> Text:
    if not code:
        return UNKNOWN
    return _seed("prefectures").get(str(code), Text(str(code), str(code)))


def prefecture_order(code) -> int:
    """Where a prefecture stands in JIS X 0401 order, by the seed's code (01 北海道 … 47 沖縄県):
    tables list prefectures in this order, never by their Japanese names; a code not in the
    seed (or none) comes after them."""
    return int(code) if code and str(code) in _seed("prefectures") else 99


def occupation(code) -> Text:
    if not code:
        return UNKNOWN
    name = _seed("occupations").get(str(code))
    return Text(f"{name.ja}（{code}）", f"{name.en} ({code})") if name else Text(str(code), str(code))

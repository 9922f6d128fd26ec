"""Code lists the door checks against, read from the dbt seeds (the single source)."""
from __future__ import annotations

import csv
from functools import lru_cache

from ccus.paths import SEEDS_DIR


def _column(seed: str, column: str) -> tuple[str, ...]:
    with open(SEEDS_DIR / f"{seed}.csv", encoding="utf-8", newline="") as f:
        return tuple(row[column] for row in csv.DictReader(f))


@lru_cache(maxsize=None)
def occupation_codes() -> tuple[str, ...]:
    return _column("occupations", "occupation_code")


@lru_cache(maxsize=None)
def qualification_codes() -> tuple[str, ...]:
    return _column("qualifications", "qualification_code")

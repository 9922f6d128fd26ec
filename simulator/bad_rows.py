"""Deliberately bad rows, each an extra row (good rows are never replaced) with a key of its
own, under the platform's quarantine reason codes: ≈`bad_row_rate` of roster and attendance rows
(at least one of each kind), one of each kind per registry feed in the first non-empty delta."""
from __future__ import annotations

import numpy as np

from ccus.feeds.contract import BUSINESSES, WORKERS
from simulator.feeds import SITES
from simulator.render import BadRow, bool_word, constant, drop_first_char, february_30, hour_before, shift_date

ROSTER_BAD = ("bad_id", "bad_enum", "work_date_mismatch", "field_count")
ATTENDANCE_BAD = ("bad_id", "bad_date", "bad_enum", "exit_before_entry", "field_count", "malformed_json")
RAW_FORMAT = {"field_count": "csv", "malformed_json": "jsonl"}     # kinds that break a line of one format


class Fresh:
    """Ids used only by deliberately bad rows (so they cannot collide with good rows' keys)."""

    def __init__(self):
        self.n = 0

    def __call__(self, template: str) -> str:
        self.n += 1
        return template.format(self.n)


def bad_kinds(rng, rows: int, fmt: str, kinds: tuple[str, ...], rate: float, force: set, chunk: int) -> list:
    """Deliberately bad rows of one file: Poisson per kind (the format's raw kind only), at least
    one of each kind still in `force` (which this consumes); base rows in the first chunk."""
    out = []
    if rows == 0:
        return out
    for kind in kinds:
        need = RAW_FORMAT.get(kind)
        if need is not None and need != fmt:
            continue
        k = int(rng.poisson(rate * rows / len(kinds)))
        if kind in force:
            k = max(k, 1)
            force.discard(kind)
        out += [(kind, int(b)) for b in rng.integers(0, min(rows, chunk), k)]
    return out


def roster_bad_row(kind: str, base: int, fresh: Fresh) -> BadRow:
    if kind == "bad_id":        # a 13-digit site id
        return BadRow(kind, base, {"site_id": drop_first_char("site_id")})
    person = {"person_ref": constant(fresh("P9{:07d}")), "is_ccus_registered": bool_word(False)}
    if kind == "bad_enum":
        return BadRow(kind, base, {"role": constant("leader"), **person})
    if kind == "work_date_mismatch":
        return BadRow(kind, base, {"work_date": shift_date("work_date", -1), **person})
    return BadRow(kind, base)


def attendance_bad_row(kind: str, base: int, fresh: Fresh) -> BadRow:
    rid = {"record_id": constant(fresh("WE{:010d}"))}
    if kind == "bad_id":        # a 13-digit worker id
        return BadRow(kind, base, {"worker_id": drop_first_char("worker_id"), **rid})
    if kind == "bad_date":      # e.g. 2024-02-30
        return BadRow(kind, base, {"work_date": february_30("work_date"), **rid})
    if kind == "bad_enum":
        return BadRow(kind, base, {"input_method": constant("fax"), **rid})
    if kind == "exit_before_entry":
        return BadRow(kind, base, {"exited_at": hour_before("entered_at"), **rid})
    return BadRow(kind, base)


def registry_bad_rows(feed, count: int, n_rows: int, rng: np.random.Generator, spare_ids: dict) -> list[BadRow]:
    """`count` rows of each bad kind for a registry delivery of `n_rows` rows, each with a key of
    its own: unused ids from `spare_ids` (feed name -> ids), an L-reference no business holds."""
    if n_rows == 0:
        return []
    out = []
    for i in range(count):
        base = int(rng.integers(0, n_rows))
        if feed is BUSINESSES:
            spare = spare_ids["businesses"]
            out.append(BadRow("bad_date", base, {"business_id": constant(spare[0].as_py()),
                                                 "registered_on": february_30("registered_on")}))
            out.append(BadRow("bad_prefecture", base, {"business_id": constant(spare[1].as_py()),
                                                       "prefecture_code": constant("48")}))
        elif feed is WORKERS:
            out.append(BadRow("bad_id", base, {"worker_id": drop_first_char("worker_id")}))
            out.append(BadRow("level_requires_detailed", base, {
                "worker_id": constant(spare_ids["workers"][0].as_py()),
                "registration_type": lambda row, style: "簡略型" if style.enums == "ja" else "simple",
                "level": constant("3")}))
        elif feed is SITES:
            spare = spare_ids["sites"]
            out.append(BadRow("bad_enum", base, {"site_id": constant(spare[0].as_py()),
                                                 "orderer_type": constant("foreign")}))
            out.append(BadRow("end_before_start", base, {"site_id": constant(spare[1].as_py()),
                                                         "end_on": shift_date("start_on", -10)}))
        else:
            out.append(BadRow("field_count", base))
            out.append(BadRow("registration_mismatch", base, {
                "business_ref": constant(f"L9{900000 + i:07d}"), "is_ccus_registered": bool_word(True)}))
    return out

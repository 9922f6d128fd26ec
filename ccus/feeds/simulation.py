"""`simulation.json` at the inbox root: the built-in simulator's marker of a simulated inbox
(feeds.md, "Inbox layout"). It is not a delivery; the run records it in gold/simulation.json so
that every page can say the data are simulated.

Only a file of exactly these keys and types is recorded; anything else is ignored with a reason
that never quotes the file.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re

MAX_BYTES = 1 << 16
KEYS = ("scale", "seed", "start", "days", "sample_fraction")
SCALE = re.compile(r"[a-z0-9_-]{1,32}", re.ASCII)
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
GOLD_PATH = "gold/simulation.json"


def _is_int(value) -> bool:
    return type(value) is int


def _problem(record) -> str | None:
    if not isinstance(record, dict):
        return "not a JSON object"
    if set(record) != set(KEYS):
        return f"its keys are not exactly {', '.join(KEYS)}"
    if not isinstance(record["scale"], str) or not SCALE.fullmatch(record["scale"]):
        return "scale is not a short lowercase code"
    if not _is_int(record["seed"]) or not 0 <= record["seed"] < 2**63:
        return "seed is not an integer from 0 to 2^63 - 1"
    start = record["start"]
    if not isinstance(start, str) or not DATE.fullmatch(start):
        return "start is not a YYYY-MM-DD date"
    try:
        dt.date.fromisoformat(start)
    except ValueError:
        return "start is not a calendar date"
    if not _is_int(record["days"]) or not 1 <= record["days"] <= 36600:
        return "days is not an integer from 1 to 36600"
    fraction = record["sample_fraction"]
    if type(fraction) not in (int, float) or not math.isfinite(fraction) or not 0 < fraction <= 1:
        return "sample_fraction is not a number in (0, 1]"
    return None


def parse(data: bytes) -> tuple[dict | None, str | None]:
    """(the record, None) for a valid file, else (None, why it is ignored)."""
    if len(data) > MAX_BYTES:
        return None, f"larger than {MAX_BYTES} bytes"
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None, "not UTF-8 JSON"
    problem = _problem(record)
    if problem:
        return None, problem
    return {key: record[key] for key in KEYS}, None


def describe(record: dict) -> str:
    """One line for the run summary (the values are checked: codes, numbers and a date)."""
    return (f"scale {record['scale']}, seed {record['seed']}, {record['days']} days from {record['start']}, "
            f"sample fraction {record['sample_fraction']:g}")


def to_json(record: dict) -> bytes:
    return (json.dumps(record, sort_keys=True) + "\n").encode()

"""The disclosure audit (dashboards/disclosure/audit.py) on every location of two end-to-end
runs of simulated inboxes: the tiny one (shared with other modules) and the small scale of
`make run`. Every suppressed cell keeps an interval of at least its unit's threshold given
everything its location publishes; every location holds its tables as data."""
from __future__ import annotations

import json
from pathlib import Path

from dashboards.disclosure.audit import audit_location


def _locations(site: Path) -> list[Path]:
    return sorted(p.parent for p in site.rglob("manifest.json"))


def _assert_every_location_passes(site: Path) -> dict:
    locations = _locations(site)
    assert site / "ministry" in locations and any(p.parent.name == "associations" for p in locations)
    totals = {"locations": 0, "primary": 0, "secondary": 0}
    for location in locations:
        assert audit_location(location) == [], location
        manifest = json.loads((location / "manifest.json").read_text(encoding="utf-8"))
        for table in manifest["tables"]:
            assert (location / table["csv"]).is_file(), (location, table["csv"])
        for name in ("cells.csv", "relations.csv"):
            assert (location / name).read_bytes().startswith("\ufeff".encode()), (location, name)
        totals["locations"] += 1
        totals["primary"] += manifest["suppressed"]["primary"]
        totals["secondary"] += manifest["suppressed"]["secondary"]
    return totals


def test_every_location_of_the_tiny_run_passes_the_audit(simulated_tiny_run):
    totals = _assert_every_location_passes(simulated_tiny_run / "lh" / "site")
    assert totals["primary"] > 0          # a tiny run has small cells: the audit had work to do


def test_every_location_of_the_small_run_passes_the_audit(small_run):
    totals = _assert_every_location_passes(small_run / "lh" / "site")
    assert totals["locations"] >= 2 and totals["primary"] > 0

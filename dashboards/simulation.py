"""Whether the run was simulated: the banner every page of such a run carries (issue 16)."""
from __future__ import annotations

import json

from .i18n import Text
from .io import Location

SIMULATION = "simulation.json"


def simulation_banner(gold: Location) -> Text | None:
    """The banner of a simulated run's pages (gold/simulation.json), else None."""
    path = gold.path(SIMULATION)
    if not gold.fs.exists(path):
        return None
    facts = json.loads(gold.fs.cat_file(path))
    scale, fraction = facts.get("scale", "?"), facts.get("sample_fraction")
    # four significant digits: the recorded float (0.01229600164766422) is no figure to print
    shown = None if fraction is None else f"{float(fraction):.4g}"
    extra_ja = f"、抽出率 {shown}" if shown is not None else ""
    extra_en = f", sample fraction {shown}" if shown is not None else ""
    return Text(f"模擬データ（規模 {scale}{extra_ja}）", f"Simulated data (scale {scale}{extra_en})")

"""At bench scale: the Spark engine's marts against the DuckDB run's gold of the same lakehouse."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ccus.engine_equality import mart_differences  # noqa: E402
from ccus.settings import local_state  # noqa: E402


def compare_spark_marts(lakehouse: Path) -> bool | str:
    state = local_state(str(lakehouse.resolve()), {})
    gold = {p.stem: str(p) for p in (lakehouse / "gold").glob("*.parquet")}
    if not gold:
        return "no DuckDB gold at this scale (publish not run)"
    differences, _ = mart_differences(gold, {name: state.spark_mart_glob(name) for name in gold})
    return True if not differences else "; ".join(differences)[:500]

"""At bench scale: the Spark engine's marts against the DuckDB run's gold of the same lakehouse
(the in-process session's Parquet files, or a cluster's marts through its Thrift server)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import tempfile  # noqa: E402

from assets.gold import export_marts  # noqa: E402
from ccus.engine_equality import mart_differences  # noqa: E402
from ccus.lakehouse import Lakehouse  # noqa: E402
from ccus.settings import local_state  # noqa: E402


def compare_spark_marts(lakehouse: Path) -> bool | str:
    state = local_state(str(lakehouse.resolve()), {})
    gold = {p.stem: str(p) for p in (lakehouse / "gold").glob("*.parquet")}
    if not gold:
        return "no DuckDB gold at this scale (publish not run)"
    differences, _ = mart_differences(gold, {name: state.spark_mart_glob(name) for name in gold})
    return True if not differences else "; ".join(differences)[:500]


def compare_cluster_marts(lakehouse: Path, thrift_address: str) -> bool | str:
    """The cluster's marts exported as the gold export does (through the Thrift connection) into
    a scratch lakehouse, against the DuckDB run's gold."""
    gold = {p.stem: str(p) for p in (lakehouse / "gold").glob("*.parquet")}
    if not gold:
        return "no DuckDB gold at this scale (publish not run)"
    with tempfile.TemporaryDirectory() as scratch:
        export_marts(Lakehouse(scratch), sorted(gold), "spark", thrift_address)
        differences, _ = mart_differences(gold, {name: f"{scratch}/gold/{name}.parquet" for name in gold})
    return True if not differences else "; ".join(differences)[:500]

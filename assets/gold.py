"""Export every mart of the warehouse to gold/<mart>.parquet (what dashboards and users read)."""

import duckdb
import dagster as dg
from dagster_dbt import get_asset_key_for_model

from assets.dbt import ccus_dbt_models, mart_names
from orchestration.resources import LakehouseResource

MART_SCHEMA = "marts"


def mart_query(engine: str, lakehouse, name: str) -> str:
    """The mart as DuckDB reads it: a table of the DuckDB warehouse, or the Parquet files of the
    Spark engine's managed table (same column names and types: tests/test_engines.py)."""
    if engine == "spark":
        return f"SELECT * FROM read_parquet('{lakehouse.spark_mart_glob(name)}')"
    return f'SELECT * FROM "{MART_SCHEMA}"."{name}"'


def export_marts(lakehouse, names: list[str], engine: str = "duckdb") -> dict[str, int]:
    """Read the marts read-only (only dbt writes them) and write each one atomically."""
    rows = {}
    con = (duckdb.connect(lakehouse.warehouse_path, read_only=True) if engine == "duckdb"
           else duckdb.connect())
    try:
        for name in names:
            # ORDER BY ALL: the same mart gives the same file, run after run.
            table = con.sql(f"{mart_query(engine, lakehouse, name)} ORDER BY ALL").to_arrow_table()
            lakehouse.write_parquet(f"gold/{name}.parquet", table)
            rows[name] = table.num_rows
    finally:
        con.close()
    return rows


@dg.asset(key=["gold", "marts"], group_name="gold", kinds={"parquet"},
          deps=[get_asset_key_for_model([ccus_dbt_models], name) for name in mart_names()],
          description="gold/<mart>.parquet for every mart of outputs.md, exported atomically.")
def gold_marts(context: dg.AssetExecutionContext, lakehouse: LakehouseResource):
    rows = export_marts(lakehouse.get(), mart_names(), lakehouse.engine)
    return dg.MaterializeResult(metadata={f"rows_{name}": n for name, n in rows.items()})

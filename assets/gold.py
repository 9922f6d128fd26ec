"""Export every mart of the warehouse to gold/<mart>.parquet (what dashboards and users read)."""

import duckdb
import dagster as dg
from dagster_dbt import get_asset_key_for_model

from assets.dbt import ccus_dbt_models, mart_names
from orchestration.resources import LakehouseResource

MART_SCHEMA = "marts"


def export_marts(lakehouse, names: list[str]) -> dict[str, int]:
    """Read the warehouse read-only (only dbt writes it) and write each mart atomically."""
    rows = {}
    con = duckdb.connect(lakehouse.warehouse_path, read_only=True)
    try:
        for name in names:
            # ORDER BY ALL: the same mart gives the same file, run after run.
            table = con.sql(f'SELECT * FROM "{MART_SCHEMA}"."{name}" ORDER BY ALL').to_arrow_table()
            lakehouse.write_parquet(f"gold/{name}.parquet", table)
            rows[name] = table.num_rows
    finally:
        con.close()
    return rows


@dg.asset(key=["gold", "marts"], group_name="gold", kinds={"parquet"},
          deps=[get_asset_key_for_model([ccus_dbt_models], name) for name in mart_names()],
          description="gold/<mart>.parquet for every mart of outputs.md, exported atomically.")
def gold_marts(context: dg.AssetExecutionContext, lakehouse: LakehouseResource):
    rows = export_marts(lakehouse.get(), mart_names())
    return dg.MaterializeResult(metadata={f"rows_{name}": n for name, n in rows.items()})

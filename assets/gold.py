"""Export every mart of the warehouse to gold/<mart>.parquet (what dashboards and users read)."""
from contextlib import closing, nullcontext

import duckdb
import dagster as dg
from dagster_dbt import get_asset_key_for_model

from assets.dbt import ccus_dbt_models, mart_names
from assets.dbt_project import dbt_project
from assets.sources import GOLD_PATH as SOURCES_PATH, sources_json
from ccus.feeds import simulation
from ccus.spark_thrift import connect, read_table
from assets.resources import InboxResource, LakehouseResource

MART_SCHEMA = "marts"


def mart_query(engine: str, state, name: str) -> str:
    """The mart as DuckDB reads it: a table of the DuckDB warehouse, or the Parquet files of the
    in-process Spark engine's managed table (same column names and types: tests/test_engines.py)."""
    if engine == "spark":
        return f"SELECT * FROM read_parquet('{state.spark_mart_glob(name)}')"
    return f'SELECT * FROM "{MART_SCHEMA}"."{name}"'


def export_marts(lakehouse, state, names: list[str], engine: str = "duckdb", spark_thrift: str = "") -> dict[str, int]:
    """Read the marts read-only (only dbt writes them) and write each one atomically. On a Spark
    cluster (spark_thrift: its Thrift server) the marts come through the engine's own connection,
    wherever its warehouse is: the lakehouse only needs to be readable by the cluster."""
    rows = {}
    con = (duckdb.connect(str(state.warehouse), read_only=True) if engine == "duckdb"
           else duckdb.connect())
    cluster = closing(connect(spark_thrift)) if engine == "spark" and spark_thrift else nullcontext()
    with closing(con), cluster as thrift:
        for name in names:
            query = mart_query(engine, state, name)
            if thrift is not None:
                con.register("mart", read_table(thrift, f"{MART_SCHEMA}.{name}"))
                query = "SELECT * FROM mart"
            # ORDER BY ALL: the same mart gives the same file, run after run.
            table = con.sql(f"{query} ORDER BY ALL").to_arrow_table()
            lakehouse.write_parquet(f"gold/{name}.parquet", table)
            rows[name] = table.num_rows
    return rows


def record_simulation(lakehouse, inbox) -> str:
    """gold/simulation.json from the inbox's simulation.json when it is a valid one (the pages say
    the data are simulated), and no such file otherwise; returns what was done, in words."""
    data = inbox.read_simulation(simulation.MAX_BYTES) if inbox.listing().simulation else None
    record, problem = simulation.parse(data) if data is not None else (None, "no simulation.json in the inbox")
    if record is not None:
        lakehouse.write_bytes(simulation.GOLD_PATH, simulation.to_json(record))
        return f"recorded: {simulation.describe(record)}"
    if lakehouse.exists(simulation.GOLD_PATH):
        lakehouse.fs.rm(lakehouse.path(simulation.GOLD_PATH))
    return f"none: {problem}"


@dg.asset(key=["gold", "marts"], group_name="gold", kinds={"parquet"},
          deps=[get_asset_key_for_model([ccus_dbt_models], name) for name in mart_names()],
          description="gold/<mart>.parquet for every mart of outputs.md, exported atomically; "
                      "gold/sources.json (the seeds each mart rests on, published or modelled); "
                      "gold/simulation.json when the inbox is a simulated one.")
def gold_marts(context: dg.AssetExecutionContext, lakehouse: LakehouseResource, inbox: InboxResource):
    rows = export_marts(lakehouse.get(), lakehouse.state(), mart_names(), lakehouse.engine, lakehouse.spark_thrift)
    lakehouse.get().write_bytes(SOURCES_PATH, sources_json(dbt_project.manifest_path, dbt_project.project_dir))
    simulated = record_simulation(lakehouse.get(), inbox.get())
    return dg.MaterializeResult(metadata={**{f"rows_{name}": n for name, n in rows.items()},
                                          "simulation": simulated})

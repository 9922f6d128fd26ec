"""The dbt project (staging → intermediate → marts) as Dagster assets; dbt tests become checks."""

import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from assets.dbt_project import dbt_project
from ccus.engine import check_engine, dbt_build_args
from ccus.lock import writer_lock
from ccus.spark_thrift import parse_address
from orchestration.resources import LakehouseResource


class LayerTranslator(DagsterDbtTranslator):
    """Group dbt models by layer (staging, intermediate, marts, seeds) in the Dagster UI."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"


class DbtBuildConfig(dg.Config):
    """test_all_history: the data tests of the work-date models read every date. By default they
    read only the dates the build recomputed (dbt_project/macros/tests_on_changed_dates.sql); the
    weekly audit schedule sets this so all history is re-tested once a week."""

    test_all_history: bool = False


def dbt_vars(lakehouse_root: str, test_all_history: bool = False) -> str:
    """The --vars of a build: the lakehouse root, and the all-history switch when it is on."""
    values: dict[str, Any] = {"lakehouse_root": lakehouse_root}
    if test_all_history:
        values["ccus_test_all_history"] = True
    return json.dumps(values)


def dbt_env(lakehouse_root: str, warehouse_path: str, spark_dir: str, spark_thrift: str = "") -> dict[str, str]:
    """What dbt_project/profiles.yml reads: the DuckDB file, the local Spark state, and the Spark
    Thrift Server of the `spark_thrift` target."""
    env = {"CCUS_WAREHOUSE_PATH": warehouse_path, "CCUS_LAKEHOUSE": lakehouse_root, "CCUS_SPARK_DIR": spark_dir}
    if spark_thrift:
        host, port = parse_address(spark_thrift)
        env.update({"CCUS_SPARK_THRIFT_HOST": host, "CCUS_SPARK_THRIFT_PORT": str(port)})
    return env


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=LayerTranslator())
def ccus_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, lakehouse: LakehouseResource,
                    config: DbtBuildConfig):
    lh = lakehouse.get()
    if lh.is_local:
        os.makedirs(os.path.dirname(lh.warehouse_path), exist_ok=True)
    # dagster-dbt hands the process environment to the dbt subprocess: the profile reads the
    # warehouse path from it, the models read the lakehouse root from --vars.
    os.environ.update(dbt_env(lh.root, lh.warehouse_path, lh.spark_dir, lakehouse.spark_thrift))
    engine_args = dbt_build_args(check_engine(lakehouse.engine), lakehouse.spark_thrift)
    with writer_lock(lh.warehouse_path, wait_seconds=600):  # one writer of the DuckDB file (re-entrant)
        try:
            yield from dbt.cli(["build", *engine_args, "--vars", dbt_vars(lh.root, config.test_all_history)],
                                 context=context).stream()
        finally:
            prune_run_targets(Path(dbt_project.project_dir) / "target")


RUN_TARGETS_KEPT = 10


def prune_run_targets(target_dir: Path, keep: int = RUN_TARGETS_KEPT) -> list[Path]:
    """Delete all but the newest `keep` per-run target folders; return the deleted ones.

    dagster-dbt gives every build a target folder of its own (target/ccus_dbt_models-<run>-<hash>:
    manifest, compiled SQL, run_results, dbt.log). The recent ones help to debug a run; a daily
    schedule would otherwise add one a day for ever. Newest by modification time, so a build in
    progress (its folder just made) is never among the deleted."""
    runs = sorted((p for p in target_dir.glob("ccus_dbt_models-*") if p.is_dir()),
                  key=lambda p: p.stat().st_mtime, reverse=True)
    stale = runs[keep:]
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)   # a concurrent prune may have taken it already
    return stale


def mart_names() -> list[str]:
    """Models under models/marts: the contract marts exported to gold/."""
    manifest = json.loads(dbt_project.manifest_path.read_text())
    return sorted(node["name"] for node in manifest["nodes"].values()
                  if node["resource_type"] == "model" and node["original_file_path"].startswith("models/marts/"))

"""The dbt project (staging → intermediate → marts) as Dagster assets; dbt tests become checks."""

import json
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from assets.dbt_project import dbt_project, ensure_manifest
from ccus.engine import check_engine, dbt_build_args
from ccus.lock import writer_lock
from ccus.settings import LocalState
from ccus.spark_thrift import parse_address
from assets.resources import LakehouseResource, Progress


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


def dbt_vars(lakehouse_root: str, state: LocalState, test_all_history: bool = False, spark_thrift: str = "") -> str:
    """The --vars of a build: the lakehouse root for the models; the warehouse file and the Spark
    folder for the profile (profiles.yml reads them with var(): the command line carries them to
    the dbt subprocess and to dagster-dbt's own in-process reading of the profile, no process
    environment is changed); the all-history switch when it is on."""
    values: dict[str, Any] = {"lakehouse_root": lakehouse_root, "warehouse_path": str(state.warehouse),
                              "spark_dir": str(state.spark_dir)}
    if spark_thrift:   # the `spark_thrift` target's server
        host, port = parse_address(spark_thrift)
        values.update({"spark_thrift_host": host, "spark_thrift_port": port})
    if test_all_history:
        values["ccus_test_all_history"] = True
    return json.dumps(values)


def run_target(state: LocalState, context: dg.AssetExecutionContext) -> Path:
    """This build's target folder, in the lakehouse's local state (never in the repository):
    named as dagster-dbt names its own (<op>-<run>-<unique>), so pruning sorts them the same way."""
    return state.dbt_runs / f"{context.op_execution_context.op.name}-{context.run_id[:7]}-{uuid.uuid4().hex[:7]}"


# The dbt assets are built from dbt's manifest as this module is imported: parsed here when it is
# missing or older than the project. dagster-dbt's DbtProject.prepare_if_dev() does the same under
# `dagster dev` only; here for whoever imports the assets (the `ccus` command, the Definitions the
# daemon loads, the bench, the tests), so a fresh clone needs no step before its first run.
DBT_MANIFEST = ensure_manifest()


@dbt_assets(manifest=DBT_MANIFEST, project=dbt_project, dagster_dbt_translator=LayerTranslator())
def ccus_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, lakehouse: LakehouseResource,
                    config: DbtBuildConfig, progress: dg.ResourceParam[Progress]):
    lh, state = lakehouse.get(), lakehouse.state()
    state.warehouse.parent.mkdir(parents=True, exist_ok=True)
    state.dbt_runs.mkdir(parents=True, exist_ok=True)
    engine_args = dbt_build_args(check_engine(lakehouse.engine), lakehouse.spark_thrift,
                                 lakehouse.dbt_unit_tests, lakehouse.spark_data_tests)
    with writer_lock(str(state.warehouse), wait_seconds=600):  # one writer of the DuckDB file (re-entrant)
        try:
            invocation = dbt.cli(["build", *engine_args, "--vars", dbt_vars(lh.root, state, config.test_all_history, lakehouse.spark_thrift)],
                                 context=context, target_path=run_target(state, context))
            yield from counted(invocation.stream(), progress,
                               len(context.selected_asset_keys) + len(context.selected_asset_check_keys))
        finally:
            prune_run_targets(state.dbt_runs)


def counted(events, progress: Progress, total: int):
    """dagster-dbt's events as they stream, each model, seed and test that finished counted as a
    node done, the last one named (dbt runs two at a time: it is the one that just ended)."""
    done = 0
    progress.update("dbt build", done, total, unit="nodes")
    for event in events:
        if isinstance(event, dg.Output | dg.AssetMaterialization):
            done += 1
            key = event.asset_key if isinstance(event, dg.AssetMaterialization) else None
            name = key.path[-1] if key is not None else event.output_name
            progress.update("dbt build", done, total, unit="nodes", current=name)
        elif isinstance(event, dg.AssetCheckResult | dg.AssetCheckEvaluation):
            done += 1
            progress.update("dbt build", done, total, unit="nodes", current=event.check_name)
        yield event


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

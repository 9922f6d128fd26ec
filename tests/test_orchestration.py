"""Dagster wiring: the Definitions load (in process and through the CLI), the daily schedule
and the inbox sensor evaluate to the right runs."""
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg

from ccus.settings import local_state
from assets.resources import InboxResource
from tests.inbox_writer import write_csv

REPO = Path(__file__).resolve().parents[1]


def test_definitions_load_with_every_layer(dbt_manifest):
    from orchestration.definitions import defs

    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    for feed in ("businesses", "workers", "sites", "site_contracts", "rosters", "attendance", "wages", "kentaikyo"):
        assert f"bronze/{feed}" in keys
    assert {"staging/stg_attendance", "intermediate/int_work_history_days", "marts/adoption_national",
            "marts/adoption_monthly", "marts/ingest_audit", "gold/marts", "site/dashboards"} <= keys
    assert defs.resolve_job_def("daily_ingest") and defs.resolve_job_def("refresh")
    graph = defs.resolve_asset_graph()
    for feed in ("attendance", "rosters", "workers"):  # the UI shows freshness of every feed
        spec = graph.get(dg.AssetKey(["bronze", feed]))
        assert spec.freshness_policy is not None


def test_dagster_cli_loads_the_workspace(dbt_manifest):
    out = subprocess.run([str(Path(sys.executable).parent / "dagster"), "definitions", "validate",
                          "-w", "workspace.yaml"], cwd=REPO, capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr[-2000:]


def tick(schedule_name: str, tokyo_time: dt.datetime) -> list[dg.RunRequest]:
    """The run requests of one tick of a schedule at a Tokyo wall-clock time."""
    from orchestration.definitions import defs

    with dg.instance_for_test() as instance:
        context = dg.build_schedule_context(
            instance=instance, scheduled_execution_time=tokyo_time.replace(tzinfo=ZoneInfo("Asia/Tokyo")),
            repository_def=defs.get_repository_def())
        return defs.resolve_schedule_def(schedule_name).evaluate_tick(context).run_requests


def test_daily_schedule_requests_the_day_that_just_ended(dbt_manifest):
    [request] = tick("daily_ingest_schedule", dt.datetime(2024, 5, 2, 5, 30))
    assert request.partition_key == "2024-05-01"


def test_weekly_audit_refreshes_with_every_data_test_over_all_history(dbt_manifest):
    from assets.dbt import dbt_vars
    from orchestration.definitions import defs

    weekly = defs.resolve_schedule_def("weekly_audit_schedule")
    [request] = tick("weekly_audit_schedule", dt.datetime(2024, 5, 5, 7, 30))
    assert weekly.job_name == "refresh" and weekly.cron_schedule == "30 7 * * 0"   # Sunday morning
    # the refresh job accepts the config, and the dbt build then passes the switch to the macro
    assert dg.validate_run_config(defs.resolve_job_def("refresh"), request.run_config)
    assert request.run_config["ops"]["ccus_dbt_models"]["config"] == {"test_all_history": True}
    state = local_state("/lake", {})
    assert json.loads(dbt_vars("/lake", state, True)) == {
        "lakehouse_root": "/lake", "warehouse_path": "/lake/warehouse.duckdb", "spark_dir": "/lake/spark",
        "ccus_test_all_history": True}
    assert "ccus_test_all_history" not in json.loads(dbt_vars("/lake", state))


def test_inbox_sensor_requests_new_days_then_a_refresh_and_then_skips(tmp_path, dbt_manifest):
    from orchestration.sensors import inbox_sensor

    write_csv(tmp_path, "attendance", "attendance_20240501.csv", ["record_id"], [["R1"]])
    write_csv(tmp_path, "rosters", "rosters_20240502.csv", ["site_id"], [["x"]])
    write_csv(tmp_path, "workers", "workers_20240501.csv", ["worker_id"], [["x"]])
    resources = {"inbox": InboxResource(root=str(tmp_path))}
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance, resources=resources)
        result = inbox_sensor(context)
        requests = [(r.job_name, r.partition_key) for r in result.run_requests]
        assert requests == [("daily_ingest", "2024-05-01"), ("daily_ingest", "2024-05-02"), ("refresh", None)]
        cursor = context.cursor
        assert set(json.loads(cursor)) == {"attendance/attendance_20240501.csv", "rosters/rosters_20240502.csv",
                                           "workers/workers_20240501.csv"}

        again = inbox_sensor(dg.build_sensor_context(instance=instance, resources=resources, cursor=cursor))
        assert isinstance(again, dg.SkipReason)

        write_csv(tmp_path, "attendance", "attendance_20240503.csv", ["record_id"], [["R2"]])
        later = inbox_sensor(dg.build_sensor_context(instance=instance, resources=resources, cursor=cursor))
        assert [(r.job_name, r.partition_key) for r in later.run_requests] == [
            ("daily_ingest", "2024-05-03"), ("refresh", None)]


def test_old_dbt_run_targets_are_pruned_newest_kept(tmp_path):
    from assets.dbt import prune_run_targets

    target = tmp_path / "target"
    for age in range(13):      # run 0 is the newest, run 12 the oldest
        folder = target / f"ccus_dbt_models-run{age:02d}-abc"
        (folder / "compiled").mkdir(parents=True)
        (folder / "run_results.json").write_text("{}")
        os.utime(folder, (1_700_000_000 - age * 60, 1_700_000_000 - age * 60))
    (target / "manifest.json").write_text("{}")       # dbt's own files are not touched
    (target / "compiled").mkdir()

    deleted = prune_run_targets(target, keep=10)

    assert sorted(p.name for p in deleted) == [f"ccus_dbt_models-run{age}-abc" for age in (10, 11, 12)]
    left = sorted(p.name for p in target.iterdir())
    assert left == ["ccus_dbt_models-run%02d-abc" % age for age in range(10)] + ["compiled", "manifest.json"]
    assert prune_run_targets(target, keep=10) == []   # nothing more to do

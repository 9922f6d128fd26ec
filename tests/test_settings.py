"""Settings read once at the entry point: absolute paths, the local state of an S3 lakehouse in one
folder per lakehouse, the pseudonym key's rules; and what `ccus run` does before any run when the
inbox is missing or empty or the key is unusable (real subprocesses of the command)."""
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assets.dbt import dbt_vars
from ccus.settings import MIN_KEY_BYTES, Settings, SettingsError, local_state, pseudonym_key

CCUS = str(Path(sys.executable).parent / "ccus")
KEY = "k" * MIN_KEY_BYTES


def test_local_lakehouse_state_is_absolute_and_beside_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_environ({}, lakehouse="lh", inbox="in")
    assert settings.lakehouse == str(tmp_path / "lh") and settings.inbox == str(tmp_path / "in")
    assert settings.state.warehouse == tmp_path / "lh/warehouse.duckdb"
    assert settings.state.lock == tmp_path / "lh/warehouse.duckdb.lock"
    assert settings.state.dbt_runs == tmp_path / "lh/_dbt_runs"
    assert settings.state.spark_dir == tmp_path / "lh/spark"
    assert settings.dagster_home.is_absolute()
    assert Settings.from_environ({"CCUS_WAREHOUSE_PATH": "w.duckdb"}, lakehouse="lh").state.warehouse == tmp_path / "w.duckdb"


def test_s3_lakehouse_state_lives_in_one_cache_folder_per_lakehouse_and_endpoint(tmp_path):
    env = {"HOME": str(tmp_path), "CCUS_PSEUDONYM_KEY": KEY}
    name = hashlib.sha256(b"|s3://lake/prod").hexdigest()[:12]
    state = Settings.from_environ(env, lakehouse="s3://lake/prod/").state
    assert state.folder == tmp_path / ".cache/ccus" / name
    assert state.warehouse == state.folder / "warehouse.duckdb" and state.dbt_runs == state.folder / "_dbt_runs"
    other_store = local_state("s3://lake/prod", {**env, "AWS_ENDPOINT_URL": "http://127.0.0.1:9"})
    assert other_store.folder != state.folder   # same bucket name, another store: another warehouse
    assert local_state("s3://lake/prod", {"XDG_CACHE_HOME": str(tmp_path / "xdg")}).folder.parent == tmp_path / "xdg/ccus"


def test_dbt_gets_the_warehouse_path_on_its_command_line_not_from_the_environment(tmp_path):
    state = local_state(str(tmp_path), {})
    assert '"warehouse_path": "%s"' % (tmp_path / "warehouse.duckdb") in dbt_vars(str(tmp_path), state)
    source = (Path(__file__).resolve().parents[1] / "assets/dbt.py").read_text()
    assert "os.environ" not in source


@pytest.mark.parametrize("value,message", [
    ("", "is set but empty"), ("x", "has 1 bytes"), ("k" * (MIN_KEY_BYTES - 1), f"has {MIN_KEY_BYTES - 1} bytes"),
])
def test_a_pseudonym_key_that_is_set_needs_32_bytes(value, message):
    with pytest.raises(SettingsError, match=message):
        pseudonym_key({"CCUS_PSEUDONYM_KEY": value})


def test_an_unset_key_keeps_the_local_key_file_and_s3_requires_one():
    assert pseudonym_key({}) is None
    assert pseudonym_key({"CCUS_PSEUDONYM_KEY": KEY}) == KEY
    assert pseudonym_key({"CCUS_PSEUDONYM_KEY": "鍵" * 11}) == "鍵" * 11   # 33 bytes in UTF-8
    with pytest.raises(SettingsError, match="must be set"):
        Settings.from_environ({}, lakehouse="s3://lake/prod")


def _run(tmp_path, inbox, env_update=None, drop=()):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_update or {})
    return subprocess.run([CCUS, "run", "--inbox", str(inbox), "--lakehouse", str(tmp_path / "lh")],
                          capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)


def test_a_missing_inbox_is_an_error_and_nothing_is_written(tmp_path):
    """Finding: `ccus run` on a missing inbox printed OK, exited 0 and published an empty site
    after five minutes."""
    out = _run(tmp_path, tmp_path / "no-such-inbox")
    assert out.returncode == 2, out.stdout + out.stderr
    assert out.stderr.strip() == f"ccus run: the inbox {tmp_path / 'no-such-inbox'} does not exist"
    assert out.stdout == ""
    assert list(tmp_path.iterdir()) == []   # no lakehouse, no lock, nothing


@pytest.mark.parametrize("value", ["", "short"])
def test_an_empty_or_short_key_stops_the_run_before_anything(tmp_path, value):
    """Finding: CCUS_PSEUDONYM_KEY="" silently fell back to the local key file; a one-character key
    was accepted."""
    (tmp_path / "inbox").mkdir()
    out = _run(tmp_path, tmp_path / "inbox", {"CCUS_PSEUDONYM_KEY": value})
    assert out.returncode == 2 and "CCUS_PSEUDONYM_KEY" in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert "short" not in out.stderr   # the key itself is never printed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inbox"]


def test_an_empty_inbox_is_a_quick_run_that_says_no_new_files(tmp_path):
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox/.DS_Store").write_text("x")
    out = _run(tmp_path, tmp_path / "inbox", drop=("CCUS_PSEUDONYM_KEY",))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no new files" in out.stdout and "hidden names skipped (starting with '.', not deliveries): 1" in out.stdout
    # quick: nothing to build, so dbt never ran (no per-run folder, no warehouse)
    assert not (tmp_path / "lh" / "_dbt_runs").exists() and not (tmp_path / "lh" / "warehouse.duckdb").exists()


def _python(code: str, tmp_path) -> subprocess.CompletedProcess:
    """`code` in a fresh interpreter with a clean environment (no telemetry switch, no CCUS_*)."""
    clean = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env=clean, cwd=tmp_path)


def test_the_domain_and_asset_modules_imported_alone_leave_the_environment_as_it_was(tmp_path):
    """Only the entry points write the environment: ccus.quality used to turn GX's analytics off,
    assets.dbt_project dbt's and Dagster's, as a side effect of being imported."""
    out = _python("import os, json; before = dict(os.environ)\n"
                  "import ccus.quality, ccus.quality_checks, ccus.spark_cluster, assets.dbt_project\n"
                  "print(json.dumps(dict(os.environ) == before))", tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip().splitlines()[-1] == "true"


@pytest.mark.parametrize("entry", ["orchestration.definitions", "orchestration.cli"])
def test_each_entry_point_turns_the_libraries_telemetry_off_before_the_settings_are_read(tmp_path, entry):
    """GX 1.x reads GX_ANALYTICS_ENABLED (False: no analytics; its docs, "Toggle analytics events"),
    dbt DBT_SEND_ANONYMOUS_USAGE_STATS, Dagster DO_NOT_TRACK. The entry point sets them in its own
    process, before building the settings, so the environment the settings hand to child processes
    (the quality checks' worker, Spark) carries them too."""
    from assets.dbt_project import ensure_manifest

    ensure_manifest()   # the Definitions read dbt's manifest; made here, where the telemetry is off
    code = ("import os, json, importlib\n"
            f"module = importlib.import_module({entry!r})\n"
            "from ccus.settings import Settings\n"
            "from orchestration.quiet_libraries import TELEMETRY_OFF\n"
            "given = (module.defs.resources['environment'] if hasattr(module, 'defs') "
            "else Settings.from_environ(os.environ).environ)\n"
            "print(json.dumps({'process': {k: os.environ.get(k) for k in TELEMETRY_OFF},"
            " 'children': {k: given.get(k) for k in TELEMETRY_OFF}}))")
    out = _python(code, tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    expected = {"DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "GX_ANALYTICS_ENABLED": "False"}
    assert seen == {"process": expected, "children": expected}


def test_the_settings_keep_a_frozen_copy_of_their_environment_out_of_sight():
    environ = {"CCUS_PSEUDONYM_KEY": KEY, "AWS_SECRET_ACCESS_KEY": "not-to-be-shown"}
    settings = Settings.from_environ(environ, lakehouse="/tmp/lh")
    environ["LATER"] = "1"
    assert dict(settings.environ) == {"CCUS_PSEUDONYM_KEY": KEY, "AWS_SECRET_ACCESS_KEY": "not-to-be-shown"}
    with pytest.raises(TypeError):
        settings.environ["LATER"] = "1"   # read-only
    assert "not-to-be-shown" not in repr(settings)


def test_the_ingest_workers_setting_is_a_whole_number_passed_to_the_ingest_assets(tmp_path):
    settings = Settings.from_environ({}, lakehouse=str(tmp_path / "lh"))
    assert settings.ingest_workers == 2
    assert Settings.from_environ({"CCUS_INGEST_WORKERS": "1"}, lakehouse=str(tmp_path / "lh")).ingest_workers == 1
    for bad in ("0", "two", "-1"):
        with pytest.raises(SettingsError, match=f"CCUS_INGEST_WORKERS='{bad}'"):
            Settings.from_environ({"CCUS_INGEST_WORKERS": bad}, lakehouse=str(tmp_path / "lh"))
    from orchestration.resources import resources
    assert resources(Settings.from_environ({"CCUS_INGEST_WORKERS": "3"}, lakehouse=str(tmp_path / "lh"))
                     )["lakehouse"].ingest_workers == 3

"""The whole pipeline with the inbox and the lakehouse on a real S3-protocol server (moto on
127.0.0.1): the same gold figures as the local run, through s3fs and DuckDB's fsspec bridge; and
an S3 outage in the middle of a run fails clearly, after bounded retries, and a re-run recovers."""
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import s3fs

from ccus.settings import local_state
from tests.s3_server import free_port, s3_env, start, stop

CCUS = str(Path(sys.executable).parent / "ccus")
REPO = Path(__file__).resolve().parents[1]
MARTS = ("adoption_national", "adoption_monthly", "ingest_audit", "target_progress")


def _args(inbox, lakehouse):
    return [CCUS, "run", "--inbox", inbox, "--lakehouse", lakehouse]


def _comparable(table):
    return table.drop_columns([c for c in ("ingested_at",) if c in table.column_names])


def _fs(endpoint):
    return s3fs.S3FileSystem(client_kwargs={"endpoint_url": endpoint}, key="testing", secret="testing",
                             skip_instance_cache=True)


def _deliver(fs, inbox: Path, target: str = "delivery/inbox"):
    for bucket in {target.split("/")[0], "lake", "ccus-lake"}:
        if not fs.exists(bucket):
            fs.mkdir(bucket)
    fs.put(str(inbox) + "/", target + "/", recursive=True)


def _assert_same_gold(fs, local: Path, lake: str = "lake/ccus"):
    for mart in MARTS:
        with fs.open(f"{lake}/gold/{mart}.parquet", "rb") as f:
            on_s3 = _comparable(pq.read_table(f))
        assert on_s3.equals(_comparable(pq.read_table(local / "gold" / f"{mart}.parquet"))), mart


@pytest.fixture(scope="module")
def local_run(pipeline_run):
    """The local run of test_pipeline's inbox (tests/conftest.py: made once): folder/inbox, folder/lh."""
    return pipeline_run


def test_s3_outage_mid_run_fails_clearly_then_a_rerun_gives_the_local_gold(local_run, tmp_path):
    """One store, two runs: the first loses the store in the middle of the ingestion and fails
    clearly after bounded retries; the store comes back (moto keeps no state, so the re-run starts
    from an empty store) and the re-run is a whole S3 run: inbox and lakehouse on S3, the same gold
    as the local run, the pages and the raw zone on S3, the DuckDB file local."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    env = dict(s3_env(endpoint), CCUS_WAREHOUSE_PATH=str(tmp_path / "s3.duckdb"))
    server = start(port)
    try:
        fs = _fs(endpoint)
        _deliver(fs, local_run / "inbox")
        run = subprocess.Popen(_args("s3://delivery/inbox", "s3://lake/ccus"), env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not fs.exists("lake/ccus/raw"):
            time.sleep(0.05)
            fs.invalidate_cache()
        stop(server)  # the store goes away in the middle of the ingestion
        stopped = time.monotonic()
        out, err = run.communicate(timeout=600)
        assert time.monotonic() - stopped < 300, "retries must be bounded"
        assert run.returncode != 0
        assert "Could not connect" in out or "connect" in out.lower(), (out[-3000:], err[-5000:])
        assert "FAILED" in out.splitlines()[-1]

        server = start(port)
        fs = _fs(endpoint)
        _deliver(fs, local_run / "inbox")
        again = subprocess.run(_args("s3://delivery/inbox", "s3://lake/ccus"), env=env, capture_output=True,
                               text=True, timeout=900)
        assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
        assert "s3://lake/ccus/gold/<mart>.parquet" in again.stdout
        _assert_same_gold(fs, local_run / "lh")
        assert fs.exists("lake/ccus/site/ministry/index.html")
        assert fs.exists("lake/ccus/site/ministry/assets/plotly.min.js")
        assert fs.exists("lake/ccus/site/ministry/cells.csv") and fs.exists("lake/ccus/site/index.html")
        assert fs.ls("lake/ccus/raw")  # the raw zone holds the delivered files
        assert not fs.exists("lake/ccus/warehouse.duckdb")  # the DuckDB file stays local
    finally:
        stop(server)
        shutil.rmtree(local_state("s3://lake/ccus", env).folder, ignore_errors=True)  # dbt's run folders


def _readme_s3_command() -> list[str]:
    """The README's S3 command, copied from it literally (its comment cut off)."""
    [line] = [line for line in (REPO / "README.md").read_text().splitlines()
              if line.startswith(".venv/bin/ccus run --inbox s3://")]
    return shlex.split(line.split("#")[0])


def test_the_readmes_s3_command_copied_literally_needs_no_path_variable(local_run):
    """Finding: the README's command, without CCUS_WAREHOUSE_PATH, put the lock and ingestion's
    warehouse in the caller's `.ccus/` and dbt's in `dbt_project/.ccus/` ("Cannot open file"); the
    S3 test set the variable, so CI never saw it. Here no path variable is set: the local state
    lands in the lakehouse's own cache folder, and nothing in the repository."""
    command = _readme_s3_command()
    assert command[:2] == [".venv/bin/ccus", "run"]
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in s3_env(endpoint).items() if not k.startswith(("CCUS_WAREHOUSE", "CCUS_SPARK_DIR",
                                                                           "XDG_CACHE"))}
    lakehouse = command[command.index("--lakehouse") + 1]
    state = local_state(lakehouse, env)
    assert state.folder.parent == Path(os.environ.get("HOME") or Path.home()).resolve() / ".cache/ccus"
    runs_before = set((REPO / "dbt_project/target").glob("ccus_dbt_models-*"))
    server = start(port)
    try:
        fs = _fs(endpoint)
        _deliver(fs, local_run / "inbox", command[command.index("--inbox") + 1].removeprefix("s3://"))
        out = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
        assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
        _assert_same_gold(fs, local_run / "lh", lakehouse.removeprefix("s3://"))
        assert f"warehouse: {state.warehouse}" in out.stdout
        assert state.warehouse.is_file() and list(state.dbt_runs.glob("ccus_dbt_models-*"))
        assert not (REPO / ".ccus").exists() and not (REPO / "dbt_project/.ccus").exists()
        assert set((REPO / "dbt_project/target").glob("ccus_dbt_models-*")) == runs_before
    finally:
        stop(server)
        shutil.rmtree(state.folder, ignore_errors=True)

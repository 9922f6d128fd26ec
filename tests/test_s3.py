"""The whole pipeline with the inbox and the lakehouse on a real S3-protocol server (moto on
127.0.0.1): the same gold figures as the local run, through s3fs and DuckDB's fsspec bridge; and
an S3 outage in the middle of a run fails clearly, after bounded retries, and a re-run recovers."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import s3fs

from tests.s3_server import free_port, s3_env, s3_server, start, stop
from tests.test_pipeline import _write_inbox

CCUS = str(Path(sys.executable).parent / "ccus")
MARTS = ("adoption_national", "adoption_monthly", "ingest_audit", "target_progress")


def _args(inbox, lakehouse):
    return [CCUS, "run", "--inbox", inbox, "--lakehouse", lakehouse]


def _run(env, inbox, lakehouse, warehouse):
    env = dict(env, CCUS_WAREHOUSE_PATH=str(warehouse))
    return subprocess.run(_args(inbox, lakehouse), env=env, capture_output=True, text=True, timeout=900)


def _comparable(table):
    return table.drop_columns([c for c in ("ingested_at",) if c in table.column_names])


def _fs(endpoint):
    return s3fs.S3FileSystem(client_kwargs={"endpoint_url": endpoint}, key="testing", secret="testing",
                             skip_instance_cache=True)


def _deliver(fs, inbox: Path):
    fs.mkdir("delivery")
    fs.mkdir("lake")
    fs.put(str(inbox) + "/", "delivery/inbox/", recursive=True)


def _assert_same_gold(fs, local: Path):
    for mart in MARTS:
        with fs.open(f"lake/ccus/gold/{mart}.parquet", "rb") as f:
            on_s3 = _comparable(pq.read_table(f))
        assert on_s3.equals(_comparable(pq.read_table(local / "gold" / f"{mart}.parquet"))), mart


@pytest.fixture(scope="module")
def local_run(tmp_path_factory, dbt_manifest):
    root = tmp_path_factory.mktemp("s3")
    _write_inbox(root / "inbox")
    out = _run(dict(os.environ), str(root / "inbox"), str(root / "local"), root / "local.duckdb")
    assert out.returncode == 0, out.stdout[-3000:]
    return root


def test_s3_lakehouse_and_inbox_give_the_local_gold(local_run, tmp_path):
    with s3_server() as endpoint:
        fs = _fs(endpoint)
        _deliver(fs, local_run / "inbox")
        remote = _run(s3_env(endpoint), "s3://delivery/inbox", "s3://lake/ccus", tmp_path / "s3.duckdb")
        assert remote.returncode == 0, remote.stdout[-3000:] + remote.stderr[-3000:]
        assert "s3://lake/ccus/gold/<mart>.parquet" in remote.stdout
        _assert_same_gold(fs, local_run / "local")
        assert fs.exists("lake/ccus/site/ministry/index.html")
        assert fs.exists("lake/ccus/site/assets/plotly.min.js")
        assert fs.ls("lake/ccus/raw")  # the raw zone holds the delivered files
        assert not fs.exists("lake/ccus/warehouse.duckdb")  # the DuckDB file stays local


def test_s3_outage_mid_run_fails_clearly_then_a_rerun_recovers(local_run, tmp_path):
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

        server = start(port)  # back (moto keeps no state: the re-run starts from an empty store)
        fs = _fs(endpoint)
        _deliver(fs, local_run / "inbox")
        again = subprocess.run(_args("s3://delivery/inbox", "s3://lake/ccus"), env=env, capture_output=True,
                               text=True, timeout=900)
        assert again.returncode == 0, again.stdout[-3000:]
        _assert_same_gold(fs, local_run / "local")
    finally:
        stop(server)

"""The whole pipeline with the inbox and the lakehouse on a real S3-protocol server (moto on
127.0.0.1): the same gold figures as the local run, through s3fs and DuckDB's fsspec bridge; and
an S3 outage in the middle of a run fails clearly, after bounded retries, and a re-run recovers."""
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import s3fs

from tests.s3_server import free_port, s3_env, start, stop

CCUS = str(Path(sys.executable).parent / "ccus")
MARTS = ("adoption_national", "adoption_monthly", "ingest_audit", "target_progress")


def _args(inbox, lakehouse):
    return [CCUS, "run", "--inbox", inbox, "--lakehouse", lakehouse]


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

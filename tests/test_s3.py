"""The whole pipeline with the inbox and the lakehouse on a real S3-protocol server (moto on
127.0.0.1): the same gold figures as the local run, through s3fs and DuckDB's fsspec bridge."""
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import s3fs

from tests.s3_server import s3_env, s3_server
from tests.test_pipeline import _write_inbox

CCUS = str(Path(sys.executable).parent / "ccus")
MARTS = ("adoption_national", "adoption_monthly", "ingest_audit", "target_progress")


def _run(env, inbox, lakehouse, warehouse):
    env = dict(env, CCUS_WAREHOUSE_PATH=str(warehouse))
    return subprocess.run([CCUS, "run", "--inbox", inbox, "--lakehouse", lakehouse],
                          env=env, capture_output=True, text=True, timeout=900)


def _comparable(table):
    return table.drop_columns([c for c in ("ingested_at",) if c in table.column_names])


def test_s3_lakehouse_and_inbox_give_the_local_gold(tmp_path, dbt_manifest):
    inbox = tmp_path / "inbox"
    _write_inbox(inbox)
    local = _run(dict(os.environ), str(inbox), str(tmp_path / "local"), tmp_path / "local.duckdb")
    assert local.returncode == 0, local.stdout[-3000:]

    with s3_server() as endpoint:
        env = s3_env(endpoint)
        fs = s3fs.S3FileSystem(client_kwargs={"endpoint_url": endpoint}, key="testing", secret="testing")
        fs.mkdir("delivery")
        fs.mkdir("lake")
        fs.put(str(inbox) + "/", "delivery/inbox/", recursive=True)
        remote = _run(env, "s3://delivery/inbox", "s3://lake/ccus", tmp_path / "s3.duckdb")
        assert remote.returncode == 0, remote.stdout[-3000:] + remote.stderr[-3000:]
        assert "s3://lake/ccus/gold/<mart>.parquet" in remote.stdout
        for mart in MARTS:
            with fs.open(f"lake/ccus/gold/{mart}.parquet", "rb") as f:
                on_s3 = _comparable(pq.read_table(f))
            on_disk = _comparable(pq.read_table(tmp_path / "local/gold" / f"{mart}.parquet"))
            assert on_s3.equals(on_disk), mart
        assert fs.exists("lake/ccus/site/ministry/index.html")
        assert fs.exists("lake/ccus/site/assets/plotly.min.js")
        assert fs.ls("lake/ccus/raw")  # the raw zone holds the delivered files

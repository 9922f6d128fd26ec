"""`ccus dev` serves the Dagster UI on 127.0.0.1 with a persistent DAGSTER_HOME, telemetry off,
and the webserver sees this project's assets."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.s3_server import free_port

CCUS = str(Path(sys.executable).parent / "ccus")
QUERY = "{ assetNodes { assetKey { path } } }"


def test_ccus_dev_serves_the_ui_and_the_asset_graph(tmp_path, dbt_manifest):
    port = free_port()
    home = tmp_path / "dagster_home"
    env = dict(os.environ, DAGSTER_HOME=str(home))
    proc = subprocess.Popen([CCUS, "dev", "--inbox", str(tmp_path / "inbox"), "--lakehouse", str(tmp_path / "lh"),
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline, keys = time.monotonic() + 150, None
        while time.monotonic() < deadline and keys is None:
            try:
                answer = requests.post(f"http://127.0.0.1:{port}/graphql", json={"query": QUERY}, timeout=5).json()
                nodes = (answer.get("data") or {}).get("assetNodes")
                keys = {"/".join(n["assetKey"]["path"]) for n in nodes} if nodes else None
            except requests.RequestException:
                pass
            if keys is None:
                time.sleep(1)
        assert keys, "the Dagster UI did not answer with the asset graph"
        assert {"bronze/attendance", "marts/adoption_national", "gold/marts", "site/dashboards"} <= keys
        assert requests.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200
        config = (home / "dagster.yaml").read_text()
        assert "enabled: false" in config and "max_concurrent_runs: 1" in config
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    assert (home / "storage").exists() or any(home.iterdir())  # history kept in DAGSTER_HOME

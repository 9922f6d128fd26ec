"""`ccus dev` serves the Dagster UI on 127.0.0.1 with a persistent DAGSTER_HOME, telemetry off,
and the webserver sees this project's assets; Ctrl-C (SIGINT) or SIGTERM to its process group
stops it and every process it started within 10 s."""
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path


import requests

from tests.s3_server import free_port

CCUS = str(Path(sys.executable).parent / "ccus")
QUERY = "{ assetNodes { assetKey { path } } }"


STOP_SECONDS = 10


def _marked(marker: str) -> list[int]:
    """Live processes whose environment carries the marker (the server and all it started)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:   # gone meanwhile, or a zombie
            pass
    return found


def _start(tmp_path, port: int, marker: str) -> subprocess.Popen:
    env = dict(os.environ, DAGSTER_HOME=str(tmp_path / "dagster_home"), CCUS_TEST_MARKER=marker)
    return subprocess.Popen([CCUS, "dev", "--inbox", str(tmp_path / "inbox"), "--lakehouse", str(tmp_path / "lh"),
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def _stop_and_count_leftovers(proc: subprocess.Popen, signum: int, marker: str) -> list[int]:
    """Signal the whole process group as a terminal's Ctrl-C or `kill -- -PGID` does; the
    processes still alive after STOP_SECONDS (killed afterwards, so nothing outlives the test)."""
    os.killpg(proc.pid, signum)
    deadline = time.monotonic() + STOP_SECONDS
    while time.monotonic() < deadline and _marked(marker):
        proc.poll()
        time.sleep(0.2)
    left = _marked(marker)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return left


def _wait_for_ui(port: int) -> None:
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/server_info", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise AssertionError("the Dagster UI did not come up")


def test_ccus_dev_serves_the_ui_and_the_asset_graph(tmp_path, dbt_manifest):
    port = free_port()
    home = tmp_path / "dagster_home"
    marker = uuid.uuid4().hex
    proc = _start(tmp_path, port, marker)
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
        assert len(_marked(marker)) >= 4   # ccus, dagster dev, webserver, daemon, code server(s)
    finally:
        left = _stop_and_count_leftovers(proc, signal.SIGTERM, marker)
    assert left == [], f"{len(left)} processes still alive {STOP_SECONDS} s after SIGTERM"
    assert proc.wait(timeout=5) != 0   # stopped by a signal, not a normal exit
    assert (home / "storage").exists() or any(home.iterdir())  # history kept in DAGSTER_HOME


def test_ctrl_c_stops_ccus_dev_and_everything_it_started(tmp_path, dbt_manifest):
    port, marker = free_port(), uuid.uuid4().hex
    proc = _start(tmp_path, port, marker)
    try:
        _wait_for_ui(port)
        assert len(_marked(marker)) >= 4
    finally:
        left = _stop_and_count_leftovers(proc, signal.SIGINT, marker)
    assert left == [], f"{len(left)} processes still alive {STOP_SECONDS} s after Ctrl-C"

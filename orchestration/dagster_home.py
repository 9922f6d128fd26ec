"""The persistent Dagster instance's folder (DAGSTER_HOME), as `ccus run` and `ccus dev` share it."""
from __future__ import annotations

from pathlib import Path

DAGSTER_YAML = """\
# Written by `ccus run` or `ccus dev`. Telemetry off (its upload has no timeout on a closed
# network); one run at a time, so only one process ever writes the DuckDB warehouse.
telemetry:
  enabled: false
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 1
"""


def ensure_dagster_home(path: Path) -> Path:
    """The Dagster instance's folder with its dagster.yaml (written once, never overwritten)."""
    path = path.resolve()
    path.mkdir(parents=True, exist_ok=True)
    config = path / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    return path

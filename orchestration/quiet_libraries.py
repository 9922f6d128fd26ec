"""The libraries' telemetry off, once, at the edge.

Dagster, dbt and Great Expectations each read an environment variable to decide whether to send
usage statistics (Dagster's upload has no timeout: on a machine without a network a run would
wait on it). The entry points (`ccus`, the Definitions `dagster dev` and the daemon load, the
bench's steps) call this before anything below them runs; the child processes they start (dbt,
the quality checks' worker, Spark) inherit it through the settings' environment. An operator's
own value is kept.
"""
from __future__ import annotations

from collections.abc import MutableMapping

TELEMETRY_OFF = {
    "DO_NOT_TRACK": "1",                          # Dagster (and the convention others follow)
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",    # dbt
    "GX_ANALYTICS_ENABLED": "False",              # Great Expectations 1.x
}


def quiet_libraries(environ: MutableMapping[str, str]) -> None:
    """Set each telemetry switch of TELEMETRY_OFF in `environ` (the process's os.environ) unless set."""
    for name, value in TELEMETRY_OFF.items():
        environ.setdefault(name, value)

"""Shared set-up: telemetry off, the dbt manifest parsed once, small inbox writers."""
import os

import pytest

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("CCUS_PSEUDONYM_KEY", "test-key-not-a-secret")


@pytest.fixture(scope="session")
def dbt_manifest():
    from assets.dbt_project import ensure_manifest

    return ensure_manifest()

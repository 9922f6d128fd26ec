"""Shared set-up: telemetry off, the dbt manifest parsed once, small inbox writers."""
import os

import pytest

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("CCUS_PSEUDONYM_KEY", "test-key-not-a-secret")
# PNG copies of the charts (kaleido, ≈10 s a run on a loaded 2-core machine) only where a test
# asks for them (test_publication_privacy, test_dashboards): every end-to-end run would pay it.
os.environ.setdefault("CCUS_EXPORT_PNG", "0")


@pytest.fixture(scope="session")
def dbt_manifest():
    from assets.dbt_project import ensure_manifest

    return ensure_manifest()

"""Shared set-up: telemetry off, the dbt manifest parsed once, the end-to-end runs several modules read."""
import os

import pytest

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("CCUS_PSEUDONYM_KEY", "test-key-not-a-secret-0123456789abcdef")
# PNG copies of the charts (kaleido, ≈10 s a run on a loaded 2-core machine) only where a test
# asks for them (test_publication_privacy, test_dashboards): every end-to-end run would pay it.
os.environ.setdefault("CCUS_EXPORT_PNG", "0")


def pytest_sessionstart(session):
    """The dbt manifest before any test module is collected: modules that import assets.dbt (the
    dbt assets are built from the manifest at import) must collect on a fresh clone, where no
    manifest exists yet. Each xdist worker passes here; ensure_manifest parses once, under a lock."""
    from assets.dbt_project import ensure_manifest

    ensure_manifest()


@pytest.fixture(scope="session")
def dbt_manifest():
    from assets.dbt_project import ensure_manifest

    return ensure_manifest()


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    """`simulate("tiny", …)` with the defaults: the inbox folder and the summary (the simulator's tests)."""
    from simulator import simulate

    out = tmp_path_factory.mktemp("tiny")
    return out, simulate("tiny", out)


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory, dbt_manifest):
    """`ccus run` of test_pipeline's hand-written inbox (folder/inbox → folder/lh), shared by the
    modules that read it (test_pipeline, test_s3)."""
    from tests.shared_runs import once, run_into
    from tests.test_pipeline import _write_inbox

    def make(folder):
        _write_inbox(folder / "inbox")
        run_into(folder)

    return once(tmp_path_factory, "pipeline_run", make)


@pytest.fixture(scope="session")
def simulated_tiny_run(tmp_path_factory, dbt_manifest):
    """`ccus simulate --scale tiny --seed 11` then `ccus run` (folder/inbox → folder/lh), shared by
    the modules that read it (test_publication_privacy, the engine comparison)."""
    import subprocess

    from tests.shared_runs import CCUS, once, run_into

    def make(folder):
        sim = subprocess.run([CCUS, "simulate", "--scale", "tiny", "--seed", "11", "--out", str(folder / "inbox")],
                             capture_output=True, text=True, timeout=120)
        assert sim.returncode == 0, sim.stderr
        # with the PNG copies of the charts (off in the other runs), so that the privacy scan covers them
        run_into(folder, env={**os.environ, "CCUS_EXPORT_PNG": "1"})

    return once(tmp_path_factory, "simulated_tiny_run", make)


@pytest.fixture(scope="session")
def small_run(tmp_path_factory, dbt_manifest):
    """`ccus simulate --scale small` (the inbox of `make run`) then `ccus run`, shared by the modules
    that read it (test_publication_audit, test_headline_methods)."""
    import subprocess

    from tests.shared_runs import CCUS, once, run_into

    def make(folder):
        sim = subprocess.run([CCUS, "simulate", "--scale", "small", "--out", str(folder / "inbox")],
                             capture_output=True, text=True, timeout=900)
        assert sim.returncode == 0, sim.stderr
        run_into(folder)

    return once(tmp_path_factory, "simulated_small_run", make)


@pytest.fixture(scope="session")
def spark_cluster(tmp_path_factory, request):
    """A standalone Spark cluster (Master, two Workers, Thrift server on 127.0.0.1; ccus/spark_cluster.py),
    one per test session, its catalog and warehouse in a folder of its own. The finalizer stops
    exactly the processes it started, whether the tests passed or not."""
    from ccus import spark_cluster as cluster_control

    settings = cluster_control.ClusterSettings(spark_dir=str(tmp_path_factory.mktemp("spark_cluster") / "spark"),
                                               shuffle_partitions=1, environ=os.environ)
    cluster = cluster_control.start(settings)
    request.addfinalizer(lambda: cluster_control.stop(cluster))
    return cluster


# Seconds each module took in a full run on a quiet 2-core machine (2026-11-27; the two Spark
# modules measured alone under load, 2026-12-05), rounded. The
# slowest modules go first, so that the workers end together rather than one finishing a long
# module alone; and the modules that build a shared run (tests/shared_runs.py) start before the
# ones that only read it, which then find it made instead of waiting for it.
MODULE_SECONDS = {
    "test_spark_cluster.py": 900, "test_publication_audit.py": 420, "test_engines.py": 300, "test_compliance.py": 200, "test_faults.py": 190, "test_pipeline.py": 190,
    "test_dbt_project.py": 150, "test_concurrency.py": 90, "test_dbt_incremental.py": 210,
    "test_s3.py": 250, "test_hostile_run.py": 170, "test_terminal.py": 400, "test_fuzz_ingest.py": 50, "test_settings.py": 30,
    "test_bounds.py": 20, "test_hostile_inbox.py": 15, "test_wages_levels.py": 40, "test_dashboards.py": 40, "test_dev_server.py": 30,
    "test_project_pages.py": 30, "test_association_pages.py": 25, "test_publication_targets.py": 20,
    "test_publication_privacy.py": 10, "test_headline_methods.py": 30, "test_publish_streaming.py": 15, "test_publish_workers.py": 12,
}


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: -MODULE_SECONDS.get(item.path.name, 0))  # stable within a module

"""The one Dagster entry point (workspace.yaml points here): the platform's Definitions with the
resources of this process's environment."""
import os

from orchestration.quiet_libraries import quiet_libraries

quiet_libraries(os.environ)   # the edge `dagster dev` and the daemon load: before the libraries below run

from orchestration.assembly import definitions  # noqa: E402
from orchestration.resources import default_resources  # noqa: E402

defs = definitions(default_resources())

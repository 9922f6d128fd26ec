"""Start runs when new files arrive in the inbox."""

import json

import dagster as dg

from orchestration.jobs import daily_ingest_job, refresh_job
from assets.resources import InboxResource


def _fingerprint(files) -> dict[str, int]:
    """path -> size of every inbox entry, as listed (delivered files are immutable, so a new path
    is new work; an entry that is not a regular file has no size, -1)."""
    return {f.path: f.size if f.size is not None else -1 for f in files}


@dg.sensor(jobs=[daily_ingest_job, refresh_job], minimum_interval_seconds=60,
           default_status=dg.DefaultSensorStatus.STOPPED,
           description="New inbox files: one daily_ingest run per new day of attendance/rosters, then one refresh.")
def inbox_sensor(context: dg.SensorEvaluationContext, inbox: InboxResource):
    seen = json.loads(context.cursor) if context.cursor else {}
    files = {f.path: f for f in inbox.get().files()}
    current = _fingerprint(files.values())
    new_paths = sorted(p for p, size in current.items() if seen.get(p) != size)
    if not new_paths:
        return dg.SkipReason("no new files in the inbox")
    days = sorted({files[p].file_date.isoformat() for p in new_paths
                   if files[p].feed is not None and files[p].feed.partitioned})
    requests = [dg.RunRequest(run_key=f"ingest-{day}-{len(current)}", job_name=daily_ingest_job.name,
                              partition_key=day) for day in days]
    # The refresh comes last; with one run at a time (dagster.yaml) the queue keeps this order.
    requests.append(dg.RunRequest(run_key=f"refresh-{len(current)}-{new_paths[-1]}", job_name=refresh_job.name))
    context.update_cursor(json.dumps(current, sort_keys=True))
    return dg.SensorResult(run_requests=requests)

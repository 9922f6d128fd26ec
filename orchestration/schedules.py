"""Every morning (Japan time) ingest the day just received, then refresh the models and pages;
once a week the refresh re-tests all history."""
import datetime as dt

import dagster as dg

from orchestration.jobs import daily_ingest_job, refresh_job


@dg.schedule(job=daily_ingest_job, cron_schedule="30 5 * * *", execution_timezone="Asia/Tokyo",
             name="daily_ingest_schedule")
def daily_ingest_schedule(context: dg.ScheduleEvaluationContext):
    # The partitions reach to tomorrow (files dated today arrive during the day), so the
    # day to ingest at 05:30 is the one that has just ended, not the last partition.
    day = (context.scheduled_execution_time.date() - dt.timedelta(days=1)).isoformat()
    return dg.RunRequest(run_key=day, partition_key=day)


daily_refresh_schedule = dg.ScheduleDefinition(
    name="daily_refresh_schedule", job=refresh_job, cron_schedule="30 6 * * *",
    execution_timezone="Asia/Tokyo",
)


# The daily refresh tests only the work dates its incremental models recomputed; on Sunday
# morning the same refresh runs every data test over all history (dbt_project/macros/
# tests_on_changed_dates.sql), so nothing goes untested for more than a week.
weekly_audit_schedule = dg.ScheduleDefinition(
    name="weekly_audit_schedule", job=refresh_job, cron_schedule="30 7 * * 0",
    execution_timezone="Asia/Tokyo",
    run_config={"ops": {"ccus_dbt_models": {"config": {"test_all_history": True}}}},
)

"""Every morning (Japan time) ingest the day just received, then refresh the models and pages."""
import dagster as dg

from orchestration.jobs import daily_ingest_job, refresh_job

# The previous day's files are complete by early morning; the partition of a daily schedule built
# from a partitioned job is the day that has just ended.
daily_ingest_schedule = dg.build_schedule_from_partitioned_job(
    daily_ingest_job, hour_of_day=5, minute_of_hour=30, name="daily_ingest_schedule",
)

daily_refresh_schedule = dg.ScheduleDefinition(
    name="daily_refresh_schedule", job=refresh_job, cron_schedule="30 6 * * *",
    execution_timezone="Asia/Tokyo",
)

"""Dagster wiring: resources, partitions, jobs, schedules, sensors and the one Definitions."""

"""Dagster assets: ingestion (bronze), the dbt project, gold export and publication."""

"""CCUS data platform, the domain library: settings, storage and the lakehouse, the feeds' door,
pseudonyms, quality suites, engines (ccus/README.md)."""

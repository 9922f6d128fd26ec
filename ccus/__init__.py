"""CCUS data platform: feed contract, readers, simulator and command line."""

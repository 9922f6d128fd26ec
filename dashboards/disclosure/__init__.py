"""Statistical disclosure control of a location: cells, relations, suppression, the audit, the data files."""

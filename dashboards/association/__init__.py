"""An association's location: its members' data, tables and report."""

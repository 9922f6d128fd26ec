"""The feed package: the inbox contract (contract.py), readers and validation (reader.py,
validate.py), and the simulator that writes contract-conformant inboxes (ccus.simulate)."""

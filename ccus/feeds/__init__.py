"""The feed package: the inbox contract (contract.py), readers and validation (reader.py,
validate.py), (the simulator that writes contract-conformant inboxes is its own package, simulator/)."""

"""`python -m simulator ...` (the same as `ccus simulate ...`)."""
from simulator.cli import main

raise SystemExit(main())

"""`python -m ccus.simulate ...` (the same as `ccus simulate ...`)."""
from ccus.simulate.cli import main

raise SystemExit(main())

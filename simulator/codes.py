"""Enumerations held as small integers: each is the index of the code in the contract's column
values (ccus.feeds.contract), so the renderer writes the code or its Japanese label."""
from __future__ import annotations

from ccus.feeds.contract import ATTENDANCE, BUSINESSES, KENTAIKYO, ROSTERS, SITES, WORKERS
from simulator.render import enum_codes

BUS_INS = enum_codes(BUSINESSES, "health_insurance")     # enrolled, not_enrolled, exempt
PER_INS = enum_codes(WORKERS, "health_insurance")        # + unknown
REG_TYPE = enum_codes(WORKERS, "registration_type")
ORDERER = enum_codes(SITES, "orderer_type")
MODEL = enum_codes(SITES, "model_project_type")
METHOD = enum_codes(SITES, "kentaikyo_method")
TWO_DAYS = enum_codes(SITES, "two_days_off_type")
ROLE = enum_codes(ROSTERS, "role")
CHECK = enum_codes(ROSTERS, "insurance_check")
INPUT = enum_codes(ATTENDANCE, "input_method")
KMETHOD = enum_codes(KENTAIKYO, "method")

# kinds of business
GENERAL, SPECIALTY, SOLE = 0, 1, 2      # general contractor (a possible prime), specialty company, 一人親方
NEVER = 10 ** 9                         # "never" for day thresholds (e.g. a card reader's first day)

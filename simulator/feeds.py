"""The feeds as the simulator writes them: the platform's contract (ccus.feeds.contract), plus
the columns feeds.md already lists that the contract does not hold yet (sites.orderer_code; the
reader then keeps it in the raw zone and warns about an extra column)."""
from __future__ import annotations

import dataclasses

from ccus.feeds.contract import SITES as CONTRACT_SITES
from ccus.feeds.contract import TEXT, Column

ORDERER_CODE = Column("orderer_code", "発注機関コード", TEXT, nullable=True, optional=True)

if "orderer_code" in {c.name for c in CONTRACT_SITES.columns}:
    SITES = CONTRACT_SITES
else:
    SITES = dataclasses.replace(CONTRACT_SITES, columns=CONTRACT_SITES.columns + (ORDERER_CODE,))

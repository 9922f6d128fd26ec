"""The ordering body of each site (sites.orderer_code, feeds.md): the 6-digit 全国地方公共団体コード
(JIS X 0402 with its check digit) of the prefecture or municipality, an office code for national
bodies; empty for public corporations, private orderers and some public sites (the platform then
falls back to orderer_type).

Prefecture codes are the real ones (PP000 + check digit). A municipal orderer is the prefecture's
capital, whose name the site names carry (reference.prefectures(): capitals, capital_codes).
National bodies: the MLIT regional bureau (地方整備局, 北海道開発局, 沖縄総合事務局) of the site's
prefecture (`mlit-kanto`), other national bodies the regional defence bureau (`mod-…`).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyarrow as pa

from simulator import reference as ref
from simulator.codes import ORDERER
from simulator.text import strings

# MLIT regional bureau of each prefecture (JIS order)
MLIT_BUREAU = (
    "hokkaido", *["tohoku"] * 6, *["kanto"] * 7, *["hokuriku"] * 3, "kinki", "kanto", "kanto",
    *["chubu"] * 4, *["kinki"] * 6, *["chugoku"] * 5, *["shikoku"] * 4, *["kyushu"] * 7, "okinawa",
)
# Regional defence bureau of each prefecture (JIS order)
DEFENCE_BUREAU = (
    "hokkaido", *["tohoku"] * 6, *["kitakanto"] * 4, *["minamikanto"] * 3, "kitakanto", *["kinkichubu"] * 3,
    "minamikanto", "kitakanto", "kinkichubu", "minamikanto", "kinkichubu", "kinkichubu", *["kinkichubu"] * 6, *["chugokushikoku"] * 9,
    *["kyushu"] * 7, "okinawa",
)
CODED_SHARE = {"mlit": 0.9, "national_other": 0.6, "prefecture": 0.9, "municipality": 0.9}


def check_digit(five: str) -> str:
    """JIS X 0402 check digit: weights 6..2 over the five digits, (11 - sum mod 11) mod 10."""
    total = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2)))
    return str((11 - total % 11) % 10)


def local_code(five: str) -> str:
    return five + check_digit(five)


def orderer_codes(orderer: np.ndarray, pref: np.ndarray, gen) -> np.ndarray:
    """Index into orderer_table() of each site's orderer_code, -1 for empty."""
    n = len(orderer)
    coded = np.zeros(n, bool)
    u = gen.random(n)
    for kind, share in CODED_SHARE.items():
        coded |= (orderer == ORDERER[kind]) & (u < share)
    kind_block = np.select([orderer == ORDERER["prefecture"], orderer == ORDERER["municipality"],
                            orderer == ORDERER["mlit"], orderer == ORDERER["national_other"]], [0, 1, 2, 3], -1)
    return np.where(coded & (kind_block >= 0), kind_block * 47 + pref, -1)


@lru_cache(maxsize=None)
def orderer_table() -> pa.Array:
    """Per prefecture: its own code, its capital's, its MLIT bureau's, its defence bureau's."""
    pref_codes = [local_code(f"{i:02d}000") for i in range(1, 48)]
    return strings([*pref_codes, *(local_code(c) for c in ref.prefectures().capital_codes),
                    *(f"mlit-{b}" for b in MLIT_BUREAU), *(f"mod-{b}" for b in DEFENCE_BUREAU)])

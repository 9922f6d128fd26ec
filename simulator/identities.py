"""Fake personal data (names, phones, addresses, business names): drawn as small integer codes
with the population, rendered to text per delivery chunk. Recognisable strings a privacy scan
can look for (reference.SURNAMES, ...)."""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from simulator import reference as ref
from simulator.codes import SOLE
from simulator.text import digits, join, null_where, strings, take


def draw_names(rng, n: int) -> np.ndarray:
    """(n, 3) surname, given name, female."""
    out = np.empty((n, 3), np.int16)
    out[:, 0] = rng.integers(0, len(ref.SURNAMES), n)
    out[:, 1] = rng.integers(0, len(ref.GIVEN_MALE), n)
    female = rng.random(n) < 0.03
    out[:, 2] = female
    out[female, 1] = rng.integers(0, len(ref.GIVEN_FEMALE), int(female.sum()))
    return out


def draw_phones(rng, n: int) -> np.ndarray:
    """(n, 3) prefix, 4 digits, 4 digits; prefix -1 = none."""
    out = np.empty((n, 3), np.int16)
    out[:, 0] = rng.integers(0, 3, n)
    out[:, 1] = rng.integers(0, 10000, n)
    out[:, 2] = rng.integers(0, 10000, n)
    return out


def draw_addresses(rng, n: int) -> np.ndarray:
    """(n, 4) town, x, y, z (x-y-z after the town); town -1 = none."""
    out = np.empty((n, 4), np.int16)
    out[:, 0] = rng.integers(0, len(ref.TOWNS), n)
    out[:, 1] = rng.integers(1, 6, n)
    out[:, 2] = rng.integers(1, 30, n)
    out[:, 3] = rng.integers(1, 20, n)
    return out


def name_strings(names: np.ndarray) -> pa.Array:
    sur, male, fem = strings(ref.SURNAMES), strings(ref.GIVEN_MALE), strings(ref.GIVEN_FEMALE)
    given = pc.if_else(pa.array(names[:, 2].astype(bool)), take(fem, np.minimum(names[:, 1], len(ref.GIVEN_FEMALE) - 1)),
                       take(male, names[:, 1]))
    return join(take(sur, names[:, 0]), " ", given)


def phone_strings(ph: np.ndarray) -> pa.Array:
    s = join(take(strings(("090", "080", "070")), np.maximum(ph[:, 0], 0)), "-", digits(ph[:, 1], 4), "-",
             digits(ph[:, 2], 4))
    return null_where(s, ph[:, 0] < 0)


def address_strings(home: np.ndarray, ad: np.ndarray) -> pa.Array:
    P = ref.prefectures()
    s = join(take(strings(P.names), home), take(strings(P.capitals), home), take(strings(ref.TOWNS), np.maximum(ad[:, 0], 0)),
             pa.array(ad[:, 1].astype(np.int64)).cast(pa.string()), "-",
             pa.array(ad[:, 2].astype(np.int64)).cast(pa.string()), "-",
             pa.array(ad[:, 3].astype(np.int64)).cast(pa.string()))
    return null_where(s, ad[:, 0] < 0)


def business_names(B, idx: np.ndarray) -> pa.Array:
    """Company names (株式会社…, …株式会社, 有限会社…) and sole proprietors' (the owner's name,
    sometimes with a trade name before it: personal data)."""
    O = ref.occupations()
    suffix_tbl = strings(ref.TRADE_SUFFIX.get(c, "工業") for c in O.codes)
    owner = name_strings(B.owner[idx])
    sur = take(strings(ref.SURNAMES), B.owner[idx, 0])
    suffix = take(suffix_tbl, B.trade[idx])
    stem = take(strings(ref.COMPANY_STEMS), B.stem[idx])
    form = B.form[idx]
    sole_name = pc.if_else(pa.array(B.surname_trade[idx]), join(sur, suffix, " ", owner), owner)
    comp = pc.if_else(pa.array(form < 0.5), join("株式会社", stem, suffix),
                      pc.if_else(pa.array(form < 0.75), join(stem, suffix, "株式会社"), join("有限会社", stem, suffix)))
    return pc.if_else(pa.array(B.kind[idx] == SOLE), sole_name, comp)

"""How an orderer and a prime are named on the pages: an orderer by its type (and its own code
when delivered); a prime by its registry business name, never a sole proprietor's name (it is
a person's: dropped at the door)."""

from __future__ import annotations

from .. import format as fmt
from ..i18n import Text
from .data import ORDERER, _none_if_missing

SOLE_PROPRIETOR = Text("一人親方の元請（名称は表示しません）", "a sole-proprietor prime (name not shown)")


def orderer_name(record: dict) -> Text:
    kind = ORDERER.get(_none_if_missing(record.get("orderer_type")), Text(fmt.MISSING, fmt.MISSING))
    code = _none_if_missing(record.get("orderer_code"))
    return kind if code is None else Text(f"{kind.ja}（{code}）", f"{kind.en} ({code})")


def prime_name(record: dict) -> Text:
    name = _none_if_missing(record.get("prime_business_name"))
    if name is not None:
        return Text(str(name), str(name))
    if _none_if_missing(record.get("prime_is_sole_proprietor")):
        return SOLE_PROPRIETOR
    business = _none_if_missing(record.get("prime_business_id")) or fmt.MISSING
    return Text(f"事業者 {business}", f"business {business}")

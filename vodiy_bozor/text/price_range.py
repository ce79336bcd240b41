"""A buyer's price filter: `1-3 млн`, `от 1 до 3 млн`, `500$ гача`, `1 mln dan`.

Pure: no I/O. Each end is read by text.price; errors carry a machine-readable `reason`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from vodiy_bozor.models import Currency, PriceRange
from vodiy_bozor.text.errors import ReadError, shorten
from vodiy_bozor.text.price import MAX_PRICE_TEXT, PriceError, PriceProblem, parse_price
from vodiy_bozor.text.script import clean

__all__ = ["PriceRangeError", "PriceRangeProblem", "parse_price_range"]


class PriceRangeProblem(enum.StrEnum):
    """Why a price filter was not accepted; values are stable codes for locale keys."""

    EMPTY = "empty"
    NOT_A_PRICE = "not_a_price"  # a side is not a price (`price_problem` says why)
    MIXED_CURRENCIES = "mixed_currencies"  # `1 млн - 500$`: no exchange rate to compare with
    UPSIDE_DOWN = "upside_down"  # `5-1 млн`: `swapped` holds what was probably meant


_RANGE_MESSAGES: Final[Mapping[PriceRangeProblem, str]] = MappingProxyType(
    {
        PriceRangeProblem.EMPTY: "the price range is empty",
        PriceRangeProblem.NOT_A_PRICE: "not a price range we can read",
        PriceRangeProblem.MIXED_CURRENCIES: "the two ends of the range are in different currencies",
        PriceRangeProblem.UPSIDE_DOWN: "the range's lower end is above its upper end",
    }
)


class PriceRangeError(ReadError):
    """A price filter that was not accepted. `reason` says why; for NOT_A_PRICE,
    `price_problem` is what parse_price said about the side that failed; for UPSIDE_DOWN,
    `swapped` is the range with its ends exchanged (to offer it, or to apply it)."""

    def __init__(
        self,
        reason: PriceRangeProblem,
        text: str,
        *,
        price_problem: PriceProblem | None = None,
        swapped: PriceRange | None = None,
    ) -> None:
        super().__init__(f"{_RANGE_MESSAGES[reason]}: {shorten(text)!r}")
        self.reason = reason
        self.text = text
        self.price_problem = price_problem
        self.swapped = swapped


_DASH: Final = r"[-\u2010-\u2015\u2212]"
_FROM_WORD: Final = r"(?:от|ot|from)"
_TO_WORD: Final = r"(?:до|do|to)"
_FROM_SUFFIX: Final = r"(?:дан|dan|тан|tan)(?:\s+(?:бошлаб|boshlab|юқори|yuqori|ортиқ|ortiq))?"
_TO_SUFFIX: Final = r"(?:гача|gacha|кача|qacha)"
# Each pattern is tried in order on the cleaned text; `lo` and `hi` are the two ends' texts.
# Uzbek case suffixes may be glued to the unit (`1 млндан`, `2 mlngacha`, `500$гача`).
_RANGE_PATTERNS: Final = tuple(
    re.compile(pattern)
    for pattern in (
        rf"{_FROM_WORD}\s+(?P<lo>.*[0-9].*?)\s+{_TO_WORD}\s+(?P<hi>.*[0-9].*)",
        rf"(?P<lo>.*[0-9].*?)\s*(?:дан|dan|тан|tan)\s+(?P<hi>.*[0-9].*?)\s*{_TO_SUFFIX}",
        rf"(?P<lo>[^-]*[0-9][^-]*?)\s*{_DASH}\s*(?P<hi>.*[0-9].*)",
        rf"{_TO_WORD}\s+(?P<hi>.*[0-9].*)",
        rf"(?P<hi>.*[0-9].*?)\s*{_TO_SUFFIX}",
        rf"{_FROM_WORD}\s+(?P<lo>.*[0-9].*)",
        rf"(?P<lo>.*[0-9].*?)\s*{_FROM_SUFFIX}",
        r"(?P<hi>.*[0-9].*)",  # a bare price is a budget: up to that
    )
)
_BARE_NUMBER: Final = re.compile(r"[0-9][0-9 .,]*")
# The longest filter anyone types (`1 000 000 so'mdan 3 000 000 so'mgacha` is 36); longer text
# is not a price range, and the patterns above need not run over a pasted essay.
_MAX_RANGE_LENGTH: Final = 80
_NUMBERS: Final = re.compile(r"[0-9][0-9 .,]*[0-9]|[0-9]")


def _units_of(side: str) -> str:
    """What follows or precedes the number on one end (`3 млн сўм` → ` млн сўм`)."""
    return _NUMBERS.sub(" ", side)


def parse_price_range(text: str) -> PriceRange:
    """Read a price filter the way people here type it; raise PriceRangeError otherwise.

    Understood, with every price spelling parse_price reads on each end:
    - both ends: `1-3 млн`, `1–3 млн`, `1 млн - 3 млн`, `500 минг - 1 млн`, `100-200$`,
      `от 1 до 3 млн`, `1 млн дан 3 млн гача`; a bare number on one end takes the other end's
      unit and currency (`1-3 млн` is 1 to 3 million so'm, `$100-200` is 100 to 200 USD);
    - an upper end only: `до 2 млн`, `500$ гача`, `2 mln gacha`, `2 млнгача`, or a bare price
      (`2 млн`: a buyer who types one number states a budget);
    - a lower end only: `от 1 млн`, `300 000 дан`, `1 mln dan`, `1 млндан`, `1 mln dan yuqori`.

    An upside-down range (`5-1 млн`) is UPSIDE_DOWN, with the exchanged range in `swapped`,
    rather than silently reordered: the buyer may have mistyped either end.
    """
    if len(text) > MAX_PRICE_TEXT:  # far longer than a range can be, before any work
        raise PriceRangeError(PriceRangeProblem.NOT_A_PRICE, text)
    cleaned = clean(text)
    if not cleaned:
        raise PriceRangeError(PriceRangeProblem.EMPTY, text)
    if len(cleaned) > _MAX_RANGE_LENGTH:
        raise PriceRangeError(PriceRangeProblem.NOT_A_PRICE, text)
    for pattern in _RANGE_PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match is not None:
            break
    else:
        raise PriceRangeError(PriceRangeProblem.NOT_A_PRICE, text)
    found = match.groupdict()
    low_text, high_text = found.get("lo"), found.get("hi")
    # A bare number on one end takes the other end's unit: `1-3 млн`, `$100-200`.
    if low_text is not None and high_text is not None:
        if _BARE_NUMBER.fullmatch(low_text) and not _BARE_NUMBER.fullmatch(high_text):
            low_text = f"{low_text} {_units_of(high_text)}"
        elif _BARE_NUMBER.fullmatch(high_text) and not _BARE_NUMBER.fullmatch(low_text):
            high_text = f"{high_text} {_units_of(low_text)}"
    low = _range_end(low_text, text)
    high = _range_end(high_text, text)
    if low is not None and high is not None:
        if low[1] is not high[1]:
            raise PriceRangeError(PriceRangeProblem.MIXED_CURRENCIES, text)
        if low[0] > high[0]:
            raise PriceRangeError(
                PriceRangeProblem.UPSIDE_DOWN, text, swapped=PriceRange(high[0], low[0], low[1])
            )
    return PriceRange(
        minimum=low[0] if low else None,
        maximum=high[0] if high else None,
        currency=(low or high or (0, Currency.UZS))[1],
    )


def _range_end(side: str | None, text: str) -> tuple[int, Currency] | None:
    """One end's amount and currency; None when the range has no such end."""
    if side is None:
        return None
    try:
        price = parse_price(side)
    except PriceError as error:
        raise PriceRangeError(
            PriceRangeProblem.NOT_A_PRICE, text, price_problem=error.reason
        ) from None
    if price.amount is None:  # a negotiable word is no bound
        raise PriceRangeError(PriceRangeProblem.NOT_A_PRICE, text)
    return price.amount, price.currency

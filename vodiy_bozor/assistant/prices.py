"""Is a price far off for its category? And what did the seller probably mean?

A price more than 10× above or below the median of the category's published ads of the last 90
days (once there are at least 20) is far off. The likely intended amount is the reading that
lands nearest the median: a forgotten `минг`/`млн` (×1,000, ×1,000,000), an extra one (÷), or
dollars typed as so'm and the other way round.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from vodiy_bozor.assistant.types import PriceStats
from vodiy_bozor.models import Currency, Price
from vodiy_bozor.text.price import PRICE_BOUNDS

# So'm per US dollar, fixed: the check compares orders of magnitude, which a rate that drifts
# by some percent a year does not change (the Central Bank's rate was 12,000-13,000 through
# 2024-2026: https://cbu.uz/en/arkhiv-kursov-valyut/). Change it here if the so'm moves a lot.
USD_RATE_UZS: Final = 12_500
FAR_FACTOR: Final = 10.0
MIN_SAMPLE: Final = 20


@dataclass(frozen=True, slots=True)
class PriceCheck:
    """A far-off price: how far, and the amount the seller probably meant (None: no reading
    lands near the median)."""

    price: Price
    median_uzs: int
    ratio: float  # the price over the median, both in so'm
    suggestion: Price | None

    @property
    def too_high(self) -> bool:
        return self.ratio > 1


def in_uzs(price: Price) -> int | None:
    if price.amount is None:
        return None
    return price.amount * USD_RATE_UZS if price.currency is Currency.USD else price.amount


def _readings(price: Price) -> list[Price]:
    """Other ways to read what the seller typed."""
    amount = price.amount
    assert amount is not None
    out: list[Price] = []
    for factor in (1_000, 1_000_000):
        out.append(Price(amount * factor, price.currency))
        if amount % factor == 0:
            out.append(Price(amount // factor, price.currency))
    other = Currency.USD if price.currency is Currency.UZS else Currency.UZS
    out.append(Price(amount, other))
    if other is Currency.UZS:
        out.extend(Price(amount * factor, other) for factor in (1_000, 1_000_000))
    low, high = PRICE_BOUNDS[Currency.UZS]
    return [p for p in out if p.amount and low <= (in_uzs(p) or 0) <= high]


def check_price(price: Price, stats: PriceStats) -> PriceCheck | None:
    """None when the price is plausible, negotiable, or the category has too few prices."""
    uzs = in_uzs(price)
    if uzs is None or stats.median_uzs is None or stats.count < MIN_SAMPLE:
        return None
    median = stats.median_uzs
    if median <= 0:
        return None
    ratio = uzs / median
    if 1 / FAR_FACTOR <= ratio <= FAR_FACTOR:
        return None
    best: Price | None = None
    best_gap = math.inf
    for reading in _readings(price):
        gap = abs(math.log10((in_uzs(reading) or 1) / median))
        if gap < best_gap:
            best, best_gap = reading, gap
    # A suggestion that is itself far off would only confuse the seller.
    suggestion = best if best_gap < math.log10(FAR_FACTOR) else None
    return PriceCheck(price=price, median_uzs=round(median), ratio=ratio, suggestion=suggestion)

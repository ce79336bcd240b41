"""Reading a whole ad written as one message (the quick post): a caption of an album, one
photo's caption, a forwarded ad or a text alone.

The seller's text is read for the fields the ad dialog asks for; what could not be read is
left as None, and the dialog asks for exactly those. The description is the seller's text
without the parts that became fields (the price line, the phone, the place line, hashtags).

Pure: no I/O, no clock; safe to call on the event loop (bounded time for any input).
"""

from __future__ import annotations

from dataclasses import dataclass

from vodiy_bozor.models import Category, Price, Region


@dataclass(frozen=True, slots=True)
class AdReading:
    """What one message says about an ad. `price` is `Price(amount=None)` when the seller wrote
    that it is negotiable, None when no price was found. `district` is the place's Latin name
    as the new alphabet writes it, without apostrophes (`Margilon`, `Asaka`, `Quvasoy`,
    `Toshkent`). `phone` is `+998XXXXXXXXX` (the form `parsing.parse_phone` returns)."""

    category: Category | None = None
    price: Price | None = None
    region: Region | None = None
    district: str | None = None
    phone: str | None = None
    description: str = ""


def read_ad(text: str) -> AdReading:
    """Read `text` (a caption or a message) for an ad's fields. Never raises."""
    return AdReading(description=text.strip())

"""The assistant's value types: what the pure signals compare and read (an ad's fingerprints,
the seller's facts, a category's prices, a similar past ad). Read from the database by
`db.assistant`, used by the signals without any I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from vodiy_bozor.models import AdStatus, Category, Price


@dataclass(frozen=True, slots=True)
class PhotoPrint:
    file_unique_id: str
    phash: int | None


@dataclass(frozen=True, slots=True)
class AdPrint:
    """What the assistant compares: an ad's text, phone, owner and photo fingerprints."""

    id: int
    owner_id: int
    status: AdStatus
    category: Category
    description: str
    phone: str
    price: Price
    created_at: datetime
    photos: tuple[PhotoPrint, ...]
    owner_first_seen: datetime | None = None
    post_chat_id: int | None = None  # the first channel post, when it has one
    post_message_id: int | None = None


@dataclass(frozen=True, slots=True)
class SellerFacts:
    owner_first_seen: datetime | None
    rejections_30d: int  # the owner's ads rejected in the 30 days before this ad
    phone_accounts: int  # distinct accounts with ads on this phone (this one included)
    recent_ads: int = 0  # the owner's other ads created in the day before this one


@dataclass(frozen=True, slots=True)
class PriceStats:
    count: int  # published priced ads of the category in the window (up to the sample size)
    median_uzs: float | None


@dataclass(frozen=True, slots=True)
class Neighbour:
    """A past approved ad similar in words: the moderators' decision on its category."""

    id: int
    category: Category
    description: str

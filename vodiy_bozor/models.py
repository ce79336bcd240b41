"""Plain data the whole bot talks in: enums and small frozen dataclasses, no I/O.

Nothing here imports from the rest of the project, so every layer can use it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final


class Lang(enum.StrEnum):
    """Interface languages. Uzbek in Cyrillic script is the default, as in the original spec."""

    UZ_CYRL = "uz_cyrl"
    UZ_LATN = "uz_latn"
    RU = "ru"

    @classmethod
    def default(cls) -> Lang:
        return cls.UZ_CYRL

    @classmethod
    def from_telegram(cls, language_code: str | None) -> Lang:
        """Guess from Telegram's `language_code` (IETF tag); the user can always pick with /lang.

        Telegram sends plain `uz` without a script, so only an explicit Latin tag picks Latin.
        """
        code = (language_code or "").lower().replace("_", "-")
        if code.startswith("ru"):
            return cls.RU
        if code.startswith("uz-latn"):
            return cls.UZ_LATN
        return cls.UZ_CYRL


class Currency(enum.StrEnum):
    UZS = "UZS"
    USD = "USD"


@dataclass(frozen=True, slots=True)
class Price:
    """A price as the seller meant it. `amount` is in whole units; None means negotiable."""

    amount: int | None
    currency: Currency = Currency.UZS

    @property
    def negotiable(self) -> bool:
        return self.amount is None

    @classmethod
    def negotiable_price(cls) -> Price:
        return cls(amount=None)


@dataclass(frozen=True, slots=True)
class PriceRange:
    """A buyer's price filter: `minimum` and/or `maximum` (inclusive, whole units), one currency.

    At least one bound is set, and `minimum <= maximum` when both are.
    """

    minimum: int | None
    maximum: int | None
    currency: Currency = Currency.UZS

    def contains(self, price: Price) -> bool:
        """Whether an ad's price passes the filter; a negotiable price never does."""
        if price.amount is None or price.currency is not self.currency:
            return False
        return (self.minimum is None or price.amount >= self.minimum) and (
            self.maximum is None or price.amount <= self.maximum
        )


class Category(enum.StrEnum):
    """Ad categories. The first seven are the original 2017 channel's; values are stable codes
    used in the database, callback data and hashtags' lookup, so never rename one."""

    VEHICLES = "vehicles"
    REALTY = "realty"
    APPLIANCES = "appliances"
    HOUSEHOLD = "household"
    CLOTHING = "clothing"
    SPORTS = "sports"
    PHONES = "phones"
    ELECTRONICS = "electronics"
    LIVESTOCK = "livestock"
    SERVICES = "services"
    OTHER = "other"


class Region(enum.StrEnum):
    """The Fergana Valley's three regions, and everything else."""

    ANDIJAN = "andijan"
    FERGANA = "fergana"
    NAMANGAN = "namangan"
    OTHER = "other"


class AdStatus(enum.StrEnum):
    """An ad's life: pending → approved → published → sold | removed | expired; or rejected.

    `approved` is the short moment between an admin's tap and the channel post being out;
    `expired` ads can be renewed by their owner, which makes them `published` again.
    """

    PENDING = "pending"
    APPROVED = "approved"
    PUBLISHED = "published"
    REJECTED = "rejected"
    SOLD = "sold"
    REMOVED = "removed"
    EXPIRED = "expired"

    @property
    def live(self) -> bool:
        """Still for sale in the channel."""
        return self in (AdStatus.APPROVED, AdStatus.PUBLISHED)


@dataclass(frozen=True, slots=True)
class Photo:
    file_id: str
    file_unique_id: str


@dataclass(frozen=True, slots=True)
class AdContent:
    """Everything the seller typed: what the caption is rendered from."""

    category: Category
    description: str
    price: Price
    region: Region
    district: str | None
    phone: str
    photos: tuple[Photo, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class User:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    lang: Lang = Lang.UZ_CYRL
    blocked: bool = False
    first_seen: datetime | None = None
    last_seen: datetime | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name


@dataclass(frozen=True, slots=True)
class Ad:
    id: int
    owner_id: int
    status: AdStatus
    content: AdContent
    created_at: datetime
    decided_at: datetime | None = None
    decided_by: int | None = None
    reject_code: str | None = None
    reject_reason: str | None = None
    published_at: datetime | None = None
    closed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ChannelPost:
    """One channel message of an ad (an album has one per photo; position 0 has the caption)."""

    chat_id: int
    message_id: int
    position: int
    is_repost: bool


class OutboxKind(enum.StrEnum):
    """What an outbox row delivers. Rows carry ids, not texts: each is rendered when it is sent,
    from the state at that moment (an admin card sent after a decision already shows it)."""

    ADMIN_PHOTOS = "admin_photos"  # the ad's photos to one admin
    ADMIN_CARD = "admin_card"  # the card with approve/reject buttons
    ADMIN_CARD_UPDATE = "admin_card_update"  # the card edited after a decision
    CHANNEL_POST = "channel_post"  # the first publication
    CHANNEL_REPOST = "channel_repost"  # "still for sale" again
    CHANNEL_CAPTION = "channel_caption"  # an old channel message edited: sold, removed
    OWNER_PUBLISHED = "owner_published"  # "your ad is out", with the link
    OWNER_REJECTED = "owner_rejected"  # "your ad was rejected", with the reason
    OWNER_EXPIRED = "owner_expired"  # "no answer, the ad stopped being shown"
    SOLD_QUESTION = "sold_question"  # "has it sold?"
    ADMIN_CHANNEL_REFUSED = "admin_channel_refused"  # the channel refuses posts: what to fix
    ADMIN_CHANNEL_RESTORED = "admin_channel_restored"  # the channel takes posts again
    ADMIN_POST_UNKNOWN = "admin_post_unknown"  # a post may or may not be in the channel
    # A buyer's saved search matched a new ad. Bulk (one ad can match thousands): it must be
    # served after every other kind, so a fan-out never delays cards, posts or answers.
    BUYER_NOTICE = "buyer_notice"
    BUYER_DIGEST = "buyer_digest"  # the evening list of what came past the day's notices
    # Paid promotions (Telegram Stars): between first posts and ordinary reposts in the
    # channel's queue (db/outbox.py, PROMOTION_KINDS).
    CHANNEL_LIFT = "channel_lift"  # the ad posted again now, marked 🚀
    CHANNEL_PIN = "channel_pin"  # the ad's channel post pinned
    CHANNEL_UNPIN = "channel_unpin"  # ... and unpinned when its 24 hours are over
    OWNER_PROMOTION = "owner_promotion"  # the buyer of a promotion told how it goes
    ADMIN_PAYMENT_FOUND = "admin_payment_found"  # a payment found only by reconciliation


# -- buyers' search: filters, hits, saved searches (the engine is db.search) ------------------

# Saved searches per buyer; the eleventh is refused.
MAX_SAVED_SEARCHES: Final = 10


@dataclass(frozen=True, slots=True)
class SearchFilters:
    category: Category | None = None
    region: Region | None = None
    price: PriceRange | None = None


NO_FILTERS: Final = SearchFilters()


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result: enough for a line in the results list, an inline result and its link."""

    ad_id: int
    owner_id: int
    category: Category
    region: Region
    district: str | None
    description: str
    price: Price
    created_at: datetime
    published_at: datetime
    photo_file_id: str | None  # the first photo, for inline results
    post_chat_id: int | None  # the newest channel post carrying the caption
    post_message_id: int | None
    exact: bool  # False: found through a typo-tolerant word
    lifted: bool = False  # a paid lift is running: shown first, marked 🚀
    lifted_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class SavedSearch:
    id: int
    buyer_id: int
    query: str
    terms: tuple[str, ...]
    filters: SearchFilters
    created_at: datetime


@dataclass(frozen=True, slots=True)
class After:
    """A keyset cursor: the results after this hit (its tier, publication time and id), so
    endless scrolling reads each page by index rather than skipping an offset."""

    exact: bool
    published_at: datetime
    ad_id: int
    lifted_until: datetime | None = None  # the hit was a lifted one: the cursor is among them


# -- the catalogue Mini App -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CardPhoto:
    """What the grid needs of an ad's first photo: where its copies are kept."""

    file_unique_id: str
    storage_key: str | None
    thumb_key: str | None


@dataclass(frozen=True, slots=True)
class CatalogueAd:
    """An ad as the catalogue shows it; `phone` is read only for the phone button."""

    id: int
    owner_id: int
    status: AdStatus
    category: Category
    description: str
    price: Price
    region: Region
    district: str | None
    published_at: datetime
    seller_username: str | None
    photos: tuple[tuple[int, CardPhoto], ...]  # position, photo
    favourite: bool  # the asking buyer keeps it


@dataclass(frozen=True, slots=True)
class Favourite:
    ad_id: int
    kept_at: datetime
    status: AdStatus
    category: Category
    region: Region
    district: str | None
    description: str
    price: Price
    published_at: datetime
    photo: CardPhoto | None

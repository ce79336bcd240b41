"""Every hint for one ad, computed from the database: the entry points the bot calls.

- `compute_hints(db, ad_id)` when the admins' card is rendered (and again once the photos are
  hashed), off the seller's path: duplicates,
  price, scam signals and the category, for the admin card's ⚠️ / 💰 / 🤖 / 📂 lines. It also
  stores the ad's text sketch (so later ads are compared with it) and the hints (so
  `vodiy-bozor assistant` can score them against the admins' decisions).
- `DraftPriceChecks.check(db, category, price)` at the price step of the dialog (each
  category's median reused for a few minutes); `check_draft_price` reads it afresh.
- `own_repeat(db, owner_id, content)` at the preview: the seller's own live ad it repeats.
- `hash_photo(data)` in the photo archive worker, then `db.assistant.set_photo_hash`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from vodiy_bozor.assistant import category as category_signal
from vodiy_bozor.assistant import photo_hash, scam
from vodiy_bozor.assistant.category import CategorySuggestion
from vodiy_bozor.assistant.duplicates import DuplicateMatch, closest_duplicate
from vodiy_bozor.assistant.prices import USD_RATE_UZS, PriceCheck, check_price
from vodiy_bozor.assistant.scam import ScamAssessment
from vodiy_bozor.assistant.types import AdPrint, PhotoPrint, PriceStats
from vodiy_bozor.db import Executor
from vodiy_bozor.db import assistant as sql
from vodiy_bozor.models import AdContent, AdStatus, Category, Price
from vodiy_bozor.text.fold import fold
from vodiy_bozor.text.sketch import text_sketch


@dataclass(frozen=True, slots=True)
class AdHints:
    """What the assistant noticed about one ad. Each `*_line` property says whether the card
    gets that line; the data to render it is on the field."""

    ad_id: int
    duplicate: DuplicateMatch | None  # ⚠️ the closest earlier ad it repeats
    price: PriceCheck | None  # 💰 far off the category's median
    scam: ScamAssessment  # 🤖 level and reasons
    category: CategorySuggestion  # 📂 when it differs with high confidence

    @property
    def duplicate_line(self) -> bool:
        return self.duplicate is not None

    @property
    def price_line(self) -> bool:
        return self.price is not None

    @property
    def scam_line(self) -> bool:
        return self.scam.shown

    @property
    def category_line(self) -> bool:
        return self.category.shown


@dataclass(frozen=True, slots=True)
class PhotoHash:
    value: int  # signed 64-bit, for ad_photos.phash
    bands: list[int]  # for photo_bands


def hash_photo(data: bytes) -> PhotoHash:
    """For the archive worker: `h = hash_photo(data)` then
    `await db.assistant.set_photo_hash(conn, ad_id, position, h.value, h.bands)`.
    A few ms of CPU for a phone photo: run it in a thread (`asyncio.to_thread`). Raises
    photo_hash.NotAnImage when the bytes are not a readable picture."""
    value = photo_hash.dhash(data)
    return PhotoHash(value, photo_hash.bands(value))


async def compute_hints(
    db: Executor, ad_id: int, *, save: bool = True, save_to: Executor | None = None
) -> AdHints | None:
    """Every hint for the ad (None if there is no such ad). With `save`, the hints and the
    ad's text sketch are kept, through `save_to` when given (a pool: a transaction of their
    own, committed asynchronously, see `db.assistant.save_hints`), else through `db`."""
    ad = await sql.ad_print(db, ad_id)
    if ad is None:
        return None
    folded = fold(ad.description)
    sketch = text_sketch(folded)
    probes = sorted(
        {b for p in ad.photos if p.phash is not None for b in photo_hash.probe_bands(p.phash)}
    )
    candidates = await sql.duplicate_candidates(
        db, ad, probe_bands=probes, sketch=sketch, near_distance=photo_hash.NEAR_DISTANCE
    )
    duplicate = closest_duplicate(ad, candidates)

    stats = await sql.price_stats(db, ad.category, before=ad.created_at, usd_rate=USD_RATE_UZS)
    price = check_price(ad.price, stats)

    facts = await sql.seller_facts(db, ad)
    assessment = scam.assess(
        ad.description,
        ad.phone,
        facts,
        created_at=ad.created_at,
        # A forgotten "минг" is a typo for the 💰 line, not a sign of bait.
        too_cheap=price is not None and not price.too_high and price.suggestion is None,
        price=ad.price,
    )

    neighbours = await sql.category_neighbours(db, ad, sketch=sketch)
    suggestion = category_signal.suggest(ad.description, ad.category, neighbours)

    hints = AdHints(ad.id, duplicate, price, assessment, suggestion)
    if save:
        await sql.save_hints(
            save_to if save_to is not None else db,
            sql.StoredHints(
                ad_id=ad.id,
                duplicate_of=duplicate.candidate.id if duplicate else None,
                scam_level=assessment.level.code,
                scam_reasons=tuple(r.value for r in assessment.reasons),
                suggested_category=suggestion.category,
                category_confidence=suggestion.confidence,
                category_shown=suggestion.shown,
                price_off=price is not None,
            ),
            sketch,
        )
    return hints


async def check_draft_price(
    db: Executor, category: Category, price: Price, *, now: datetime | None = None
) -> PriceCheck | None:
    """At the price step: None when the price is plausible; otherwise how far off it is and
    the amount the seller probably meant (`suggestion`, may be None)."""
    stats = await sql.price_stats(
        db, category, before=now or datetime.now(UTC), usd_rate=USD_RATE_UZS
    )
    return check_price(price, stats)


# How long a category's price median is reused for the sellers' price checks. The median of
# up to 501 recent prices moves little in minutes; reading it for every seller's price was
# the costliest statement of the dialog after the submit.
PRICE_STATS_TTL = 300.0


class DraftPriceChecks:
    """The price step's check, with each category's median read at most once per `ttl`
    seconds in this process (a category set is small and fixed: the memo stays tiny)."""

    def __init__(
        self, *, ttl: float = PRICE_STATS_TTL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._stats: dict[Category, tuple[float, PriceStats]] = {}

    async def check(self, db: Executor, category: Category, price: Price) -> PriceCheck | None:
        now = self._clock()
        kept = self._stats.get(category)
        if kept is not None and now - kept[0] < self._ttl:
            stats = kept[1]
        else:
            stats = await sql.price_stats(
                db, category, before=datetime.now(UTC), usd_rate=USD_RATE_UZS
            )
            self._stats[category] = (now, stats)
        return check_price(price, stats)


# Larger than any ad id: a draft is compared with every ad already in the database.
_DRAFT_ID = 2**63 - 1


async def own_repeat(
    db: Executor, owner_id: int, content: AdContent, *, now: datetime | None = None
) -> DuplicateMatch | None:
    """At the preview: the seller's own live ad that this draft repeats (offer to renew it
    instead), or None. Photos are compared by file only: drafts are not hashed yet."""
    draft = AdPrint(
        id=_DRAFT_ID,
        owner_id=owner_id,
        status=AdStatus.PENDING,
        category=content.category,
        description=content.description,
        phone=content.phone,
        price=content.price,
        created_at=now or datetime.now(UTC),
        photos=tuple(PhotoPrint(p.file_unique_id, None) for p in content.photos),
    )
    # Only the seller's own live ads can be renewed: read those alone (one range scan of the
    # owner's ads) rather than every seller's candidates, filtered afterwards.
    mine = await sql.own_live_ads(db, owner_id, since=draft.created_at - sql.DUPLICATE_WINDOW)
    match = closest_duplicate(draft, mine)
    return match if match is not None and match.own_live_repeat else None

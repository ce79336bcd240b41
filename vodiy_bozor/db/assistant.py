"""The moderation assistant's SQL: fingerprints of ads and photos, the few candidates one ad is
compared with, the facts the scam and price signals read, and the hints kept for scoring
(admin actions are in `db.admin_actions`, bans in `db.bans`).

Every "recent" window is measured back from the ad's own `created_at`, not from now(): at submit
the two are the same, and an ad loaded with an old date (the evaluation command) sees the
database as it was then. Only ads with a smaller id are compared with: an ad repeats an earlier
one, never a later one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg

from vodiy_bozor.assistant.types import AdPrint, Neighbour, PhotoPrint, PriceStats, SellerFacts
from vodiy_bozor.db import Conn, Executor, price_of
from vodiy_bozor.models import AdStatus, Category

DUPLICATE_WINDOW = timedelta(days=60)
PRICE_WINDOW = timedelta(days=90)
REJECTION_WINDOW = timedelta(days=30)
# How many rows each candidate source may contribute: enough for any real repeat, and a bound
# on the work when a very common word pair or photo band matches thousands of ads.
_PER_SOURCE = 50
_TEXT_CANDIDATES = 40
# A seller's own live ads a draft is compared with: more than the daily limit allows in any
# real shop's busy week, and a bound on the work for one that lists hundreds.
OWN_ADS_COMPARED = 200
# Photos sharing a probed band, before the window is applied (random hashes give a few).
_BAND_HITS = 1000
_PER_BAND = 50
# A median over the most recent published prices, at most this many: a stable estimate that
# reads a bounded number of index entries however busy the category is.
_MEDIAN_SAMPLE = 501


# -- fingerprints --------------------------------------------------------------------------------


async def set_photo_hash(
    db: Executor, ad_id: int, position: int, phash: int, bands: Sequence[int]
) -> None:
    """Store a photo's perceptual hash and its indexed bands (photo_hash.dhash/bands); hashing
    the same photo again replaces them."""
    await db.execute(
        """
        WITH photo AS (
            UPDATE ad_photos SET phash = $3 WHERE ad_id = $1 AND position = $2 RETURNING ad_id
        ),
        old AS (DELETE FROM photo_bands WHERE ad_id = $1 AND position = $2)
        INSERT INTO photo_bands (band, created_at, ad_id, position, phash)
        SELECT band, a.created_at, $1, $2, $3
          FROM unnest($4::integer[]) AS band, ads a
         WHERE a.id = $1 AND EXISTS (SELECT 1 FROM photo)
        """,
        ad_id,
        position,
        phash,
        list(bands),
    )


async def hashed_photos(db: Executor, ad_id: int) -> int:
    """How many of the ad's photos have their perceptual hash (what the duplicate hints can
    see of its photos so far)."""
    value: int = await db.fetchval("SELECT count(phash) FROM ad_photos WHERE ad_id = $1", ad_id)
    return value


async def set_text_sketch(db: Executor, ad_id: int, sketch: Sequence[int]) -> None:
    await db.execute("UPDATE ads SET text_sketch = $2 WHERE id = $1", ad_id, list(sketch))


def _print(row: asyncpg.Record) -> AdPrint:
    photos = tuple(
        PhotoPrint(unique_id, phash)
        for unique_id, phash in zip(row["unique_ids"] or [], row["hashes"] or [], strict=True)
    )
    return AdPrint(
        id=row["id"],
        owner_id=row["owner_id"],
        status=AdStatus(row["status"]),
        category=Category(row["category"]),
        description=row["description"],
        phone=row["phone"],
        price=price_of(row),
        created_at=row["created_at"],
        photos=photos,
        owner_first_seen=row["first_seen"],
        post_chat_id=row["post_chat_id"],
        post_message_id=row["post_message_id"],
    )


# The columns of an AdPrint, for `a` = ads joined to users `u`.
_PRINT_COLUMNS = """
    a.id, a.owner_id, a.status, a.category, a.description, a.phone, a.price_amount,
    a.price_currency, a.created_at, u.first_seen,
    ARRAY(SELECT p.file_unique_id FROM ad_photos p WHERE p.ad_id = a.id ORDER BY p.position)
        AS unique_ids,
    ARRAY(SELECT p.phash FROM ad_photos p WHERE p.ad_id = a.id ORDER BY p.position) AS hashes,
    post.chat_id AS post_chat_id, post.message_id AS post_message_id
"""
_POST_JOIN = """
    LEFT JOIN LATERAL (
        SELECT chat_id, message_id FROM ad_posts
         WHERE ad_id = a.id AND position = 0 AND NOT is_repost
         ORDER BY posted_at LIMIT 1
    ) post ON true
"""


async def ad_print(db: Executor, ad_id: int) -> AdPrint | None:
    row = await db.fetchrow(
        f"""
        SELECT {_PRINT_COLUMNS}
          FROM ads a LEFT JOIN users u ON u.id = a.owner_id {_POST_JOIN}
         WHERE a.id = $1
        """,  # noqa: S608 - constant fragments, no user input
        ad_id,
    )
    return None if row is None else _print(row)


# $1 the ad's id, $2 the window's start, $3 its photos' file_unique_ids, $4 the photo bands to
# probe, $5 its phone, $6 its owner, $7 its text sketch, $8 its photos' hashes, $9 the largest
# Hamming distance of a near photo.
DUPLICATE_CANDIDATES = f"""
        WITH band_hits AS MATERIALIZED (
            -- One index range scan per probed band value, over the window only.
            SELECT hit.ad_id FROM unnest($4::integer[]) AS probe (band)
             CROSS JOIN LATERAL (
                SELECT ad_id, phash FROM photo_bands
                 WHERE band = probe.band AND created_at >= $2 AND ad_id < $1
                 LIMIT {_PER_BAND}) hit
             -- Only photos really near one of the ad's: the Hamming distance of the hashes,
             -- counted on the text form of the XOR (bit_count() needs PostgreSQL 14).
             WHERE EXISTS (
                SELECT 1 FROM unnest($8::bigint[]) AS mine (phash)
                 WHERE length(replace(((hit.phash # mine.phash)::bit(64))::text, '0', ''))
                       <= $9)
             LIMIT {_BAND_HITS}
        ),
        cand AS (
            (SELECT p.ad_id FROM ad_photos p JOIN ads a ON a.id = p.ad_id
              WHERE p.file_unique_id = ANY($3::text[]) AND p.ad_id < $1 AND a.created_at >= $2
              LIMIT {_PER_SOURCE})
            UNION
            (SELECT ad_id FROM band_hits LIMIT {_PER_SOURCE * 4})
            UNION
            (SELECT a.id FROM ads a
              WHERE a.phone = $5 AND a.id < $1 AND a.created_at >= $2
              ORDER BY a.created_at DESC LIMIT {_PER_SOURCE})
            UNION
            (SELECT a.id FROM ads a
              WHERE a.owner_id = $6 AND a.id < $1 AND a.created_at >= $2
              ORDER BY a.created_at DESC LIMIT {_PER_SOURCE})
            UNION
            (SELECT a.id FROM ads a
              WHERE a.text_sketch && $7::integer[] AND a.id < $1 AND a.created_at >= $2
              ORDER BY cardinality(ARRAY(SELECT unnest(a.text_sketch)
                                         INTERSECT SELECT unnest($7::integer[]))) DESC,
                       a.id DESC
              LIMIT {_TEXT_CANDIDATES})
        )
        SELECT {_PRINT_COLUMNS}
          FROM cand JOIN ads a ON a.id = cand.ad_id
          LEFT JOIN users u ON u.id = a.owner_id {_POST_JOIN}
"""  # noqa: S608 - constant fragments and numbers, no user input


async def duplicate_candidates(
    db: Executor,
    ad: AdPrint,
    *,
    probe_bands: Sequence[int],
    sketch: Sequence[int],
    near_distance: int,
) -> list[AdPrint]:
    """Earlier ads of the 60 days before `ad` that might repeat it: the same photo file, a
    photo whose hash shares a (probed) band, the same phone, the same owner, or text sharing
    sketch values (most shared first). Each source is an index lookup with a bound."""
    since = ad.created_at - DUPLICATE_WINDOW
    rows = await db.fetch(
        DUPLICATE_CANDIDATES,
        ad.id,
        since,
        [p.file_unique_id for p in ad.photos],
        list(probe_bands),
        ad.phone,
        ad.owner_id,
        list(sketch),
        [p.phash for p in ad.photos if p.phash is not None],
        near_distance,
    )
    return [_print(r) for r in rows]


# $1 the owner, $2 the start of the window, $3 how many.
OWN_LIVE_ADS = f"""
        SELECT {_PRINT_COLUMNS}
          FROM ads a LEFT JOIN users u ON u.id = a.owner_id {_POST_JOIN}
         WHERE a.owner_id = $1 AND a.created_at >= $2 AND a.status IN ('approved', 'published')
         ORDER BY a.created_at DESC LIMIT $3
"""  # noqa: S608 - constant fragments, no user input


async def own_live_ads(
    db: Executor, owner_id: int, *, since: datetime, limit: int = OWN_ADS_COMPARED
) -> list[AdPrint]:
    """The owner's live ads created since `since`, newest first: all a draft can repeat of
    its own seller's. One index range scan of the owner's ads, not the candidate search over
    everyone's that `duplicate_candidates` makes (the band, phone and sketch lookups)."""
    rows = await db.fetch(OWN_LIVE_ADS, owner_id, since, limit)
    return [_print(r) for r in rows]


# $1 the ad's id, $2 its text sketch, $3 how many.
CATEGORY_NEIGHBOURS = """
        SELECT a.id, a.category, a.description FROM ads a
         WHERE a.text_sketch && $2::integer[] AND a.id < $1 AND a.published_at IS NOT NULL
         ORDER BY cardinality(ARRAY(SELECT unnest(a.text_sketch)
                                    INTERSECT SELECT unnest($2::integer[]))) DESC, a.id DESC
         LIMIT $3
"""


async def category_neighbours(
    db: Executor, ad: AdPrint, *, sketch: Sequence[int], limit: int = 20
) -> list[Neighbour]:
    """Earlier ads the admins approved whose text shares the most sketch values with `ad`
    (their stored category is the moderators' final word on it)."""
    rows = await db.fetch(
        CATEGORY_NEIGHBOURS,
        ad.id,
        list(sketch),
        limit,
    )
    return [Neighbour(r["id"], Category(r["category"]), r["description"]) for r in rows]


# $1 the ad's id, $2 its owner, $3 its created_at, $4 the rejection window, $5 its phone.
SELLER_FACTS = """
        SELECT (SELECT first_seen FROM users WHERE id = $2) AS first_seen,
               (SELECT count(*) FROM ads
                 WHERE owner_id = $2 AND status = 'rejected'
                   AND decided_at >= $3::timestamptz - $4::interval
                   AND decided_at <= $3) AS rejections,
               (SELECT count(DISTINCT owner_id) FROM ads
                 WHERE phone = $5 AND (id <= $1 OR owner_id = $2)) AS accounts,
               (SELECT count(*) FROM ads
                 WHERE owner_id = $2 AND id <> $1
                   AND created_at > $3::timestamptz - interval '1 day'
                   AND created_at <= $3) AS recent
"""


async def seller_facts(db: Executor, ad: AdPrint) -> SellerFacts:
    row = await db.fetchrow(
        SELLER_FACTS,
        ad.id,
        ad.owner_id,
        ad.created_at,
        REJECTION_WINDOW,
        ad.phone,
    )
    assert row is not None
    return SellerFacts(row["first_seen"], row["rejections"], row["accounts"], row["recent"])


# $1 the category, $2 the end of the window, $3 its length, $4 so'm per dollar.
PRICE_STATS = f"""
        SELECT count(*) AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY uzs) AS median
          FROM (SELECT published_at,
                       CASE WHEN price_currency = 'USD' THEN price_amount * $4::bigint
                            ELSE price_amount END AS uzs
                  FROM ads
                 WHERE category = $1 AND published_at IS NOT NULL AND price_amount IS NOT NULL
                   AND published_at < $2
                 ORDER BY published_at DESC
                 LIMIT {_MEDIAN_SAMPLE}) recent
         -- The window's start is applied outside the LIMIT: asyncpg's prepared statement
         -- soon runs on a generic plan, which for a range on both sides estimated few rows,
         -- read them all and sorted them (30 ms at a million ads); with one bound and the
         -- LIMIT it walks the index from the newest instead.
         WHERE published_at >= $2::timestamptz - $3::interval
"""  # noqa: S608 - a constant number, no user input


async def price_stats(
    db: Executor, category: Category, *, before: datetime, usd_rate: int
) -> PriceStats:
    """The median price in so'm (dollars at `usd_rate`) of the category's most recent published
    ads in the 90 days before `before`."""
    row = await db.fetchrow(
        PRICE_STATS,
        category.value,
        before,
        PRICE_WINDOW,
        usd_rate,
    )
    assert row is not None
    return PriceStats(row["n"], row["median"])


# -- hints kept for scoring ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredHints:
    ad_id: int
    duplicate_of: int | None
    scam_level: str
    scam_reasons: tuple[str, ...]
    suggested_category: Category | None
    category_confidence: float | None
    category_shown: bool
    price_off: bool


async def save_hints(db: Executor, hints: StoredHints, sketch: Sequence[int]) -> None:
    """Keep the hints, and the ad's text sketch so later ads are compared with it.

    In a transaction of its own (a pool, or a connection outside any transaction) they are
    committed asynchronously (no wait for the WAL flush, which on a busy disk was most of the
    time spent on hints): a crash may lose the last moments' hints, which are recomputed from
    the ad anyway. https://www.postgresql.org/docs/current/wal-async-commit.html

    Inside a caller's transaction they are written as that transaction commits, never
    asynchronously: a `SET LOCAL` made in a savepoint outlives the savepoint's release and would
    make the caller's whole commit asynchronous (an ad, its photos, its cards lost in a crash).
    https://www.postgresql.org/docs/current/sql-set.html
    """
    if isinstance(db, asyncpg.Pool):
        async with db.acquire() as conn:
            await _save_hints(conn, hints, sketch, own=True)
    else:
        await _save_hints(db, hints, sketch, own=not db.is_in_transaction())


async def _save_hints(conn: Conn, hints: StoredHints, sketch: Sequence[int], *, own: bool) -> None:
    async with conn.transaction():
        if own:
            await conn.execute("SET LOCAL synchronous_commit TO OFF")
        await conn.execute(
            """
            WITH sketch AS (UPDATE ads SET text_sketch = $8 WHERE id = $1)
            INSERT INTO ad_hints (ad_id, duplicate_of, scam_level, scam_reasons,
                                  suggested_category, category_confidence, price_off,
                                  category_shown)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $9)
            ON CONFLICT (ad_id) DO UPDATE
               SET computed_at = now(), duplicate_of = EXCLUDED.duplicate_of,
                   scam_level = EXCLUDED.scam_level, scam_reasons = EXCLUDED.scam_reasons,
                   suggested_category = EXCLUDED.suggested_category,
                   category_confidence = EXCLUDED.category_confidence,
                   category_shown = EXCLUDED.category_shown,
                   price_off = EXCLUDED.price_off
            """,
            hints.ad_id,
            hints.duplicate_of,
            hints.scam_level,
            list(hints.scam_reasons),
            hints.suggested_category.value if hints.suggested_category else None,
            hints.category_confidence,
            hints.price_off,
            list(sketch),
            hints.category_shown,
        )


@dataclass(frozen=True, slots=True)
class DecidedAd:
    """An ad the admins decided, with the hints it had: one labelled example."""

    ad_id: int
    status: AdStatus
    category: Category  # as published: the admins' final word
    reject_code: str | None
    banned: bool  # its owner was banned from this ad's card or later
    category_changed: bool
    hints: StoredHints


async def decided_with_hints(db: Executor, *, since: timedelta) -> list[DecidedAd]:
    """Every ad decided in the last `since` that has stored hints."""
    rows = await db.fetch(
        """
        SELECT a.id, a.status, a.category, a.reject_code,
               EXISTS (SELECT 1 FROM bans b WHERE b.user_id = a.owner_id
                         AND b.at >= a.created_at) AS banned,
               EXISTS (SELECT 1 FROM admin_actions x WHERE x.ad_id = a.id
                         AND x.action = 'category') AS category_changed,
               h.duplicate_of, h.scam_level, h.scam_reasons, h.suggested_category,
               h.category_confidence, h.category_shown, h.price_off
          FROM ads a JOIN ad_hints h ON h.ad_id = a.id
         WHERE a.decided_at >= now() - $1::interval
         ORDER BY a.id
        """,
        since,
    )
    return [
        DecidedAd(
            ad_id=r["id"],
            status=AdStatus(r["status"]),
            category=Category(r["category"]),
            reject_code=r["reject_code"],
            banned=r["banned"],
            category_changed=r["category_changed"],
            hints=StoredHints(
                ad_id=r["id"],
                duplicate_of=r["duplicate_of"],
                scam_level=r["scam_level"],
                scam_reasons=tuple(r["scam_reasons"]),
                suggested_category=(
                    Category(r["suggested_category"]) if r["suggested_category"] else None
                ),
                category_confidence=r["category_confidence"],
                category_shown=r["category_shown"],
                price_off=r["price_off"],
            ),
        )
        for r in rows
    ]

"""The catalogue Mini App's SQL: what a buyer may see, favourites, photos and phones.

Only live ads of sellers not banned are ever shown: `published` in lists and on pages, `sold`
too in a buyer's favourites and on a page opened from there (marked sold, without the phone).
Pending, approved, rejected, removed and expired ads, and every ad of a banned seller, are not
served at all: the seller condition is the one every query that exposes ads shares
(`db.bans.seller_not_banned`), and the search engine applies it itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

import asyncpg

from vodiy_bozor.db import Conn, Executor, price_of
from vodiy_bozor.db import opens as db_opens
from vodiy_bozor.db.bans import seller_not_banned
from vodiy_bozor.models import (
    AdStatus,
    CardPhoto,
    CatalogueAd,
    Category,
    Favourite,
    Region,
)

# Statuses a buyer may look at: a published ad, and a sold one (in favourites, marked sold).
VISIBLE: Final = (AdStatus.PUBLISHED.value, AdStatus.SOLD.value)


_NOT_BANNED: Final = seller_not_banned("a.owner_id")


def _card_photo(row: asyncpg.Record) -> CardPhoto:
    return CardPhoto(row["file_unique_id"], row["storage_key"], row["thumb_key"])


async def cards_of(
    db: Executor, buyer_id: int, ad_ids: list[int]
) -> tuple[dict[int, CardPhoto], set[int]]:
    """For a page of ads, in one round trip: each one's first photo, and which of them the
    buyer keeps as favourites."""
    rows = await db.fetch(
        """
        SELECT t.id, p.file_unique_id, p.storage_key, p.thumb_key, f.ad_id IS NOT NULL AS kept
          FROM unnest($1::bigint[]) AS t(id)
          LEFT JOIN ad_photos p ON p.ad_id = t.id AND p.position = 0 AND p.deleted_at IS NULL
          LEFT JOIN favourites f ON f.buyer_id = $2 AND f.ad_id = t.id
        """,
        ad_ids,
        buyer_id,
    )
    photos = {r["id"]: _card_photo(r) for r in rows if r["file_unique_id"] is not None}
    return photos, {r["id"] for r in rows if r["kept"]}


_AD: Final = f"""
    SELECT a.id, a.owner_id, a.status, a.category, a.description, a.price_amount,
           a.price_currency, a.region, a.district, a.published_at, u.username,
           EXISTS (SELECT 1 FROM favourites f
                    WHERE f.buyer_id = $2 AND f.ad_id = a.id) AS favourite,
           ARRAY(SELECT ROW(p.position, p.file_unique_id, p.storage_key, p.thumb_key)
                   FROM ad_photos p WHERE p.ad_id = a.id AND p.deleted_at IS NULL
                  ORDER BY p.position) AS photos
      FROM ads a LEFT JOIN users u ON u.id = a.owner_id
     WHERE a.id = $1 AND a.published_at IS NOT NULL AND {_NOT_BANNED}
       AND (a.status = 'published'
            OR (a.status = 'sold' AND EXISTS (
                    SELECT 1 FROM favourites f WHERE f.buyer_id = $2 AND f.ad_id = a.id)))
"""  # noqa: S608 - fixed fragments; values are parameters


async def get_ad(db: Executor, ad_id: int, buyer_id: int) -> CatalogueAd | None:
    """The ad if this buyer may see it now: published, or sold and among their favourites
    (where it shows as sold), of a seller not banned; None otherwise."""
    row = await db.fetchrow(_AD, ad_id, buyer_id)
    if row is None:
        return None
    return CatalogueAd(
        id=row["id"],
        owner_id=row["owner_id"],
        status=AdStatus(row["status"]),
        category=Category(row["category"]),
        description=row["description"],
        price=price_of(row),
        region=Region(row["region"]),
        district=row["district"],
        published_at=row["published_at"],
        seller_username=row["username"],
        photos=tuple((p[0], CardPhoto(p[1], p[2], p[3])) for p in row["photos"]),
        favourite=row["favourite"],
    )


async def phone_for_buyer(conn: Conn, ad_id: int, buyer_id: int) -> str | None:
    """The phone of a published ad, the open counted for the seller's "My ads" (once per
    buyer; the seller looking at their own ad is not a buyer); None if the ad is not live."""
    async with conn.transaction():
        phone: str | None = await conn.fetchval(
            f"""
            SELECT a.phone FROM ads a
             WHERE a.id = $1 AND a.status = 'published' AND {_NOT_BANNED}
            """,  # noqa: S608 - a fixed fragment
            ad_id,
        )
        if phone is None:
            return None
        owner = await conn.fetchval("SELECT owner_id FROM ads WHERE id = $1", ad_id)
        if owner != buyer_id:
            await db_opens.record_open(conn, ad_id, buyer_id)
        return phone


# -- photos ------------------------------------------------------------------------------------


async def photo_for_view(
    db: Executor, ad_id: int, position: int, file_unique_id: str
) -> CardPhoto | None:
    """The stored photo behind a catalogue photo URL, if its ad may be seen and the URL's
    content id is the photo's (a stale or guessed URL finds nothing)."""
    row = await db.fetchrow(
        f"""
        SELECT p.file_unique_id, p.storage_key, p.thumb_key
          FROM ad_photos p JOIN ads a ON a.id = p.ad_id
         WHERE p.ad_id = $1 AND p.position = $2 AND p.file_unique_id = $3
           AND p.deleted_at IS NULL AND a.status = ANY($4::text[]) AND {_NOT_BANNED}
        """,  # noqa: S608 - a fixed fragment
        ad_id,
        position,
        file_unique_id,
        list(VISIBLE),
    )
    return None if row is None else _card_photo(row)


async def set_thumbnail(conn: Conn, ad_id: int, position: int, key: str | None) -> None:
    """The photo's thumbnail is stored under `key`; None: none can be made (not an image)."""
    await conn.execute(
        """
        UPDATE ad_photos SET thumb_key = $3, thumb_given_up = $3::text IS NULL
         WHERE ad_id = $1 AND position = $2
        """,
        ad_id,
        position,
        key,
    )


@dataclass(frozen=True, slots=True)
class Unthumbed:
    ad_id: int
    position: int
    storage_key: str


async def claim_unthumbed(conn: Conn, limit: int) -> list[Unthumbed]:
    """Lock up to `limit` archived photos without a thumbnail, newest ads first (through
    ad_photos_to_thumb_idx). Call inside a transaction."""
    rows = await conn.fetch(
        """
        SELECT ad_id, position, storage_key FROM ad_photos
         WHERE storage_key IS NOT NULL AND thumb_key IS NULL AND NOT thumb_given_up
           AND deleted_at IS NULL
         ORDER BY ad_id DESC, position
         LIMIT $1
           FOR UPDATE SKIP LOCKED
        """,
        limit,
    )
    return [Unthumbed(r["ad_id"], r["position"], r["storage_key"]) for r in rows]


# -- favourites --------------------------------------------------------------------------------


async def add_favourite(db: Executor, buyer_id: int, ad_id: int) -> bool:
    """Keep a published ad as the buyer's favourite; False when no such ad may be seen."""
    row = await db.fetchrow(
        f"""
        INSERT INTO favourites (buyer_id, ad_id)
        SELECT $1, a.id FROM ads a
         WHERE a.id = $2 AND a.status = 'published' AND {_NOT_BANNED}
        ON CONFLICT DO NOTHING RETURNING ad_id
        """,  # noqa: S608 - a fixed fragment
        buyer_id,
        ad_id,
    )
    if row is not None:
        return True
    # Already a favourite counts as kept.
    kept = await db.fetchval(
        "SELECT true FROM favourites WHERE buyer_id = $1 AND ad_id = $2", buyer_id, ad_id
    )
    return bool(kept)


async def drop_favourite(db: Executor, buyer_id: int, ad_id: int) -> None:
    await db.execute("DELETE FROM favourites WHERE buyer_id = $1 AND ad_id = $2", buyer_id, ad_id)


async def favourites(
    db: Executor, buyer_id: int, *, limit: int, after: tuple[datetime, int] | None
) -> list[Favourite]:
    """The buyer's favourites that may still be seen (published or sold), newest kept first."""
    args: list[object] = [buyer_id, limit, list(VISIBLE)]
    keyset = ""
    if after is not None:
        args += after
        keyset = "AND (f.created_at, f.ad_id) < ($4, $5)"
    rows = await db.fetch(
        f"""
        SELECT f.ad_id, f.created_at, a.status, a.category, a.region, a.district,
               a.description, a.price_amount, a.price_currency, a.published_at,
               p.file_unique_id, p.storage_key, p.thumb_key
          FROM favourites f
          JOIN ads a ON a.id = f.ad_id
          LEFT JOIN ad_photos p ON p.ad_id = a.id AND p.position = 0 AND p.deleted_at IS NULL
         WHERE f.buyer_id = $1 AND a.status = ANY($3::text[]) AND {_NOT_BANNED}
               {keyset}
         ORDER BY f.created_at DESC, f.ad_id DESC
         LIMIT $2
        """,  # noqa: S608 - fixed fragments; values are parameters
        *args,
    )
    return [_favourite(r) for r in rows]


def _favourite(row: asyncpg.Record) -> Favourite:
    photo = None if row["file_unique_id"] is None else _card_photo(row)
    return Favourite(
        ad_id=row["ad_id"],
        kept_at=row["created_at"],
        status=AdStatus(row["status"]),
        category=Category(row["category"]),
        region=Region(row["region"]),
        district=row["district"],
        description=row["description"],
        price=price_of(row),
        published_at=row["published_at"],
        photo=photo,
    )


async def buyer_lang(db: Executor, user_id: int) -> tuple[str | None, str | None] | None:
    """The language a user chose in the bot (`/lang`) and the one Telegram reported; None for
    someone the bot has never seen."""
    row = await db.fetchrow("SELECT lang, language_code FROM users WHERE id = $1", user_id)
    return None if row is None else (row["lang"], row["language_code"])

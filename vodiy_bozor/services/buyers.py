"""Buyers: search, saved searches and the notices and evening digests they bring, the ad
page a channel post's link opens (counted once per buyer), and the catalogue Mini App's reads
and favourites (vodiy_bozor/webapp)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias

import asyncpg

from vodiy_bozor.db import Conn
from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.db import bans as db_bans
from vodiy_bozor.db import catalogue as db_catalogue
from vodiy_bozor.db import notices as db_notices
from vodiy_bozor.db import opens as db_opens
from vodiy_bozor.db import saved_searches as db_saved_searches
from vodiy_bozor.db import search as db_search
from vodiy_bozor.db import users as db_users
from vodiy_bozor.db.outbox import enqueue, enqueue_many
from vodiy_bozor.models import (
    Ad,
    AdStatus,
    After,
    CardPhoto,
    CatalogueAd,
    ChannelPost,
    Favourite,
    Lang,
    OutboxKind,
    SavedSearch,
    SearchFilters,
    SearchHit,
    User,
)
from vodiy_bozor.text.fold import query_terms

Pool: TypeAlias = "asyncpg.Pool[Any]"

# Ads listed in one evening digest message: 30 lines of a summary (80 characters), a link and a
# price stay far below Telegram's 4,096 characters of text (links do not count:
# https://core.telegram.org/bots/api#sendmessage counts text after entities parsing).
DIGEST_ITEMS = 30


@dataclass(frozen=True, slots=True)
class ResultsPage:
    """A page of search results: its hits, the page they are (0 when the page asked for had
    emptied), and whether another page follows."""

    hits: list[SearchHit]
    page: int
    more: bool


@dataclass(frozen=True, slots=True)
class CataloguePage:
    """A page of the catalogue's grid: the hits after the cursor, each one's first photo,
    which of them the buyer keeps as favourites, and whether another page follows."""

    hits: list[SearchHit]
    photos: dict[int, CardPhoto]
    kept: set[int]
    more: bool


@dataclass(frozen=True, slots=True)
class BuyerView:
    """An ad as a buyer who opened its link sees it: the seller (for the write button) and
    the first channel message (for the link back)."""

    ad: Ad
    seller: User | None
    post: ChannelPost | None


class Buyers:
    def __init__(self, pool: Pool) -> None:
        self.pool = pool

    async def results(
        self, terms: tuple[str, ...], filters: SearchFilters, *, page: int, size: int
    ) -> ResultsPage:
        """A page of live ads for a buyer's words (text.fold.query_terms) and filters, best
        first, and whether another follows. A page that has emptied since it was offered (its
        ads sold or expired) gives the first page instead, so ▶ never leads to nothing."""
        async with self.pool.acquire() as conn:
            hits = await db_search.search_ads(
                conn, terms, filters, limit=size + 1, offset=page * size
            )
            if page > 0 and not hits:
                page = 0
                hits = await db_search.search_ads(conn, terms, filters, limit=size + 1)
        return ResultsPage(hits[:size], page, more=len(hits) > size)

    async def cards(
        self, terms: tuple[str, ...], *, offset: int, size: int
    ) -> tuple[list[tuple[SearchHit, Ad]], bool]:
        """The inline mode's page: the hits for a buyer's words from `offset`, each with its
        ad for the full channel caption (the phone included; the ads of a page are one
        statement however many), and whether more follow. A hit whose ad is gone meanwhile
        is left out."""
        async with self.pool.acquire() as conn:
            hits = await db_search.search_ads(
                conn, terms, SearchFilters(), limit=size + 1, offset=offset
            )
            ads = await db_ads.get_ads(conn, [hit.ad_id for hit in hits[:size]])
        cards = [(hit, ads[hit.ad_id]) for hit in hits[:size] if hit.ad_id in ads]
        return cards, len(hits) > size

    async def save_search(self, buyer_id: int, query: str, filters: SearchFilters) -> int | None:
        """Save a buyer's search, matched from now on by the folded terms of its words (what
        `ads.search_text` stores); None when they have the most they may keep already."""
        async with self.pool.acquire() as conn:
            return await db_saved_searches.add_saved_search(
                conn, buyer_id, query, query_terms(query), filters
            )

    async def saved_searches(self, buyer_id: int) -> list[SavedSearch]:
        """The buyer's own saved searches, oldest first (/subs)."""
        return await db_saved_searches.list_saved_searches(self.pool, buyer_id)

    async def drop_saved_search(self, search_id: int, buyer_id: int) -> list[SavedSearch] | None:
        """Delete the buyer's own saved search (🗑 or 🔕) and give the searches they keep, for
        the list to be shown again; None when it was gone already or not theirs."""
        async with self.pool.acquire() as conn:
            if not await db_saved_searches.delete_saved_search(conn, search_id, buyer_id):
                return None
            return await db_saved_searches.list_saved_searches(conn, buyer_id)

    async def open_for_buyer(self, ad_id: int, buyer_id: int) -> BuyerView | None:
        """The ad behind a channel post's link, counted as opened once per buyer (the seller
        opening their own ad is not a buyer); None when there is no such ad, or its seller is
        banned."""
        async with self.pool.acquire() as conn:
            ad = await db_ads.get_ad(conn, ad_id)
            if ad is None:
                return None
            if buyer_id != ad.owner_id and await db_bans.is_banned(conn, ad.owner_id):
                return None  # no page for a banned seller's ads while the ban lasts
            if ad.status is AdStatus.PUBLISHED and buyer_id != ad.owner_id:
                await db_opens.record_open(conn, ad_id, buyer_id)
            seller = await db_users.get_user(conn, ad.owner_id)
            return BuyerView(ad, seller, await db_ads.first_post(conn, ad_id))

    # -- the catalogue Mini App ---------------------------------------------------------------

    async def lang(self, buyer_id: int, reported: str | None) -> Lang:
        """The language a buyer reads the catalogue in: the one they chose in the bot (/lang),
        else the one Telegram reported when they used the bot, else the one the page reports."""
        known = await db_catalogue.buyer_lang(self.pool, buyer_id)
        if known is None:
            return Lang.from_telegram(reported)
        chosen, in_bot = known
        return Lang(chosen) if chosen else Lang.from_telegram(in_bot or reported)

    async def catalogue_page(
        self,
        buyer_id: int,
        terms: tuple[str, ...],
        filters: SearchFilters,
        *,
        size: int,
        after: After | None,
    ) -> CataloguePage:
        """A page of the grid after the keyset cursor: the search engine's hits (folding, word
        forms, typos; sellers not banned) with their cards, on one connection."""
        async with self.pool.acquire() as conn:
            hits = await db_search.search_ads(conn, terms, filters, limit=size + 1, after=after)
            page = hits[:size]
            photos, kept = (
                await db_catalogue.cards_of(conn, buyer_id, [h.ad_id for h in page])
                if page
                else ({}, set())
            )
        return CataloguePage(page, photos, kept, more=len(hits) > size)

    async def catalogue_ad(self, ad_id: int, buyer_id: int) -> CatalogueAd | None:
        """The ad's page if this buyer may see it now: published, or sold and among their
        favourites (shown sold), of a seller not banned."""
        return await db_catalogue.get_ad(self.pool, ad_id, buyer_id)

    async def phone(self, ad_id: int, buyer_id: int) -> str | None:
        """A live ad's phone for the phone button, the open counted for the seller's My ads
        (once per buyer, never the seller's own); None when the ad is not live."""
        async with self.pool.acquire() as conn:
            return await db_catalogue.phone_for_buyer(conn, ad_id, buyer_id)

    async def catalogue_photo(self, ad_id: int, position: int, uid: str) -> CardPhoto | None:
        """The stored photo behind a photo URL, if its ad may be seen and `uid` is the photo's
        content id (a stale or guessed URL finds nothing)."""
        return await db_catalogue.photo_for_view(self.pool, ad_id, position, uid)

    async def favourites(
        self, buyer_id: int, *, size: int, after: tuple[datetime, int] | None
    ) -> tuple[list[Favourite], bool]:
        """A page of the buyer's favourites that may still be seen, newest kept first, after
        the keyset cursor; and whether another page follows."""
        found = await db_catalogue.favourites(self.pool, buyer_id, limit=size + 1, after=after)
        return found[:size], len(found) > size

    async def keep(self, buyer_id: int, ad_id: int) -> bool:
        """☆: keep a live ad as a favourite (kept already counts); False when it may not be
        seen."""
        return await db_catalogue.add_favourite(self.pool, buyer_id, ad_id)

    async def unkeep(self, buyer_id: int, ad_id: int) -> None:
        await db_catalogue.drop_favourite(self.pool, buyer_id, ad_id)

    async def send_digests(self, buyers: int = 100) -> int:
        """Queue the due evening digests (listing the ads each buyer's saved searches matched
        after the day's notices ran out), claimed in the same transaction; returns for how
        many buyers. Every matched ad is listed: DIGEST_ITEMS to a message, in as many
        messages as it takes (a busy day's 60 matches are two), rather than dropping the rest
        or holding them back to a later evening when they may have sold."""
        async with self.pool.acquire() as conn, conn.transaction():
            due = await db_notices.claim_digests(conn, buyers)
            for buyer_id, ad_ids in due.items():
                parts = [ad_ids[i : i + DIGEST_ITEMS] for i in range(0, len(ad_ids), DIGEST_ITEMS)]
                for number, part in enumerate(parts, 1):
                    payload = {"ad_ids": part, "part": number, "parts": len(parts)}
                    await enqueue(conn, buyer_id, OutboxKind.BUYER_DIGEST, payload=payload)
        return len(due)


async def tell_buyers(conn: Conn, ad_id: int) -> int:
    """One notice to each buyer whose saved search matches the newly published ad (never
    its owner, never a buyer who blocked the bot), in the transaction that publishes it, so
    a restart can neither skip nor repeat them. A buyer past today's notices gets the ad in
    the evening digest instead. Returns how many notices were queued."""
    matches = await db_saved_searches.matching_saved_searches(conn, ad_id)
    if not matches:
        return 0
    granted = await db_notices.take_notice_slots(conn, [m.buyer_id for m in matches])
    held = [m.buyer_id for m in matches if m.buyer_id not in granted]
    if held:
        await db_notices.hold_many_for_digest(conn, held, ad_id)
    told = [m for m in matches if m.buyer_id in granted]
    return await enqueue_many(
        conn,
        OutboxKind.BUYER_NOTICE,
        [m.buyer_id for m in told],
        [{"search_id": m.search_id} for m in told],
        ad_id=ad_id,
    )

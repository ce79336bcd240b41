"""Moderation: the admins' side beyond a single decision: bans and unbans, a pending ad's
category, the card keyboards, pending cards sent again, the late hints after photos are
hashed, and the numbers of /stats. Approve and reject are an ad's life (`Listings`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, TypeAlias

import asyncpg

from vodiy_bozor.db import Conn
from vodiy_bozor.db import admin_actions as db_admin_actions
from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.db import bans as db_bans
from vodiy_bozor.db import channel as db_channel
from vodiy_bozor.db import search as db_search
from vodiy_bozor.db import stats as db_stats
from vodiy_bozor.db.outbox import backlog, enqueue
from vodiy_bozor.models import AdStatus, Category, OutboxKind
from vodiy_bozor.services.listings import (
    DAY,
    CardKeyboard,
    Change,
    RejectReason,
    change_of,
    send_card,
    update_cards,
)
from vodiy_bozor.text.fold import ad_document

Pool: TypeAlias = "asyncpg.Pool[Any]"


@dataclass(frozen=True, slots=True)
class Stats:
    users: db_stats.UserCounts
    by_status: dict[AdStatus, int]
    median_decision_seconds: float | None
    reposts_today: int
    outbox_backlog: int


@dataclass(frozen=True, slots=True)
class Banned:
    """What 🚫 did: `found` False when the ad (and so its seller) is gone; `rejected` how many
    of the seller's pending ads were rejected, None when a ban was already in force."""

    found: bool
    rejected: int | None


class Moderation:
    def __init__(self, pool: Pool, *, channel: int | str, admin_ids: Collection[int]) -> None:
        self.pool = pool
        self.channel = channel
        self.admin_ids = frozenset(admin_ids)

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_ids

    async def ban(self, user_id: int, admin_id: int, code: RejectReason, ad_id: int) -> int | None:
        """Ban a seller: their pending ads are rejected with the reason (each owner notice goes
        out, every card is updated) and new submissions are refused. How many ads were
        rejected; None when a ban was already in force."""
        async with self.pool.acquire() as conn, conn.transaction():
            return await self._ban(conn, user_id, admin_id, code, ad_id)

    async def ban_owner(self, ad_id: int, admin_id: int, code: RejectReason) -> Banned:
        """🚫 under a card: ban the seller of that ad, found in the transaction that bans."""
        async with self.pool.acquire() as conn, conn.transaction():
            ad = await db_ads.get_ad(conn, ad_id)
            if ad is None:
                return Banned(found=False, rejected=None)
            return Banned(True, await self._ban(conn, ad.owner_id, admin_id, code, ad_id))

    async def _ban(
        self, conn: Conn, user_id: int, admin_id: int, code: RejectReason, ad_id: int
    ) -> int | None:
        if not await db_bans.ban(conn, user_id, reason=code.value, admin_id=admin_id, ad_id=ad_id):
            return None
        rejected: list[int] = []
        for pending in await db_bans.pending_ad_ids(conn, user_id):
            if await db_ads.decide(
                conn, pending, to=AdStatus.REJECTED, admin_id=admin_id, reason_code=code.value
            ):
                await db_admin_actions.record_action(
                    conn, ad_id=pending, admin_id=admin_id, action="reject", detail=code.value
                )
                await enqueue(conn, user_id, OutboxKind.OWNER_REJECTED, ad_id=pending)
                await update_cards(conn, self.admin_ids, pending)
                rejected.append(pending)
        if ad_id not in rejected:
            await update_cards(conn, self.admin_ids, ad_id)  # its card shows the ban in its history
        return len(rejected)

    async def unban(self, user_id: int, admin_id: int) -> bool:
        """Lift the ban; what it hid shows again. Search, reposts and notices follow by
        themselves (they only left the seller's ads out); the ads approved before the ban whose
        first post the ban held back are queued for the channel now, as they were when the
        admins approved them (their content was approved; the ban was about the seller).
        False when no ban was in force."""
        async with self.pool.acquire() as conn, conn.transaction():
            if not await db_bans.unban(conn, user_id, admin_id=admin_id):
                return False
            for ad_id in await db_ads.approved_unposted_ids(conn, user_id):
                await db_channel.publish_again(conn, ad_id, self.channel)
            return True

    async def change_category(self, ad_id: int, admin_id: int, category: Category) -> Change:
        """An admin corrects a pending ad's category before deciding (the assistant's 📂
        suggestion); the hashtags and the search text follow, every card is updated."""
        async with self.pool.acquire() as conn, conn.transaction():
            applied = await db_admin_actions.set_category(conn, ad_id, category, admin_id=admin_id)
            change = await change_of(conn, ad_id, applied)
            if applied and change.ad is not None:
                content = change.ad.content
                document = ad_document(
                    content.description, content.category, content.region, content.district
                )
                await db_search.set_search_text(conn, ad_id, document)
                await update_cards(conn, self.admin_ids, ad_id)
            return change

    async def photos_hashed(self, conn: Conn, ad_ids: Collection[int]) -> None:
        """The archive hashed these ads' photos: near-duplicate photos can be seen now, so the
        cards of those still waiting are rendered again (the assistant's late hints)."""
        for ad_id in sorted(set(ad_ids)):
            ad = await db_ads.get_ad(conn, ad_id)
            if ad is not None and ad.status is AdStatus.PENDING:
                await update_cards(conn, self.admin_ids, ad_id)

    async def undecided(self, ad_id: int) -> Change:
        """The ad as it stands, `applied` when it still waits for a decision: an admin is
        about to choose a reason."""
        async with self.pool.acquire() as conn:
            ad = await db_ads.get_ad(conn, ad_id)
            return await change_of(conn, ad_id, ad is not None and ad.status is AdStatus.PENDING)

    async def card_keyboard(
        self, ad_id: int, admin_id: int, message_id: int, keyboard: CardKeyboard
    ) -> None:
        """The admin opened another keyboard under their card: card refreshes keep it."""
        await db_ads.set_admin_card_keyboard(self.pool, ad_id, admin_id, message_id, keyboard.value)

    async def count_pending(self) -> int:
        return (await db_ads.count_by_status(self.pool))[AdStatus.PENDING]

    async def resend_pending_cards(self, admin_id: int, limit: int) -> int:
        """Send one admin the cards of the ads waiting longest again (the outbox paces them);
        how many."""
        async with self.pool.acquire() as conn, conn.transaction():
            ad_ids = await db_ads.pending_ids(conn, limit)
            for ad_id in ad_ids:
                await send_card(conn, [admin_id], ad_id)
        return len(ad_ids)

    async def stats(self) -> Stats:
        async with self.pool.acquire() as conn:
            queued, _ = await backlog(conn)
            return Stats(
                users=await db_stats.users(conn),
                by_status=await db_ads.count_by_status(conn),
                median_decision_seconds=await db_ads.median_decision_seconds(conn),
                reposts_today=await db_stats.reposts_since(conn, DAY),
                outbox_backlog=queued,
            )

"""The ad's life: submit → approve or reject → publish → repost → sold, removed or expired.

Every state change happens here, in one transaction together with the outbox rows that tell
people about it, so nothing is announced that did not happen and nothing that happened goes
unannounced. Changes are conditional updates: when two admins press at once, exactly one
update matches and the other learns what already happened.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, TypeAlias

import asyncpg

from vodiy_bozor.db import Conn
from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.db.outbox import enqueue
from vodiy_bozor.models import Ad, AdContent, AdStatus, OutboxKind

Pool: TypeAlias = "asyncpg.Pool[Any]"

# Flood guard: how many ads one seller may have waiting for moderation, and submit per day.
MAX_PENDING = 3
MAX_PER_DAY = 10


class LimitKind(enum.Enum):
    PENDING = "pending"
    DAILY = "daily"


class SubmitRefused(Exception):
    def __init__(self, kind: LimitKind, count: int, limit: int) -> None:
        super().__init__(f"{kind.value}: {count} of {limit}")
        self.kind = kind
        self.count = count
        self.limit = limit


class RejectReason(enum.StrEnum):
    """Canned reasons an admin can pick; each has a text in every language."""

    DUPLICATE = "duplicate"
    FORBIDDEN = "forbidden"
    PHOTOS = "photos"
    PRICE = "price"
    CATEGORY = "category"


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of an admin's tap: `applied` is False when someone had decided already;
    `ad` is the ad as it is now (None if there is no such ad)."""

    applied: bool
    ad: Ad | None


async def check_limits(db: Conn | Pool, owner_id: int) -> None:
    """Raise SubmitRefused when the seller may not submit another ad now."""
    pending = await db_ads.count_pending(db, owner_id)
    if pending >= MAX_PENDING:
        raise SubmitRefused(LimitKind.PENDING, pending, MAX_PENDING)
    recent = await db_ads.count_recent(db, owner_id, 24 * 3600)
    if recent >= MAX_PER_DAY:
        raise SubmitRefused(LimitKind.DAILY, recent, MAX_PER_DAY)


async def submit(
    pool: Pool,
    owner_id: int,
    content: AdContent,
    *,
    admin_ids: Collection[int],
    limited: bool = True,
) -> int:
    """Store a new pending ad with its photos and tell every admin, in one transaction."""
    async with pool.acquire() as conn, conn.transaction():
        # The seller's row lock serialises two submits of one seller (a double tap), so the
        # limits below cannot both pass.
        await conn.execute("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", owner_id)
        if limited:
            await check_limits(conn, owner_id)
        ad_id = await db_ads.insert_ad(conn, owner_id, content)
        for admin_id in sorted(admin_ids):
            await enqueue(conn, admin_id, OutboxKind.ADMIN_PHOTOS, ad_id=ad_id)
            await enqueue(conn, admin_id, OutboxKind.ADMIN_CARD, ad_id=ad_id)
        return ad_id


async def approve(
    pool: Pool, ad_id: int, admin_id: int, *, admin_ids: Iterable[int], channel: int | str
) -> Decision:
    async with pool.acquire() as conn, conn.transaction():
        applied = await db_ads.decide(conn, ad_id, to=AdStatus.APPROVED, admin_id=admin_id)
        if applied:
            await enqueue(conn, channel, OutboxKind.CHANNEL_POST, ad_id=ad_id)
            await _update_cards(conn, ad_id, admin_ids)
        return Decision(applied, await db_ads.get_ad(conn, ad_id))


async def reject(
    pool: Pool,
    ad_id: int,
    admin_id: int,
    *,
    admin_ids: Iterable[int],
    code: RejectReason | None = None,
    reason: str | None = None,
) -> Decision:
    async with pool.acquire() as conn, conn.transaction():
        applied = await db_ads.decide(
            conn,
            ad_id,
            to=AdStatus.REJECTED,
            admin_id=admin_id,
            reason_code=code.value if code else None,
            reason=reason,
        )
        ad = await db_ads.get_ad(conn, ad_id)
        if applied and ad is not None:
            await enqueue(conn, ad.owner_id, OutboxKind.OWNER_REJECTED, ad_id=ad_id)
            await _update_cards(conn, ad_id, admin_ids)
        return Decision(applied, ad)


async def posted(
    conn: Conn,
    ad_id: int,
    chat_id: int,
    message_ids: list[int],
    *,
    is_repost: bool,
    admin_ids: Iterable[int],
    channel: int | str,
) -> None:
    """A channel post of the ad went out: remember its messages; the first one publishes."""
    await db_ads.add_posts(conn, ad_id, chat_id, message_ids, is_repost=is_repost)
    if is_repost:
        return
    published = await db_ads.set_status(
        conn, ad_id, to=AdStatus.PUBLISHED, expected=[AdStatus.APPROVED]
    )
    ad = await db_ads.get_ad(conn, ad_id)
    if ad is None:
        return
    if published:
        await enqueue(conn, ad.owner_id, OutboxKind.OWNER_PUBLISHED, ad_id=ad_id)
        await _update_cards(conn, ad_id, admin_ids)  # now with the link
    elif ad.status in (AdStatus.SOLD, AdStatus.REMOVED):
        # The owner closed it while it was on its way: say so on the post at once.
        await enqueue(
            conn,
            channel,
            OutboxKind.CHANNEL_CAPTION,
            ad_id=ad_id,
            payload={"chat_id": chat_id, "message_id": message_ids[0]},
        )


async def _update_cards(conn: Conn, ad_id: int, admin_ids: Iterable[int]) -> None:
    for admin_id in sorted(admin_ids):
        await enqueue(conn, admin_id, OutboxKind.ADMIN_CARD_UPDATE, ad_id=ad_id)

"""The ad's life: submit → approve or reject → publish → repost → sold, removed or expired.

Every state change happens here, in one transaction together with the outbox rows that tell
people about it, so nothing is announced that did not happen and nothing that happened goes
unannounced. Changes are conditional updates: when two admins press at once, exactly one
update matches and the other learns what already happened.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeAlias

import asyncpg

from vodiy_bozor.db import Conn
from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.db import jobs as db_jobs
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
    pending, recent = await db_ads.count_pending_and_recent(db, owner_id, 24 * 3600)
    if pending >= MAX_PENDING:
        raise SubmitRefused(LimitKind.PENDING, pending, MAX_PENDING)
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
    check_in: float,
) -> None:
    """A channel post of the ad went out: remember its messages; the first one publishes."""
    await db_ads.add_posts(conn, ad_id, chat_id, message_ids, is_repost=is_repost)
    ad = await db_ads.get_ad(conn, ad_id)
    if ad is None:
        return
    if not is_repost and await db_ads.publish(conn, ad_id, check_in=check_in):
        await enqueue(conn, ad.owner_id, OutboxKind.OWNER_PUBLISHED, ad_id=ad_id)
        await _update_cards(conn, ad_id, admin_ids)  # now with the link
    elif ad.status in (AdStatus.SOLD, AdStatus.REMOVED):
        # The owner closed it while this post was on its way: say so on the post at once.
        await _caption_edit(conn, channel, ad_id, chat_id, message_ids[0], is_repost)


async def _update_cards(conn: Conn, ad_id: int, admin_ids: Iterable[int]) -> None:
    for admin_id in sorted(admin_ids):
        await enqueue(conn, admin_id, OutboxKind.ADMIN_CARD_UPDATE, ad_id=ad_id)


async def _caption_edit(
    conn: Conn, channel: int | str, ad_id: int, chat_id: int, message_id: int, is_repost: bool
) -> None:
    await enqueue(
        conn,
        channel,
        OutboxKind.CHANNEL_CAPTION,
        ad_id=ad_id,
        payload={"chat_id": chat_id, "message_id": message_id, "is_repost": is_repost},
    )


async def _edit_every_post(conn: Conn, channel: int | str, ad_id: int) -> int:
    """Every channel message of the ad (first post and reposts) gets its caption edited to the
    ad's state: deleting is impossible after 48 hours, editing works on old posts too."""
    posts = await db_ads.caption_posts(conn, ad_id)
    for post in posts:
        await _caption_edit(conn, channel, ad_id, post.chat_id, post.message_id, post.is_repost)
    return len(posts)


# -- reposts and "has it sold?" ----------------------------------------------------------------

REPOST_JOB = "repost"
# An ad shown (published or reposted) within this many intervals is left alone.
RECENT_INTERVALS = 2
# Questions are asked at most this many times without an answer before the ad expires.
MAX_UNANSWERED = 3


def _weighted_choice(candidates: list[db_ads.RepostCandidate]) -> db_ads.RepostCandidate:
    """Random, but leaning toward the front of the rotation (least recently shown sellers):
    the first candidate is n times as likely as the last."""
    weights = list(range(len(candidates), 0, -1))
    return random.choices(candidates, weights=weights)[0]  # noqa: S311 - fairness, not secrecy


async def repost(pool: Pool, *, interval: float, channel: int | str) -> int | None:
    """If the repost job is due, post one unsold ad again; return its id (None: not due, or
    nothing eligible). Claiming the job and enqueueing the post is one transaction, so each
    interval's repost happens once, whatever the number of bot processes or restarts."""
    async with pool.acquire() as conn, conn.transaction():
        run = await db_jobs.claim(conn, REPOST_JOB, interval)
        if run is None:
            return None
        now = await conn.fetchval("SELECT now()")
        shown_before = now - timedelta(seconds=interval * RECENT_INTERVALS)
        candidates = await db_ads.repost_candidates(
            conn, shown_before=shown_before, exclude=run.last_ad_id
        )
        if not candidates and run.last_ad_id is not None:
            # "Never the same ad twice in a row" holds when there are two or more; a channel
            # with a single unsold ad still shows it.
            candidates = await db_ads.repost_candidates(
                conn, shown_before=shown_before, exclude=None
            )
        if not candidates:
            return None
        choice = _weighted_choice(candidates)
        await db_ads.mark_shown(conn, choice.ad_id, choice.owner_id)
        await db_jobs.set_last_ad(conn, REPOST_JOB, choice.ad_id)
        await enqueue(conn, channel, OutboxKind.CHANNEL_REPOST, ad_id=choice.ad_id)
        return choice.ad_id


async def ask_whether_sold(
    pool: Pool, *, interval: float, spacing: float, batch: int = 100
) -> tuple[int, int]:
    """Ask the sellers of due ads whether they sold; expire ads whose sellers did not answer
    three times or blocked the bot. A seller with several due ads gets the questions spaced
    out by `spacing` seconds. Returns (questions, expiries)."""
    asked = expired = 0
    async with pool.acquire() as conn, conn.transaction():
        for due in await db_ads.claim_due_checks(conn, batch):
            if due.owner_blocked or due.unanswered >= MAX_UNANSWERED:
                await db_ads.owner_close(
                    conn, due.ad_id, None, to=AdStatus.EXPIRED, expected=[AdStatus.PUBLISHED]
                )
                if not due.owner_blocked:
                    await enqueue(conn, due.owner_id, OutboxKind.OWNER_EXPIRED, ad_id=due.ad_id)
                expired += 1
                continue
            delay = await db_ads.question_slot(conn, due.owner_id, spacing=spacing)
            await db_ads.asked(conn, due.ad_id, check_in=interval)
            await enqueue(
                conn, due.owner_id, OutboxKind.SOLD_QUESTION, ad_id=due.ad_id, delay=delay
            )
            asked += 1
    return asked, expired


# -- the owner's answers -----------------------------------------------------------------------


class OwnerAction(enum.Enum):
    SOLD = "sold"
    REMOVE = "remove"
    KEEP = "keep"
    RENEW = "renew"


@dataclass(frozen=True, slots=True)
class Outcome:
    applied: bool
    ad: Ad | None


async def owner_acts(
    pool: Pool,
    ad_id: int,
    owner_id: int,
    action: OwnerAction,
    *,
    channel: int | str,
    admin_ids: Iterable[int],
    check_in: float,
) -> Outcome:
    """The seller marks an ad sold, removes it, keeps it for sale, or renews an expired one.

    Only the ad's owner can (the buttons' data can be forged); each change is conditional on
    the ad's state, so a double tap or an old button changes nothing twice.
    """
    async with pool.acquire() as conn, conn.transaction():
        if action is OwnerAction.KEEP:
            applied = await db_ads.still_selling(conn, ad_id, owner_id, check_in=check_in)
        elif action is OwnerAction.RENEW:
            applied = await db_ads.renew(conn, ad_id, owner_id, check_in=check_in)
        else:
            to = AdStatus.SOLD if action is OwnerAction.SOLD else AdStatus.REMOVED
            before = await db_ads.get_ad(conn, ad_id)
            expected = [AdStatus.PUBLISHED, AdStatus.EXPIRED, AdStatus.APPROVED]
            if to is AdStatus.REMOVED:
                expected.append(AdStatus.PENDING)  # a seller may withdraw an ad not yet out
            applied = await db_ads.owner_close(conn, ad_id, owner_id, to=to, expected=expected)
            if applied and before is not None:
                await _edit_every_post(conn, channel, ad_id)
                if before.status is AdStatus.PENDING:
                    await _update_cards(conn, ad_id, admin_ids)  # the admins need not decide
        return Outcome(applied, await db_ads.get_ad(conn, ad_id))

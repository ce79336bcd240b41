"""Listings, an ad's life: submit → approve or reject → publish → repost → sold, removed or
expired.

`Listings` holds what every change needs (the pool, the channel, the admins, the intervals),
so callers pass none of it. Every state change happens in one transaction together with the
outbox rows that tell people about it, so nothing is announced that did not happen and nothing
that happened goes unannounced. Changes are conditional updates: when two admins press at once,
exactly one update matches and the other learns what already happened.
"""

from __future__ import annotations

import enum
import logging
import random
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple, TypeAlias

import asyncpg

from vodiy_bozor.assistant.hints import DraftPriceChecks, own_repeat
from vodiy_bozor.assistant.prices import PriceCheck
from vodiy_bozor.db import Conn, Executor
from vodiy_bozor.db import admin_actions as db_admin_actions
from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.db import bans as db_bans
from vodiy_bozor.db import channel as db_channel
from vodiy_bozor.db import fsm as db_fsm
from vodiy_bozor.db import jobs as db_jobs
from vodiy_bozor.db import opens as db_opens
from vodiy_bozor.db import users as db_users
from vodiy_bozor.db.fsm import StateKey
from vodiy_bozor.db.outbox import enqueue, enqueue_rows, repost_pending
from vodiy_bozor.models import (
    Ad,
    AdContent,
    AdStatus,
    Category,
    ChannelPost,
    OutboxKind,
    Price,
)
from vodiy_bozor.services.buyers import tell_buyers
from vodiy_bozor.text.fold import ad_document, fold
from vodiy_bozor.text.sketch import text_sketch

Pool: TypeAlias = "asyncpg.Pool[Any]"

log = logging.getLogger(__name__)

# Flood guard: how many ads one seller may have waiting for moderation, and submit per day.
MAX_PENDING = 3
MAX_PER_DAY = 10
DAY = 24 * 3600

REPOST_JOB = "repost"
# An ad shown (published or reposted) within this many intervals is left alone.
RECENT_INTERVALS = 2
# Questions are asked at most this many times without an answer before the ad expires.
MAX_UNANSWERED = 3


class LimitKind(enum.Enum):
    PENDING = "pending"
    DAILY = "daily"
    BANNED = "banned"


class SubmitRefused(Exception):
    def __init__(self, kind: LimitKind, count: int, limit: int, reason: str = "") -> None:
        super().__init__(f"{kind.value}: {count} of {limit}")
        self.kind = kind
        self.count = count
        self.limit = limit
        self.reason = reason  # a ban's reason (a RejectReason code or the admin's words)


class DraftGone(Exception):
    """The draft was submitted already: a double tap, or the same update handled twice."""


class DraftClaim(NamedTuple):
    """The seller's draft, taken in the transaction that stores the ad: `key` is its
    conversation row, `state` the step it must be at (the preview)."""

    key: StateKey
    state: str


class RejectReason(enum.StrEnum):
    """Canned reasons an admin can pick; each has a text in every language."""

    DUPLICATE = "duplicate"
    FORBIDDEN = "forbidden"
    PHOTOS = "photos"
    PRICE = "price"
    CATEGORY = "category"


class CardKeyboard(enum.StrEnum):
    """The keyboard an admin has open under a pending ad's card: a refresh of the card keeps
    it (migration 0012)."""

    DECIDE = "decide"  # ✅ ❌ (and 📂)
    REASONS = "reasons"  # the reject reasons, ✍️, 🚫, ⬅️
    BAN = "ban"  # the ban reasons, ⬅️


class OwnerAction(enum.Enum):
    SOLD = "sold"
    REMOVE = "remove"
    KEEP = "keep"
    RENEW = "renew"


@dataclass(frozen=True, slots=True)
class Verdict:
    """Who decided on an ad and when: shown on every admin's card and to a late presser."""

    status: AdStatus
    admin_name: str
    at: datetime | None


@dataclass(frozen=True, slots=True)
class Change:
    """The outcome of a tap on an ad (an admin's decision, an owner's answer).

    `applied` is False when the ad had moved on already (someone decided first, a double tap,
    an old button); `ad` is the ad as it is now, None when there is no such ad or it is not
    the presser's to change; `verdict` says who decided, for a late presser; `banned` that it
    was refused because its owner is banned.
    """

    applied: bool
    ad: Ad | None
    verdict: Verdict | None = None
    banned: bool = False  # refused: the owner is banned (no renewal, no extension)


@dataclass(frozen=True, slots=True)
class OwnerAd:
    ad: Ad
    post: ChannelPost | None  # its first channel message, for the link
    last_attempt: str | None = None  # unposted ads: how their last post row ended
    opens: int = 0  # distinct buyers who opened it through the channel post's link


@dataclass(frozen=True, slots=True)
class OwnerPage:
    total: int
    page: int  # clamped to the pages there are
    pages: int
    ads: list[OwnerAd]


async def verdict_of(db: Executor, ad: Ad) -> Verdict:
    admin = await db_users.get_user(db, ad.decided_by) if ad.decided_by is not None else None
    if admin is not None:
        name = admin.full_name
    else:
        name = str(ad.decided_by) if ad.decided_by is not None else "?"
    return Verdict(ad.status, name, ad.decided_at)


class Listings:
    """An ad's life from the seller's side and the decision: submit, approve or reject,
    publish, repost, "sold?", the owner's answers, renew, My ads, unposted ads."""

    def __init__(
        self,
        pool: Pool,
        *,
        channel: int | str,
        admin_ids: Collection[int],
        repost_interval: float,
        sold_check_interval: float,
    ) -> None:
        self.pool = pool
        self.channel = channel
        self.admin_ids = frozenset(admin_ids)
        self.repost_interval = repost_interval
        self.sold_check_interval = sold_check_interval
        self.price_checks = DraftPriceChecks()

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_ids

    # -- the seller submits --------------------------------------------------------------------

    async def check_limits(self, owner_id: int, db: Executor | None = None) -> None:
        """Raise SubmitRefused when the seller may not submit another ad now (admins may):
        one statement for the ban and both counts."""
        if self.is_admin(owner_id):
            return
        ban, pending, recent = await db_ads.seller_standing(db or self.pool, owner_id, DAY)
        if ban is not None:
            raise SubmitRefused(LimitKind.BANNED, 0, 0, ban.reason)
        if pending >= MAX_PENDING:
            raise SubmitRefused(LimitKind.PENDING, pending, MAX_PENDING)
        if recent >= MAX_PER_DAY:
            raise SubmitRefused(LimitKind.DAILY, recent, MAX_PER_DAY)

    async def submit(
        self, owner_id: int, content: AdContent, *, draft: DraftClaim | None = None
    ) -> int:
        """Store a new pending ad with its photos and send every admin its card, in one
        transaction; with `draft`, the seller's draft is taken in the same transaction, so
        one draft makes one ad however often it is submitted (DraftGone the second time)."""
        async with self.pool.acquire() as conn, conn.transaction():
            # The seller's row lock serialises two submits of one seller (a double tap), so the
            # limits below cannot both pass. The lock goes with the draft's take; the limits
            # are read in the statement after it, whose snapshot sees the other submit's ad
            # (one folded into the locking statement would not: db.fsm.take says why).
            if draft is None:
                await db_users.lock_user(conn, owner_id)
            elif not await db_fsm.take(conn, draft.key, draft.state, lock_user=owner_id):
                raise DraftGone
            await self.check_limits(owner_id, conn)
            # The text sketch goes in with the ad, so the next ads are compared with it at
            # once; the hints themselves are computed when the admins' card is rendered (the
            # outbox), off the seller's path, and kept there in a transaction of their own.
            sketch = text_sketch(fold(content.description))
            document = ad_document(
                content.description, content.category, content.region, content.district
            )
            ad_id = await db_ads.insert_ad(
                conn, owner_id, content, sketch=sketch, search_text=document
            )
            await send_card(conn, self.admin_ids, ad_id)
            return ad_id

    # -- admins decide -------------------------------------------------------------------------

    async def approve(self, ad_id: int, admin_id: int) -> Change:
        async with self.pool.acquire() as conn, conn.transaction():
            applied = await db_ads.decide(conn, ad_id, to=AdStatus.APPROVED, admin_id=admin_id)
            if applied:
                await db_admin_actions.record_action(
                    conn, ad_id=ad_id, admin_id=admin_id, action="approve"
                )
                await enqueue(conn, self.channel, OutboxKind.CHANNEL_POST, ad_id=ad_id)
                await update_cards(conn, self.admin_ids, ad_id)
            return await change_of(conn, ad_id, applied)

    async def reject(
        self,
        ad_id: int,
        admin_id: int,
        *,
        code: RejectReason | None = None,
        reason: str | None = None,
    ) -> Change:
        async with self.pool.acquire() as conn, conn.transaction():
            applied = await db_ads.decide(
                conn,
                ad_id,
                to=AdStatus.REJECTED,
                admin_id=admin_id,
                reason_code=code.value if code else None,
                reason=reason,
            )
            change = await change_of(conn, ad_id, applied)
            if applied and change.ad is not None:
                await db_admin_actions.record_action(
                    conn,
                    ad_id=ad_id,
                    admin_id=admin_id,
                    action="reject",
                    detail=code.value if code else reason,
                )
                await enqueue(conn, change.ad.owner_id, OutboxKind.OWNER_REJECTED, ad_id=ad_id)
                await update_cards(conn, self.admin_ids, ad_id)
            return change

    async def price_check(self, category: Category, price: Price) -> PriceCheck | None:
        """At the price step: None when the price is plausible for the category."""
        if price.amount is None:
            return None
        return await self.price_checks.check(self.pool, category, price)

    async def own_repeat(self, owner_id: int, content: AdContent) -> int | None:
        """At the preview: the id of the seller's own live ad this draft repeats, if any."""
        match = await own_repeat(self.pool, owner_id, content)
        return match.candidate.id if match is not None else None

    async def unposted(self, limit: int) -> list[OwnerAd]:
        """Approved ads with no channel post and none on its way (a post Telegram refused for
        good, or one whose outcome is unknown), oldest decision first."""
        async with self.pool.acquire() as conn:
            found = await db_channel.approved_without_post(conn, limit)
            ads = [await db_ads.get_ad(conn, u.ad_id) for u in found]
        return [
            OwnerAd(ad, None, last_attempt=u.last_status)
            for ad, u in zip(ads, found, strict=True)
            if ad
        ]

    async def publish_again(self, ad_id: int) -> bool:
        """Queue one more first post for an approved ad without one; False when it is out,
        on its way, or not approved (two admins pressing at once queue one post)."""
        async with self.pool.acquire() as conn, conn.transaction():
            ad = await db_ads.get_ad(conn, ad_id)
            if ad is None or await db_bans.is_banned(conn, ad.owner_id):
                return False  # a banned seller's ad is posted when the ban is lifted
            return await db_channel.publish_again(conn, ad_id, self.channel)

    # -- the channel post went out -------------------------------------------------------------

    async def posted(
        self, conn: Conn, ad_id: int, chat_id: int, message_ids: list[int], *, is_repost: bool
    ) -> None:
        """A channel post of the ad went out: remember its messages; the first one publishes.
        Runs in the outbox's transaction (`conn`).

        The ad's row is locked first, as the owner's "sold"/"remove" locks it: either that
        change comes first and is seen here (the new post's caption is edited at once), or it
        waits for this transaction and then finds the new post among the ad's messages. Read
        without the lock, both could miss the post in between, leaving a repost that "sold"
        never reaches."""
        await db_ads.lock_ad(conn, ad_id)
        await db_ads.add_posts(conn, ad_id, chat_id, message_ids, is_repost=is_repost)
        ad = await db_ads.get_ad(conn, ad_id)
        if ad is None:
            return
        if not is_repost and await db_ads.publish(conn, ad_id, check_in=self.sold_check_interval):
            await enqueue(conn, ad.owner_id, OutboxKind.OWNER_PUBLISHED, ad_id=ad_id)
            await update_cards(conn, self.admin_ids, ad_id)  # now with the link
            # Sent by the courier, the post held the seller's row since its ban check
            # (`db.bans.hold_seller`), so no ban landed since; a replayed bookkeeping (an
            # answer recorded late, a post found by a probe) held nothing while it was away.
            if not await db_bans.is_banned(conn, ad.owner_id):
                await tell_buyers(conn, ad_id)
        elif ad.status in (AdStatus.SOLD, AdStatus.REMOVED):
            # The owner closed it while this post was on its way: say so on the post at once.
            await self._caption_edit(
                conn, ad_id, ChannelPost(chat_id, message_ids[0], 0, is_repost)
            )

    # -- reposts and "has it sold?" ------------------------------------------------------------

    async def repost(self) -> int | None:
        """If the repost job is due, post one unsold ad again; return its id (None: not due, or
        nothing eligible). Claiming the job and enqueueing the post is one transaction, so each
        interval's repost happens once, whatever the number of bot processes or restarts."""
        interval = self.repost_interval
        async with self.pool.acquire() as conn, conn.transaction():
            run = await db_jobs.claim(conn, REPOST_JOB, interval)
            if run is None:
                return None
            if await repost_pending(conn):
                # The last repost has not gone out yet (the channel is slow or refusing): this
                # turn is skipped rather than piling reposts up in front of first posts.
                return None
            now = await db_jobs.now(conn)
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
            await enqueue(conn, self.channel, OutboxKind.CHANNEL_REPOST, ad_id=choice.ad_id)
            return choice.ad_id

    async def ask_whether_sold(self, *, spacing: float, batch: int = 100) -> tuple[int, int]:
        """Ask the sellers of due ads whether they sold; expire ads whose sellers did not answer
        three times or blocked the bot. A seller with several due ads gets the questions spaced
        out by `spacing` seconds. Returns (questions, expiries)."""
        asked = expired = 0
        async with self.pool.acquire() as conn, conn.transaction():
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
                await db_ads.asked(conn, due.ad_id, check_in=self.sold_check_interval)
                await enqueue(
                    conn, due.owner_id, OutboxKind.SOLD_QUESTION, ad_id=due.ad_id, delay=delay
                )
                asked += 1
        return asked, expired

    # -- the owner's answers -------------------------------------------------------------------

    async def owner_acts(self, ad_id: int, owner_id: int, action: OwnerAction) -> Change:
        """The seller marks an ad sold, removes it, keeps it for sale, or renews an expired one.

        Only the ad's owner can (the buttons' data can be forged: someone else's ad comes back
        as `Change(False, None)`); each change is conditional on the ad's state, so a double
        tap or an old button changes nothing twice.
        """
        check_in = self.sold_check_interval
        async with self.pool.acquire() as conn, conn.transaction():
            before = await db_ads.get_ad(conn, ad_id)
            if before is None or before.owner_id != owner_id:
                return Change(False, None)
            if action is OwnerAction.RENEW and before.status is AdStatus.PUBLISHED:
                action = OwnerAction.KEEP  # a live ad is renewed by another selling period
            if action in (OwnerAction.KEEP, OwnerAction.RENEW) and await db_bans.is_banned(
                conn, owner_id
            ):
                # A ban means no new exposure: no renewal, no longer selling period. Closing
                # (sold, removed) stays open to them.
                return Change(False, before, banned=True)
            if action is OwnerAction.KEEP:
                applied = await db_ads.still_selling(conn, ad_id, owner_id, check_in=check_in)
            elif action is OwnerAction.RENEW:
                applied = await db_ads.renew(conn, ad_id, owner_id, check_in=check_in)
            else:
                to = AdStatus.SOLD if action is OwnerAction.SOLD else AdStatus.REMOVED
                expected = [AdStatus.PUBLISHED, AdStatus.EXPIRED, AdStatus.APPROVED]
                if to is AdStatus.REMOVED:
                    expected.append(AdStatus.PENDING)  # a seller may withdraw an ad not yet out
                applied = await db_ads.owner_close(conn, ad_id, owner_id, to=to, expected=expected)
                if applied:
                    for post in await db_ads.caption_posts(conn, ad_id):
                        await self._caption_edit(conn, ad_id, post)
                    if before.status is AdStatus.PENDING:
                        await update_cards(
                            conn, self.admin_ids, ad_id
                        )  # the admins need not decide
            return Change(applied, await db_ads.get_ad(conn, ad_id))

    async def owner_page(self, owner_id: int, page: int, page_size: int) -> OwnerPage:
        """One page of the seller's ads, newest first, each with its first channel message."""
        async with self.pool.acquire() as conn:
            total = await db_ads.count_owner_ads(conn, owner_id)
            pages = max(1, -(-total // page_size))
            page = min(max(page, 0), pages - 1)
            listed = await db_ads.owner_ads(
                conn, owner_id, limit=page_size, offset=page * page_size
            )
            opens = await db_opens.open_counts(conn, [ad.id for ad in listed])
            items = [
                OwnerAd(ad, await db_ads.first_post(conn, ad.id), opens=opens[ad.id])
                for ad in listed
            ]
        return OwnerPage(total, page, pages, items)

    # -- buyers --------------------------------------------------------------------------------

    # -- outbox rows that follow a change ------------------------------------------------------

    async def _caption_edit(self, conn: Conn, ad_id: int, post: ChannelPost) -> None:
        """Edit a channel message's caption to the ad's state: deleting is impossible after 48
        hours (https://core.telegram.org/bots/api#deletemessage), editing works on old posts."""
        await enqueue(
            conn,
            self.channel,
            OutboxKind.CHANNEL_CAPTION,
            ad_id=ad_id,
            payload={
                "chat_id": post.chat_id,
                "message_id": post.message_id,
                "is_repost": post.is_repost,
            },
        )


async def update_cards(conn: Conn, admin_ids: Collection[int], ad_id: int) -> None:
    """Every admin's card of the ad is rendered again (the outbox renders it from the state
    then), in the transaction of the change it shows; one statement for all the admins."""
    rows = [(admin_id, OutboxKind.ADMIN_CARD_UPDATE) for admin_id in sorted(admin_ids)]
    await enqueue_rows(conn, rows, ad_id=ad_id)


async def send_card(conn: Conn, admin_ids: Collection[int], ad_id: int) -> None:
    """To each admin, the ad's photos, then its card with the buttons (albums cannot carry
    buttons: https://core.telegram.org/bots/api#sendmediagroup); one statement for all."""
    rows = [
        (admin_id, kind)
        for admin_id in sorted(admin_ids)
        for kind in (OutboxKind.ADMIN_PHOTOS, OutboxKind.ADMIN_CARD)
    ]
    await enqueue_rows(conn, rows, ad_id=ad_id)


async def change_of(conn: Conn, ad_id: int, applied: bool) -> Change:
    ad = await db_ads.get_ad(conn, ad_id)
    verdict = await verdict_of(conn, ad) if ad is not None and not applied else None
    return Change(applied, ad, verdict)


def _weighted_choice(candidates: list[db_ads.RepostCandidate]) -> db_ads.RepostCandidate:
    """Random, but leaning toward the front of the rotation (least recently shown sellers):
    the first candidate is n times as likely as the last."""
    weights = list(range(len(candidates), 0, -1))
    return random.choices(candidates, weights=weights)[0]  # noqa: S311 - fairness, not secrecy

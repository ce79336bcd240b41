"""Paid promotion with Telegram Stars: a seller lifts (🚀) or pins (📌) their ad.

https://core.telegram.org/bots/payments-stars. The invoice goes out in `XTR` with one price;
Telegram asks the bot to confirm the payment (`pre_checkout_query`, answered within 10 s:
`pre_checkout` is one indexed read), then sends a `successful_payment` message, recorded here
once by its `telegram_payment_charge_id` in the same transaction as what it sets going.

- Fair to everyone else: a lift is a channel row ranked between first posts (and "sold"
  edits) and ordinary reposts, at most `lifts_per_hour` start in any hour; one pin at a time.
  Promotions past those limits wait their turn in their row (`status = 'waiting'`), started by
  the tick, never by an in-memory timer.
- Delivered once: the courier records the channel's answer (`delivered`) in the outbox's
  transaction; the tick ends pins after 24 hours (an unpin row).
- Refunded once: a promotion that cannot be delivered (the ad sold, removed, expired or its
  seller banned before it ran, its channel row dropped, the channel refusing the bot for an
  hour) becomes `refund_due`; `refund_due_payments` calls `refundStarPayment` and a second
  call's "CHARGE_ALREADY_REFUNDED" counts as done, so an answer lost on the way changes
  nothing.
- Reconciled: at start-up and daily, `getStarTransactions` is read back; a payment the bot
  has no record of (an update lost) is reported to the admins and then delivered or refunded.
"""

from __future__ import annotations

import asyncio
import enum
import io
import logging
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import asyncpg
from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramRetryAfter,
)
from aiogram.types import TransactionPartnerUser
from PIL import Image, ImageDraw

from vodiy_bozor.db import Conn
from vodiy_bozor.db import jobs as db_jobs
from vodiy_bozor.db import promotions as db_promo
from vodiy_bozor.db.outbox import enqueue
from vodiy_bozor.models import AdStatus, OutboxKind
from vodiy_bozor.workers.backoff import Backoff
from vodiy_bozor.workers.loop import run_loop

log = logging.getLogger(__name__)

CURRENCY = "XTR"  # Telegram Stars: https://core.telegram.org/bots/api#sendinvoice
PROMOTION_SECONDS = 24 * 3600  # how long a lift stands first, a pin stays pinned
REFUSED_FOR = 3600  # a channel refusing this long: its waiting promotions are refunded
RECONCILE_JOB = "reconcile_stars"
RECONCILE_EVERY = 24 * 3600
TRANSACTIONS_PAGE = 100  # getStarTransactions takes at most 100 a call
TRANSACTIONS_PAGES = 50  # read back at most this many pages a run
BATCH = 50
REFUND_BATCH = 10
# Advisory lock key: starting waiting promotions is serialised across instances, so two of
# them cannot both see "no pin running" or "two lifts left this hour".
START_LOCK = 0x70726F6D  # "prom"
ALREADY_REFUNDED = "CHARGE_ALREADY_REFUNDED"
REVENUE_TZ = "Asia/Tashkent"  # /revenue's days are the valley's days
PAYLOAD_PREFIX = "promo1"  # the invoice payload's version (up to 128 bytes)


class PromoKind(enum.StrEnum):
    LIFT = "lift"
    PIN = "pin"


class Refusal(enum.StrEnum):
    """Why an ad cannot be promoted now; each has a text in every language."""

    OFF = "off"  # promotions are switched off (no price set)
    NOT_YOURS = "not_yours"  # no such ad, or someone else's (forged data)
    STATUS = "status"  # not published: pending, sold, removed, expired
    BANNED = "banned"
    RUNNING = "running"  # the same promotion is paid and not over
    PRICE = "price"  # the invoice's price or currency is not the current one


@dataclass(frozen=True, slots=True)
class Refused:
    reason: Refusal
    status: AdStatus | None = None  # for STATUS


@dataclass(frozen=True, slots=True)
class PromoSettings:
    lift_stars: int | None = None
    pin_stars: int | None = None
    lifts_per_hour: int = 3

    def price(self, kind: PromoKind) -> int | None:
        return self.lift_stars if kind is PromoKind.LIFT else self.pin_stars

    @property
    def kinds(self) -> tuple[PromoKind, ...]:
        """What can be bought: the kinds with a price."""
        return tuple(k for k in PromoKind if self.price(k) is not None)


def invoice_payload(kind: PromoKind, ad_id: int) -> str:
    return f"{PAYLOAD_PREFIX}:{kind.value}:{ad_id}"


def parse_payload(payload: str) -> tuple[PromoKind, int] | None:
    parts = payload.split(":")
    if len(parts) != 3 or parts[0] != PAYLOAD_PREFIX or not parts[2].isdigit():
        return None
    try:
        return PromoKind(parts[1]), int(parts[2])
    except ValueError:
        return None


def _refusal(state: db_promo.AdState | None, user_id: int) -> Refused | None:
    if state is None or state.owner_id != user_id:
        return Refused(Refusal.NOT_YOURS)
    if state.banned:
        return Refused(Refusal.BANNED)
    if state.status != AdStatus.PUBLISHED:
        return Refused(Refusal.STATUS, AdStatus(state.status))
    return None


@dataclass(frozen=True, slots=True)
class Revenue:
    days: list[db_promo.DayRevenue]
    kinds: list[db_promo.KindRevenue]

    @property
    def received(self) -> int:
        return sum(d.received for d in self.days)

    @property
    def refunded(self) -> int:
        return sum(d.refunded for d in self.days)

    @property
    def net(self) -> int:
        return self.received - self.refunded


class Promotions:
    def __init__(
        self,
        pool: asyncpg.Pool[Any],
        *,
        channel: int | str,
        admin_ids: Collection[int],
        settings: PromoSettings,
        seconds: float = PROMOTION_SECONDS,
    ) -> None:
        self.pool = pool
        self.channel = channel
        self.admin_ids = frozenset(admin_ids)
        self.settings = settings
        self.seconds = seconds

    @property
    def kinds(self) -> tuple[PromoKind, ...]:
        return self.settings.kinds

    # -- before paying -------------------------------------------------------------------------

    async def refusal(self, user_id: int, kind: PromoKind, ad_id: int) -> Refused | None:
        """Why the user cannot buy this promotion of this ad now; None: they can."""
        if self.settings.price(kind) is None:
            return Refused(Refusal.OFF)
        refused = _refusal(await db_promo.ad_state(self.pool, ad_id), user_id)
        if refused is not None:
            return refused
        if await db_promo.running(self.pool, ad_id, kind.value):
            return Refused(Refusal.RUNNING)
        return None

    async def pre_checkout(
        self, user_id: int, payload: str, currency: str, amount: int
    ) -> Refused | None:
        """The answer to Telegram's pre-checkout query: None to let the payment go."""
        parsed = parse_payload(payload)
        if parsed is None:
            return Refused(Refusal.NOT_YOURS)
        kind, ad_id = parsed
        price = self.settings.price(kind)
        if price is None:
            return Refused(Refusal.OFF)
        if currency != CURRENCY or amount != price:
            return Refused(Refusal.PRICE)
        return await self.refusal(user_id, kind, ad_id)

    # -- paid ----------------------------------------------------------------------------------

    async def paid(
        self,
        *,
        user_id: int,
        charge_id: str,
        payload: str,
        amount: int,
        source: str = "update",
    ) -> bool:
        """Record a payment once and set its promotion going (or its refund), with every outbox
        row that follows, in one transaction. False: this charge was recorded already, or the
        payload is not one of ours."""
        parsed = parse_payload(payload)
        if parsed is None:
            log.error("payment %s by %d has a payload not ours: %r", charge_id, user_id, payload)
            return False
        kind, ad_id = parsed
        async with self.pool.acquire() as conn, conn.transaction():
            state = await db_promo.ad_state(conn, ad_id)
            if state is None:
                log.error(
                    "payment %s by %d names ad %d, which is not there", charge_id, user_id, ad_id
                )
                return False
            recorded = await db_promo.record(
                conn,
                charge_id=charge_id,
                user_id=user_id,
                ad_id=ad_id,
                kind=kind.value,
                stars=amount,
                source=source,
            )
            if not recorded:
                log.info("payment %s is recorded already", charge_id)
                return False
            log.info("payment %s: %d stars for a %s of ad %d", charge_id, amount, kind, ad_id)
            if source == "reconciled":
                for admin_id in sorted(self.admin_ids):
                    await enqueue(
                        conn,
                        admin_id,
                        OutboxKind.ADMIN_PAYMENT_FOUND,
                        ad_id=ad_id,
                        payload={"charge_id": charge_id},
                    )
            refused = _refusal(state, user_id)
            if refused is None and await self._running_besides(conn, ad_id, kind, charge_id):
                refused = Refused(Refusal.RUNNING)
            if refused is not None:
                reason = refused.status.value if refused.status else refused.reason.value
                await db_promo.refund_due(conn, charge_id, reason)
                return True
            await self._start_due(conn)
            promotion = await db_promo.get(conn, charge_id)
            if promotion is not None and promotion.status == "waiting":
                ahead = await db_promo.waiting_ahead(conn, kind.value, charge_id)
                await self._tell(conn, promotion, "queued", ahead=ahead)
            return True

    async def _running_besides(
        self, conn: Conn, ad_id: int, kind: PromoKind, charge_id: str
    ) -> bool:
        """Whether another payment already bought this promotion of the ad and it is not over
        (two invoices paid one after the other)."""
        for other in await db_promo.for_ad(conn, ad_id):
            if (
                other.charge_id != charge_id
                and other.kind == kind
                and other.status in db_promo.OPEN
            ):
                return True
        return False

    async def _tell(
        self, conn: Conn, promotion: db_promo.Promotion, event: str, **extra: Any
    ) -> None:
        await enqueue(
            conn,
            promotion.user_id,
            OutboxKind.OWNER_PROMOTION,
            ad_id=promotion.ad_id,
            payload={"event": event, "kind": promotion.kind, "charge_id": promotion.charge_id}
            | extra,
        )

    async def _start_due(self, conn: Conn) -> int:
        """Start the waiting promotions whose turn it is (one pin at a time, at most
        `lifts_per_hour` lifts started in any hour); how many started."""
        await db_promo.lock_starts(conn, START_LOCK)
        started = 0
        for _ in range(BATCH):  # pins: the next one, skipping those that cannot run
            if await db_promo.active_pin(conn):
                break
            due = await db_promo.waiting(conn, PromoKind.PIN.value, 1)
            if not due:
                break
            started += await self._start(conn, due[0])
        room = self.settings.lifts_per_hour - await db_promo.lifts_started_since(conn, 3600)
        if room > 0:
            for promotion in await db_promo.waiting(conn, PromoKind.LIFT.value, room):
                started += await self._start(conn, promotion)
        return started

    async def _start(self, conn: Conn, promotion: db_promo.Promotion) -> int:
        refused = _refusal(await db_promo.ad_state(conn, promotion.ad_id), promotion.user_id)
        if refused is not None:
            reason = refused.status.value if refused.status else refused.reason.value
            await db_promo.refund_due(conn, promotion.charge_id, reason)
            return 0
        kind = (
            OutboxKind.CHANNEL_LIFT if promotion.kind == PromoKind.LIFT else OutboxKind.CHANNEL_PIN
        )
        row_id = await enqueue(
            conn,
            self.channel,
            kind,
            ad_id=promotion.ad_id,
            payload={"charge_id": promotion.charge_id},
        )
        await db_promo.start(conn, promotion.charge_id, row_id)
        if promotion.kind == PromoKind.LIFT:
            await db_promo.mark_shown(conn, promotion.ad_id)
        return 1

    # -- the channel took it (in the outbox's transaction) ------------------------------------

    async def delivered(self, conn: Conn, charge_id: str, *, message_id: int | None = None) -> None:
        """A lift's post or a pin went out: it runs for its 24 hours from now, and the seller
        is told. Replayed bookkeeping finds it running already and does nothing."""
        promotion = await db_promo.delivered(
            conn, charge_id, seconds=self.seconds, message_id=message_id
        )
        if promotion is None:
            return
        if promotion.kind == PromoKind.LIFT:
            await db_promo.lift_ad(conn, promotion.ad_id, seconds=self.seconds)
        await self._tell(
            conn, promotion, "lifted" if promotion.kind == PromoKind.LIFT else "pinned"
        )

    # -- the tick ------------------------------------------------------------------------------

    async def tick(self) -> int:
        """End the pins whose time is over, mark for refund what cannot be delivered, start
        what is due; how many promotions changed."""
        changed = 0
        async with self.pool.acquire() as conn, conn.transaction():
            for over in await db_promo.ended(conn, BATCH):
                changed += 1
                if over.kind == PromoKind.PIN and over.message_id is not None:
                    await enqueue(
                        conn,
                        self.channel,
                        OutboxKind.CHANNEL_UNPIN,
                        ad_id=over.ad_id,
                        payload={"message_id": over.message_id, "charge_id": over.charge_id},
                    )
            for lost in await db_promo.undeliverable(conn, BATCH, refused_for=REFUSED_FOR):
                if lost.outbox_id is not None:
                    status = await db_promo.channel_row_status(conn, lost.outbox_id)
                    if status == "pending" and not await db_promo.cancel_channel_row(
                        conn, lost.outbox_id
                    ):
                        continue  # being sent right now: it may yet go out
                else:
                    status = None
                reason = await self._why_lost(conn, lost, status)
                if await db_promo.refund_due(conn, lost.charge_id, reason):
                    log.warning(
                        "promotion %s cannot be delivered (%s): refunding", lost.charge_id, reason
                    )
                    changed += 1
            changed += await self._start_due(conn)
        return changed

    async def _why_lost(
        self, conn: Conn, promotion: db_promo.Promotion, row_status: str | None
    ) -> str:
        state = await db_promo.ad_state(conn, promotion.ad_id)
        refused = _refusal(state, promotion.user_id)
        if refused is not None:
            return refused.status.value if refused.status else refused.reason.value
        if row_status == "unknown":
            return "unknown"
        return "channel" if row_status == "pending" else "failed"

    async def refund_due_payments(self, bot: Bot) -> int:
        """Call refundStarPayment for the refunds that are due; how many were refunded."""
        done = 0
        async with self.pool.acquire() as conn, conn.transaction():
            for promotion in await db_promo.claim_refunds(conn, REFUND_BATCH):
                if await self._refund(conn, bot, promotion):
                    done += 1
        return done

    async def _refund(self, conn: Conn, bot: Bot, promotion: db_promo.Promotion) -> bool:
        try:
            await bot.refund_star_payment(
                user_id=promotion.user_id, telegram_payment_charge_id=promotion.charge_id
            )
        except TelegramBadRequest as exc:
            if ALREADY_REFUNDED not in exc.message.upper():
                log.error(
                    "refund of %s refused: %s; trying again in an hour",
                    promotion.charge_id,
                    exc.message,
                )
                await db_promo.refund_later(conn, promotion.charge_id, 3600)
                return False
            # An earlier call went through and its answer was lost: refunded all the same.
            log.info("refund of %s was done already", promotion.charge_id)
        except TelegramRetryAfter as exc:
            await db_promo.refund_later(conn, promotion.charge_id, exc.retry_after)
            return False
        except (TelegramAPIError, OSError, TimeoutError) as exc:
            delay = Backoff(5.0, 600.0, jitter=0.2).delay(promotion.refund_attempts)
            log.warning("refund of %s failed (%s); again in %.0fs", promotion.charge_id, exc, delay)
            await db_promo.refund_later(conn, promotion.charge_id, delay)
            return False
        if await db_promo.refunded(conn, promotion.charge_id):
            log.info("refunded %s (%s)", promotion.charge_id, promotion.refund_reason)
            await self._tell(
                conn, promotion, "refunded", reason=promotion.refund_reason or "failed"
            )
        return True

    # -- reconciliation ------------------------------------------------------------------------

    async def reconcile(self, bot: Bot) -> int:
        """Read the bot's Star transactions back; every payment for one of our invoices that the
        bot has no record of is recorded (the admins told), then delivered or refunded.
        Returns how many were found."""
        incoming: dict[str, tuple[int, str, int]] = {}
        refunded: set[str] = set()
        offset = 0
        for _ in range(TRANSACTIONS_PAGES):
            page = await bot.get_star_transactions(offset=offset, limit=TRANSACTIONS_PAGE)
            for tx in page.transactions:
                source, receiver = tx.source, tx.receiver
                if isinstance(source, TransactionPartnerUser) and source.invoice_payload:
                    incoming[tx.id] = (source.user.id, source.invoice_payload, tx.amount)
                elif isinstance(receiver, TransactionPartnerUser):
                    refunded.add(tx.id)  # a refund is an outgoing transaction with its id
            if len(page.transactions) < TRANSACTIONS_PAGE:
                break
            offset += TRANSACTIONS_PAGE
        ours = {
            charge: paid
            for charge, paid in incoming.items()
            if charge not in refunded and parse_payload(paid[1]) is not None
        }
        known = await db_promo.known_charges(self.pool, list(ours))
        found = 0
        for charge_id in sorted(set(ours) - known):
            user_id, payload, amount = ours[charge_id]
            log.warning("reconciliation: payment %s by %d was not recorded", charge_id, user_id)
            if await self.paid(
                user_id=user_id,
                charge_id=charge_id,
                payload=payload,
                amount=amount,
                source="reconciled",
            ):
                found += 1
        return found

    async def in_use(self) -> bool:
        """Whether promotions are on, or were (rows still to finish or refund)."""
        if self.kinds:
            return True
        return await db_promo.any_recorded(self.pool)

    async def run(self, bot: Bot, stop: asyncio.Event, *, every: float = 2.0) -> None:
        """The promotions' schedule: reconcile at start-up and daily, tick, refund."""
        if not await self.in_use():
            log.info("promotions: off (no LIFT_STARS or PIN_STARS)")
            await stop.wait()  # returning early would look like a crash to the supervisor
            return
        await db_jobs.ensure(self.pool, RECONCILE_JOB, RECONCILE_EVERY)
        loop = asyncio.get_running_loop()
        retry = Backoff(10.0, 600.0, jitter=0.2)
        start_up: float | None = loop.time()  # when to reconcile for the start-up, if still owed
        failures = 0

        async def turn() -> float:
            nonlocal start_up, failures
            await self.tick()
            await self.refund_due_payments(bot)
            owed = start_up is not None and loop.time() >= start_up
            if owed or await self._reconcile_due():
                try:
                    found = await self.reconcile(bot)
                except (TelegramAPIError, OSError, TimeoutError) as exc:
                    failures += 1
                    start_up = loop.time() + retry.delay(failures)
                    log.warning("promotions: reconciliation failed (%s); trying again", exc)
                else:
                    start_up, failures = None, 0
                    if found:
                        log.warning("promotions: %d payments found by reconciliation", found)
            return every

        # Only the database is waited out: any other failure is raised to the supervisor.
        await run_loop("promotions", stop, turn, after_error=lambda: every, survive_bugs=False)

    async def _reconcile_due(self) -> bool:
        async with self.pool.acquire() as conn, conn.transaction():
            return await db_jobs.claim(conn, RECONCILE_JOB, RECONCILE_EVERY) is not None

    # -- accounts ------------------------------------------------------------------------------

    async def revenue(self, days: int = 30) -> Revenue:
        async with self.pool.acquire() as conn:
            return Revenue(
                days=await db_promo.revenue_by_day(conn, days, REVENUE_TZ),
                kinds=await db_promo.revenue_by_kind(conn, days, REVENUE_TZ),
            )


def revenue_chart(revenue: Revenue, *, width: int = 900, height: int = 400) -> bytes:
    """A PNG bar chart of the days: each day's net Stars in green, its refunds in red above."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    left, right, top, bottom = 50, 10, 20, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    days = revenue.days or []
    peak = max((d.received for d in days), default=0) or 1
    draw.line([(left, top), (left, top + plot_h), (left + plot_w, top + plot_h)], fill="black")
    draw.text((5, top - 5), str(peak), fill="black")
    draw.text((5, top + plot_h - 10), "0", fill="black")
    if days:
        step = plot_w / len(days)
        for i, day in enumerate(days):
            x0 = left + i * step + step * 0.15
            x1 = left + (i + 1) * step - step * 0.15
            net_h = plot_h * (day.received - day.refunded) / peak
            refund_h = plot_h * day.refunded / peak
            base = top + plot_h
            if net_h > 0:
                draw.rectangle([x0, base - net_h, x1, base], fill=(46, 160, 67))
            if refund_h > 0:
                draw.rectangle([x0, base - net_h - refund_h, x1, base - net_h], fill=(218, 54, 51))
            if i % 5 == 0 or i == len(days) - 1:
                draw.text((x0, base + 8), day.day.strftime("%d.%m"), fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()

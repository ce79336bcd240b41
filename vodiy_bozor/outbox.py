"""The delivery worker: sends outbox rows to Telegram within its limits, retrying until done.

- Limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits): about one message per
  second per private chat (short bursts are fine), 20 per minute per channel or group (an
  album counts as each of its items), 30 per second overall. The pace lives in PostgreSQL, so
  several bot processes share one budget.
- 429: wait `retry_after` for that chat. 5xx, network errors, timeouts: retry with backoff, for
  ever. 403 from a user: they blocked the bot; mark them and drop what was queued for them.
  Other 400s are permanent: the row is marked failed and logged.
- A row is sent while its database row is locked, and marked in the same transaction: after a
  crash it is still pending and is sent by the next run; two workers never send the same row.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
from dataclasses import dataclass
from typing import Any, Protocol

import aiohttp
import asyncpg
from aiogram import Bot
from aiogram.exceptions import (
    RestartingTelegram,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import TelegramMethod

from vodiy_bozor.db import Conn
from vodiy_bozor.db import outbox as db_outbox
from vodiy_bozor.db.outbox import OutboxRow
from vodiy_bozor.photos import PhotoStoreError

log = logging.getLogger(__name__)

# How many due chats a claim looks at: enough to skip the ones other workers are sending to.
CANDIDATES = 8

# Telegram's wording for a file_id it no longer accepts (another token, a file it dropped).
_FILE_ERRORS = ("wrong file identifier", "wrong remote file", "file reference", "file_id")


@dataclass(frozen=True, slots=True)
class Delivery:
    """One Bot API call rendered from an outbox row. `cost` is how many messages Telegram
    counts it as (an album counts each item in groups and channels); `uploaded` says the
    photos went as files from the archive rather than as stored file_ids."""

    method: TelegramMethod[Any]
    cost: int = 1
    uploaded: bool = False


class Courier(Protocol):
    """Knows what each kind of row means: renders it and records what happened."""

    async def render(self, conn: Conn, row: OutboxRow) -> Delivery | None:
        """The call to make, or None when there is nothing to send any more."""

    async def sent(self, conn: Conn, row: OutboxRow, delivery: Delivery, result: Any) -> None:
        """Record the outcome (message ids, state changes, follow-up rows)."""

    async def file_rejected(self, conn: Conn, row: OutboxRow) -> Delivery | None:
        """Telegram refused a stored file_id: the same call with the photos uploaded."""

    async def user_blocked(self, conn: Conn, user_id: int) -> None:
        """A user blocked the bot."""


@dataclass(frozen=True, slots=True)
class Limits:
    private_interval: float = 1.0  # seconds per message to one private chat
    private_burst: float = 2.0  # ... after a burst of up to 3
    group_interval: float = 3.0  # 20 per minute to a channel or group
    group_burst: float = 0.0
    # 30 per second overall, with no burst: Telegram counts the overall limit strictly (the
    # benchmark saw 429s from a 0.2 s burst), and a hair of margin for clock edges.
    global_interval: float = 1 / 29
    global_burst: float = 0.0
    backoff_base: float = 1.0
    backoff_max: float = 30.0
    concurrency: int = 4  # rows in flight at once
    idle_poll: float = 2.0  # longest sleep when idle; NOTIFY usually wakes the worker sooner
    request_timeout: int = 20


def is_private(chat: str) -> bool:
    """User chats have positive ids; groups and channels negative ids or @usernames."""
    return chat.isdigit()


class OutboxWorker:
    def __init__(
        self, pool: asyncpg.Pool[Any], bot: Bot, courier: Courier, limits: Limits | None = None
    ) -> None:
        self._pool = pool
        self._bot = bot
        self._courier = courier
        self.limits = limits or Limits()
        self._wake = asyncio.Event()
        self.sent = 0

    async def run(self, stop: asyncio.Event) -> None:
        async with self._pool.acquire() as listener:
            await listener.add_listener(db_outbox.CHANNEL_NAME, self._notified)
            try:
                loops = [
                    asyncio.create_task(self._loop(stop)) for _ in range(self.limits.concurrency)
                ]
                await asyncio.gather(*loops)
            finally:
                with contextlib.suppress(asyncpg.InterfaceError, OSError):
                    await listener.remove_listener(db_outbox.CHANNEL_NAME, self._notified)

    def _notified(self, *_: object) -> None:
        self._wake.set()

    async def _loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                if await self.step():
                    # Another loop may be waiting for this chat's next row: let it look now.
                    self._wake.set()
                    continue
                due = await db_outbox.seconds_until_due(self._pool)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("outbox: database unavailable (%s); retrying", exc)
                due = self.limits.idle_poll
            except Exception:
                # The worker must outlive any single failure, or nothing is delivered.
                log.exception("outbox: unexpected error; carrying on")
                due = self.limits.idle_poll
            # A due row that could not be claimed waits behind a row in flight for the same
            # chat; the loop sending that row wakes the others when it is done.
            floor = 0.05 if due == 0 else 0.0
            timeout = (
                self.limits.idle_poll
                if due is None
                else min(max(due, floor), self.limits.idle_poll)
            )
            log.debug("outbox: idle for up to %.2fs (next due in %s s)", timeout, due)
            await sleep_until_woken(stop, self._wake, timeout)
            self._wake.clear()

    async def step(self) -> bool:
        """Handle at most one row: True if anything moved (a row sent, failed or rescheduled,
        or a chat's due time corrected), False when nothing is due."""
        async with self._pool.acquire() as conn, conn.transaction():
            progress = False
            for chat in await db_outbox.due_chats(conn, CANDIDATES):
                head = await db_outbox.take_chat(conn, chat)
                if not head.locked:
                    continue  # another worker is sending to this chat
                progress = True  # its marks were consumed (and renewed if it must wait)
                if head.row is not None and head.sendable:
                    await self._handle(conn, head.row)
                    return True
            return progress

    async def _handle(self, conn: Conn, row: OutboxRow) -> None:
        """Send the row and record the outcome, with the chat's new pace and due mark."""
        settle = functools.partial(db_outbox.settle_chat, conn, row.chat)
        try:
            outcome = await self._deliver(conn, row)
        except TelegramRetryAfter as exc:
            log.warning("outbox: flood limit for %s, waiting %ds", row.chat, exc.retry_after)
            await db_outbox.reschedule(conn, row.id, exc.retry_after, exc.message)
            await settle(db_outbox.Pace.HOLD, hold=exc.retry_after)
        except TelegramForbiddenError as exc:
            if is_private(row.chat):
                log.info("outbox: user %s blocked the bot", row.chat)
                await db_outbox.mark_failed(conn, row.id, exc.message)
                await db_outbox.cancel_chat(conn, row.chat, "the user blocked the bot")
                await self._courier.user_blocked(conn, int(row.chat))
            else:
                # The bot lost its rights in the channel: an admin must fix that, and the post
                # must not be lost meanwhile.
                log.error("outbox: Telegram refuses to post to %s: %s", row.chat, exc.message)
                await db_outbox.reschedule(conn, row.id, self.limits.backoff_max, exc.message)
            await settle()
        except TRANSIENT as exc:
            delay = self._backoff(row)
            log.warning(
                "outbox: row %d (%s) to %s: %s; retry in %.1fs",
                row.id,
                row.kind,
                row.chat,
                exc,
                delay,
            )
            await db_outbox.reschedule(conn, row.id, delay, str(exc))
            await settle()
        except TelegramAPIError as exc:
            log.error("outbox: row %d (%s) to %s refused: %s", row.id, row.kind, row.chat, exc)
            await db_outbox.mark_failed(conn, row.id, exc.message)
            await settle()
        except (asyncpg.PostgresError, asyncpg.InterfaceError):
            raise  # the transaction is gone; the row stays pending
        except Exception as exc:  # a bug in rendering must not stop every other delivery
            log.exception("outbox: row %d (%s) failed unexpectedly", row.id, row.kind)
            await db_outbox.reschedule(conn, row.id, self._backoff(row), repr(exc))
            await settle()
        else:
            if outcome is None:
                await settle()
                return
            delivery, result = outcome
            await db_outbox.mark_sent(conn, row.id)
            private = is_private(row.chat)
            await settle(
                db_outbox.Pace.SEND,
                interval=(self.limits.private_interval if private else self.limits.group_interval)
                * (1 if private else delivery.cost),
                burst=self.limits.private_burst if private else self.limits.group_burst,
            )
            await self._courier.sent(conn, row, delivery, result)
            self.sent += 1

    async def _deliver(self, conn: Conn, row: OutboxRow) -> tuple[Delivery, Any] | None:
        """Render and send the row; None when there is nothing to send any more (the ad was
        sold or removed meanwhile, the user is gone): the row is then cancelled."""
        delivery = await self._courier.render(conn, row)
        if delivery is None:
            await db_outbox.mark_failed(conn, row.id, "nothing to send", cancelled=True)
            return None
        try:
            result = await self._call(row, delivery)
        except TelegramBadRequest as exc:
            if any(marker in exc.message.lower() for marker in _FILE_ERRORS):
                retry = await self._courier.file_rejected(conn, row)
                if retry is None:
                    raise
                log.warning("outbox: row %d: %s; sending the archived photos", row.id, exc)
                delivery = retry
                result = await self._call(row, retry)
            elif "message is not modified" in exc.message:
                result = None  # the edit is already in place
            else:
                raise
        return delivery, result

    async def _call(self, row: OutboxRow, delivery: Delivery) -> Any:
        wait = await db_outbox.reserve_global_slot(
            self._pool, interval=self.limits.global_interval, burst=self.limits.global_burst
        )
        if wait > 0:
            await asyncio.sleep(wait)
        return await self._bot(delivery.method, request_timeout=self.limits.request_timeout)

    def _backoff(self, row: OutboxRow) -> float:
        growth = 2.0 ** min(row.attempts, 16)
        base = min(self.limits.backoff_max, self.limits.backoff_base * growth)
        return base * random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not cryptography


async def sleep_until_woken(stop: asyncio.Event, wake: asyncio.Event, seconds: float) -> None:
    """Sleep until `stop` or `wake` is set, or `seconds` pass: how the background workers
    idle between a NOTIFY and their next due time."""
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
    try:
        await asyncio.wait(waiters, timeout=max(seconds, 0.01), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


# Worth retrying: Telegram or the network will come back. (401 too: a revoked token is fixed
# by an operator, and the queue must survive until then.)
TRANSIENT = (
    PhotoStoreError,  # the archive is down while re-uploading photos
    TelegramServerError,
    TelegramNetworkError,
    RestartingTelegram,
    TelegramUnauthorizedError,
    aiohttp.ClientError,
    TimeoutError,
)

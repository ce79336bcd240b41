"""The delivery worker: sends outbox rows to Telegram within its limits, retrying until done.

- Limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits): about one message per
  second per private chat (short bursts are fine), 20 per minute per channel or group (an
  album counts as each of its items), 30 per second overall. The pace lives in PostgreSQL, so
  several bot processes share one budget.
- 429: wait `retry_after` for that chat. 5xx, network errors, timeouts: retry with backoff, for
  ever. 403 from a user: they blocked the bot; mark them and drop what was queued for them.
- A channel that refuses in a way a person can fix (403, or 400 "need administrator rights",
  "not enough rights", "chat not found", CHAT_WRITE_FORBIDDEN) keeps its rows waiting and is
  tried again every `refusal_retry` seconds; the admins are told (again after an hour) and
  told when it works again. Other 400s are permanent: the row is marked failed and logged.
- A row is sent while its database row is locked, and marked in the same transaction: after a
  crash it is still pending and is sent by the next run; two workers never send the same row.
- Once Telegram has answered a send, the row is sent, whatever happens to the bookkeeping
  after it (message ids, state changes): that runs in a savepoint, is tried again in place,
  and if it still fails Telegram's result is kept on the row and the bookkeeping alone is
  done again later.
- A channel post whose outcome is unknown (the request may have reached Telegram, but no
  answer came back) is never sent again blindly: a second copy could not be reached by the
  "sold" edits. It is looked for in the channel first (`channel_probe`): found, it is recorded
  as if the answer had come; proven absent, it is sent again, once; only when the probe cannot
  tell is the row marked `unknown` and the admins told what to check. See README, "When
  Telegram refuses, or leaves doubt".
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import functools
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
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
from aiogram.methods import GetChat, GetMe, TelegramMethod
from aiogram.types import Message
from pydantic import BaseModel

from vodiy_bozor.db import Conn
from vodiy_bozor.db import channel as db_channel
from vodiy_bozor.db import outbox as db_outbox
from vodiy_bozor.db import probes as db_probes
from vodiy_bozor.db.outbox import OutboxRow
from vodiy_bozor.db.probes import Probe
from vodiy_bozor.delivery.channel_probe import (
    Answer,
    Bounds,
    PostContent,
    Verdict,
    advance,
    edit,
    found_messages,
)
from vodiy_bozor.delivery.photo_store import PhotoStoreError
from vodiy_bozor.telegram import limits
from vodiy_bozor.workers.backoff import Backoff
from vodiy_bozor.workers.loop import AGAIN, run_loop

log = logging.getLogger(__name__)

# How many due chats a claim looks at: enough to skip the ones other workers are sending to.
CANDIDATES = 8

# Telegram's wording for a file_id it no longer accepts (another token, a file it dropped).
_FILE_ERRORS = ("wrong file identifier", "wrong remote file", "file reference", "file_id")


# How a channel refuses when a person took something away, lower-cased, and what it means.
# Telegram's wording: https://core.telegram.org/api/errors (CHAT_WRITE_FORBIDDEN,
# CHAT_ADMIN_REQUIRED) as the Bot API words them.
REFUSALS = (
    ("need administrator rights", "rights"),
    ("not enough rights", "rights"),
    ("chat_write_forbidden", "rights"),
    ("have no rights to send a message", "rights"),
    ("chat_admin_required", "rights"),
    ("chat not found", "not_found"),
)

# How many times the bookkeeping after a send is tried in place before it is left for later.
BOOKKEEPING_TRIES = 3

# A replayed bookkeeping has no call to make: `Courier.sent` reads only `uploaded` and the
# result, and this stands for the call that went out already.
_ALREADY_SENT: TelegramMethod[Any] = GetMe()


@dataclass(frozen=True, slots=True)
class Delivery:
    """One Bot API call rendered from an outbox row. `cost` is how many messages Telegram
    counts it as (an album counts each item in groups and channels); `uploaded` says the
    photos went as files from the archive rather than as stored file_ids. `resend_if_unsure`
    False: if the outcome is unknown, the call is not made again (a channel post, whose
    second copy "sold" edits could not reach)."""

    method: TelegramMethod[Any]
    cost: int = 1
    uploaded: bool = False
    resend_if_unsure: bool = True


class OutcomeUnknown(Exception):
    """The request may have been performed by Telegram, but no answer came back. `since`:
    when that call was made, if it was not in this transaction."""

    def __init__(self, cause: Exception, since: datetime | None = None) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.since = since


def refusal_reason(exc: TelegramAPIError) -> str | None:
    """Why a channel or group refuses, if a person can fix it: "member" (the bot is not in it
    or not an admin), "rights" (no right to post), "not_found"; None for other errors."""
    if isinstance(exc, TelegramForbiddenError):
        return "member"
    if not isinstance(exc, TelegramBadRequest):
        return None
    message = exc.message.lower()
    return next((reason for marker, reason in REFUSALS if marker in message), None)


def maybe_performed(exc: BaseException) -> bool:
    """Whether a failed call may still have been performed: only a connection that could not
    be opened proves the request never reached Telegram. A timeout or a connection dropped
    while waiting for the answer leaves it open."""
    cause = exc.__cause__ if isinstance(exc, TelegramNetworkError) else exc
    if cause is None:
        return True  # a network error with nothing to tell where it happened: assume the worst
    if isinstance(cause, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError):
        return False
    return isinstance(cause, aiohttp.ClientError | TimeoutError | TelegramNetworkError)


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

    async def channel_refuses(self, conn: Conn, chat: str, reason: str, since: Any) -> None:
        """Tell the admins the channel refuses posts, why and since when."""

    async def channel_accepts(self, conn: Conn, chat: str, since: Any) -> None:
        """Tell the admins the channel takes posts again."""

    async def outcome_unknown(self, conn: Conn, row: OutboxRow, at: datetime | None = None) -> None:
        """A post that may or may not be in the channel (since `at`, the call in doubt; None:
        now): tell the admins what to check."""

    async def posted_content(self, conn: Conn, row: OutboxRow) -> PostContent | None:
        """What the row's channel post carried when it was sent, to look for it in the channel
        after an unknown outcome; None for rows that are not channel posts."""


@dataclass(frozen=True, slots=True)
class OutboxTiming:
    """The outbox worker's pace (Telegram's limits, `telegram/limits.py`, with a margin, as
    GCRA intervals and bursts in seconds), retries, concurrency and probes."""

    # A margin on each of Telegram's figures: it counts calls as they arrive, and a few
    # milliseconds between our clock and its make 1.0 s look like 0.99 (the fan-out and soak
    # benchmarks saw exactly that).
    private_interval: float = 1.1 / limits.PRIVATE_PER_SECOND  # seconds per message to one chat
    # ... after a burst of up to PRIVATE_BURST (a GCRA burst is the time the others take)
    private_burst: float = (limits.PRIVATE_BURST - 1) / limits.PRIVATE_PER_SECOND
    group_interval: float = 60 / limits.GROUP_PER_MINUTE * 1.05  # to a channel or group
    group_burst: float = 0.0
    # 30 per second overall, with no burst and a tenth off: Telegram counts the overall limit
    # strictly (the benchmark saw 429s from a 0.2 s burst).
    global_interval: float = 1 / (limits.OVERALL_PER_SECOND * 0.9)
    global_burst: float = 0.0
    # Bulk rows (a saved search's fan-out to thousands of buyers) take at most 20 a second of
    # the overall budget, leaving the rest to dialog answers (paced by the handlers' own
    # session, bot/pacing.py) and to cards and posts, which the fan-out must never delay.
    bulk_interval: float = 1 / 20
    backoff_base: float = 1.0
    backoff_max: float = 30.0
    concurrency: int = 4  # rows in flight at once
    idle_poll: float = 2.0  # longest sleep when idle; NOTIFY usually wakes the worker sooner
    request_timeout: int = 20
    # A refusing channel is asked again this often: often enough that posts go out soon after
    # an admin gives the right back, rarely enough to cost nothing (3 calls a minute).
    refusal_retry: float = 20.0
    remind_after: float = 3600.0  # the admins are told again while it still refuses
    # A channel post whose outcome is unknown is looked for (`channel_probe`) only this long
    # after the call in doubt: a request Telegram was still working on must have landed, or
    # its id could be taken for a missing one.
    probe_delay: float = 30.0
    probe_misses: int = 5  # "not found" in a row after the last message seen: not there
    probe_most: int = 30  # ids looked at before the admins are asked
    probe_failures: int = 30  # probes failing in a row (5xx, network) before they are asked


def is_private(chat: str) -> bool:
    """User chats have positive ids; groups and channels negative ids or @usernames."""
    return chat.isdigit()


class Took(enum.Enum):
    """What a worker's try at the due chats came to."""

    MOVED = "moved"  # a row was handled, or a chat's due time corrected
    ELSEWHERE = "elsewhere"  # a due chat is held by another process's worker
    NONE = "none"  # every due chat is held by another loop of this worker


@dataclass(slots=True, eq=False)
class _Loop:
    """One of the worker's loops, as NOTIFYs see it: busy (taking a turn: `until` is None),
    asleep (until `until`, the database's time by which it looks again by itself), or woken
    (asleep, `wake` set: it looks again as soon as it runs)."""

    wake: asyncio.Event = field(default_factory=asyncio.Event)
    until: float | None = None


def notified_due(payload: object) -> float | None:
    """The time a NOTIFY says its row is due (the database's seconds since the epoch, see
    `db.outbox.enqueue`); None when it says nothing usable (an instance of an older version
    sends an empty payload): such a NOTIFY is taken as due now."""
    try:
        due = float(payload) if isinstance(payload, str) else math.nan
    except ValueError:
        return None
    return due if math.isfinite(due) else None


class OutboxWorker:
    """`concurrency` loops take turns: one statement looks at what is due (`db.outbox.look`);
    a due chat is taken and its oldest row sent in a transaction, and the loop looks again.
    Otherwise it sleeps up to `idle_poll`; one timer wakes one loop when the next mark is due.

    A NOTIFY wakes one sleeping loop, and only if neither the timer nor a loop will look by
    the NOTIFY's due time anyway: every enqueue NOTIFYs, and in a busy hour most are for chats
    whose pace makes their rows wait (the admins' cards), so waking every loop for each cost
    turns that found nothing to send (issue 18). A loop that sends while other chats are due
    wakes one more, so a backlog spreads over the loops. Other instances' enqueues NOTIFY
    here too; their workers' own marks (after a send) are seen at the next look.
    """

    def __init__(
        self,
        pool: asyncpg.Pool[Any],
        bot: Bot,
        courier: Courier,
        limits: OutboxTiming | None = None,
    ) -> None:
        self._pool = pool
        self._bot = bot
        self._courier = courier
        self.limits = limits or OutboxTiming()
        self._loops: list[_Loop] = []
        # Chats a loop of this worker holds: the others leave them alone, since the holder
        # looks again once its transaction is over (a try for the lock would only fail).
        self._held: set[str] = set()
        # A NOTIFY came while every loop was busy: the first to finish looks again.
        self._look_again = False
        # One timer, not one per loop, wakes a loop when the next mark is due (at the
        # database's time `_timer_at`): the loops themselves sleep `idle_poll`.
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at: float | None = None
        self.sent = 0
        self.turns = 0  # turns taken, each a `look` and what it found to do
        self.notices = 0  # NOTIFYs heard

    @property
    def idle(self) -> bool:
        """Every loop asleep, none woken, and none owing another look."""
        return (
            bool(self._loops)
            and not self._look_again
            and all(loop.until is not None and not loop.wake.is_set() for loop in self._loops)
        )

    async def run(self, stop: asyncio.Event) -> None:
        self._loops = [_Loop() for _ in range(self.limits.concurrency)]
        async with self._pool.acquire() as listener:
            await listener.add_listener(db_outbox.CHANNEL_NAME, self._notified)
            try:
                await asyncio.gather(*(self._run_loop(stop, loop) for loop in self._loops))
            finally:
                self._disarm()
                with contextlib.suppress(asyncpg.InterfaceError, OSError):
                    await listener.remove_listener(db_outbox.CHANNEL_NAME, self._notified)

    def _notified(self, _conn: object, _pid: int, _channel: str, payload: object) -> None:
        self.notices += 1
        self._rouse(notified_due(payload), needed=True)

    def _rouse(self, due: float | None, *, needed: bool) -> None:
        """Have a loop look again, unless one will by `due` (None: now) anyway: wake one
        asleep, or, when all are busy and it is `needed`, the first to finish. (Whatever
        was committed before this is seen by any look that starts after it.)"""
        if due is not None and self._timer_at is not None and self._timer_at <= due:
            return  # the timer wakes a loop by then
        asleep = []
        for loop in self._loops:
            if loop.until is None:
                continue  # busy: its look may have come before the commit
            if loop.wake.is_set() or (due is not None and loop.until <= due):
                return
            asleep.append(loop)
        if asleep:
            asleep[0].wake.set()
        elif needed:
            self._look_again = True

    def _arm(self, due: float, look: db_outbox.Look, looked: float) -> None:
        """Have a loop look at `due` (the database's time), unless the timer rings sooner.
        `looked`: the event loop's time when `look` came back."""
        if self._timer_at is not None and self._timer_at <= due:
            return
        self._disarm()
        self._timer_at = due
        self._timer = asyncio.get_running_loop().call_at(looked + due - look.now, self._ring)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = None
        self._timer_at = None

    def _ring(self) -> None:
        self._timer = None
        self._timer_at = None
        self._rouse(None, needed=True)

    async def _run_loop(self, stop: asyncio.Event, loop: _Loop) -> None:
        await run_loop(
            "outbox",
            stop,
            functools.partial(self._turn, loop),
            after_error=lambda: self.limits.idle_poll,
            wake=loop.wake,
        )

    async def _turn(self, loop: _Loop) -> float | None:
        # No await from here to the look: a NOTIFY handled before it needs no other look.
        loop.until = None
        self._look_again = False
        self.turns += 1
        look = await db_outbox.look(self._pool, CANDIDATES)
        looked = asyncio.get_running_loop().time()
        free = [chat for chat in look.chats if chat not in self._held]
        took = await self._take(free)
        if took is Took.MOVED:
            if len(free) > 1:
                self._rouse(None, needed=False)  # other chats are due: another loop takes them
            return AGAIN
        if look.owed and await self.replay_owed():
            return AGAIN
        if self._look_again:
            return AGAIN
        elapsed = asyncio.get_running_loop().time() - looked
        if took is Took.ELSEWHERE:
            # A due chat held by another process's worker: look again soon (its commit wakes
            # nobody here).
            self._arm(look.now + elapsed + 0.05, look, looked)
        elif look.next_due is not None:
            self._arm(look.next_due, look, looked)
        # From here to the sleep, no await: NOTIFYs see this loop asleep only once it is.
        loop.until = look.now + elapsed + self.limits.idle_poll
        log.debug("outbox: idle (next due at %s, a look at %s)", look.next_due, self._timer_at)
        return self.limits.idle_poll

    async def _take(self, chats: list[str]) -> Took:
        """Handle at most one row of the first of `chats` this worker can hold (a row sent,
        failed or rescheduled, or chats' due times corrected on the way), or say why nothing
        moved. A chat is claimed in `_held` before its lock is tried, with no await between
        the check and the claim, so two loops of this worker never try the same chat (the
        second would only fail to lock it)."""
        held: list[str] = []
        elsewhere = False
        if not chats:  # the caller left out the chats held here, with no await since
            return Took.NONE
        self._held.add(chats[0])  # before the awaits of the transaction's start
        held.append(chats[0])
        try:
            async with self._pool.acquire() as conn, conn.transaction():
                for chat in chats:
                    if chat not in held:
                        if chat in self._held:
                            continue  # another loop of ours holds it and looks again after
                        self._held.add(chat)
                        held.append(chat)
                    head = await db_outbox.take_chat(conn, chat)
                    if not head.locked:
                        elsewhere = True  # another process's worker is sending to it
                        held.remove(chat)
                        self._held.discard(chat)
                        continue
                    if head.row is not None and head.sendable:
                        await self._handle(conn, head.row)
                        break
        except BaseException:
            if held:
                self._rouse(None, needed=True)  # rolled back: its marks are due again
            raise
        finally:
            self._held.difference_update(held)
        # A chat held here had its marks consumed (and renewed if it must wait): that moved.
        return Took.MOVED if held else Took.ELSEWHERE if elsewhere else Took.NONE

    async def _handle(self, conn: Conn, row: OutboxRow) -> None:
        """Send the row and record the outcome, with the chat's new pace and due mark. If this
        transaction is lost, the row is still pending and its attempts say what happened."""
        await self._handle_row(conn, row)
        await db_outbox.forget_attempts(conn, row.id)

    async def _handle_row(self, conn: Conn, row: OutboxRow) -> None:
        settle = functools.partial(db_outbox.settle_chat, conn, row.chat)
        private = is_private(row.chat)
        if not private:
            probe = await db_probes.get(conn, row.id)
            if probe is not None:
                await self._probe(conn, row, probe)
                return
        try:
            outcome = await self._deliver(conn, row)
        except Exception as exc:
            meaning = error_outcome(exc, private=private)
            if meaning is ErrorOutcome.DATABASE:
                raise  # the transaction is gone; the row stays pending
            await REACTIONS[meaning](self, conn, row, exc)
        else:
            if outcome is None:
                await settle()
                return
            delivery, result = outcome
            # From here on the message is out: nothing below may make the row be sent again.
            await db_outbox.mark_sent(conn, row.id)
            await settle(
                db_outbox.PaceChange.SEND,
                interval=(self.limits.private_interval if private else self.limits.group_interval)
                * (1 if private else delivery.cost),
                burst=self.limits.private_burst if private else self.limits.group_burst,
            )
            self.sent += 1
            if not private:
                since = await db_channel.accepted(conn, row.chat)
                if since is not None:
                    log.warning("outbox: %s accepts posts again", row.chat)
                    await self._courier.channel_accepts(conn, row.chat, since)
            await self._bookkeep(conn, row, delivery, result)

    # -- what an error means for the row (REACTIONS, chosen by `error_outcome`) ----------------

    async def _wait_out(self, conn: Conn, row: OutboxRow, exc: Exception) -> None:
        assert isinstance(exc, TelegramRetryAfter)
        log.warning("outbox: flood limit for %s, waiting %ds", row.chat, exc.retry_after)
        await db_outbox.reschedule(conn, row.id, exc.retry_after, exc.message)
        await db_outbox.settle_chat(conn, row.chat, db_outbox.PaceChange.HOLD, hold=exc.retry_after)

    async def _in_doubt(self, conn: Conn, row: OutboxRow, exc: Exception) -> None:
        assert isinstance(exc, OutcomeUnknown)
        content = await self._courier.posted_content(conn, row)
        if content is not None:
            await self._start_probe(conn, row, content, exc)
            return
        log.error(
            "outbox: row %d (%s) to %s: outcome unknown (%s); not sent again",
            row.id,
            row.kind,
            row.chat,
            exc,
        )
        await db_outbox.mark_unknown(conn, row.id, f"outcome unknown: {exc}")
        await self._courier.outcome_unknown(conn, row)
        await db_outbox.settle_chat(conn, row.chat)

    async def _blocked(self, conn: Conn, row: OutboxRow, exc: Exception) -> None:
        assert isinstance(exc, TelegramForbiddenError)
        log.info("outbox: user %s blocked the bot", row.chat)
        await db_outbox.mark_failed(conn, row.id, exc.message)
        await db_outbox.cancel_chat(conn, row.chat, "the user blocked the bot")
        await self._courier.user_blocked(conn, int(row.chat))
        await db_outbox.settle_chat(conn, row.chat)

    async def _channel_refuses(self, conn: Conn, row: OutboxRow, exc: Exception) -> None:
        assert isinstance(exc, TelegramAPIError)
        reason = refusal_reason(exc)
        assert reason is not None
        await self._refused(conn, row, reason, exc)

    async def _failed(self, conn: Conn, row: OutboxRow, exc: Exception) -> None:
        assert isinstance(exc, TelegramAPIError)
        log.error("outbox: row %d (%s) to %s refused: %s", row.id, row.kind, row.chat, exc)
        await db_outbox.mark_failed(conn, row.id, exc.message)
        await db_outbox.settle_chat(conn, row.chat)

    async def _retry(self, conn: Conn, row: OutboxRow, exc: Exception) -> None:
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
        await db_outbox.settle_chat(conn, row.chat)

    async def _bug(self, conn: Conn, row: OutboxRow, exc: Exception) -> None:
        log.error("outbox: row %d (%s) failed unexpectedly", row.id, row.kind, exc_info=exc)
        await db_outbox.reschedule(conn, row.id, self._backoff(row), repr(exc))
        await db_outbox.settle_chat(conn, row.chat)

    # -- a channel post in doubt, looked for (channel_probe) ----------------------------------

    async def _start_probe(
        self, conn: Conn, row: OutboxRow, content: PostContent, exc: OutcomeUnknown
    ) -> None:
        """Keep the row pending and look for its post from `probe_delay` on; the state is a
        row, so a restart goes on with it."""
        log.warning(
            "outbox: row %d (%s) to %s: outcome unknown (%s); looking for it in the channel",
            row.id,
            row.kind,
            row.chat,
            exc,
        )
        await db_probes.start(
            conn,
            row.id,
            caption=content.caption,
            items=content.items,
            text_post=content.text_post,
            since=exc.since,
        )
        await db_outbox.reschedule(
            conn, row.id, self.limits.probe_delay, f"outcome unknown: {exc}; looking for it"
        )
        # If it was performed, the post counted against the channel's pace.
        await db_outbox.settle_chat(
            conn,
            row.chat,
            db_outbox.PaceChange.SEND,
            interval=self.limits.group_interval * content.items,
            burst=self.limits.group_burst,
        )

    async def _probe(self, conn: Conn, row: OutboxRow, probe: Probe) -> None:
        """One step of looking for a post in doubt: at most one edit (within the channel's
        pace: every probe counts), its answer and the probe's state recorded in this
        transaction. Found: recorded as the send's answer would have been; absent: the row
        is sent at the channel's next turn; undecided: the admins are asked."""
        settle = functools.partial(db_outbox.settle_chat, conn, row.chat)
        bounds = Bounds(misses=self.limits.probe_misses, most=self.limits.probe_most)
        called = False
        try:
            if probe.chat_id is None or probe.next_id is None:
                probe = await self._begin_probe(conn, probe, row.chat)
            assert probe.chat_id is not None
            assert probe.next_id is not None
            newer = await db_probes.next_known_id(conn, probe.chat_id, probe.next_id)
            if probe.probes == 0 and (
                await db_probes.undecided_before(conn, row.chat)
                or await db_probes.posted_since(conn, row.chat, probe.since, row.id)
            ):
                # An earlier post in doubt may sit among these ids (a probe could overwrite
                # its caption), or a later post overtook this one: the admins look.
                verdict = Verdict.UNDECIDED
            elif newer == probe.next_id:
                # A post of the bot's own, sent after the one in doubt: that one would have a
                # smaller id, and every id before this one was looked at.
                verdict = Verdict.ABSENT
            else:
                called = True
                answer = await self._probe_call(probe)
                log.info(
                    "outbox: row %d: message %d of %s: %s",
                    row.id,
                    probe.next_id,
                    row.chat,
                    answer.value,
                )
                probe, verdict = advance(probe, answer, bounds)
        except TelegramRetryAfter as exc:
            log.warning("outbox: flood limit for %s, waiting %ds", row.chat, exc.retry_after)
            await db_probes.save(conn, probe)
            await db_outbox.reschedule(conn, row.id, exc.retry_after, exc.message)
            await settle(db_outbox.PaceChange.HOLD, hold=exc.retry_after)
            return
        except (TelegramForbiddenError, TelegramBadRequest) as exc:
            reason = refusal_reason(exc)
            if reason is None:
                raise  # _probe_call reads every other refusal
            await db_probes.save(conn, probe)
            await self._refused(conn, row, reason, exc)
            return
        except TRANSIENT as exc:
            probe = replace(probe, failures=probe.failures + 1)
            if probe.failures < self.limits.probe_failures:
                delay = self._backoff_n(probe.failures - 1)
                log.warning(
                    "outbox: row %d: looking for it in %s failed (%s); again in %.1fs",
                    row.id,
                    row.chat,
                    exc,
                    delay,
                )
                await db_probes.save(conn, probe)
                await db_outbox.reschedule(conn, row.id, delay, str(exc))
                await settle()
                return
            verdict = Verdict.UNDECIDED
        except TelegramAPIError as exc:
            log.error("outbox: row %d: looking for it in %s: %s", row.id, row.chat, exc)
            verdict = Verdict.UNDECIDED
        if verdict is Verdict.GO_ON:
            await db_probes.save(conn, probe)
        else:
            await db_probes.finish(conn, row.id)
        if verdict is Verdict.FOUND:
            log.warning(
                "outbox: row %d (%s): found in %s as message %s; recorded",
                row.id,
                row.kind,
                row.chat,
                probe.next_id,
            )
            await db_outbox.mark_sent(conn, row.id)
        elif verdict is Verdict.ABSENT:
            log.warning(
                "outbox: row %d (%s): not in %s; sending it again", row.id, row.kind, row.chat
            )
        elif verdict is Verdict.UNDECIDED:
            log.error(
                "outbox: row %d (%s): the probe of %s cannot tell whether it was posted; "
                "asking the admins",
                row.id,
                row.kind,
                row.chat,
            )
            await db_outbox.mark_unknown(conn, row.id, "outcome unknown; the probe cannot tell")
            await self._courier.outcome_unknown(conn, row, probe.since)
        # After the row's own status: the chat is marked due for its next pending row.
        if called:
            await settle(
                db_outbox.PaceChange.SEND,
                interval=self.limits.group_interval,
                burst=self.limits.group_burst,
            )
        else:
            await settle()
        if verdict is Verdict.FOUND:
            self.sent += 1
            await self._bookkeep(conn, row, Delivery(_ALREADY_SENT), found_messages(probe))

    async def _begin_probe(self, conn: Conn, probe: Probe, chat: str) -> Probe:
        """The channel's numeric id (the posts are recorded under it) and the first id to
        look at: the one after the last the bot knows. Nothing was posted to the channel since
        the call in doubt (the row heads its queue; `posted_since` checks the one exception)."""
        if chat.lstrip("-").isdigit():
            chat_id = int(chat)
        else:
            found = await self._bot(
                GetChat(chat_id=chat), request_timeout=self.limits.request_timeout
            )
            chat_id = found.id
        last = await db_probes.last_known_id(conn, chat, chat_id)
        log.warning(
            "outbox: row %d: looking for its post in %s after message %s",
            probe.row_id,
            chat,
            last,
        )
        return replace(probe, chat_id=chat_id, next_id=(last or 0) + 1)

    async def _probe_call(self, probe: Probe) -> Answer:
        wait, _ = await db_outbox.reserve_global_slot(
            self._pool, interval=self.limits.global_interval, burst=self.limits.global_burst
        )
        if wait > 0:
            await asyncio.sleep(wait)
        try:
            await self._bot(edit(probe), request_timeout=self.limits.request_timeout)
        except TelegramBadRequest as exc:
            if refusal_reason(exc) is not None:
                raise
            return classify(exc)
        return classify(None)

    async def _refused(
        self, conn: Conn, row: OutboxRow, reason: str, exc: TelegramAPIError
    ) -> None:
        """The channel refuses in a way a person can fix: the row and every row behind it
        wait, the channel is asked again every `refusal_retry` s, and the admins are told."""
        log.error(
            "outbox: %s refuses posts (%s): %s; retrying every %.0fs",
            row.chat,
            reason,
            exc.message,
            self.limits.refusal_retry,
        )
        await db_outbox.reschedule(conn, row.id, self.limits.refusal_retry, exc.message)
        since = await db_channel.refused(
            conn, row.chat, reason, exc.message, remind_after=self.limits.remind_after
        )
        if since is not None:
            await self._courier.channel_refuses(conn, row.chat, reason, since)
        await db_outbox.settle_chat(
            conn, row.chat, db_outbox.PaceChange.HOLD, hold=self.limits.refusal_retry
        )

    async def _bookkeep(self, conn: Conn, row: OutboxRow, delivery: Delivery, result: Any) -> None:
        """Record what a send did, in a savepoint: a failure undoes only the bookkeeping, which
        is tried again in place and, if it keeps failing, left on the row for `replay_owed`.
        https://www.postgresql.org/docs/current/sql-savepoint.html"""
        error: Exception | None = None
        for attempt in range(1, BOOKKEEPING_TRIES + 1):
            try:
                async with conn.transaction():  # nested: a savepoint
                    await self._courier.sent(conn, row, delivery, result)
            except asyncpg.InterfaceError:
                raise  # the connection is gone, and the transaction with it
            except Exception as exc:  # noqa: BLE001 - whatever broke, the message is out
                error = exc
                log.warning(
                    "outbox: row %d (%s) sent, but its bookkeeping failed (try %d): %r",
                    row.id,
                    row.kind,
                    attempt,
                    exc,
                )
            else:
                return
        await db_outbox.owe_bookkeeping(
            conn,
            row.id,
            result_json(result),
            uploaded=delivery.uploaded,
            error=repr(error),
            delay=self.limits.backoff_base,
        )

    async def replay_owed(self) -> bool:
        """Do the bookkeeping of one sent row that still owes it: True if one was done."""
        async with self._pool.acquire() as conn, conn.transaction():
            row = await db_outbox.take_owed(conn)
            if row is None:
                return False
            delivery = Delivery(_ALREADY_SENT, uploaded=row.uploaded)
            try:
                async with conn.transaction():
                    result = parse_messages(row.result)
                    await self._courier.sent(conn, row, delivery, result)
            except asyncpg.InterfaceError:
                raise
            except Exception as exc:  # noqa: BLE001 - kept on the row and tried again later
                log.warning("outbox: bookkeeping of row %d failed again: %r", row.id, exc)
                await db_outbox.owe_bookkeeping(
                    conn,
                    row.id,
                    row.result,
                    uploaded=row.uploaded,
                    error=repr(exc),
                    delay=self._backoff(row),
                )
                return False
            await db_outbox.bookkeeping_done(conn, row.id)
            log.info("outbox: bookkeeping of row %d (%s) done", row.id, row.kind)
            return True

    async def _deliver(self, conn: Conn, row: OutboxRow) -> tuple[Delivery, Any] | None:
        """Render and send the row; None when there is nothing to send any more (the ad was
        sold or removed meanwhile, the user is gone): the row is then cancelled."""
        previous = await db_outbox.last_attempt(conn, row.id)
        if previous is not None and previous.answered:
            # Telegram answered an earlier call, and the transaction recording it was lost:
            # record that answer now, never call again.
            log.warning("outbox: row %d (%s) was sent already; recording it", row.id, row.kind)
            replayed = Delivery(_ALREADY_SENT, uploaded=previous.uploaded)
            return replayed, parse_messages(previous.result)
        # A call was made and its transaction lost before any answer was recorded: it may
        # have been performed.
        doubt = (
            OutcomeUnknown(
                RuntimeError(f"a call started at {previous.started_at:%H:%M:%S} was cut off"),
                since=previous.started_at,
            )
            if previous is not None
            else None
        )
        if doubt is not None and await self._courier.posted_content(conn, row) is not None:
            # Looked for even if there is nothing to send any more (the ad sold meanwhile):
            # a copy in the channel must still get the "sold" edit.
            raise doubt
        delivery = await self._courier.render(conn, row)
        if delivery is None:
            await db_outbox.mark_failed(conn, row.id, "nothing to send", cancelled=True)
            return None
        if doubt is not None and not delivery.resend_if_unsure:
            raise doubt
        try:
            result = await self._call(row, delivery)
        except TelegramBadRequest as exc:
            # The two errors remedied in place; every other one is for `_handle_row`.
            meaning = error_outcome(exc, private=is_private(row.chat))
            if meaning is ErrorOutcome.FILE_REJECTED:
                retry = await self._courier.file_rejected(conn, row)
                if retry is None:
                    raise
                log.warning("outbox: row %d: %s; sending the archived photos", row.id, exc)
                delivery = retry
                result = await self._call(row, retry)
            elif meaning is ErrorOutcome.DONE:
                result = None  # the edit is already in place
            else:
                raise
        return delivery, result

    async def _call(self, row: OutboxRow, delivery: Delivery) -> Any:
        # The attempt is noted in a transaction of its own (on the pool, not `conn`): it must
        # outlive this row's transaction if that one is lost.
        bulk = row.kind in db_outbox.BULK_KINDS
        wait, attempt = await db_outbox.reserve_global_slot(
            self._pool,
            interval=self.limits.bulk_interval if bulk else self.limits.global_interval,
            burst=self.limits.global_burst,
            row_id=row.id,
        )
        assert attempt is not None
        if wait > 0:
            await asyncio.sleep(wait)
        try:
            result = await self._bot(delivery.method, request_timeout=self.limits.request_timeout)
        except (TelegramNetworkError, aiohttp.ClientError, TimeoutError) as exc:
            if not delivery.resend_if_unsure and maybe_performed(exc):
                raise OutcomeUnknown(exc) from exc
            raise
        try:
            await db_outbox.attempt_answered(
                self._pool, attempt, result_json(result), uploaded=delivery.uploaded
            )
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            # Not fatal: this transaction records the send too; only if both fail is the
            # outcome in doubt for the next worker.
            log.warning("outbox: row %d: could not note Telegram's answer (%s)", row.id, exc)
        return result

    def _backoff(self, row: OutboxRow) -> float:
        return self._backoff_n(row.attempts)

    def _backoff_n(self, failures: int) -> float:
        return Backoff(self.limits.backoff_base, self.limits.backoff_max, jitter=0.2).delay(
            failures
        )


def result_json(result: Any) -> Any:
    """A Bot API result as plain JSON, to be kept until its bookkeeping is done."""
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json", exclude_none=True)
    if isinstance(result, list | tuple):
        return [result_json(item) for item in result]
    return result


def parse_messages(value: Any) -> Any:
    """A stored result back as aiogram objects: a message, a list of them, or a plain value."""
    if isinstance(value, list):
        return [parse_messages(item) for item in value]
    if isinstance(value, dict):
        return Message.model_validate(value)
    return value


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


class ErrorOutcome(enum.Enum):
    """What an error from sending a row means for it (see ERROR_TABLE)."""

    WAIT = "wait"  # 429: the chat waits `retry_after`, the row is sent again
    IN_DOUBT = "in_doubt"  # the call may have been performed: look for it, or ask the admins
    BLOCKED = "blocked"  # 403 from a user: mark them, drop what was queued for them
    CHANNEL_REFUSES = "channel_refuses"  # a person can fix it: the channel's rows wait
    FILE_REJECTED = "file_rejected"  # a stored file_id refused: upload from the archive
    DONE = "done"  # "message is not modified": the edit is already in place
    # An edit of a message that is not there, or not the bot's to edit (or without a caption or
    # text): a row fails as any other 400; a probe (channel_probe) reads the id from it.
    MISSING = "missing"
    NOT_OURS = "not_ours"
    FAILED = "failed"  # permanent: the row is marked failed
    RETRY = "retry"  # Telegram or the network will come back: again with backoff
    DATABASE = "database"  # the transaction is gone: raised, the row stays pending
    BUG = "bug"  # a bug in rendering: logged, retried with backoff, others go on


def _always(exc: BaseException, private: bool) -> bool:
    return True


def _to_user(exc: BaseException, private: bool) -> bool:
    return private


def _refusal(exc: BaseException, private: bool) -> bool:
    return not private and isinstance(exc, TelegramAPIError) and refusal_reason(exc) is not None


def _says(*markers: str) -> Callable[[BaseException, bool], bool]:
    def says(exc: BaseException, private: bool) -> bool:
        message = exc.message.lower() if isinstance(exc, TelegramAPIError) else ""
        return any(marker in message for marker in markers)

    return says


@dataclass(frozen=True, slots=True)
class ErrorRule:
    error: type[BaseException] | tuple[type[BaseException], ...]
    outcome: ErrorOutcome
    when: Callable[[BaseException, bool], bool] = _always  # (the error, sent to a user)


# From error to outcome, the first rule that matches wins (so the order matters: a user's 403
# before a channel's, a remedied 400 before the other 400s, Telegram's 5xx before its other
# errors). `_deliver` acts on FILE_REJECTED and DONE in place; when one still reaches
# `_handle_row`, its remedy was used up and it is a failure like any other 400.
ERROR_TABLE: tuple[ErrorRule, ...] = (
    ErrorRule(TelegramRetryAfter, ErrorOutcome.WAIT),
    ErrorRule(OutcomeUnknown, ErrorOutcome.IN_DOUBT),
    ErrorRule(TelegramForbiddenError, ErrorOutcome.BLOCKED, _to_user),
    ErrorRule((TelegramForbiddenError, TelegramBadRequest), ErrorOutcome.CHANNEL_REFUSES, _refusal),
    ErrorRule(TelegramBadRequest, ErrorOutcome.FILE_REJECTED, _says(*_FILE_ERRORS)),
    ErrorRule(TelegramBadRequest, ErrorOutcome.DONE, _says("message is not modified")),
    ErrorRule(TelegramBadRequest, ErrorOutcome.MISSING, _says("message to edit not found")),
    ErrorRule(
        TelegramBadRequest,
        ErrorOutcome.NOT_OURS,
        _says(
            "message can't be edited",
            "there is no caption in the message to edit",
            "there is no text in the message to edit",
        ),
    ),
    ErrorRule((TelegramForbiddenError, TelegramBadRequest), ErrorOutcome.FAILED),
    ErrorRule(TRANSIENT, ErrorOutcome.RETRY),
    ErrorRule(TelegramAPIError, ErrorOutcome.FAILED),
    ErrorRule((asyncpg.PostgresError, asyncpg.InterfaceError), ErrorOutcome.DATABASE),
    ErrorRule(Exception, ErrorOutcome.BUG),
)


def error_outcome(exc: BaseException, *, private: bool) -> ErrorOutcome:
    """What `exc`, raised while sending a row to a user (`private`) or a channel, means."""
    return next(
        rule.outcome
        for rule in ERROR_TABLE
        if isinstance(exc, rule.error) and rule.when(exc, private)
    )


# What a probe's edit says about the id it looked at (channel_probe), read from the same table:
# "not modified" is the post itself (https://core.telegram.org/bots/api#updating-messages).
PROBE_ANSWERS: dict[ErrorOutcome, Answer] = {
    ErrorOutcome.DONE: Answer.FOUND,
    ErrorOutcome.MISSING: Answer.MISSING,
    ErrorOutcome.NOT_OURS: Answer.OTHER,
}


def classify(error: TelegramBadRequest | None) -> Answer:
    """What a probe's answer says about the id (None: the edit was performed)."""
    if error is None:
        return Answer.TOUCHED
    return PROBE_ANSWERS.get(error_outcome(error, private=False), Answer.UNREADABLE)


# What the worker does for each outcome of a row's send (DATABASE is raised instead).
REACTIONS: dict[
    ErrorOutcome, Callable[[OutboxWorker, Conn, OutboxRow, Exception], Awaitable[None]]
] = {
    ErrorOutcome.WAIT: OutboxWorker._wait_out,
    ErrorOutcome.IN_DOUBT: OutboxWorker._in_doubt,
    ErrorOutcome.BLOCKED: OutboxWorker._blocked,
    ErrorOutcome.CHANNEL_REFUSES: OutboxWorker._channel_refuses,
    ErrorOutcome.FILE_REJECTED: OutboxWorker._failed,
    ErrorOutcome.DONE: OutboxWorker._failed,
    ErrorOutcome.MISSING: OutboxWorker._failed,
    ErrorOutcome.NOT_OURS: OutboxWorker._failed,
    ErrorOutcome.FAILED: OutboxWorker._failed,
    ErrorOutcome.RETRY: OutboxWorker._retry,
    ErrorOutcome.BUG: OutboxWorker._bug,
}

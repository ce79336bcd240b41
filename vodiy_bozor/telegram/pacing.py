"""Every call the handlers make goes out within Telegram's limits, and a 429 is waited out.

Telegram allows a bot about one message a second per private chat (short bursts are
tolerated), 20 a minute per group or channel, and about 30 a second overall; past that it
answers 429 with `parameters.retry_after`
(https://core.telegram.org/bots/faq#my-bot-is-hitting-limits), and aiogram raises
`TelegramRetryAfter` without trying again. Edits count like messages.

`Pacer` is a request middleware of the handlers' bot session
(https://docs.aiogram.dev/en/latest/api/session/middleware.html):

- Before a call that sends or edits, it waits for the chat's token bucket (a burst of 3, then
  one a second in a private chat; three seconds per message in a group or channel) and for the
  process's overall bucket, so the bot slows itself down before Telegram has to say so.
- A 429 is waited out (`retry_after`) and the call made again; so are Telegram's 5xx and
  network failures, a few times with backoff. An answer a person needs is never dropped.
- Superseded progress is coalesced: an edit of a message for which a newer edit is already
  waiting is skipped (the newer one carries the latest text). That is how a photo counter
  sent one photo at a time stays within the chat's pace without losing its final count.
- A button press must be answered within Telegram's window (about 15 seconds; later the
  answer fails with "query is too old"): an `answerCallbackQuery` for an update that arrived
  longer ago than `callback_window` is skipped rather than sent late.

The outbox does not use this session: it paces its rows in PostgreSQL, shared by every
instance (`outbox.py`). Both draw on Telegram's overall budget; what one instance cannot see of
another's sends is caught by the 429 handling here and there.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    CopyMessage,
    CopyMessages,
    EditMessageCaption,
    EditMessageMedia,
    EditMessageReplyMarkup,
    EditMessageText,
    ForwardMessage,
    ForwardMessages,
    Response,
    SendAnimation,
    SendAudio,
    SendContact,
    SendDocument,
    SendInvoice,
    SendLocation,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    SendSticker,
    SendVideo,
    SendVoice,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType

from vodiy_bozor.telegram import limits
from vodiy_bozor.telegram.intake import arrived_at
from vodiy_bozor.workers.backoff import Backoff

log = logging.getLogger(__name__)

_SENDS = (
    SendMessage,
    SendPhoto,
    SendMediaGroup,
    SendDocument,
    SendVideo,
    SendVoice,
    SendAudio,
    SendAnimation,
    SendSticker,
    SendContact,
    SendLocation,
    SendInvoice,  # an invoice is a message in the chat, counted like any other
    CopyMessage,
    CopyMessages,
    ForwardMessage,
    ForwardMessages,
)
_EDITS = (EditMessageText, EditMessageCaption, EditMessageReplyMarkup, EditMessageMedia)
_PACED = frozenset((*_SENDS, *_EDITS))


_RETRY = Backoff(base=0.5, cap=8.0, jitter=0.2)


@dataclass(frozen=True, slots=True)
class HandlerPace:
    """The handlers' session's pace: Telegram's limits (`telegram/limits.py`) with a margin.
    The outbox paces its rows by its own figures (`delivery.outbox.OutboxTiming`)."""

    # Calls that leave a second apart may arrive closer together (a busy event loop, the
    # network), and Telegram counts them as they arrive: every span is a little longer here.
    private_interval: float = 1.1 / limits.PRIVATE_PER_SECOND  # seconds per message to a user
    private_burst: int = limits.PRIVATE_BURST  # ... after a burst of this many
    group_per_minute: int = limits.GROUP_PER_MINUTE  # to a group or channel, over `group_span`
    group_span: float = 63.0
    overall_per_second: int = limits.OVERALL_PER_SECOND  # counted over `overall_span`
    overall_span: float = 1.25
    retries: int = 5  # 5xx and network failures; 429s are waited out as long as they last
    retry_backoff: Backoff = _RETRY
    max_wait: float = 60.0  # a 429 longer than this is not waited out in a conversation
    # Telegram drops the query after about 15 s: the answer must leave well before.
    callback_window: float = limits.CALLBACK_ANSWER_WINDOW - 3.0
    answer_retries: int = 2  # a button press's answer, on 5xx or a network failure


class _Bucket:
    """A private chat's pace: `burst` messages at once, then one every `interval` seconds (the
    token bucket Telegram's per-chat limit behaves like)."""

    __slots__ = ("at", "burst", "interval", "tokens")

    def __init__(self, interval: float, burst: float) -> None:
        self.interval = interval
        self.burst = burst
        self.tokens = burst
        self.at = time.monotonic()

    def wait(self, now: float) -> float:
        """Seconds until one message may go (0: now)."""
        self.tokens = min(self.burst, self.tokens + (now - self.at) / self.interval)
        self.at = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) * self.interval

    def take(self) -> None:
        self.tokens -= 1

    def idle(self, now: float) -> bool:
        return self.tokens + (now - self.at) / self.interval >= self.burst


class _Window:
    """At most `limit` messages in any `span` seconds: how Telegram counts a group's or a
    channel's messages (20 a minute) and the overall ones (30 a second); an album counts each
    of its items."""

    __slots__ = ("limit", "sent", "span")

    def __init__(self, limit: int, span: float) -> None:
        self.limit = limit
        self.span = span
        self.sent: deque[float] = deque()

    def wait(self, now: float, count: int) -> float:
        sent = self.sent
        while sent and sent[0] <= now - self.span:
            sent.popleft()
        count = min(count, self.limit)
        over = len(sent) + count - self.limit
        return 0.0 if over <= 0 else sent[over - 1] + self.span - now

    def take(self, now: float, count: int) -> None:
        self.sent.extend([now] * count)

    def idle(self, now: float) -> bool:
        return not self.sent or self.sent[-1] <= now - self.span


class Pacer(BaseRequestMiddleware):
    def __init__(self, pace: HandlerPace | None = None) -> None:
        self.pace = pace or HandlerPace()
        self._chats: dict[int | str, _Bucket | _Window] = {}
        self._overall = _Window(self.pace.overall_per_second, self.pace.overall_span)
        # The newest edit waiting for each message: an older one that finds itself replaced
        # is skipped.
        self._edits: dict[tuple[int | str, int], object] = {}
        self.waited_429 = 0
        self.coalesced = 0
        self.stale_answers = 0

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if isinstance(method, AnswerCallbackQuery):
            return await self._answer_press(make_request, bot, method)
        kind = type(method)
        chat_id: int | str | None = getattr(method, "chat_id", None)
        paced = kind in _PACED and chat_id is not None
        edit_key: tuple[int | str, int] | None = None
        message_id: int | None = getattr(method, "message_id", None) if kind in _EDITS else None
        if chat_id is not None and paced and message_id is not None:
            edit_key = (chat_id, message_id)
            self._edits[edit_key] = marker = object()
        failures = 0
        try:
            while True:
                if paced and chat_id is not None:
                    await self._wait_turn(chat_id, method)
                    if edit_key is not None and self._edits.get(edit_key) is not marker:
                        self.coalesced += 1  # a newer edit of the same message will go
                        return Response[TelegramType](ok=True, result=True)  # type: ignore[arg-type]
                try:
                    return await make_request(bot, method)
                except TelegramRetryAfter as exc:
                    if exc.retry_after > self.pace.max_wait:
                        raise
                    self.waited_429 += 1
                    log.warning("%s: flood limit, waiting %ds", kind.__name__, exc.retry_after)
                    await asyncio.sleep(exc.retry_after)
                except (TelegramServerError, TelegramNetworkError) as exc:
                    if failures >= self.pace.retries:
                        raise
                    delay = self.pace.retry_backoff.delay(failures)
                    failures += 1
                    log.warning("%s failed (%s); retrying in %.1fs", kind.__name__, exc, delay)
                    await asyncio.sleep(delay)
                # Then again in turn: retries must not arrive all at once.
        finally:
            if edit_key is not None and self._edits.get(edit_key) is marker:
                del self._edits[edit_key]

    async def _answer_press(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        """Answer a button press while Telegram still takes the answer (about 15 s after the
        press), trying again on 429, 5xx and network failures; past that, or if it still fails,
        give up quietly. The answer only stops the button's spinner: the handler must go on to
        what the press asked for (the next question, the decision), so its failure is never
        raised into it."""
        done = Response[TelegramType](ok=True, result=True)  # type: ignore[arg-type]
        arrived = arrived_at()
        deadline = (
            arrived if arrived is not None else time.monotonic()
        ) + self.pace.callback_window
        failures = 0
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.stale_answers += 1
                log.info("not answering a button press that waited too long")
                return done
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                wait = float(exc.retry_after)
            except (TelegramServerError, TelegramNetworkError) as exc:
                if failures >= self.pace.answer_retries:
                    # Telegram is down: the press's handler (and the person's next update,
                    # behind it) must not wait for it; the spinner stops by itself.
                    log.warning("could not answer a button press (%s); going on without", exc)
                    return done
                wait = self.pace.retry_backoff.delay(failures)
                failures += 1
                log.warning("answering a button press failed (%s); retrying", exc)
            except TelegramBadRequest as exc:
                # "query is too old" and the like: nothing to answer any more.
                log.warning("a button press could not be answered: %s", exc.message)
                return done
            if wait >= deadline - time.monotonic():
                self.stale_answers += 1
                log.info("not answering a button press: Telegram would not take it in time")
                return done
            await asyncio.sleep(wait)

    async def _wait_turn(self, chat_id: int | str, method: TelegramMethod[Any]) -> None:
        """Wait until the chat's pace and the overall one both allow this call, and count it
        at the moment it goes: a call that waited, or an event loop that woke late, never
        leaves two messages closer together than the limits allow."""
        limiter = self._chats.get(chat_id)
        if limiter is None:
            if len(self._chats) > 10_000:
                self._forget_idle(time.monotonic())
            private = isinstance(chat_id, int) and chat_id > 0
            limiter = self._chats[chat_id] = (
                _Bucket(self.pace.private_interval, self.pace.private_burst)
                if private
                else _Window(self.pace.group_per_minute, self.pace.group_span)
            )
        media = getattr(method, "media", None) if type(method) is SendMediaGroup else None
        # An album counts as one message in a private chat; in a group or channel, and
        # overall, as each of its items.
        items = len(media) if isinstance(media, list) else 1
        while True:
            now = time.monotonic()
            chat_wait = (
                limiter.wait(now) if isinstance(limiter, _Bucket) else limiter.wait(now, items)
            )
            wait = max(chat_wait, self._overall.wait(now, items))
            if wait <= 0:
                break
            await asyncio.sleep(wait)
        if isinstance(limiter, _Bucket):
            limiter.take()
        else:
            limiter.take(now, items)
        self._overall.take(now, items)

    def _forget_idle(self, now: float) -> None:
        for chat_id in [c for c, b in self._chats.items() if b.idle(now)]:
            del self._chats[chat_id]

"""The strict fake Bot API (`tests.fake_telegram`), made cheap enough to drive thousands of users.

The fake is written for tests: every wait re-checks its condition on every recorded call, each
answer is deep-copied into `calls`, and every queued update is validated with pydantic. That
is right for a few people per test and quadratic for thousands. The benchmark process shares
two cores with the bot and PostgreSQL, so whatever the fake spends is taken from the bot under
test. This subclass keeps the fake's rules (it still parses, checks and stores every call) and
adds O(1) bookkeeping instead:

- per-chat waiters, woken only by a call into that chat (or the answer to that chat's query);
- per-update reply latency: hand-out to the first reply into the update's chat (or the answer
  to its callback query), recorded as the reply arrives;
- an optional record of message sends (method, chat, time, status) for the outbox limits;
- `observers`: callables that see every finished call (the soak's own bookkeeping);
- `random_faults`: faults drawn at a steady rate from a seeded `random.Random` (the soak): 429
  with `retry_after` on top of the enforced limits, 5xx, a connection closed before the call is
  performed or after it (the answer lost), and an answer that comes after the client gave up.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fake_telegram import SEND_METHODS, Call, FakeTelegram
from tests.fake_telegram.core import RATE_LIMITED_METHODS, ApiError, LostAnswer, _QueuedUpdate

JSON = dict[str, Any]

# What counts as the bot's reply to an update: a message (or an edit) in the update's chat.
REPLY_METHODS = frozenset(
    {*SEND_METHODS, "editMessageText", "editMessageCaption", "editMessageReplyMarkup"}
)


@dataclass(slots=True)
class _Waiter:
    check: Callable[[Call], bool]
    future: asyncio.Future[Call]


@dataclass(slots=True)
class Send:
    """One message-producing call, for the rate checks of the outbox phase."""

    method: str
    chat: int | None
    at: float
    status: int
    cost: int


@dataclass
class Latencies:
    """Reply latencies (seconds), collected while `active`."""

    active: bool = False
    values: list[float] = field(default_factory=list)
    unanswered: int = 0


# The kinds of injected fault, as counted in `BenchTelegram.injected`.
TOO_MANY = "429"
SERVER_ERROR = "5xx"
DROP_BEFORE = "dropped before performing"  # the connection closes; the call never happened
DROP_AFTER = "dropped after performing"  # the call happened; the connection closes unanswered
LATE = "answered after the client's timeout"  # the call happened; the answer comes too late
FAULT_KINDS = (TOO_MANY, SERVER_ERROR, DROP_BEFORE, DROP_AFTER, LATE)


@dataclass(frozen=True, slots=True)
class FaultRates:
    """The share of calls (0..1) that get each fault; they add up to the share faulted."""

    too_many: float = 0.005
    server_error: float = 0.005
    drop_before: float = 0.0025
    drop_after: float = 0.0025
    late: float = 0.001
    retry_after: tuple[int, int] = (1, 5)  # a 429's retry_after, seconds, both ends included
    # How long a late answer is held back: longer than any client waits (aiogram's default
    # request timeout is 60 s). The fake stops waiting as soon as the client gives up.
    late_seconds: float = 90.0


@dataclass(frozen=True, slots=True)
class Injected:
    kind: str
    status: int = 0  # 429 or a 5xx
    retry_after: int | None = None


class RandomFaults:
    """Which call gets which fault: one draw per call from `random.Random(seed)`, so the same
    seed gives the same sequence of faults over the same sequence of calls."""

    def __init__(self, rates: FaultRates, seed: int) -> None:
        self.rates = rates
        self._random = random.Random(seed)

    def draw(self, method: str) -> Injected | None:
        r = self.rates
        roll = self._random.random()
        # The same number of draws whatever the outcome, so one call's fault cannot shift the
        # next call's.
        detail = self._random.random()
        edge = r.too_many
        if roll < edge:
            low, high = r.retry_after
            return Injected(TOO_MANY, 429, low + int(detail * (high - low + 1)))
        edge += r.server_error
        if roll < edge:
            return Injected(SERVER_ERROR, 500 if detail < 0.5 else 502)
        edge += r.drop_before
        if roll < edge:
            return Injected(DROP_BEFORE)
        edge += r.drop_after
        if roll < edge:
            return Injected(DROP_AFTER)
        edge += r.late
        # A long poll answered late is only a slow poll: it counts as nothing.
        if roll < edge and method.lower() != "getupdates":
            return Injected(LATE)
        return None


# The fault drawn for the request being handled (aiohttp runs each request in its own task).
_DRAWN: ContextVar[Injected | None] = ContextVar("bench_drawn_fault", default=None)


class BenchTelegram(FakeTelegram):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._chat_waiters: dict[int, list[_Waiter]] = {}
        # Updates handed out and not yet answered: chat -> [(update id, handed out at, is a
        # callback query)]. A query is answered by its answerCallbackQuery only, so an outbox
        # message that happens to go to an admin's chat is not taken for the admin's answer.
        self._open: dict[int, list[tuple[int, float, bool]]] = {}
        self._query_chat: dict[str, tuple[int, int]] = {}  # query id -> (chat, update id)
        self.latencies = Latencies()
        self.record_sends = False
        self.record_edits = False  # with record_sends: edits too (Telegram counts them alike)
        self.sends: list[Send] = []
        # Every call answered 429 (edits too, which Telegram's limits count like messages).
        self.too_many: list[Send] = []
        self.keep_calls = False  # the tests' `calls` list; off by default to save memory
        self.handed_out = 0
        self.replies = 0
        self.first_poll_at: float | None = None  # arrival of the first getUpdates
        self.observers: list[Callable[[Call], None]] = []
        self.random_faults: RandomFaults | None = None
        self.injected: Counter[str] = Counter()  # faults applied, by kind

    # -- cheaper versions of the fake's own bookkeeping ----------------------------------------

    def queue_update(self, kind: str, payload: JSON, *, chat_id: int | None = None) -> JSON:
        """As the fake's, without the pydantic round trip per update (the people API only
        builds well-formed updates, which the fake's own tests check)."""
        update = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        self._updates.append(_QueuedUpdate(update, kind, chat_id))
        if kind == "callback_query" and chat_id is not None:
            self._query_chat[str(payload["id"])] = (chat_id, self._next_update_id - 1)
        self._notify()
        return update

    def _hand_out(self, queued: Iterable[_QueuedUpdate]) -> None:
        now = time.monotonic()
        for item in queued:
            if item.handed_out_at is None:
                item.handed_out_at = now
                self.handed_out += 1
                if item.chat_id is not None and self.latencies.active:
                    self._open.setdefault(item.chat_id, []).append(
                        (int(item.update["update_id"]), now, item.kind == "callback_query")
                    )

    def _begin_call(
        self, method: str, params: JSON, arrived: float, *, via_webhook_reply: bool = False
    ) -> Call:
        call = Call(method, params, arrived, via_webhook_reply=via_webhook_reply)
        if method == "getUpdates" and self.first_poll_at is None:
            self.first_poll_at = arrived
        if self.keep_calls:
            self.calls.append(call)
        self._notify()
        return call

    def _finish_call(self, call: Call, status: int, body: JSON) -> None:
        # No deep copy: nothing here mutates an answer after it is recorded.
        call.response = body
        call.status = status
        call.finished_at = time.monotonic()
        self._notify()
        self._observe(call)

    # -- injected faults ---------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        faults = self.random_faults
        drawn = faults.draw(request.match_info["method"]) if faults is not None else None
        if drawn is not None and drawn.kind == DROP_BEFORE:
            self.injected[DROP_BEFORE] += 1
            if request.transport is not None:
                request.transport.close()  # the client sees the connection closed, no answer
            return web.Response(status=500)  # written nowhere
        token = _DRAWN.set(drawn)
        try:
            return await super()._handle_api(request)
        finally:
            _DRAWN.reset(token)

    def _take_fault(self, method: str, params: JSON) -> ApiError | None:
        fault = super()._take_fault(method, params)
        drawn = _DRAWN.get()
        if fault is not None or drawn is None or drawn.kind not in (TOO_MANY, SERVER_ERROR):
            return fault
        self.injected[drawn.kind] += 1
        if drawn.kind == TOO_MANY:
            retry = drawn.retry_after or 1
            return ApiError(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
        return ApiError(
            drawn.status, "Internal Server Error" if drawn.status == 500 else "Bad Gateway"
        )

    def _take_lost_answer(self, method: str, params: JSON) -> LostAnswer | None:
        # Called only for calls that succeeded: those are the ones whose answer can be lost.
        lost = super()._take_lost_answer(method, params)
        drawn = _DRAWN.get()
        if lost is not None or drawn is None or drawn.kind not in (DROP_AFTER, LATE):
            return lost
        self.injected[drawn.kind] += 1
        late = (
            self.random_faults.rates.late_seconds
            if drawn.kind == LATE and self.random_faults
            else None
        )
        return LostAnswer(methods=frozenset(), times=None, chat_id=None, late=late)

    # -- what the benchmark adds -----------------------------------------------------------------

    def _observe(self, call: Call) -> None:
        for observer in self.observers:
            observer(call)
        method = call.method
        chat: int | None = None
        update_id: int | None = None
        if method == "answerCallbackQuery":
            query_id = str(call.params.get("callback_query_id"))
            found = self._query_chat.get(query_id)
            if found is not None:
                chat, update_id = found
                if call.ok:  # a refused answer (a 429, a 5xx) leaves the query to answer
                    del self._query_chat[query_id]
        elif method in REPLY_METHODS:
            chat = self._chat_key(call.params.get("chat_id"))
        if call.status == 429:
            key = self._chat_key(call.params.get("chat_id"))
            self.too_many.append(Send(method, key, call.at, call.status, 1))
        if self.record_sends and (
            method in SEND_METHODS or (self.record_edits and method in RATE_LIMITED_METHODS)
        ):
            media = call.params.get("media")
            cost = len(media) if method == "sendMediaGroup" and isinstance(media, list) else 1
            self.sends.append(Send(method, chat, call.at, call.status, cost))
        if chat is None or not call.ok:
            return
        self.replies += 1
        opened = self._open.get(chat)
        if opened:
            still_open = []
            for entry in opened:
                open_id, handed_at, is_query = entry
                # A message answers every message update of its chat still waiting.
                answered = open_id == update_id if is_query else update_id is None
                if answered and call.at >= handed_at:
                    self.latencies.values.append(call.at - handed_at)
                else:
                    still_open.append(entry)
            self._open[chat] = still_open
        waiters = self._chat_waiters.get(chat)
        if waiters:
            keep = []
            for waiter in waiters:
                if waiter.future.done():
                    continue
                if waiter.check(call):
                    waiter.future.set_result(call)
                else:
                    keep.append(waiter)
            self._chat_waiters[chat] = keep

    def expect(self, chat_id: int, check: Callable[[Call], bool]) -> asyncio.Future[Call]:
        """A future for the next successful call into `chat_id` that satisfies `check`.

        Register it before acting, so a reply faster than the next line cannot be missed.
        """
        future: asyncio.Future[Call] = asyncio.get_running_loop().create_future()
        self._chat_waiters.setdefault(chat_id, []).append(_Waiter(check, future))
        return future

    def start_latencies(self) -> None:
        self._open.clear()
        self.latencies = Latencies(active=True)

    def stop_latencies(self) -> Latencies:
        result = self.latencies
        result.active = False
        result.unanswered = sum(len(v) for v in self._open.values())
        self._open.clear()
        return result

    def unanswered(self) -> list[tuple[int, int, float, bool]]:
        """Updates handed out while `latencies` is active and not answered yet: (chat, update
        id, handed out at, is a callback query)."""
        return [(chat, *entry) for chat, entries in self._open.items() for entry in entries]

    def confirmed_backlog(self) -> int:
        """Updates queued but not yet confirmed by the bot."""
        return len(self._updates)


def text_of(call: Call) -> str:
    """The text or caption of a message-producing call's result ('' for other calls)."""
    result = call.result
    items = result if isinstance(result, list) else [result]
    parts = []
    for item in items:
        if isinstance(item, dict):
            parts.append(str(item.get("text") or item.get("caption") or ""))
    return "\n".join(parts)

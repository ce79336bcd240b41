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
- an optional record of message sends (method, chat, time, status) for the outbox limits.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from tests.fake_telegram import SEND_METHODS, Call, FakeTelegram
from tests.fake_telegram.server import RATE_LIMITED_METHODS, _QueuedUpdate

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

    # -- what the benchmark adds -----------------------------------------------------------------

    def _observe(self, call: Call) -> None:
        method = call.method
        chat: int | None = None
        update_id: int | None = None
        if method == "answerCallbackQuery":
            found = self._query_chat.pop(str(call.params.get("callback_query_id")), None)
            if found is not None:
                chat, update_id = found
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

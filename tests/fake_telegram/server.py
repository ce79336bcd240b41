"""The fake Bot API server: the aiohttp app, the method table, running a call (faults, limits,
the method) and waiting for the bot; the state it holds is in `state.py` and the methods by
concern in `faults.py`, `messages.py`, `media.py`, `updates.py`, `chats.py` and `payments.py`.

See the package docstring (``tests/fake_telegram/__init__.py``) for how tests drive it.  The
rules implemented here follow https://core.telegram.org/bots/api; where the fake is stricter
than Telegram on purpose (to surface bot bugs) the code says so.
"""

# The driver API is awaited from tests; `timeout=` keyword arguments read better there than
# wrapping every call in `asyncio.timeout()`.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import math
import re
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web

from .people import Channel, Person

if TYPE_CHECKING:
    from types import TracebackType

    from aiogram import Bot
from .chats import ChatsPart
from .core import (
    _CHAT_PARAMS,
    _EDIT_METHODS,
    JSON,
    RATE_LIMITED_METHODS,
    SEND_METHODS,
    ApiError,
    Call,
    ChatState,
    T,
    UploadedFile,
    _Handler,
    bad,
    decode_params,
)

log = logging.getLogger(__name__)


class FakeTelegram(ChatsPart):
    """A strict local Telegram Bot API server plus the state tests inspect and drive."""

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Serve on 127.0.0.1 on a free port; ``self.url`` is then the base URL."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown_route)
        # handler_cancellation: a long poll whose client went away must stop waiting, or it
        # would count as a competing getUpdates request.
        self._runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        self._client = aiohttp.ClientSession()
        self._stopping = False

    async def stop(self) -> None:
        self._stopping = True
        self._notify()  # releases long polls, which then answer with no updates
        await self._stop_webhook_task()
        if self._client is not None:
            await self._client.close()
            self._client = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    def make_bot(self, *, parse_mode: str | None = "HTML") -> Bot:
        """An aiogram Bot talking to this fake; use as ``async with fake.make_bot() as bot``."""
        from aiogram import Bot
        from aiogram.client.default import DefaultBotProperties
        from aiogram.client.session.aiohttp import AiohttpSession
        from aiogram.client.telegram import TelegramAPIServer

        session = AiohttpSession(api=TelegramAPIServer.from_base(self.url))
        return Bot(self.token, session=session, default=DefaultBotProperties(parse_mode=parse_mode))

    # ------------------------------------------------------------------ people and chats

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        is_premium: bool | None = None,
    ) -> Person:
        """Create a person with a private chat with the bot, or return the existing one.

        For an existing person, the fields given (not None) update the profile, as when a
        user renames themselves: later updates carry the new names.  A new person's
        ``language_code`` defaults to ``"uz"``; pass ``""`` for a user without one.
        """
        person = self._people.get(user_id)
        if person is not None:
            if first_name:
                person.first_name = first_name
            if last_name is not None:
                person.last_name = last_name or None
            if username is not None:
                person.username = username or None
            if language_code is not None:
                person.language_code = language_code or None
            if is_premium is not None:
                person.is_premium = is_premium
            self._chats[user_id].chat = person.chat
            return person
        if user_id <= 0 or user_id == self.bot_user["id"]:
            msg = f"user id {user_id} is not a valid user id here"
            raise ValueError(msg)
        person = Person(
            self,
            user_id,
            first_name or "Test",
            last_name=last_name,
            username=username,
            language_code="uz" if language_code is None else language_code or None,
            is_premium=is_premium,
        )
        self._people[user_id] = person
        self._chats[user_id] = ChatState(chat=person.chat, kind="private")
        return person

    @property
    def people(self) -> list[Person]:
        return list(self._people.values())

    @property
    def has_channel(self) -> bool:
        return self._channel is not None

    @property
    def channel(self) -> Channel:
        if self._channel is None:
            msg = "this FakeTelegram was created without a channel"
            raise AssertionError(msg)
        return self._channel

    def chat_state(self, chat_id: int) -> ChatState:
        return self._chats[chat_id]

    def block(self, user_id: int) -> None:
        """The user blocks the bot: sends to them answer 403 from now on.

        Like Telegram, this queues a ``my_chat_member`` update (bot: member -> kicked).
        """
        if user_id not in self._blocked:
            self._blocked.add(user_id)
            self._queue_member_change(user_id, "member", "kicked")

    def unblock(self, user_id: int) -> None:
        if user_id in self._blocked:
            self._blocked.discard(user_id)
            self._queue_member_change(user_id, "kicked", "member")

    def is_blocked(self, user_id: int) -> bool:
        return user_id in self._blocked

    def now(self) -> int:
        """The fake's wall clock (unix seconds), shifted by ``clock_offset``."""
        return int(time.time() + self.clock_offset)

    def advance_clock(self, seconds: float) -> None:
        """Pretend time passed, e.g. to make messages older than deleteMessage's 48 h."""
        self.clock_offset += seconds

    def same_chat(self, a: Any, b: Any) -> bool:
        """Whether two chat_id values (numeric or ``@username``) name the same chat."""
        return self._chat_key(a) == self._chat_key(b) and self._chat_key(a) is not None

    def _chat_key(self, value: Any) -> int | None:
        if isinstance(value, str) and value.startswith("@"):
            channel = self._channel
            if (
                channel is not None
                and channel.username is not None
                and value[1:].lower() == channel.username.lower()
            ):
                return channel.id
            return None
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
            return int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return None

    # ------------------------------------------------------------------ waiting

    def _notify(self) -> None:
        """Wake everything waiting for a state change (calls, updates, edits)."""
        self._last_activity = time.monotonic()
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def wait_for(
        self, check: Callable[[], T | None], timeout: float, what: Callable[[], str]
    ) -> T:
        """Re-evaluate ``check`` on every state change until it returns non-None."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._changed
            result = check()
            if result is not None:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = "\n  ".join(repr(call) for call in self.calls[-8:]) or "(none)"
                msg = f"timed out after {timeout}s waiting for {what()}; last calls:\n  {recent}"
                raise AssertionError(msg)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    async def wait_until(
        self, condition: Callable[[], object], timeout: float = 5.0, *, what: str = ""
    ) -> None:
        """Wait until ``condition()`` is truthy, re-checking on every recorded call/update."""
        await self.wait_for(
            lambda: True if condition() else None,
            timeout,
            lambda: what or getattr(condition, "__name__", "a condition"),
        )

    async def wait_call(
        self,
        method: str,
        *,
        timeout: float = 5.0,
        predicate: Callable[[Call], bool] | None = None,
        since: int = 0,
        ok: bool | None = None,
        **params: Any,
    ) -> Call:
        """The first call of ``method`` (at index >= ``since`` in ``calls``) matching filters.

        ``params`` compare with ``==`` against the decoded parameters (``chat_id`` matches a
        numeric id or ``@username`` of the same chat).  ``ok`` filters by success and so
        waits for the answer; without it a still-pending call (a long poll) matches too.
        """

        def matches(call: Call) -> bool:
            if call.method.lower() != method.lower():
                return False
            if ok is not None and (call.pending or call.ok != ok):
                return False
            for key, expected in params.items():
                actual = call.params.get(key)
                if key in _CHAT_PARAMS:
                    if not self.same_chat(actual, expected):
                        return False
                elif actual != expected:
                    return False
            return predicate is None or predicate(call)

        def find() -> Call | None:
            return next((c for c in self.calls[since:] if matches(c)), None)

        return await self.wait_for(find, timeout, lambda: f"a {method} call matching {params}")

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method.lower() == method.lower()]

    @property
    def polling(self) -> bool:
        """Whether a getUpdates request is waiting right now."""
        return self._poller is not None and not self._poller.done()

    def updates_pending(self) -> list[JSON]:
        """Updates not yet confirmed (by a getUpdates offset or a 2xx webhook answer)."""
        return [queued.update for queued in self._updates]

    def take_updates(self) -> list[JSON]:
        """Hand out and confirm every queued update at once, as one getUpdates would: for tests
        that feed updates to the dispatcher themselves instead of polling."""
        queued, self._updates = self._updates, []
        self._hand_out(queued)
        self._notify()
        return [item.update for item in queued]

    async def next_updates(self) -> list[JSON]:
        """`take_updates()` once there is at least one queued."""
        while not self._updates:
            await self._changed.wait()
        return self.take_updates()

    async def wait_idle(self, timeout: float = 5.0, *, quiet: float = 0.1) -> None:
        """Wait until every update was handed out and confirmed, no bot request is being
        processed, and nothing happened for ``quiet`` seconds.

        The quiet period is needed because aiogram confirms updates (next getUpdates) before
        its handlers finish; prefer ``wait_message``/``wait_call`` when you know what to expect.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._changed
            remaining = deadline - loop.time()
            wait = remaining
            if not self._updates and self._busy == 0:
                idle_for = time.monotonic() - self._last_activity
                if idle_for >= quiet:
                    return
                wait = min(remaining, quiet - idle_for)
            if remaining <= 0:
                msg = (
                    f"not idle after {timeout}s: {len(self._updates)} unconfirmed updates, "
                    f"{self._busy} requests in flight; pending: {self.updates_pending()[:3]}"
                )
                raise AssertionError(msg)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), wait)

    def reply_latencies(
        self, methods: Iterable[str] = SEND_METHODS, *, chats: Iterable[int] | None = None
    ) -> list[float]:
        """Seconds from handing out each update to the bot's first later send into its chat
        (only the updates from `chats`, when given).

        Updates without a chat (none so far) or never answered are left out.
        """
        wanted = set(methods)
        only = set(chats) if chats is not None else None
        latencies: list[float] = []
        for queued in self._handed_out:
            handed_at = queued.handed_out_at
            if handed_at is None or queued.chat_id is None:
                continue
            if only is not None and queued.chat_id not in only:
                continue
            for call in self.calls:
                if (
                    call.at >= handed_at
                    and call.ok
                    and call.method in wanted
                    and self.same_chat(call.params.get("chat_id"), queued.chat_id)
                ):
                    latencies.append(call.at - handed_at)
                    break
        return latencies

    # ------------------------------------------------------------------ HTTP

    async def _read_params(self, request: web.Request) -> JSON:
        raw: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                if not isinstance(body, dict):
                    raise bad("request body must be a JSON object")
                raw.update(body)
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        raw[key] = UploadedFile(value.file.read(), value.filename)
                    else:
                        raw[key] = value
        return decode_params(raw)

    async def _handle_api(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        name = request.match_info["method"]
        long_poll = name.lower() == "getupdates"
        if not long_poll:
            self._busy += 1
            self._notify()
        # Before the body is read: reading it turns can_read_body off.
        content_type = request.content_type if request.can_read_body else ""
        try:
            try:
                params = await self._read_params(request)
            except ValueError:
                params, status, body = {}, 400, bad("can't parse request body").body()
                method = name
            except ApiError as error:
                params, status, body = {}, error.status, error.body()
                method = name
            else:
                if request.match_info["token"] != self.token:
                    method, status, body = name, 401, ApiError(401, "Unauthorized").body()
                elif name.lower() not in self._handlers:
                    method, status, body = name, 404, ApiError(404, "Not Found").body()
                else:
                    method = self._handlers[name.lower()][0]
                    call = self._begin_call(method, params, arrived)
                    call.content_type = content_type
                    if self._take_outage(method, params) is not None:
                        # Nothing performed, nothing answered: the client sees the
                        # connection close.
                        call.connection_dropped = True
                        dropped = {"ok": False, "description": "connection dropped, not performed"}
                        self._finish_call(call, 0, dropped)
                        if request.transport is not None:
                            request.transport.close()
                        return web.json_response({"ok": False}, status=502)
                    try:
                        hold = self._take_hold(method, params)
                        if hold is not None and not hold.released.is_set():
                            hold.arrived.set()
                            await hold.released.wait()
                        if self.latency and not long_poll:
                            await asyncio.sleep(self.latency)
                        status, body = await self._execute(method, params)
                    except asyncio.CancelledError:
                        # The client went away (handler_cancellation), e.g. a stopped poller.
                        self._finish_call(call, 499, ApiError(499, "client disconnected").body())
                        raise
                    self._finish_call(call, status, body)
                    lost = self._take_lost_answer(method, params) if status == 200 else None
                    if lost is not None:
                        call.answer_lost = True
                        if lost.late is None:
                            # The request was performed; the client sees the connection close
                            # before any answer (aiohttp: ServerDisconnectedError).
                            if request.transport is not None:
                                request.transport.close()
                        else:
                            await asyncio.sleep(lost.late)  # cancelled when the client gives up
                    return web.json_response(body, status=status)
            self._finish_call(self._begin_call(method, params, arrived), status, body)
            return web.json_response(body, status=status)
        finally:
            if not long_poll:
                self._busy -= 1
                self._notify()

    async def _execute(self, method: str, params: JSON) -> tuple[int, JSON]:
        """Run one method: faults, then rate limits, then the handler (all-or-nothing)."""
        fault = self._take_fault(method, params)
        if fault is not None:
            return fault.status, fault.body()
        handler = self._handlers[method.lower()][1]
        limited = self._limit_target(method, params)
        now = time.monotonic()
        if limited is not None:
            chat, count = limited
            wait = self.limits.wait_needed(chat, count, now)
            if wait > 0:
                retry = max(1, math.ceil(wait))
                error = ApiError(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
                return 429, error.body()
        try:
            result = await handler(params)
        except ApiError as error:
            if limited is not None and limited[0].kind == "channel" and method in _EDIT_METHODS:
                # An edit Telegram refuses still counts against the channel's 20 a minute
                # (the refusal is worked out by the same request): a bot that probes its
                # channel's message ids faster than that gets 429s here.
                self.limits.consume(limited[0], limited[1], now)
            return error.status, error.body()
        except Exception as error:
            # A bug in the fake must not look like a Telegram answer the bot could handle.
            log.exception("fake telegram: %s crashed", method)
            description = f"Internal Server Error: fake_telegram bug in {method}: {error!r}"
            return 500, ApiError(500, description).body()
        if limited is not None:
            self.limits.consume(limited[0], limited[1], now)
        body: JSON = {"ok": True, "result": result}
        if method == "setWebhook":
            body["description"] = "Webhook was set"
        elif method == "deleteWebhook":
            body["description"] = "Webhook was deleted"
        return 200, body

    def _limit_target(self, method: str, params: JSON) -> tuple[ChatState, int] | None:
        if not self.enforce_limits or method not in RATE_LIMITED_METHODS:
            return None
        key = self._chat_key(params.get("chat_id"))
        chat = self._chats.get(key) if key is not None else None
        if chat is None:
            return None  # the handler will refuse it anyway
        count = 1
        if method == "sendMediaGroup" and isinstance(params.get("media"), list):
            count = max(1, len(params["media"]))
        elif method == "copyMessages" and isinstance(params.get("message_ids"), list):
            count = max(1, len(params["message_ids"]))
        return chat, count

    def _begin_call(
        self, method: str, params: JSON, arrived: float, *, via_webhook_reply: bool = False
    ) -> Call:
        call = Call(method, params, arrived, via_webhook_reply=via_webhook_reply)
        self.calls.append(call)
        self._notify()
        return call

    def _finish_call(self, call: Call, status: int, body: JSON) -> None:
        call.response = copy.deepcopy(body)
        call.status = status
        call.finished_at = time.monotonic()
        if status == 200:
            log.debug("fake telegram: %r", call)
        else:
            log.info("fake telegram: %r", call)
        self._notify()

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        stored = self._paths.get(request.match_info["path"])
        if stored is None:
            return web.json_response(ApiError(404, "Not Found").body(), status=404)
        self.downloads.append(request.match_info["path"])
        self._notify()
        return web.Response(body=stored.data, content_type="application/octet-stream")

    async def _handle_unknown_route(self, request: web.Request) -> web.Response:
        return web.json_response(ApiError(404, "Not Found").body(), status=404)

    # ------------------------------------------------------------------ methods

    def _method_table(self) -> dict[str, _Handler]:
        return {
            "getMe": self._get_me,
            "logOut": self._true,
            "close": self._true,
            "setChatMenuButton": self._set_chat_menu_button,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getMyCommands": self._get_my_commands,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "sendMediaGroup": self._send_media_group,
            "copyMessage": self._copy_message,
            "copyMessages": self._copy_messages,
            "forwardMessage": self._forward_message,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "editMessageMedia": self._edit_message_media,
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            "answerCallbackQuery": self._answer_callback_query,
            "answerInlineQuery": self._answer_inline_query,
            "getFile": self._get_file,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "getChatAdministrators": self._get_chat_administrators,
            **self.payments.methods(),
        }

    async def _true(self, params: JSON) -> bool:
        return True

    async def _get_me(self, params: JSON) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": self.supports_inline_queries,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

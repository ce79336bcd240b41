"""The fake Bot API server: an aiohttp app holding the chats, files, updates and faults.

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
import itertools
import json
import logging
import math
import re
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar

import aiohttp
from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError

from .html_entities import EntityParseError, parse_html, strip_formatted, utf16_len
from .people import BotMessage, Channel, Person

if TYPE_CHECKING:
    from types import TracebackType

    from aiogram import Bot

__all__ = [
    "ApiError",
    "Call",
    "FakeTelegram",
    "Fault",
    "LostAnswer",
    "Outage",
    "StoredFile",
    "UploadedFile",
]

log = logging.getLogger(__name__)

JSON = dict[str, Any]
T = TypeVar("T")

MAX_TEXT: Final = 4096  # https://core.telegram.org/bots/api#sendmessage
MAX_CAPTION: Final = 1024  # https://core.telegram.org/bots/api#sendphoto
MAX_CALLBACK_DATA_BYTES: Final = 64  # https://core.telegram.org/bots/api#inlinekeyboardbutton
MAX_DOWNLOAD: Final = 20 * 1024 * 1024  # getFile: "files of up to 20MB in size"
MAX_PHOTO_UPLOAD: Final = 10 * 1024 * 1024  # sendPhoto: "The photo must be at most 10 MB"
DELETE_WINDOW: Final = 48 * 3600  # deleteMessage: "sent less than 48 hours ago"

NOT_MODIFIED: Final = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD: Final = (
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)
WRONG_FILE: Final = "Bad Request: wrong file identifier/HTTP URL specified"
CONFLICT_POLL: Final = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
CONFLICT_WEBHOOK: Final = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Parameters that the Bot API takes as JSON-serialized objects (aiogram sends them as JSON
# strings inside the form).
_JSON_PARAMS: Final = _names(
    "reply_markup media entities caption_entities allowed_updates commands scope "
    "message_ids link_preview_options reply_parameters menu_button results permissions "
    "rights"
)
_INT_PARAMS: Final = _names(
    "offset limit timeout message_id user_id cache_time max_connections message_thread_id "
    "reply_to_message_id duration width height"
)
_BOOL_PARAMS: Final = _names(
    "drop_pending_updates disable_notification protect_content show_alert has_spoiler "
    "disable_web_page_preview show_caption_above_media remove_caption "
    "allow_sending_without_reply only_if_banned"
)
_CHAT_PARAMS: Final = frozenset({"chat_id", "from_chat_id"})
_INLINE_ACTIONS: Final = _names(
    "url callback_data web_app login_url switch_inline_query "
    "switch_inline_query_current_chat switch_inline_query_chosen_chat copy_text "
    "callback_game pay"
)
# What counts as "a message" for rate limits and reply latencies.
SEND_METHODS: Final = _names(
    "sendMessage sendPhoto sendMediaGroup sendDocument copyMessage copyMessages forwardMessage"
)
_EDIT_METHODS: Final = _names(
    "editMessageText editMessageCaption editMessageReplyMarkup editMessageMedia"
)
# What Telegram's rate limits count: every message, and every edit of one (a progress counter
# edited for each photo hits the limit like a new message would).
RATE_LIMITED_METHODS: Final = SEND_METHODS | _EDIT_METHODS
# Update types delivered when allowed_updates is empty or was never set.
_DEFAULT_EXCLUDED_UPDATES: Final = frozenset(
    {"chat_member", "message_reaction", "message_reaction_count"}
)
_CONTENT_KEYS: Final = _names(
    "text entities photo video document voice audio sticker animation contact location "
    "caption caption_entities has_media_spoiler show_caption_above_media"
)
_MEDIA_KEYS: Final = ("photo", "video", "document", "voice", "audio", "animation")
_DEFAULT_DESCRIPTIONS: Final = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
    504: "Gateway Timeout",
}


class ApiError(Exception):
    """An error answer of the Bot API: ``{"ok": false, "error_code": ..., ...}``."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


class UploadedFile(bytes):
    """Bytes of a multipart upload, remembering the file name the client gave."""

    filename: str

    def __new__(cls, data: bytes, filename: str) -> UploadedFile:
        obj = super().__new__(cls, data)
        obj.filename = filename
        return obj


@dataclass
class Call:
    """One Bot API request, in arrival order.

    ``params`` has JSON parameters decoded and uploads (also ``attach://`` ones) as bytes;
    ``at`` is ``time.monotonic()`` when the request arrived.  A call is recorded as soon as
    its parameters are read, so a waiting long poll is visible; ``response``, ``status`` and
    ``finished_at`` are filled in when it is answered (``pending`` until then).  Every method
    but getUpdates and setWebhook is answered before anyone waiting can observe it.
    """

    method: str
    params: dict[str, Any]
    at: float
    response: JSON = field(default_factory=dict)
    status: int = 0
    finished_at: float | None = None
    via_webhook_reply: bool = False
    # The call was performed, but its answer never reached the client (see lose_answers).
    answer_lost: bool = False
    # The connection was closed before the call was performed (see drop_connections).
    connection_dropped: bool = False
    # How the parameters came: "application/json", "multipart/form-data",
    # "application/x-www-form-urlencoded", or "" (none, or a webhook reply).
    content_type: str = ""

    @property
    def pending(self) -> bool:
        return self.finished_at is None

    @property
    def ok(self) -> bool:
        return self.response.get("ok") is True

    @property
    def result(self) -> Any:
        return self.response.get("result")

    @property
    def description(self) -> str | None:
        description = self.response.get("description")
        return description if isinstance(description, str) else None

    def __repr__(self) -> str:
        shown = _without_bytes(self.params)
        if self.pending:
            outcome = "(pending)"
        else:
            outcome = "ok" if self.ok else f"{self.status} {self.description}"
        return f"Call({self.method} {shown} -> {outcome})"


@dataclass
class Fault:
    """An injected failure; see :meth:`FakeTelegram.fail_with` and :meth:`FakeTelegram.flood`."""

    status: int
    description: str
    methods: frozenset[str] | None  # lower-cased names; None = every method but getUpdates
    times: int | None
    until: float | None
    retry_after: int | None = None
    chat_id: int | str | None = None
    hits: int = 0


@dataclass
class LostAnswer:
    """Calls performed, whose answer is then lost; see :meth:`FakeTelegram.lose_answers`."""

    methods: frozenset[str]  # lower-cased names
    times: int | None
    chat_id: int | str | None
    late: float | None  # None: the connection is dropped; else the answer comes this late
    hits: int = 0


@dataclass
class Outage:
    """Connections dropped before the request is performed; see
    :meth:`FakeTelegram.drop_connections`."""

    methods: frozenset[str] | None  # lower-cased names; None = every method but getUpdates
    until: float | None  # time.monotonic() deadline
    times: int | None
    chat_id: int | str | None
    hits: int = 0


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str  # photo, document, voice, sticker, video
    data: bytes
    file_size: int
    file_name: str | None = None
    mime_type: str | None = None
    file_path: str | None = None  # assigned by getFile
    photo: list[JSON] | None = None  # the whole PhotoSize set a photo size belongs to


@dataclass
class ChatState:
    chat: JSON
    kind: Literal["private", "channel"]
    messages: dict[int, JSON] = field(default_factory=dict)  # current state, edits applied
    deleted: dict[int, JSON] = field(default_factory=dict)
    seq: dict[int, int] = field(default_factory=dict)  # bot message id -> global order
    keyboards: dict[int, JSON] = field(default_factory=dict)  # reply keyboards sent along
    reply_keyboard: JSON | None = None  # the reply keyboard the user currently sees
    next_message_id: int = 1

    @property
    def id(self) -> int:
        chat_id = self.chat["id"]
        assert isinstance(chat_id, int)
        return chat_id


@dataclass
class _QueuedUpdate:
    update: JSON
    kind: str
    chat_id: int | None
    handed_out_at: float | None = None


@dataclass
class _Webhook:
    url: str
    secret_token: str | None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None


class _Limits:
    """Telegram's documented broadcast limits (https://core.telegram.org/bots/faq).

    "avoid sending more than one message per second" to a chat (we allow a burst of 3),
    "not more than 20 messages per minute" to a group/channel, "about 30 messages per second"
    overall.
    """

    def __init__(self) -> None:
        self.private_burst = 3.0
        self.private_rate = 1.0
        self.channel_per_minute = 20
        self.global_per_second = 30
        self._buckets: dict[int, tuple[float, float]] = {}  # chat -> (tokens, at)
        self._channel: dict[int, deque[float]] = {}
        self._global: deque[float] = deque()

    def _tokens(self, chat_id: int, now: float) -> float:
        tokens, at = self._buckets.get(chat_id, (self.private_burst, now))
        return min(self.private_burst, tokens + (now - at) * self.private_rate)

    @staticmethod
    def _window(times: deque[float], now: float, span: float) -> deque[float]:
        while times and times[0] <= now - span:
            times.popleft()
        return times

    def wait_needed(self, chat: ChatState, count: int, now: float) -> float:
        """Seconds until ``count`` messages to ``chat`` are allowed (0 if allowed now)."""
        waits = [0.0]
        # One request larger than a whole window (copyMessages of 100) waits for a full one.
        count = min(count, self.global_per_second)
        recent = self._window(self._global, now, 1.0)
        if len(recent) + count > self.global_per_second:
            waits.append(recent[len(recent) + count - self.global_per_second - 1] + 1.0 - now)
        if chat.kind == "channel":
            count = min(count, self.channel_per_minute)
            posts = self._window(self._channel.setdefault(chat.id, deque()), now, 60.0)
            if len(posts) + count > self.channel_per_minute:
                waits.append(posts[len(posts) + count - self.channel_per_minute - 1] + 60.0 - now)
        else:
            tokens = self._tokens(chat.id, now)
            if tokens < 1.0:  # an album to a private chat counts as one send
                waits.append((1.0 - tokens) / self.private_rate)
        return max(waits)

    def consume(self, chat: ChatState, count: int, now: float) -> None:
        self._global.extend([now] * count)
        if chat.kind == "channel":
            self._channel.setdefault(chat.id, deque()).extend([now] * count)
        else:
            self._buckets[chat.id] = (self._tokens(chat.id, now) - 1.0, now)


_Handler = Callable[[JSON], Awaitable[Any]]


class _Unset:
    """Marker for "argument not given" where None is meaningful."""


_UNSET: Final = _Unset()


class FakeTelegram:
    """A strict local Telegram Bot API server plus the state tests inspect and drive."""

    def __init__(
        self,
        token: str = "123456:TEST-token",
        *,
        bot_username: str = "vodiy_test_bot",
        bot_first_name: str = "Vodiy bozor (test)",
        bot_id: int | None = None,
        channel_username: str | None = None,
        channel_id: int | None = None,
        channel_title: str = "Vodiy bozor (test channel)",
    ) -> None:
        self.token = token
        if bot_id is None:
            # Telegram tokens start with the bot's user id.
            prefix = token.split(":", 1)[0]
            bot_id = int(prefix) if prefix.isdigit() else 123456
        self.bot_user: JSON = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.calls: list[Call] = []
        self.enforce_limits = False
        # Seconds every call (but getUpdates) takes to answer, as Telegram's do over a network.
        self.latency = 0.0
        self.limits = _Limits()
        self.clock_offset = 0.0  # seconds added to the wall clock for message dates
        self.webhook_retry_delay = 0.1  # Telegram backs off much longer; tests want speed
        self.callback_answers: dict[str, JSON] = {}
        self.inline_answers: dict[str, JSON] = {}  # answerInlineQuery parameters by query id
        # What getMe says; BotFather's /setinline turns it on for a real bot.
        self.supports_inline_queries = False
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        # setChatMenuButton: chat id (None: the default button) -> the button
        self.menu_buttons: dict[int | None, JSON] = {}
        self.downloads: list[str] = []  # file paths the bot downloaded
        self.url = ""

        self._people: dict[int, Person] = {}
        self._chats: dict[int, ChatState] = {}
        self._channel: Channel | None = None
        if channel_username is not None or channel_id is not None:
            self._channel = Channel(
                self,
                chat_id=channel_id if channel_id is not None else -1001234567890,
                username=(channel_username or "").lstrip("@") or None,
                title=channel_title,
            )
            self._chats[self._channel.id] = ChatState(chat=self._channel.chat, kind="channel")

        self._files: dict[str, StoredFile] = {}
        self._paths: dict[str, StoredFile] = {}
        self._rejected_file_ids: set[str] = set()
        self._file_counter = itertools.count(1)
        self._faults: list[Fault] = []
        self._lost_answers: list[LostAnswer] = []
        self._outages: list[Outage] = []
        self._blocked: set[int] = set()

        self._updates: list[_QueuedUpdate] = []  # handed out or not, but not yet confirmed
        self._handed_out: list[_QueuedUpdate] = []  # for reply_latencies()
        self._next_update_id = 1
        self._allowed_updates: list[str] | None = None
        self._poller: asyncio.Future[None] | None = None
        self._open_queries: set[str] = set()
        self._open_inline_queries: set[str] = set()
        self._query_counter = itertools.count(1)
        self._media_group_counter = itertools.count(1)
        self._seq = 0  # order of every message the bot sends, across chats

        self._webhook: _Webhook | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._client: aiohttp.ClientSession | None = None

        self._changed = asyncio.Event()
        self._last_activity = time.monotonic()
        self._busy = 0  # requests other than long polls being processed, webhook POSTs
        self._stopping = False
        self._runner: web.AppRunner | None = None

        from .payments import Payments

        self.payments = Payments(self)  # Stars payments and pinned messages (payments.py)
        self._handlers: dict[str, tuple[str, _Handler]] = {}
        for name, handler in self._method_table().items():
            self._handlers[name.lower()] = (name, handler)

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

    # ------------------------------------------------------------------ files

    def add_file(
        self,
        data: bytes,
        *,
        file_size: int | None = None,
        kind: str = "document",
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> tuple[str, str]:
        """Register a file the bot can use by file_id; returns ``(file_id, file_unique_id)``.

        ``file_size`` overrides the declared size (to test the 20 MB getFile limit cheaply).
        """
        if kind == "photo":
            stored = self._files[self.store_photo(data)[-1]["file_id"]]
        else:
            stored = self.store_file(data, kind, file_name=file_name, mime_type=mime_type)
        if file_size is not None:
            stored.file_size = file_size
        return stored.file_id, stored.file_unique_id

    def file(self, file_id: str) -> StoredFile:
        return self._files[file_id]

    def reject_file_ids(self, file_ids: Iterable[str]) -> None:
        """These file_ids answer "wrong file identifier" from now on (e.g. expired ones)."""
        self._rejected_file_ids.update(file_ids)

    def store_file(
        self,
        data: bytes,
        kind: str,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> StoredFile:
        n = next(self._file_counter)
        prefixes = {"photo": "AgAC", "document": "BQAC", "voice": "AwAC", "video": "BAAC"}
        file_id = f"{prefixes.get(kind, 'CAAC')}{n:05d}{secrets.token_urlsafe(18)}"
        unique = f"AQAD{n:05d}{secrets.token_hex(4)}"
        stored = StoredFile(file_id, unique, kind, bytes(data), len(data), file_name, mime_type)
        self._files[file_id] = stored
        return stored

    def store_photo(self, data: bytes, *, width: int = 1280, height: int = 960) -> list[JSON]:
        """A photo as Telegram returns it: several PhotoSize, the largest last."""
        sizes: list[JSON] = []
        for scale in (4, 1):
            # The smaller size is a prefix of the bytes: enough to tell the sizes apart.
            stored = self.store_file(data[: max(1, len(data) // scale)], "photo")
            stored.photo = sizes
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "file_size": stored.file_size,
                    "width": width // scale,
                    "height": height // scale,
                }
            )
        return sizes

    def _file_object(self, stored: StoredFile, **extra: Any) -> JSON:
        obj: JSON = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
        }
        if stored.file_name is not None:
            obj["file_name"] = stored.file_name
        if stored.mime_type is not None:
            obj["mime_type"] = stored.mime_type
        obj.update(extra)
        return obj

    # ------------------------------------------------------------------ faults

    def fail_with(
        self,
        status: int,
        description: str | None = None,
        *,
        methods: Iterable[str] | None = None,
        times: int | None = None,
        until: float | None = None,
        retry_after: int | None = None,
        chat_id: int | str | None = None,
    ) -> Fault:
        """Answer matching calls with this error instead of executing them.

        ``times`` limits how many calls fail, ``until`` is a ``time.monotonic()`` deadline;
        with neither, the fault stays until :meth:`clear_faults`.  ``methods=None`` means every
        method except getUpdates (name it explicitly to break polling), so the bot's own long
        polls do not eat the budget at random.
        """
        if description is None:
            if status == 429:
                description = f"Too Many Requests: retry after {retry_after or 1}"
            else:
                description = _DEFAULT_DESCRIPTIONS.get(status, "Internal Server Error")
        if status == 429 and retry_after is None:
            retry_after = 1
        fault = Fault(
            status=status,
            description=description,
            methods=frozenset(m.lower() for m in methods) if methods is not None else None,
            times=times,
            until=until,
            retry_after=retry_after,
            chat_id=chat_id,
        )
        self._faults.append(fault)
        return fault

    def flood(
        self,
        retry_after: int,
        *,
        methods: Iterable[str] | None = None,
        times: int | None = 1,
        chat_id: int | str | None = None,
    ) -> Fault:
        """Answer 429 ``Too Many Requests: retry after N`` with ``parameters.retry_after``."""
        return self.fail_with(
            429,
            f"Too Many Requests: retry after {retry_after}",
            methods=methods,
            times=times,
            retry_after=retry_after,
            chat_id=chat_id,
        )

    def clear_faults(self) -> None:
        self._faults.clear()
        self._lost_answers.clear()
        self._outages.clear()

    def drop_connections(
        self,
        *,
        until: float | None = None,
        times: int | None = None,
        methods: Iterable[str] | None = None,
        chat_id: int | str | None = None,
    ) -> Outage:
        """Close the connection of matching requests without performing them or answering
        (aiohttp: ServerDisconnectedError): the network between the bot and Telegram is down.
        ``until`` is a ``time.monotonic()`` deadline, ``times`` how many requests; with
        neither, until :meth:`clear_faults`. The client cannot tell this from
        :meth:`lose_answers`, where the call was performed. ``methods=None`` means every
        method but getUpdates, as in :meth:`fail_with`."""
        outage = Outage(
            methods=frozenset(m.lower() for m in methods) if methods is not None else None,
            until=until,
            times=times,
            chat_id=chat_id,
        )
        self._outages.append(outage)
        return outage

    def _take_outage(self, method: str, params: JSON) -> Outage | None:
        now = time.monotonic()
        for outage in list(self._outages):
            if outage.until is not None and now >= outage.until:
                self._outages.remove(outage)
                continue
            if outage.methods is None:
                if method == "getUpdates":
                    continue
            elif method.lower() not in outage.methods:
                continue
            if outage.chat_id is not None and not self.same_chat(
                params.get("chat_id"), outage.chat_id
            ):
                continue
            outage.hits += 1
            if outage.times is not None:
                outage.times -= 1
                if outage.times <= 0:
                    self._outages.remove(outage)
            return outage
        return None

    def lose_answers(
        self,
        methods: Iterable[str],
        *,
        times: int | None = 1,
        chat_id: int | str | None = None,
        late: float | None = None,
    ) -> LostAnswer:
        """Perform matching calls (messages are sent, state changes), then lose the answer:
        drop the connection without answering, or with ``late`` answer only after that many
        seconds (a client with a shorter timeout gives up first). What Telegram leaves a client
        after a network failure at the wrong moment: the call happened, the client cannot know.
        Only calls that succeed are affected."""
        lost = LostAnswer(
            methods=frozenset(m.lower() for m in methods),
            times=times,
            chat_id=chat_id,
            late=late,
        )
        self._lost_answers.append(lost)
        return lost

    def _take_lost_answer(self, method: str, params: JSON) -> LostAnswer | None:
        for lost in list(self._lost_answers):
            if method.lower() not in lost.methods:
                continue
            if lost.chat_id is not None and not self.same_chat(params.get("chat_id"), lost.chat_id):
                continue
            lost.hits += 1
            if lost.times is not None:
                lost.times -= 1
                if lost.times <= 0:
                    self._lost_answers.remove(lost)
            return lost
        return None

    def _take_fault(self, method: str, params: JSON) -> ApiError | None:
        now = time.monotonic()
        for fault in list(self._faults):
            if fault.until is not None and now >= fault.until:
                self._faults.remove(fault)
                continue
            if fault.methods is None:
                if method == "getUpdates":
                    continue
            elif method.lower() not in fault.methods:
                continue
            if fault.chat_id is not None and not self.same_chat(
                params.get("chat_id"), fault.chat_id
            ):
                continue
            fault.hits += 1
            if fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
            return ApiError(fault.status, fault.description, retry_after=fault.retry_after)
        return None

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

    # ------------------------------------------------------------------ updates

    def queue_update(self, kind: str, payload: JSON, *, chat_id: int | None = None) -> JSON:
        """Queue a raw update of type ``kind``; returns the Update dict."""
        update = {"update_id": self._next_update_id, kind: payload}
        try:
            # Telegram only sends well-formed updates; a malformed one would make every
            # getUpdates of the bot fail to parse, far from the test line that caused it.
            Update.model_validate(update)
        except ValidationError as error:
            msg = f"this {kind} update would not parse as a Bot API Update: {error}"
            raise ValueError(msg) from None
        self._next_update_id += 1
        self._updates.append(_QueuedUpdate(update, kind, chat_id))
        self._notify()
        return update

    def _queue_member_change(self, user_id: int, old: str, new: str) -> None:
        person = self._people.get(user_id)
        if person is None:
            return

        def member(status: str) -> JSON:
            member: JSON = {"status": status, "user": self.bot_user}
            if status == "kicked":
                member["until_date"] = 0
            return member

        payload = {
            "chat": person.chat,
            "from": person.user,
            "date": self.now(),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        self.queue_update("my_chat_member", payload, chat_id=user_id)

    def _allowed(self, kind: str, allowed: list[str] | None) -> bool:
        if not allowed:
            return kind not in _DEFAULT_EXCLUDED_UPDATES
        return kind in allowed

    def _confirm_below(self, offset: int) -> None:
        self._updates = [q for q in self._updates if q.update["update_id"] >= offset]

    def _deliverable(self, allowed: list[str] | None, limit: int) -> list[_QueuedUpdate]:
        # Telegram never produces updates of types the bot did not ask for; they are dropped.
        kept = []
        for queued in self._updates:
            if self._allowed(queued.kind, allowed):
                kept.append(queued)
        self._updates = kept
        return kept[:limit]

    def _hand_out(self, queued: Iterable[_QueuedUpdate]) -> None:
        now = time.monotonic()
        for item in queued:
            if item.handed_out_at is None:
                item.handed_out_at = now
                self._handed_out.append(item)

    def user_message(self, person: Person, content: JSON) -> JSON:
        """Store a message from ``person`` in their private chat (no update is queued)."""
        chat = self._chats[person.id]
        message = {
            "message_id": chat.next_message_id,
            "from": person.user,
            "chat": chat.chat,
            "date": self.now(),
            **content,
        }
        chat.next_message_id += 1
        chat.messages[message["message_id"]] = message
        return message

    def new_callback_query(self, person: Person, message: JSON, data: str) -> JSON:
        query_id = str(4_000_000_000_000_000 + next(self._query_counter) * 7919)
        self._open_queries.add(query_id)
        chat_id = message["chat"]["id"]
        return {
            "id": query_id,
            "from": person.user,
            "message": copy.deepcopy(message),
            "chat_instance": str(-8_000_000_000_000_000 - chat_id),
            "data": data,
        }

    def new_inline_query(self, person: Person, query: str, offset: str) -> JSON:
        if len(query) > 256:  # "Text of the query (up to 256 characters)"
            msg = "an inline query is at most 256 characters"
            raise ValueError(msg)
        query_id = str(5_000_000_000_000_000 + next(self._query_counter) * 7919)
        self._open_inline_queries.add(query_id)
        return {
            "id": query_id,
            "from": person.user,
            "query": query,
            "offset": offset,
            "chat_type": "sender",
        }

    def new_media_group_id(self) -> str:
        return str(13_000_000_000_000_000 + next(self._media_group_counter))

    def bot_messages(self, chat_id: int) -> list[BotMessage]:
        chat = self._chats[chat_id]
        return [BotMessage(self, chat_id, mid) for mid in sorted(chat.seq) if mid in chat.messages]

    def message_seq(self, chat_id: int, message_id: int) -> int:
        return self._chats[chat_id].seq[message_id]

    @property
    def last_seq(self) -> int:
        return self._seq

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

    # ------------------------------------------------------------------ webhook delivery

    async def _stop_webhook_task(self) -> None:
        task, self._webhook_task = self._webhook_task, None
        if task is asyncio.current_task():
            return  # a webhook reply changed the webhook: the loop sees it and ends
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _deliver_updates(self, webhook: _Webhook) -> None:
        """POST queued updates to the webhook one at a time, in order, retrying non-2xx."""
        assert self._client is not None
        failures = 0
        while self._webhook is webhook:
            pending = self._deliverable(self._allowed_updates, 1)
            if not pending:
                event = self._changed
                await event.wait()
                continue
            queued = pending[0]
            self._hand_out([queued])
            headers = {}
            if webhook.secret_token is not None:
                headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secret_token
            self._busy += 1
            try:
                try:
                    async with self._client.post(
                        webhook.url,
                        json=queued.update,
                        headers=headers,
                        timeout=aiohttp.ClientTimeout(total=60),
                    ) as response:
                        status = response.status
                        reply = await _read_webhook_reply(response) if status < 300 else None
                        reason = response.reason or ""
                except aiohttp.ClientError as error:
                    status, reply, reason = 0, None, f"{type(error).__name__}: {error}"
                if 200 <= status < 300:
                    failures = 0
                    with contextlib.suppress(ValueError):
                        self._updates.remove(queued)
                    if reply is not None and "method" in reply:
                        await self._execute_webhook_reply(reply)
                    continue
                webhook.last_error_date = self.now()
                webhook.last_error_message = (
                    f"Wrong response from the webhook: {status} {reason}" if status else reason
                )
                failures += 1
            finally:
                self._busy -= 1
                self._notify()
            await asyncio.sleep(min(2.0, self.webhook_retry_delay * 2 ** min(failures - 1, 5)))

    async def _execute_webhook_reply(self, params: JSON) -> None:
        """Telegram executes a method returned in the webhook answer; the result is lost."""
        name = str(params.pop("method"))
        known = self._handlers.get(name.lower())
        method = known[0] if known is not None else name
        call = self._begin_call(method, params, time.monotonic(), via_webhook_reply=True)
        if known is None:
            status, body = 404, ApiError(404, "Not Found").body()
        else:
            status, body = await self._execute(method, params)
        self._finish_call(call, status, body)

    async def deliver_raw(
        self,
        update: JSON,
        *,
        secret: str | _Unset | None = _UNSET,
        headers: dict[str, str] | None = None,
        url: str | None = None,
    ) -> tuple[int, str]:
        """POST an arbitrary update to the webhook now, outside the queue.

        ``secret`` defaults to the configured secret token; pass ``None`` to omit the header or
        another string to send a wrong one.  Returns ``(status, body)``; nothing is executed.
        """
        assert self._client is not None, "start() the fake first"
        target = url or (self._webhook.url if self._webhook is not None else None)
        if target is None:
            msg = "no webhook is set and no url= given"
            raise AssertionError(msg)
        send_headers = dict(headers or {})
        if isinstance(secret, _Unset):
            secret = self._webhook.secret_token if self._webhook is not None else None
        if secret is not None:
            send_headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        async with self._client.post(target, json=update, headers=send_headers) as response:
            return response.status, await response.text()

    @property
    def webhook_url(self) -> str | None:
        return self._webhook.url if self._webhook is not None else None

    # ------------------------------------------------------------------ validation helpers

    def _resolve_chat(self, value: Any, *, empty: str = "chat_id is empty") -> ChatState:
        if value is None or value == "":
            raise bad(empty)
        key = self._chat_key(value)
        chat = self._chats.get(key) if key is not None else None
        if chat is None or (chat.kind == "channel" and not self.channel.exists):
            raise bad("chat not found")
        return chat

    def _check_can_write(self, chat: ChatState) -> None:
        if chat.kind == "private":
            if chat.id in self._blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            return
        channel = self.channel
        if channel.bot_status not in ("administrator", "creator"):
            raise ApiError(403, "Forbidden: bot is not a member of the channel chat")
        if not channel.can_post_messages:
            raise bad("need administrator rights in the channel chat")

    def _target_chat(self, params: JSON) -> ChatState:
        chat = self._resolve_chat(params.get("chat_id"))
        self._check_can_write(chat)
        return chat

    def _message_id(self, params: JSON, key: str = "message_id") -> int:
        value = params.get(key)
        if value is None or value == "":
            raise bad("message identifier is not specified")
        if not isinstance(value, int) or isinstance(value, bool):
            raise bad(f"invalid {key} specified")
        return value

    def _formatted(
        self,
        params: JSON,
        text_key: str,
        entities_key: str,
        *,
        limit: int,
        too_long: str,
    ) -> tuple[str, list[JSON]]:
        """Visible text and entities of ``params[text_key]`` after parse_mode, Telegram-trimmed."""
        text = params.get(text_key)
        if text is None:
            return "", []
        if not isinstance(text, str):
            text = str(text)
        entities: list[JSON] = []
        explicit = params.get(entities_key)
        parse_mode = params.get("parse_mode")
        if explicit is not None:
            if not isinstance(explicit, list) or not all(isinstance(e, dict) for e in explicit):
                raise bad(f"can't parse {entities_key} JSON object")
            entities = [dict(e) for e in explicit]
        elif isinstance(parse_mode, str) and parse_mode:
            if parse_mode.lower() == "html":
                try:
                    text, entities = parse_html(text)
                except EntityParseError as error:
                    raise bad(f"can't parse entities: {error}") from None
            elif parse_mode.lower() in ("markdown", "markdownv2"):
                raise bad(f"unsupported parse_mode {parse_mode!r} (the fake only parses HTML)")
            else:
                raise bad("unsupported parse_mode")
        text, entities = strip_formatted(text, entities)
        if utf16_len(text) > limit:
            raise bad(too_long)
        return text, entities

    def _text(self, params: JSON) -> tuple[str, list[JSON]]:
        text = params.get("text")
        if text is None or text == "":
            raise bad("message text is empty")
        visible, entities = self._formatted(
            params, "text", "entities", limit=MAX_TEXT, too_long="message is too long"
        )
        if not visible:
            raise bad("message text is empty")
        return visible, entities

    def _caption(self, params: JSON) -> tuple[str, list[JSON]]:
        return self._formatted(
            params,
            "caption",
            "caption_entities",
            limit=MAX_CAPTION,
            too_long="message caption is too long",
        )

    def _markup(self, params: JSON, *, inline_only: bool = False) -> JSON | None:
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            _check_inline_keyboard(markup["inline_keyboard"])
            return markup
        if inline_only:
            raise bad("can't parse inline keyboard markup JSON object")
        if "keyboard" in markup:
            _check_reply_keyboard(markup["keyboard"])
            return markup
        if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
            return markup
        raise bad("can't parse reply keyboard markup JSON object")

    def _reply_to(self, chat: ChatState, params: JSON) -> JSON | None:
        reply = params.get("reply_parameters")
        target: Any = params.get("reply_to_message_id")
        allow_missing = bool(params.get("allow_sending_without_reply"))
        if isinstance(reply, dict):
            target = reply.get("message_id")
            allow_missing = bool(reply.get("allow_sending_without_reply", allow_missing))
        if target is None:
            return None
        original = chat.messages.get(target) if isinstance(target, int) else None
        if original is None:
            if allow_missing:
                return None
            raise bad("message to be replied not found")
        return {k: v for k, v in original.items() if k != "reply_to_message"}

    def _file_for(self, value: Any, kind: str, *, missing: str) -> StoredFile | UploadedFile:
        """Resolve a file parameter: an upload (bytes) or a file_id the fake issued."""
        if value is None or value == "":
            raise bad(missing)
        if isinstance(value, UploadedFile):
            if not value:
                raise bad("file must be non-empty")
            if kind == "photo" and len(value) > MAX_PHOTO_UPLOAD:
                raise bad(
                    f"file of size {len(value)} bytes is too big for a photo; "
                    f"the maximum size is {MAX_PHOTO_UPLOAD} bytes"
                )
            return value
        if isinstance(value, bytes):
            return UploadedFile(value, kind)
        if not isinstance(value, str):
            raise bad(WRONG_FILE.removeprefix("Bad Request: "))
        if value.startswith(("http://", "https://")):
            # Telegram would download it; the fake has no network on purpose.
            raise bad("failed to get HTTP URL content")
        if value in self._rejected_file_ids or value not in self._files:
            raise ApiError(400, WRONG_FILE)
        stored = self._files[value]
        if stored.kind != kind:
            names = {"photo": "Photo", "document": "Document", "video": "Video"}
            raise bad(
                f"can't use file of type {names.get(stored.kind, stored.kind.title())} "
                f"as {names.get(kind, kind.title())}"
            )
        return stored

    def _photo_sizes(self, source: StoredFile | UploadedFile) -> list[JSON]:
        if isinstance(source, UploadedFile):
            return self.store_photo(source)
        assert source.photo is not None
        return copy.deepcopy(source.photo)

    def _media_object(self, source: StoredFile | UploadedFile, kind: str) -> JSON:
        if isinstance(source, UploadedFile):
            mime = {"video": "video/mp4", "document": "application/octet-stream"}[kind]
            name = source.filename if kind == "document" else None
            source = self.store_file(source, kind, file_name=name, mime_type=mime)
        if kind == "video":
            return self._file_object(source, width=640, height=480, duration=1)
        return self._file_object(source)

    # ------------------------------------------------------------------ storing messages

    def _store_bot_message(
        self,
        chat: ChatState,
        content: JSON,
        *,
        markup: JSON | None = None,
        reply_to: JSON | None = None,
    ) -> JSON:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        message: JSON = {"message_id": message_id}
        if chat.kind == "channel":
            message["sender_chat"] = chat.chat
        else:
            message["from"] = self.bot_user
        message["chat"] = chat.chat
        message["date"] = self.now()
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        message.update(copy.deepcopy(content))
        if markup is not None:
            if "inline_keyboard" in markup:
                # Only inline keyboards are part of the Message object.
                message["reply_markup"] = copy.deepcopy(markup)
            else:
                chat.keyboards[message_id] = copy.deepcopy(markup)
                if "keyboard" in markup:
                    chat.reply_keyboard = copy.deepcopy(markup)
                elif markup.get("remove_keyboard"):
                    chat.reply_keyboard = None
        chat.messages[message_id] = message
        self._seq += 1
        chat.seq[message_id] = self._seq
        return message

    def post_as_someone_else(self, text: str = "A post by another admin") -> JSON:
        """Another admin of the channel posts a text message (not through the bot): it takes
        the channel's next message id, as every post does, and the bot cannot edit it
        ("message can't be edited"). Queues the ``channel_post`` update Telegram sends a bot
        that administers the channel. Returns the message."""
        chat = self._chats[self.channel.id]
        message_id = chat.next_message_id
        chat.next_message_id += 1
        message: JSON = {
            "message_id": message_id,
            "sender_chat": chat.chat,
            "chat": chat.chat,
            "date": self.now(),
            "text": text,
        }
        chat.messages[message_id] = message
        self.queue_update("channel_post", copy.deepcopy(message), chat_id=chat.id)
        return message

    def sent_by_bot(self, chat: ChatState, message: JSON) -> bool:
        return message["message_id"] in chat.seq

    def _editable(self, params: JSON) -> JSON:
        if params.get("inline_message_id"):
            raise bad("inline messages are not supported by the fake")
        chat = self._resolve_chat(params.get("chat_id"))
        message_id = self._message_id(params)
        message = chat.messages.get(message_id)
        if message is None:
            raise bad("message to edit not found")
        if not self.sent_by_bot(chat, message):
            raise bad("message can't be edited")
        self._check_can_write(chat)
        return message

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

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self._webhook is not None:
            raise ApiError(409, CONFLICT_WEBHOOK)
        offset = params.get("offset", 0)
        limit = params.get("limit", 100)
        timeout = params.get("timeout", 0)
        for name, value in (("offset", offset), ("limit", limit), ("timeout", timeout)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise bad(f"invalid {name} specified")
        limit = min(max(limit, 1), 100)  # "Values between 1-100 are accepted"
        if "allowed_updates" in params:
            allowed = params["allowed_updates"]
            if not isinstance(allowed, list):
                raise bad("can't parse allowed_updates JSON object")
            # "If not specified, the previous setting will be used."
            self._allowed_updates = [str(kind) for kind in allowed]
        if offset > 0:
            self._confirm_below(offset)
        elif offset < 0:
            # "-offset update from the end of the updates queue. All previous updates will
            # be forgotten."
            self._updates = self._updates[offset:]

        # Only one getUpdates may wait at a time: the earlier one is answered with 409.
        if self._poller is not None and not self._poller.done():
            self._poller.set_result(None)
        terminated: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._poller = terminated
        self._notify()

        def ready() -> list[_QueuedUpdate] | None:
            if terminated.done() or self._webhook is not None:
                return None
            found = self._deliverable(self._allowed_updates, limit)
            return found or ([] if self._stopping else None)

        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0, timeout)
        try:
            while True:
                event = self._changed
                if terminated.done():
                    raise ApiError(409, CONFLICT_POLL)
                if self._webhook is not None:
                    raise ApiError(409, CONFLICT_WEBHOOK)
                found = ready()
                remaining = deadline - loop.time()
                if found is not None or remaining <= 0:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), remaining)
        finally:
            if self._poller is terminated:
                self._poller = None
        updates = found or []
        self._hand_out(updates)
        return [copy.deepcopy(q.update) for q in updates]

    async def _set_webhook(self, params: JSON) -> bool:
        url = params.get("url", "")
        if not isinstance(url, str):
            raise bad("invalid webhook URL specified")
        secret = params.get("secret_token")
        if secret is not None and (
            not isinstance(secret, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret)
        ):
            # "1-256 characters. Only characters A-Z, a-z, 0-9, _ and - are allowed."
            raise bad("secret token contains unallowed characters")
        if url and not re.match(r"https?://[^/\s]+", url):
            # Telegram demands HTTPS on ports 443/80/88/8443; the fake accepts plain HTTP on
            # any loopback port so tests need no certificates.
            raise bad("bad webhook: invalid webhook URL specified")
        max_connections = params.get("max_connections", 40)
        if not isinstance(max_connections, int) or not 1 <= max_connections <= 100:
            raise bad("bad webhook: max_connections must be between 1 and 100")
        allowed = params.get("allowed_updates")
        if allowed is not None and not isinstance(allowed, list):
            raise bad("can't parse allowed_updates JSON object")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if allowed is not None:
            self._allowed_updates = [str(kind) for kind in allowed]
        await self._stop_webhook_task()
        if not url:
            self._webhook = None
        else:
            self._webhook = _Webhook(url, secret, max_connections)
            self._webhook_task = asyncio.create_task(self._deliver_updates(self._webhook))
        self._notify()  # a waiting getUpdates must now fail with 409
        return True

    async def _delete_webhook(self, params: JSON) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._webhook = None
        await self._stop_webhook_task()
        self._notify()
        return True

    async def _get_webhook_info(self, params: JSON) -> JSON:
        info: JSON = {
            "url": self._webhook.url if self._webhook is not None else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self._webhook is not None:
            info["max_connections"] = self._webhook.max_connections
            if self._webhook.last_error_date is not None:
                info["last_error_date"] = self._webhook.last_error_date
                info["last_error_message"] = self._webhook.last_error_message
            if self._allowed_updates:
                info["allowed_updates"] = self._allowed_updates
        return info

    @staticmethod
    def _commands_key(params: JSON) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise bad("can't parse BotCommandScope JSON object")
        language = params.get("language_code") or ""
        return json.dumps(scope, sort_keys=True), str(language)

    async def _set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if commands is None:
            raise bad('parameter "commands" is required')
        if not isinstance(commands, list):
            raise bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not isinstance(command, dict):
                raise bad("can't parse BotCommand JSON object")
            name = command.get("command")
            description = command.get("description")
            # "1-32 characters. Can contain only lowercase English letters, digits and
            # underscores."
            if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise bad("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise bad("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(params)
        self.commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def _set_chat_menu_button(self, params: JSON) -> bool:
        """https://core.telegram.org/bots/api#setchatmenubutton: no chat_id sets the default
        button; a `web_app` button needs a text and an https URL
        (https://core.telegram.org/bots/api#menubuttonwebapp)."""
        button = params.get("menu_button", {"type": "default"})
        if not isinstance(button, dict):
            raise bad("can't parse menu button JSON object")
        kind = button.get("type")
        if kind == "web_app":
            web_app = button.get("web_app")
            url = web_app.get("url") if isinstance(web_app, dict) else None
            if not isinstance(button.get("text"), str) or not button["text"].strip():
                raise bad("BUTTON_TEXT_INVALID")
            if not isinstance(url, str) or not url.startswith("https://"):
                raise bad("BUTTON_URL_INVALID")
        elif kind not in ("commands", "default"):
            raise bad("unsupported menu button type")
        chat = params.get("chat_id")
        self.menu_buttons[chat if isinstance(chat, int) else None] = copy.deepcopy(button)
        return True

    async def _delete_my_commands(self, params: JSON) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    async def _get_my_commands(self, params: JSON) -> list[JSON]:
        return copy.deepcopy(self.commands.get(self._commands_key(params), []))

    async def _send_message(self, params: JSON) -> JSON:
        chat = self._target_chat(params)
        text, entities = self._text(params)
        markup = self._markup(params)
        reply_to = self._reply_to(chat, params)
        content: JSON = {"text": text}
        if entities:
            content["entities"] = entities
        return self._store_bot_message(chat, content, markup=markup, reply_to=reply_to)

    def _caption_content(self, params: JSON) -> JSON:
        caption, entities = self._caption(params)
        content: JSON = {}
        if caption:
            content["caption"] = caption
            if entities:
                content["caption_entities"] = entities
        if params.get("has_spoiler"):
            content["has_media_spoiler"] = True
        if params.get("show_caption_above_media"):
            content["show_caption_above_media"] = True
        return content

    async def _send_photo(self, params: JSON) -> JSON:
        chat = self._target_chat(params)
        source = self._file_for(
            params.get("photo"), "photo", missing="there is no photo in the request"
        )
        content = self._caption_content(params)
        markup = self._markup(params)
        reply_to = self._reply_to(chat, params)
        content = {"photo": self._photo_sizes(source), **content}
        return self._store_bot_message(chat, content, markup=markup, reply_to=reply_to)

    async def _send_document(self, params: JSON) -> JSON:
        chat = self._target_chat(params)
        source = self._file_for(
            params.get("document"), "document", missing="there is no document in the request"
        )
        content = self._caption_content(params)
        markup = self._markup(params)
        reply_to = self._reply_to(chat, params)
        content = {"document": self._media_object(source, "document"), **content}
        return self._store_bot_message(chat, content, markup=markup, reply_to=reply_to)

    async def _send_media_group(self, params: JSON) -> list[JSON]:
        chat = self._target_chat(params)
        media = params.get("media")
        if media is None:
            raise bad('parameter "media" is required')
        if not isinstance(media, list):
            raise bad("can't parse media JSON object")
        if not media:
            raise bad("there are no messages to send")
        if len(media) > 10:
            raise bad("too many messages to send as an album")
        if len(media) < 2:
            # The Bot API documents "must include 2-10 items"; Telegram quietly sends a lone
            # item as a plain message, the fake refuses so the bot uses sendPhoto instead.
            raise bad("media must include 2-10 items")
        if "reply_markup" in params:
            # Telegram ignores it silently; refusing it catches a keyboard that never shows.
            raise bad("reply_markup is not supported for media groups")
        prepared: list[tuple[str, StoredFile | UploadedFile, JSON]] = []
        for item in media:
            if not isinstance(item, dict):
                raise bad("can't parse InputMedia JSON object")
            kind = item.get("type")
            if kind not in ("photo", "video"):
                raise bad(
                    f'can\'t parse InputMedia: type "{kind}" is not supported by the fake '
                    "in sendMediaGroup (photo and video only)"
                )
            source = self._file_for(
                item.get("media"), kind, missing="can't parse InputMedia: media not found"
            )
            prepared.append((kind, source, self._caption_content(item)))
        reply_to = self._reply_to(chat, params)
        group_id = self.new_media_group_id()
        messages = []
        for kind, source, caption in prepared:
            if kind == "photo":
                content: JSON = {"photo": self._photo_sizes(source)}
            else:
                content = {"video": self._media_object(source, "video")}
            content.update(caption)
            content["media_group_id"] = group_id
            messages.append(self._store_bot_message(chat, content, reply_to=reply_to))
        return messages

    def _source_message(self, params: JSON, *, not_found: str) -> tuple[ChatState, JSON]:
        source_chat = self._resolve_chat(params.get("from_chat_id"), empty="from_chat_id is empty")
        message = source_chat.messages.get(self._message_id(params))
        if message is None:
            raise bad(not_found)
        return source_chat, message

    @staticmethod
    def _copyable(message: JSON) -> JSON:
        content: JSON = {k: copy.deepcopy(v) for k, v in message.items() if k in _CONTENT_KEYS}
        if not content:
            raise bad("message can't be copied")
        return content

    def _copy_content(self, params: JSON, message: JSON) -> JSON:
        content = self._copyable(message)
        has_media = any(k in content for k in _MEDIA_KEYS)
        if has_media and ("caption" in params or params.get("remove_caption")):
            content.pop("caption", None)
            content.pop("caption_entities", None)
            if not params.get("remove_caption"):
                content.update(self._caption_content(params))
        return content

    async def _copy_message(self, params: JSON) -> JSON:
        chat = self._target_chat(params)
        _, message = self._source_message(params, not_found="message to copy not found")
        content = self._copy_content(params, message)
        markup = self._markup(params)
        reply_to = self._reply_to(chat, params)
        copied = self._store_bot_message(chat, content, markup=markup, reply_to=reply_to)
        return {"message_id": copied["message_id"]}

    async def _copy_messages(self, params: JSON) -> list[JSON]:
        chat = self._target_chat(params)
        source_chat = self._resolve_chat(params.get("from_chat_id"), empty="from_chat_id is empty")
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not ids or len(ids) > 100:
            raise bad("message identifiers are not specified")
        if not all(isinstance(i, int) for i in ids) or ids != sorted(set(ids)):
            # "The identifiers must be specified in a strictly increasing order."
            raise bad("message identifiers must be in strictly increasing order")
        found = [source_chat.messages[i] for i in ids if i in source_chat.messages]
        if not found:
            raise bad("message to copy not found")
        contents = [self._copy_content(params, message) for message in found]
        groups: dict[str, str] = {}
        result = []
        for message, content in zip(found, contents, strict=True):
            group = message.get("media_group_id")
            if group is not None:
                # Copies of an album form a new album.
                content["media_group_id"] = groups.setdefault(group, self.new_media_group_id())
            copied = self._store_bot_message(chat, content)
            result.append({"message_id": copied["message_id"]})
        return result

    async def _forward_message(self, params: JSON) -> JSON:
        chat = self._target_chat(params)
        source_chat, message = self._source_message(
            params, not_found="message to forward not found"
        )
        content = self._copyable(message)
        origin: JSON
        if source_chat.kind == "channel":
            origin = {
                "type": "channel",
                "chat": source_chat.chat,
                "message_id": message["message_id"],
                "date": message["date"],
            }
        else:
            origin = {"type": "user", "sender_user": message["from"], "date": message["date"]}
        content["forward_origin"] = origin
        return self._store_bot_message(chat, content)

    async def _edit_message_text(self, params: JSON) -> JSON:
        message = self._editable(params)
        if "text" not in message:
            raise bad("there is no text in the message to edit")
        text, entities = self._text(params)
        markup = self._markup(params, inline_only=True)
        if (
            text == message["text"]
            and entities == message.get("entities", [])
            and markup == message.get("reply_markup")
        ):
            raise ApiError(400, NOT_MODIFIED)
        message["text"] = text
        _set_or_drop(message, "entities", entities or None)
        # Without reply_markup the inline keyboard is removed, as on Telegram.
        _set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = self.now()
        return message

    async def _edit_message_caption(self, params: JSON) -> JSON:
        message = self._editable(params)
        if not any(k in message for k in _MEDIA_KEYS):
            raise bad("there is no caption in the message to edit")
        caption, entities = self._caption(params)
        markup = self._markup(params, inline_only=True)
        if (
            caption == message.get("caption", "")
            and entities == message.get("caption_entities", [])
            and markup == message.get("reply_markup")
        ):
            raise ApiError(400, NOT_MODIFIED)
        _set_or_drop(message, "caption", caption or None)
        _set_or_drop(message, "caption_entities", (entities or None) if caption else None)
        _set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = self.now()
        return message

    async def _edit_message_reply_markup(self, params: JSON) -> JSON:
        message = self._editable(params)
        markup = self._markup(params, inline_only=True)
        if markup == message.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        _set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = self.now()
        return message

    async def _edit_message_media(self, params: JSON) -> JSON:
        message = self._editable(params)
        if not any(k in message for k in _MEDIA_KEYS):
            raise bad("there is no media in the message to edit")
        media = params.get("media")
        if not isinstance(media, dict):
            raise bad("can't parse InputMedia JSON object")
        kind = media.get("type")
        if kind not in ("photo", "video", "document"):
            raise bad(f'can\'t parse InputMedia: type "{kind}" is not supported by the fake')
        if "media_group_id" in message and kind == "document":
            raise bad("can't change media type in the album")
        source = self._file_for(
            media.get("media"), kind, missing="can't parse InputMedia: media not found"
        )
        caption = self._caption_content(media)
        markup = self._markup(params, inline_only=True)
        for key in (*_MEDIA_KEYS, "caption", "caption_entities", "has_media_spoiler"):
            message.pop(key, None)
        if kind == "photo":
            message["photo"] = self._photo_sizes(source)
        else:
            message[kind] = self._media_object(source, kind)
        message.update(caption)
        _set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = self.now()
        return message

    def _delete_one(self, chat: ChatState, message_id: int) -> None:
        message = chat.messages.get(message_id)
        if message is None:
            raise bad("message to delete not found")
        # "A message can only be deleted if it was sent less than 48 hours ago."
        if self.now() - int(message["date"]) >= DELETE_WINDOW:
            raise bad("message can't be deleted")

    async def _delete_message(self, params: JSON) -> bool:
        chat = self._resolve_chat(params.get("chat_id"))
        message_id = self._message_id(params)
        self._delete_one(chat, message_id)
        chat.deleted[message_id] = chat.messages.pop(message_id)
        return True

    async def _delete_messages(self, params: JSON) -> bool:
        chat = self._resolve_chat(params.get("chat_id"))
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad("message identifiers are not specified")
        deletable = []
        for message_id in ids:
            # "If some of the specified messages can't be found, they are skipped."
            with contextlib.suppress(ApiError):
                self._delete_one(chat, message_id)
                deletable.append(message_id)
        for message_id in deletable:
            chat.deleted[message_id] = chat.messages.pop(message_id)
        return True

    async def _answer_inline_query(self, params: JSON) -> bool:
        """https://core.telegram.org/bots/api#answerinlinequery, checked as strictly as
        Telegram: at most 50 results, unique ids of 1-64 bytes, next_offset of at most 64
        bytes, and each result's required fields."""
        query_id = params.get("inline_query_id")
        if query_id is None or query_id == "":
            raise bad('parameter "inline_query_id" is required')
        if str(query_id) not in self._open_inline_queries:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired")
        results = params.get("results")
        if isinstance(results, str):
            try:
                results = json.loads(results)
            except ValueError:
                raise bad("can't parse inline query results JSON object") from None
        if not isinstance(results, list):
            raise bad('parameter "results" is required')
        if len(results) > 50:
            raise bad("RESULTS_TOO_MUCH")
        ids: set[str] = set()
        for result in results:
            self._check_inline_result(result, ids)
        next_offset = params.get("next_offset", "")
        if not isinstance(next_offset, str) or len(next_offset.encode()) > 64:
            raise bad("NEXT_OFFSET_INVALID")
        self._open_inline_queries.discard(str(query_id))
        self.inline_answers[str(query_id)] = {
            k: v for k, v in params.items() if k != "inline_query_id"
        } | {"results": results}
        return True

    def _check_inline_result(self, result: Any, ids: set[str]) -> None:
        if not isinstance(result, dict):
            raise bad("can't parse InlineQueryResult JSON object")
        result_id = result.get("id")
        if not isinstance(result_id, str) or not 1 <= len(result_id.encode()) <= 64:
            raise bad("RESULT_ID_INVALID")
        if result_id in ids:
            raise bad("RESULT_ID_DUPLICATE")
        ids.add(result_id)
        kind = result.get("type")
        if kind == "photo":
            if result.get("photo_file_id"):
                self._file_for(result["photo_file_id"], "photo", missing="PHOTO_INVALID")
            elif not (result.get("photo_url") and result.get("thumbnail_url")):
                raise bad("PHOTO_INVALID")
            self._formatted(
                result,
                "caption",
                "caption_entities",
                limit=1024,
                too_long="Bad Request: MEDIA_CAPTION_TOO_LONG",
            )
        elif kind == "article":
            if not isinstance(result.get("title"), str) or not result["title"]:
                raise bad("RESULT_TITLE_EMPTY")
            content = result.get("input_message_content")
            if not isinstance(content, dict) or not content.get("message_text"):
                raise bad("MESSAGE_EMPTY")
            self._formatted(
                content, "message_text", "entities", limit=4096, too_long="MESSAGE_TOO_LONG"
            )
        else:
            raise bad("RESULT_TYPE_INVALID")
        markup = result.get("reply_markup")
        if markup is not None:
            rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
            if not isinstance(rows, list):
                raise bad("REPLY_MARKUP_INVALID")

    async def _answer_callback_query(self, params: JSON) -> bool:
        query_id = params.get("callback_query_id")
        if query_id is None or query_id == "":
            raise bad('parameter "callback_query_id" is required')
        if str(query_id) not in self._open_queries:
            raise ApiError(400, QUERY_TOO_OLD)
        text = params.get("text")
        if isinstance(text, str) and len(text) > 200:  # "0-200 characters"
            raise bad("MESSAGE_TOO_LONG")
        self._open_queries.discard(str(query_id))
        self.callback_answers[str(query_id)] = {
            k: v for k, v in params.items() if k != "callback_query_id"
        }
        return True

    async def _get_file(self, params: JSON) -> JSON:
        file_id = params.get("file_id")
        if file_id is None or file_id == "":
            raise bad('parameter "file_id" is required')
        if file_id in self._rejected_file_ids:
            raise ApiError(400, WRONG_FILE)
        stored = self._files.get(str(file_id))
        if stored is None:
            raise bad("invalid file_id")
        if stored.file_size > MAX_DOWNLOAD:
            raise bad("file is too big")
        if stored.file_path is None:
            folders = {"photo": ("photos", "jpg"), "voice": ("voice", "oga")}
            folders |= {"sticker": ("stickers", "webp"), "video": ("videos", "mp4")}
            folder, extension = folders.get(stored.kind, ("documents", "bin"))
            if stored.file_name and "." in stored.file_name:
                extension = stored.file_name.rsplit(".", 1)[1]
            stored.file_path = f"{folder}/file_{len(self._paths)}.{extension}"
            self._paths[stored.file_path] = stored
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    async def _get_chat(self, params: JSON) -> JSON:
        chat = self._resolve_chat(params.get("chat_id"))
        return {
            **chat.chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _bot_member(self) -> JSON:
        channel = self.channel
        status = channel.bot_status
        if status == "administrator":
            rights = dict.fromkeys(
                (
                    "can_manage_chat",
                    "can_delete_messages",
                    "can_manage_video_chats",
                    "can_restrict_members",
                    "can_promote_members",
                    "can_change_info",
                    "can_invite_users",
                    "can_post_stories",
                    "can_edit_stories",
                    "can_delete_stories",
                    "can_send_welcome_messages",
                    "can_edit_messages",
                ),
                True,
            )
            return {
                "status": "administrator",
                "user": self.bot_user,
                "can_be_edited": False,
                "is_anonymous": False,
                "can_post_messages": channel.can_post_messages,
                **rights,
            }
        return {"status": status, "user": self.bot_user}

    async def _get_chat_member(self, params: JSON) -> JSON:
        chat = self._resolve_chat(params.get("chat_id"))
        user_id = params.get("user_id")
        if not isinstance(user_id, int) or isinstance(user_id, bool):
            raise bad("user not found")
        if chat.kind == "channel":
            if user_id == self.bot_user["id"]:
                return self._bot_member()
            if self.channel.bot_status != "administrator":
                raise bad("member list is inaccessible")
            if user_id == self.channel.owner["id"]:
                return {"status": "creator", "user": self.channel.owner, "is_anonymous": False}
            person = self._people.get(user_id)
            if person is None:
                raise bad("user not found")
            return {"status": self.channel.members.get(user_id, "left"), "user": person.user}
        if user_id == chat.id:
            return {"status": "member", "user": self._people[user_id].user}
        if user_id == self.bot_user["id"]:
            return {"status": "member", "user": self.bot_user}
        raise bad("user not found")

    async def _get_chat_administrators(self, params: JSON) -> list[JSON]:
        chat = self._resolve_chat(params.get("chat_id"))
        if chat.kind == "private":
            raise bad("there are no administrators in the private chat")
        admins: list[JSON] = [
            {"status": "creator", "user": self.channel.owner, "is_anonymous": False}
        ]
        if self.channel.bot_status == "administrator":
            admins.append(self._bot_member())
        return admins


# ---------------------------------------------------------------------- module helpers


def _without_bytes(value: Any) -> Any:
    """``value`` with uploads shown as ``<N bytes>``, for readable reprs."""
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, dict):
        return {k: _without_bytes(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_bytes(v) for v in value]
    return value


def _set_or_drop(message: JSON, key: str, value: Any) -> None:
    if value is None:
        message.pop(key, None)
    else:
        message[key] = copy.deepcopy(value)


def _check_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    total = 0
    for row in rows:
        for button in row:
            total += 1
            if not isinstance(button, dict):
                raise bad(
                    "can't parse inline keyboard button: InlineKeyboardButton should be an Object"
                )
            text = button.get("text")
            if not isinstance(text, str):
                raise bad("can't parse inline keyboard button: Can't find field \"text\"")
            if not text.strip():
                raise bad("BUTTON_TEXT_EMPTY")
            actions = [key for key in button if key in _INLINE_ACTIONS]
            if not actions:
                raise bad(
                    "can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )
            if len(actions) > 1:
                # "You must use exactly one of the optional fields."
                raise bad(
                    "can't parse inline keyboard button: exactly one of the optional fields "
                    f"must be used, got {', '.join(actions)}"
                )
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
                    raise bad("BUTTON_DATA_INVALID")
            if "url" in button:
                url = button["url"]
                if not isinstance(url, str) or not re.match(
                    r"^(https?://|tg://)?[^\s/]+\.[^\s]*$|^tg://\S+$", url
                ):
                    raise bad("BUTTON_URL_INVALID")
    if total > 100:
        raise bad("reply markup is too long")


def _check_reply_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad('field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays')
    for row in rows:
        for button in row:
            text = button.get("text") if isinstance(button, dict) else button
            if not isinstance(text, str):
                raise bad("can't parse keyboard button: Can't find field \"text\"")
            if not text.strip():
                raise bad("BUTTON_TEXT_EMPTY")


def decode_params(raw: dict[str, Any]) -> JSON:
    """Turn form fields into Python values the way the Bot API reads each parameter.

    JSON parameters are decoded (left as the raw string if malformed, so the method answers
    with Telegram's parse error), integers and booleans converted, and ``attach://name``
    references replaced by the uploaded bytes.
    """
    uploads = {k: v for k, v in raw.items() if isinstance(v, bytes)}
    params: JSON = {}
    for key, value in raw.items():
        if isinstance(value, bytes):
            continue
        params[key] = _coerce(key, value)

    used: set[str] = set()

    def resolve(value: Any) -> Any:
        if isinstance(value, str) and value.startswith("attach://"):
            name = value.removeprefix("attach://")
            if name in uploads:
                used.add(name)
                return uploads[name]
        return value

    for key in list(params):
        params[key] = resolve(params[key])
    media = params.get("media")
    items = media if isinstance(media, list) else [media] if isinstance(media, dict) else []
    for item in items:
        if isinstance(item, dict):
            for key in ("media", "thumbnail", "cover"):
                if key in item:
                    item[key] = resolve(item[key])
    for name, data in uploads.items():
        if name not in used:
            params[name] = data
    return params


def _coerce(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value  # already typed (a JSON body or a webhook reply)
    if key in _JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError:
            return value
    if key in _INT_PARAMS or key in _CHAT_PARAMS:
        return int(value) if re.fullmatch(r"-?\d+", value.strip()) else value
    if key in _BOOL_PARAMS:
        lowered = value.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0", ""):
            return False
    return value


async def _read_webhook_reply(response: aiohttp.ClientResponse) -> JSON | None:
    """A method call in the webhook's answer, as JSON or (aiogram's choice) multipart."""
    content_type = response.content_type
    if content_type == "application/json":
        with contextlib.suppress(ValueError):
            body = await response.json()
            return decode_params(body) if isinstance(body, dict) else None
        return None
    if content_type == "multipart/form-data":
        raw: dict[str, Any] = {}
        reader = aiohttp.MultipartReader.from_response(response)
        while True:
            part = await reader.next()
            if part is None:
                break
            if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
                continue
            if part.filename is not None:
                raw[part.name] = UploadedFile(await part.read(), part.filename)
            else:
                raw[part.name] = await part.text()
        return decode_params(raw)
    return None

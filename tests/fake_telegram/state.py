"""The fake Bot API's state, which every part of the server (faults.py, messages.py, media.py,
updates.py, chats.py, server.py) reads and changes."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import TYPE_CHECKING, Any, cast

import aiohttp
from aiohttp import web

from .core import (
    JSON,
    Call,
    ChatState,
    Fault,
    Hold,
    LostAnswer,
    Outage,
    StoredFile,
    UploadedFile,
    _Handler,
    _QueuedUpdate,
    _Webhook,
)
from .limits import _Limits
from .people import Channel, Person

if TYPE_CHECKING:
    from .server import FakeTelegram


class FakeState:
    """What the fake holds: its chats, files, calls, updates and faults. The parts that act on
    them (faults, messages, media, updates, chats) build on it in that order, and the server
    (`server.py`) on all of them."""

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
                cast("FakeTelegram", self),
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
        self._holds: list[Hold] = []
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

        self.payments = Payments(
            cast("FakeTelegram", self)
        )  # Stars payments and pinned messages (payments.py)
        self._handlers: dict[str, tuple[str, _Handler]] = {}
        for name, handler in self._method_table().items():
            self._handlers[name.lower()] = (name, handler)

    if TYPE_CHECKING:
        # Defined by the parts built on this one (and the server), used by earlier parts.

        @property
        def channel(self) -> Channel: ...
        def now(self) -> int: ...
        def _notify(self) -> None: ...
        def _chat_key(self, value: Any) -> int | None: ...
        def same_chat(self, a: Any, b: Any) -> bool: ...
        def queue_update(self, kind: str, payload: JSON, *, chat_id: int | None = None) -> JSON: ...
        def new_media_group_id(self) -> str: ...
        def _caption_content(self, params: JSON) -> JSON: ...
        def _file_for(
            self, value: Any, kind: str, *, missing: str
        ) -> StoredFile | UploadedFile: ...
        def _begin_call(
            self, method: str, params: JSON, arrived: float, *, via_webhook_reply: bool = False
        ) -> Call: ...
        async def _execute(self, method: str, params: JSON) -> tuple[int, JSON]: ...
        def _finish_call(self, call: Call, status: int, body: JSON) -> None: ...
        def _method_table(self) -> dict[str, _Handler]: ...

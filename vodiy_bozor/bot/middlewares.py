"""Outer middlewares: who is writing (the user registry), in which language, and tracing."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.enums import ChatType
from aiogram.fsm.context import FSMContext
from aiogram.types import TelegramObject, Update
from aiogram.types import User as TgUser

from vodiy_bozor.bot.user_registry import UserRegistry
from vodiy_bozor.models import Lang
from vodiy_bozor.runtime.metrics import Metrics
from vodiy_bozor.telegram.fsm_storage import update_scope
from vodiy_bozor.texts import Texts

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

# The update being handled, for log lines (see `vodiy_bozor.runtime.logs`).
current_update_id: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "current_update_id", default=None
)


def proves_reachable(event: TelegramObject) -> bool:
    """Whether an update shows the bot can message its sender again after they blocked it: a
    message or a button press in their private chat with the bot. An inline query, a group or
    channel update, or a press under an inline-mode message can come from someone who blocked
    the bot (https://core.telegram.org/bots/api#inlinequery); a block lifted is
    `my_chat_member` back to "member", which the membership router records itself."""
    if not isinstance(event, Update):
        return False
    message = event.message or event.edited_message
    if message is None and event.callback_query is not None:
        pressed = event.callback_query.message  # also when too old to read: it has its chat
        return pressed is not None and pressed.chat.type == ChatType.PRIVATE
    return message is not None and message.chat.type == ChatType.PRIVATE


class RegistryMiddleware(BaseMiddleware):
    """Registers the person behind every update and hands handlers `lang` and `t`."""

    def __init__(self, registry: UserRegistry, texts: Texts) -> None:
        self._registry = registry
        self._texts = texts

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: TgUser | None = data.get("event_from_user")
        lang = Lang.default()
        if user is not None and not user.is_bot:
            lang = await self._registry.seen(user, reachable=proves_reachable(event))
        data["lang"] = lang
        data["t"] = self._texts.bind(lang)
        return await handler(event, data)


class InFlight(BaseMiddleware):
    """Counts updates being handled, so a shutdown can let them finish before closing.

    aiogram's polling confirms updates before their handlers finish and does not wait for them
    when it stops; this is the hook to wait on. It also labels log lines with the update id,
    and, as the outermost middleware of ours, bounds the FSM storage's memory of the rows this
    update reads and writes (`fsm_storage.update_scope`).
    """

    def __init__(self, metrics: Metrics | None = None) -> None:
        self._metrics = metrics
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self.handled = 0
        self.last_update_at = -1e9  # time.monotonic() when the latest update arrived

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        self._count += 1
        self._idle.clear()
        self.last_update_at = time.monotonic()
        token = current_update_id.set(event.update_id if isinstance(event, Update) else None)
        state = data.get("state")
        began = time.monotonic()
        try:
            key, storage = (
                (state.key, state.storage) if isinstance(state, FSMContext) else (None, None)
            )
            with update_scope(key, storage):
                return await handler(event, data)
        finally:
            if self._metrics is not None and isinstance(event, Update):
                self._metrics.update_handled(event.event_type, time.monotonic() - began)
            current_update_id.reset(token)
            self._count -= 1
            self.handled += 1
            if self._count == 0:
                self._idle.set()

    def busy(self, window: float) -> bool:
        """Whether an update is being handled or arrived in the last `window` seconds."""
        return self._count > 0 or time.monotonic() - self.last_update_at < window

    async def wait_idle(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self._idle.wait(), seconds)
        except TimeoutError:
            log.warning("%d updates still being handled at shutdown", self._count)
            return False
        return True

"""Outer middlewares: who is writing (the user registry), in which language, and tracing."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.types import TelegramObject, Update
from aiogram.types import User as TgUser

from vodiy_bozor.bot.fsm_storage import update_scope
from vodiy_bozor.db import users as db_users
from vodiy_bozor.models import Lang
from vodiy_bozor.texts import Texts

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

# The update being handled, for log lines (see `vodiy_bozor.logs`).
current_update_id: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "current_update_id", default=None
)


class UserRegistry:
    """Spec principle 1: store everyone who writes, without a database write per update.

    A user is written when first seen in this process, when their name, username or language
    changes, and otherwise at most every `refresh_after` seconds (so `last_seen` lags by at most
    that much). The cache is bounded; the oldest entries are dropped first.
    """

    def __init__(
        self, pool: asyncpg.Pool[Any], *, refresh_after: float = 300, max_entries: int = 50_000
    ) -> None:
        self._pool = pool
        self._refresh_after = refresh_after
        self._max_entries = max_entries
        # user id -> (fingerprint of the profile, chosen language, monotonic time written)
        self._seen: dict[int, tuple[int, Lang | None, float]] = {}
        self.writes = 0

    async def seen(self, user: TgUser) -> Lang:
        fingerprint = hash((user.username, user.first_name, user.last_name, user.language_code))
        now = time.monotonic()
        cached = self._seen.get(user.id)
        if (
            cached is not None
            and cached[0] == fingerprint
            and now - cached[2] < self._refresh_after
        ):
            chosen = cached[1]
        else:
            chosen, _ = await db_users.upsert_user(
                self._pool,
                user_id=user.id,
                username=user.username,
                first_name=user.first_name,
                last_name=user.last_name,
                language_code=user.language_code,
            )
            self.writes += 1
            self._remember(user.id, (fingerprint, chosen, now))
        return chosen or Lang.from_telegram(user.language_code)

    def chose(self, user_id: int, lang: Lang) -> None:
        """The user picked a language (already saved): use it from the next update on."""
        cached = self._seen.get(user_id)
        if cached is not None:
            self._seen[user_id] = (cached[0], lang, cached[2])

    def forget(self, user_id: int) -> None:
        """Make the next update of this user write through (e.g. after they were marked blocked)."""
        self._seen.pop(user_id, None)

    def _remember(self, user_id: int, entry: tuple[int, Lang | None, float]) -> None:
        self._seen.pop(user_id, None)
        self._seen[user_id] = entry  # dicts keep insertion order: the oldest come first
        if len(self._seen) > self._max_entries:
            for stale in list(self._seen)[: self._max_entries // 10]:
                del self._seen[stale]


class RegistryMiddleware(BaseMiddleware):
    """Registers the person behind every update and hands handlers `lang` and `t`."""

    def __init__(self, registry: UserRegistry, texts: Texts) -> None:
        self._registry = registry
        self._texts = texts

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: TgUser | None = data.get("event_from_user")
        lang = Lang.default()
        if user is not None and not user.is_bot:
            lang = await self._registry.seen(user)
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

    def __init__(self) -> None:
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
        try:
            with update_scope(state.key if isinstance(state, FSMContext) else None):
                return await handler(event, data)
        finally:
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

"""The user registry: everyone who writes to the bot, kept in PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import asyncpg
from aiogram.types import User as TgUser

from vodiy_bozor.db import Executor
from vodiy_bozor.db import users as db_users
from vodiy_bozor.models import Lang

log = logging.getLogger(__name__)

_Entry = tuple[int, Lang | None, float, bool]


class UserRegistry:
    """Everyone who writes to the bot is stored, without a database write per update.

    A user is written when first seen in this process, when their name, username or language
    changes, the first time an update proves they can be reached (which clears "blocked"), and
    otherwise at most every `refresh_after` seconds (so `last_seen` lags by at most that much).
    The cache is bounded; the oldest entries are dropped first.

    Only the first kinds of write are awaited on the update's path: their answer (the chosen
    language, the profile just written) is what the update needs. The periodic refresh of
    someone already known changes nothing the update uses, so it goes to a background task
    and the update is answered at once (`drain()` waits for those at shutdown).
    """

    def __init__(
        self, pool: asyncpg.Pool[Any], *, refresh_after: float = 300, max_entries: int = 50_000
    ) -> None:
        self._pool = pool
        self._refresh_after = refresh_after
        self._max_entries = max_entries
        # user id -> (fingerprint of the profile, chosen language, monotonic time written,
        # whether that write was a reachable one, i.e. cleared "blocked")
        self._seen: dict[int, _Entry] = {}
        self._refreshing: dict[int, asyncio.Task[None]] = {}
        self.writes = 0

    async def seen(self, user: TgUser, *, reachable: bool = True) -> Lang:
        """Register the user behind an update; `reachable`: the update proves the bot can
        message them (see db.users.upsert_user)."""
        fingerprint = hash((user.username, user.first_name, user.last_name, user.language_code))
        now = time.monotonic()
        cached = self._seen.get(user.id)
        if cached is not None and cached[0] == fingerprint and (cached[3] or not reachable):
            chosen = cached[1]
            if now - cached[2] >= self._refresh_after:
                self._refresh(user, reachable, (fingerprint, chosen, now, cached[3] or reachable))
        else:
            chosen = await self._write(user, reachable)
            self._remember(user.id, (fingerprint, chosen, now, reachable))
        return chosen or Lang.from_telegram(user.language_code)

    async def _write(self, user: TgUser, reachable: bool) -> Lang | None:
        """Store the user's row; the language they chose, if any."""
        chosen, _ = await db_users.upsert_user(
            self._pool,
            user_id=user.id,
            username=user.username,
            first_name=user.first_name,
            last_name=user.last_name,
            language_code=user.language_code,
            reachable=reachable,
        )
        self.writes += 1
        return chosen

    def _refresh(self, user: TgUser, reachable: bool, entry: _Entry) -> None:
        """Write a known user's `last_seen` (and profile) in the background; one at a time."""
        if user.id in self._refreshing:
            return
        self._seen[user.id] = entry  # the next updates do not start another refresh

        async def write() -> None:
            try:
                chosen = await self._write(user, reachable)
            except Exception as exc:  # noqa: BLE001 - a lagging last_seen is retried, not fatal
                log.warning("could not refresh user %d: %s", user.id, exc)
                if self._seen.get(user.id) is entry:
                    self.forget(user.id)  # the next update writes through
                return
            # Unless the entry changed meanwhile (a language chosen since), take the language
            # the row has: another instance may have saved one.
            if self._seen.get(user.id) is entry:
                self._seen[user.id] = (entry[0], chosen, entry[2], entry[3])

        task = asyncio.create_task(write())
        self._refreshing[user.id] = task
        task.add_done_callback(lambda _: self._refreshing.pop(user.id, None))

    async def drain(self) -> None:
        """Wait for the background refreshes under way (at shutdown, before the pool closes)."""
        while self._refreshing:
            await asyncio.gather(*self._refreshing.values(), return_exceptions=True)

    async def choose_language(self, user_id: int, lang: Lang) -> None:
        """The user picked a language: saved, and used from the next update on."""
        await db_users.set_lang(self._pool, user_id, lang)
        cached = self._seen.get(user_id)
        if cached is not None:
            self._seen[user_id] = (cached[0], lang, cached[2], cached[3])

    async def set_blocked(self, user_id: int, blocked: bool, db: Executor | None = None) -> None:
        """The user blocked (or unblocked) the bot; `db` is the caller's transaction, if any."""
        await db_users.set_blocked(db or self._pool, user_id, blocked)
        self.forget(user_id)

    def forget(self, user_id: int) -> None:
        """Make the next update of this user write through (e.g. after they were marked blocked)."""
        self._seen.pop(user_id, None)

    def _remember(self, user_id: int, entry: _Entry) -> None:
        self._seen.pop(user_id, None)
        self._seen[user_id] = entry  # dicts keep insertion order: the oldest come first
        if len(self._seen) > self._max_entries:
            for stale in list(self._seen)[: self._max_entries // 10]:
                del self._seen[stale]

"""aiogram FSM storage in PostgreSQL: aiogram ships Memory, Redis and Mongo storages only.

Conversation state and answers live in `fsm_states`, so a seller's draft survives restarts
and is shared by several bot processes. The SQL is in `vodiy_bozor.db.fsm`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import asyncpg
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from vodiy_bozor.db import fsm


def _key(key: StorageKey) -> fsm.StateKey:
    return fsm.StateKey(key.bot_id, key.chat_id, key.user_id, key.thread_id or 0, key.destiny)


class PostgresStorage(BaseStorage):
    def __init__(self, pool: asyncpg.Pool[Any]) -> None:
        self._pool = pool

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await fsm.set_state(self._pool, _key(key), value)

    async def get_state(self, key: StorageKey) -> str | None:
        return await fsm.get_state(self._pool, _key(key))

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await fsm.set_data(self._pool, _key(key), data)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return await fsm.get_data(self._pool, _key(key))

    async def update_data(self, key: StorageKey, data: Mapping[str, Any]) -> dict[str, Any]:
        # One atomic merge instead of the base class's read-modify-write, which loses keys
        # when two updates of one user (the photos of an album) are handled at once.
        return await fsm.update_data(self._pool, _key(key), data)

    async def close(self) -> None:
        """The pool belongs to the application, which closes it."""

    async def append_unique(
        self, key: StorageKey, field: str, item: dict[str, Any], *, unique_by: str, limit: int
    ) -> int | None:
        """Atomically append to a list in the data; see `vodiy_bozor.db.fsm.append_unique`."""
        return await fsm.append_unique(
            self._pool, _key(key), field, item, unique_by=unique_by, limit=limit
        )

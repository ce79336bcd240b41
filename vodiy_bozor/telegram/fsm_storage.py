"""aiogram FSM storage in PostgreSQL: aiogram ships Memory, Redis and Mongo storages only.

Conversation state and answers live in `fsm_states`, so a seller's draft survives restarts
and is shared by several bot processes. The SQL is in `vodiy_bozor.db.fsm`.

While one update is handled (`update_scope`, entered by the outermost middleware), the rows it
reads and writes are remembered, so a handler's `get_state`/`get_data` after aiogram's own
read, or after its own write, costs no statement, and a write that changes nothing is not
sent. A dialog step used to take five statements (state, data, write, state, data); now it
takes the reads it needs once and the writes that change something. The memory lives exactly
as long as the update: aiogram's event isolation already serialises one user's updates in
this process, and across processes nothing changes (no read ever spanned two statements).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

import asyncpg
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from vodiy_bozor.db import fsm


@dataclass(slots=True)
class _Row:
    state: str | None
    data: dict[str, Any]  # as the database returns it (JSON-shaped)


# The rows of the update being handled; None outside `update_scope` (nothing is remembered).
_rows: ContextVar[dict[StorageKey, _Row] | None] = ContextVar("fsm_rows", default=None)
# The row read last outside a scope. aiogram's FSM middleware reads the update's state just
# before our outer middlewares run (so before `update_scope` starts); the scope adopts that
# read instead of repeating it.
_last_read: ContextVar[tuple[StorageKey, _Row] | None] = ContextVar("fsm_last_read", default=None)


@contextlib.contextmanager
def update_scope(key: StorageKey | None) -> Iterator[None]:
    """Remember FSM rows for the duration of one update; `key` is the update's FSM key."""
    rows: dict[StorageKey, _Row] = {}
    last = _last_read.get()
    if key is not None and last is not None and last[0] == key:
        rows[key] = last[1]
    _last_read.set(None)
    token = _rows.set(rows)
    try:
        yield
    finally:
        _rows.reset(token)


def _json_shaped(data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` as it will come back from the jsonb column (tuples become lists, and so on)."""
    value: dict[str, Any] = json.loads(json.dumps(dict(data), ensure_ascii=False))
    return value


def _key(key: StorageKey) -> fsm.StateKey:
    return fsm.StateKey(key.bot_id, key.chat_id, key.user_id, key.thread_id or 0, key.destiny)


class PostgresStorage(BaseStorage):
    def __init__(self, pool: asyncpg.Pool[Any]) -> None:
        self._pool = pool

    async def _row(self, key: StorageKey) -> _Row:
        rows = _rows.get()
        if rows is not None and key in rows:
            return rows[key]
        state, data = await fsm.get_row(self._pool, _key(key))
        row = _Row(state, data)
        if rows is not None:
            rows[key] = row
        else:
            _last_read.set((key, row))
        return row

    @staticmethod
    def _cached(key: StorageKey) -> _Row | None:
        """The remembered row, if this update has one; outside a scope, forget the last read
        (the write below makes it stale)."""
        rows = _rows.get()
        if rows is None:
            _last_read.set(None)
            return None
        return rows.get(key)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        row = self._cached(key)
        if row is not None and row.state == value:
            return  # nothing changes: no write
        await fsm.set_state(self._pool, _key(key), value)
        if row is not None:
            row.state = value

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._row(key)).state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        row = self._cached(key)
        shaped = _json_shaped(data)
        if row is not None and row.data == shaped:
            return
        await fsm.set_data(self._pool, _key(key), data)
        if row is not None:
            row.data = shaped

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        # A copy: the caller may change it without changing what is remembered.
        return dict((await self._row(key)).data)

    async def update_data(self, key: StorageKey, data: Mapping[str, Any]) -> dict[str, Any]:
        # One atomic merge instead of the base class's read-modify-write, which loses keys
        # when two updates of one user (the photos of an album) are handled at once.
        row = self._cached(key)
        if row is not None:
            shaped = _json_shaped(data)
            if all(k in row.data and row.data[k] == v for k, v in shaped.items()):
                return dict(row.data)  # every value is already there: no write
        merged = await fsm.update_data(self._pool, _key(key), data)
        if row is not None:
            row.data = merged
        return dict(merged)

    async def drop_marked(
        self, key: StorageKey, destinies: Sequence[str], marker: str, keys: Sequence[str]
    ) -> None:
        """Remove `keys` from the data of `key`'s rows in these destinies that hold a non-null
        `marker` (bot/awaited.py: ending every question awaiting an answer), in one statement."""
        for destiny in destinies:
            other = replace(key, destiny=destiny)
            rows = _rows.get()
            if rows is not None:
                rows.pop(other, None)  # re-read after the change if this update asks
        _last_read.set(None)
        await fsm.drop_marked(self._pool, _key(key), destinies, marker, keys)

    async def move(
        self,
        key: StorageKey,
        state: StateType,
        data: Mapping[str, Any] | None = None,
        *,
        replace: bool = False,
    ) -> None:
        """`set_state` and `update_data` (or `set_data` with `replace`) in one write; nothing
        is written when this update already saw the same state and values."""
        value = state.state if isinstance(state, State) else state
        patch = dict(data or {})
        row = self._cached(key)
        if row is not None and row.state == value:
            shaped = _json_shaped(patch)
            if (replace and row.data == shaped) or (
                not replace and all(k in row.data and row.data[k] == v for k, v in shaped.items())
            ):
                return
        merged = await fsm.move(self._pool, _key(key), value, patch, replace=replace)
        if row is not None:
            row.state = value
            row.data = merged
        else:
            rows = _rows.get()
            if rows is not None:
                rows[key] = _Row(value, merged)

    async def clear(self, key: StorageKey) -> None:
        """What `FSMContext.clear()` does (no state, no data), as one DELETE."""
        row = self._cached(key)
        await fsm.delete(self._pool, _key(key))
        if row is not None:
            row.state = None
            row.data = {}

    def key_of(self, key: StorageKey) -> fsm.StateKey:
        return _key(key)

    def forget(self, key: StorageKey) -> None:
        """The row was deleted by someone else's statement (in a transaction of the
        lifecycle): what this update remembers of it is gone too."""
        row = self._cached(key)
        if row is not None:
            row.state = None
            row.data = {}

    async def close(self) -> None:
        """The pool belongs to the application, which closes it."""

    async def append_unique(
        self,
        key: StorageKey,
        field: str,
        item: dict[str, Any],
        *,
        unique_by: str,
        limit: int,
        restart_flag: str | None = None,
    ) -> int | None:
        """Atomically append to a list in the data; see `vodiy_bozor.db.fsm.append_unique`."""
        row = self._cached(key)
        count, data = await fsm.append_unique_data(
            self._pool,
            _key(key),
            field,
            item,
            unique_by=unique_by,
            limit=limit,
            restart_flag=restart_flag,
        )
        rows = _rows.get()
        if row is not None and data is not None:
            row.data = data  # the statement returned the data as it is now
        elif rows is not None:
            rows.pop(key, None)  # unknown after a refused append: read it again when asked
        return count

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

The first read reads the user's rows in every destiny at once (one range scan of the primary
key), so the side questions' rows (bot/awaited.py) come with the main one: a question's filter
reads nothing more, and a menu button or command drops open questions only when this update
saw one (`drop_marked`), instead of one statement per escape. A question asked by another
process between that read and the escape survives it, as it would have if asked just after
the old unconditional drop: one user's concurrent updates in two processes have no order.

With `remember` (polling: the one process that takes updates, since Telegram answers a second
`getUpdates` consumer with 409 Conflict, https://core.telegram.org/bots/api#getupdates), what
an update ends knowing of a user's rows is kept for that user's next update, so a dialog step
reads nothing: every write to `fsm_states` goes through this storage (or is followed by
`forget`), and each write updates what is kept. What is not certain is dropped, never kept: a
write that fails, an update that ends in an error, a change whose result the statement does not
return, and everything once `stop_remembering` is called (the session sees a 409: a second
consumer exists). Webhook instances share the table and keep nothing across updates.
"""

from __future__ import annotations

import contextlib
import json
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

import asyncpg
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import DEFAULT_DESTINY, BaseStorage, StateType, StorageKey

from vodiy_bozor.db import fsm


@dataclass(slots=True)
class _Row:
    state: str | None
    data: dict[str, Any]  # as the database returns it (JSON-shaped)


def _base(key: StorageKey) -> StorageKey:
    """The key of `key`'s user, chat and thread in the default destiny: what its rows in
    every destiny share."""
    return key if key.destiny == DEFAULT_DESTINY else replace(key, destiny=DEFAULT_DESTINY)


@dataclass(slots=True)
class _Known:
    """What one update knows of the FSM rows: `rows` by key, and the users (`_base` keys)
    whose rows were all read at once, so a destiny of theirs with no row in `rows` has none."""

    rows: dict[StorageKey, _Row] = field(default_factory=dict)
    whole: set[StorageKey] = field(default_factory=set)
    # Users whose rows changed in a way not known here: what was kept of them is stale.
    stale: set[StorageKey] = field(default_factory=set)

    def get(self, key: StorageKey) -> _Row | None:
        row = self.rows.get(key)
        if row is None and _base(key) in self.whole:
            row = self.rows[key] = _Row(None, {})  # known to have no row
        return row

    def adopt(self, base: StorageKey, rows: dict[StorageKey, _Row]) -> None:
        self.rows.update(rows)
        self.whole.add(base)

    def forget(self, key: StorageKey) -> None:
        """Unknown again (changed by a statement whose outcome is not kept): read when asked."""
        self.rows.pop(key, None)
        self.whole.discard(_base(key))
        self.stale.add(_base(key))

    def of(self, base: StorageKey) -> dict[StorageKey, _Row]:
        """The rows known of a user read whole: what to keep for their next update."""
        return {key: row for key, row in self.rows.items() if _base(key) == base}


class _Kept:
    """The rows of recent users, kept across updates (`remember`): least recently used first,
    at most `limit` users (a user with no row costs a few hundred bytes; a draft a few KB)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.users: OrderedDict[StorageKey, dict[StorageKey, _Row]] = OrderedDict()

    def get(self, base: StorageKey) -> dict[StorageKey, _Row] | None:
        rows = self.users.get(base)
        if rows is not None:
            self.users.move_to_end(base)
            # Copies: an update's writes reach what is kept only when it ends well.
            return {key: _Row(row.state, row.data) for key, row in rows.items()}
        return None

    def keep(self, base: StorageKey, rows: dict[StorageKey, _Row]) -> None:
        # Copies: a task the update started carries its context, and so its rows, past its end.
        self.users[base] = {key: _Row(row.state, row.data) for key, row in rows.items()}
        self.users.move_to_end(base)
        while len(self.users) > self.limit:
            self.users.popitem(last=False)

    def drop(self, base: StorageKey) -> None:
        self.users.pop(base, None)


# What the update being handled knows; None outside `update_scope` (nothing is remembered).
_known: ContextVar[_Known | None] = ContextVar("fsm_known", default=None)
# The rows read last outside a scope. aiogram's FSM middleware reads the update's state just
# before our outer middlewares run (so before `update_scope` starts); the scope adopts that
# read instead of repeating it.
_last_read: ContextVar[tuple[StorageKey, dict[StorageKey, _Row]] | None] = ContextVar(
    "fsm_last_read", default=None
)


@contextlib.contextmanager
def update_scope(key: StorageKey | None, storage: BaseStorage | None = None) -> Iterator[None]:
    """Remember FSM rows for the duration of one update; `key` is the update's FSM key. With a
    `storage` that keeps rows across updates, what the update ends knowing is kept (all of it
    dropped if the update fails)."""
    known = _Known()
    last = _last_read.get()
    if key is not None and last is not None and _base(last[0]) == _base(key):
        known.adopt(_base(key), last[1])
    _last_read.set(None)
    token = _known.set(known)
    kept = storage._kept if isinstance(storage, PostgresStorage) else None
    try:
        yield
    except BaseException:
        if kept is not None:
            for base in known.whole | known.stale:
                kept.drop(base)
        raise
    else:
        if kept is not None:
            for base in known.stale - known.whole:
                kept.drop(base)
            for base in known.whole:
                kept.keep(base, known.of(base))
    finally:
        _known.reset(token)


def _json_shaped(data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` as it will come back from the jsonb column (tuples become lists, and so on)."""
    value: dict[str, Any] = json.loads(json.dumps(dict(data), ensure_ascii=False))
    return value


def _key(key: StorageKey) -> fsm.StateKey:
    return fsm.StateKey(key.bot_id, key.chat_id, key.user_id, key.thread_id or 0, key.destiny)


class PostgresStorage(BaseStorage):
    def __init__(self, pool: asyncpg.Pool[Any], *, remember: int = 0) -> None:
        """`remember`: how many users' rows to keep across updates (0: none; see the module's
        docstring for when that is safe)."""
        self._pool = pool
        self._kept = _Kept(remember) if remember > 0 else None

    def stop_remembering(self) -> None:
        """Another process takes this bot's updates too: keep nothing from now on."""
        self._kept = None  # an update in flight keeps into the old one, which nobody reads

    async def _row(self, key: StorageKey) -> _Row:
        known = _known.get()
        row = known.get(key) if known is not None else None
        if row is not None:
            return row
        kept = self._kept.get(_base(key)) if self._kept is not None else None
        if kept is not None:
            rows = kept
        else:
            # Every destiny of the user at once: the side questions' rows come with the main one.
            found = await fsm.get_rows(self._pool, _key(key))
            rows = {
                replace(key, destiny=destiny): _Row(state, data)
                for destiny, (state, data) in found.items()
            }
        row = rows.setdefault(key, _Row(None, {}))
        if known is not None:
            known.adopt(_base(key), rows)
        else:
            _last_read.set((key, rows))
        return row

    def _cached(self, key: StorageKey) -> _Row | None:
        """The remembered row, if this update has one, before a write to it. Without one, what
        is remembered of the user may not survive the write: outside a scope, the last read and
        what is kept are dropped; inside, the user is marked stale (nothing kept at its end)."""
        known = _known.get()
        if known is None:
            _last_read.set(None)
            if self._kept is not None:
                self._kept.drop(_base(key))
            return None
        row = known.get(key)
        if row is None:
            known.stale.add(_base(key))
        return row

    def _lost(self, key: StorageKey) -> None:
        """A write failed: whether it reached the table is unknown, so nothing of the user is
        remembered (even if the caller carries on)."""
        known = _known.get()
        if known is not None:
            known.forget(key)
        if self._kept is not None:
            self._kept.drop(_base(key))

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        row = self._cached(key)
        if row is not None and row.state == value:
            return  # nothing changes: no write
        try:
            await fsm.set_state(self._pool, _key(key), value)
        except BaseException:
            self._lost(key)
            raise
        if row is not None:
            row.state = value

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._row(key)).state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        row = self._cached(key)
        shaped = _json_shaped(data)
        if row is not None and row.data == shaped:
            return
        try:
            await fsm.set_data(self._pool, _key(key), data)
        except BaseException:
            self._lost(key)
            raise
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
        try:
            merged = await fsm.update_data(self._pool, _key(key), data)
        except BaseException:
            self._lost(key)
            raise
        if row is not None:
            row.data = merged
        return dict(merged)

    async def drop_marked(
        self, key: StorageKey, destinies: Sequence[str], marker: str, keys: Sequence[str]
    ) -> None:
        """Remove `keys` from the data of `key`'s rows in these destinies that hold a non-null
        `marker` (bot/awaited.py: ending every question awaiting an answer), in one statement;
        none when this update read the user's rows and none of them holds the marker (nearly
        every time: a side question is rarely open when a menu button is pressed)."""
        others = [replace(key, destiny=destiny) for destiny in destinies]
        known = _known.get()
        if known is not None and _base(key) in known.whole:
            rows = (known.get(other) for other in others)
            if not any(row is not None and row.data.get(marker) is not None for row in rows):
                return
        for other in others:
            if known is not None:
                known.forget(other)  # re-read after the change if this update asks
        if known is None and self._kept is not None:
            self._kept.drop(_base(key))
        _last_read.set(None)
        try:
            await fsm.drop_marked(self._pool, _key(key), destinies, marker, keys)
        except BaseException:
            self._lost(key)
            raise

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
        try:
            merged = await fsm.move(self._pool, _key(key), value, patch, replace=replace)
        except BaseException:
            self._lost(key)
            raise
        if row is not None:
            row.state = value
            row.data = merged
        else:
            known = _known.get()
            if known is not None:
                known.rows[key] = _Row(value, merged)

    async def clear(self, key: StorageKey) -> None:
        """What `FSMContext.clear()` does (no state, no data), as one DELETE."""
        row = self._cached(key)
        try:
            await fsm.delete(self._pool, _key(key))
        except BaseException:
            self._lost(key)
            raise
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
        try:
            count, data = await fsm.append_unique_data(
                self._pool,
                _key(key),
                field,
                item,
                unique_by=unique_by,
                limit=limit,
                restart_flag=restart_flag,
            )
        except BaseException:
            self._lost(key)
            raise
        known = _known.get()
        if row is not None and data is not None:
            row.data = data  # the statement returned the data as it is now
        elif known is not None:
            known.forget(key)  # unknown after a refused append: read it again when asked
        return count

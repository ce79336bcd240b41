"""Conversation state rows (the SQL behind the bot's FSM storage)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal, NamedTuple

import asyncpg

from vodiy_bozor.db import Executor


class StateKey(NamedTuple):
    bot_id: int
    chat_id: int
    user_id: int
    thread_id: int
    destiny: str


_WHERE = "bot_id = $1 AND chat_id = $2 AND user_id = $3 AND thread_id = $4 AND destiny = $5"


async def get_rows(
    db: asyncpg.Pool[Any], key: StateKey
) -> dict[str, tuple[str | None, dict[str, Any]]]:
    """State and data of every destiny of `key`'s user, chat and thread, by destiny: one
    range scan of the primary key's prefix, as cheap as a lookup of one row when the user has
    one (nearly always), and it tells what the other destinies (the side questions,
    bot/awaited.py) hold without asking again. A handler that asks for the state nearly always
    asks for the data next (and aiogram reads the state of every update): both come at once."""
    rows = await db.fetch(
        """
        SELECT destiny, state, data FROM fsm_states
         WHERE bot_id = $1 AND chat_id = $2 AND user_id = $3 AND thread_id = $4
        """,
        key.bot_id,
        key.chat_id,
        key.user_id,
        key.thread_id,
    )
    return {r["destiny"]: (r["state"], dict(r["data"]) if r["data"] else {}) for r in rows}


async def get_state(db: asyncpg.Pool[Any], key: StateKey) -> str | None:
    value: str | None = await db.fetchval(f"SELECT state FROM fsm_states WHERE {_WHERE}", *key)  # noqa: S608
    return value


async def get_data(db: asyncpg.Pool[Any], key: StateKey) -> dict[str, Any]:
    value = await db.fetchval(f"SELECT data FROM fsm_states WHERE {_WHERE}", *key)  # noqa: S608
    return dict(value) if value else {}


async def set_state(db: asyncpg.Pool[Any], key: StateKey, state: str | None) -> None:
    await _set(db, key, "state", state)


async def set_data(db: asyncpg.Pool[Any], key: StateKey, data: Mapping[str, Any]) -> None:
    await _set(db, key, "data", dict(data) if data else None)


# A row's two halves: (its other half being empty, this half's empty value). A row whose
# state and data are both empty is deleted, not kept.
_HALVES: Final = {
    "state": ("data = '{}'::jsonb", "NULL"),
    "data": ("state IS NULL", "'{}'::jsonb"),
}


async def _set(
    db: asyncpg.Pool[Any], key: StateKey, column: Literal["state", "data"], value: object
) -> None:
    other_empty, empty = _HALVES[column]
    if value is None:
        # Emptying one half: drop the row unless the other half holds something. One
        # statement: the UPDATE runs only when the DELETE removed nothing, so no row is
        # modified twice.
        await db.execute(
            f"""
            WITH gone AS (
                DELETE FROM fsm_states WHERE {_WHERE} AND {other_empty} RETURNING 1
            )
            UPDATE fsm_states SET {column} = {empty}, updated_at = now()
             WHERE {_WHERE} AND NOT EXISTS (SELECT 1 FROM gone)
            """,  # noqa: S608 - fixed column names and fragments, values are parameters
            *key,
        )
        return
    await db.execute(
        f"""
        INSERT INTO fsm_states (bot_id, chat_id, user_id, thread_id, destiny, {column})
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (bot_id, chat_id, user_id, thread_id, destiny)
        DO UPDATE SET {column} = EXCLUDED.{column}, updated_at = now()
        """,  # noqa: S608 - a fixed column name, values are parameters
        *key,
        value,
    )


async def update_data(
    db: asyncpg.Pool[Any], key: StateKey, patch: Mapping[str, Any]
) -> dict[str, Any]:
    """Merge `patch` into the data in one statement, so concurrent updates never lose a key."""
    value = await db.fetchval(
        """
        INSERT INTO fsm_states (bot_id, chat_id, user_id, thread_id, destiny, data)
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (bot_id, chat_id, user_id, thread_id, destiny)
        DO UPDATE SET data = fsm_states.data || EXCLUDED.data, updated_at = now()
        RETURNING data
        """,
        *key,
        dict(patch),
    )
    return dict(value)


async def move(
    db: asyncpg.Pool[Any],
    key: StateKey,
    state: str | None,
    data: Mapping[str, Any],
    *,
    replace: bool = False,
) -> dict[str, Any]:
    """Set the state and merge `data` into the data (or replace it), in one statement: a
    dialog step that saves an answer and moves on writes once. Returns the data."""
    value = await db.fetchval(
        """
        INSERT INTO fsm_states (bot_id, chat_id, user_id, thread_id, destiny, state, data)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (bot_id, chat_id, user_id, thread_id, destiny)
        DO UPDATE SET state = EXCLUDED.state,
                      data = CASE WHEN $8 THEN EXCLUDED.data
                                  ELSE fsm_states.data || EXCLUDED.data END,
                      updated_at = now()
        RETURNING data
        """,
        *key,
        state,
        dict(data),
        replace,
    )
    return dict(value)


async def take(db: Executor, key: StateKey, state: str, *, lock_user: int | None = None) -> bool:
    """Delete the conversation if it is in `state`; whether it was. Run in the transaction
    that uses what the conversation held, so it is used once (a double tap, or an update
    delivered twice, finds nothing to take).

    `lock_user`: first lock that user's row until the transaction ends (`users.lock_user`, in
    the same statement: the one-time filter's InitPlan runs before the DELETE scans). A check
    that must see every commit made under that lock runs in the *next* statement: in READ
    COMMITTED a statement reads the snapshot taken when it began, before it waited for the
    lock, so the waiting statement itself cannot see what the lock holder committed.
    https://www.postgresql.org/docs/current/transaction-iso.html#XACT-READ-COMMITTED"""
    if lock_user is None:
        row = await db.fetchrow(
            f"DELETE FROM fsm_states WHERE {_WHERE} AND state = $6 RETURNING 1",  # noqa: S608
            *key,
            state,
        )
        return row is not None
    row = await db.fetchrow(
        f"""
        WITH locked AS (SELECT 1 FROM users WHERE id = $7 FOR UPDATE)
        DELETE FROM fsm_states
         WHERE {_WHERE} AND state = $6 AND (SELECT count(*) FROM locked) >= 0
        RETURNING 1
        """,  # noqa: S608
        *key,
        state,
        lock_user,
    )
    return row is not None


async def drop_marked(
    db: asyncpg.Pool[Any], key: StateKey, destinies: Sequence[str], marker: str, keys: Sequence[str]
) -> None:
    """In the rows of `key`'s user and chat for these destinies whose data has a non-null
    `marker`, remove `keys` from the data; a row left with no state and no data goes. One
    round trip, and an index lookup that changes nothing when no row is marked. The DELETE and
    the UPDATE match disjoint rows (a statement must not change a row twice)."""
    await db.execute(
        """
        WITH gone AS (
            DELETE FROM fsm_states
             WHERE bot_id = $1 AND chat_id = $2 AND user_id = $3 AND thread_id = $4
               AND destiny = ANY($5::text[]) AND data ->> $6 IS NOT NULL
               AND state IS NULL AND data - $7::text[] = '{}'::jsonb
        )
        UPDATE fsm_states SET data = data - $7::text[], updated_at = now()
         WHERE bot_id = $1 AND chat_id = $2 AND user_id = $3 AND thread_id = $4
           AND destiny = ANY($5::text[]) AND data ->> $6 IS NOT NULL
           AND NOT (state IS NULL AND data - $7::text[] = '{}'::jsonb)
        """,
        key.bot_id,
        key.chat_id,
        key.user_id,
        key.thread_id,
        list(destinies),
        marker,
        list(keys),
    )


async def delete(db: asyncpg.Pool[Any], key: StateKey) -> None:
    """Forget the conversation (state and data): aiogram's `clear()` in one statement."""
    await db.execute(f"DELETE FROM fsm_states WHERE {_WHERE}", *key)  # noqa: S608


async def append_unique(
    db: asyncpg.Pool[Any],
    key: StateKey,
    field: str,
    item: Mapping[str, Any],
    *,
    unique_by: str,
    limit: int,
    restart_flag: str | None = None,
) -> int | None:
    """Append `item` to the list `data[field]` unless an item with the same `unique_by` value
    is there already; return the list's new length, or None when it is full. When the data's
    boolean `restart_flag` is true, the list is replaced by `[item]` and the flag cleared.

    One UPDATE statement: concurrent appends (the photos of an album, possibly handled by
    several processes) serialise on the row lock and re-check the condition, so none is lost,
    duplicated or over the limit, and a restart happens once, by the first photo.
    """
    count, _ = await append_unique_data(
        db, key, field, item, unique_by=unique_by, limit=limit, restart_flag=restart_flag
    )
    return count


async def append_unique_data(
    db: asyncpg.Pool[Any],
    key: StateKey,
    field: str,
    item: Mapping[str, Any],
    *,
    unique_by: str,
    limit: int,
    restart_flag: str | None = None,
) -> tuple[int | None, dict[str, Any] | None]:
    """`append_unique`, also returning the whole data after an append (None when nothing
    was appended), so the caller need not read it again."""
    row = await db.fetchrow(
        f"""
        UPDATE fsm_states
           SET data = CASE
                   WHEN coalesce((data ->> $10::text)::boolean, false)
                   THEN jsonb_set(data, ARRAY[$6::text], jsonb_build_array($7::jsonb))
                        || jsonb_build_object($10::text, false)
                   ELSE jsonb_set(data, ARRAY[$6::text],
                                  coalesce(data -> $6::text, '[]'::jsonb) || $7::jsonb)
               END,
               updated_at = now()
         WHERE {_WHERE}
           AND (coalesce((data ->> $10::text)::boolean, false)
                OR (jsonb_array_length(coalesce(data -> $6::text, '[]'::jsonb)) < $8::int
                    AND NOT coalesce(data -> $6::text, '[]'::jsonb)
                        @> jsonb_build_array(jsonb_build_object($9::text, $7::jsonb -> $9::text))))
        RETURNING jsonb_array_length(data -> $6::text) AS n, data
        """,  # noqa: S608
        *key,
        field,
        dict(item),
        limit,
        unique_by,
        restart_flag,
    )
    if row is not None:
        return int(row["n"]), dict(row["data"])
    # Nothing appended: a duplicate (report the current length) or the list is full.
    items = await db.fetchval(
        f"SELECT coalesce(data -> $6::text, '[]'::jsonb) FROM fsm_states WHERE {_WHERE}",  # noqa: S608
        *key,
        field,
    )
    current = list(items or [])
    if any(existing.get(unique_by) == item.get(unique_by) for existing in current):
        return len(current), None
    return None, None

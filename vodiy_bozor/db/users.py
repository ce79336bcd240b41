"""The user registry: everyone who writes to the bot."""

from __future__ import annotations

import asyncpg

from vodiy_bozor.db import Conn, Executor
from vodiy_bozor.models import Lang, User


async def upsert_user(
    db: Executor,
    *,
    user_id: int,
    username: str | None,
    first_name: str,
    last_name: str | None,
    language_code: str | None,
    reachable: bool = True,
) -> tuple[Lang | None, bool]:
    """Insert or refresh a user; return (their chosen language, whether the row is new).

    `reachable`: the update proves the bot can message them (they wrote or pressed in their
    private chat with it), so a "blocked" mark is cleared. Other updates (an inline query, a
    group message) come from people who may have blocked the bot and leave the mark alone.
    """
    row = await db.fetchrow(
        """
        INSERT INTO users AS u (id, username, first_name, last_name, language_code)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (id) DO UPDATE
           SET username = EXCLUDED.username,
               first_name = EXCLUDED.first_name,
               last_name = EXCLUDED.last_name,
               language_code = EXCLUDED.language_code,
               last_seen = now(),
               blocked = u.blocked AND NOT $6,
               blocked_at = CASE WHEN $6 THEN NULL ELSE u.blocked_at END
        RETURNING lang, (xmax = 0) AS inserted
        """,
        user_id,
        username,
        first_name,
        last_name,
        language_code,
        reachable,
    )
    assert row is not None
    return (Lang(row["lang"]) if row["lang"] else None), bool(row["inserted"])


async def set_lang(db: Executor, user_id: int, lang: Lang) -> None:
    await db.execute("UPDATE users SET lang = $2 WHERE id = $1", user_id, lang.value)


async def set_blocked(db: Executor, user_id: int, blocked: bool) -> None:
    await db.execute(
        """
        UPDATE users SET blocked = $2, blocked_at = CASE WHEN $2 THEN now() END
         WHERE id = $1 AND blocked IS DISTINCT FROM $2
        """,
        user_id,
        blocked,
    )


async def get_user(db: Executor, user_id: int) -> User | None:
    row = await db.fetchrow("SELECT * FROM users WHERE id = $1", user_id)
    return _user(row) if row else None


def _user(row: asyncpg.Record) -> User:
    lang = Lang(row["lang"]) if row["lang"] else Lang.from_telegram(row["language_code"])
    return User(
        id=row["id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        username=row["username"],
        lang=lang,
        blocked=row["blocked"],
        first_seen=row["first_seen"],
        last_seen=row["last_seen"],
    )


async def lock_user(conn: Conn, user_id: int) -> None:
    """Lock the user's row until the transaction ends: two submits of one seller (a double
    tap) run one after the other, so the limits cannot both pass."""
    await conn.execute("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", user_id)

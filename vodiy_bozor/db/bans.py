"""Whether a seller is banned now, as one SQL condition every query that exposes ads shares.

A ban means no new exposure of the seller's ads: no search, inline or ad-page result, no
repost, no first post, no notice or digest line (channel posts already out stay as they are).
Each of those queries adds `seller_not_banned(<the ad's owner_id column>)`; the bans themselves
(who, why, lifted) are written here too, each with its line in `db.admin_actions`.

Cheap at a million ads: active bans are a handful of rows behind the partial unique index
`bans_active_idx (user_id) WHERE lifted_at IS NULL` (migration 0007), so the planner answers the
NOT IN with a hashed subplan of those few rows, and the search's plans over the ads (newest
first, GIN) stay the same.

A ban and a channel post of the seller's ad serialise on the seller's `users` row: `ban` and
`unban` lock it FOR UPDATE before they write, and the outbox's transaction that sends and
records a channel post (`delivery/courier.py`) takes it FOR KEY SHARE (`hold_seller`) before it
checks the ban. FOR KEY SHARE conflicts with FOR UPDATE and with nothing weaker, so the post
waits only for a ban or an unban, never for the row's ordinary updates (`last_seen`, the
`live_ads` trigger of a "sold"). FOR SHARE would wait for those, and deadlock with the "sold" of
the ad being reposted: it locks the ad, then its trigger updates this row, while the repost
holds this row and then locks the ad to record the post. So either the ban commits first and
the courier's next statement sees it (the post is held, and `/unban` queues it again), or the
ban waits until the post is out and recorded, its buyers' notices queued. Lock order: the
`users` row, then `ads`. (The seller's own submit locks the row FOR UPDATE too,
`users.lock_user`: it may wait for one channel send of theirs.)
https://www.postgresql.org/docs/current/explicit-locking.html#ROW-LOCK-COMPATIBILITY
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from vodiy_bozor.db import Conn, Executor
from vodiy_bozor.db.admin_actions import record_action


@dataclass(frozen=True, slots=True)
class Ban:
    user_id: int
    reason: str
    banned_by: int
    at: datetime


_COLUMN = re.compile(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?")


def seller_not_banned(owner_id: str) -> str:
    """The SQL condition "the seller `owner_id` (a column, e.g. `a.owner_id`) is not banned
    now", to AND into a WHERE clause.

    Written as NOT IN over the few bans in force, so PostgreSQL reads them once per statement
    into a hashed subplan and each ad costs a hash probe: a page found by walking thousands of
    the newest ads would otherwise probe the bans index once per ad (measured in the catalogue's
    benchmark: list p95 141 ms with a probe per ad, 52 ms with the hashed subplan, at 1,000,000
    ads). `user_id` is NOT NULL, so NOT IN has no NULL surprises.
    https://www.postgresql.org/docs/current/functions-subquery.html#FUNCTIONS-SUBQUERY-NOTIN
    """
    if not _COLUMN.fullmatch(owner_id):
        raise ValueError(f"not a column name: {owner_id!r}")
    # A checked column name, no user input.
    return f"{owner_id} NOT IN (SELECT user_id FROM bans WHERE lifted_at IS NULL)"  # noqa: S608


async def hold_seller(conn: Conn, user_id: int) -> None:
    """Keep any ban or unban of the seller from committing until this transaction ends (see
    the module). Check the ban in a later statement: in READ COMMITTED a statement reads the
    snapshot taken when it began, before it waited for this lock.
    https://www.postgresql.org/docs/current/transaction-iso.html#XACT-READ-COMMITTED"""
    await conn.execute("SELECT 1 FROM users WHERE id = $1 FOR KEY SHARE", user_id)


async def _lock_seller(conn: Conn, user_id: int) -> None:
    """Wait for the channel posts of the seller's ads in flight (`hold_seller`), and keep new
    ones from passing their ban check, until this transaction ends. FOR UPDATE, not an UPDATE
    of the row: that would take FOR NO KEY UPDATE, which FOR KEY SHARE lets through."""
    await conn.execute("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", user_id)


async def is_banned(db: Executor, user_id: int) -> bool:
    """Whether a ban on the user is in force now."""
    banned: bool = await db.fetchval(
        "SELECT EXISTS (SELECT 1 FROM bans WHERE user_id = $1 AND lifted_at IS NULL)", user_id
    )
    return banned


async def ban(
    conn: Conn, user_id: int, *, reason: str, admin_id: int, ad_id: int | None = None
) -> bool:
    """Ban a seller; False when a ban is already in force. The caller then rejects the pending
    ads (`pending_ad_ids`) through `Moderation.ban`, so each owner notice goes out."""
    async with conn.transaction():
        await _lock_seller(conn, user_id)
        row = await conn.fetchrow(
            """
            INSERT INTO bans (user_id, reason, banned_by) VALUES ($1, $2, $3)
            ON CONFLICT (user_id) WHERE lifted_at IS NULL DO NOTHING
            RETURNING id
            """,
            user_id,
            reason,
            admin_id,
        )
        if row is None:
            return False
        await record_action(
            conn, ad_id=ad_id, admin_id=admin_id, action="ban", detail=reason, user_id=user_id
        )
    return True


async def unban(conn: Conn, user_id: int, *, admin_id: int) -> bool:
    """Lift the ban in force; False when there is none."""
    async with conn.transaction():
        # The courier cancels a post it finds held by the ban in the transaction that checked
        # it: the caller's re-queue (`Moderation.unban`) must see that cancel, not the row
        # still pending, or the post would be neither sent nor queued again.
        await _lock_seller(conn, user_id)
        row = await conn.fetchrow(
            """
            UPDATE bans SET lifted_at = now(), lifted_by = $2
             WHERE user_id = $1 AND lifted_at IS NULL RETURNING id
            """,
            user_id,
            admin_id,
        )
        if row is None:
            return False
        await record_action(conn, ad_id=None, admin_id=admin_id, action="unban", user_id=user_id)
    return True


async def active_ban(db: Executor, user_id: int) -> Ban | None:
    row = await db.fetchrow(
        "SELECT user_id, reason, banned_by, at FROM bans WHERE user_id = $1 AND lifted_at IS NULL",
        user_id,
    )
    return None if row is None else Ban(row["user_id"], row["reason"], row["banned_by"], row["at"])


async def pending_ad_ids(db: Executor, user_id: int) -> list[int]:
    rows = await db.fetch(
        "SELECT id FROM ads WHERE owner_id = $1 AND status = 'pending' ORDER BY id", user_id
    )
    return [r["id"] for r in rows]

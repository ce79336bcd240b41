"""The outbox table: enqueue in the caller's transaction, claim, and record the outcome.

Claiming follows three rules, all in one query so that several bot processes can share it:
- a row is taken with `FOR UPDATE SKIP LOCKED` and stays locked while it is being sent, so no
  two workers send it and a crash leaves it pending for the next run;
- rows for one chat go out in order: a row is eligible only when no earlier row for the same
  chat is still pending (a row being sent is still pending to everyone else);
- a chat whose rate allowance is used up (`delivery_pace.ready_at` in the future) is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from vodiy_bozor.db import Conn, Executor

CHANNEL_NAME = "outbox"  # LISTEN/NOTIFY channel that wakes the delivery worker
GLOBAL = "*"  # the pace row for Telegram's overall limit


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    chat: str
    kind: str
    ad_id: int | None
    payload: dict[str, Any]
    attempts: int
    created_at: datetime


async def enqueue(
    conn: Conn,
    chat: int | str,
    kind: str,
    *,
    ad_id: int | None = None,
    payload: dict[str, Any] | None = None,
    delay: float = 0.0,
) -> int:
    """Add a row in the caller's transaction; the NOTIFY is delivered when it commits."""
    row_id: int = await conn.fetchval(
        """
        INSERT INTO outbox (chat, kind, ad_id, payload, not_before)
        VALUES ($1, $2, $3, $4, now() + $5::interval)
        RETURNING id
        """,
        str(chat),
        kind,
        ad_id,
        payload or {},
        timedelta(seconds=delay),
    )
    await conn.execute("SELECT pg_notify($1, '')", CHANNEL_NAME)
    return row_id


async def claim(conn: Conn) -> OutboxRow | None:
    """Lock the next row that may be sent now. Call inside a transaction; the lock lasts until
    it ends, so the row must be marked done or rescheduled in the same transaction."""
    row = await conn.fetchrow(
        """
        SELECT o.id, o.chat, o.kind, o.ad_id, o.payload, o.attempts, o.created_at
          FROM outbox o
         WHERE o.status = 'pending' AND o.not_before <= now()
           AND NOT EXISTS (SELECT 1 FROM outbox e
                            WHERE e.chat = o.chat AND e.status = 'pending' AND e.id < o.id)
           AND NOT EXISTS (SELECT 1 FROM delivery_pace p
                            WHERE p.chat = o.chat AND p.ready_at > now())
         ORDER BY o.not_before, o.id
         LIMIT 1
           FOR UPDATE OF o SKIP LOCKED
        """
    )
    if row is None:
        return None
    return OutboxRow(
        id=row["id"],
        chat=row["chat"],
        kind=row["kind"],
        ad_id=row["ad_id"],
        payload=row["payload"],
        attempts=row["attempts"],
        created_at=row["created_at"],
    )


async def seconds_until_due(db: Executor) -> float | None:
    """How long until some pending row may be due (None: nothing is pending)."""
    # Clamped here, not with SQL greatest(): that ignores NULL, so greatest(0, NULL) is 0 and
    # an empty outbox would look permanently due.
    value: float | None = await db.fetchval(
        """
        SELECT extract(epoch FROM min(greatest(o.not_before, p.ready_at)) - now())::float8
          FROM outbox o LEFT JOIN delivery_pace p ON p.chat = o.chat
         WHERE o.status = 'pending'
        """
    )
    return None if value is None else max(0.0, value)


async def mark_sent(conn: Conn, row_id: int) -> None:
    await conn.execute(
        "UPDATE outbox SET status = 'sent', done_at = now(), attempts = attempts + 1 WHERE id = $1",
        row_id,
    )


async def mark_failed(conn: Conn, row_id: int, error: str, *, cancelled: bool = False) -> None:
    await conn.execute(
        """
        UPDATE outbox SET status = $2, done_at = now(), attempts = attempts + 1, last_error = $3
         WHERE id = $1
        """,
        row_id,
        "cancelled" if cancelled else "failed",
        error[:1000],
    )


async def reschedule(conn: Conn, row_id: int, delay: float, error: str) -> None:
    await conn.execute(
        """
        UPDATE outbox SET not_before = now() + $2::interval,
               attempts = attempts + 1, last_error = $3
         WHERE id = $1
        """,
        row_id,
        timedelta(seconds=delay),
        error[:1000],
    )


async def cancel_chat(conn: Conn, chat: str, reason: str) -> int:
    """Cancel everything still pending for a chat (the user blocked the bot)."""
    result: str = await conn.execute(
        """
        UPDATE outbox SET status = 'cancelled', done_at = now(), last_error = $2
         WHERE chat = $1 AND status = 'pending'
        """,
        chat,
        reason,
    )
    return int(result.split()[-1])


async def spend_allowance(
    db: Executor, chat: str, *, interval: float, burst: float, cost: float = 1.0
) -> None:
    """Record a send in the chat's pace (GCRA): the chat may receive again once
    now() >= tat - burst, where tat advances by `interval` per message."""
    await db.execute(
        """
        INSERT INTO delivery_pace AS p (chat, tat, ready_at)
        VALUES ($1, now() + $2::interval, now() + $2::interval - $3::interval)
        ON CONFLICT (chat) DO UPDATE
           SET tat = greatest(p.tat, now()) + $2::interval,
               ready_at = greatest(p.tat, now()) + $2::interval - $3::interval
        """,
        chat,
        timedelta(seconds=interval * cost),
        timedelta(seconds=burst),
    )


async def hold_chat(db: Executor, chat: str, seconds: float) -> None:
    """Telegram said 429 for this chat: send nothing to it for `seconds`."""
    await db.execute(
        """
        INSERT INTO delivery_pace AS p (chat, tat, ready_at)
        VALUES ($1, now() + $2::interval, now() + $2::interval)
        ON CONFLICT (chat) DO UPDATE
           SET tat = greatest(p.tat, EXCLUDED.tat),
               ready_at = greatest(p.ready_at, EXCLUDED.ready_at)
        """,
        chat,
        timedelta(seconds=seconds),
    )


async def reserve_global_slot(db: Executor, *, interval: float, burst: float) -> float:
    """Take a slot of the overall rate; return how many seconds to wait before using it."""
    value: float = await db.fetchval(
        """
        INSERT INTO delivery_pace AS p (chat, tat, ready_at)
        VALUES ($1, now() + $2::interval, now())
        ON CONFLICT (chat) DO UPDATE
           SET tat = greatest(p.tat, now()) + $2::interval,
               ready_at = greatest(p.tat, now())
        RETURNING greatest(0, extract(epoch FROM ready_at - now() - $3::interval))::float8
        """,
        GLOBAL,
        timedelta(seconds=interval),
        timedelta(seconds=burst),
    )
    return value


async def backlog(db: Executor) -> tuple[int, float | None]:
    """Pending rows and the age in seconds of the oldest: for /health and /stats."""
    row = await db.fetchrow(
        """
        SELECT count(*) AS n, extract(epoch FROM now() - min(created_at))::float8 AS age
          FROM outbox WHERE status = 'pending'
        """
    )
    assert row is not None
    return row["n"], row["age"]


async def prune(db: Executor, older_than_seconds: int) -> int:
    result: str = await db.execute(
        """
        DELETE FROM outbox
         WHERE status <> 'pending' AND done_at < now() - $1::interval
        """,
        timedelta(seconds=older_than_seconds),
    )
    return int(result.split()[-1])

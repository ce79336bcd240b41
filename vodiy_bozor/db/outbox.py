"""The outbox: one queue per chat. Enqueue in the caller's transaction; a worker takes a due
chat, sends its oldest row, and records the outcome, all in one transaction.

- Enqueuing inserts the row and a due mark for its chat, and touches nothing shared, so
  transactions that enqueue to several chats never wait on one another.
- A worker finds due chats through the marks' index, holds a chat with a transaction-level
  advisory lock taken without waiting (other workers, in this or another process, skip it),
  and sends only the chat's oldest pending row: one chat's rows go out in order, and no row
  twice. A crash rolls back, and the row is still pending for the next run.
- A chat whose rate allowance is used up, or whose row must wait, is marked for later.
- Within a chat, rows go out by rank, then in order: paid lifts and pins (rank 1), then
  reposts (rank 2) wait behind first posts, caption edits and notices (rank 0), which are
  worth more of the channel's
  20 messages a minute.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from vodiy_bozor.db import Conn, Executor
from vodiy_bozor.models import OutboxKind

CHANNEL_NAME = "outbox"  # LISTEN/NOTIFY channel that wakes the delivery worker
GLOBAL = "*"  # the pace row for Telegram's overall limit (never has rows of its own)
CHAT_LOCK_SPACE = 0x6F62  # first key of the per-chat advisory locks ("ob")

# Kinds that wait behind every other row of their chat (see `rank` in migration 0008).
LOW_RANK_KINDS = frozenset(
    {OutboxKind.CHANNEL_REPOST, OutboxKind.BUYER_NOTICE, OutboxKind.BUYER_DIGEST}
)
# Paid promotions: after first posts and "sold" edits, before ordinary reposts (migration 0015).
PROMOTION_KINDS = frozenset({OutboxKind.CHANNEL_LIFT, OutboxKind.CHANNEL_PIN})
# Kinds sent in bulk (one ad can match thousands of saved searches): their chats come after
# every other chat that has a row due, so a fan-out never delays cards, posts or notices.
BULK_KINDS = frozenset({OutboxKind.BUYER_NOTICE, OutboxKind.BUYER_DIGEST})


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    chat: str
    kind: str
    ad_id: int | None
    payload: dict[str, Any]
    attempts: int
    created_at: datetime
    uploaded: bool = False  # only on rows whose bookkeeping is owed: the photos went as files
    result: Any = None  # only on rows whose bookkeeping is owed: Telegram's result, as JSON


def _outbox_row(row: asyncpg.Record, *, uploaded: bool = False, result: Any = None) -> OutboxRow:
    return OutboxRow(
        id=row["id"],
        chat=row["chat"],
        kind=row["kind"],
        ad_id=row["ad_id"],
        payload=row["payload"],
        attempts=row["attempts"],
        created_at=row["created_at"],
        uploaded=uploaded,
        result=result,
    )


async def enqueue(
    conn: Conn,
    chat: int | str,
    kind: str,
    *,
    ad_id: int | None = None,
    payload: dict[str, Any] | None = None,
    delay: float = 0.0,
) -> int:
    """Add a row and its chat's due mark, in the caller's transaction (one statement, no row
    of anyone else's touched). The NOTIFY that wakes the worker is delivered at commit.

    The mark is due when the row may go *and* the chat may receive again: the chat's pace is
    read (never written) here, so a row for a chat whose allowance is spent (an admin's cards
    in a busy hour) neither looks due now nor wakes the worker before its time. Only the worker
    holding the chat changes its pace, and only once the chat may receive (its ready_at is
    past), so a pace read before that worker commits gives a mark that is right, early (the
    worker then marks the right time) or already past: never one that holds a row back. The
    NOTIFY's payload is the mark's time, as seconds since the epoch on the database's clock: a
    worker that will look by then anyway is not woken for it (`OutboxWorker`).
    """
    row_id: int = await conn.fetchval(
        """
        WITH queued AS (
            INSERT INTO outbox (chat, kind, ad_id, payload, not_before, rank)
            VALUES ($1, $2, $3, $4, now() + $5::interval, $8::smallint)
            RETURNING id, not_before
        ), marked AS (
            INSERT INTO outbox_due (chat, due_at, priority)
            SELECT $1, greatest(q.not_before, (SELECT ready_at FROM outbox_chats WHERE chat = $1)),
                   $7::smallint
              FROM queued q
            RETURNING due_at
        )
        SELECT q.id, pg_notify($6, extract(epoch FROM m.due_at)::text) FROM queued q, marked m
        """,
        str(chat),
        kind,
        ad_id,
        payload or {},
        timedelta(seconds=delay),
        CHANNEL_NAME,
        2 if kind in BULK_KINDS else _priority(str(chat)),
        _rank(kind),
    )
    return row_id


async def enqueue_rows(
    conn: Conn, rows: Sequence[tuple[int | str, str]], *, ad_id: int | None = None
) -> list[int]:
    """`enqueue` for a few (chat, kind) rows about one ad, due now, in one statement and
    with one NOTIFY (the admins' cards of a new ad: photos and card to each admin). Rows are
    numbered in the order given, so each chat gets its rows in that order."""
    if not rows:
        return []
    chats = [str(chat) for chat, _ in rows]
    kinds = [str(kind) for _, kind in rows]
    priorities = [
        2 if kind in BULK_KINDS else _priority(chat)
        for chat, kind in zip(chats, kinds, strict=True)
    ]
    ids: list[int] = await conn.fetchval(
        """
        WITH queued AS (
            INSERT INTO outbox (chat, kind, ad_id, payload, not_before, rank)
            SELECT r.chat, r.kind, $3, '{}'::jsonb, now(), r.rank
              FROM unnest($1::text[], $2::text[], $4::smallint[])
                   WITH ORDINALITY AS r(chat, kind, rank, n)
             ORDER BY r.n
            RETURNING id
        ), marked AS (
            -- One mark per chat is enough: it says the chat may be due (see `enqueue`).
            INSERT INTO outbox_due (chat, due_at, priority)
            SELECT m.chat, greatest(now(), c.ready_at), m.priority
              FROM (SELECT chat, min(priority) AS priority
                      FROM unnest($1::text[], $5::smallint[]) AS r(chat, priority)
                     GROUP BY chat) m
              LEFT JOIN outbox_chats c ON c.chat = m.chat
            RETURNING due_at
        )
        SELECT (SELECT array_agg(id ORDER BY id) FROM queued)
          FROM pg_notify($6, (SELECT extract(epoch FROM min(due_at))::text FROM marked))
        """,
        chats,
        kinds,
        ad_id,
        [_rank(kind) for kind in kinds],
        priorities,
        CHANNEL_NAME,
    )
    return ids


async def enqueue_many(
    conn: Conn, kind: str, chats: list[int], payloads: list[dict[str, Any]], *, ad_id: int
) -> int:
    """`enqueue` for many chats at once (one row each, the same kind and ad), in one
    statement whatever their number: a fan-out to thousands of buyers must not hold the
    transaction that publishes an ad for seconds. (Its marks are due now, whatever the
    buyers' pace: a join with thousands of pace rows is not worth it for the few buyers who
    had a message in the last seconds.)"""
    if not chats:
        return 0
    rank = _rank(kind)
    priority = 2 if kind in BULK_KINDS else 1
    await conn.execute(
        """
        WITH queued AS (
            INSERT INTO outbox (chat, kind, ad_id, payload, not_before, rank)
            SELECT c::text, $2, $3, p, now(), $5::smallint
              FROM unnest($1::bigint[], $4::jsonb[]) AS t(c, p)
            RETURNING chat, not_before
        ), marked AS (
            INSERT INTO outbox_due (chat, due_at, priority)
            SELECT chat, not_before, $6::smallint FROM queued
        )
        SELECT pg_notify($7, extract(epoch FROM now())::text)
        """,
        chats,
        kind,
        ad_id,
        payloads,
        rank,
        priority,
        CHANNEL_NAME,
    )
    return len(chats)


def _rank(kind: str) -> int:
    return 2 if kind in LOW_RANK_KINDS else 1 if kind in PROMOTION_KINDS else 0


def _priority(chat: str) -> int:
    """0 for channels and groups (@username or a negative id), 1 for private chats (2 marks
    a chat whose due row is a bulk one, see BULK_KINDS)."""
    return 1 if chat.isdigit() else 0


# Every priority a mark may have (0, 1, 2: see `_priority` and BULK_KINDS), so that the earliest
# mark is found with one index probe per priority rather than a scan of every mark.
PRIORITIES = (0, 1, 2)


@dataclass(frozen=True, slots=True)
class Look:
    """What the worker needs to know between turns, read in one statement: the chats that may
    have a row due now, when the next mark is due, whether a sent row owes its bookkeeping,
    and the database's time it was read at (seconds since the epoch, like NOTIFY payloads)."""

    chats: list[str]
    now: float
    next_due: float | None  # the earliest mark still to come (None: none)
    owed: bool  # a sent row whose bookkeeping is owed and due (see `take_owed`)

    @property
    def seconds_until_due(self) -> float | None:
        """How long until some chat may be due (None: nothing is pending)."""
        if self.chats:
            return 0.0
        return None if self.next_due is None else max(0.0, self.next_due - self.now)


async def look(db: Executor, limit: int) -> Look:
    """Chats that may have a row due now (channels and groups first, then the longest waiting:
    an index range scan), the time of the next mark after them and whether bookkeeping is
    owed, in one statement: an idle turn of the worker costs this and nothing else."""
    row = await db.fetchrow(
        """
        SELECT ARRAY(SELECT chat FROM outbox_due WHERE due_at <= now()
                      ORDER BY priority, due_at LIMIT $1) AS chats,
               extract(epoch FROM now())::float8 AS now,
               (SELECT extract(epoch FROM min(m.due_at))::float8
                  FROM unnest($2::smallint[]) AS p(priority),
                       LATERAL (SELECT due_at FROM outbox_due d
                                 WHERE d.priority = p.priority AND d.due_at > now()
                                 ORDER BY due_at LIMIT 1) m) AS next_due,
               EXISTS (SELECT 1 FROM outbox WHERE result IS NOT NULL AND not_before <= now())
                   AS owed
        """,
        limit * 4,
        list(PRIORITIES),
    )
    assert row is not None
    chats = list(dict.fromkeys(row["chats"]))  # a chat may have several marks
    return Look(chats[:limit], row["now"], row["next_due"], row["owed"])


@dataclass(frozen=True, slots=True)
class Head:
    """A chat's oldest pending row, if this worker holds the chat. `row` is None when the
    chat has nothing pending; `sendable` is False while the row or the chat must still wait
    (the chat is then marked for when it may)."""

    locked: bool
    row: OutboxRow | None
    sendable: bool


async def take_chat(conn: Conn, chat: str) -> Head:
    """Hold the chat for this transaction, consume its due marks, and read its oldest row.

    The lock is a non-blocking advisory lock: other workers skip the chat, enqueuers never
    wait. Three statements, in this order on purpose: each statement reads from a snapshot
    taken when it starts, so the row is read after the lock is held (else a snapshot from before
    the previous holder committed could show its row still pending) and after the marks are
    removed (so a row enqueued meanwhile is either seen here or keeps its own mark).
    https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS
    """
    locked = await conn.fetchval(
        "SELECT pg_try_advisory_xact_lock($2, hashtext($1))", chat, CHAT_LOCK_SPACE
    )
    if not locked:
        return Head(False, None, False)
    await conn.execute("DELETE FROM outbox_due WHERE chat = $1", chat)
    row = await conn.fetchrow(
        """
        SELECT o.id, o.chat, o.kind, o.ad_id, o.payload, o.attempts, o.created_at,
               greatest(o.not_before, c.ready_at) AS due_at,
               o.not_before <= now() AND coalesce(c.ready_at <= now(), true) AS sendable
          FROM outbox o LEFT JOIN outbox_chats c ON c.chat = o.chat
         WHERE o.chat = $1 AND o.status = 'pending'
         ORDER BY o.rank, o.id LIMIT 1
           FOR UPDATE OF o
        """,
        chat,
    )
    if row is None:
        return Head(True, None, False)
    if not row["sendable"]:
        await conn.execute(
            "INSERT INTO outbox_due (chat, due_at, priority) VALUES ($1, $2, $3)",
            chat,
            row["due_at"],
            2 if row["kind"] in BULK_KINDS else _priority(chat),
        )
    return Head(True, _outbox_row(row), bool(row["sendable"]))


class PaceChange(enum.Enum):
    """What a handled row does to its chat's pace."""

    SEND = "send"  # a message went out: spend the chat's allowance
    HOLD = "hold"  # Telegram said 429: send nothing to the chat for a while
    KEEP = "keep"  # nothing was sent (a retry later, a failure, a cancel)


async def settle_chat(
    conn: Conn,
    chat: str,
    pace: PaceChange = PaceChange.KEEP,
    *,
    interval: float = 0.0,
    burst: float = 0.0,
    hold: float = 0.0,
) -> None:
    """After the chat's oldest row was handled: update the chat's pace, and mark the chat due
    for its next pending row, if any.

    The pace is a GCRA: after a send worth `interval` seconds, the chat may receive again once
    the time >= tat - burst. Only the worker holding the chat writes its pace row. The time is
    `clock_timestamp()`, the moment the call went out, not `now()`, which is when this
    transaction began, before the rendering and the wait for an overall slot
    (https://www.postgresql.org/docs/current/functions-datetime.html#FUNCTIONS-DATETIME-CURRENT).
    """
    await conn.execute(
        """
        WITH paced AS (
            INSERT INTO outbox_chats AS c (chat, tat, ready_at)
            VALUES ($1,
                    clock_timestamp() + CASE $2 WHEN 'send' THEN $3::interval
                                    WHEN 'hold' THEN $5::interval ELSE interval '0' END,
                    clock_timestamp() + CASE $2 WHEN 'send' THEN $3::interval - $4::interval
                                    WHEN 'hold' THEN $5::interval ELSE interval '0' END)
            ON CONFLICT (chat) DO UPDATE
               SET tat = CASE $2 WHEN 'send' THEN greatest(c.tat, clock_timestamp()) + $3::interval
                                 WHEN 'hold' THEN greatest(c.tat, clock_timestamp() + $5::interval)
                                 ELSE c.tat END,
                   ready_at = CASE $2
                                 WHEN 'send'
                                 THEN greatest(c.tat, clock_timestamp()) + $3::interval
                                      - $4::interval
                                 WHEN 'hold'
                                 THEN greatest(c.ready_at, clock_timestamp() + $5::interval)
                                 ELSE c.ready_at END
            RETURNING c.ready_at
        )
        INSERT INTO outbox_due (chat, due_at, priority)
        SELECT $1, greatest(o.not_before, paced.ready_at),
               CASE WHEN o.kind = ANY($7::text[]) THEN 2 ELSE $6::smallint END
          FROM paced, LATERAL (SELECT not_before, kind FROM outbox
                                WHERE chat = $1 AND status = 'pending'
                                ORDER BY rank, id LIMIT 1) o
        """,
        chat,
        pace.value,
        timedelta(seconds=interval),
        timedelta(seconds=burst),
        timedelta(seconds=hold),
        _priority(chat),
        sorted(str(kind) for kind in BULK_KINDS),
    )


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


async def mark_unknown(conn: Conn, row_id: int, error: str) -> None:
    """The call may or may not have been performed: never send the row again by itself."""
    await conn.execute(
        """
        UPDATE outbox SET status = 'unknown', done_at = now(), attempts = attempts + 1,
               last_error = $2
         WHERE id = $1
        """,
        row_id,
        error[:1000],
    )


async def owe_bookkeeping(
    conn: Conn, row_id: int, result: Any, *, uploaded: bool, error: str, delay: float
) -> None:
    """The row was sent but recording what happened failed: keep Telegram's result so only the
    bookkeeping is done again (by `take_owed`), never the call."""
    await conn.execute(
        """
        UPDATE outbox SET result = $2::jsonb, uploaded = $3, last_error = $4,
               not_before = now() + $5::interval
         WHERE id = $1
        """,
        row_id,
        {"value": result},
        uploaded,
        error[:1000],
        timedelta(seconds=delay),
    )


async def take_owed(conn: Conn) -> OutboxRow | None:
    """Lock one sent row whose bookkeeping is owed and due (other workers skip it)."""
    row = await conn.fetchrow(
        """
        SELECT id, chat, kind, ad_id, payload, attempts, created_at, uploaded, result
          FROM outbox
         WHERE result IS NOT NULL AND not_before <= now()
         ORDER BY id LIMIT 1
           FOR UPDATE SKIP LOCKED
        """
    )
    if row is None:
        return None
    return _outbox_row(row, uploaded=row["uploaded"], result=row["result"]["value"])


async def bookkeeping_done(conn: Conn, row_id: int) -> None:
    await conn.execute("UPDATE outbox SET result = NULL WHERE id = $1", row_id)


@dataclass(frozen=True, slots=True)
class Attempt:
    """A call made for a row by a transaction that did not commit (see `outbox_attempts`)."""

    started_at: datetime
    answered: bool
    result: Any
    uploaded: bool


async def attempt_answered(db: Executor, attempt_id: int, result: Any, *, uploaded: bool) -> None:
    """Record Telegram's answer to the call, in a transaction of its own (pass the pool)."""
    await db.execute(
        "UPDATE outbox_attempts SET result = $2::jsonb, uploaded = $3 WHERE id = $1",
        attempt_id,
        {"value": result},
        uploaded,
    )


async def last_attempt(conn: Conn, row_id: int) -> Attempt | None:
    """The latest call made for the row by a transaction that was lost, if any."""
    row = await conn.fetchrow(
        """
        SELECT started_at, result, uploaded FROM outbox_attempts
         WHERE row_id = $1 ORDER BY id DESC LIMIT 1
        """,
        row_id,
    )
    if row is None:
        return None
    answered = row["result"] is not None
    return Attempt(
        started_at=row["started_at"],
        answered=answered,
        result=row["result"]["value"] if answered else None,
        uploaded=row["uploaded"],
    )


async def forget_attempts(conn: Conn, row_id: int) -> None:
    """The row's outcome is recorded in this transaction: its attempts are history."""
    await conn.execute("DELETE FROM outbox_attempts WHERE row_id = $1", row_id)


async def repost_pending(db: Executor) -> bool:
    """Whether a repost is still waiting to go out: the repost job skips its turn then, so
    reposts never pile up behind a slow or refusing channel."""
    pending: bool = await db.fetchval(
        "SELECT EXISTS (SELECT 1 FROM outbox WHERE kind = 'channel_repost' AND status = 'pending')"
    )
    return pending


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


async def reserve_global_slot(
    db: Executor, *, interval: float, burst: float, row_id: int | None = None
) -> tuple[float, int | None]:
    """Take a slot of the overall rate; return how many seconds to wait before using it, and,
    given the row about to be sent, the id of its attempt noted in the same statement (one
    round trip for both; see `outbox_attempts`)."""
    row = await db.fetchrow(
        """
        WITH slot AS (
            INSERT INTO outbox_chats AS c (chat, tat, ready_at)
            VALUES ($1, now() + $2::interval, now())
            ON CONFLICT (chat) DO UPDATE
               SET tat = greatest(c.tat, now()) + $2::interval,
                   ready_at = greatest(c.tat, now())
            RETURNING greatest(0, extract(epoch FROM ready_at - now() - $3::interval))::float8
                      AS wait
        ), attempt AS (
            INSERT INTO outbox_attempts (row_id) SELECT $4::bigint WHERE $4::bigint IS NOT NULL
            RETURNING id
        )
        SELECT slot.wait, (SELECT id FROM attempt) AS attempt FROM slot
        """,
        GLOBAL,
        timedelta(seconds=interval),
        timedelta(seconds=burst),
        row_id,
    )
    assert row is not None
    return row["wait"], row["attempt"]


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


@dataclass(frozen=True, slots=True)
class KindBacklog:
    kind: str
    pending: int
    oldest_age: float  # seconds


async def backlog_by_kind(db: Executor) -> list[KindBacklog]:
    """Pending rows and the oldest's age per kind: for the metrics."""
    rows = await db.fetch(
        """
        SELECT kind, count(*) AS n, extract(epoch FROM now() - min(created_at))::float8 AS age
          FROM outbox WHERE status = 'pending' GROUP BY kind ORDER BY kind
        """
    )
    return [KindBacklog(r["kind"], r["n"], r["age"]) for r in rows]


async def prune(db: Executor, older_than_seconds: int) -> int:
    removed: int = await db.fetchval(
        """
        WITH gone AS (
            DELETE FROM outbox
             WHERE status <> 'pending' AND done_at < now() - $1::interval AND result IS NULL
            RETURNING id
        ), attempts AS (
            DELETE FROM outbox_attempts a USING gone WHERE a.row_id = gone.id
        )
        SELECT count(*) FROM gone
        """,
        timedelta(seconds=older_than_seconds),
    )
    return removed

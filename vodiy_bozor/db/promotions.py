"""Paid promotions (lifts and pins bought with Telegram Stars): the payments, each the one
promotion it pays for, and the accounts (/revenue).

A payment's row is keyed by Telegram's charge id, so recording it twice records it once.
Status changes are conditional updates: the one that matches acts, the others learn that
someone acted first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import asyncpg

from vodiy_bozor.db import Conn, Executor

# The statuses of a promotion that is paid and not finished.
OPEN = ("waiting", "started", "running")


@dataclass(frozen=True, slots=True)
class Promotion:
    charge_id: str
    user_id: int
    ad_id: int
    kind: str  # lift, pin
    stars: int
    status: str
    source: str
    paid_at: datetime
    outbox_id: int | None
    message_id: int | None
    started_at: datetime | None
    ends_at: datetime | None
    refund_reason: str | None
    refund_attempts: int


def _promotion(row: asyncpg.Record) -> Promotion:
    return Promotion(
        charge_id=row["charge_id"],
        user_id=row["user_id"],
        ad_id=row["ad_id"],
        kind=row["kind"],
        stars=row["stars"],
        status=row["status"],
        source=row["source"],
        paid_at=row["paid_at"],
        outbox_id=row["outbox_id"],
        message_id=row["message_id"],
        started_at=row["started_at"],
        ends_at=row["ends_at"],
        refund_reason=row["refund_reason"],
        refund_attempts=row["refund_attempts"],
    )


@dataclass(frozen=True, slots=True)
class AdState:
    """What decides whether an ad can be promoted: its owner, status, a ban on its owner."""

    owner_id: int
    status: str
    banned: bool


async def ad_state(db: Executor, ad_id: int) -> AdState | None:
    """One indexed read (the pre-checkout answer must be fast)."""
    row = await db.fetchrow(
        """
        SELECT a.owner_id, a.status,
               EXISTS (SELECT 1 FROM bans b
                        WHERE b.user_id = a.owner_id AND b.lifted_at IS NULL) AS banned
          FROM ads a WHERE a.id = $1
        """,
        ad_id,
    )
    return None if row is None else AdState(row["owner_id"], row["status"], row["banned"])


async def running(db: Executor, ad_id: int, kind: str) -> bool:
    """Whether the same promotion of the ad is paid and not over (for a lift, also while the
    ad stands lifted)."""
    found: bool = await db.fetchval(
        """
        SELECT EXISTS (SELECT 1 FROM promotions
                        WHERE ad_id = $1 AND kind = $2 AND status = ANY($3::text[]))
            OR ($2 = 'lift' AND EXISTS (SELECT 1 FROM ads
                                         WHERE id = $1 AND lifted_until > now()))
        """,
        ad_id,
        kind,
        list(OPEN),
    )
    return found


async def record(
    conn: Conn,
    *,
    charge_id: str,
    user_id: int,
    ad_id: int,
    kind: str,
    stars: int,
    source: str = "update",
) -> bool:
    """Record a payment and the promotion it pays for, waiting for its turn; False when this
    charge is recorded already (the update came twice, another instance has it)."""
    inserted = await conn.fetchval(
        """
        INSERT INTO promotions (charge_id, user_id, ad_id, kind, stars, source)
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (charge_id) DO NOTHING
        RETURNING true
        """,
        charge_id,
        user_id,
        ad_id,
        kind,
        stars,
        source,
    )
    return bool(inserted)


async def get(db: Executor, charge_id: str) -> Promotion | None:
    row = await db.fetchrow("SELECT * FROM promotions WHERE charge_id = $1", charge_id)
    return None if row is None else _promotion(row)


async def known_charges(db: Executor, charge_ids: list[str]) -> set[str]:
    rows = await db.fetch(
        "SELECT charge_id FROM promotions WHERE charge_id = ANY($1::text[])", charge_ids
    )
    return {r["charge_id"] for r in rows}


async def for_ad(db: Executor, ad_id: int) -> list[Promotion]:
    rows = await db.fetch(
        "SELECT * FROM promotions WHERE ad_id = $1 ORDER BY paid_at, charge_id", ad_id
    )
    return [_promotion(r) for r in rows]


async def waiting(conn: Conn, kind: str, limit: int) -> list[Promotion]:
    """The oldest paid promotions of a kind still waiting for their turn, locked."""
    rows = await conn.fetch(
        """
        SELECT * FROM promotions WHERE kind = $1 AND status = 'waiting'
         ORDER BY paid_at, charge_id LIMIT $2
           FOR UPDATE SKIP LOCKED
        """,
        kind,
        limit,
    )
    return [_promotion(r) for r in rows]


async def waiting_ahead(db: Executor, kind: str, charge_id: str) -> int:
    """How many promotions of the kind go before this one (started, running or paid first)."""
    ahead: int = await db.fetchval(
        """
        SELECT count(*) FROM promotions p, promotions me
         WHERE me.charge_id = $2 AND p.kind = $1 AND p.charge_id <> me.charge_id
           AND (p.status IN ('started', 'running')
                OR (p.status = 'waiting' AND (p.paid_at, p.charge_id) < (me.paid_at, me.charge_id)))
        """,
        kind,
        charge_id,
    )
    return ahead


async def active_pin(db: Executor) -> bool:
    found: bool = await db.fetchval(
        "SELECT EXISTS (SELECT 1 FROM promotions WHERE kind = 'pin'"
        " AND status IN ('started', 'running'))"
    )
    return found


async def lifts_started_since(db: Executor, seconds: float) -> int:
    started: int = await db.fetchval(
        """
        SELECT count(*) FROM promotions
         WHERE kind = 'lift' AND started_at > now() - $1::interval
           AND status IN ('started', 'running', 'done')
        """,
        timedelta(seconds=seconds),
    )
    return started


async def start(conn: Conn, charge_id: str, outbox_id: int) -> bool:
    result: str = await conn.execute(
        """
        UPDATE promotions SET status = 'started', started_at = now(), outbox_id = $2
         WHERE charge_id = $1 AND status = 'waiting'
        """,
        charge_id,
        outbox_id,
    )
    return result.endswith(" 1")


async def delivered(
    conn: Conn, charge_id: str, *, seconds: float, message_id: int | None = None
) -> Promotion | None:
    """The channel took the lift or pin: it runs for `seconds` from now. None when it was not
    waiting to be delivered (the bookkeeping replayed)."""
    row = await conn.fetchrow(
        """
        UPDATE promotions SET status = 'running', ends_at = now() + $2::interval,
               message_id = coalesce($3, message_id)
         WHERE charge_id = $1 AND status = 'started'
        RETURNING *
        """,
        charge_id,
        timedelta(seconds=seconds),
        message_id,
    )
    return None if row is None else _promotion(row)


async def lift_ad(conn: Conn, ad_id: int, *, seconds: float) -> None:
    """The ad stands first in search until then, and counts as shown now: the ordinary
    repost leaves it alone for its next intervals."""
    await conn.execute(
        """
        UPDATE ads SET lifted_until = now() + $2::interval, last_shown_at = now() WHERE id = $1
        """,
        ad_id,
        timedelta(seconds=seconds),
    )


async def mark_shown(conn: Conn, ad_id: int) -> None:
    """A lift about to go out: the ordinary repost does not pick the ad in the same interval."""
    await conn.execute("UPDATE ads SET last_shown_at = now() WHERE id = $1", ad_id)


async def ended(conn: Conn, limit: int) -> list[Promotion]:
    """Running promotions whose time is over, or pins of ads no longer for sale or whose
    seller was banned (the pinned place goes to the next one), now done (claimed: each is
    ended once)."""
    rows = await conn.fetch(
        """
        UPDATE promotions SET status = 'done'
         WHERE charge_id IN (SELECT p.charge_id FROM promotions p JOIN ads a ON a.id = p.ad_id
                              WHERE p.status = 'running'
                                AND (p.ends_at <= now()
                                     OR (p.kind = 'pin'
                                         AND (a.status <> 'published'
                                              OR EXISTS (SELECT 1 FROM bans b
                                                          WHERE b.user_id = a.owner_id
                                                            AND b.lifted_at IS NULL))))
                              ORDER BY p.ends_at LIMIT $1 FOR UPDATE OF p SKIP LOCKED)
        RETURNING *
        """,
        limit,
    )
    return [_promotion(r) for r in rows]


async def undeliverable(conn: Conn, limit: int, *, refused_for: float) -> list[Promotion]:
    """Promotions that will not be delivered, locked: waiting for an ad that can no longer be
    promoted (sold, removed, expired, its owner banned); started whose channel row was
    dropped (cancelled or failed) or left in doubt (unknown); started while the channel has
    refused the bot for `refused_for` seconds."""
    rows = await conn.fetch(
        """
        SELECT p.* FROM promotions p
          JOIN ads a ON a.id = p.ad_id
          LEFT JOIN outbox o ON o.id = p.outbox_id
         WHERE p.status IN ('waiting', 'started')
           AND ((p.status = 'waiting'
                 AND (a.status <> 'published'
                      OR EXISTS (SELECT 1 FROM bans b WHERE b.user_id = a.owner_id
                                                        AND b.lifted_at IS NULL)))
                -- a started one is judged by its channel row: the courier drops the row
                -- when the ad cannot be promoted any more by the time it goes out
                OR (p.status = 'started' AND o.status IN ('cancelled', 'failed'))
                -- or left in doubt: the probe could not tell whether the post went out (the
                -- admins were asked); the seller is not left paying for what may not have run
                OR (p.status = 'started' AND o.status = 'unknown')
                OR (p.status = 'started' AND o.status = 'pending'
                    AND EXISTS (SELECT 1 FROM channel_state c
                                 WHERE c.chat = o.chat
                                   AND c.refusing_since < now() - $2::interval)))
         ORDER BY p.paid_at LIMIT $1
           FOR UPDATE OF p SKIP LOCKED
        """,
        limit,
        timedelta(seconds=refused_for),
    )
    return [_promotion(r) for r in rows]


async def cancel_channel_row(conn: Conn, outbox_id: int) -> bool:
    """Take a promotion's channel row out of the queue, unless a worker is sending it right
    now (then it may yet go out: nothing is refunded this time)."""
    result = await conn.fetchval(
        """
        UPDATE outbox SET status = 'cancelled', done_at = now(),
               last_error = 'promotion refunded'
         WHERE id = (SELECT id FROM outbox WHERE id = $1 AND status = 'pending'
                        FOR UPDATE SKIP LOCKED)
        RETURNING true
        """,
        outbox_id,
    )
    return bool(result)


async def channel_row_status(db: Executor, outbox_id: int) -> str | None:
    status: str | None = await db.fetchval("SELECT status FROM outbox WHERE id = $1", outbox_id)
    return status


async def refund_due(conn: Conn, charge_id: str, reason: str) -> bool:
    result: str = await conn.execute(
        """
        UPDATE promotions SET status = 'refund_due', refund_reason = $2, refund_next_at = now()
         WHERE charge_id = $1 AND status IN ('waiting', 'started')
        """,
        charge_id,
        reason,
    )
    return result.endswith(" 1")


async def claim_refunds(conn: Conn, limit: int) -> list[Promotion]:
    """Refunds due now, locked for this transaction (other instances skip them)."""
    rows = await conn.fetch(
        """
        SELECT * FROM promotions WHERE status = 'refund_due' AND refund_next_at <= now()
         ORDER BY refund_next_at LIMIT $1
           FOR UPDATE SKIP LOCKED
        """,
        limit,
    )
    return [_promotion(r) for r in rows]


async def refunded(conn: Conn, charge_id: str) -> bool:
    result: str = await conn.execute(
        """
        UPDATE promotions SET status = 'refunded', refunded_at = now(),
               refund_attempts = refund_attempts + 1
         WHERE charge_id = $1 AND status = 'refund_due'
        """,
        charge_id,
    )
    return result.endswith(" 1")


async def refund_later(conn: Conn, charge_id: str, delay: float) -> None:
    await conn.execute(
        """
        UPDATE promotions SET refund_next_at = now() + $2::interval,
               refund_attempts = refund_attempts + 1
         WHERE charge_id = $1
        """,
        charge_id,
        timedelta(seconds=delay),
    )


# -- the accounts ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayRevenue:
    day: date
    received: int
    refunded: int


@dataclass(frozen=True, slots=True)
class KindRevenue:
    kind: str
    count: int
    received: int
    refunded: int


async def revenue_by_day(db: Executor, days: int, tz: str) -> list[DayRevenue]:
    """Stars received and refunded per local day over the last `days` days, every day listed
    (a day without payments is a zero)."""
    rows = await db.fetch(
        """
        WITH d AS (
            SELECT generate_series((now() AT TIME ZONE $2)::date - ($1 - 1),
                                   (now() AT TIME ZONE $2)::date, interval '1 day')::date AS day
        )
        SELECT d.day,
               coalesce(sum(p.stars), 0)::bigint AS received,
               coalesce(sum(p.stars) FILTER (WHERE p.status = 'refunded'), 0)::bigint AS refunded
          FROM d LEFT JOIN promotions p ON (p.paid_at AT TIME ZONE $2)::date = d.day
         GROUP BY d.day ORDER BY d.day
        """,
        days,
        tz,
    )
    return [DayRevenue(r["day"], r["received"], r["refunded"]) for r in rows]


async def revenue_by_kind(db: Executor, days: int, tz: str) -> list[KindRevenue]:
    """Stars by kind over the same local days as `revenue_by_day`, so the lines by kind add
    up to the days' total."""
    rows = await db.fetch(
        """
        SELECT kind, count(*) AS n, sum(stars)::bigint AS received,
               coalesce(sum(stars) FILTER (WHERE status = 'refunded'), 0)::bigint AS refunded
          FROM promotions
         WHERE (paid_at AT TIME ZONE $2)::date > (now() AT TIME ZONE $2)::date - $1::int
         GROUP BY kind ORDER BY kind
        """,
        days,
        tz,
    )
    return [KindRevenue(r["kind"], r["n"], r["received"], r["refunded"]) for r in rows]


async def lock_starts(conn: Conn, lock: int) -> None:
    """Serialise starting promotions across processes until the transaction ends (an advisory
    lock: https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS)."""
    await conn.execute("SELECT pg_advisory_xact_lock($1)", lock)


async def any_recorded(db: Executor) -> bool:
    """Whether any promotion was ever recorded (rows still to finish or refund)."""
    return bool(await db.fetchval("SELECT EXISTS (SELECT 1 FROM promotions)"))

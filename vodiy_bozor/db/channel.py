"""The channel's side of publishing: whether it accepts the bot's posts (shared by every
instance), and the approved ads that have no post in it.

A channel refuses when a person took something away: the bot's admin right to post, its
membership, the channel itself. Nothing is lost meanwhile: the outbox keeps the channel's rows
waiting, and this table says since when and why, for the admins' notices, `GET /health`,
`vodiy-bozor check` and the metrics.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from vodiy_bozor.db import Conn, Executor
from vodiy_bozor.db.bans import seller_not_banned
from vodiy_bozor.db.outbox import enqueue

CHANNEL_POST = "channel_post"  # the outbox kind of a first publication


@dataclass(frozen=True, slots=True)
class ChannelState:
    chat: str
    refusing_since: datetime | None  # None: the channel accepts posts
    reason: str | None
    error: str | None
    told_at: datetime | None

    @property
    def accepts(self) -> bool:
        return self.refusing_since is None


async def refused(
    conn: Conn, chat: str, reason: str, error: str, *, remind_after: float
) -> datetime | None:
    """Record that the channel refused. Returns since when it refuses if the admins should be
    told now (the first refusal, another reason, or `remind_after` seconds since they were last
    told); None when they were told recently enough."""
    row = await conn.fetchrow(
        """
        INSERT INTO channel_state AS s (chat, refusing_since, reason, error, told_at)
        VALUES ($1, now(), $2, $3, now())
        ON CONFLICT (chat) DO UPDATE
           SET refusing_since = coalesce(s.refusing_since, now()),
               reason = $2,
               error = $3,
               changed_at = CASE WHEN s.refusing_since IS NULL THEN now() ELSE s.changed_at END,
               told_at = CASE WHEN s.refusing_since IS NULL
                                   OR s.reason IS DISTINCT FROM $2
                                   OR s.told_at IS NULL
                                   OR s.told_at <= now() - $4::interval
                              THEN now() ELSE s.told_at END
        RETURNING refusing_since, told_at = now() AS tell
        """,
        chat,
        reason,
        error[:500],
        timedelta(seconds=remind_after),
    )
    assert row is not None
    return row["refusing_since"] if row["tell"] else None


async def accepted(conn: Conn, chat: str) -> datetime | None:
    """Record that the channel took a post: returns since when it had been refusing (None if
    it was not), so the admins can be told it works again."""
    since: datetime | None = await conn.fetchval(
        """
        UPDATE channel_state AS s SET refusing_since = NULL, changed_at = now()
          FROM (SELECT chat, refusing_since FROM channel_state
                 WHERE chat = $1 AND refusing_since IS NOT NULL FOR UPDATE) AS old
         WHERE s.chat = old.chat
        RETURNING old.refusing_since
        """,
        chat,
    )
    return since


async def states(db: Executor) -> list[ChannelState]:
    """Every channel the bot has ever been refused by, accepting again or not."""
    rows = await db.fetch(
        "SELECT chat, refusing_since, reason, error, told_at FROM channel_state ORDER BY chat"
    )
    return [
        ChannelState(r["chat"], r["refusing_since"], r["reason"], r["error"], r["told_at"])
        for r in rows
    ]


# -- approved ads without a post ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unposted:
    """An approved ad with no post in the channel and none on its way. `last_status` and
    `last_error` are of its latest channel-post row ('failed', 'unknown', 'cancelled'; None
    if it never had one); `last_at` is when that row was given up."""

    ad_id: int
    owner_id: int
    decided_at: datetime | None
    last_status: str | None
    last_error: str | None
    last_at: datetime | None


async def approved_without_post(db: Executor, limit: int = 50) -> list[Unposted]:
    """Approved ads with no channel post and no post on its way, oldest decision first: what
    an admin must look at (a post refused for good, or one whose outcome is unknown). A banned
    seller's are left out: `/unban` queues their posts."""
    rows = await db.fetch(
        f"""
    SELECT a.id, a.owner_id, a.decided_at, last.status, last.last_error, last.done_at
      FROM ads a
      LEFT JOIN LATERAL (SELECT o.status, o.last_error, o.done_at FROM outbox o
                          WHERE o.ad_id = a.id AND o.kind = 'channel_post'
                          ORDER BY o.id DESC LIMIT 1) last ON true
     WHERE a.status = 'approved' AND {seller_not_banned("a.owner_id")}
       AND NOT EXISTS (SELECT 1 FROM ad_posts p WHERE p.ad_id = a.id AND NOT p.is_repost)
       AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.ad_id = a.id
                          AND o.kind = 'channel_post' AND o.status = 'pending')
     ORDER BY a.decided_at, a.id LIMIT $1
        """,  # noqa: S608 - a constant condition, no user input
        limit,
    )
    return [Unposted(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]


async def publish_again(conn: Conn, ad_id: int, channel: int | str) -> bool:
    """Queue one more first post for an approved ad without a post. Conditional, so two admins
    pressing at once queue one post: the ad's row is locked first, and the second caller, once
    the first has committed, sees the pending row and gets False. Must run in a transaction."""
    if not conn.is_in_transaction():
        raise RuntimeError("publish_again must run inside a transaction")
    locked = await conn.fetchval(
        "SELECT id FROM ads WHERE id = $1 AND status = 'approved' FOR UPDATE", ad_id
    )
    if locked is None:
        return False
    # A new statement after the lock wait: it sees what the other caller committed.
    unposted = await conn.fetchval(
        """
        SELECT NOT EXISTS (SELECT 1 FROM ad_posts p WHERE p.ad_id = $1 AND NOT p.is_repost)
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.ad_id = $1
                              AND o.kind = 'channel_post' AND o.status = 'pending')
        """,
        ad_id,
    )
    if not unposted:
        return False
    await enqueue(conn, channel, CHANNEL_POST, ad_id=ad_id)
    return True

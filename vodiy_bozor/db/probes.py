"""Looking for a channel post whose outcome is unknown: the probe's state, one row per outbox
row (migration 0013), and what the bot knows of the channel's message ids."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from vodiy_bozor.db import Conn, Executor


@dataclass(frozen=True, slots=True)
class Probe:
    """Where the search for one post stands. `chat_id` and `next_id` are None until it has
    begun (the channel's numeric id known, and the last message id the bot knew then)."""

    row_id: int
    caption: str
    items: int
    text_post: bool
    since: datetime
    chat_id: int | None = None
    next_id: int | None = None
    misses: int = 0
    probes: int = 0
    failures: int = 0


async def start(
    conn: Conn,
    row_id: int,
    *,
    caption: str,
    items: int,
    text_post: bool,
    since: datetime | None,
) -> None:
    """Begin looking for the row's post (`since`: when the call in doubt was made; None: now).
    The row is put first in its chat's queue (rank 0): nothing else goes to the channel, so no
    new message of the bot's can come between the ids being looked at."""
    await conn.execute(
        """
        INSERT INTO outbox_probes (row_id, caption, items, text_post, since)
        VALUES ($1, $2, $3, $4, coalesce($5, now()))
        ON CONFLICT (row_id) DO NOTHING
        """,
        row_id,
        caption,
        items,
        text_post,
        since,
    )
    await conn.execute("UPDATE outbox SET rank = 0 WHERE id = $1", row_id)


async def get(db: Executor, row_id: int) -> Probe | None:
    row = await db.fetchrow(
        """
        SELECT row_id, caption, items, text_post, since, chat_id, next_id, misses, probes,
               failures
          FROM outbox_probes WHERE row_id = $1
        """,
        row_id,
    )
    return Probe(*row) if row is not None else None


async def save(conn: Conn, probe: Probe) -> None:
    await conn.execute(
        """
        UPDATE outbox_probes
           SET chat_id = $2, next_id = $3, misses = $4, probes = $5, failures = $6
         WHERE row_id = $1
        """,
        probe.row_id,
        probe.chat_id,
        probe.next_id,
        probe.misses,
        probe.probes,
        probe.failures,
    )


async def finish(conn: Conn, row_id: int) -> None:
    await conn.execute("DELETE FROM outbox_probes WHERE row_id = $1", row_id)


async def last_known_id(db: Executor, chat: str, chat_id: int) -> int | None:
    """The newest message id of the bot's posts in the channel that it knows: recorded, or
    kept on a sent row whose bookkeeping is still owed (its ids are not recorded yet)."""
    value: int | None = await db.fetchval(
        """
        SELECT greatest(
            (SELECT max(message_id) FROM ad_posts WHERE chat_id = $2),
            (SELECT max((m ->> 'message_id')::bigint)
               FROM outbox o
              CROSS JOIN LATERAL jsonb_array_elements(
                    CASE jsonb_typeof(o.result -> 'value')
                         WHEN 'array' THEN o.result -> 'value'
                         ELSE jsonb_build_array(o.result -> 'value') END) m
              WHERE o.result IS NOT NULL AND o.chat = $1
                AND jsonb_typeof(o.result -> 'value') IN ('array', 'object')))
        """,
        chat,
        chat_id,
    )
    return value


async def posted_since(db: Executor, chat: str, since: datetime, row_id: int) -> bool:
    """Whether another post went out to the channel after the call in doubt was made: after a
    crash, a first post can overtake a repost in the queue. Its id is then beyond the one in
    doubt, among the ones the bot knows, so the probe cannot tell where to look."""
    found: bool = await db.fetchval(
        """
        SELECT EXISTS (SELECT 1 FROM outbox
                        WHERE chat = $1 AND status = 'sent' AND done_at >= $2 AND id <> $3
                          AND kind IN ('channel_post', 'channel_repost', 'channel_lift'))
        """,
        chat,
        since,
        row_id,
    )
    return found


async def next_known_id(db: Executor, chat_id: int, from_id: int) -> int | None:
    """The first message id from `from_id` on that the bot recorded as its own post."""
    value: int | None = await db.fetchval(
        "SELECT min(message_id) FROM ad_posts WHERE chat_id = $1 AND message_id >= $2",
        chat_id,
        from_id,
    )
    return value


async def undecided_before(db: Executor, chat: str) -> bool:
    """Whether an earlier post to the channel was left in doubt (the admins asked) with no
    post of the bot's sent since: its copy, if there is one, may be among the ids a new probe
    would edit, and an edit with another ad's caption would change it."""
    found: bool = await db.fetchval(
        """
        SELECT EXISTS (
            SELECT 1 FROM outbox o
             WHERE o.chat = $1 AND o.status = 'unknown'
               AND o.kind IN ('channel_post', 'channel_repost', 'channel_lift')
               AND NOT EXISTS (SELECT 1 FROM outbox s
                                WHERE s.chat = $1 AND s.status = 'sent'
                                  AND s.kind IN ('channel_post', 'channel_repost', 'channel_lift')
                                  AND s.done_at > o.done_at))
        """,
        chat,
    )
    return found

"""The channel's queue in order of value, the repost guard, and approved ads without a post."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg

from vodiy_bozor.db import channel as db_channel
from vodiy_bozor.db import outbox as queue
from vodiy_bozor.db.pool import connect

CHANNEL = "@vodiy_test"


async def next_row(db: asyncpg.Connection[Any]) -> queue.OutboxRow:
    """The row a worker would send now, marked sent as the worker would."""
    async with db.transaction():
        head = await queue.take_chat(db, CHANNEL)
        assert head.row is not None
        await queue.mark_sent(db, head.row.id)
        await queue.settle_chat(db, CHANNEL, queue.PaceChange.SEND)
        return head.row


async def ad(db: asyncpg.Connection[Any], status: str = "approved") -> int:
    await db.execute("INSERT INTO users (id, first_name) VALUES (5, 'S') ON CONFLICT DO NOTHING")
    ad_id: int = await db.fetchval(
        """
        INSERT INTO ads (owner_id, status, category, description, region, phone, decided_at)
        VALUES (5, $1, 'other', 'x', 'fergana', '+998901112233', now()) RETURNING id
        """,
        status,
    )
    return ad_id


async def test_first_posts_and_caption_edits_go_before_reposts(
    db: asyncpg.Connection[Any],
) -> None:
    repost = await queue.enqueue(db, CHANNEL, "channel_repost", ad_id=None)
    post = await queue.enqueue(db, CHANNEL, "channel_post", ad_id=None)
    edit = await queue.enqueue(db, CHANNEL, "channel_caption", ad_id=None)
    later_repost = await queue.enqueue(db, CHANNEL, "channel_repost", ad_id=None)
    later_post = await queue.enqueue(db, CHANNEL, "channel_post", ad_id=None)
    assert await queue.repost_pending(db)
    order = [(await next_row(db)).id for _ in range(5)]
    assert order == [post, edit, later_post, repost, later_repost]
    assert not await queue.repost_pending(db)


async def test_approved_ads_without_a_post_are_listed_and_published_again_once(
    db_url: str, db: asyncpg.Connection[Any]
) -> None:
    refused, doubtful, waiting, posted = [await ad(db) for _ in range(4)]
    await db.execute(
        """
        INSERT INTO outbox (chat, kind, ad_id, status, last_error, done_at) VALUES
            ($1, 'channel_post', $2, 'failed', 'Bad Request: CHAT_WRITE_FORBIDDEN', now()),
            ($1, 'channel_post', $3, 'unknown', 'outcome unknown: timeout', now())
        """,
        CHANNEL,
        refused,
        doubtful,
    )
    await queue.enqueue(db, CHANNEL, "channel_post", ad_id=waiting)
    await db.execute(
        "INSERT INTO ad_posts (ad_id, chat_id, message_id) VALUES ($1, -100123, 7)", posted
    )
    listed = await db_channel.approved_without_post(db)
    assert [(u.ad_id, u.last_status) for u in listed] == [
        (refused, "failed"),
        (doubtful, "unknown"),
    ]

    # Two admins press "publish again" at the same moment: one post is queued.
    conns = [await connect(db_url) for _ in range(2)]
    try:

        async def press(conn: asyncpg.Connection[Any]) -> bool:
            async with conn.transaction():
                return await db_channel.publish_again(conn, doubtful, CHANNEL)

        results = await asyncio.gather(*(press(conn) for conn in conns))
    finally:
        for conn in conns:
            await conn.close()
    assert sorted(results) == [False, True]
    pending = await db.fetchval(
        "SELECT count(*) FROM outbox WHERE ad_id = $1 AND status = 'pending'", doubtful
    )
    assert pending == 1
    assert [u.ad_id for u in await db_channel.approved_without_post(db)] == [refused]
    # Nothing is queued for an ad that has its post, or is not approved.
    async with db.transaction():
        assert not await db_channel.publish_again(db, posted, CHANNEL)
        assert not await db_channel.publish_again(db, await ad(db, "rejected"), CHANNEL)


async def test_the_channel_state_is_recorded_once_and_remembered(
    db: asyncpg.Connection[Any],
) -> None:
    async with db.transaction():
        since = await db_channel.refused(db, CHANNEL, "rights", "need rights", remind_after=3600)
    assert since is not None  # the first refusal: tell the admins
    async with db.transaction():
        again = await db_channel.refused(db, CHANNEL, "rights", "need rights", remind_after=3600)
    assert again is None  # told a moment ago
    async with db.transaction():
        other = await db_channel.refused(db, CHANNEL, "member", "kicked", remind_after=3600)
    assert other == since  # another reason is worth telling; still refusing since then
    [state] = await db_channel.states(db)
    assert (state.accepts, state.reason) == (False, "member")
    async with db.transaction():
        assert await db_channel.refused(db, CHANNEL, "member", "kicked", remind_after=0)
    assert await db_channel.accepted(db, CHANNEL) == since
    assert await db_channel.accepted(db, CHANNEL) is None  # told once that it works again
    [state] = await db_channel.states(db)
    assert state.accepts


async def test_prune_keeps_what_is_pending_or_still_owes_its_bookkeeping(
    db: asyncpg.Connection[Any],
) -> None:
    old_done, owed, pending = [await queue.enqueue(db, "7", "owner_published") for _ in range(3)]
    await db.execute(
        """
        UPDATE outbox SET status = 'sent', done_at = now() - interval '2 days'
         WHERE id = ANY($1::bigint[])
        """,
        [old_done, owed],
    )
    await queue.owe_bookkeeping(db, owed, {"message_id": 1}, uploaded=False, error="x", delay=0)
    await db.execute("INSERT INTO outbox_attempts (row_id) VALUES ($1), ($2)", old_done, pending)
    assert await queue.prune(db, 24 * 3600) == 1
    left = await db.fetch("SELECT id FROM outbox ORDER BY id")
    assert [r["id"] for r in left] == [owed, pending]
    attempts = await db.fetch("SELECT row_id FROM outbox_attempts")
    assert [r["row_id"] for r in attempts] == [pending]
    async with db.transaction():
        taken = await queue.take_owed(db)
        assert taken is not None
        assert (taken.id, taken.result) == (owed, {"message_id": 1})

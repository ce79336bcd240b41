"""What the probe knows of the channel before it looks: the last id of the bot's own posts
(recorded or still owed their bookkeeping), and whether anything makes looking unsafe."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import asyncpg

from vodiy_bozor.db import outbox as db_outbox
from vodiy_bozor.db import probes as db_probes

CHAT, CHAT_ID = "@vodiy_test", -1001234567890


async def an_ad(db: asyncpg.Connection[Any]) -> int:
    await db.execute(
        "INSERT INTO users (id, first_name) VALUES (1, 'Seller') ON CONFLICT DO NOTHING"
    )
    ad_id: int = await db.fetchval(
        """
        INSERT INTO ads (owner_id, category, description, price_currency, region, phone)
        VALUES (1, 'household', 'Дазмол', 'UZS', 'namangan', '+998901112233') RETURNING id
        """
    )
    return ad_id


async def sent_post(db: asyncpg.Connection[Any], ad_id: int, kind: str = "channel_post") -> int:
    row_id = await db_outbox.enqueue(db, CHAT, kind, ad_id=ad_id)
    await db_outbox.mark_sent(db, row_id)
    return row_id


async def test_the_last_known_id_counts_posts_whose_bookkeeping_is_still_owed(
    db: asyncpg.Connection[Any],
) -> None:
    assert await db_probes.last_known_id(db, CHAT, CHAT_ID) is None
    ad_id = await an_ad(db)
    await db.execute(
        "INSERT INTO ad_posts (ad_id, chat_id, message_id) VALUES ($1, $2, 40), ($1, -5, 99)",
        ad_id,
        CHAT_ID,
    )
    assert await db_probes.last_known_id(db, CHAT, CHAT_ID) == 40  # another chat's 99 aside
    # An album went out after it, and recording its ids failed: they are kept on the row.
    row_id = await sent_post(db, ad_id)
    chat = {"id": CHAT_ID, "type": "channel"}
    album = [{"message_id": i, "date": 0, "chat": chat} for i in (41, 42)]
    await db_outbox.owe_bookkeeping(db, row_id, album, uploaded=False, error="x", delay=60)
    assert await db_probes.last_known_id(db, CHAT, CHAT_ID) == 42
    assert await db_probes.next_known_id(db, CHAT_ID, 41) is None
    assert await db_probes.next_known_id(db, CHAT_ID, 40) == 40


async def test_looking_is_unsafe_after_an_undecided_post_or_an_overtaking_one(
    db: asyncpg.Connection[Any],
) -> None:
    ad_id = await an_ad(db)
    doubtful = await db_outbox.enqueue(db, CHAT, "channel_repost", ad_id=ad_id)
    since = await db.fetchval("SELECT now()")
    assert not await db_probes.posted_since(db, CHAT, since, doubtful)
    assert not await db_probes.undecided_before(db, CHAT)

    # A first post went out after the repost in doubt was made (a crash let it overtake).
    overtaking = await sent_post(db, ad_id)
    await db.execute(
        "UPDATE outbox SET done_at = $2 WHERE id = $1", overtaking, since + timedelta(seconds=1)
    )
    assert await db_probes.posted_since(db, CHAT, since, doubtful)
    assert not await db_probes.posted_since(db, CHAT, since + timedelta(seconds=2), doubtful)

    # A post left to the admins, and nothing of ours sent since: its copy may be anywhere.
    await db_outbox.mark_unknown(db, doubtful, "outcome unknown")
    await db.execute(
        "UPDATE outbox SET done_at = $2 WHERE id = $1", doubtful, since + timedelta(seconds=2)
    )
    assert await db_probes.undecided_before(db, CHAT)
    later = await sent_post(db, ad_id)
    await db.execute(
        "UPDATE outbox SET done_at = $2 WHERE id = $1", later, since + timedelta(seconds=3)
    )
    assert not await db_probes.undecided_before(db, CHAT)

"""The outbox's per-chat queues: exactly once, in order, nothing stranded, paced."""

from __future__ import annotations

import asyncio
import random
import time
from collections import defaultdict
from typing import Any

import asyncpg
import pytest

from vodiy_bozor.db import outbox as queue
from vodiy_bozor.db.pool import connect


async def drain_once(conn: asyncpg.Connection[Any], sent: list[tuple[str, int]]) -> bool:
    """One worker turn, as OutboxWorker does it, with an instant "send"."""
    chats = (await queue.look(conn, 8)).chats
    async with conn.transaction():
        progress = False
        for chat in chats:
            head = await queue.take_chat(conn, chat)
            if not head.locked:
                continue
            progress = True
            if head.row is not None and head.sendable:
                sent.append((head.row.chat, head.row.id))
                await queue.mark_sent(conn, head.row.id)
                await queue.settle_chat(conn, chat, queue.PaceChange.SEND)
                return True
        return progress


async def test_concurrent_enqueue_and_delivery_send_each_row_once_in_order(
    db_url: str,
) -> None:
    chats = [str(1000 + i) for i in range(12)]
    enqueued: dict[str, list[int]] = defaultdict(list)
    sent: list[tuple[str, int]] = []
    producing = True

    async def producer(seed: int) -> None:
        rng = random.Random(seed)
        conn = await connect(db_url)
        try:
            for _ in range(150):
                async with conn.transaction():  # like a handler: a few rows in one transaction
                    for chat in rng.sample(chats, rng.randint(1, 3)):
                        row_id = await queue.enqueue(conn, chat, "message")
                        enqueued[chat].append(row_id)
                await asyncio.sleep(0)
        finally:
            await conn.close()

    async def worker() -> None:
        conn = await connect(db_url)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                moved = await drain_once(conn, sent)
                if not moved and not producing:
                    pending = await conn.fetchval(
                        "SELECT count(*) FROM outbox WHERE status = 'pending'"
                    )
                    if pending == 0:
                        return
                    # Pending rows, yet no mark: a stranded queue (the bug this catches).
                    stranded = await conn.fetchval(
                        """
                        SELECT count(*) FROM outbox o
                         WHERE o.status = 'pending'
                           AND NOT EXISTS (SELECT 1 FROM outbox_due d WHERE d.chat = o.chat)
                        """
                    )
                    assert stranded == 0, "a chat has pending rows but no due mark"
                if not moved:
                    await asyncio.sleep(0.01)
        finally:
            await conn.close()

    workers = [asyncio.create_task(worker()) for _ in range(4)]
    await asyncio.gather(*(producer(seed) for seed in range(3)))
    producing = False
    await asyncio.gather(*workers)

    total = sum(len(ids) for ids in enqueued.values())
    assert len(sent) == total
    assert len({row_id for _, row_id in sent}) == total  # none twice
    for chat in chats:
        order = [row_id for c, row_id in sent if c == chat]
        assert order == sorted(enqueued[chat]), chat  # each chat in the order it was queued


async def test_a_chat_waits_for_its_pace_and_a_hold(db: asyncpg.Connection[Any]) -> None:
    first = await queue.enqueue(db, "42", "message")
    await queue.enqueue(db, "42", "message")
    async with db.transaction():
        [chat] = (await queue.look(db, 8)).chats
        head = await queue.take_chat(db, chat)
        assert head.row is not None
        assert head.row.id == first
        assert head.sendable
        await queue.mark_sent(db, first)
        await queue.settle_chat(db, chat, queue.PaceChange.SEND, interval=3600)
    # The next row is there, but the chat's allowance is spent for an hour.
    assert (await queue.look(db, 8)).chats == []
    left = await db.fetchval(
        "SELECT extract(epoch FROM min(due_at) - now())::float8 FROM outbox_due"
    )
    assert 3500 < left <= 3600

    # A 429 holds a chat even when it has allowance: after it, the chat is not due.
    await queue.enqueue(db, "43", "message")
    async with db.transaction():
        [chat] = (await queue.look(db, 8)).chats
        assert (await queue.take_chat(db, chat)).sendable
        await queue.settle_chat(db, chat, queue.PaceChange.HOLD, hold=120)
    assert (await queue.look(db, 8)).chats == []
    ready = await db.fetchval(
        "SELECT extract(epoch FROM ready_at - now())::float8 FROM outbox_chats WHERE chat = '43'"
    )
    assert 110 < ready <= 120


async def test_one_worker_per_chat(db_url: str) -> None:
    first = await connect(db_url)
    second = await connect(db_url)
    try:
        await queue.enqueue(first, "7", "message")
        async with first.transaction(), second.transaction():
            assert (await queue.take_chat(first, "7")).locked
            taken = await queue.take_chat(second, "7")
            assert not taken.locked  # skipped at once, not waited for
            assert taken.row is None
        async with second.transaction():
            assert (await queue.take_chat(second, "7")).locked  # free again after commit
    finally:
        await first.close()
        await second.close()


async def test_an_empty_outbox_is_not_due(db: asyncpg.Connection[Any]) -> None:
    assert (await queue.look(db, 8)).seconds_until_due is None
    row_id = await queue.enqueue(db, "9", "message", delay=30)
    until = (await queue.look(db, 8)).seconds_until_due
    assert until is not None
    assert 25 < until <= 30
    assert row_id > 0


async def test_bulk_buyer_notices_come_after_every_other_chat(
    db: asyncpg.Connection[Any],
) -> None:
    # A fan-out queued first: a thousand buyers' notices; then one owner's notice and a post.
    async with db.transaction():
        for buyer in range(1000, 1100):
            await queue.enqueue(db, buyer, "buyer_notice")
        await queue.enqueue(db, 42, "owner_published")
        await queue.enqueue(db, "@channel", "channel_post")
    due = (await queue.look(db, 3)).chats
    assert due == ["@channel", "42", "1000"]  # the bulk ones only once the others are taken


async def test_a_fan_out_is_queued_in_one_go_each_row_with_its_payload(
    db: asyncpg.Connection[Any],
) -> None:
    await db.execute("INSERT INTO users (id, first_name) VALUES (1, 'S')")
    ad_id = await db.fetchval(
        "INSERT INTO ads (owner_id, category, description, region, phone)"
        " VALUES (1, 'other', 'x', 'fergana', '+998901234567') RETURNING id"
    )
    buyers = list(range(2000, 2500))
    async with db.transaction():
        queued = await queue.enqueue_many(
            db, "buyer_notice", buyers, [{"search_id": b} for b in buyers], ad_id=ad_id
        )
    assert queued == 500
    rows = await db.fetch(
        "SELECT chat, payload, rank FROM outbox WHERE kind = 'buyer_notice' ORDER BY id"
    )
    assert [r["chat"] for r in rows] == [str(b) for b in buyers]
    assert [r["payload"]["search_id"] for r in rows] == buyers
    assert {r["rank"] for r in rows} == {2}
    marks = await db.fetchval("SELECT count(*) FROM outbox_due WHERE priority = 2")
    assert marks == 500


async def _listening(db_url: str, heard: asyncio.Queue[str]) -> asyncpg.Connection[Any]:
    listener = await connect(db_url)
    await listener.add_listener(queue.CHANNEL_NAME, lambda *args: heard.put_nowait(args[-1]))
    return listener


async def test_a_row_for_a_paced_chat_is_marked_for_when_the_chat_may_receive_and_says_so(
    db: asyncpg.Connection[Any], db_url: str
) -> None:
    # Chat 42's allowance is spent for an hour; chat 43 has never been sent anything.
    await queue.settle_chat(db, "42", queue.PaceChange.HOLD, hold=3600)
    heard: asyncio.Queue[str] = asyncio.Queue()
    listener = await _listening(db_url, heard)
    try:
        await queue.enqueue(db, "42", "message")
        paced = float(await asyncio.wait_for(heard.get(), 5))
        await queue.enqueue(db, "43", "message")
        unpaced = float(await asyncio.wait_for(heard.get(), 5))
    finally:
        await listener.close()
    marks = {
        r["chat"]: r["due"]
        for r in await db.fetch(
            "SELECT chat, extract(epoch FROM due_at)::float8 AS due FROM outbox_due"
        )
    }
    ready = await db.fetchval(
        "SELECT extract(epoch FROM ready_at)::float8 FROM outbox_chats WHERE chat = '42'"
    )
    now = await db.fetchval("SELECT extract(epoch FROM now())::float8")
    # Not due now (no turn of the worker for it), but when the chat may receive again; the
    # NOTIFY carries that time, on the database's clock.
    assert marks["42"] == pytest.approx(ready, abs=1e-3)
    assert paced == pytest.approx(ready, abs=1e-3)
    assert 3500 < paced - now <= 3600
    assert marks["43"] == pytest.approx(unpaced, abs=1e-3)
    assert abs(unpaced - now) < 60
    assert (await queue.look(db, 8)).chats == ["43"]


async def test_rows_for_several_chats_go_in_one_statement_in_the_order_given(
    db: asyncpg.Connection[Any], db_url: str
) -> None:
    await queue.settle_chat(db, "7", queue.PaceChange.HOLD, hold=600)
    heard: asyncio.Queue[str] = asyncio.Queue()
    listener = await _listening(db_url, heard)
    try:
        ids = await queue.enqueue_rows(
            db, [(7, "admin_photos"), (7, "admin_card"), (8, "admin_photos"), (8, "admin_card")]
        )
        due = float(await asyncio.wait_for(heard.get(), 5))
        # NOTIFYs arrive in the order their transactions committed: up to this one, nothing
        # else came.
        await db.execute("SELECT pg_notify($1, 'end')", queue.CHANNEL_NAME)
        assert await asyncio.wait_for(heard.get(), 5) == "end"
    finally:
        await listener.close()
    rows = await db.fetch("SELECT id, chat, kind FROM outbox ORDER BY id")
    assert [r["id"] for r in rows] == ids
    assert [(r["chat"], r["kind"]) for r in rows] == [
        ("7", "admin_photos"),
        ("7", "admin_card"),
        ("8", "admin_photos"),
        ("8", "admin_card"),
    ]
    marks = await db.fetch(
        "SELECT chat, extract(epoch FROM due_at - now())::float8 AS wait FROM outbox_due"
        " ORDER BY chat"
    )
    assert [m["chat"] for m in marks] == ["7", "8"]  # one mark a chat
    assert 590 < marks[0]["wait"] <= 600  # chat 7 at its pace
    assert abs(marks[1]["wait"]) < 60  # chat 8 now
    # One NOTIFY, for the earliest mark (chat 8's).
    assert due == pytest.approx(
        await db.fetchval("SELECT extract(epoch FROM min(due_at))::float8 FROM outbox_due"),
        abs=1e-3,
    )

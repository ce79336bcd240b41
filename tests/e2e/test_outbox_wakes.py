"""The outbox worker's wakes (issue 18): an enqueue's NOTIFY costs the worker nothing when
nothing it brings is due before the worker looks anyway (a chat waiting for its pace), and a
row due sooner wakes one loop, which sends it. The worker runs on a pool of its own whose
every statement is counted (asyncpg's query logger); the app's services, which the submits
below use, run on the app's pool."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.conftest import ADMIN_A, ADMIN_B, bot_env
from tests.fake_telegram import FakeTelegram, fake_jpeg
from tests.support.polling import wait_for
from vodiy_bozor.app import App, open_app
from vodiy_bozor.config import Settings
from vodiy_bozor.db import outbox as queue
from vodiy_bozor.db.pool import create_pool
from vodiy_bozor.delivery.courier import BotCourier
from vodiy_bozor.delivery.outbox import OutboxTiming, OutboxWorker
from vodiy_bozor.models import AdContent, Category, Currency, Photo, Price, Region

# Telegram's pace, and no idle look within a test: every turn here is one a NOTIFY or a due
# mark asked for.
LIMITS = replace(OutboxTiming(), idle_poll=60.0)
SELLER = 501


@dataclass
class Counted:
    worker: OutboxWorker
    statements: list[str]

    async def idle(self) -> bool:
        return self.worker.idle


@pytest.fixture
async def app(fake: FakeTelegram, db_url: str, tmp_path: Path) -> AsyncIterator[App]:
    async with open_app(Settings.from_env(bot_env(fake, db_url, tmp_path))) as opened:
        yield opened


@pytest.fixture
async def counted(app: App, db_url: str) -> AsyncIterator[Counted]:
    size = LIMITS.concurrency + 1  # the loops and the LISTEN connection
    pool = await create_pool(db_url, min_size=size, max_size=size)
    statements: list[str] = []
    held = [await pool.acquire() for _ in range(size)]
    for conn in held:
        conn.add_query_logger(lambda record: statements.append(record.query))
    for conn in held:
        await pool.release(conn)
    courier = BotCourier(
        texts=app.texts,
        captions=app.captions,
        listings=app.listings,
        photos=app.photos,
        registry=app.registry,
        promotions=app.promotions,
    )
    worker = OutboxWorker(pool, app.worker_bot, courier, LIMITS)
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    counted = Counted(worker, statements)
    try:
        await wait_for(counted.idle, what="the worker asleep")
        yield counted
    finally:
        stop.set()
        await running
        await pool.close()


def _content(fake: FakeTelegram) -> AdContent:
    file_id, unique_id = fake.add_file(fake_jpeg(7), kind="photo")
    return AdContent(
        category=Category.HOUSEHOLD,
        description="Sotiladi muzlatkich Artel, ishlaydi",
        price=Price(2_000_000, Currency.UZS),
        region=Region.NAMANGAN,
        district=None,
        phone="+998901112233",
        photos=(Photo(file_id, unique_id),),
    )


async def _hold(db: asyncpg.Connection[Any], *chats: int) -> None:
    """The chats' allowance is spent for an hour, as an admin's in a busy hour."""
    for chat in chats:
        await queue.settle_chat(db, str(chat), queue.PaceChange.HOLD, hold=3600)


async def test_submits_for_paced_admins_cost_the_sleeping_worker_nothing(
    app: App, counted: Counted, db: asyncpg.Connection[Any], fake: FakeTelegram
) -> None:
    await _hold(db, ADMIN_A, ADMIN_B)
    sellers = range(SELLER, SELLER + 10)
    await db.executemany(
        "INSERT INTO users (id, first_name) VALUES ($1, 'S')", [(s,) for s in sellers]
    )
    counted.statements.clear()
    turns = counted.worker.turns
    for seller in sellers:
        await app.listings.submit(seller, _content(fake))
    await wait_for(
        lambda: _true(counted.worker.notices >= 10 and counted.worker.idle),
        what="ten NOTIFYs heard",
    )
    # Before: each NOTIFY woke every loop for a turn of 7 statements that sent nothing.
    assert counted.worker.turns == turns
    assert counted.statements == []
    assert await db.fetchval("SELECT count(*) FROM outbox WHERE status = 'pending'") == 40


async def test_a_row_due_now_wakes_one_loop_which_sends_it(
    app: App, counted: Counted, db: asyncpg.Connection[Any], fake: FakeTelegram
) -> None:
    await _hold(db, ADMIN_A)  # ADMIN_B may receive
    await db.execute("INSERT INTO users (id, first_name) VALUES ($1, 'S')", SELLER)
    fake.user(ADMIN_B, "Botir")
    turns = counted.worker.turns
    await app.listings.submit(SELLER, _content(fake))

    async def sent_and_idle() -> bool:
        sent = await db.fetchval(
            "SELECT count(*) FROM outbox WHERE status = 'sent' AND chat = $1", str(ADMIN_B)
        )
        return sent == 2 and counted.worker.idle

    await wait_for(sent_and_idle, what="the photos and the card sent to ADMIN_B")
    # One loop: a look that sends the photos, one that sends the card (Telegram's burst),
    # one that finds nothing more. Before, all four loops woke and looked.
    assert counted.worker.turns - turns == 3
    assert await db.fetchval("SELECT status FROM outbox WHERE chat = $1", str(ADMIN_A)) == (
        "pending"
    )


async def test_a_row_due_soon_costs_one_look_then_the_timer_sends_it(
    counted: Counted, db: asyncpg.Connection[Any], fake: FakeTelegram
) -> None:
    fake.user(ADMIN_B, "Botir")
    counted.statements.clear()
    turns = counted.worker.turns
    # Due in half a second: sooner than any loop would look (a minute), so one loop looks,
    # finds nothing due yet and sets the timer; the timer's loop takes it.
    row_id = await queue.enqueue(db, ADMIN_B, "admin_card_update", ad_id=None, delay=0.5)
    await wait_for(
        lambda: _true(counted.worker.turns - turns >= 3 and counted.worker.idle),
        what="the row handled",
    )
    assert counted.worker.turns - turns == 3  # the early look, the timer's, the one after
    looks = [q for q in counted.statements if "FROM outbox_due WHERE due_at <= now()" in q]
    assert len(looks) == 3
    assert await db.fetchval("SELECT status FROM outbox WHERE id = $1", row_id) != "pending"


async def _true(value: bool) -> bool:
    return value

"""The admins' cards of a new ad are queued in one statement, however many admins there are
(issue 18: one statement per admin and row was a quarter of the bot's statements)."""

from __future__ import annotations

from typing import Any

import asyncpg

from tests.conftest import CHANNEL
from vodiy_bozor.db.pool import create_pool
from vodiy_bozor.models import AdContent, Category, Currency, Photo, Price, Region
from vodiy_bozor.services.listings import Listings

ADMINS = [9101, 9102, 9103, 9104]

CONTENT = AdContent(
    category=Category.VEHICLES,
    description="Sotiladi Cobalt 2020, probeg 45 ming km, rangi oq",
    price=Price(12_000, Currency.USD),
    region=Region.FERGANA,
    district=None,
    phone="+998901112233",
    photos=(Photo("f1", "u1"),),
)


async def test_a_submit_queues_every_admins_photos_and_card_in_one_statement(
    db: asyncpg.Connection[Any], db_url: str
) -> None:
    await db.execute("INSERT INTO users (id, first_name) VALUES (501, 'S')")
    pool = await create_pool(db_url, min_size=1, max_size=1)
    statements: list[str] = []
    try:
        async with pool.acquire() as conn:
            conn.add_query_logger(lambda record: statements.append(record.query))
        listings = Listings(
            pool,
            channel=CHANNEL,
            admin_ids=set(ADMINS),
            repost_interval=1800,
            sold_check_interval=3 * 24 * 3600,
        )
        ad_id = await listings.submit(501, CONTENT)
    finally:
        await pool.close()
    assert len([q for q in statements if "INSERT INTO outbox " in q]) == 1
    rows = await db.fetch("SELECT chat, kind, ad_id FROM outbox ORDER BY id")
    assert {r["ad_id"] for r in rows} == {ad_id}
    for admin in ADMINS:  # each admin gets the photos, then the card with the buttons
        assert [r["kind"] for r in rows if r["chat"] == str(admin)] == [
            "admin_photos",
            "admin_card",
        ]
    assert len(rows) == 2 * len(ADMINS)

"""The day's notice allowance taken for many buyers at once, and the evening digest's rows:
held for the next 20:00 in Tashkent, claimed whole per buyer, and only once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from vodiy_bozor.db import notices
from vodiy_bozor.db.ads import insert_ad
from vodiy_bozor.models import AdContent, Category, Currency, Photo, Price, Region


async def _ad(db: asyncpg.Connection[Any], owner: int) -> int:
    await db.execute(
        "INSERT INTO users (id, first_name) VALUES ($1, 'S') ON CONFLICT DO NOTHING", owner
    )
    content = AdContent(
        Category.OTHER,
        "Китоб",
        Price(10_000, Currency.UZS),
        Region.ANDIJAN,
        None,
        "+998901112233",
        (Photo(f"f{owner}", f"u{owner}"),),
    )
    return await insert_ad(db, owner, content)


async def test_slots_for_many_buyers_stop_at_the_days_limit(db: asyncpg.Connection[Any]) -> None:
    granted = await notices.take_notice_slots(db, [3, 1, 2, 2], per_day=2)
    assert granted == {1, 2, 3}
    assert await notices.take_notice_slots(db, [1, 2], per_day=2) == {1, 2}
    assert await notices.take_notice_slots(db, [1, 2, 4], per_day=2) == {4}
    assert await notices.take_notice_slot(db, 1, per_day=2) is False
    sent = await db.fetch("SELECT buyer_id, sent FROM search_notice_days ORDER BY buyer_id")
    assert [(r["buyer_id"], r["sent"]) for r in sent] == [(1, 2), (2, 2), (3, 1), (4, 1)]


async def test_held_ads_are_due_in_the_evening_and_claimed_once_per_buyer(
    db: asyncpg.Connection[Any],
) -> None:
    first, second = await _ad(db, 50), await _ad(db, 51)
    await notices.hold_many_for_digest(db, [7, 8], first)
    await notices.hold_for_digest(db, 7, second)
    await notices.hold_for_digest(db, 7, second)  # held twice: listed once
    due = await db.fetch("SELECT DISTINCT due_at FROM search_digest_items")
    assert len(due) == 1
    due_at = due[0]["due_at"].astimezone(UTC)
    now = datetime.now(UTC)
    assert (due_at.hour, due_at.minute, due_at.second) == (15, 0, 0)  # 20:00 at UTC+5
    assert now < due_at <= now + timedelta(days=1)

    assert await notices.claim_digests(db, 100) == {}  # not evening yet
    await db.execute("UPDATE search_digest_items SET due_at = now() - interval '1 minute'")
    assert await notices.claim_digests(db, 100) == {7: [first, second], 8: [first]}
    assert await notices.claim_digests(db, 100) == {}

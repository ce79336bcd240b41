"""The PostgreSQL FSM storage: state and data survive, and concurrent updates lose nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from aiogram.fsm.storage.base import StorageKey

from vodiy_bozor.bot.fsm_storage import PostgresStorage
from vodiy_bozor.db.pool import create_pool

KEY = StorageKey(bot_id=1, chat_id=42, user_id=42)


@pytest.fixture
async def pool(db_url: str) -> AsyncIterator[asyncpg.Pool[Any]]:
    pool = await create_pool(db_url, min_size=1, max_size=10)
    yield pool
    await pool.close()


async def test_state_and_data_round_trip(pool: asyncpg.Pool[Any]) -> None:
    storage = PostgresStorage(pool)
    assert await storage.get_state(KEY) is None
    assert await storage.get_data(KEY) == {}
    await storage.set_state(KEY, "NewAd:price")
    await storage.set_data(KEY, {"description": "Ўзбекча <b>", "photos": [{"id": "x"}]})
    # A new storage object (as after a restart) sees the same.
    again = PostgresStorage(pool)
    assert await again.get_state(KEY) == "NewAd:price"
    assert await again.get_data(KEY) == {"description": "Ўзбекча <b>", "photos": [{"id": "x"}]}


async def test_clear_removes_the_row(pool: asyncpg.Pool[Any]) -> None:
    storage = PostgresStorage(pool)
    await storage.set_state(KEY, "NewAd:photos")
    await storage.set_data(KEY, {"a": 1})
    await storage.set_state(KEY, None)
    assert await storage.get_data(KEY) == {"a": 1}  # data alone keeps the row
    await storage.set_data(KEY, {})
    assert await pool.fetchval("SELECT count(*) FROM fsm_states") == 0


async def test_keys_are_separate(pool: asyncpg.Pool[Any]) -> None:
    storage = PostgresStorage(pool)
    other = StorageKey(bot_id=1, chat_id=43, user_id=43)
    await storage.set_state(KEY, "A:a")
    await storage.set_state(other, "B:b")
    assert await storage.get_state(KEY) == "A:a"
    assert await storage.get_state(other) == "B:b"


async def test_concurrent_updates_lose_no_key(pool: asyncpg.Pool[Any]) -> None:
    storage = PostgresStorage(pool)
    await storage.set_state(KEY, "NewAd:photos")
    await asyncio.gather(*(storage.update_data(KEY, {f"k{i}": i}) for i in range(30)))
    data = await storage.get_data(KEY)
    assert data == {f"k{i}": i for i in range(30)}


async def test_concurrent_appends_keep_order_limit_and_uniqueness(pool: asyncpg.Pool[Any]) -> None:
    storage = PostgresStorage(pool)
    await storage.set_state(KEY, "NewAd:photos")
    await storage.set_data(KEY, {"photos": []})
    items = [{"uid": f"u{i}", "m": i} for i in range(14)] + [{"uid": "u3", "m": 3}] * 4
    results = await asyncio.gather(
        *(storage.append_unique(KEY, "photos", it, unique_by="uid", limit=10) for it in items)
    )
    photos = (await storage.get_data(KEY))["photos"]
    stored = [p["uid"] for p in photos]
    assert len(stored) == 10
    assert len(set(stored)) == 10
    # An append says "full" (None) exactly when its photo is not in the list.
    for item, result in zip(items, results, strict=True):
        assert (result is None) == (item["uid"] not in stored), (item, result)


async def test_append_reports_duplicate_and_full(pool: asyncpg.Pool[Any]) -> None:
    storage = PostgresStorage(pool)
    await storage.set_state(KEY, "NewAd:photos")
    assert await storage.append_unique(KEY, "photos", {"uid": "a"}, unique_by="uid", limit=2) == 1
    assert await storage.append_unique(KEY, "photos", {"uid": "a"}, unique_by="uid", limit=2) == 1
    assert await storage.append_unique(KEY, "photos", {"uid": "b"}, unique_by="uid", limit=2) == 2
    assert (
        await storage.append_unique(KEY, "photos", {"uid": "c"}, unique_by="uid", limit=2) is None
    )
    assert [p["uid"] for p in (await storage.get_data(KEY))["photos"]] == ["a", "b"]

"""The user registry (bot/user_registry.py) on a real database: which writes an update waits
for, and which it does not."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from aiogram.types import User

from vodiy_bozor.bot.user_registry import UserRegistry
from vodiy_bozor.db.pool import create_pool
from vodiy_bozor.models import Lang


@pytest.fixture
async def pool(db_url: str) -> AsyncIterator[asyncpg.Pool[Any]]:
    pool = await create_pool(db_url, min_size=1, max_size=4)
    yield pool
    await pool.close()


ALI = User(id=101, is_bot=False, first_name="Ali", language_code="uz")


async def test_the_periodic_refresh_does_not_hold_up_the_update(
    pool: asyncpg.Pool[Any], db: asyncpg.Connection[Any]
) -> None:
    registry = UserRegistry(pool, refresh_after=0)  # every update after the first refreshes
    assert await registry.seen(ALI) is Lang.UZ_CYRL
    await registry.choose_language(ALI.id, Lang.RU)
    first_seen = await db.fetchval("SELECT last_seen FROM users WHERE id = $1", ALI.id)
    writes = registry.writes

    # While the user's row is locked, a write on the update's path could not finish.
    async with db.transaction():
        await db.execute("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", ALI.id)
        lang = await asyncio.wait_for(registry.seen(ALI), timeout=5)
        assert lang is Lang.RU
        assert await asyncio.wait_for(registry.seen(ALI), timeout=5) is Lang.RU
        assert registry.writes == writes

    # Once the lock is gone the refresh lands, once for the two updates.
    await registry.drain()
    assert registry.writes == writes + 1
    last_seen = await db.fetchval("SELECT last_seen FROM users WHERE id = $1", ALI.id)
    assert last_seen > first_seen
    assert await registry.seen(ALI) is Lang.RU


async def test_a_new_user_is_written_before_the_update_goes_on(
    pool: asyncpg.Pool[Any], db: asyncpg.Connection[Any]
) -> None:
    registry = UserRegistry(pool)
    await db.execute(
        "INSERT INTO users (id, first_name, lang) VALUES ($1, 'Ali', 'uz_latn')", ALI.id
    )
    # The language chosen in an earlier process is what this update is answered in.
    assert await registry.seen(ALI) is Lang.UZ_LATN
    assert registry.writes == 1
    code = await db.fetchval("SELECT language_code FROM users WHERE id = $1", ALI.id)
    assert code == "uz"

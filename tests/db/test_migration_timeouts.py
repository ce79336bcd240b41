"""Migrations run without the timeouts meant for the bot's short statements, and a second
instance waits for the first one's migration instead of failing."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import asyncpg

from vodiy_bozor.db.migrate import Migration, available_migrations, migrate, migrate_database
from vodiy_bozor.db.pool import connect_unlimited, create_pool

# A backfill that takes longer than the statement timeout an operator set for the database.
SLOW = Migration(9999, "slow_backfill", "SELECT pg_sleep(1.5);")


async def _short_statement_timeout(url: str) -> None:
    """What an operator may do: a database-wide default, inherited by every new connection."""
    name = urlsplit(url).path.lstrip("/")
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f"ALTER DATABASE \"{name}\" SET statement_timeout = '300ms'")
    finally:
        await conn.close()


async def test_two_instances_migrate_a_fresh_database_at_once_one_slowly(
    empty_db_url: str,
) -> None:
    await _short_statement_timeout(empty_db_url)
    migrations = [*available_migrations(), SLOW]
    # Both instances migrate over their pools' connections, as the bot did at start-up.
    pools = [await create_pool(empty_db_url, min_size=1, max_size=1) for _ in range(2)]
    try:

        async def instance(pool: asyncpg.Pool[Any]) -> list[int]:
            async with pool.acquire() as conn:
                assert await conn.fetchval("SHOW statement_timeout") == "300ms"
                applied = await migrate(conn, migrations)
                # SET LOCAL: the pooled connection keeps the operator's setting afterwards.
                assert await conn.fetchval("SHOW statement_timeout") == "300ms"
                return [m.version for m in applied]

        first, second = await asyncio.gather(*(instance(pool) for pool in pools))
    finally:
        for pool in pools:
            await pool.close()

    # One applied everything, the slow one included; the other waited and found it done.
    assert sorted([first, second], key=len) == [[], [m.version for m in migrations]]
    conn = await asyncpg.connect(empty_db_url)
    try:
        versions = await conn.fetch("SELECT version FROM schema_migrations ORDER BY version")
        assert [r["version"] for r in versions] == [m.version for m in migrations]
    finally:
        await conn.close()


async def test_the_migration_connection_has_no_timeouts(empty_db_url: str) -> None:
    await _short_statement_timeout(empty_db_url)
    conn = await connect_unlimited(empty_db_url)
    try:
        assert await conn.fetchval("SHOW statement_timeout") == "0"
        assert await conn.fetchval("SHOW lock_timeout") == "0"
        assert await conn.execute("SELECT pg_sleep(0.5)") == "SELECT 1"  # longer than 300 ms
    finally:
        await conn.close()
    applied = await migrate_database(empty_db_url)
    assert [m.version for m in applied] == [m.version for m in available_migrations()]
    assert await migrate_database(empty_db_url) == []

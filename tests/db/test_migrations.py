"""Migrations: all applied in order, recorded, idempotent, and safe when two processes race."""

from __future__ import annotations

import asyncio

import asyncpg

from vodiy_bozor.db.migrate import applied_versions, available_migrations, migrate


async def test_migrate_applies_everything_once(empty_db_url: str) -> None:
    conn = await asyncpg.connect(empty_db_url)
    try:
        first = await migrate(conn)
        assert [m.version for m in first] == [m.version for m in available_migrations()]
        assert await applied_versions(conn) == [m.version for m in available_migrations()]
        assert await migrate(conn) == []
        tables = {
            r["tablename"]
            for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname='public'")
        }
        assert {"users", "fsm_states", "ads", "ad_photos", "outbox"} <= tables
    finally:
        await conn.close()


async def test_two_processes_migrating_at_once_do_not_collide(empty_db_url: str) -> None:
    conns = [await asyncpg.connect(empty_db_url) for _ in range(3)]
    try:
        results = await asyncio.gather(*(migrate(c) for c in conns))
        applied = sorted(len(r) for r in results)
        assert applied == [0, 0, len(available_migrations())]
        count = await conns[0].fetchval("SELECT count(*) FROM schema_migrations")
        assert count == len(available_migrations())
    finally:
        for c in conns:
            await c.close()


async def test_versions_are_numbered_without_gaps() -> None:
    versions = [m.version for m in available_migrations()]
    assert versions == list(range(1, len(versions) + 1))

"""Numbered plain-SQL migrations, applied in one transaction under an advisory lock.

Files in `migrations/` are named `NNNN_description.sql` and applied in order; each applied
version is recorded in `schema_migrations`. Two processes starting at once serialise on the
advisory lock, and the second finds nothing left to do.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib import resources

from vodiy_bozor.db import Conn
from vodiy_bozor.db.search import backfill_search_text

log = logging.getLogger(__name__)

# An arbitrary constant that identifies "the migration lock" of this application:
# https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
MIGRATION_LOCK_KEY = 0x766F6469_79  # "vodiy"

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


async def _fold_existing_ads(conn: Conn) -> None:
    filled = await backfill_search_text(conn)
    log.info("folded the search text of %d existing ads", filled)


# What a migration needs done in Python right after its SQL, in the same transaction: the
# search text is folded by vodiy_bozor.search_text, which SQL cannot call.
_AFTER_SQL: dict[int, Callable[[Conn], Awaitable[None]]] = {6: _fold_existing_ads}


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    found: list[Migration] = []
    for entry in resources.files("vodiy_bozor.db.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError("two migrations share a version number")
    return found


async def migrate(conn: Conn) -> list[Migration]:
    """Apply every migration not applied yet; return the ones applied now."""
    applied_now: list[Migration] = []
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK_KEY)
        await conn.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """
        )
        done = {r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")}
        for migration in available_migrations():
            if migration.version in done:
                continue
            log.info("applying migration %04d_%s", migration.version, migration.name)
            await conn.execute(migration.sql)
            after = _AFTER_SQL.get(migration.version)
            if after is not None:
                await after(conn)
            await conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                migration.version,
                migration.name,
            )
            applied_now.append(migration)
    return applied_now


async def applied_versions(conn: Conn) -> list[int]:
    exists = await conn.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL")
    if not exists:
        return []
    rows = await conn.fetch("SELECT version FROM schema_migrations ORDER BY version")
    return [r["version"] for r in rows]

"""Numbered plain-SQL migrations, applied in one transaction under an advisory lock.

Files in `migrations/` are named `NNNN_description.sql` and applied in order; each applied
version is recorded in `schema_migrations`. Two processes starting at once serialise on the
advisory lock: the second waits, however long the first takes, and then finds nothing left to
do. A migration may take long (a backfill of a big table), so no timeout applies while
migrating: neither the server's `statement_timeout`/`lock_timeout` (an operator may set them
for the database or the role, and the pool's connections inherit them) nor the driver's
per-call timeout.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from importlib import resources

from vodiy_bozor.db import Conn
from vodiy_bozor.db.pool import connect_unlimited
from vodiy_bozor.db.refold import (
    refold_saved_searches,
    refold_search_text,
    refold_text_sketches,
)
from vodiy_bozor.db.search import backfill_search_text

log = logging.getLogger(__name__)

# An arbitrary constant that identifies "the migration lock" of this application:
# https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
MIGRATION_LOCK_KEY = 0x766F6469_79  # "vodiy"

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

# asyncpg applies the connection's `command_timeout` (the pool's is 30 s) to every call unless
# the call gives its own; a week stands for "no limit" where asyncpg wants a number.
# https://magicstack.github.io/asyncpg/current/api/index.html#asyncpg.connection.connect
NO_TIMEOUT = 7 * 24 * 3600.0

# What a migration runs under: no statement or lock timeout, whatever the database's or role's
# defaults are. SET LOCAL ends with the transaction, so a pooled connection is left as it was.
# https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-STATEMENT-TIMEOUT
_UNLIMITED = """
    SET LOCAL statement_timeout = 0;
    SET LOCAL lock_timeout = 0;
    SET LOCAL idle_in_transaction_session_timeout = 0;
"""


async def _fold_existing_ads(conn: Conn) -> None:
    filled = await backfill_search_text(conn)
    log.info("folded the search text of %d existing ads", filled)


async def _refold_stored_forms(conn: Conn) -> None:
    ads = await refold_search_text(conn)
    searches = await refold_saved_searches(conn)
    sketches = await refold_text_sketches(conn)
    log.info(
        "folded again: the search text of %d ads, %d saved searches, %d text sketches",
        ads,
        searches,
        sketches,
    )


# What a migration needs done in Python right after its SQL, in the same transaction: the
# search text and the text sketches are folded by vodiy_bozor.text, which SQL cannot call.
# 17 (the assistant's sketches in search's form, the brand table's Cyrillic readings of Latin
# names) and 19 (q folded to k) refold the same three things as 16.
_AFTER_SQL: dict[int, Callable[[Conn], Awaitable[None]]] = {
    6: _fold_existing_ads,
    16: _refold_stored_forms,
    17: _refold_stored_forms,
    19: _refold_stored_forms,
}


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


async def migrate(conn: Conn, migrations: Sequence[Migration] | None = None) -> list[Migration]:
    """Apply every migration not applied yet; return the ones applied now. Another process
    migrating the same database is waited for (it holds the lock until it commits)."""
    applied_now: list[Migration] = []
    async with conn.transaction():
        await conn.execute(_UNLIMITED, timeout=NO_TIMEOUT)
        if not await conn.fetchval(
            "SELECT pg_try_advisory_xact_lock($1)", MIGRATION_LOCK_KEY, timeout=NO_TIMEOUT
        ):
            log.info("another instance is migrating the database; waiting for it")
            await conn.execute(
                "SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK_KEY, timeout=NO_TIMEOUT
            )
        await conn.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            timeout=NO_TIMEOUT,
        )
        done = {r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")}
        for migration in available_migrations() if migrations is None else migrations:
            if migration.version in done:
                continue
            log.info("applying migration %04d_%s", migration.version, migration.name)
            if _has_statements(migration.sql):
                await conn.execute(migration.sql, timeout=NO_TIMEOUT)
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


async def migrate_database(dsn: str) -> list[Migration]:
    """Migrate over a connection of its own, opened without the pool's timeouts: what the bot
    runs at start-up and `vodiy-bozor migrate` runs."""
    conn = await connect_unlimited(dsn)
    try:
        return await migrate(conn)
    finally:
        await conn.close()


def _has_statements(sql: str) -> bool:
    """False for a file of comments only (a number reserved for another branch): PostgreSQL
    answers an empty query with no command tag, which asyncpg cannot take."""
    lines = (line.split("--", 1)[0].strip() for line in sql.splitlines())
    return any(lines)


async def applied_versions(conn: Conn) -> list[int]:
    exists = await conn.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL")
    if not exists:
        return []
    rows = await conn.fetch("SELECT version FROM schema_migrations ORDER BY version")
    return [r["version"] for r in rows]

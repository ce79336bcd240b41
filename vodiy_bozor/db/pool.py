"""The connection pool, with JSON codecs so jsonb columns come back as Python objects."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import orjson

# Pool bounds: the handlers run at most `HANDLER_CONCURRENCY` at once and each holds a
# connection only for a statement or a short transaction; the outbox worker holds one per
# in-flight send. More connections than cores only adds contention on a 2-core machine.
DEFAULT_MIN_SIZE = 2
DEFAULT_MAX_SIZE = 16


async def _init_connection(conn: asyncpg.Connection[Any]) -> None:
    for typename in ("json", "jsonb"):
        await conn.set_type_codec(
            typename,
            schema="pg_catalog",
            encoder=lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":")),
            # orjson reads the same JSON faster; writing stays with json.dumps, which (unlike
            # orjson) turns integer dict keys into strings as the rest of our code expects.
            decoder=orjson.loads,
        )


async def _keep_session(conn: asyncpg.Connection[Any]) -> None:
    """Return a connection to the pool without asyncpg's default reset query.

    The default (`SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`) is a
    server round trip on every release, that is on every `pool.fetch*()`: it was 45% of the
    bot's statements in the benchmark. Our code leaves no session state behind: it takes no
    session-level advisory locks (migrations use `pg_advisory_xact_lock`), sets no session
    settings, opens cursors only inside transactions, and the LISTENing workers UNLISTEN when
    they stop. asyncpg still rolls back an open transaction and drops listener callbacks
    before calling this.
    """


async def connect(dsn: str) -> asyncpg.Connection[Any]:
    """A single connection with the same codecs as the pool's (for tools and tests)."""
    conn = await asyncpg.connect(dsn)
    await _init_connection(conn)
    return conn


async def connect_unlimited(dsn: str) -> asyncpg.Connection[Any]:
    """A connection for long work (migrations): no driver timeout, and the server's statement,
    lock and idle-in-transaction timeouts switched off for the session, whatever the database's
    or role's defaults say.
    https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-STATEMENT-TIMEOUT
    """
    conn = await asyncpg.connect(
        dsn,
        command_timeout=None,
        server_settings={
            "application_name": "vodiy-bozor migrate",
            "statement_timeout": "0",
            "lock_timeout": "0",
            "idle_in_transaction_session_timeout": "0",
        },
    )
    await _init_connection(conn)
    return conn


async def create_pool(
    dsn: str,
    *,
    min_size: int = DEFAULT_MIN_SIZE,
    max_size: int = DEFAULT_MAX_SIZE,
    application_name: str = "vodiy-bozor",
) -> asyncpg.Pool[Any]:
    pool = await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        init=_init_connection,
        reset=_keep_session,
        command_timeout=30,
        server_settings={"application_name": application_name},
    )
    assert pool is not None  # create_pool returns None only when awaited without init
    return pool


async def server_version(pool: asyncpg.Pool[Any]) -> str:
    """The PostgreSQL server's version, as `SHOW server_version` gives it."""
    version: str = await pool.fetchval("SHOW server_version")
    return version

"""The connection pool, with JSON codecs so jsonb columns come back as Python objects."""

from __future__ import annotations

import json
from typing import Any

import asyncpg

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
            decoder=json.loads,
        )


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
        command_timeout=30,
        server_settings={"application_name": application_name},
    )
    assert pool is not None  # create_pool returns None only when awaited without init
    return pool

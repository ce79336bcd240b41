"""Create (or drop) a uniquely named database on the machine's PostgreSQL for one CI run.

`create` prints its URL and exits 0, or exits 1 when no server answers at 127.0.0.1:5432.
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from urllib.parse import urlsplit

import asyncpg

SERVER = os.environ.get("CI_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


async def create() -> int:
    name = f"vodiy_ci_{uuid.uuid4().hex[:10]}"
    try:
        conn = await asyncpg.connect(SERVER, timeout=5)
    except (OSError, asyncpg.PostgresError):
        return 1
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    print(SERVER.rsplit("/", 1)[0] + "/" + name)  # noqa: T201
    return 0


async def drop(url: str) -> int:
    name = urlsplit(url).path.lstrip("/")
    conn = await asyncpg.connect(SERVER, timeout=5)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "create"
    sys.exit(asyncio.run(create() if command == "create" else drop(sys.argv[2])))

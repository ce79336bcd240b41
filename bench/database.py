"""A fresh database for one benchmark run, and fast seeding in plain SQL.

`BENCH_DATABASE_URL` (or else `TEST_DATABASE_URL`) names a PostgreSQL server, e.g. the
machine's at 127.0.0.1:5432: a new database is created on it and dropped at the end. Without
either, a throwaway embedded server is started in a temporary folder and removed afterwards.
Seeding uses `generate_series` inside the server: a million rows in seconds, no round trips.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from vodiy_bozor.db.embedded import EmbeddedPostgres
from vodiy_bozor.db.migrate import migrate
from vodiy_bozor.models import Category, Region

CATEGORIES = [c.value for c in Category]
REGIONS = [r.value for r in Region]


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


class BenchDatabase:
    """`async with BenchDatabase() as db:` then `db.url`, `db.external`."""

    def __init__(self) -> None:
        self.server_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get(
            "TEST_DATABASE_URL"
        )
        self.external = bool(self.server_url)
        self.name = f"vodiy_bench_{uuid.uuid4().hex[:10]}"
        self.url = ""
        self._embedded: EmbeddedPostgres | None = None
        self._tmp: Path | None = None

    @property
    def where(self) -> str:
        if self.external and self.server_url:
            parts = urlsplit(self.server_url)
            return f"PostgreSQL at {parts.hostname}:{parts.port or 5432}"
        return "embedded PostgreSQL (throwaway)"

    async def __aenter__(self) -> BenchDatabase:
        if not self.server_url:
            self._tmp = Path(tempfile.mkdtemp(prefix="vodiy-bench-pg-"))
            self._embedded = EmbeddedPostgres(self._tmp)
            self.server_url = await self._embedded.start()
        admin = await asyncpg.connect(self.server_url, timeout=10)
        try:
            await admin.execute(f'CREATE DATABASE "{self.name}"')
        finally:
            await admin.close()
        self.url = with_database(self.server_url, self.name)
        conn = await asyncpg.connect(self.url)
        try:
            await migrate(conn)
        finally:
            await conn.close()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.drop()

    async def drop(self) -> None:
        try:
            if self.server_url and self.url:
                admin = await asyncpg.connect(self.server_url, timeout=10)
                try:
                    await admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                finally:
                    await admin.close()
                self.url = ""
        finally:
            if self._embedded is not None:
                await self._embedded.stop()
                self._embedded = None
            if self._tmp is not None:
                shutil.rmtree(self._tmp, ignore_errors=True)
                self._tmp = None


async def seed_users(conn: asyncpg.Connection[Any], count: int) -> None:
    """Users 1..count, as if they had written to the bot over the past year."""
    await conn.execute(
        """
        INSERT INTO users (id, username, first_name, last_name, language_code, lang,
                           first_seen, last_seen)
        SELECT g, 'user' || g, 'Foydalanuvchi ' || g,
               CASE WHEN g % 3 = 0 THEN 'Familiya' END,
               (ARRAY['uz', 'ru', 'uz', 'en'])[1 + g % 4],
               CASE WHEN g % 10 = 0 THEN 'ru' END,
               now() - make_interval(days => 1 + g % 365),
               now() - make_interval(hours => g % 720)
          FROM generate_series(1, $1::int) g
        ON CONFLICT (id) DO NOTHING
        """,
        count,
    )


async def seed_published_ads(
    conn: asyncpg.Connection[Any], count: int, *, sellers: int, photos: bool
) -> None:
    """`count` more published ads, spread evenly over sellers 1..`sellers`.

    The trigger that keeps `users.live_ads` would run one UPDATE per ad; it is switched off
    for the bulk insert and the counts are recomputed in one statement instead (same result).
    Their "sold?" checks are due days from now and their last showing hours to weeks ago, so
    the bot's schedules do not start working on them during the measurement.
    """
    async with conn.transaction():
        first = int(await conn.fetchval("SELECT coalesce(max(id), 0) FROM ads")) + 1
        await conn.execute("ALTER TABLE ads DISABLE TRIGGER ads_count_live")
        await conn.execute(
            """
            INSERT INTO ads (id, owner_id, status, category, description, price_amount,
                             price_currency, region, district, phone, created_at, decided_at,
                             decided_by, published_at, last_shown_at, next_check_at)
            SELECT g, 1 + (g - 1) % $3::int, 'published',
                   ($4::text[])[1 + g % cardinality($4::text[])],
                   'Sotiladi: tovar № ' || g || '. Holati yaxshi, narxi kelishiladi. '
                       || repeat('Batafsil ma''lumot telefon orqali. ', 1 + g % 4),
                   -- Prices like the valley's (10 000 to 50 million so'm, $2 to $10 000): the
                   -- assistant's price check compares a new ad with these.
                   CASE WHEN g % 7 = 0 THEN NULL
                        WHEN g % 5 = 0 THEN 2 * (1 + g % 5000)
                        ELSE 10000 * (1 + g % 5000) END,
                   CASE WHEN g % 5 = 0 THEN 'USD' ELSE 'UZS' END,
                   ($5::text[])[1 + g % cardinality($5::text[])],
                   CASE WHEN g % 2 = 0 THEN 'Marg''ilon' END,
                   '+99890' || lpad((g % 10000000)::text, 7, '0'),
                   now() - make_interval(days => 2 + g % 60),
                   now() - make_interval(days => 1 + g % 60),
                   1,
                   now() - make_interval(days => 1 + g % 60),
                   now() - make_interval(hours => 2 + g % 720, secs => g % 3600),
                   now() + make_interval(days => 1 + g % 3)
              FROM generate_series($1::int, $2::int) g
            """,
            first,
            first + count - 1,
            sellers,
            list(CATEGORIES),
            list(REGIONS),
        )
        if photos:
            # One photo each, already archived (so no archiver starts downloading them).
            await conn.execute(
                """
                INSERT INTO ad_photos (ad_id, position, file_id, file_unique_id, storage_key,
                                       archived_at)
                SELECT g, 0, 'AgACseed' || g, 'AQADseed' || g, 'seed/' || g || '.jpg', now()
                  FROM generate_series($1::int, $2::int) g
                """,
                first,
                first + count - 1,
            )
        await conn.execute("ALTER TABLE ads ENABLE TRIGGER ads_count_live")
        await conn.execute(
            """
            UPDATE users u SET live_ads = c.n,
                   last_reposted_at = now() - make_interval(hours => (1 + u.id % 500)::int)
              FROM (SELECT owner_id, count(*) AS n FROM ads
                     WHERE status = 'published' GROUP BY owner_id) c
             WHERE u.id = c.owner_id
            """
        )
        await conn.execute(
            "SELECT setval(pg_get_serial_sequence('ads', 'id'), (SELECT max(id) FROM ads))"
        )
    await conn.execute("VACUUM ANALYZE users")
    await conn.execute("VACUUM ANALYZE ads")
    await conn.execute("VACUUM ANALYZE ad_photos")


async def table_sizes(conn: asyncpg.Connection[Any]) -> dict[str, int]:
    rows = await conn.fetch(
        "SELECT 'users' AS t, count(*) AS n FROM users "
        "UNION ALL SELECT 'ads', count(*) FROM ads "
        "UNION ALL SELECT 'published ads', count(*) FROM ads WHERE status = 'published'"
    )
    return {r["t"]: r["n"] for r in rows}

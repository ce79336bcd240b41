"""Shared fixtures: a real PostgreSQL, the fake Bot API, and the real bot running against both.

PostgreSQL comes from `TEST_DATABASE_URL` when it is set (CI points it at the machine's server);
otherwise a throwaway embedded server is started for the session, so `uv run pytest` works on a
machine with nothing installed. Every test gets its own database, cloned from a migrated
template (fast, and no test sees another's rows).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from tests.fake_telegram import FakeTelegram
from vodiy_bozor.app import App, open_app
from vodiy_bozor.config import Settings
from vodiy_bozor.db.embedded import EmbeddedPostgres
from vodiy_bozor.db.migrate import migrate
from vodiy_bozor.db.pool import connect
from vodiy_bozor.delivery.archive import ArchiveLimits
from vodiy_bozor.delivery.outbox import Limits
from vodiy_bozor.runtime.serve import serve
from vodiy_bozor.services.listings import Listings

TOKEN = "123456:TEST-token-for-the-fake-api"
BOT_USERNAME = "vodiy_test_bot"
CHANNEL = "@vodiy_test"
CHANNEL_ID = -1001234567890
ADMIN_A = 9001
ADMIN_B = 9002

# Telegram's real pace would make every test wait seconds per channel post; tests that are
# about the limits themselves (and the benchmark) use the real `Limits()`.
FAST_LIMITS = Limits(
    private_interval=0.01,
    private_burst=1.0,
    group_interval=0.01,
    group_burst=1.0,
    global_interval=0.001,
    backoff_base=0.2,
    backoff_max=1.0,
    idle_poll=0.5,
)
# A long idle poll: new photos must wake the archiver through NOTIFY, as in production.
FAST_ARCHIVE = ArchiveLimits(backoff_base=0.1, backoff_max=0.3, idle_poll=30.0, busy_poll=0.05)


def listings_on(pool: asyncpg.Pool[Any], *, repost_interval: float = 1800) -> Listings:
    """The listings service as the bot under test builds it, on any pool (for arranging ads)."""
    return Listings(
        pool,
        channel=CHANNEL,
        admin_ids={ADMIN_A, ADMIN_B},
        repost_interval=repost_interval,
        sold_check_interval=3 * 24 * 3600,
    )


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A DSN of a PostgreSQL server whose database we may use to create others."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield url
        return
    data_dir = Path(tempfile.mkdtemp(prefix="vodiy-test-pg-"))
    server = EmbeddedPostgres(data_dir)
    try:
        yield server.start_sync()
    finally:
        server.stop_sync()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def template_db(pg_server: str) -> Iterator[str]:
    """A migrated database that every test's database is cloned from."""
    name = f"vodiy_tpl_{uuid.uuid4().hex[:10]}"

    async def create() -> None:
        admin = await asyncpg.connect(pg_server)
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        conn = await asyncpg.connect(_with_database(pg_server, name))
        try:
            await migrate(conn)
        finally:
            await conn.close()

    asyncio.run(create())
    yield name
    asyncio.run(_drop(pg_server, name))


async def _drop(server: str, name: str) -> None:
    admin = await asyncpg.connect(server)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
async def db_url(pg_server: str, template_db: str) -> AsyncIterator[str]:
    """A fresh, migrated database for one test."""
    name = f"vodiy_t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(pg_server)
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_db}"')
    finally:
        await admin.close()
    yield _with_database(pg_server, name)
    await _drop(pg_server, name)


@pytest.fixture
async def empty_db_url(pg_server: str) -> AsyncIterator[str]:
    """A fresh database with no tables at all (for migration tests)."""
    name = f"vodiy_e_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(pg_server)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    yield _with_database(pg_server, name)
    await _drop(pg_server, name)


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[asyncpg.Connection[Any]]:
    """A connection to the test's database (with the bot's JSON codecs), for arranging and
    asserting rows."""
    conn = await connect(db_url)
    yield conn
    await conn.close()


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(
        token=TOKEN,
        bot_username=BOT_USERNAME,
        channel_username=CHANNEL.removeprefix("@"),
        channel_id=CHANNEL_ID,
    ) as server:
        yield server


def bot_env(fake: FakeTelegram, db_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment a deployment would give the bot, pointed at the fakes."""
    env = {
        "API_TOKEN": TOKEN,
        "CHANNEL_ID": CHANNEL,
        "ADMIN_IDS": f"{ADMIN_A},{ADMIN_B}",
        "TELEGRAM_API_URL": fake.url,
        "DATABASE_URL": db_url,
        "DATA_DIR": str(data_dir),
        "LOG_LEVEL": "DEBUG",
    }
    env.update(extra)
    return env


@dataclass
class RunningBot:
    """The real bot (dispatcher, handlers, outbox worker, jobs) running in this event loop
    against the fake Bot API and a real database; `restart()` stops it and starts a new one
    on the same database, as a process restart would."""

    settings: Settings
    limits: Limits = FAST_LIMITS
    app: App | None = None
    _task: asyncio.Task[None] | None = None
    _stop: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self) -> App:
        ready: asyncio.Future[App] = asyncio.get_running_loop().create_future()
        self._stop = asyncio.Event()

        async def run() -> None:
            try:
                async with open_app(self.settings) as app:
                    app.outbox_limits = self.limits
                    app.archive_limits = FAST_ARCHIVE
                    self.app = app
                    ready.set_result(app)
                    await serve(app, self._stop)
            except BaseException as exc:
                if not ready.done():
                    ready.set_exception(exc)
                raise

        self._task = asyncio.create_task(run())
        return await ready

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await self._task
        self._task = None
        self.app = None

    async def restart(self, **changes: Any) -> App:
        await self.stop()
        if changes:
            self.settings = replace(self.settings, **changes)
        return await self.start()


@pytest.fixture
async def running_bot(fake: FakeTelegram, db_url: str, tmp_path: Path) -> AsyncIterator[RunningBot]:
    settings = Settings.from_env(bot_env(fake, db_url, tmp_path))
    bot = RunningBot(settings)
    await bot.start()
    await fake.wait_call("getUpdates", timeout=10)
    try:
        yield bot
    finally:
        with contextlib.suppress(Exception):
            await bot.stop()

"""Shared fixtures: a real PostgreSQL, the fake Bot API, and the real bot running against both.

PostgreSQL comes from `TEST_DATABASE_URL` when it is set (CI points it at the machine's server);
otherwise a throwaway embedded server is started for the session, so `uv run pytest` works on a
machine with nothing installed. Every test gets its own database, cloned from a migrated
template (fast, and no test sees another's rows).

The suite runs in parallel (pytest-xdist, `addopts` in pyproject.toml): session fixtures are per
worker process, so each worker has its own template, embedded server and S3 servers, and
nothing here may assume it is the only test running on the machine's PostgreSQL.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import fcntl
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from tests.fake_telegram import FakeTelegram
from vodiy_bozor.app import App, open_app
from vodiy_bozor.config import Settings
from vodiy_bozor.db.embedded import EmbeddedPostgres
from vodiy_bozor.db.migrate import migrate
from vodiy_bozor.db.pool import connect
from vodiy_bozor.delivery.archive import ArchiveTiming
from vodiy_bozor.delivery.outbox import OutboxTiming
from vodiy_bozor.runtime.serve import serve
from vodiy_bozor.services.listings import Listings
from vodiy_bozor.telegram.pacing import HandlerPace, Pacer
from vodiy_bozor.workers.backoff import Backoff

TOKEN = "123456:TEST-token-for-the-fake-api"
BOT_USERNAME = "vodiy_test_bot"
CHANNEL = "@vodiy_test"
CHANNEL_ID = -1001234567890
ADMIN_A = 9001
ADMIN_B = 9002

T = TypeVar("T")

# Telegram's real pace would make every test wait seconds per channel post; tests that are
# about the limits themselves (and the benchmark) use the real `OutboxTiming()`.
FAST_LIMITS = OutboxTiming(
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
FAST_ARCHIVE = ArchiveTiming(backoff_base=0.1, backoff_max=0.3, idle_poll=30.0, busy_poll=0.05)

# The handlers' bot keeps its pacer (a send still waits its turn, an edit is still coalesced,
# a failed call still retried) at a hundredth of Telegram's spans: at the real pace of one
# message a second per private chat after a burst of three, a dialog test waited a second for
# nearly every answer. Tests about the limits themselves (tests/e2e/test_limits.py, against
# the fake's enforced limits) use the real `HandlerPace()`; the window for answering a button press
# is not a wait and stays as it is.
FAST_PACE = HandlerPace(
    private_interval=0.011,
    group_span=0.63,
    overall_span=0.0125,
    retry_backoff=Backoff(base=0.005, cap=0.08, jitter=0.2),
)


def use_pace(app: App, pace: HandlerPace) -> None:
    """Give the handlers' bot a pacer of `pace` in place of the one `open_app` put there."""
    chain = app.bot.session.middleware
    old = [m for m in chain if isinstance(m, Pacer)]
    assert len(old) == 1, f"expected the handlers' bot to have one Pacer: {list(chain)}"
    middlewares = list(chain)
    for middleware in middlewares:
        chain.unregister(middleware)
    for middleware in middlewares:
        chain.register(Pacer(pace) if middleware is old[0] else middleware)


def listings_on(pool: asyncpg.Pool[Any], *, repost_interval: float = 1800) -> Listings:
    """The listings service as the bot under test builds it, on any pool (for arranging ads)."""
    return Listings(
        pool,
        channel=CHANNEL,
        admin_ids={ADMIN_A, ADMIN_B},
        repost_interval=repost_interval,
        sold_check_interval=3 * 24 * 3600,
    )


# Where a folder's tests cost the most per test, first: on xdist workers the long ones (the bot
# run as a program, whole dialogs) start early, and the many quick unit tests fill the gaps at
# the end instead of leaving one worker finishing a long test alone.
_FIRST = ("e2e", "handlers", "photos", "db", "fake_telegram", "bench_tools")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    def cost_rank(item: pytest.Item) -> int:
        if item.get_closest_marker("slow") is not None:
            return 0
        tests = Path(__file__).parent
        parts = item.path.relative_to(tests).parts if tests in item.path.parents else ()
        folder = parts[0] if len(parts) > 1 else ""
        return 1 + _FIRST.index(folder) if folder in _FIRST else 1 + len(_FIRST)

    items.sort(key=cost_rank)  # stable: within a rank, the collected order stays
    # `--dist worksteal` first hands each worker one contiguous part of this list (then the
    # idle ones take from the end of the others' parts): dealt out like cards, every part
    # starts with its share of the long tests instead of one worker getting all of them.
    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    if workers > 1:
        items[:] = [item for part in range(workers) for item in items[part::workers]]


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
    # One server per xdist worker, each in its own directory. Their starts take turns: as
    # root, the first start creates the server's system user, and two `useradd`s at once
    # fail on each other's lock of /etc/passwd.
    data_dir = Path(tempfile.mkdtemp(prefix="vodiy-test-pg-"))
    server = EmbeddedPostgres(data_dir)
    try:
        with (Path(tempfile.gettempdir()) / "vodiy-test-pg.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            dsn = server.start_sync()
        yield dsn
    finally:
        server.stop_sync()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def template_db(pg_server: str) -> Iterator[str]:
    """A migrated database that every test's database is cloned from (one per xdist worker:
    a database cannot be a template while anyone is connected to it, so none is shared)."""
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


class DatabaseSupply:
    """Test databases cloned from the template before a test asks for one, and dropped after
    the test without it waiting, on an event loop in a thread of its own.

    A clone costs the server about 0.1 s of CPU (CREATE DATABASE copies the template's 8 MB
    page by page into the WAL, https://www.postgresql.org/docs/current/sql-createdatabase.html)
    and a drop some more; done in line they held up every database test for both. Here the
    next database is cloned while a test runs, and the last one is dropped meanwhile.
    """

    def __init__(self, server: str, template: str, *, ahead: int = 1) -> None:
        self._server = server
        self._template = template
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="test-databases", daemon=True
        )
        self._thread.start()
        self._ready = collections.deque(self._submit(self._clone()) for _ in range(ahead))
        self._drops: list[concurrent.futures.Future[None]] = []

    def _submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    async def _clone(self) -> str:
        name = f"vodiy_t_{uuid.uuid4().hex[:12]}"
        admin = await asyncpg.connect(self._server)
        try:
            await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"')
        finally:
            await admin.close()
        return name

    async def take(self) -> str:
        """A fresh database of the template's schema that no one else has used."""
        ready = self._ready.popleft()
        self._ready.append(self._submit(self._clone()))
        return await asyncio.wrap_future(ready)

    def give_back(self, name: str) -> None:
        """Drop `name` in the background (closing any connection a test left open); a failed
        drop is raised by `close()`."""
        self._drops.append(self._submit(_drop(self._server, name)))

    def close(self) -> None:
        """Drop the clones made ahead, wait for every drop (raising a failed one), stop."""
        try:
            for ready in self._ready:
                with contextlib.suppress(Exception):  # its error was never anyone's to see
                    self._drops.append(self._submit(_drop(self._server, ready.result())))
            for drop in self._drops:
                drop.result()
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()


@pytest.fixture(scope="session")
def database_supply(pg_server: str, template_db: str) -> Iterator[DatabaseSupply]:
    supply = DatabaseSupply(pg_server, template_db)
    try:
        yield supply
    finally:
        supply.close()


@pytest.fixture
async def db_url(pg_server: str, database_supply: DatabaseSupply) -> AsyncIterator[str]:
    """A fresh, migrated database for one test."""
    name = await database_supply.take()
    try:
        yield _with_database(pg_server, name)
    finally:
        database_supply.give_back(name)


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
    limits: OutboxTiming = FAST_LIMITS
    pace: HandlerPace = FAST_PACE
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
                    use_pace(app, self.pace)
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
def bot_pace() -> HandlerPace:
    """The pace of `running_bot`'s replies; a module about Telegram's limits overrides this
    fixture with the real `HandlerPace()`."""
    return FAST_PACE


@pytest.fixture
async def running_bot(
    fake: FakeTelegram, db_url: str, tmp_path: Path, bot_pace: HandlerPace
) -> AsyncIterator[RunningBot]:
    settings = Settings.from_env(bot_env(fake, db_url, tmp_path))
    bot = RunningBot(settings, pace=bot_pace)
    await bot.start()
    await fake.wait_call("getUpdates", timeout=10)
    try:
        yield bot
    finally:
        with contextlib.suppress(Exception):
            await bot.stop()

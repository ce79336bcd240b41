"""Handler tests at the dispatcher's level: updates go straight into `Dispatcher.feed_raw_update`
(no polling, no background workers), the bot's calls go over HTTP to the fake Bot API, and
the state is in a real PostgreSQL database. A test is a few hundred milliseconds, so behaviour
is tested here; tests/e2e keeps what only the whole running program can show (restarts,
polling, concurrency, the outbox's pacing).

Updates a test queues (`person.send(...)`, `person.press(...)`) are fed one after another by a
feeder task, in the order they were queued, so a test reads like the end-to-end ones;
`await bot.settle()` waits until every queued update was handled. The outbox's delivery worker
runs too, unpaced (its pacing is tested in tests/db and tests/e2e), so admins get their cards
and the channel its posts; the schedules and the photo archive do not run.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiogram import Dispatcher

from tests.conftest import BOT_USERNAME, FAST_PACE, bot_env, use_pace
from tests.fake_telegram import FakeTelegram
from vodiy_bozor.app import App, open_app
from vodiy_bozor.config import Settings
from vodiy_bozor.delivery.outbox import OutboxTiming
from vodiy_bozor.telegram.pacing import HandlerPace

# The outbox's pacing is tested in tests/e2e and tests/db; here every row is due at once.
NO_PACE = OutboxTiming(
    private_interval=0.0,
    private_burst=0.0,
    group_interval=0.0,
    global_interval=0.0,
    backoff_base=0.01,
    backoff_max=0.01,
)


@dataclass
class DispatcherBot:
    fake: FakeTelegram
    app: App
    dp: Dispatcher
    handled: int = 0
    errors: list[BaseException] = field(default_factory=list)  # raised by handlers
    _idle: bool = True
    _cycle: asyncio.Event = field(default_factory=asyncio.Event)

    async def feed(self) -> None:
        """Feed queued updates to the dispatcher for ever (the fixture cancels it)."""
        while True:
            updates = self.fake.take_updates()
            if not updates:
                self._idle = True
                self._wake_settlers()
                updates = await self.fake.next_updates()
            self._idle = False
            # Each update is a task, as in polling: the photos of an album meet in the intake
            # (telegram/intake.py), and one user's updates keep their order behind the user's lock.
            results = await asyncio.gather(
                *(self.dp.feed_raw_update(self.app.bot, update) for update in updates),
                return_exceptions=True,
            )
            self.errors += [r for r in results if isinstance(r, BaseException)]
            self.handled += len(updates)
            self._wake_settlers()

    def _wake_settlers(self) -> None:
        cycle, self._cycle = self._cycle, asyncio.Event()
        cycle.set()

    async def settle(self) -> None:
        """Return once every update queued so far has been handled."""
        while self.fake.updates_pending() or not self._idle:
            await self._cycle.wait()
        if self.errors:
            raise self.errors[0]


@contextlib.asynccontextmanager
async def harness(
    fake: FakeTelegram, settings: Settings, *, pace: HandlerPace | None = FAST_PACE
) -> AsyncIterator[DispatcherBot]:
    """The real app on `settings`, its dispatcher fed by `DispatcherBot` and its outbox
    delivering unpaced; `pace=None` leaves the handlers' pacing as the settings make it."""
    async with open_app(settings) as app:
        app.outbox_limits = NO_PACE
        if pace is not None:
            use_pace(app, pace)
        bot = DispatcherBot(fake, app, app.dispatcher())
        stop = asyncio.Event()
        feeder = asyncio.create_task(bot.feed())
        delivery = asyncio.create_task(app.deliver(stop))
        try:
            yield bot
            await bot.settle()  # and re-raise what a handler raised
        finally:
            stop.set()
            feeder.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await feeder
            await delivery


@pytest.fixture
async def bot(fake: FakeTelegram, db_url: str, tmp_path: Path) -> AsyncIterator[DispatcherBot]:
    settings = Settings.from_env(bot_env(fake, db_url, tmp_path, BOT_NAME=BOT_USERNAME))
    async with harness(fake, settings) as running:
        yield running

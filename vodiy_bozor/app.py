"""The composition root: settings in, services out, opened in order and closed in reverse.

Nothing else in the bot builds a service. Handlers receive them as parameters (see
`bot/dispatcher.py`), the background workers as constructor arguments; only this module and
the program's entry points (`serve.py`, `__main__.py`) know the `App` that holds them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiohttp import web

from vodiy_bozor.bot.dispatcher import build_dispatcher
from vodiy_bozor.bot.middlewares import InFlight
from vodiy_bozor.bot.user_registry import UserRegistry
from vodiy_bozor.captions import Captions
from vodiy_bozor.config import Settings
from vodiy_bozor.db.embedded import EmbeddedPostgres
from vodiy_bozor.db.migrate import migrate_database
from vodiy_bozor.db.pool import create_pool
from vodiy_bozor.delivery.archive import Archiver, ArchiveTiming
from vodiy_bozor.delivery.courier import BotCourier
from vodiy_bozor.delivery.outbox import OutboxTiming, OutboxWorker
from vodiy_bozor.delivery.photo_store import PhotoStore, open_photo_store
from vodiy_bozor.runtime.metrics import Metrics, database_refresh, make_handler
from vodiy_bozor.services.buyers import Buyers
from vodiy_bozor.services.listings import Listings
from vodiy_bozor.services.moderation import Moderation
from vodiy_bozor.services.promotions import PromoSettings, Promotions
from vodiy_bozor.telegram.fsm_storage import PostgresStorage
from vodiy_bozor.telegram.intake import SharedAlbums
from vodiy_bozor.telegram.pacing import Pacer
from vodiy_bozor.telegram.session import JsonSession
from vodiy_bozor.texts import Texts, load_texts
from vodiy_bozor.webapp import Catalogue
from vodiy_bozor.workers.schedules import run_schedules

log = logging.getLogger(__name__)

# Users whose FSM rows a polling bot keeps between their updates: a few hundred bytes each
# without a draft, a few KB with one; the least recently seen go first.
FSM_USERS_KEPT = 5_000

# A background worker: runs until the event is set (see `serve.supervise`).
Worker = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


@dataclass(slots=True)
class App:
    settings: Settings
    pool: asyncpg.Pool[Any]
    bot: Bot  # the handlers': paced within Telegram's limits, 429s waited out (bot/pacing.py)
    worker_bot: Bot  # the outbox's and archive's: they pace and retry in PostgreSQL
    texts: Texts
    registry: UserRegistry
    photos: PhotoStore
    listings: Listings
    moderation: Moderation
    buyers: Buyers
    promotions: Promotions
    bot_username: str | None = None  # from BOT_NAME, or getMe once serving starts
    outbox_limits: OutboxTiming = field(default_factory=OutboxTiming)
    archive_limits: ArchiveTiming = field(default_factory=ArchiveTiming)
    # The dispatcher's update counter, once serving: background work yields to people.
    in_flight: InFlight | None = None
    metrics: Metrics = field(default_factory=Metrics)

    @property
    def captions(self) -> Captions:
        return Captions(self.texts, self.bot_username, self.settings.channel_id)

    def answering(self, window: float) -> bool:
        """Whether the bot is answering people now (an update in the last `window` s)."""
        return self.in_flight is not None and self.in_flight.busy(window)

    def dispatcher(self) -> Dispatcher:
        """A dispatcher with every handler, wired to this app's services."""
        # Polling: this process is the only one taking updates, so a user's FSM rows are kept
        # between their updates (telegram/fsm_storage.py); webhook instances share them.
        polling = self.settings.webhook is None
        storage = PostgresStorage(self.pool, remember=FSM_USERS_KEPT if polling else 0)
        if isinstance(self.bot.session, JsonSession):
            self.bot.session.on_conflict = storage.stop_remembering
        dp, self.in_flight = build_dispatcher(
            storage=storage,
            listings=self.listings,
            moderation=self.moderation,
            buyers=self.buyers,
            texts=self.texts,
            captions=self.captions,
            registry=self.registry,
            # Webhook instances behind a balancer each get some of an album's parts; they meet
            # in PostgreSQL. Polling (one instance) sees them all and collects them in memory.
            shared_albums=SharedAlbums(self.pool) if self.settings.webhook is not None else None,
            metrics=self.metrics,
            promotions=self.promotions,
            catalogue_url=self.settings.webapp.url if self.settings.webapp else None,
        )
        return dp

    def catalogue(self) -> Catalogue:
        """The catalogue Mini App's routes (vodiy_bozor.webapp)."""
        return Catalogue(self.buyers, self.texts, self.photos, self.settings.api_token.get())

    def metrics_handler(self) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        """`GET /metrics` in Prometheus' text format, with the database's gauges fresh."""
        refresh = database_refresh(self.metrics, self.pool, self.settings.channel_id)
        return make_handler(self.metrics, refresh)

    def workers(self) -> list[Worker]:
        """The background workers that run beside the handlers."""
        return [self.deliver, self.schedules, self.archive, self.promote]

    async def deliver(self, stop: asyncio.Event) -> None:
        """The outbox: everything sent outside a conversation."""
        courier = BotCourier(
            texts=self.texts,
            captions=self.captions,
            listings=self.listings,
            photos=self.photos,
            registry=self.registry,
            promotions=self.promotions,
        )
        await OutboxWorker(self.pool, self.worker_bot, courier, self.outbox_limits).run(stop)

    async def schedules(self, stop: asyncio.Event) -> None:
        """Reposts and "has it sold?" questions."""
        await run_schedules(self.pool, self.listings, self.buyers, stop, self.metrics)

    async def promote(self, stop: asyncio.Event) -> None:
        """Paid promotions: start the waiting ones, end pins, refund, reconcile with Telegram."""
        await self.promotions.run(self.worker_bot, stop)

    async def archive(self, stop: asyncio.Event) -> None:
        """The photo archive, yielding to people while they are being answered."""
        archiver = Archiver(
            self.pool,
            self.worker_bot,
            self.photos,
            self.archive_limits,
            busy=lambda: self.answering(0.2),
            hashed=self.moderation.photos_hashed,
        )
        await archiver.run(stop)


def make_bot(settings: Settings, *, paced: bool = False, metrics: Metrics | None = None) -> Bot:
    session = JsonSession(
        api=TelegramAPIServer.from_base(settings.telegram_api_url), metrics=metrics
    )
    if paced:
        session.middleware(Pacer())
    return Bot(
        settings.api_token.get(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


@asynccontextmanager
async def open_database(settings: Settings) -> AsyncIterator[asyncpg.Pool[Any]]:
    """The pool, on `DATABASE_URL` or on the embedded server, with migrations applied."""
    async with AsyncExitStack() as stack:
        if settings.database_url is not None:
            dsn = settings.database_url.get()
        else:
            embedded = EmbeddedPostgres(settings.data_dir)
            stack.push_async_callback(embedded.stop)
            dsn = await embedded.start()
        # On a connection of its own, without the pool's timeouts: a long backfill must finish,
        # and a second instance waits for the first's migration.
        applied = await migrate_database(dsn)
        pool = await create_pool(dsn)
        stack.push_async_callback(pool.close)
        if applied:
            log.info("database migrated to %04d", applied[-1].version)
        yield pool


async def open_photos(settings: Settings) -> PhotoStore:
    """The photo store the settings describe: S3 when a bucket is set, else DATA_DIR/photos."""
    s3 = settings.s3
    return await open_photo_store(
        data_dir=settings.data_dir,
        bucket=s3.bucket if s3 else None,
        endpoint_url=s3.endpoint_url if s3 else None,
        region=s3.region if s3 else None,
        access_key_id=s3.access_key_id if s3 else None,
        secret_access_key=s3.secret_access_key.get() if s3 and s3.secret_access_key else None,
    )


@asynccontextmanager
async def open_app(settings: Settings) -> AsyncIterator[App]:
    async with AsyncExitStack() as stack:
        pool = await stack.enter_async_context(open_database(settings))
        metrics = Metrics()
        bot = make_bot(settings, paced=settings.pace_calls, metrics=metrics)
        stack.push_async_callback(bot.session.close)
        worker_bot = make_bot(settings, metrics=metrics)
        stack.push_async_callback(worker_bot.session.close)
        photos = await open_photos(settings)
        stack.push_async_callback(photos.close)
        promotions = Promotions(
            pool,
            channel=settings.channel_id,
            admin_ids=settings.admin_ids,
            settings=PromoSettings(
                lift_stars=settings.lift_stars,
                pin_stars=settings.pin_stars,
                lifts_per_hour=settings.lifts_per_hour,
            ),
        )
        yield App(
            settings=settings,
            pool=pool,
            bot=bot,
            worker_bot=worker_bot,
            texts=load_texts(),
            registry=UserRegistry(pool),
            photos=photos,
            listings=Listings(
                pool,
                channel=settings.channel_id,
                admin_ids=settings.admin_ids,
                repost_interval=settings.repost_interval,
                sold_check_interval=settings.sold_check_interval,
            ),
            moderation=Moderation(pool, channel=settings.channel_id, admin_ids=settings.admin_ids),
            buyers=Buyers(pool),
            promotions=promotions,
            bot_username=settings.bot_name,
            metrics=metrics,
        )

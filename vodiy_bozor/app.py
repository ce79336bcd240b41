"""The wiring: one typed object holding settings, database pool, bot, texts and photo store,
opened in order and closed in reverse."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode

from vodiy_bozor.archive import ArchiveLimits
from vodiy_bozor.bot.middlewares import InFlight, UserRegistry
from vodiy_bozor.bot.session import JsonSession
from vodiy_bozor.config import Settings
from vodiy_bozor.db.embedded import EmbeddedPostgres
from vodiy_bozor.db.migrate import migrate
from vodiy_bozor.db.pool import create_pool
from vodiy_bozor.outbox import Limits
from vodiy_bozor.photos import PhotoStore, open_photo_store
from vodiy_bozor.texts import Texts, load_texts

log = logging.getLogger(__name__)


@dataclass(slots=True)
class App:
    settings: Settings
    pool: asyncpg.Pool[Any]
    bot: Bot
    texts: Texts
    registry: UserRegistry
    photos: PhotoStore
    bot_username: str | None = None
    outbox_limits: Limits = field(default_factory=Limits)
    archive_limits: ArchiveLimits = field(default_factory=ArchiveLimits)
    # The dispatcher's update counter, once serving: background work yields to people.
    in_flight: InFlight | None = None

    def answering(self, window: float) -> bool:
        """Whether the bot is answering people now (an update in the last `window` s)."""
        return self.in_flight is not None and self.in_flight.busy(window)

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.admin_ids


def make_bot(settings: Settings) -> Bot:
    session = JsonSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
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
        pool = await create_pool(dsn)
        stack.push_async_callback(pool.close)
        async with pool.acquire() as conn:
            applied = await migrate(conn)
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
        bot = make_bot(settings)
        stack.push_async_callback(bot.session.close)
        photos = await open_photos(settings)
        stack.push_async_callback(photos.close)
        yield App(
            settings=settings,
            pool=pool,
            bot=bot,
            texts=load_texts(),
            registry=UserRegistry(pool),
            photos=photos,
            bot_username=settings.bot_name,
        )

"""`vodiy-bozor check`: is everything in place for the bot to work? A short report, one line
per part, and a non-zero exit code when something is wrong."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import aiohttp
import asyncpg
from aiogram import Bot
from aiogram.enums import ChatMemberStatus
from aiogram.exceptions import TelegramAPIError
from aiogram.types import ChatMemberAdministrator, ChatMemberOwner

from vodiy_bozor.app import make_bot, open_database, open_photos
from vodiy_bozor.config import Settings
from vodiy_bozor.db import channel as db_channel
from vodiy_bozor.db.migrate import applied_versions, available_migrations
from vodiy_bozor.db.pool import server_version
from vodiy_bozor.delivery.photo_store import PhotoStoreError
from vodiy_bozor.texts import local_time

TIMEOUT = 15.0


class Report:
    def __init__(self) -> None:
        self.failed = False

    def line(self, part: str, ok: bool, detail: str) -> None:
        self.failed |= not ok
        print(f"{'ok  ' if ok else 'FAIL'}  {part:<12} {detail}", flush=True)  # noqa: T201


async def _step(
    report: Report, part: str, action: Callable[[], Awaitable[tuple[bool, str]]]
) -> None:
    try:
        ok, detail = await asyncio.wait_for(action(), TIMEOUT)
    except TimeoutError:
        ok, detail = False, f"no answer within {TIMEOUT:.0f} s"
    except (OSError, asyncpg.PostgresError, TelegramAPIError, PhotoStoreError, RuntimeError) as exc:
        ok, detail = False, f"{type(exc).__name__}: {exc}"
    report.line(part, ok, detail)


async def run_check(settings: Settings) -> int:
    report = Report()
    mode = "webhook" if settings.webhook else "long polling"
    report.line(
        "settings",
        True,
        f"{len(settings.admin_ids)} admin(s), channel {settings.channel_display}, {mode}",
    )
    async with AsyncExitStack() as stack:
        pool: asyncpg.Pool[Any] | None = None

        async def database() -> tuple[bool, str]:
            nonlocal pool
            pool = await stack.enter_async_context(open_database(settings))
            version = await server_version(pool)
            applied = await _schema(pool)
            where = "embedded in " + str(settings.data_dir) if settings.uses_embedded_db else "url"
            return True, f"PostgreSQL {version} ({where}), {applied}"

        await _step(report, "database", database)

        bot = make_bot(settings)
        stack.push_async_callback(bot.session.close)

        async def telegram() -> tuple[bool, str]:
            me = await bot.get_me()
            named = settings.bot_name
            if named and me.username and named.lower() != me.username.lower():
                return False, f"BOT_NAME is {named} but the token belongs to @{me.username}"
            # Buyers' `@bot words` needs inline mode, which only BotFather turns on (/setinline):
            # https://core.telegram.org/bots/inline. Said, not failed: the rest works without.
            inline = "on" if me.supports_inline_queries else "off (BotFather: /setinline)"
            return True, (
                f"@{me.username} (id {me.id}) at {settings.telegram_api_url}, inline mode {inline}"
            )

        await _step(report, "telegram", telegram)
        await _step(report, "channel", lambda: _channel(bot, settings))
        await _step(report, "admins", lambda: _admins(bot, settings))

        async def publishing() -> tuple[bool, str]:
            if pool is None:
                return False, "unknown: the database is not reachable"
            return await _publishing(pool)

        await _step(report, "publishing", publishing)

        async def photos() -> tuple[bool, str]:
            store = await open_photos(settings)
            stack.push_async_callback(store.close)
            await store.exists("check/probe")
            return True, store.describe()

        await _step(report, "photo store", photos)
        await _step(report, "catalogue", lambda: _catalogue(settings))
    return 1 if report.failed else 0


async def _catalogue(settings: Settings) -> tuple[bool, str]:
    """Whether the catalogue Mini App answers: on the running bot's own listener (WEBAPP_PORT,
    or the webhook server), and then at WEBAPP_URL through the reverse proxy. A bot not
    running yet is said, not failed (check is run before the first start too); a listener or
    a proxy answering something else is a failure."""
    webapp = settings.webapp
    if webapp is None:
        return True, "off (WEBAPP_URL and WEBAPP_PORT not set)"
    if webapp.port is not None:
        local = f"http://{webapp.host}:{webapp.port}{webapp.path}/"
    elif settings.webhook is not None:
        local = f"http://{settings.webhook.host}:{settings.webhook.port}{webapp.path}/"
    else:
        return False, "WEBAPP_URL is set, but polling mode serves the catalogue only on WEBAPP_PORT"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
        try:
            problem = await _catalogue_problem(http, local)
        except (aiohttp.ClientConnectionError, TimeoutError):
            return True, f"not answering at {local} now (the running bot serves it)"
        if problem:
            return False, f"{local}: {problem}"
        if webapp.url is None:
            return True, f"answers at {local}; no entry points (WEBAPP_URL not set)"
        try:
            problem = await _catalogue_problem(http, webapp.url.rstrip("/") + "/")
        except (aiohttp.ClientError, TimeoutError) as exc:
            problem = f"{type(exc).__name__}: {exc}"
        if problem:
            return False, f"answers at {local} but not at {webapp.url}: {problem}"
    return True, f"answers at {local} and at {webapp.url}"


async def _catalogue_problem(http: aiohttp.ClientSession, url: str) -> str | None:
    """None when the page is served and its API refuses an unsigned request, as it must."""
    async with http.get(url) as page:
        if page.status != 200 or 'type="search"' not in await page.text():
            return f"the page answered {page.status}, not the catalogue"
    async with http.get(url + "api/me") as api:
        if api.status != 401:
            return f"the API answered {api.status} to a request without init data (expected 401)"
    return None


async def _schema(pool: asyncpg.Pool[Any]) -> str:
    async with pool.acquire() as conn:
        done = await applied_versions(conn)
    latest = available_migrations()[-1].version
    return f"schema {max(done, default=0):04d} of {latest:04d}"


async def _channel(bot: Bot, settings: Settings) -> tuple[bool, str]:
    chat = await bot.get_chat(settings.channel_id)
    member = await bot.get_chat_member(settings.channel_id, bot.id)
    title = f"{chat.title!r}" if chat.title else str(settings.channel_id)
    if isinstance(member, ChatMemberOwner):
        return True, f"{title}: the bot owns it"
    if isinstance(member, ChatMemberAdministrator) and member.can_post_messages is not False:
        if settings.pin_stars is not None and not member.can_edit_messages:
            # Pinning in a channel takes the right to edit messages:
            # https://core.telegram.org/bots/api#pinchatmessage
            return False, f"{title}: the bot can post but not pin (PIN_STARS needs 'edit messages')"
        return True, f"{title}: the bot can post there"
    if member.status == ChatMemberStatus.ADMINISTRATOR:
        return False, f"{title}: the bot is an admin but may not post messages"
    return False, f"{title}: the bot is not an admin of the channel, so it cannot post"


async def _publishing(pool: asyncpg.Pool[Any]) -> tuple[bool, str]:
    """What the outbox learnt sending to the channel (the `channel` line asks Telegram now):
    whether it refuses posts, and the approved ads with no post that wait for an admin."""
    problems = [
        f"{state.chat} refuses posts since {local_time(state.refusing_since)} "
        f"({state.reason}; Telegram said: {state.error})"
        for state in await db_channel.states(pool)
        if state.refusing_since is not None
    ]
    unposted = await db_channel.approved_without_post(pool, 1000)
    if unposted:
        ids = ", ".join(f"#{u.ad_id}" for u in unposted[:10])
        more = f" and {len(unposted) - 10} more" if len(unposted) > 10 else ""
        problems.append(
            f"{len(unposted)} approved ad(s) without a channel post, for an admin to publish "
            f"again: {ids}{more}"
        )
    if problems:
        return False, "; ".join(problems)
    return True, "the channel takes posts; every approved ad is posted or on its way"


async def _admins(bot: Bot, settings: Settings) -> tuple[bool, str]:
    # An admin who never pressed Start cannot be messaged: Telegram answers "chat not found".
    unreachable = []
    for admin_id in sorted(settings.admin_ids):
        try:
            await bot.get_chat(admin_id)
        except TelegramAPIError:
            unreachable.append(str(admin_id))
    if unreachable:
        return False, "these admins must open the bot and press Start: " + ", ".join(unreachable)
    return True, f"all {len(settings.admin_ids)} can be messaged"

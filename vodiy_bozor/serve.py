"""Serving updates: start-up, the background workers, and a graceful stop.

Signals are handled here, not by aiogram, so that a SIGTERM at any moment (even while the
embedded database is starting) ends in the same orderly shutdown with exit code 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeDefault

from vodiy_bozor.app import App
from vodiy_bozor.bot.dispatcher import build_dispatcher
from vodiy_bozor.models import Lang
from vodiy_bozor.texts import Texts

log = logging.getLogger(__name__)

# Handlers run as tasks, at most this many at once: unbounded task spawning was measured
# slower under bursts than a bound of about a hundred (shared/NOTES.md).
HANDLER_CONCURRENCY = 100
# How long a stopping bot lets updates being handled finish.
SHUTDOWN_GRACE = 10.0

Worker = Callable[[App, asyncio.Event], Coroutine[Any, Any, None]]


async def wait_for_telegram(bot: Bot, stop: asyncio.Event) -> str | None:
    """The bot's username from getMe, retrying while Telegram is unreachable."""
    delay = 1.0
    while not stop.is_set():
        try:
            me = await bot.me()
        except Exception as exc:  # noqa: BLE001 - any failure here is "try again later"
            log.warning("Telegram not reachable yet (%s: %s); retrying", type(exc).__name__, exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            delay = min(delay * 2, 30.0)
        else:
            return me.username
    return None


async def set_commands(bot: Bot, texts: Texts) -> None:
    """The command menu in each language (https://core.telegram.org/bots/api#setmycommands).

    Telegram picks the list by the user's client language; plain `uz` gets the Cyrillic one.
    """
    names = ("new", "my", "help", "lang", "cancel")
    for lang, language_code in ((Lang.UZ_CYRL, None), (Lang.RU, "ru"), (Lang.UZ_CYRL, "uz")):
        commands = [BotCommand(command=n, description=texts.get(lang, f"cmd-{n}")) for n in names]
        try:
            await bot.set_my_commands(
                commands, scope=BotCommandScopeDefault(), language_code=language_code
            )
        except Exception as exc:  # noqa: BLE001 - a missing menu must not stop the bot
            log.warning("could not set the command list: %s", exc)


async def supervise(worker: Worker, app: App, stop: asyncio.Event) -> None:
    """Run a background worker until `stop`; if it fails, log it and start it again."""
    name = getattr(worker, "__name__", repr(worker))
    delay = 1.0
    while not stop.is_set():
        try:
            await worker(app, stop)
        except Exception:
            log.exception("worker %s failed; restarting it in %.0fs", name, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            delay = min(delay * 2, 60.0)
        else:
            if not stop.is_set():
                log.error("worker %s returned before shutdown; restarting it", name)


async def serve(app: App, stop: asyncio.Event, workers: list[Worker] | None = None) -> None:
    """Serve updates until `stop` is set; then let handlers finish and stop the workers."""
    username = app.settings.bot_name or await wait_for_telegram(app.bot, stop)
    if stop.is_set():
        return
    app.bot_username = username
    await set_commands(app.bot, app.texts)

    dp, in_flight = build_dispatcher(app)
    tasks = [asyncio.create_task(supervise(worker, app, stop)) for worker in workers or []]
    polling = asyncio.create_task(
        dp.start_polling(
            app.bot,
            handle_signals=False,
            close_bot_session=False,
            tasks_concurrency_limit=HANDLER_CONCURRENCY,
            allowed_updates=dp.resolve_used_update_types(),
        )
    )
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait([polling, stopping], return_when=asyncio.FIRST_COMPLETED)
    log.info("stopping")
    stop.set()
    if not polling.done():
        with contextlib.suppress(RuntimeError):  # polling had not started yet
            await dp.stop_polling()
    with contextlib.suppress(asyncio.CancelledError):
        await polling
    await in_flight.wait_idle(SHUTDOWN_GRACE)
    # Workers watch `stop` and finish their current step; a stuck one is cancelled.
    _, pending = await asyncio.wait(tasks, timeout=SHUTDOWN_GRACE) if tasks else (set(), set())
    for task in pending:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await dp.storage.close()

"""Serving updates: start-up, the background workers, and a graceful stop.

Signals are handled here, not by aiogram, so that a SIGTERM at any moment (even while the
embedded database is starting) ends in the same orderly shutdown with exit code 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiogram import Bot, Dispatcher
from aiogram import methods as tg
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.types import BotCommand, BotCommandScopeDefault, MenuButtonWebApp, WebAppInfo

from vodiy_bozor.app import App, Worker
from vodiy_bozor.bot.middlewares import InFlight
from vodiy_bozor.config import WebhookSettings
from vodiy_bozor.models import Lang
from vodiy_bozor.runtime.metrics import database_refresh, start_listener
from vodiy_bozor.telegram.session import answer_model
from vodiy_bozor.texts import Texts
from vodiy_bozor.webapp import start_listener as start_catalogue
from vodiy_bozor.workers.backoff import Backoff, pause

log = logging.getLogger(__name__)

# The answers of the hot path (the dialog, polling and the outbox): their `Response[T]` models
# are built before `gc.freeze`, so the collector never walks their schemas. The session builds
# and holds any other the first time it is needed (`telegram.session.answer_model` says why).
_HOT_METHODS: tuple[type[tg.TelegramMethod[Any]], ...] = (
    tg.GetUpdates,
    tg.SendMessage,
    tg.SendPhoto,
    tg.SendMediaGroup,
    tg.EditMessageText,
    tg.EditMessageCaption,
    tg.EditMessageReplyMarkup,
    tg.AnswerCallbackQuery,
    tg.CopyMessage,
    tg.CopyMessages,
    tg.DeleteMessage,
    tg.GetFile,
)


# Allocations between two collections of the youngest generation (Python's default: 700). A
# handled update allocates a few thousand objects and nearly all die by reference counting; with
# a hundred updates in flight, a collection every 700 allocations kept walking the live ones: in
# the benchmark's dialog, 76 us of CPU per update went to collections, 30 us at 5,000
# (https://docs.python.org/3/library/gc.html#gc.set_threshold).
YOUNG_COLLECTION_AFTER = 5_000


@functools.cache
def settle_process() -> None:
    """Once per process, when start-up is over and serving begins:

    - build the hot methods' `Response[T]` models (see `_HOT_METHODS`);
    - move every object alive now (aiogram's and pydantic's hundreds of thousands of models,
      schemas and functions) into the garbage collector's permanent generation
      (`gc.freeze`). They live as long as the process anyway, yet every full collection
      walked them all: 150-200 ms pauses, a few a minute under load, and 12-19% of the bot's
      CPU. Objects made later are collected as usual;
    - collect the youngest generation less often (`YOUNG_COLLECTION_AFTER`).
    """
    for method in _HOT_METHODS:
        answer_model(method)
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_AFTER, *gc.get_threshold()[1:])


def end_start_up() -> None:
    """The app is built. If start-up ran without garbage collection (`vodiy_bozor.__main__`
    turns it off for `run`), what it made (imports, models, texts, the pool) goes to the
    collector's permanent generation and collection is turned back on; where it was on (a
    test running the bot in its own process), nothing changes.

    Frozen first, so the first full collection after this does not walk all of it either
    (https://docs.python.org/3/library/gc.html#gc.freeze). Collection is back before the wait
    for Telegram, which may last as long as Telegram is unreachable.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
        log.info("start-up done: %d objects frozen, garbage collection on", gc.get_freeze_count())


# How many updates the webhook server takes in at once. The work itself is bounded by the
# intake (`telegram/intake.py`: a hundred global slots, twenty per user); this only caps the updates
# parsed and waiting, so that one flooding user cannot fill it before the intake drops them.
HANDLER_CONCURRENCY = 1000
# How long a stopping bot lets updates being handled finish.
SHUTDOWN_GRACE = 10.0
# Telegram unreachable at start-up, a failed setWebhook, a worker that crashed.
RETRY = Backoff(base=1.0, cap=30.0)
WORKER_RESTART = Backoff(base=1.0, cap=60.0)

T = TypeVar("T")


async def wait_for_telegram(bot: Bot, stop: asyncio.Event) -> str | None:
    """The bot's username from getMe, retrying while Telegram is unreachable."""
    failures = 0
    while not stop.is_set():
        try:
            me = await bot.me()
        except Exception as exc:  # noqa: BLE001 - any failure here is "try again later"
            log.warning("Telegram not reachable yet (%s: %s); retrying", type(exc).__name__, exc)
            await pause(stop, RETRY.delay(failures))
            failures += 1
        else:
            return me.username
    return None


async def set_commands(bot: Bot, texts: Texts) -> None:
    """The command menu in each language (https://core.telegram.org/bots/api#setmycommands).

    Telegram picks the list by the user's client language; plain `uz` gets the Cyrillic one.
    """
    names = ("new", "search", "subs", "my", "help", "lang", "cancel")
    for lang, language_code in ((Lang.UZ_CYRL, None), (Lang.RU, "ru"), (Lang.UZ_CYRL, "uz")):
        commands = [BotCommand(command=n, description=texts.get(lang, f"cmd-{n}")) for n in names]
        try:
            await bot.set_my_commands(
                commands, scope=BotCommandScopeDefault(), language_code=language_code
            )
        except Exception as exc:  # noqa: BLE001 - a missing menu must not stop the bot
            log.warning("could not set the command list: %s", exc)


async def supervise(worker: Worker, stop: asyncio.Event) -> None:
    """Run a background worker until `stop`; if it fails, log it and start it again."""
    name = getattr(worker, "__name__", repr(worker))
    failures = 0
    while not stop.is_set():
        try:
            await worker(stop)
        except Exception:
            delay = WORKER_RESTART.delay(failures)
            log.exception("worker %s failed; restarting it in %.0fs", name, delay)
            await pause(stop, delay)
            failures += 1
        else:
            if not stop.is_set():
                log.error("worker %s returned before shutdown; restarting it", name)


async def retry_telegram(
    stop: asyncio.Event, what: str, call: Callable[[], Awaitable[T]]
) -> tuple[bool, T | None]:
    """`(True, result)` once `call` succeeds; `(False, None)` if `stop` came first.

    Retries what may pass (network errors, Telegram's 5xx, 429 after its `retry_after`);
    anything else (a bad request, a revoked token) is a mistake of ours and is raised.
    """
    failures = 0
    while not stop.is_set():
        try:
            return True, await call()
        except TelegramRetryAfter as exc:
            wait = float(exc.retry_after)
        except (TelegramNetworkError, TelegramServerError) as exc:
            wait = RETRY.delay(failures)
            failures += 1
            log.warning("%s failed (%s); retrying in %.0fs", what, type(exc).__name__, wait)
        await pause(stop, wait)
    return False, None


async def set_menu_button(bot: Bot, texts: Texts, url: str) -> None:
    """The chat's menu button opens the catalogue (WEBAPP_URL) in every private chat that has
    no button of its own (https://core.telegram.org/bots/api#setchatmenubutton). A Mini App
    opened from it gets the signed user (https://core.telegram.org/bots/webapps)."""
    button = MenuButtonWebApp(
        text=texts.get(Lang.default(), "webapp-menu"), web_app=WebAppInfo(url=url)
    )
    try:
        await bot.set_chat_menu_button(menu_button=button)
    except Exception as exc:  # noqa: BLE001 - a missing button must not stop the bot
        log.warning("could not set the menu button to the catalogue: %s", exc)


async def remove_webhook(bot: Bot, stop: asyncio.Event) -> bool:
    """Polling mode: remove a webhook left from webhook mode. False if stopped meanwhile.

    While a webhook is set, getUpdates fails with 409 Conflict
    (https://core.telegram.org/bots/api#getupdates); the operator chose polling by not
    setting WEBHOOK_URL, so polling wins. The updates Telegram is holding are kept
    (drop_pending_updates=False) and are then fetched by polling.
    """
    ok, info = await retry_telegram(stop, "getWebhookInfo", bot.get_webhook_info)
    if not ok or info is None:
        return False
    if not info.url:
        return True
    log.warning(
        "a webhook is set (%s, %d updates pending); removing it, as WEBHOOK_URL is not set",
        info.url,
        info.pending_update_count,
    )
    ok, _ = await retry_telegram(
        stop, "deleteWebhook", lambda: bot.delete_webhook(drop_pending_updates=False)
    )
    return ok


async def set_webhook(
    bot: Bot, dp: Dispatcher, settings: WebhookSettings, stop: asyncio.Event
) -> bool:
    """Webhook mode: point Telegram at WEBHOOK_URL. False if stopped meanwhile.

    Every instance does this at start-up with the same values, which is harmless. Pending
    updates are never dropped (drop_pending_updates=False): they are people's messages.
    Telegram demands HTTPS on port 443, 80, 88 or 8443
    (https://core.telegram.org/bots/api#setwebhook); a URL it refuses is a configuration
    mistake, raised here so the bot exits.
    """
    ok, _ = await retry_telegram(
        stop,
        "setWebhook",
        lambda: bot.set_webhook(
            settings.url,
            secret_token=settings.secret.get(),
            allowed_updates=dp.resolve_used_update_types(),
            drop_pending_updates=False,
        ),
    )
    if ok:
        log.info("webhook set; Telegram delivers updates to %s", settings.url)
    return ok


async def serve(app: App, stop: asyncio.Event) -> None:
    """Serve updates until `stop` is set; then let handlers finish and stop the workers.

    Updates come by long polling, or, when WEBHOOK_URL is set, by Telegram's POSTs to our
    own HTTP server (`vodiy_bozor.runtime.webhook`). Either way each update becomes a task of the
    same dispatcher, at most `HANDLER_CONCURRENCY` at once.
    """
    end_start_up()
    username = app.settings.bot_name or await wait_for_telegram(app.bot, stop)
    if stop.is_set():
        return
    app.bot_username = username
    await set_commands(app.bot, app.texts)
    if app.settings.webapp is not None and app.settings.webapp.url:
        await set_menu_button(app.bot, app.texts, app.settings.webapp.url)

    dp = app.dispatcher()
    in_flight = app.in_flight
    assert in_flight is not None
    settle_process()
    tasks = [asyncio.create_task(supervise(worker, stop)) for worker in app.workers()]
    try:
        if app.settings.webhook is None:
            await _serve_polling(app, dp, stop)
        else:
            await _serve_webhook(app, app.settings.webhook, dp, in_flight, stop)
    finally:
        stop.set()
        await in_flight.wait_idle(SHUTDOWN_GRACE)
        # Workers watch `stop` and finish their current step; a stuck one is cancelled.
        _, pending = await asyncio.wait(tasks, timeout=SHUTDOWN_GRACE) if tasks else (set(), set())
        for task in pending:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await app.registry.drain()
        await dp.storage.close()


async def _serve_polling(app: App, dp: Dispatcher, stop: asyncio.Event) -> None:
    if not await remove_webhook(app.bot, stop):
        return
    listener = None
    if app.settings.metrics is not None:
        # Polling has no HTTP server of its own: /metrics gets a small one (METRICS_PORT).
        listener = await start_listener(
            app.metrics,
            app.settings.metrics.host,
            app.settings.metrics.port,
            database_refresh(app.metrics, app.pool, app.settings.channel_id),
        )
    catalogue = None
    try:
        webapp = app.settings.webapp
        if webapp is not None and webapp.port is not None:
            # And the catalogue one of its own (WEBAPP_PORT).
            catalogue = await start_catalogue(
                app.catalogue(), webapp.path, webapp.host, webapp.port
            )
        await _poll(app, dp, stop)
    finally:
        if catalogue is not None:
            await catalogue.cleanup()
        if listener is not None:
            await listener.cleanup()


async def _poll(app: App, dp: Dispatcher, stop: asyncio.Event) -> None:
    polling = asyncio.create_task(
        dp.start_polling(
            app.bot,
            handle_signals=False,
            close_bot_session=False,
            # No bound here: the intake bounds the work, per user first (telegram/intake.py).
            tasks_concurrency_limit=None,
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
    # Polling confirms updates before their handlers finish and does not wait for them;
    # serve() waits on `in_flight` next.


def _catalogue_routes(app: App) -> Callable[[Any], None] | None:
    """The catalogue on the webhook server, under WEBAPP_URL's path (webhook mode)."""
    webapp = app.settings.webapp
    if webapp is None:
        return None
    catalogue = app.catalogue()
    return lambda web_app: catalogue.add_routes(web_app, webapp.path)


async def _serve_webhook(
    app: App, settings: WebhookSettings, dp: Dispatcher, in_flight: InFlight, stop: asyncio.Event
) -> None:
    from vodiy_bozor.runtime.webhook import WebhookServer  # aiohttp's server: webhook mode only

    server = WebhookServer(
        app.bot,
        app.pool,
        settings,
        dp,
        in_flight,
        concurrency=HANDLER_CONCURRENCY,
        metrics=app.metrics_handler(),
        routes=_catalogue_routes(app),
    )
    # Listen before setWebhook: Telegram starts POSTing as soon as it is set (and other
    # instances may have set it already, so the balancer may send us updates at once).
    await server.start()
    workflow = {"dispatcher": dp, "bots": (app.bot,), **dp.workflow_data}
    try:
        await dp.emit_startup(bot=app.bot, **workflow)
        if await set_webhook(app.bot, dp, settings, stop):
            await stop.wait()
        log.info("stopping")
    finally:
        # Shutdown order: refuse new updates and close the port, let the updates already
        # taken finish, then (in serve) stop the workers. The webhook is left set on
        # purpose: the other instances keep serving, and with none left Telegram queues
        # the updates until one is back (https://core.telegram.org/bots/api#getting-updates).
        await server.stop(SHUTDOWN_GRACE)
        await dp.emit_shutdown(bot=app.bot, **workflow)

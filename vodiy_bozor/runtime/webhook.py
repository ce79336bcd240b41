"""Webhook mode: an HTTP server that takes Telegram's POSTs and answers `GET /health`.

Why not aiogram's `SimpleRequestHandler(handle_in_background=True)`: it starts one task per
update with no bound (polling here is bounded, and unbounded spawning was measured slower
under bursts), it answers a wrong secret with 401 where we want 403, its shutdown hook closes
the bot session (the composition root owns it), and it keeps its tasks to itself, so a
graceful stop could not wait for them. What remains is short and is all here.

Several instances may run behind one load balancer: an update reaches exactly one of them
per delivery, and everything that must be shared (conversation state, the outbox, job
schedules) is in PostgreSQL. Nothing here counts on seeing every update.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError

from vodiy_bozor.bot.middlewares import InFlight, current_update_id
from vodiy_bozor.config import WebhookSettings
from vodiy_bozor.db import Executor
from vodiy_bozor.db.updates import first_time
from vodiy_bozor.runtime.health import Health

log = logging.getLogger(__name__)

# https://core.telegram.org/bots/api#setwebhook: with `secret_token` set, every request
# carries it in this header; it is how we tell Telegram from anyone who found the URL.
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
HEALTH_PATH = "/health"
METRICS_PATH = "/metrics"
# How long a POST may wait for a free handler slot before we answer 503 and let Telegram
# deliver it again later (perhaps to another instance). Telegram gives up waiting for an
# answer after about a minute (aiogram's observation; the Bot API docs do not say); a slot
# normally frees in milliseconds.
ADMISSION_WAIT = 10.0
# How long the HTTP server waits for requests it is answering when it stops. Update POSTs
# are answered before their handlers run, so this only covers reading the request.
HTTP_SHUTDOWN_TIMEOUT = 5.0
# Updates are small; Telegram's biggest (a message with a long text and entities) is far
# below this. Anything larger is not from Telegram.
MAX_BODY = 1024 * 1024


class WebhookServer:
    """Receives updates at the path of `WEBHOOK_URL` and hands each to the dispatcher as a
    task, at most `concurrency` at once; `stop()` refuses new ones and waits for those
    running."""

    def __init__(
        self,
        bot: Bot,
        db: Executor,
        settings: WebhookSettings,
        dp: Dispatcher,
        in_flight: InFlight,
        *,
        concurrency: int,
        metrics: Callable[[web.Request], Awaitable[web.StreamResponse]] | None = None,
        routes: Callable[[web.Application], None] | None = None,
    ) -> None:
        self._bot = bot
        self._db = db
        self._metrics = metrics
        self._routes = routes  # more routes on the same server (the catalogue Mini App)
        self._settings = settings
        self._secret = settings.secret.get().encode()
        self._dp = dp
        self._slots = asyncio.Semaphore(concurrency)
        self._tasks: set[asyncio.Task[None]] = set()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.path = urlsplit(settings.url).path or "/"
        self.health = Health(
            db=db,
            handled=lambda: in_flight.handled,
            in_flight=lambda: len(self._tasks),
            started=time.monotonic(),
        )

    async def start(self) -> None:
        """Listen on WEBHOOK_HOST:WEBHOOK_PORT; fails at once if the port is taken."""
        web_app = web.Application(client_max_size=MAX_BODY)
        web_app.router.add_post(self.path, self._receive)
        web_app.router.add_get(HEALTH_PATH, self._health)
        if self._metrics is not None:
            web_app.router.add_get(METRICS_PATH, self._metrics)
        if self._routes is not None:
            self._routes(web_app)
        # No access log: at a thousand updates a second it would be most of the output, and
        # the reverse proxy in front keeps one anyway.
        runner = web.AppRunner(web_app, access_log=None, shutdown_timeout=HTTP_SHUTDOWN_TIMEOUT)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self._settings.host, self._settings.port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        log.info(
            "webhook server listening on %s:%d, updates at %s",
            self._settings.host,
            self._settings.port,
            self.path,
        )

    async def stop(self, grace: float) -> None:
        """Stop taking updates, then let those already taken finish (up to `grace` seconds).

        The webhook stays set: other instances behind the load balancer keep serving, and
        when none is left Telegram keeps the updates queued until one is back.
        """
        self._closing.set()
        self.health.stopping = True
        if self._runner is not None:
            # Closes the listening socket first, so the balancer's next attempt fails over to
            # another instance; then waits for requests being answered.
            await self._runner.cleanup()
            self._runner = None
        running = set(self._tasks)
        log.info("stopped taking updates; waiting for %d being handled", len(running))
        if not running:
            return
        _, pending = await asyncio.wait(running, timeout=grace)
        if pending:
            log.warning(
                "%d updates still being handled after %.0fs; cancelling", len(pending), grace
            )
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER)
        # Constant time, so the secret cannot be guessed a character at a time from timings.
        if given is None or not hmac.compare_digest(given.encode("utf-8", "replace"), self._secret):
            log.warning("refused a webhook request without the right secret token")
            return web.Response(status=403, text="Forbidden")
        if self._closing.is_set():
            return _retry_later("stopping")
        try:
            update = Update.model_validate(
                await request.json(loads=json.loads), context={"bot": self._bot}
            )
        except (ValueError, ValidationError) as exc:
            # Telegram sends well-formed updates; a body that is not one is refused, so it
            # shows in getWebhookInfo's last_error_message instead of vanishing silently.
            log.error("refused a webhook request that is not an update (%s)", type(exc).__name__)
            return web.Response(status=400, text="Not an update")
        if not await self._admit():
            return _retry_later("busy")
        task = asyncio.create_task(self._handle(update), name=f"update-{update.update_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        # 200 before the handler runs: Telegram keeps at most `max_connections` (default 40)
        # requests open at once (https://core.telegram.org/bots/api#setwebhook), so a slow
        # answer would hold back other people's updates.
        return web.json_response({})

    async def _admit(self) -> bool:
        """Take a handler slot, waiting while all are busy (as polling stops reading while
        they are). False when none frees in time, or when the server began stopping while
        this request waited (handlers finishing during the stop free slots, so a waiting
        request does not hold the stop up)."""
        try:
            async with asyncio.timeout(ADMISSION_WAIT):
                await self._slots.acquire()
        except TimeoutError:
            log.warning("no free handler slot for %.0fs; Telegram will retry", ADMISSION_WAIT)
            return False
        if self._closing.is_set():
            self._slots.release()
            return False
        return True

    async def _handle(self, update: Update) -> None:
        # Each task has its own context: the label covers every log line of this update, also
        # those outside the InFlight middleware (event isolation, aiogram's "is handled").
        current_update_id.set(update.update_id)
        try:
            if not await self._first_time(update.update_id):
                return
            result: Any = await self._dp.feed_update(self._bot, update)
            if isinstance(result, TelegramMethod):
                # A handler may return a method for the webhook answer; the answer is long
                # gone, so it is called like polling does.
                await self._dp.silent_call_request(self._bot, result)
        except Exception:
            log.exception("handling the update failed")
        finally:
            self._slots.release()

    async def _first_time(self, update_id: int) -> bool:
        """Whether no instance has taken this update yet. Telegram sends an update again when
        our 200 did not reach it, and the balancer may hand it to another instance; the
        `handled_updates` row makes it once. A database that does not answer lets it through:
        a rare double answer is better than a lost one."""
        try:
            if await first_time(self._db, update_id):
                return True
        except Exception as exc:  # noqa: BLE001 - see above
            log.warning("could not note update %d as taken (%s)", update_id, type(exc).__name__)
            return True
        log.info("update %d was taken by an instance already; skipped", update_id)
        return False

    async def _health(self, request: web.Request) -> web.Response:
        report = await self.health.report()
        return web.json_response(
            report.body, status=report.status, headers={"Cache-Control": "no-store"}
        )


def _retry_later(reason: str) -> web.Response:
    # Any answer but 2xx makes Telegram repeat the request, giving up only "after a
    # reasonable amount of attempts" (https://core.telegram.org/bots/api#setwebhook).
    return web.Response(status=503, text=reason, headers={"Retry-After": "1"})

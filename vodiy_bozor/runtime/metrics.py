"""Prometheus metrics: what the bot does, how fast, what Telegram answers, and what waits.

Counters and histograms are counted where things happen (every Bot API call passes through
`bot/session.py`; updates and jobs are counted by their callers); what lives in PostgreSQL
(the outbox's backlog, whether the channel takes posts, the jobs' last runs) is read when
Prometheus scrapes, so every instance reports the shared truth. Each `Metrics` has a registry
of its own, not prometheus_client's global one: several apps (tests, the benchmark) can live in
one process. Served in Prometheus' text format on `/metrics`:
https://prometheus.github.io/client_python/exporting/http/aiohttp/
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from aiogram.exceptions import (
    RestartingTelegram,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.aiohttp import make_aiohttp_handler

from vodiy_bozor.db import Executor
from vodiy_bozor.db import channel as db_channel
from vodiy_bozor.db import outbox as db_outbox
from vodiy_bozor.db.jobs import last_runs
from vodiy_bozor.models import OutboxKind

log = logging.getLogger(__name__)

# A scrape must answer even when the database does not; Prometheus' default scrape timeout is
# 10 s.
REFRESH_TIMEOUT = 2.0

# Handler times: most updates take milliseconds; the tail up to Telegram's patience matters.
_HANDLER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_CALL_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


def call_result(exc: BaseException | None) -> str:
    """The result label of a Bot API call: ok, 429, 400, 401, 403, 404, 409, 5xx, network or
    other (a bounded set, so the series stay few)."""
    if exc is None:
        return "ok"
    for kind, label in (
        (TelegramRetryAfter, "429"),
        (TelegramBadRequest, "400"),
        (TelegramUnauthorizedError, "401"),
        (TelegramForbiddenError, "403"),
        (TelegramNotFound, "404"),
        (TelegramConflictError, "409"),
        (TelegramServerError, "5xx"),
        (RestartingTelegram, "5xx"),
        (TelegramNetworkError, "network"),
    ):
        if isinstance(exc, kind):
            return label
    return "other"


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.updates = Counter(
            "vodiy_updates", "Updates handled, by update type", ["type"], registry=r
        )
        self.handler_seconds = Histogram(
            "vodiy_handler_seconds",
            "Time to handle one update, by update type",
            ["type"],
            buckets=_HANDLER_BUCKETS,
            registry=r,
        )
        self.api_calls = Counter(
            "vodiy_bot_api_calls",
            "Bot API calls, by method and result (ok, 429, 400, 403, 5xx, network, ...)",
            ["method", "result"],
            registry=r,
        )
        self.api_seconds = Histogram(
            "vodiy_bot_api_call_seconds",
            "Time of one Bot API call, by method (long polls included)",
            ["method"],
            buckets=_CALL_BUCKETS,
            registry=r,
        )
        self.job_runs = Counter(
            "vodiy_job_runs",
            "Background job runs, by job and outcome",
            ["job", "outcome"],
            registry=r,
        )
        self.outbox_pending = Gauge(
            "vodiy_outbox_pending",
            "Outbox rows waiting to be sent, by kind",
            ["kind"],
            registry=r,
        )
        self.outbox_oldest_age = Gauge(
            "vodiy_outbox_oldest_age_seconds",
            "Age of the oldest outbox row waiting, by kind (0 when none waits)",
            ["kind"],
            registry=r,
        )
        self.channel_accepts = Gauge(
            "vodiy_channel_accepts_posts",
            "1 while the channel takes the bot's posts, 0 while it refuses them",
            ["channel"],
            registry=r,
        )
        self.channel_refusing_since = Gauge(
            "vodiy_channel_refusing_since_timestamp_seconds",
            "Since when the channel refuses the bot's posts (0 while it takes them)",
            ["channel"],
            registry=r,
        )
        self.approved_without_post = Gauge(
            "vodiy_ads_approved_without_post",
            "Approved ads with no channel post and none on its way (an admin must act)",
            registry=r,
        )
        self.job_last_run = Gauge(
            "vodiy_job_last_run_timestamp_seconds",
            "When each background job last ran",
            ["job"],
            registry=r,
        )
        self.database_up = Gauge(
            "vodiy_database_up",
            "1 if the database answered the last scrape's queries in time",
            registry=r,
        )
        # The labelled children of the per-update and per-call series, by their labels:
        # `labels()` hashes, locks and looks them up on every call (a few microseconds, several
        # times per update); the labels' values are few (update types, API methods × results).
        self._per_update: dict[str, tuple[Counter, Histogram]] = {}
        self._per_call: dict[tuple[str, str], tuple[Counter, Histogram]] = {}

    # -- counted where it happens ----------------------------------------------------------------

    def update_handled(self, update_type: str, seconds: float) -> None:
        """One update handled (the dispatcher's middleware calls this)."""
        children = self._per_update.get(update_type)
        if children is None:
            children = (self.updates.labels(update_type), self.handler_seconds.labels(update_type))
            self._per_update[update_type] = children
        children[0].inc()
        children[1].observe(seconds)

    def api_call(self, method: str, exc: BaseException | None, seconds: float) -> None:
        result = call_result(exc)
        children = self._per_call.get((method, result))
        if children is None:
            children = (self.api_calls.labels(method, result), self.api_seconds.labels(method))
            self._per_call[(method, result)] = children
        children[0].inc()
        children[1].observe(seconds)

    def job_ran(self, job: str, outcome: str = "ok") -> None:
        """A background job ran: outcome "ok", "idle" (nothing to do) or "error"."""
        self.job_runs.labels(job, outcome).inc()

    # -- read from PostgreSQL at scrape time -----------------------------------------------------

    async def refresh(self, db: Executor, channel: int | str) -> None:
        """Set the gauges that PostgreSQL knows, shared by every instance."""
        backlog = {b.kind: b for b in await db_outbox.backlog_by_kind(db)}
        for kind in sorted({k.value for k in OutboxKind} | set(backlog)):
            found = backlog.get(kind)
            self.outbox_pending.labels(kind).set(found.pending if found else 0)
            self.outbox_oldest_age.labels(kind).set(found.oldest_age if found else 0.0)
        states = {s.chat: s for s in await db_channel.states(db)}
        name = str(channel)
        state = states.get(name)
        since = state.refusing_since if state is not None else None
        self.channel_accepts.labels(name).set(0 if since is not None else 1)
        self.channel_refusing_since.labels(name).set(since.timestamp() if since else 0)
        self.approved_without_post.set(len(await db_channel.approved_without_post(db, 1000)))
        runs: dict[str, datetime | None] = await last_runs(db)
        for job, at in runs.items():
            self.job_last_run.labels(job).set(at.timestamp() if at is not None else 0)


def make_handler(
    metrics: Metrics, refresh: Callable[[], Awaitable[None]] | None = None
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """The `/metrics` handler: refreshes the database's gauges (within `REFRESH_TIMEOUT`; a
    database that does not answer shows as `vodiy_database_up 0`), then renders the registry.
    Add it to any aiohttp app: `app.router.add_get("/metrics", make_handler(...))`."""
    render = make_aiohttp_handler(metrics.registry)

    async def handle(request: web.Request) -> web.StreamResponse:
        if refresh is not None:
            try:
                async with asyncio.timeout(REFRESH_TIMEOUT):
                    await refresh()
            except Exception as exc:  # noqa: BLE001 - the counters are still worth serving
                log.warning("metrics: the database did not answer (%s)", type(exc).__name__)
                metrics.database_up.set(0)
            else:
                metrics.database_up.set(1)
        return await render(request)

    return handle


def database_refresh(
    metrics: Metrics, db: Executor, channel: int | str
) -> Callable[[], Awaitable[None]]:
    """The usual `refresh` for `make_handler`: the gauges from this database and channel."""

    async def refresh() -> None:
        await metrics.refresh(db, channel)

    return refresh


async def start_listener(
    metrics: Metrics,
    host: str,
    port: int,
    refresh: Callable[[], Awaitable[None]] | None = None,
) -> web.AppRunner:
    """A small HTTP server with only `GET /metrics`, for polling instances (webhook instances
    add the handler to their webhook server instead). Stop it with `await runner.cleanup()`;
    `listening(runner)` says where it listens (port 0 picks a free one)."""
    app = web.Application()
    app.router.add_get("/metrics", make_handler(metrics, refresh))
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    log.info("metrics on http://%s:%d/metrics", *listening(runner))
    return runner


def listening(runner: web.AppRunner) -> tuple[str, int]:
    """The address the listener is bound to."""
    host, port = runner.addresses[0][:2]
    return str(host), int(port)

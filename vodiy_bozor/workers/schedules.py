"""The schedules: reposting unsold ads, asking sellers whether they sold, and buyers' evening
digests.

The loop only ticks. What is due lives in PostgreSQL (the `jobs` row of the repost, each ad's
`next_check_at`) and is claimed in the transaction that acts on it, so a restart neither skips
nor repeats anything and several bot processes never do the same work twice.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import asyncpg

from vodiy_bozor.db import albums as db_albums
from vodiy_bozor.db import jobs as db_jobs
from vodiy_bozor.db import outbox as db_outbox
from vodiy_bozor.db import search as db_search
from vodiy_bozor.db import updates as db_updates
from vodiy_bozor.runtime.metrics import Metrics
from vodiy_bozor.services.buyers import Buyers
from vodiy_bozor.services.listings import REPOST_JOB, Listings
from vodiy_bozor.workers.loop import run_loop

log = logging.getLogger(__name__)

PRUNE_JOB = "prune_outbox"
PRUNE_EVERY = 6 * 3600
KEEP_DELIVERED = 7 * 24 * 3600  # sent and failed outbox rows are kept a week for inspection
# Telegram gives up resending an update long before a day (it keeps them at most 24 hours:
# https://core.telegram.org/bots/api#getting-updates).
KEEP_UPDATE_IDS = 24 * 3600
# An album's parts are fed within seconds; older ones were left by an instance that stopped.
KEEP_ALBUM_PARTS = 3600
CHECK_BATCH = 100
DIGEST_BATCH = 100  # buyers per transaction


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def tick_for(repost_interval: float, check_interval: float) -> float:
    """How often to look for due work: often enough for second-long test intervals, at most
    every five seconds in production."""
    return _clamp(min(repost_interval, check_interval) / 4, 0.2, 5.0)


def question_spacing(check_interval: float) -> float:
    """The gap between two questions to one seller: a hundredth of the interval (43 minutes
    for three days, capped at ten), never under a second."""
    return _clamp(check_interval / 100, 1.0, 600.0)


async def run_schedules(
    pool: asyncpg.Pool[Any],
    listings: Listings,
    buyers: Buyers,
    stop: asyncio.Event,
    metrics: Metrics | None = None,
) -> None:
    metrics = metrics or Metrics()
    repost_every, check_every = listings.repost_interval, listings.sold_check_interval
    await db_jobs.ensure(pool, REPOST_JOB, repost_every)
    await db_jobs.ensure(pool, PRUNE_JOB, PRUNE_EVERY)
    tick = tick_for(repost_every, check_every)
    spacing = question_spacing(check_every)
    log.info("schedules: repost every %ss, ask sellers every %ss", repost_every, check_every)

    async def turn() -> float:
        wait = tick
        reposted = await listings.repost()
        if reposted is not None:
            log.info("reposting ad %d", reposted)
        metrics.job_ran("repost", "idle" if reposted is None else "ok")
        while True:
            asked, expired = await listings.ask_whether_sold(spacing=spacing, batch=CHECK_BATCH)
            if asked or expired:
                log.info("asked about %d ads, %d expired", asked, expired)
            metrics.job_ran("sold_check", "ok" if asked or expired else "idle")
            if asked + expired < CHECK_BATCH or stop.is_set():
                break
        while (digests := await buyers.send_digests(DIGEST_BATCH)) == DIGEST_BATCH:
            if stop.is_set():
                break
        if digests:
            log.info("queued %d evening digests", digests)
        if await _prune(pool):
            metrics.job_ran("prune")
        until_repost = await db_jobs.seconds_until(pool, REPOST_JOB)
        if until_repost is not None:
            wait = _clamp(until_repost, 0.05, tick)
        return wait

    # Only the database is waited out: any other failure is raised to the supervisor.
    await run_loop(
        "schedules",
        stop,
        turn,
        after_error=lambda: tick,
        survive_bugs=False,
        on_database_error=lambda: metrics.job_ran("schedules", "error"),
    )


async def _prune(pool: asyncpg.Pool[Any]) -> bool:
    """Prune delivered outbox rows if that job is due; whether it ran."""
    async with pool.acquire() as conn, conn.transaction():
        if await db_jobs.claim(conn, PRUNE_JOB, PRUNE_EVERY) is None:
            return False
        removed = await db_outbox.prune(conn, KEEP_DELIVERED)
        forgotten = await db_updates.prune(conn, KEEP_UPDATE_IDS)
        album_parts = await db_albums.prune(conn, KEEP_ALBUM_PARTS)
        words, days = await db_search.prune_search(conn)
        log.info(
            "pruned %d delivered outbox rows, %d update ids, %d album parts, %d search words,"
            " %d notice days",
            removed,
            forgotten,
            album_parts,
            words,
            days,
        )
        return True

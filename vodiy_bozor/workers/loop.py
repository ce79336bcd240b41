"""One skeleton for the background workers (the outbox, the archive, the schedules, the
promotions): do a turn, catch and log what went wrong, sleep until the next turn is due, a
NOTIFY wakes the worker or `stop` is set.

A turn returns how long to sleep, or `AGAIN` (None) to take the next turn at once (there may
be more work due). A database that is down is logged and waited out; any other exception is
a bug that must not stop the worker (`survive_bugs`), or is raised to the supervisor.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import asyncpg

from vodiy_bozor.workers.backoff import pause

log = logging.getLogger(__name__)

AGAIN = None  # a turn's answer: more may be due, take the next turn without sleeping

# A connection lost, PostgreSQL restarting or refusing: the next turn will tell.
DATABASE_ERRORS = (OSError, asyncpg.PostgresError, asyncpg.InterfaceError)


async def run_loop(
    name: str,
    stop: asyncio.Event,
    turn: Callable[[], Awaitable[float | None]],
    *,
    after_error: Callable[[], float],
    wake: asyncio.Event | None = None,
    survive_bugs: bool = True,
    on_database_error: Callable[[], None] | None = None,
) -> None:
    """Take turns until `stop` is set. After a failed turn, sleep `after_error()` seconds.
    With `wake` (set by a LISTEN callback), a sleep ends early when it is set, and it is
    cleared before the next turn."""
    while not stop.is_set():
        try:
            seconds = await turn()
        except DATABASE_ERRORS as exc:
            log.warning("%s: database unavailable (%s); retrying", name, exc)
            if on_database_error is not None:
                on_database_error()
            seconds = after_error()
        except Exception:
            if not survive_bugs:
                raise
            # The worker must outlive any single failure, or its work stops for good.
            log.exception("%s: unexpected error; carrying on", name)
            seconds = after_error()
        if seconds is AGAIN:
            continue
        if wake is None:
            await pause(stop, seconds)
        else:
            await sleep_until_woken(stop, wake, seconds)
            wake.clear()


async def sleep_until_woken(stop: asyncio.Event, wake: asyncio.Event, seconds: float) -> None:
    """Sleep until `stop` or `wake` is set, or `seconds` pass: how the background workers
    idle between a NOTIFY and their next due time."""
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
    try:
        await asyncio.wait(waiters, timeout=max(seconds, 0.01), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()

"""The health report behind `GET /health`: can this instance do its work right now?

It is what a load balancer or a monitor polls, so it is cheap (a few short queries), never waits
long (a dead database answers "no" within `DB_TIMEOUT`, not after the driver's connect
timeout), and shows no settings, no URLs and no error messages (an asyncpg message may name
hosts or users): only exception class names.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from vodiy_bozor.db import Executor
from vodiy_bozor.db import channel as db_channel
from vodiy_bozor.db.jobs import last_runs
from vodiy_bozor.db.outbox import backlog

log = logging.getLogger(__name__)

# Load balancers typically give a health check 2-5 seconds; answering within that, even when
# the database does not, lets them mark this instance down instead of timing out.
DB_TIMEOUT = 2.0


@dataclass(frozen=True, slots=True)
class Report:
    healthy: bool
    body: dict[str, Any]

    @property
    def status(self) -> int:
        """The HTTP status: 503 tells a load balancer to send Telegram's POSTs elsewhere."""
        return 200 if self.healthy else 503


@dataclass(slots=True)
class Health:
    db: Executor
    handled: Callable[[], int]  # updates handled by this instance since it started
    in_flight: Callable[[], int]  # updates being handled right now
    started: float  # time.monotonic() at start-up
    stopping: bool = False

    async def report(self) -> Report:
        body: dict[str, Any] = {"status": "ok"}
        database: dict[str, Any] = {"ok": False}
        outbox: dict[str, Any] | None = None
        jobs: dict[str, Any] | None = None
        channel: dict[str, Any] | None = None
        began = time.monotonic()
        try:
            async with asyncio.timeout(DB_TIMEOUT):
                pending, oldest_age = await backlog(self.db)
                outbox = {
                    "pending": pending,
                    "oldest_age_seconds": round(oldest_age, 3) if oldest_age is not None else None,
                }
                jobs = self._jobs(await last_runs(self.db))
                channel = await self._channel()
        except Exception as exc:  # noqa: BLE001 - any failure means "the database is not usable"
            database["error"] = type(exc).__name__
            log.warning("health: the database did not answer (%s)", type(exc).__name__)
        else:
            database["ok"] = True
            database["latency_ms"] = round((time.monotonic() - began) * 1000, 1)
        body["database"] = database
        if outbox is not None:
            body["outbox"] = outbox
        if jobs is not None:
            body["jobs"] = jobs
        if channel is not None:
            body["channel"] = channel
        body["updates"] = {"handled": self.handled(), "in_flight": self.in_flight()}
        body["uptime_seconds"] = round(time.monotonic() - self.started, 1)
        healthy = database["ok"] and not self.stopping
        if self.stopping:
            body["status"] = "stopping"
        elif not healthy:
            body["status"] = "unavailable"
        return Report(healthy=healthy, body=body)

    async def _channel(self) -> dict[str, Any]:
        """Whether the channel takes the bot's posts (shared by every instance), and how many
        approved ads have no post and none on its way. A refusing channel does not make the
        instance unhealthy: it still answers people, and posts wait until the right is back."""
        now = datetime.now(UTC)
        refusing = [
            {
                "chat": state.chat,
                "since": state.refusing_since.isoformat(),
                "seconds": round((now - state.refusing_since).total_seconds(), 1),
                "reason": state.reason,
                "telegram_said": state.error,
            }
            for state in await db_channel.states(self.db)
            if state.refusing_since is not None
        ]
        unposted = await db_channel.approved_without_post(self.db, 1000)
        return {
            "accepts_posts": not refusing,
            "refusing": refusing,
            "approved_without_post": len(unposted),
        }

    @staticmethod
    def _jobs(runs: dict[str, datetime | None]) -> dict[str, Any]:
        now = datetime.now(UTC)
        return {
            name: {
                "last_run_at": at.isoformat() if at is not None else None,
                "seconds_ago": round((now - at).total_seconds(), 1) if at is not None else None,
            }
            for name, at in sorted(runs.items())
        }

"""The background workers that run next to the update handlers."""

from __future__ import annotations

import asyncio

from vodiy_bozor.app import App
from vodiy_bozor.archive import archive_photos
from vodiy_bozor.bot.courier import BotCourier
from vodiy_bozor.jobs import run_schedules
from vodiy_bozor.outbox import OutboxWorker
from vodiy_bozor.serve import Worker


async def deliver(app: App, stop: asyncio.Event) -> None:
    """The outbox: everything sent outside a conversation."""
    await OutboxWorker(app.pool, app.bot, BotCourier(app), app.outbox_limits).run(stop)


async def schedules(app: App, stop: asyncio.Event) -> None:
    """Reposts and "has it sold?" questions."""
    await run_schedules(app, stop)


def all_workers() -> list[Worker]:
    return [deliver, schedules, archive_photos]

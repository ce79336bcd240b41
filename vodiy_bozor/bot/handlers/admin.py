"""Admin commands: /pending and /stats. (Anyone else gets the ordinary help: bot/handlers/
fallback.py.)"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from vodiy_bozor.bot.filters import IsAdmin
from vodiy_bozor.lifecycle import AdLifecycle
from vodiy_bozor.models import AdStatus
from vodiy_bozor.texts import Translator

PENDING_PAGE = 10  # cards re-sent per /pending; the outbox paces them


async def pending(message: Message, t: Translator, lifecycle: AdLifecycle) -> None:
    assert message.from_user is not None
    waiting = await lifecycle.count_pending()
    if not waiting:
        await message.answer(t("pending-none"))
        return
    # The header first: the cards follow through the outbox, after it.
    await message.answer(t("pending-header", count=waiting))
    await lifecycle.resend_pending_cards(message.from_user.id, PENDING_PAGE)


async def stats(message: Message, t: Translator, lifecycle: AdLifecycle) -> None:
    s = await lifecycle.stats()
    by_status = s.by_status
    median = s.median_decision_seconds
    await message.answer(
        t(
            "stats",
            users=s.users.total,
            new_week=s.users.new_this_week,
            blocked=s.users.blocked,
            pending=by_status[AdStatus.PENDING],
            published=by_status[AdStatus.PUBLISHED] + by_status[AdStatus.APPROVED],
            rejected=by_status[AdStatus.REJECTED],
            sold=by_status[AdStatus.SOLD],
            removed=by_status[AdStatus.REMOVED],
            expired=by_status[AdStatus.EXPIRED],
            reposts=s.reposts_today,
            median=_duration(median) if median is not None else t("stats-no-median"),
            backlog=s.outbox_backlog,
        )
    )


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def setup() -> Router:
    router = Router(name="admin")
    router.message.filter(IsAdmin())
    router.message.register(pending, Command("pending"))
    router.message.register(stats, Command("stats"))
    return router

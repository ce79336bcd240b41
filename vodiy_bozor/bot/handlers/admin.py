"""Admin commands: /pending and /stats. Anyone else gets the ordinary help instead."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from vodiy_bozor.app import App
from vodiy_bozor.bot import keyboards
from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.db import stats as db_stats
from vodiy_bozor.db.outbox import backlog, enqueue
from vodiy_bozor.models import AdStatus, OutboxKind
from vodiy_bozor.texts import Translator

PENDING_PAGE = 10  # cards re-sent per /pending; the outbox paces them


def build_router(app: App) -> Router:
    router = Router(name="admin")

    @router.message(Command("pending"))
    async def pending(message: Message, t: Translator) -> None:
        assert message.from_user is not None
        admin_id = message.from_user.id
        if not app.is_admin(admin_id):
            await message.answer(t("help"), reply_markup=keyboards.main_menu(t))
            return
        ad_ids = await db_ads.pending_ids(app.pool, PENDING_PAGE)
        if not ad_ids:
            await message.answer(t("pending-none"))
            return
        total = (await db_ads.count_by_status(app.pool))[AdStatus.PENDING]
        await message.answer(t("pending-header", count=total))
        async with app.pool.acquire() as conn, conn.transaction():
            for ad_id in ad_ids:
                await enqueue(conn, admin_id, OutboxKind.ADMIN_PHOTOS, ad_id=ad_id)
                await enqueue(conn, admin_id, OutboxKind.ADMIN_CARD, ad_id=ad_id)

    @router.message(Command("stats"))
    async def stats(message: Message, t: Translator) -> None:
        assert message.from_user is not None
        if not app.is_admin(message.from_user.id):
            await message.answer(t("help"), reply_markup=keyboards.main_menu(t))
            return
        users = await db_stats.users(app.pool)
        by_status = await db_ads.count_by_status(app.pool)
        median = await db_ads.median_decision_seconds(app.pool)
        queued, _ = await backlog(app.pool)
        await message.answer(
            t(
                "stats",
                users=users.total,
                new_week=users.new_this_week,
                blocked=users.blocked,
                pending=by_status[AdStatus.PENDING],
                published=by_status[AdStatus.PUBLISHED] + by_status[AdStatus.APPROVED],
                rejected=by_status[AdStatus.REJECTED],
                sold=by_status[AdStatus.SOLD],
                removed=by_status[AdStatus.REMOVED],
                expired=by_status[AdStatus.EXPIRED],
                reposts=await db_stats.reposts_since(app.pool, 24 * 3600),
                median=_duration(median) if median is not None else t("stats-no-median"),
                backlog=queued,
            )
        )

    return router


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"

"""Admin commands: /pending, /stats and /unposted. (Anyone else gets the ordinary help:
bot/handlers/fallback.py.)"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.callbacks import PublishAgainCb
from vodiy_bozor.bot.filters import IsAdmin, PrivateChat
from vodiy_bozor.captions import summary
from vodiy_bozor.models import AdStatus
from vodiy_bozor.services.listings import Listings
from vodiy_bozor.services.moderation import Moderation
from vodiy_bozor.texts import Translator

PENDING_PAGE = 10  # cards re-sent per /pending; the outbox paces them
UNPOSTED_PAGE = 10


async def pending(message: Message, t: Translator, moderation: Moderation) -> None:
    assert message.from_user is not None
    waiting = await moderation.count_pending()
    if not waiting:
        await message.answer(t("pending-none"))
        return
    # The header first: the cards follow through the outbox, after it.
    await message.answer(t("pending-header", count=waiting))
    await moderation.resend_pending_cards(message.from_user.id, PENDING_PAGE)


async def stats(message: Message, t: Translator, moderation: Moderation) -> None:
    s = await moderation.stats()
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


async def unposted(message: Message, t: Translator, listings: Listings) -> None:
    """Approved ads with no channel post (refused for good, or an outcome Telegram left in
    doubt), each with a button to publish it again: no ad stays approved without a post."""
    found = await listings.unposted(UNPOSTED_PAGE)
    if not found:
        await message.answer(t("unposted-none"))
        return
    lines = [t("unposted-header", count=len(found))]
    lines += [
        t(
            "unposted-item",
            id=item.ad.id,
            summary=summary(item.ad.content.description, 60),
            status=item.last_attempt or "—",
        )
        for item in found
    ]
    markup = keyboards.publish_again(t, [item.ad.id for item in found])
    await message.answer("\n".join(lines), reply_markup=markup)


async def publish_again(
    query: CallbackQuery, callback_data: PublishAgainCb, t: Translator, listings: Listings
) -> None:
    ad_id = callback_data.ad_id
    queued = await listings.publish_again(ad_id)
    await query.answer(t("unposted-queued" if queued else "unposted-already", id=ad_id))


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
    # Admin commands are answered in the admin's private chat only: /stats typed in a group
    # would show the bot's figures to everyone there.
    router.message.filter(IsAdmin(), PrivateChat())
    router.callback_query.filter(IsAdmin())
    router.message.register(pending, Command("pending"))
    router.message.register(stats, Command("stats"))
    router.message.register(unposted, Command("unposted"))
    router.callback_query.register(publish_again, PublishAgainCb.filter())
    return router

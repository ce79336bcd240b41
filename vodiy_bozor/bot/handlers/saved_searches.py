"""A buyer's saved searches: /subs and the menu's entry list them, each with 🗑; 🔕 under a
notice ends the search that sent it. Saving is 🔔 under the results (bot/handlers/search.py);
the notices themselves are outbox rows written when an ad is published (services/buyers.py)."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.callbacks import SubsAction, SubsCb
from vodiy_bozor.bot.filters import Label, PrivateChat
from vodiy_bozor.bot.handlers.search import edit_text, range_label
from vodiy_bozor.captions import Captions, summary
from vodiy_bozor.models import MAX_SAVED_SEARCHES, SavedSearch
from vodiy_bozor.services.buyers import Buyers
from vodiy_bozor.texts import Translator

log = logging.getLogger(__name__)


def _listing(
    t: Translator, captions: Captions, searches: list[SavedSearch]
) -> tuple[str, InlineKeyboardMarkup | None]:
    if not searches:
        return t("subs-empty"), None
    lines = [t("subs-header", count=len(searches), limit=MAX_SAVED_SEARCHES)]
    for i, saved in enumerate(searches, 1):
        filters = saved.filters
        parts = [f"«{summary(saved.query, 60)}»"]
        if filters.category is not None:
            parts.append(t(f"category-{filters.category.value}"))
        if filters.region is not None:
            parts.append(t(f"region-{filters.region.value}"))
        if filters.price is not None:
            parts.append(range_label(t, captions, filters.price))
        lines.append(t("subs-item", n=str(i), search=" · ".join(parts)))
    return "\n".join(lines), keyboards.saved_searches(t, searches)


async def show(message: Message, t: Translator, buyers: Buyers, captions: Captions) -> None:
    assert message.from_user is not None
    searches = await buyers.saved_searches(message.from_user.id)
    text, markup = _listing(t, captions, searches)
    await message.answer(text, reply_markup=markup)


async def button(
    query: CallbackQuery,
    callback_data: SubsCb,
    t: Translator,
    bot: Bot,
    buyers: Buyers,
    captions: Captions,
) -> None:
    buyer_id = query.from_user.id
    kept = await buyers.drop_saved_search(callback_data.search_id, buyer_id)
    dropped = kept is not None
    if callback_data.action is SubsAction.OFF:
        # Under a notice: say it once, and take the button away so it is not pressed again.
        await query.answer(t("subs-off" if dropped else "subs-gone"), show_alert=True)
        if dropped and isinstance(query.message, Message):
            try:
                await bot.edit_message_reply_markup(
                    chat_id=buyer_id, message_id=query.message.message_id, reply_markup=None
                )
            except TelegramBadRequest as exc:  # too old to edit, or edited already
                log.info("could not take 🔕 off a notice: %s", exc.message)
        return
    await query.answer(t("subs-deleted" if dropped else "subs-gone"))
    if kept is None or not isinstance(query.message, Message):
        return  # nothing changed, or no list to update
    text, markup = _listing(t, captions, kept)
    await edit_text(bot, buyer_id, query.message.message_id, text, markup)


def setup() -> Router:
    router = Router(name="saved_searches")
    router.message.filter(PrivateChat())
    router.message.register(show, Command("subs"))
    router.message.register(show, Label("menu-subs"))
    router.callback_query.register(button, SubsCb.filter())
    return router

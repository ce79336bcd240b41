"""/my and the menu's "My ads": the seller's ads with status, price and link, and per ad the
actions its state allows (sold, remove, renew an expired one)."""

from __future__ import annotations

import logging
import math

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from vodiy_bozor import ads
from vodiy_bozor.app import App
from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.callbacks import MyAdsAction, MyAdsCb
from vodiy_bozor.bot.filters import PrivateChat, TextIs
from vodiy_bozor.captions import format_price, post_link, summary
from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.texts import Translator

log = logging.getLogger(__name__)

PAGE_SIZE = 5

_ACTIONS = {
    MyAdsAction.SOLD: (ads.OwnerAction.SOLD, "answer-sold"),
    MyAdsAction.REMOVE_YES: (ads.OwnerAction.REMOVE, "answer-removed"),
    MyAdsAction.RENEW: (ads.OwnerAction.RENEW, "answer-renewed"),
}


def build_router(app: App) -> Router:
    router = Router(name="my_ads")
    router.message.filter(PrivateChat())

    async def page_of(
        t: Translator, owner_id: int, page: int, confirm: int | None = None
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        total = await db_ads.count_owner_ads(app.pool, owner_id)
        if total == 0:
            return t("my-ads-empty"), None
        pages = math.ceil(total / PAGE_SIZE)
        page = min(max(page, 0), pages - 1)
        listed = await db_ads.owner_ads(
            app.pool, owner_id, limit=PAGE_SIZE, offset=page * PAGE_SIZE
        )
        parts = [t("my-ads-header", count=total)]
        for ad in listed:
            item = t(
                "my-ads-item",
                id=ad.id,
                status=t(f"status-{ad.status.value}"),
                price=format_price(app.texts, t.lang, ad.content.price),
                summary=summary(ad.content.description, 80),
            )
            post = await db_ads.first_post(app.pool, ad.id)
            if post is not None:
                link = post_link(app.settings.channel_id, post.chat_id, post.message_id)
                item += "\n" + t("my-ads-link", link=link)
            parts.append(item)
        markup = keyboards.my_ads(t, listed, page=page, pages=pages, confirm=confirm)
        return "\n\n".join(parts), markup

    @router.message(Command("my"))
    @router.message(TextIs(app.texts.variants("menu-my-ads")))
    async def show(message: Message, t: Translator) -> None:
        assert message.from_user is not None
        text, markup = await page_of(t, message.from_user.id, 0)
        await message.answer(text, reply_markup=markup, disable_web_page_preview=True)

    @router.callback_query(MyAdsCb.filter())
    async def act(query: CallbackQuery, callback_data: MyAdsCb, t: Translator) -> None:
        owner_id = query.from_user.id
        confirm = None
        note = None
        if callback_data.action is MyAdsAction.REMOVE:
            confirm = callback_data.ad_id
        elif callback_data.action in _ACTIONS:
            action, reply = _ACTIONS[callback_data.action]
            outcome = await ads.owner_acts(
                app.pool,
                callback_data.ad_id,
                owner_id,
                action,
                channel=app.settings.channel_id,
                admin_ids=app.settings.admin_ids,
                check_in=app.settings.sold_check_interval,
            )
            if outcome.ad is None or outcome.ad.owner_id != owner_id:
                log.warning("user %d acted on ad %d, not theirs", owner_id, callback_data.ad_id)
                await query.answer(t("button-outdated"), show_alert=True)
                return
            if outcome.applied:
                note = t(reply)
            else:
                note = t("answer-late", status=t(f"status-{outcome.ad.status.value}"))
        await query.answer(note)
        if query.message is None:
            return
        text, markup = await page_of(t, owner_id, callback_data.page, confirm)
        try:
            await app.bot.edit_message_text(
                text,
                chat_id=owner_id,
                message_id=query.message.message_id,
                reply_markup=markup,
                disable_web_page_preview=True,
            )
        except TelegramBadRequest as exc:
            if "message is not modified" not in exc.message:
                raise

    return router

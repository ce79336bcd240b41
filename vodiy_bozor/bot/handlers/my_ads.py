"""The seller's own ads: /my and the menu's "My ads" (every ad with its status, price and link,
and per ad the actions its state allows), and the answers to "has it sold?" (sold, still
selling, remove) — the same owner actions, pressed under a question instead of the list."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.callbacks import MyAdsAction, MyAdsCb, SoldAction, SoldCb
from vodiy_bozor.bot.filters import Label, PrivateChat
from vodiy_bozor.captions import Captions, summary
from vodiy_bozor.services.listings import Listings, OwnerAction
from vodiy_bozor.services.promotions import Promotions
from vodiy_bozor.texts import Translator

log = logging.getLogger(__name__)

PAGE_SIZE = 5

# Each button: the Listings action and the text that confirms it.
_LIST_ACTIONS = {
    MyAdsAction.SOLD: (OwnerAction.SOLD, "answer-sold"),
    MyAdsAction.REMOVE_YES: (OwnerAction.REMOVE, "answer-removed"),
    MyAdsAction.RENEW: (OwnerAction.RENEW, "answer-renewed"),
}
_QUESTION_ANSWERS = {
    SoldAction.SOLD: (OwnerAction.SOLD, "answer-sold"),
    SoldAction.SELLING: (OwnerAction.KEEP, "answer-selling"),
    SoldAction.REMOVE: (OwnerAction.REMOVE, "answer-removed"),
}


async def _act(
    query: CallbackQuery, t: Translator, listings: Listings, ad_id: int, action: OwnerAction
) -> tuple[bool, str, bool] | None:
    """Do the owner's action; (applied, what to tell them, whether as an alert), or None when
    the ad is not theirs (forged data), which is answered here."""
    change = await listings.owner_acts(ad_id, query.from_user.id, action)
    if change.ad is None:
        log.warning("user %d acted on ad %d, not theirs", query.from_user.id, ad_id)
        await query.answer(t("button-outdated"), show_alert=True)
        return None
    if change.applied:
        return True, "", False
    if change.banned:  # refused, not late: a clear answer that stays until dismissed
        return False, t("answer-banned"), True
    return False, t("answer-late", status=t(f"status-{change.ad.status.value}")), False


async def _page(
    t: Translator,
    listings: Listings,
    captions: Captions,
    owner_id: int,
    page: int,
    confirm: int | None = None,
    promotions: Promotions | None = None,
) -> tuple[str, InlineKeyboardMarkup | None]:
    listed = await listings.owner_page(owner_id, page, PAGE_SIZE)
    if listed.total == 0:
        return t("my-ads-empty"), None
    parts = [t("my-ads-header", count=listed.total)]
    for item in listed.ads:
        ad = item.ad
        text = t(
            "my-ads-item",
            id=ad.id,
            status=t(f"status-{ad.status.value}"),
            price=captions.price(t.lang, ad.content.price),
            summary=summary(ad.content.description, 80),
            opens=item.opens,
        )
        if item.post is not None:
            text += "\n" + t("my-ads-link", link=captions.link(item.post))
        parts.append(text)
    markup = keyboards.my_ads(
        t,
        [i.ad for i in listed.ads],
        page=listed.page,
        pages=listed.pages,
        confirm=confirm,
        promote=promotions.kinds if promotions is not None else (),
    )
    return "\n\n".join(parts), markup


async def show(
    message: Message,
    t: Translator,
    listings: Listings,
    captions: Captions,
    promotions: Promotions | None = None,
) -> None:
    assert message.from_user is not None
    text, markup = await _page(
        t, listings, captions, message.from_user.id, 0, promotions=promotions
    )
    await message.answer(text, reply_markup=markup, disable_web_page_preview=True)


async def list_button(
    query: CallbackQuery,
    callback_data: MyAdsCb,
    t: Translator,
    bot: Bot,
    listings: Listings,
    captions: Captions,
    promotions: Promotions | None = None,
) -> None:
    owner_id = query.from_user.id
    confirm = None
    note = None
    alert = False
    if callback_data.action is MyAdsAction.REMOVE:
        confirm = callback_data.ad_id  # removing asks once more first
    elif callback_data.action in _LIST_ACTIONS:
        action, reply = _LIST_ACTIONS[callback_data.action]
        acted = await _act(query, t, listings, callback_data.ad_id, action)
        if acted is None:
            return
        applied, late, alert = acted
        note = t(reply) if applied else late
    await query.answer(note, show_alert=alert)
    if query.message is None:
        return
    text, markup = await _page(
        t, listings, captions, owner_id, callback_data.page, confirm, promotions
    )
    try:
        await bot.edit_message_text(
            text,
            chat_id=owner_id,
            message_id=query.message.message_id,
            reply_markup=markup,
            disable_web_page_preview=True,
        )
    except TelegramBadRequest as exc:
        if "message is not modified" not in exc.message:
            raise


async def question_answered(
    query: CallbackQuery, callback_data: SoldCb, t: Translator, bot: Bot, listings: Listings
) -> None:
    action, reply = _QUESTION_ANSWERS[callback_data.action]
    acted = await _act(query, t, listings, callback_data.ad_id, action)
    if acted is None:
        return
    applied, late, _ = acted
    if not applied:
        await query.answer(late, show_alert=True)
        return
    await query.answer()
    if query.message is not None:
        # The answer replaces the question's buttons, so it cannot be given twice.
        try:
            await bot.edit_message_caption(
                chat_id=query.from_user.id,
                message_id=query.message.message_id,
                caption=t(reply),
                reply_markup=None,
            )
        except TelegramBadRequest as exc:  # a question too old to edit: say it anew
            log.info("could not edit the question of ad %d: %s", callback_data.ad_id, exc.message)
            await bot.send_message(query.from_user.id, t(reply))


def setup() -> Router:
    router = Router(name="my_ads")
    router.message.filter(PrivateChat())
    router.message.register(show, Command("my"))
    router.message.register(show, Label("menu-my-ads"))
    router.callback_query.register(list_button, MyAdsCb.filter())
    router.callback_query.register(question_answered, SoldCb.filter())
    return router

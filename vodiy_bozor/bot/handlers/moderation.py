"""Admins approve or reject ads from their cards.

The router takes updates from admins only (`IsAdmin`, checked on the server for every
callback: anyone can send any callback data); a moderation button pressed by anyone else
reaches the fallback router, which says so and changes nothing. The decision itself is a
conditional update in the services, so two admins pressing at once get one outcome; the late
one is told who decided and when.
"""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.awaited import Awaited, SideQuestion
from vodiy_bozor.bot.callbacks import TYPED_REASON, ModAction, ModCb
from vodiy_bozor.bot.filters import AnswerAs, IsAdmin, Match, PrivateChat
from vodiy_bozor.models import AdStatus, Category
from vodiy_bozor.services.listings import CardKeyboard, Change, Listings, RejectReason
from vodiy_bozor.services.moderation import Moderation
from vodiy_bozor.texts import Translator, local_time

log = logging.getLogger(__name__)

REASON_LIMIT = 500
REASON_WAIT = 600.0  # seconds an admin has to type a reason once asked
# The reason an admin is typing lives in a conversation row of its own (aiogram's "destiny"),
# so it can never touch the admin's own ad draft in the main one.
REASON_DESTINY = "reject_reason"
REASON = "reason"
# The shared construct of a typed answer (bot/awaited.py): every command and every menu button
# ends the reason step and does what it says; /cancel cancels the reason, not the admin's draft.
REASON_QUESTION = SideQuestion(
    REASON_DESTINY,
    kinds=frozenset({REASON}),
    wait=REASON_WAIT,
    keys=frozenset({"ad"}),
    takes_cancel=True,
    tells_expired=True,
)


def reason_of(state: FSMContext) -> FSMContext:
    """The admin's reason-typing conversation, beside their main one."""
    return REASON_QUESTION.context(state)


def _typed_reason(awaited: Awaited) -> bool | dict[str, Any]:
    """The admin was asked for a reason and this text is it (or /cancel, or text typed after
    `REASON_WAIT` seconds): so a reason can only ever be text typed for it."""
    ad_id = awaited.data.get("ad")
    if not isinstance(ad_id, int):
        return False
    return {"reason_ad": ad_id, "reason_outcome": awaited.outcome.value}


def decided_already(t: Translator, change: Change) -> str:
    """What a late presser is told: who decided on the ad and when."""
    verdict = change.verdict
    if change.ad is None or verdict is None:
        return t("mod-late-gone")
    if change.ad.decided_by is None:
        # Out of moderation without an admin's decision: its seller withdrew it while pending.
        return t("mod-late-withdrawn")
    key = "mod-late-rejected" if verdict.status is AdStatus.REJECTED else "mod-late-approved"
    return t(key, admin=verdict.admin_name, time=local_time(verdict.at) if verdict.at else "")


async def _tell_change(query: CallbackQuery, t: Translator, change: Change, done: str) -> None:
    """The admin's answer to a decision button: `done` when it applied, else who was first."""
    if change.applied:
        await query.answer(done)
    else:
        await query.answer(decided_already(t, change), show_alert=True)


_Code = TypeVar("_Code", RejectReason, Category)


async def _code_of(
    query: CallbackQuery, t: Translator, kind: type[_Code], value: str
) -> _Code | None:
    """The code a button carries; None (the button called outdated) for one that is no code of
    ours (an old keyboard, or forged data)."""
    try:
        return kind(value)
    except ValueError:
        await query.answer(t("button-outdated"), show_alert=True)
        return None


async def approve(
    query: CallbackQuery, callback_data: ModCb, t: Translator, listings: Listings
) -> None:
    change = await listings.approve(callback_data.ad_id, query.from_user.id)
    await _tell_change(query, t, change, t("mod-approved"))


async def show_reasons(
    query: CallbackQuery, callback_data: ModCb, t: Translator, bot: Bot, moderation: Moderation
) -> None:
    """❌ shows the reasons, ⬅️ the two buttons again, on this admin's card only."""
    ad_id = callback_data.ad_id
    change = await moderation.undecided(ad_id)
    if not change.applied:
        await query.answer(decided_already(t, change), show_alert=True)
        return
    if callback_data.action is ModAction.REJECT:
        markup = keyboards.reject_reasons(t, ad_id)
        keyboard = CardKeyboard.REASONS
    else:
        markup = keyboards.moderation(t, ad_id)
        keyboard = CardKeyboard.DECIDE
    await query.answer()
    if query.message is not None:
        # Noted before the edit, so a card refresh rendered from now on keeps this keyboard.
        await moderation.card_keyboard(
            ad_id, query.from_user.id, query.message.message_id, keyboard
        )
        await bot.edit_message_reply_markup(
            chat_id=query.from_user.id, message_id=query.message.message_id, reply_markup=markup
        )


async def reason_chosen(
    query: CallbackQuery,
    callback_data: ModCb,
    t: Translator,
    bot: Bot,
    state: FSMContext,
    listings: Listings,
    moderation: Moderation,
) -> None:
    ad_id, admin_id = callback_data.ad_id, query.from_user.id
    if callback_data.reason == TYPED_REASON:
        change = await moderation.undecided(ad_id)
        if not change.applied:
            await query.answer(decided_already(t, change), show_alert=True)
            return
        await reason_of(state).set_data({"ad": ad_id, **REASON_QUESTION.asked(REASON)})
        await query.answer()
        await bot.send_message(admin_id, t("mod-reason-prompt", id=ad_id))
        return
    code = await _code_of(query, t, RejectReason, callback_data.reason)
    if code is None:
        log.warning("unknown reject reason %r from admin %d", callback_data.reason, admin_id)
        return
    change = await listings.reject(ad_id, admin_id, code=code)
    await _tell_change(query, t, change, t("mod-rejected"))


async def change_category(
    query: CallbackQuery, callback_data: ModCb, t: Translator, moderation: Moderation
) -> None:
    """📂: the category the assistant suggested, chosen by an admin before deciding."""
    category = await _code_of(query, t, Category, callback_data.reason)
    if category is None:
        return
    change = await moderation.change_category(callback_data.ad_id, query.from_user.id, category)
    done = t("mod-category-changed", category=t(f"category-{category.value}"))
    await _tell_change(query, t, change, done)


async def ask_ban_reason(
    query: CallbackQuery, callback_data: ModCb, t: Translator, bot: Bot, moderation: Moderation
) -> None:
    """🚫 (under ❌): the reasons a seller can be banned for, on this admin's card."""
    await query.answer()
    if query.message is not None:
        message_id = query.message.message_id
        await moderation.card_keyboard(
            callback_data.ad_id, query.from_user.id, message_id, CardKeyboard.BAN
        )
        await bot.edit_message_reply_markup(
            chat_id=query.from_user.id,
            message_id=query.message.message_id,
            reply_markup=keyboards.ban_reasons(t, callback_data.ad_id),
        )


async def ban_seller(
    query: CallbackQuery, callback_data: ModCb, t: Translator, moderation: Moderation
) -> None:
    code = await _code_of(query, t, RejectReason, callback_data.reason)
    if code is None:
        return
    banned = await moderation.ban_owner(callback_data.ad_id, query.from_user.id, code)
    if not banned.found:
        await query.answer(t("mod-late-gone"), show_alert=True)
    elif banned.rejected is None:
        await query.answer(t("mod-ban-already"), show_alert=True)
    else:
        await query.answer(t("mod-banned", count=banned.rejected), show_alert=True)


async def unban(
    message: Message, command: CommandObject, t: Translator, moderation: Moderation
) -> None:
    """/unban <user id>: the seller may submit again."""
    assert message.from_user is not None
    args = (command.args or "").strip()
    # ASCII digits that fit a bigint: `²` is a digit to isdigit() but not to int(), and a
    # longer number names no user.
    if not (args.isascii() and args.isdecimal() and len(args) <= 18):
        await message.answer(t("unban-usage"))
        return
    user_id = int(args)
    lifted = await moderation.unban(user_id, message.from_user.id)
    await message.answer(t("unban-done" if lifted else "unban-none", id=str(user_id)))


async def reason_typed(
    message: Message,
    t: Translator,
    state: FSMContext,
    listings: Listings,
    reason_ad: int,
    reason_outcome: str,
) -> None:
    assert message.from_user is not None
    assert message.text is not None
    if reason_outcome == "cancelled":
        await message.answer(t("mod-reason-cancelled", id=reason_ad))
        return
    if reason_outcome == "expired":
        await message.answer(t("mod-reason-expired", id=reason_ad))
        return
    reason = message.text.strip()
    if len(reason) > REASON_LIMIT:
        await message.answer(t("mod-reason-too-long", limit=REASON_LIMIT))
        return
    change = await listings.reject(reason_ad, message.from_user.id, reason=reason)
    # Cleared only once the reject is stored: if storing it fails, the reason step stays and
    # the admin's next message is still taken as the reason.
    await reason_of(state).clear()
    await message.answer(t("mod-rejected") if change.applied else decided_already(t, change))


def setup() -> Router:
    router = Router(name="moderation")
    router.message.filter(IsAdmin(), PrivateChat())  # an admin's group chats see nothing
    router.callback_query.filter(IsAdmin())
    router.callback_query.register(approve, ModCb.filter(F.action == ModAction.APPROVE))
    router.callback_query.register(
        show_reasons, ModCb.filter(F.action.in_({ModAction.REJECT, ModAction.BACK}))
    )
    router.callback_query.register(reason_chosen, ModCb.filter(F.action == ModAction.REASON))
    router.callback_query.register(change_category, ModCb.filter(F.action == ModAction.CATEGORY))
    router.callback_query.register(ask_ban_reason, ModCb.filter(F.action == ModAction.BAN))
    router.callback_query.register(ban_seller, ModCb.filter(F.action == ModAction.BAN_REASON))
    router.message.register(unban, Command("unban"))
    router.message.register(reason_typed, Match(F.text), AnswerAs(REASON_QUESTION, _typed_reason))
    return router

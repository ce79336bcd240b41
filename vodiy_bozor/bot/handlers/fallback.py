"""The last router: whatever nobody else understood gets a friendly answer, never silence."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.callbacks import ModCb, PublishAgainCb
from vodiy_bozor.bot.filters import PrivateChat
from vodiy_bozor.telegram.intake import AlbumPart
from vodiy_bozor.texts import Translator

log = logging.getLogger(__name__)


async def not_for_you(message: Message, t: Translator) -> None:
    """An admin command from someone else: the ordinary help."""
    await message.answer(t("help"), reply_markup=keyboards.main_menu(t))


async def not_understood(message: Message, t: Translator, album: AlbumPart | None = None) -> None:
    if album is not None and not album.last:
        return  # an album is answered once, at its last photo
    await message.answer(t("not-understood"), reply_markup=keyboards.main_menu(t))


async def not_an_admin(query: CallbackQuery, t: Translator) -> None:
    """A moderation button pressed by someone not in ADMIN_IDS (the admins' router did not
    take it): forged or forwarded data, changes nothing."""
    log.warning(
        "moderation button pressed by non-admin %d (data %r): ignored",
        query.from_user.id,
        query.data,
    )
    await query.answer(t("mod-not-admin"), show_alert=True)


async def outdated_button(query: CallbackQuery, t: Translator) -> None:
    # Old buttons (an earlier callback version, a finished dialog) or forged data.
    await query.answer(t("button-outdated"), show_alert=True)


def setup() -> Router:
    router = Router(name="fallback")
    router.message.filter(PrivateChat())
    router.message.register(not_for_you, Command("pending", "stats", "unposted", "unban"))
    router.message.register(not_understood)
    router.callback_query.register(not_an_admin, ModCb.filter())
    router.callback_query.register(not_an_admin, PublishAgainCb.filter())
    router.callback_query.register(outdated_button)
    return router

"""The last routers: whatever nobody else understood gets a friendly answer, never silence."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.filters import PrivateChat
from vodiy_bozor.texts import Translator


def build_router() -> Router:
    router = Router(name="fallback")

    @router.message(PrivateChat())
    async def not_understood(message: Message, t: Translator) -> None:
        await message.answer(t("not-understood"), reply_markup=keyboards.main_menu(t))

    @router.callback_query()
    async def outdated_button(query: CallbackQuery, t: Translator) -> None:
        # Old buttons (an earlier callback version, a finished dialog) or forged data.
        await query.answer(t("button-outdated"), show_alert=True)

    return router

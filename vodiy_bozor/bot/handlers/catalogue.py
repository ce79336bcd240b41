"""🛍 in the main menu: the catalogue Mini App's button, when WEBAPP_URL is set.

The menu's 🛍 is a plain text button, answered with an inline `web_app` button: Telegram gives a
Mini App opened from an inline button the signed user (init data), and none to one opened
from a reply keyboard button (https://core.telegram.org/bots/webapps#keyboard-button-mini-apps).
"""

from __future__ import annotations

from aiogram import Router
from aiogram.types import Message

from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.filters import Label, PrivateChat
from vodiy_bozor.texts import Translator


async def open_catalogue(message: Message, t: Translator) -> None:
    url = keyboards.catalogue_url()
    if url is None:  # an old keyboard after the catalogue was switched off
        await message.answer(t("webapp-off"), reply_markup=keyboards.main_menu(t))
        return
    await message.answer(t("webapp-open"), reply_markup=keyboards.catalogue(t, url))


def setup() -> Router:
    router = Router(name="catalogue")
    router.message.filter(PrivateChat())
    router.message.register(open_catalogue, Label("webapp-menu"))
    return router

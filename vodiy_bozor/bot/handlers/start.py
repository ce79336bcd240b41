"""/start, /help, /lang and the main menu's help and language buttons."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from vodiy_bozor.app import App
from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.callbacks import LangCb
from vodiy_bozor.bot.filters import PrivateChat, TextIs
from vodiy_bozor.db import users as db_users
from vodiy_bozor.texts import Texts, Translator


def build_router(texts: Texts) -> Router:
    router = Router(name="start")
    router.message.filter(PrivateChat())

    @router.message(CommandStart())
    async def start(message: Message, t: Translator, state: FSMContext) -> None:
        assert message.from_user is not None
        text = t("start-greeting", name=message.from_user.first_name)
        if await state.get_state() is not None:
            text += "\n\n" + t("start-draft-waiting")
        await message.answer(text, reply_markup=keyboards.main_menu(t))

    @router.message(Command("help"))
    @router.message(TextIs(texts.variants("menu-help")))
    async def help_(message: Message, t: Translator) -> None:
        await message.answer(t("help"), reply_markup=keyboards.main_menu(t))

    @router.message(Command("lang"))
    @router.message(TextIs(texts.variants("menu-lang")))
    async def choose_language(message: Message, t: Translator) -> None:
        await message.answer(t("lang-choose"), reply_markup=keyboards.languages())

    @router.callback_query(LangCb.filter())
    async def language_chosen(query: CallbackQuery, callback_data: LangCb, app: App) -> None:
        lang = callback_data.lang
        await db_users.set_lang(app.pool, query.from_user.id, lang)
        app.registry.chose(query.from_user.id, lang)
        t = app.texts.bind(lang)
        await query.answer()
        if query.message is not None:
            await query.message.answer(t("lang-changed"), reply_markup=keyboards.main_menu(t))

    return router

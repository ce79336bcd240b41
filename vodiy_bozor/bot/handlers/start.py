"""/start, /help, /lang and the main menu's help and language buttons."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.callbacks import LangCb
from vodiy_bozor.bot.filters import Label, PrivateChat
from vodiy_bozor.bot.user_registry import UserRegistry
from vodiy_bozor.texts import Texts, Translator


async def start(message: Message, t: Translator, state: FSMContext) -> None:
    assert message.from_user is not None
    text = t("start-greeting", name=message.from_user.first_name)
    if await state.get_state() is not None:
        text += "\n\n" + t("start-draft-waiting")
    await message.answer(text, reply_markup=keyboards.main_menu(t))


async def show_help(message: Message, t: Translator) -> None:
    await message.answer(t("help"), reply_markup=keyboards.main_menu(t))


async def choose_language(message: Message, t: Translator) -> None:
    await message.answer(t("lang-choose"), reply_markup=keyboards.languages())


async def language_chosen(
    query: CallbackQuery, callback_data: LangCb, registry: UserRegistry, texts: Texts
) -> None:
    lang = callback_data.lang
    await registry.choose_language(query.from_user.id, lang)
    t = texts.bind(lang)
    await query.answer()
    if query.message is not None:
        await query.message.answer(t("lang-changed"), reply_markup=keyboards.main_menu(t))


def setup() -> Router:
    router = Router(name="start")
    router.message.filter(PrivateChat())
    router.message.register(start, CommandStart())
    router.message.register(show_help, Command("help"))
    router.message.register(show_help, Label("menu-help"))
    router.message.register(choose_language, Command("lang"))
    router.message.register(choose_language, Label("menu-lang"))
    router.callback_query.register(language_chosen, LangCb.filter())
    return router

"""The foundation end to end: every person who writes is stored; /start, menu, language."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import asyncpg
from aiogram import Bot
from aiogram.client.telegram import TelegramAPIServer
from aiogram.methods.base import Response
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from tests.conftest import TOKEN, RunningBot
from tests.fake_telegram import FakeTelegram
from vodiy_bozor.telegram.session import JsonSession


async def test_calls_go_out_as_json_bodies(running_bot: RunningBot, fake: FakeTelegram) -> None:
    # bot/session.py: JSON, not aiogram's URL-encoded form; the keyboard travels as an object.
    vali = fake.user(105, "Вали", language_code="ru")
    await vali.send("/start")
    await vali.wait_message(contains="Здравствуйте")
    sent = [c for c in fake.calls if c.method == "sendMessage" and c.params["chat_id"] == 105]
    assert sent
    assert sent[0].content_type == "application/json"
    assert sent[0].params["parse_mode"] == "HTML"  # aiogram's default still applied
    assert isinstance(sent[0].params["reply_markup"], dict)


async def test_keyboards_in_telegrams_answers_are_not_parsed(fake: FakeTelegram) -> None:
    """telegram/session.py: the bot never reads a keyboard back, so the messages Telegram
    returns, and those under pressed buttons, come without theirs; the rest is intact."""
    bot = Bot(TOKEN, session=JsonSession(api=TelegramAPIServer.from_base(fake.url)))
    alice = fake.user(106, "Alice")
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=f"{i}", callback_data=f"b:{i}")] for i in range(14)
        ]
    )
    try:
        sent = await bot.send_message(alice.id, "Танланг", reply_markup=keyboard)
        answered = fake.calls[-1].response["result"]
        assert len(answered["reply_markup"]["inline_keyboard"]) == 14  # Telegram sent it back
        assert sent.reply_markup is None
        assert (sent.message_id, sent.chat.id, sent.text) == (
            answered["message_id"],
            106,
            "Танланг",
        )
        await alice.press_callback("b:3", message_id=sent.message_id)
        [update] = await bot.get_updates(timeout=0)
        assert update.callback_query is not None
        assert update.callback_query.data == "b:3"
        pressed = update.callback_query.message
        assert pressed is not None
        assert (pressed.message_id, pressed.chat.id) == (sent.message_id, 106)
        assert getattr(pressed, "reply_markup", None) is None
    finally:
        await bot.session.close()


async def test_the_model_of_an_answer_is_built_once_per_process(fake: FakeTelegram) -> None:
    """pydantic holds the generic `Response[...]` models aiogram parses answers with only
    weakly; without the session's hold, a garbage collection frees them and the next call
    rebuilds one (milliseconds of CPU)."""
    bot = Bot(TOKEN, session=JsonSession(api=TelegramAPIServer.from_base(fake.url)))
    alice = fake.user(107, "Alice")
    try:
        await bot.send_message(alice.id, "бир")
        await bot.get_updates(timeout=0)
        models: list[weakref.ref[type[Any]]] = [
            weakref.ref(Response[Message]),
            weakref.ref(Response[list[Update]]),
        ]
        gc.collect()
        assert [model() is not None for model in models] == [True, True]
        sent = await bot.send_message(alice.id, "икки")
        assert sent.text == "икки"
        assert Response[Message] is models[0]()
    finally:
        await bot.session.close()


async def test_lang_command_switches_and_remembers(
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    ali = fake.user(101, "Ali", language_code="uz")
    await ali.send("/lang")
    await ali.wait_message(contains="Тилни танланг")
    await ali.press("Oʻzbekcha (lotin)")
    changed = await ali.wait_message(contains="lotin")
    assert changed.reply_keyboard is not None
    assert await db.fetchval("SELECT lang FROM users WHERE id = 101") == "uz_latn"
    await ali.send("/start")
    await ali.wait_message(contains="Assalomu alaykum")
    # It survives a restart: the choice is in the database, not in memory.
    await running_bot.restart()
    await fake.wait_call("getUpdates", timeout=10)
    await ali.send("/help")
    await ali.wait_message(contains="qanday ishlaydi")


async def test_command_list_is_set_at_start(running_bot: RunningBot, fake: FakeTelegram) -> None:
    calls = [c for c in fake.calls if c.method == "setMyCommands"]
    assert calls, "setMyCommands was not called"
    commands = {c["command"] for c in calls[0].params["commands"]}
    assert commands == {"new", "search", "subs", "my", "help", "lang", "cancel"}
    languages = {c.params.get("language_code") for c in calls}
    assert {None, "ru"} <= languages

"""The foundation end to end: every person who writes is stored; /start, menu, language."""

from __future__ import annotations

from typing import Any

import asyncpg

from tests.conftest import RunningBot
from tests.fake_telegram import FakeTelegram


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

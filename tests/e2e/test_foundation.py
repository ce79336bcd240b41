"""The foundation end to end: every person who writes is stored; /start, menu, language."""

from __future__ import annotations

from typing import Any

import asyncpg

from tests.conftest import RunningBot
from tests.fake_telegram import FakeTelegram


async def test_three_users_give_three_rows_and_a_repeat_gives_none(
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    people = [
        fake.user(101, "Ali", username="ali_v", language_code="uz"),
        fake.user(102, "Вали", language_code="ru"),
        fake.user(103, "Gulnora", last_name="Karimova", language_code="en"),
    ]
    for person in people:
        await person.send("/start")
        await person.wait_message(contains=person.user["first_name"])
    rows = await db.fetch("SELECT * FROM users ORDER BY id")
    assert [r["id"] for r in rows] == [101, 102, 103]
    assert rows[0]["username"] == "ali_v"
    assert rows[2]["last_name"] == "Karimova"
    assert [r["language_code"] for r in rows] == ["uz", "ru", "en"]
    assert all(r["first_seen"] is not None and not r["blocked"] for r in rows)

    await people[0].send("/start")
    await people[0].wait_message(contains="Ali")
    assert await db.fetchval("SELECT count(*) FROM users") == 3


async def test_unchanged_user_costs_no_database_write(
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    app = running_bot.app
    assert app is not None
    ali = fake.user(101, "Ali")
    await ali.send("/start")
    await ali.wait_message(contains="Ali")
    writes = app.registry.writes
    seen = await db.fetchval("SELECT last_seen FROM users WHERE id = 101")
    for _ in range(5):
        await ali.send("/help")
        await ali.wait_message(contains="/new")
    assert app.registry.writes == writes
    assert await db.fetchval("SELECT last_seen FROM users WHERE id = 101") == seen


async def test_a_changed_name_is_written(
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    ali = fake.user(101, "Ali")
    await ali.send("/start")
    await ali.wait_message(contains="Ali")
    renamed = fake.user(101, "Alisher", username="alisher")
    await renamed.send("/start")
    await renamed.wait_message(contains="Alisher")
    row = await db.fetchrow("SELECT first_name, username FROM users WHERE id = 101")
    assert row is not None
    assert (row["first_name"], row["username"]) == ("Alisher", "alisher")


async def test_greeting_language_follows_telegram_and_menu_has_no_dead_button(
    running_bot: RunningBot, fake: FakeTelegram
) -> None:
    vali = fake.user(102, "Вали", language_code="ru")
    await vali.send("/start")
    greeting = await vali.wait_message(contains="Здравствуйте")
    keyboard = greeting.reply_keyboard
    assert keyboard is not None
    labels = [button["text"] for row in keyboard["keyboard"] for button in row]
    assert labels == ["📝 Подать объявление", "📦 Мои объявления", "❓ Помощь", "🌐 Язык"]
    # Every menu button answers (none is dead, none throws).
    for label in labels:
        await vali.tap_reply_button(label)
        reply = await vali.wait_message()
        assert reply.content.strip()


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


async def test_default_language_is_uzbek_cyrillic(
    running_bot: RunningBot, fake: FakeTelegram
) -> None:
    ali = fake.user(101, "Ali", language_code="uz")
    await ali.send("/start")
    await ali.wait_message(contains="Ассалому алайкум")
    nodir = fake.user(104, "Nodir", language_code=None)
    await nodir.send("/start")
    await nodir.wait_message(contains="Ассалому алайкум")


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


async def test_unknown_input_gets_an_answer(running_bot: RunningBot, fake: FakeTelegram) -> None:
    ali = fake.user(101, "Ali")
    await ali.send("salom, narxi qancha?")
    await ali.wait_message(contains="Тушунмадим")
    await ali.send_sticker()
    await ali.wait_message(contains="Тушунмадим")
    await ali.press_callback("zz9:forged")
    answer = await ali.wait_callback_answer()
    assert "эскирган" in answer["text"]


async def test_blocking_and_unblocking_is_recorded(
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    ali = fake.user(101, "Ali")
    await ali.send("/start")
    await ali.wait_message(contains="Ali")

    def member_update(old: str, new: str) -> dict[str, Any]:
        return {
            "chat": ali.chat,
            "from": ali.user,
            "date": 1_800_000_000,
            "old_chat_member": {"status": old, "user": fake.bot_user, "until_date": 0},
            "new_chat_member": {"status": new, "user": fake.bot_user, "until_date": 0},
        }

    fake.queue_update("my_chat_member", member_update("member", "kicked"))
    await fake.wait_idle(timeout=5)
    assert await db.fetchval("SELECT blocked FROM users WHERE id = 101") is True
    fake.queue_update("my_chat_member", member_update("kicked", "member"))
    await fake.wait_idle(timeout=5)
    assert await db.fetchval("SELECT blocked FROM users WHERE id = 101") is False


async def test_command_list_is_set_at_start(running_bot: RunningBot, fake: FakeTelegram) -> None:
    calls = [c for c in fake.calls if c.method == "setMyCommands"]
    assert calls, "setMyCommands was not called"
    commands = {c["command"] for c in calls[0].params["commands"]}
    assert commands == {"new", "my", "help", "lang", "cancel"}
    languages = {c.params.get("language_code") for c in calls}
    assert {None, "ru"} <= languages

"""Who writes is stored; /start, the menu, languages, blocking: fed to the dispatcher directly
(see conftest.py)."""

from __future__ import annotations

from typing import Any

import asyncpg

from tests.fake_telegram import FakeTelegram
from tests.handlers.conftest import DispatcherBot


async def test_three_users_give_three_rows_and_a_repeat_gives_none(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
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
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    app = bot.app
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
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
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
    bot: DispatcherBot, fake: FakeTelegram
) -> None:
    vali = fake.user(102, "Вали", language_code="ru")
    await vali.send("/start")
    greeting = await vali.wait_message(contains="Здравствуйте")
    keyboard = greeting.reply_keyboard
    assert keyboard is not None
    labels = [button["text"] for row in keyboard["keyboard"] for button in row]
    assert labels == [
        "📝 Подать объявление",
        "🔎 Поиск",
        "📦 Мои объявления",
        "🔔 Мои подписки",
        "❓ Помощь",
        "🌐 Язык",
    ]
    # Every menu button answers (none is dead, none throws).
    for label in labels:
        await vali.tap_reply_button(label)
        reply = await vali.wait_message()
        assert reply.content.strip()


async def test_default_language_is_uzbek_cyrillic(bot: DispatcherBot, fake: FakeTelegram) -> None:
    ali = fake.user(101, "Ali", language_code="uz")
    await ali.send("/start")
    await ali.wait_message(contains="Ассалому алайкум")
    nodir = fake.user(104, "Nodir", language_code=None)
    await nodir.send("/start")
    await nodir.wait_message(contains="Ассалому алайкум")


async def test_unknown_input_gets_an_answer(bot: DispatcherBot, fake: FakeTelegram) -> None:
    ali = fake.user(101, "Ali")
    await ali.send("salom, narxi qancha?")
    await ali.wait_message(contains="Тушунмадим")
    await ali.send_sticker()
    await ali.wait_message(contains="Тушунмадим")
    await ali.press_callback("zz9:forged")
    answer = await ali.wait_callback_answer()
    assert "эскирган" in answer["text"]


async def test_blocking_and_unblocking_is_recorded(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
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
    await bot.settle()
    assert await db.fetchval("SELECT blocked FROM users WHERE id = 101") is True
    fake.queue_update("my_chat_member", member_update("kicked", "member"))
    await bot.settle()
    assert await db.fetchval("SELECT blocked FROM users WHERE id = 101") is False


async def test_only_an_update_that_reaches_the_user_clears_blocked(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    ali = fake.user(102, "Ali")
    await ali.send("/start")
    await ali.wait_message(contains="Ali")
    ali.block_bot()  # Telegram sends my_chat_member: member -> kicked
    await bot.settle()
    assert await db.fetchval("SELECT blocked FROM users WHERE id = 102") is True

    # Typing `@bot …` in another chat proves nothing: the bot still cannot message them.
    await ali.inline_query("телефон")
    await bot.settle()
    assert await db.fetchval("SELECT blocked FROM users WHERE id = 102") is True
    # Nor does a message in a group the bot is in.
    group = {"id": -100777, "type": "supergroup", "title": "Бозор"}
    fake.queue_update(
        "message",
        {"message_id": 9, "date": 1_800_000_000, "chat": group, "from": ali.user, "text": "салом"},
    )
    await bot.settle()
    assert await db.fetchval("SELECT blocked FROM users WHERE id = 102") is True

    # A message in the private chat does (the user's registry entry is fresh, so this also
    # shows the cache does not swallow it).
    ali.unblock_bot()  # Telegram: kicked -> member, recorded by the membership router
    await bot.settle()
    assert await db.fetchval("SELECT blocked FROM users WHERE id = 102") is False
    await db.execute("UPDATE users SET blocked = true, blocked_at = now() WHERE id = 102")
    await ali.inline_query("телефон")
    await bot.settle()
    assert await db.fetchval("SELECT blocked FROM users WHERE id = 102") is True
    await ali.send("/help")
    await bot.settle()
    assert await db.fetchval("SELECT blocked FROM users WHERE id = 102") is False

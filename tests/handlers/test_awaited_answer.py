"""One construct for "waiting for a typed answer" (issue 17, item 9): during the moderator's
reason step and during the search's "type the words / the price" prompt, every button of the
main menu, in every language, ends the wait and does what it says; its label is never taken as
the answer. The labels come from the keyboard builder, so a new button is covered by itself."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.conftest import BOT_USERNAME, bot_env
from tests.fake_telegram import FakeTelegram
from tests.handlers.conftest import DispatcherBot, harness
from tests.handlers.test_reason_step import ask_for_a_reason, status_of
from tests.support.moderation_setup import admins, submit_ad
from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.awaited import escape_labels
from vodiy_bozor.bot.handlers.search import SEARCH_DESTINY
from vodiy_bozor.config import Settings
from vodiy_bozor.models import Lang
from vodiy_bozor.texts import Texts, load_texts

__all__ = ["admins"]  # a fixture


@pytest.fixture
async def bot(fake: FakeTelegram, db_url: str, tmp_path: Path) -> AsyncIterator[DispatcherBot]:
    """The handlers' harness with the answers unpaced (PACE_CALLS=off): these tests send about
    a hundred messages into one chat, and are about where they go, not about the pace (which
    would make them take minutes at about one answer a second)."""
    env = bot_env(fake, db_url, tmp_path, BOT_NAME=BOT_USERNAME, PACE_CALLS="off")
    async with harness(fake, Settings.from_env(env), pace=None) as running:
        yield running


def menu_labels(texts: Texts) -> list[tuple[Lang, str]]:
    """Every main-menu button's label in every language, from the keyboard builder."""
    return [
        (lang, button.text)
        for lang in Lang
        for row in keyboards.main_menu(texts.bind(lang)).keyboard
        for button in row
    ]


async def awaiting(db: asyncpg.Connection[Any], user_id: int, destiny: str) -> Any:
    return await db.fetchval(
        "SELECT data->>'awaiting' FROM fsm_states WHERE user_id = $1 AND destiny = $2",
        user_id,
        destiny,
    )


def test_every_main_menu_button_escapes() -> None:
    texts = load_texts()
    labels = menu_labels(texts)
    assert len(labels) == 3 * 6
    assert all(label in escape_labels(texts) for _, label in labels)


async def test_every_menu_button_ends_the_reason_step_and_is_no_reason(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any], admins: tuple[Any, Any]
) -> None:
    admin_a, _ = admins
    ad_id = await submit_ad(bot.app, fake, 795)
    for lang, label in menu_labels(bot.app.texts):
        await ask_for_a_reason(admin_a, fake, ad_id)
        before = len(admin_a.messages)
        await admin_a.send(label)
        await bot.settle()
        assert await status_of(db, ad_id) == "pending", (lang, label)  # the label is no reason
        replies = [m.content for m in admin_a.messages[before:]]
        assert replies, (lang, label)  # the button did something
        assert not any("Рад этилди" in r for r in replies), (lang, label, replies)
        # The step is over: text typed now is no reason either.
        await admin_a.send("Хира расм")
        await bot.settle()
        assert await status_of(db, ad_id) == "pending", (lang, label)
        assert await awaiting(db, admin_a.id, "reject_reason") is None, (lang, label)
        await admin_a.send("/cancel")  # out of whatever the button started (the ad dialog)
        await bot.settle()


async def test_every_menu_button_ends_the_search_prompt_and_is_no_query(
    bot: DispatcherBot, fake: FakeTelegram
) -> None:
    buyer = fake.user(796, "Buyer")
    search_labels = bot.app.texts.variants("menu-search")
    for lang, label in menu_labels(bot.app.texts):
        # The price prompt is the same question in the same side conversation: its labels in
        # one language are enough there.
        for prompt in ["/search"] + ["price"] * (lang is Lang.UZ_CYRL):
            if prompt == "/search":
                await buyer.send("/search")
                await buyer.wait_message("Нима қидиряпсиз")
            else:
                await buyer.send("/search телефон")
                results = await buyer.wait_message("телефон")
                await buyer.press("💰 Нарх", message=results)
                await buyer.wait_message("Нарх оралиғини")
            before = len(buyer.messages)
            await buyer.send(label)
            await bot.settle()
            replies = [m.content for m in buyer.messages[before:]]
            assert replies, (lang, label)
            assert not any(f"«{label}»" in r for r in replies), (lang, label, replies)
            assert not any("Нархни тушунмадим" in r for r in replies), (lang, label, replies)
            if label not in search_labels:  # 🔎 asks for the words again: that is what it says
                # The prompt is over: words typed now are no search.
                before = len(buyer.messages)
                await buyer.send("velosiped")
                await bot.settle()
                replies = [m.content for m in buyer.messages[before:]]
                assert not any("«velosiped»" in r for r in replies), (lang, label, replies)
            await buyer.send("/cancel")
            await bot.settle()


async def log_statements(bot: DispatcherBot) -> list[str]:
    """Every statement the app's pool sends from now on, through each connection it can hand
    out (the outbox worker may hold one for a moment: it is not the handlers')."""
    statements: list[str] = []
    held: list[Any] = []
    with contextlib.suppress(TimeoutError):
        while len(held) < bot.app.pool.get_max_size():
            held.append(await bot.app.pool.acquire(timeout=1))
    for conn in held:
        conn.add_query_logger(lambda logged: statements.append(logged.query))
    for conn in held:
        await bot.app.pool.release(conn)
    return statements


def drops(statements: list[str]) -> list[str]:
    """The escape's statement (db.fsm.drop_marked)."""
    return [s for s in statements if "DELETE FROM fsm_states" in s and "data ->> $6" in s]


async def test_a_menu_button_costs_no_drop_unless_a_question_is_open(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    buyer = fake.user(797, "Buyer")
    statements = await log_statements(bot)
    await buyer.send("/start")
    await buyer.wait_message("Ассалому")
    await buyer.send("📝 Эълон бериш")
    await buyer.wait_message("1/7")
    await buyer.send("/cancel")
    await bot.settle()
    assert statements  # the logger saw the handlers' statements
    assert drops(statements) == []  # two commands and a menu button, no question open
    await buyer.send("/search")
    await buyer.wait_message("Нима қидиряпсиз")
    assert await awaiting(db, buyer.id, SEARCH_DESTINY) is not None
    await buyer.send("📝 Эълон бериш")
    await buyer.wait_message("1/7")
    assert len(drops(statements)) == 1  # an open question: dropped by the button
    assert await awaiting(db, buyer.id, SEARCH_DESTINY) is None

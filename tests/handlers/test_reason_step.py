"""The moderator's reason step: it ends on any command or menu button (which then does what it
says), expires after ten minutes, never touches the admin's own ad draft, and the reason an
owner receives is only ever one the admin typed for it."""

from __future__ import annotations

from typing import Any

import asyncpg
from aiogram.fsm.storage.base import StorageKey

from tests.fake_telegram import FakeTelegram, Person
from tests.handlers.conftest import DispatcherBot
from tests.support.moderation_setup import admins, submit_ad
from tests.support.seller_steps import DESCRIPTION, draft, reach_price, state_of

__all__ = ["admins"]  # a fixture


async def ask_for_a_reason(admin: Person, fake: FakeTelegram, ad_id: int) -> None:
    def the_card() -> Any:
        return next((m for m in admin.messages if f"#{ad_id}" in m.content), None)

    await fake.wait_until(the_card, timeout=5, what=f"the card of #{ad_id}")
    card = the_card()
    if "✍️" not in str(card.buttons):  # the reasons are not shown on the card yet
        await admin.press("❌ Рад этиш", message=card)
        await fake.wait_until(lambda: "✍️" in str(card.buttons), timeout=5)
    await admin.press("✍️ Бошқа сабаб (ёзиш)", message=card)
    await admin.wait_message(contains="нима учун рад этилаётганини")


async def status_of(db: asyncpg.Connection[Any], ad_id: int) -> str:
    value: str = await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id)
    return value


async def test_a_menu_button_ends_the_reason_step_and_does_what_it_says(
    bot: DispatcherBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Any, Any],
) -> None:
    admin_a, admin_b = admins
    await admin_a.send("/start")  # the main menu's keyboard
    await admin_a.wait_message(contains="Aziz")
    ad_id = await submit_ad(bot.app, fake, 790)
    await ask_for_a_reason(admin_a, fake, ad_id)
    await admin_a.tap_reply_button("📝 Эълон бериш")
    await admin_a.wait_message(contains="1/7")  # the button did what it says
    await bot.settle()
    assert await status_of(db, ad_id) == "pending"  # its label is no reason
    owner = fake.user(790)
    assert not [m for m in owner.messages if "рад этилди" in m.content]

    card_b = await admin_b.wait_message(contains=f"#{ad_id}")
    await admin_b.press("✅ Тасдиқлаш", message=card_b)
    await fake.channel.wait_post(contains="Дазмол", timeout=5)
    # And the text A types next is an answer in A's own dialog, not a reason.
    await admin_a.send("salom")
    await admin_a.wait_message(contains="тугмалардан")
    assert await db.fetchval("SELECT reject_reason FROM ads WHERE id = $1", ad_id) is None


async def test_a_command_ends_the_reason_step_and_cancel_cancels_only_the_reason(
    bot: DispatcherBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Any, Any],
) -> None:
    admin_a, _ = admins
    ad_id = await submit_ad(bot.app, fake, 791)
    await reach_price(admin_a)  # the admin is writing an ad of their own
    await ask_for_a_reason(admin_a, fake, ad_id)
    await admin_a.send("/cancel")
    await admin_a.wait_message(contains="аввалгидек")
    await bot.settle()
    assert await state_of(db, admin_a.id) == "NewAd:price"  # the draft is untouched
    assert (await draft(db, admin_a.id))["description"] == DESCRIPTION

    await ask_for_a_reason(admin_a, fake, ad_id)
    await admin_a.send("/help")
    await admin_a.wait_message(contains="/new")
    await admin_a.send("500$")  # now a price again, not a reason
    await admin_a.wait_message(contains="5/7")
    assert await status_of(db, ad_id) == "pending"


async def test_a_reason_typed_while_writing_an_own_ad_keeps_the_draft(
    bot: DispatcherBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Any, Any],
) -> None:
    admin_a, _ = admins
    ad_id = await submit_ad(bot.app, fake, 792)
    await reach_price(admin_a)
    await ask_for_a_reason(admin_a, fake, ad_id)
    await admin_a.send("Бу эълон такрорий")
    await admin_a.wait_message(contains="Рад этилди")
    assert await db.fetchval("SELECT reject_reason FROM ads WHERE id = $1", ad_id) == (
        "Бу эълон такрорий"
    )
    assert await state_of(db, admin_a.id) == "NewAd:price"
    await admin_a.send("500$")
    await admin_a.wait_message(contains="5/7")


async def test_the_reason_step_expires_after_ten_minutes(
    bot: DispatcherBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Any, Any],
) -> None:
    admin_a, _ = admins
    ad_id = await submit_ad(bot.app, fake, 793)
    await ask_for_a_reason(admin_a, fake, ad_id)
    # Ten minutes and a second later (written through the bot's storage, which a polling bot
    # trusts to see every change of its rows):
    key = StorageKey(bot.app.bot.id, admin_a.id, admin_a.id, destiny="reject_reason")
    await bot.dp.storage.update_data(key, {"until": 0.0})
    await admin_a.send("Хира расм")
    await admin_a.wait_message(contains="10 дақиқадан")
    await bot.settle()
    assert await status_of(db, ad_id) == "pending"
    assert await db.fetchval("SELECT count(*) FROM fsm_states WHERE user_id = $1", admin_a.id) == 0

"""Moderation handlers, fed updates directly (see conftest.py): only admins moderate, canned
and typed reasons, /pending and /stats."""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
import pytest

from tests.fake_telegram import FakeTelegram
from tests.handlers.conftest import DispatcherBot
from tests.support.moderation_setup import admins, every_card_shows, submit_ad
from vodiy_bozor.services.listings import OwnerAction

__all__ = ["admins"]  # a fixture


async def test_a_non_admin_cannot_moderate(
    bot: DispatcherBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    ad_id = await submit_ad(bot.app, fake, 740, photos=1)
    intruder = fake.user(741, "Mallory")
    with caplog.at_level(logging.WARNING):
        await intruder.press_callback(f"mod1:ok:{ad_id}:")
        answer = await intruder.wait_callback_answer()
        await intruder.press_callback(f"mod1:why:{ad_id}:duplicate")
        await intruder.wait_callback_answer()
    assert "фақат админлар" in answer["text"]
    await fake.wait_idle(timeout=3)
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "pending"
    assert fake.channel.messages == []
    assert any("non-admin 741" in r.getMessage() for r in caplog.records)


async def test_reject_with_a_canned_reason(
    bot: DispatcherBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Any, Any],
) -> None:
    admin_a, admin_b = admins
    ad_id = await submit_ad(bot.app, fake, 760)
    card = await admin_a.wait_message(contains=f"#{ad_id}")
    await admin_a.press("❌ Рад этиш")
    await fake.wait_until(lambda: "Такрорий эълон" in str(card.buttons), timeout=5)
    await admin_a.press("Такрорий эълон")
    owner = fake.user(760)
    notice = await owner.wait_message(contains="рад этилди", timeout=5)
    assert "Такрорий эълон" in notice.content
    await every_card_shows(admins, ad_id, "Aziz рад этди", "Такрорий эълон")
    row = await db.fetchrow("SELECT status, reject_code FROM ads WHERE id = $1", ad_id)
    assert row is not None
    assert (row["status"], row["reject_code"]) == ("rejected", "duplicate")
    # Approve after reject: one outcome only.
    await admin_b.press_callback(f"mod1:ok:{ad_id}:")
    answer = await admin_b.wait_callback_answer()
    assert "рад этган" in answer["text"]
    await fake.wait_idle(timeout=3)
    assert fake.channel.messages == []


async def test_reject_with_a_typed_reason_in_the_owners_language(
    bot: DispatcherBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Any, Any],
) -> None:
    admin_a, _ = admins
    ad_id = await submit_ad(bot.app, fake, 770)
    await db.execute("UPDATE users SET lang = 'ru' WHERE id = 770")
    await admin_a.wait_message(contains=f"#{ad_id}")
    await admin_a.press("❌ Рад этиш")
    await fake.wait_until(lambda: "✍️" in str(admin_a.messages[-1].buttons), timeout=5)
    await admin_a.press("✍️ Бошқа сабаб (ёзиш)")
    await admin_a.wait_message(contains="нима учун рад этилаётганини")
    await admin_a.send("Расмда <бошқа> маҳсулот & нарх йўқ")
    await admin_a.wait_message(contains="Рад этилди")
    owner = fake.user(770)
    notice = await owner.wait_message(contains="отклонено", timeout=5)
    assert "Расмда <бошқа> маҳсулот & нарх йўқ" in notice.content
    assert await db.fetchval("SELECT reject_reason FROM ads WHERE id = $1", ad_id) == (
        "Расмда <бошқа> маҳсулот & нарх йўқ"
    )


async def test_pending_and_stats_for_admins_only(
    bot: DispatcherBot,
    fake: FakeTelegram,
    admins: tuple[Any, Any],
) -> None:
    admin_a, _ = admins
    first = await submit_ad(bot.app, fake, 780)
    second = await submit_ad(bot.app, fake, 781)
    await admin_a.wait_message(contains=f"#{second}")
    await admin_a.send("/pending")
    await admin_a.wait_message(contains="2 та")
    again_first = await admin_a.wait_message(contains=f"#{first}", timeout=5)
    again_second = await admin_a.wait_message(contains=f"#{second}", timeout=5)
    assert again_first.message_id < again_second.message_id  # oldest first
    assert again_first.buttons == [["✅ Тасдиқлаш", "❌ Рад этиш"]]

    await admin_a.send("/stats")
    stats = await admin_a.wait_message(contains="Статистика")
    assert "кутилмоқда 2" in stats.content

    stranger = fake.user(782, "Olim")
    await stranger.send("/stats")
    reply = await stranger.wait_message()
    assert "Статистика" not in reply.content
    assert "/new" in reply.content  # the ordinary help


async def test_a_late_press_on_a_withdrawn_ad_says_it_was_withdrawn(
    bot: DispatcherBot, fake: FakeTelegram, admins: tuple[Any, Any]
) -> None:
    admin_a, _ = admins
    ad_id = await submit_ad(bot.app, fake, 790)
    await admin_a.wait_message(contains=f"#{ad_id}")
    assert (await bot.app.listings.owner_acts(ad_id, 790, OwnerAction.REMOVE)).applied
    for data in (f"mod1:ok:{ad_id}:", f"mod1:no:{ad_id}:"):
        await admin_a.press_callback(data)
        answer = await admin_a.wait_callback_answer()
        assert "қайтариб олган" in answer["text"], data
        assert "?" not in answer["text"]


async def test_a_typed_reason_survives_a_reject_that_failed_to_store(
    bot: DispatcherBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Any, Any],
) -> None:
    admin_a, _ = admins
    ad_id = await submit_ad(bot.app, fake, 791)
    await admin_a.wait_message(contains=f"#{ad_id}")
    await admin_a.press_callback(f"mod1:why:{ad_id}:typed")
    await admin_a.wait_message(contains="нима учун рад этилаётганини")
    # The database refuses the reject (a real error from PostgreSQL, raised by a trigger).
    await db.execute(
        """
        CREATE FUNCTION refuse_reject() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'disk full'; END $$;
        CREATE TRIGGER refuse_reject BEFORE UPDATE ON ads FOR EACH ROW
            WHEN (NEW.status = 'rejected') EXECUTE FUNCTION refuse_reject();
        """
    )
    await admin_a.send("Нарх нотўғри")
    with pytest.raises(asyncpg.RaiseError, match="disk full"):
        await bot.settle()
    bot.errors.clear()
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "pending"
    await db.execute("DROP TRIGGER refuse_reject ON ads")
    # The reason step is still open: the admin sends the reason again and it is stored.
    await admin_a.send("Нарх нотўғри")
    await admin_a.wait_message(contains="Рад этилди")
    row = await db.fetchrow("SELECT status, reject_reason FROM ads WHERE id = $1", ad_id)
    assert row is not None
    assert (row["status"], row["reject_reason"]) == ("rejected", "Нарх нотўғри")


async def test_admin_commands_typed_in_a_group_are_not_answered_there(
    bot: DispatcherBot, fake: FakeTelegram, admins: tuple[Any, Any]
) -> None:
    admin_a, _ = admins
    group = {"id": -100555, "type": "supergroup", "title": "Админлар"}
    for number, command in enumerate(("/stats", "/unposted", "/pending", "/unban 5"), 1):
        fake.queue_update(
            "message",
            {
                "message_id": number,
                "date": 1_800_000_000,
                "chat": group,
                "from": admin_a.user,
                "text": command,
                "entities": [
                    {"type": "bot_command", "offset": 0, "length": len(command.split()[0])}
                ],
            },
        )
    await bot.settle()
    await fake.wait_idle(timeout=3)
    assert [c for c in fake.calls if str(c.params.get("chat_id")) == "-100555"] == []
    # In the private chat, as before.
    await admin_a.send("/stats")
    await admin_a.wait_message(contains="Статистика")


async def test_unban_refuses_what_is_no_user_id(
    bot: DispatcherBot, fake: FakeTelegram, admins: tuple[Any, Any]
) -> None:
    admin_a, _ = admins
    for args in ("²", "٣٣", "9" * 30, "-5", "12 34"):
        await admin_a.send(f"/unban {args}")
        reply = await admin_a.wait_message()
        assert "/unban" in reply.content, args  # the usage line, not an error


async def test_the_ban_button_bans_the_ads_seller_once_and_knows_a_gone_ad(
    bot: DispatcherBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Any, Any],
) -> None:
    admin_a, _ = admins
    ad_id = await submit_ad(bot.app, fake, 790)
    await admin_a.press_callback(f"mod1:banr:{ad_id}:forbidden")
    answer = await admin_a.wait_callback_answer()
    assert "Сотувчи блокланди; текширувдаги 1 та" in answer["text"]
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "rejected"
    assert await db.fetchval("SELECT count(*) FROM bans WHERE user_id = 790") == 1

    await admin_a.press_callback(f"mod1:banr:{ad_id}:forbidden")
    assert "аллақачон блокланган" in (await admin_a.wait_callback_answer())["text"]
    await admin_a.press_callback(f"mod1:banr:{ad_id + 1000}:forbidden")
    assert "топилмади" in (await admin_a.wait_callback_answer())["text"]

"""Moderation and publishing end to end: admins told at once, one tap publishes exactly once,
the owner is told, and nothing is lost to Telegram's errors or a restart."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import asyncpg
import pytest

from tests.conftest import ADMIN_A, ADMIN_B, RunningBot
from tests.fake_telegram import FakeTelegram, fake_jpeg
from vodiy_bozor import ads
from vodiy_bozor.models import AdContent, Category, Currency, Photo, Price, Region


async def submit_ad(
    bot: RunningBot,
    fake: FakeTelegram,
    owner_id: int,
    *,
    photos: int = 2,
    description: str = "Дазмол Philips, янги <2025> & кафолати бор",
) -> int:
    """A pending ad as the dialog would store it (the dialog has its own tests)."""
    app = bot.app
    assert app is not None
    owner = fake.user(owner_id, f"Seller{owner_id}", username=f"seller{owner_id}")
    await app.pool.execute(
        "INSERT INTO users (id, first_name, username) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        owner.id,
        owner.first_name,
        owner.username,
    )
    files = [fake.add_file(fake_jpeg(1000 + i), kind="photo") for i in range(photos)]
    content = AdContent(
        category=Category.APPLIANCES,
        description=description,
        price=Price(450, Currency.USD),
        region=Region.ANDIJAN,
        district="Асака",
        phone="+998935551122",
        photos=tuple(Photo(fid, uid) for fid, uid in files),
    )
    return await ads.submit(app.pool, owner.id, content, admin_ids=app.settings.admin_ids)


async def every_card_shows(admins: tuple[Any, Any], ad_id: int, *texts: str) -> None:
    """Every admin's card of the ad comes to show these texts, with no buttons left."""
    for admin in admins:
        card = next(m for m in admin.messages if f"#{ad_id}" in m.content)
        for text in texts:
            await card.wait_content(text, timeout=5)
        assert card.buttons == []


@pytest.fixture
def admins(fake: FakeTelegram) -> tuple[Any, Any]:
    return fake.user(ADMIN_A, "Aziz", username="aziz_admin"), fake.user(ADMIN_B, "Botir")


async def test_approve_publishes_once_tells_owner_and_every_admin(
    running_bot: RunningBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Any, Any],
) -> None:
    admin_a, admin_b = admins
    ad_id = await submit_ad(running_bot, fake, 700, photos=3)

    # Each admin gets the album and then the card with the two buttons.
    for admin in admins:
        card = await admin.wait_message(contains=f"#{ad_id}", timeout=5)
        assert card.buttons == [["✅ Тасдиқлаш", "❌ Рад этиш"]]
        assert "Seller700" in card.content
        assert "@seller700" in card.content
        assert "Эълонлари: 1 та" in card.content
        albums = [c for c in fake.calls if c.method == "sendMediaGroup" and c.ok]
        assert any(c.params["chat_id"] == admin.id for c in albums)

    await admin_a.press("✅ Тасдиқлаш")
    post = await fake.channel.wait_post(contains="Дазмол", timeout=5)
    assert "янги <2025> & кафолати" in post.content  # user text shown as typed
    assert "450 $" in post.content
    assert "#Маиший_техника #Андижон" in post.content
    channel_album = await fake.wait_call("sendMediaGroup", chat_id=fake.channel.id, ok=True)
    assert len(channel_album.params["media"]) == 3
    assert "reply_markup" not in channel_album.params

    owner = fake.user(700)
    notice = await owner.wait_message(contains="каналга чиқди", timeout=5)
    assert f"https://t.me/vodiy_test/{post.message_id}" in notice.content

    await every_card_shows(admins, ad_id, "Aziz тасдиқлади", "t.me/vodiy_test")

    row = await db.fetchrow("SELECT status, decided_by FROM ads WHERE id = $1", ad_id)
    assert row is not None
    assert (row["status"], row["decided_by"]) == ("published", ADMIN_A)
    stored = await db.fetch(
        "SELECT message_id FROM ad_posts WHERE ad_id = $1 ORDER BY position", ad_id
    )
    assert len(stored) == 3
    assert stored[0]["message_id"] == post.message_id

    # B's late press (on the old data) changes nothing and is told what happened.
    card_b = next(m for m in admin_b.messages if f"#{ad_id}" in m.content)
    await admin_b.press_callback(f"mod1:ok:{ad_id}:", message_id=card_b.message_id)
    answer = await admin_b.wait_callback_answer()
    assert "Aziz" in answer["text"]
    assert "аллақачон тасдиқлаган" in answer["text"]
    await fake.wait_idle(timeout=3)
    assert len(fake.channel.messages) == 3  # still the one album of three


async def test_twenty_rounds_of_two_admins_racing_give_twenty_posts(
    running_bot: RunningBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Any, Any],
) -> None:
    admin_a, admin_b = admins
    ad_ids = [await submit_ad(running_bot, fake, 710 + i, photos=1) for i in range(20)]
    for ad_id in ad_ids:
        data = f"mod1:ok:{ad_id}:"
        await asyncio.gather(admin_a.press_callback(data), admin_b.press_callback(data))
    await fake.wait_until(lambda: len(fake.channel.messages) >= 20, timeout=20)
    await fake.wait_idle(timeout=5)
    assert len(fake.channel.messages) == 20
    statuses = await db.fetch("SELECT status FROM ads WHERE id = ANY($1)", ad_ids)
    assert {r["status"] for r in statuses} == {"published"}
    posts = await db.fetchval("SELECT count(*) FROM ad_posts WHERE ad_id = ANY($1)", ad_ids)
    assert posts == 20


async def test_outage_then_flood_then_restart_still_publishes_once(
    running_bot: RunningBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Any, Any],
) -> None:
    admin_a, _ = admins
    ad_id = await submit_ad(running_bot, fake, 730, photos=2)
    await admin_a.wait_message(contains=f"#{ad_id}")
    # Telegram answers 500 to every call for a while, then 429 once, then recovers (faults
    # apply in the order they were added; the outage expires by itself).
    outage = fake.fail_with(500, until=time.monotonic() + 4)
    fake.flood(retry_after=1, methods=["sendMediaGroup"], times=1)
    await admin_a.press_callback(f"mod1:ok:{ad_id}:")
    await fake.wait_until(
        lambda: sum(c.status == 500 and c.method == "sendMediaGroup" for c in fake.calls) >= 2,
        timeout=10,
    )
    # The bot is restarted in the middle of the outage.
    await running_bot.restart()
    assert outage.until is not None
    assert time.monotonic() < outage.until, "the restart should fall inside the outage"
    post = await fake.channel.wait_post(contains="Дазмол", timeout=15)
    await fake.wait_idle(timeout=3)
    assert len(fake.channel.messages) == 2  # one album of two photos, once
    assert any(c.status == 429 for c in fake.calls)
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "published"
    owner = fake.user(730)
    await owner.wait_message(contains=str(post.message_id), timeout=5)


async def test_a_non_admin_cannot_moderate(
    running_bot: RunningBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    ad_id = await submit_ad(running_bot, fake, 740, photos=1)
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


async def test_a_seller_who_blocked_the_bot_is_still_published_and_not_messaged(
    running_bot: RunningBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Any, Any],
) -> None:
    admin_a, _ = admins
    ad_id = await submit_ad(running_bot, fake, 750, photos=1)
    fake.block(750)  # Telegram tells the bot with a my_chat_member update
    await fake.wait_idle(timeout=3)
    assert await db.fetchval("SELECT blocked FROM users WHERE id = 750") is True
    await admin_a.press_callback(f"mod1:ok:{ad_id}:")
    await fake.channel.wait_post(contains="Дазмол", timeout=5)
    await fake.wait_idle(timeout=3)
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "published"
    assert not [c for c in fake.calls if c.params.get("chat_id") == 750]  # not even tried


async def test_a_403_marks_the_seller_blocked_and_drops_their_queue(
    running_bot: RunningBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Any, Any],
) -> None:
    admin_a, _ = admins
    ad_id = await submit_ad(running_bot, fake, 751, photos=1)
    # The block happened while the bot was away: the first the bot hears of it is a 403.
    fake.fail_with(403, "Forbidden: bot was blocked by the user", chat_id=751)
    await admin_a.press_callback(f"mod1:ok:{ad_id}:")
    await fake.channel.wait_post(contains="Дазмол", timeout=5)
    await fake.wait_until(lambda: any(c.status == 403 for c in fake.calls), timeout=5)
    await fake.wait_idle(timeout=3)
    assert await db.fetchval("SELECT blocked FROM users WHERE id = 751") is True
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "published"
    failed = await db.fetchval(
        "SELECT count(*) FROM outbox WHERE chat = '751' AND status = 'failed'"
    )
    pending = await db.fetchval(
        "SELECT count(*) FROM outbox WHERE chat = '751' AND status = 'pending'"
    )
    assert (failed, pending) == (1, 0)


async def test_reject_with_a_canned_reason(
    running_bot: RunningBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Any, Any],
) -> None:
    admin_a, admin_b = admins
    ad_id = await submit_ad(running_bot, fake, 760)
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
    running_bot: RunningBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Any, Any],
) -> None:
    admin_a, _ = admins
    ad_id = await submit_ad(running_bot, fake, 770)
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
    running_bot: RunningBot,
    fake: FakeTelegram,
    admins: tuple[Any, Any],
) -> None:
    admin_a, _ = admins
    first = await submit_ad(running_bot, fake, 780)
    second = await submit_ad(running_bot, fake, 781)
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

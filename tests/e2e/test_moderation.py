"""Moderation and publishing end to end: admins told at once, one tap publishes exactly once,
the owner is told, and nothing is lost to Telegram's errors or a restart."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import asyncpg

from tests.conftest import ADMIN_A, RunningBot
from tests.fake_telegram import FakeTelegram
from tests.support.moderation_setup import admins, every_card_shows, submit_ad
from tests.support.polling import wait_for

__all__ = ["admins"]  # a fixture


async def published(db: asyncpg.Connection[Any], ad_id: int) -> bool:
    status: str | None = await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id)
    return status == "published"


async def outbox_done(db: asyncpg.Connection[Any]) -> bool:
    """Whether every message due now was sent or given up (and so was tried or not)."""
    return not await db.fetchval(
        "SELECT count(*) FROM outbox WHERE status = 'pending' AND not_before <= now()"
    )


async def test_approve_publishes_once_tells_owner_and_every_admin(
    running_bot: RunningBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Any, Any],
) -> None:
    admin_a, admin_b = admins
    ad_id = await submit_ad(running_bot.app, fake, 700, photos=3)

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
    ad_ids = [await submit_ad(running_bot.app, fake, 710 + i, photos=1) for i in range(20)]
    for ad_id in ad_ids:
        data = f"mod1:ok:{ad_id}:"
        await asyncio.gather(admin_a.press_callback(data), admin_b.press_callback(data))
    await fake.wait_until(lambda: len(fake.channel.messages) >= 20, timeout=20)
    # Each post is recorded after Telegram's answer: wait for that, then for any extra post.
    # About a hundred rows follow the posts (40 card edits, 20 owners told, buyers' notices),
    # each rendered from the state then: on a loaded machine that takes more than 10 s.
    await wait_for(lambda: outbox_done(db), within=30, what="every post recorded")
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
    ad_id = await submit_ad(running_bot.app, fake, 730, photos=2)
    await admin_a.wait_message(contains=f"#{ad_id}")
    # Telegram answers 500 to every call until the restarted bot has met the outage too,
    # then 429 once, then recovers (faults apply in the order they were added). The outage
    # ends on those events, not at a set time: a restart on a busy machine may take seconds.
    outage = fake.fail_with(500)
    fake.flood(retry_after=1, methods=["sendMediaGroup"], times=1)
    await admin_a.press_callback(f"mod1:ok:{ad_id}:")
    await fake.wait_until(
        lambda: sum(c.status == 500 and c.method == "sendMediaGroup" for c in fake.calls) >= 2,
        timeout=10,
    )
    # The bot is restarted in the middle of the outage, and meets it again.
    await running_bot.restart()
    since = len(fake.calls)
    await fake.wait_until(lambda: any(c.status == 500 for c in fake.calls[since:]), timeout=15)
    outage.until = time.monotonic()
    post = await fake.channel.wait_post(contains="Дазмол", timeout=15)
    await wait_for(lambda: published(db, ad_id), what=f"#{ad_id} recorded as published")
    await fake.wait_idle(timeout=3)
    assert len(fake.channel.messages) == 2  # one album of two photos, once
    assert any(c.status == 429 for c in fake.calls)
    owner = fake.user(730)
    await owner.wait_message(contains=str(post.message_id), timeout=5)


async def test_a_seller_who_blocked_the_bot_is_still_published_and_not_messaged(
    running_bot: RunningBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Any, Any],
) -> None:
    admin_a, _ = admins
    ad_id = await submit_ad(running_bot.app, fake, 750, photos=1)
    fake.block(750)  # Telegram tells the bot with a my_chat_member update
    await wait_for(
        lambda: db.fetchval("SELECT blocked FROM users WHERE id = 750"),
        what="the seller marked blocked",
    )
    await admin_a.press_callback(f"mod1:ok:{ad_id}:")
    await fake.channel.wait_post(contains="Дазмол", timeout=5)
    # The post is recorded after Telegram's answer, and the owner's notice comes after it.
    await wait_for(lambda: published(db, ad_id), what=f"#{ad_id} recorded as published")
    await wait_for(lambda: outbox_done(db), what="nothing left in the outbox")
    assert not [c for c in fake.calls if c.params.get("chat_id") == 750]  # not even tried


async def test_a_403_marks_the_seller_blocked_and_drops_their_queue(
    running_bot: RunningBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Any, Any],
) -> None:
    admin_a, _ = admins
    ad_id = await submit_ad(running_bot.app, fake, 751, photos=1)
    # The block happened while the bot was away: the first the bot hears of it is a 403.
    fake.fail_with(403, "Forbidden: bot was blocked by the user", chat_id=751)
    await admin_a.press_callback(f"mod1:ok:{ad_id}:")
    await fake.channel.wait_post(contains="Дазмол", timeout=5)
    await fake.wait_until(lambda: any(c.status == 403 for c in fake.calls), timeout=5)
    await wait_for(lambda: outbox_done(db), what="the 403 recorded, nothing left in the outbox")
    assert await db.fetchval("SELECT blocked FROM users WHERE id = 751") is True
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "published"
    failed = await db.fetchval(
        "SELECT count(*) FROM outbox WHERE chat = '751' AND status = 'failed'"
    )
    pending = await db.fetchval(
        "SELECT count(*) FROM outbox WHERE chat = '751' AND status = 'pending'"
    )
    assert (failed, pending) == (1, 0)

"""/unposted: no ad stays approved without a channel post; an admin lists them and publishes
each again, once, however many admins press."""

from __future__ import annotations

from typing import Any

import asyncpg

from tests.fake_telegram import FakeTelegram
from tests.handlers.conftest import DispatcherBot
from tests.support.moderation_setup import admins, submit_ad

__all__ = ["admins"]  # a fixture


async def test_an_approved_ad_without_a_post_is_listed_and_published_again_once(
    bot: DispatcherBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Any, Any],
) -> None:
    admin_a, admin_b = admins
    ad_id = await submit_ad(bot.app, fake, 795, photos=1)
    # Approved, but its post was refused for good (how an ad used to be lost): no post row
    # pending, none in the channel.
    await db.execute(
        "UPDATE ads SET status = 'approved', decided_by = $2, decided_at = now() WHERE id = $1",
        ad_id,
        admin_a.id,
    )
    await admin_a.send("/unposted")
    # The listing itself, not the ad's card, which the outbox may deliver after the command.
    listing = await admin_a.wait_message(contains="охирги уриниш")
    assert f"#{ad_id}" in listing.content
    assert "Дазмол" in listing.content
    await admin_a.press(f"📢 #{ad_id} ни қайта чиқариш", message=listing)
    answer = await admin_a.wait_callback_answer()
    assert "навбатга" in answer["text"]
    post = await fake.channel.wait_post(contains="Дазмол", timeout=5)
    await fake.user(795).wait_message(contains=str(post.message_id), timeout=5)
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "published"

    # A second press (the other admin's, on the same list) queues nothing more.
    await admin_b.press_callback(f"pub1:{ad_id}")
    late = await admin_b.wait_callback_answer()
    assert "аллақачон" in late["text"]
    await admin_a.send("/unposted")
    await admin_a.wait_message(contains="каналда ёки йўлда")
    await bot.settle()
    assert len(fake.channel.messages) == 1


async def test_only_admins_can_list_or_publish_again(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    ad_id = await submit_ad(bot.app, fake, 796, photos=1)
    await db.execute("UPDATE ads SET status = 'approved' WHERE id = $1", ad_id)
    stranger = fake.user(797, "Mallory")
    await stranger.send("/unposted")
    reply = await stranger.wait_message()
    assert "/new" in reply.content  # the ordinary help
    await stranger.press_callback(f"pub1:{ad_id}")
    answer = await stranger.wait_callback_answer()
    assert "фақат админлар" in answer["text"]
    await bot.settle()
    assert fake.channel.messages == []

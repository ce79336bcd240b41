"""Buyers against the running program: polling must ask Telegram for inline queries (the
dispatcher's update types decide what getUpdates asks for), and a matching saved search is
announced once through the paced outbox."""

from __future__ import annotations

from tests.conftest import RunningBot
from tests.e2e.seeding import publish
from tests.fake_telegram import FakeTelegram


async def test_inline_queries_reach_the_polling_bot(
    running_bot: RunningBot, fake: FakeTelegram
) -> None:
    polls = fake.calls_to("getUpdates")
    assert "inline_query" in polls[-1].params["allowed_updates"]
    ad_id, _ = await publish(running_bot, fake, 501, "Дазмол Philips, янги")
    # Published once the post is recorded: the owner's notice is queued in that transaction.
    await fake.user(501).wait_message(contains=f"(#{ad_id})", timeout=10)
    stranger = fake.user(900, "Stranger")  # never started the bot
    query_id = await stranger.inline_query("дазмол")
    answer = await stranger.wait_inline_answer(query_id, timeout=10)
    assert [r["id"] for r in answer["results"]] == [f"ad{ad_id}"]


async def test_a_saved_search_is_announced_once(
    running_bot: RunningBot, fake: FakeTelegram
) -> None:
    buyer = fake.user(600, "Buyer")
    await buyer.send("/search дазмол")
    page = await buyer.wait_message(contains="дазмол", timeout=10)
    await buyer.press("🔔 Сақлаш", message=page)
    await buyer.wait_callback_answer(timeout=10)
    await publish(running_bot, fake, 501, "Дазмол Philips, янги")
    notice = await buyer.wait_message(contains="Philips", timeout=10)
    assert notice.photo is not None
    await fake.wait_idle(timeout=5)
    assert len([m for m in buyer.messages if m.photo is not None]) == 1

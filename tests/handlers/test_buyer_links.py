"""A buyer's way in from outside the bot: inline mode (`@bot words` in any chat) and the
channel post's link to the ad (`/start ad_<id>`), counted for the seller's "My ads"."""

from __future__ import annotations

import re
from typing import Any

import asyncpg

from tests.buyer_setup import publish_ad, seller
from tests.fake_telegram import FakeTelegram
from tests.handlers.conftest import DispatcherBot
from vodiy_bozor.models import Category


async def test_inline_query_from_a_stranger_answers_newest_and_by_words(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    first = await publish_ad(bot.app, fake, 501, "Samsung телефон <янги> & арзон")
    second = await publish_ad(bot.app, fake, 502, "Artel muzlatgich", category=Category.APPLIANCES)
    stranger = fake.user(900, "Stranger", language_code="ru")  # never started the bot

    query_id = await stranger.inline_query("")
    answer = await stranger.wait_inline_answer(query_id)
    ids = [r["id"] for r in answer["results"]]
    assert ids == [f"ad{second}", f"ad{first}"]  # the newest first
    assert answer.get("next_offset", "") == ""
    photo = answer["results"][1]
    assert photo["type"] == "photo"
    assert photo["photo_file_id"]
    assert "Samsung телефон &lt;янги&gt; &amp; арзон" in photo["caption"]
    assert "+998 93 555 11 22" in photo["caption"]
    button = photo["reply_markup"]["inline_keyboard"][0][0]
    assert button["url"].startswith("https://t.me/vodiy_test/")

    query_id = await stranger.inline_query("телефон")
    answer = await stranger.wait_inline_answer(query_id)
    assert [r["id"] for r in answer["results"]] == [f"ad{first}"]

    query_id = await stranger.inline_query("🙂 % _ \\")
    answer = await stranger.wait_inline_answer(query_id)
    assert len(answer["results"]) == 2  # no words: the newest ads
    assert not stranger.messages  # nothing was sent to them


async def test_inline_pages_of_fifty_with_next_offset(
    bot: DispatcherBot, fake: FakeTelegram
) -> None:
    for i in range(52):
        await publish_ad(bot.app, fake, 1000 + i, f"Китоб {i}")
    reader = fake.user(900, "Reader")
    query_id = await reader.inline_query("китоб")
    page = await reader.wait_inline_answer(query_id)
    assert len(page["results"]) == 50
    assert page["next_offset"] == "50"
    query_id = await reader.inline_query("китоб", offset=page["next_offset"])
    rest = await reader.wait_inline_answer(query_id)
    assert len(rest["results"]) == 2
    assert rest.get("next_offset", "") == ""
    seen = {r["id"] for r in page["results"]} | {r["id"] for r in rest["results"]}
    assert len(seen) == 52
    query_id = await reader.inline_query("китоб", offset="forged")
    again = await reader.wait_inline_answer(query_id)
    assert again["results"] == page["results"]


async def test_the_post_link_opens_the_ad_and_is_counted_once_per_buyer(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    ad_id = await publish_ad(bot.app, fake, 501, "Samsung телефон", username="samsung_seller")
    post = fake.channel.messages[-1]
    link = next(e["url"] for e in post.entities if e["type"] == "text_link")
    assert link == f"https://t.me/vodiy_test_bot?start=ad_{ad_id}"
    payload = re.sub(r".*start=", "", link)

    buyer = fake.user(600, "Buyer")
    await buyer.send(f"/start {payload}")
    shown = await buyer.wait_message(contains="Samsung телефон")
    assert shown.photo is not None
    assert shown.button("✉️ Сотувчига ёзиш")["url"] == "https://t.me/samsung_seller"
    contact = await buyer.wait_message(contains="+998 93 555 11 22")
    assert "@samsung_seller" in contact.content
    await buyer.send(f"/start {payload}")  # the same buyer again: counted once
    await buyer.wait_message(contains="Samsung телефон")
    other = fake.user(601, "Other")
    await other.send(f"/start {payload}")
    await other.wait_message(contains="Samsung телефон")
    owner = seller(fake, 501)
    await owner.send(f"/start {payload}")  # the seller is no buyer of their own ad
    await owner.wait_message(contains="Samsung телефон")
    assert await db.fetchval("SELECT count(*) FROM ad_opens WHERE ad_id = $1", ad_id) == 2

    await owner.send("/my")
    mine = await owner.wait_message(contains=f"#{ad_id}")
    assert "👁 2" in mine.content


async def test_a_seller_without_username_gets_no_write_button_and_gone_ads_say_so(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    ad_id = await publish_ad(bot.app, fake, 501, "Дазмол Philips")
    buyer = fake.user(600, "Buyer", language_code="ru")
    await buyer.send(f"/start ad_{ad_id}")
    shown = await buyer.wait_message(contains="Дазмол Philips")
    assert "✉️ Написать продавцу" not in str(shown.buttons)
    await buyer.wait_message(contains="Продавец: +998 93 555 11 22")

    await db.execute("UPDATE ads SET status = 'sold' WHERE id = $1", ad_id)
    await buyer.send(f"/start ad_{ad_id}")
    await buyer.wait_message(contains=f"#{ad_id} продано")
    await buyer.send("/start ad_999999")
    await buyer.wait_message(contains="больше нет")
    await buyer.send("/start something_else")  # any other payload: the greeting
    await buyer.wait_message(contains="Здравствуйте")
    assert await db.fetchval("SELECT count(*) FROM ad_opens") == 1

"""A buyer's way in from outside the bot: inline mode (`@bot words` in any chat) and the
channel post's link to the ad (`/start ad_<id>`), counted for the seller's "My ads"."""

from __future__ import annotations

import contextlib
import re
from typing import Any

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from tests.fake_telegram import FakeTelegram, fake_jpeg
from tests.handlers.conftest import DispatcherBot
from tests.support.buyer_setup import publish_ad, seller
from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.db import search as db_search
from vodiy_bozor.models import AdContent, Category, Currency, Photo, Price, Region
from vodiy_bozor.text.fold import ad_document


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


async def _published(bot: DispatcherBot, fake: FakeTelegram, count: int) -> list[int]:
    """`count` live ads written straight to the database (the channel plays no part here)."""
    await bot.app.pool.execute("INSERT INTO users (id, first_name) VALUES (1000, 'Seller')")
    ids = []
    for i in range(count):
        file_id, unique_id = fake.add_file(fake_jpeg(200 + i), kind="photo")
        content = AdContent(
            category=Category.OTHER,
            description=f"Китоб {i}",
            price=Price(50_000, Currency.UZS),
            region=Region.ANDIJAN,
            district=None,
            phone="+998935551122",
            photos=(Photo(file_id, unique_id),),
        )
        async with bot.app.pool.acquire() as conn:
            ad_id = await db_ads.insert_ad(conn, 1000, content)
            document = ad_document(content.description, Category.OTHER, Region.ANDIJAN)
            await db_search.set_search_text(conn, ad_id, document)
            await conn.execute(
                "UPDATE ads SET status = 'published', published_at = now() WHERE id = $1", ad_id
            )
        ids.append(ad_id)
    return ids


async def test_an_inline_page_costs_the_same_few_statements_whatever_its_size(
    bot: DispatcherBot, fake: FakeTelegram
) -> None:
    await _published(bot, fake, 51)
    # Every statement the bot sends from now on through the pool's connections: each one the
    # pool can hand out (the outbox worker may hold one for a moment: it is not the handler's).
    statements: list[str] = []
    held: list[PoolConnectionProxy[Any]] = []
    with contextlib.suppress(TimeoutError):
        while len(held) < bot.app.pool.get_max_size():
            held.append(await bot.app.pool.acquire(timeout=1))
    for conn in held:
        conn.add_query_logger(lambda logged: statements.append(logged.query))
    for conn in held:
        await bot.app.pool.release(conn)

    def about_ads() -> list[str]:
        return [s for s in statements if re.search(r"\bads\b|\bad_photos\b", s)]

    reader = fake.user(900, "Reader")
    for words, size in (("китоб", 50), ("", 50), ("китоб 7", 1)):
        before = len(about_ads())
        answer = await reader.wait_inline_answer(await reader.inline_query(words))
        assert len(answer["results"]) == size, words
        assert answer["results"][0]["caption"].count("+998") == 1  # the full caption
        run = about_ads()[before:]
        assert len(run) <= 5, (words, run)  # was 2 a result: 100 for a page of 50
    assert about_ads()  # the loggers saw the searches


async def test_each_user_has_a_bounded_inline_budget(
    bot: DispatcherBot, fake: FakeTelegram
) -> None:
    await _published(bot, fake, 3)
    greedy, other = fake.user(901, "Greedy"), fake.user(902, "Other")
    # Twenty at once (the intake's most in flight for one user): a burst of ten, then one a
    # second, so they cannot all be searched unless handling them took ten seconds.
    asked = [await greedy.inline_query(f"китоб {i % 3}") for i in range(20)]
    answers = [await greedy.wait_inline_answer(query_id, timeout=15) for query_id in asked]
    refused = [a for a in answers if a["results"] == []]
    assert all(len(a["results"]) == 1 for a in answers[:10])
    assert refused
    assert all(a["is_personal"] is True and a["cache_time"] == 0 for a in refused)
    # Another user is not held back by the first.
    answer = await other.wait_inline_answer(await other.inline_query("китоб 1"))
    assert len(answer["results"]) == 1

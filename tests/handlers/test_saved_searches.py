"""Saved searches: 🔔 under results (ten at most), /subs with 🗑, and the notice a matching
buyer gets once when an ad is published, never for their own ad, with 🔕 to end it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from tests.fake_telegram import FakeTelegram, Person
from tests.handlers.conftest import DispatcherBot
from tests.support.buyer_setup import publish_ad
from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.db import notices as db_notices
from vodiy_bozor.models import AdContent, Category, Currency, Photo, Price, Region


async def save(buyer: Person, words: str) -> None:
    await buyer.send(f"/search {words}")
    page = await buyer.wait_message(contains=words.split()[0])
    label = "🔔 Сохранить" if buyer.language_code == "ru" else "🔔 Сақлаш"
    await buyer.press(label, message=page)


async def test_saving_ten_then_the_eleventh_is_refused_and_subs_deletes(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    buyer = fake.user(600, "Buyer")
    for i in range(10):
        await save(buyer, f"нарса{i}")
        answer = await buyer.wait_callback_answer()
        assert "Сақланди" in answer["text"]
    await save(buyer, "нарса10")
    refused = await buyer.wait_callback_answer()
    assert "10 та сақланган қидирув бор" in refused["text"]
    assert refused["show_alert"] is True
    assert await db.fetchval("SELECT count(*) FROM saved_searches WHERE buyer_id = 600") == 10

    await buyer.send("🔔 Обуналарим")  # the menu's button
    listing = await buyer.wait_message(contains="Сақланган қидирувлар (10/10)")
    assert "«нарса0»" in listing.content
    assert len(listing.buttons) == 10
    await buyer.press("🗑 1. нарса0", message=listing)
    await listing.wait_content("(9/10)")
    assert "нарса0" not in listing.content
    # A forged 🗑 for someone else's search changes nothing.
    other = await db.fetchval("SELECT min(id) FROM saved_searches WHERE buyer_id = 600")
    intruder = fake.user(601, "Mallory")
    await intruder.press_callback(f"subs1:del:{other}")
    assert "аллақачон ўчирилган" in (await intruder.wait_callback_answer())["text"]
    assert await db.fetchval("SELECT count(*) FROM saved_searches WHERE buyer_id = 600") == 9

    await save(buyer, "нарса10")  # room again
    assert "Сақланди" in (await buyer.wait_callback_answer())["text"]


async def test_a_matching_ad_is_announced_once_and_never_to_its_owner(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    buyer = fake.user(600, "Buyer", language_code="ru")
    await save(buyer, "холодильник")
    assert "Сохранено" in (await buyer.wait_callback_answer())["text"]
    seller = fake.user(700, "Seller")
    await save(seller, "холодильник")  # the seller looks for one too
    await seller.wait_callback_answer()
    await save(buyer, "muzlatgich")  # a second search of the buyer's that matches too
    await buyer.wait_callback_answer()

    ad_id = await publish_ad(
        bot.app,
        fake,
        700,
        "Холодильник Artel, muzlatgich, 2 камерали",
        category=Category.APPLIANCES,
    )
    notice = await buyer.wait_message(contains="холодильник", timeout=10)
    assert notice.photo is not None
    assert "Новое объявление" in notice.content
    assert "Artel" in notice.content
    assert notice.buttons == [["📢 Смотреть в канале"], ["🔕 Отписаться"]]
    assert notice.button("📢 Смотреть в канале")["url"].startswith("https://t.me/vodiy_test/")
    await fake.wait_idle(timeout=3)
    # One notice per buyer per ad, however many of their searches match; none to the owner.
    notices = [m for m in buyer.messages if "Новое объявление" in m.content]
    assert len(notices) == 1
    assert not [m for m in seller.messages if m.photo is not None]
    assert (
        await db.fetchval(
            "SELECT count(*) FROM outbox WHERE kind = 'buyer_notice' AND ad_id = $1", ad_id
        )
        == 1
    )

    await buyer.press("🔕 Отписаться", message=notice)
    assert "больше не будет" in (await buyer.wait_callback_answer())["text"]
    await fake.wait_until(lambda: notice.buttons == [], what="🔕 taken off the notice")
    left = await db.fetch("SELECT query FROM saved_searches WHERE buyer_id = 600")
    assert [r["query"] for r in left] == ["muzlatgich"]  # the one that sent the notice ended


async def test_after_unsubscribing_and_when_blocked_no_more_notices(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    buyer = fake.user(600, "Buyer")
    blocked = fake.user(601, "Gone")
    await save(buyer, "велосипед")
    await buyer.wait_callback_answer()
    await save(blocked, "велосипед")
    await blocked.wait_callback_answer()
    await db.execute("UPDATE users SET blocked = true WHERE id = 601")

    await publish_ad(bot.app, fake, 700, "Велосипед Stels", category=Category.SPORTS)
    notice = await buyer.wait_message(contains="Stels", timeout=10)
    await buyer.press("🔕 Обунани бекор қилиш", message=notice)
    assert "бошқа келмайди" in (await buyer.wait_callback_answer())["text"]

    await publish_ad(bot.app, fake, 701, "Велосипед Forward", category=Category.SPORTS)
    await fake.wait_idle(timeout=3)
    assert not [m for m in buyer.messages if "Forward" in m.content]
    assert not [m for m in blocked.messages if m.photo is not None]


async def test_notices_stop_at_twenty_a_day(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    buyer = fake.user(600, "Buyer")
    await save(buyer, "китоб")
    await buyer.wait_callback_answer()
    await db.execute(
        """INSERT INTO search_notice_days (buyer_id, day, sent)
           VALUES (600, (now() AT TIME ZONE 'UTC' + interval '5 hours')::date, 19)"""
    )
    await publish_ad(bot.app, fake, 700, "Китоб: Ўтган кунлар", category=Category.OTHER)
    await buyer.wait_message(contains="Ўтган кунлар", timeout=10)
    await publish_ad(bot.app, fake, 701, "Китоб: Меҳробдан чаён", category=Category.OTHER)
    await fake.wait_idle(timeout=3)
    assert not [m for m in buyer.messages if "Меҳробдан" in m.content]
    assert await db.fetchval("SELECT sent FROM search_notice_days WHERE buyer_id = 600") == 20

    # The rest waits for the evening (20:00 in Tashkent, UTC+5), then comes as one message.
    held = await db.fetch("SELECT ad_id, due_at FROM search_digest_items WHERE buyer_id = 600")
    assert len(held) == 1
    due_at = held[0]["due_at"]
    assert (due_at.astimezone(UTC).hour, due_at.minute) == (15, 0)
    assert due_at > datetime.now(UTC)
    assert due_at - datetime.now(UTC) <= timedelta(days=1)
    third = await publish_ad(bot.app, fake, 702, "Китоб: Кеча ва кундуз", category=Category.OTHER)
    assert await bot.app.buyers.send_digests() == 0  # not evening yet
    await db.execute("UPDATE search_digest_items SET due_at = now() - interval '1 second'")
    assert await bot.app.buyers.send_digests() == 1
    digest = await buyer.wait_message(contains="яна 2 та эълон")
    assert "Меҳробдан чаён" in digest.content
    assert "Кеча ва кундуз" in digest.content
    assert await bot.app.buyers.send_digests() == 0  # once
    assert await db.fetchval("SELECT count(*) FROM search_digest_items") == 0
    await fake.wait_idle(timeout=3)
    assert len([m for m in buyer.messages if "яна 2 та" in m.content]) == 1
    assert third > 0


async def test_subs_when_there_are_none(bot: DispatcherBot, fake: FakeTelegram) -> None:
    buyer = fake.user(600, "Buyer", language_code="ru")
    await buyer.send("/subs")
    empty = await buyer.wait_message(contains="Сохранённых поисков нет")
    assert empty.buttons == []


async def test_a_digest_of_sixty_lists_every_ad_in_two_messages(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    buyer = fake.user(600, "Buyer")
    await buyer.send("/start")
    await buyer.wait_message(contains="Buyer")
    await db.execute("INSERT INTO users (id, first_name) VALUES (700, 'Seller')")
    ids = []
    for i in range(60):
        content = AdContent(
            category=Category.OTHER,
            description=f"Китоб рақами {i:02d}",
            price=Price(50_000, Currency.UZS),
            region=Region.ANDIJAN,
            district=None,
            phone="+998935551122",
            photos=(Photo(f"file-{i}", f"uniq-{i}"),),
        )
        ad_id = await db_ads.insert_ad(db, 700, content)
        await db.execute(
            "UPDATE ads SET status = 'published', published_at = now() WHERE id = $1", ad_id
        )
        await db_notices.hold_for_digest(db, 600, ad_id)
        ids.append(ad_id)
    await db.execute("UPDATE search_digest_items SET due_at = now() - interval '1 second'")
    assert await bot.app.buyers.send_digests() == 1
    first = await buyer.wait_message(contains="(1/2)")
    second = await buyer.wait_message(contains="(2/2)")
    listed = first.content + second.content
    assert all(f"Китоб рақами {i:02d}" in listed for i in range(60))
    assert "яна 30 та эълон" in first.content
    assert "яна 30 та эълон" in second.content
    assert await db.fetchval("SELECT count(*) FROM search_digest_items") == 0
    assert len(ids) == 60

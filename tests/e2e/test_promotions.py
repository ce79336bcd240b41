"""A seller buys a 🚀 lift and a 📌 pin against the running bot (polling, the outbox, the
promotions' worker), as a new user would: from "My ads" and from "your ad is out"."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.conftest import ADMIN_A, RunningBot, bot_env
from tests.e2e.seeding import publish
from tests.fake_telegram import FakeTelegram
from tests.support.quick_post_steps import expected_questions, walk_to_preview
from vodiy_bozor.config import Settings
from vodiy_bozor.models import Lang


@pytest.fixture
async def shop_bot(fake: FakeTelegram, db_url: str, tmp_path: Path) -> AsyncIterator[RunningBot]:
    env = bot_env(fake, db_url, tmp_path, LIFT_STARS="30", PIN_STARS="120")
    bot = RunningBot(Settings.from_env(env))
    await bot.start()
    await fake.wait_call("getUpdates", timeout=10)
    yield bot
    await bot.stop()


async def test_a_seller_buys_a_lift_from_my_ads_and_a_pin_from_the_published_message(
    shop_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    ad_id, first_post = await publish(shop_bot, fake, 501, "Stol va stullar")
    other_id, _ = await publish(shop_bot, fake, 502, "Stol yangi")
    seller = fake.user(501, "Seller501", language_code="ru")
    await seller.send("/start")
    await seller.wait_message()

    await seller.send("/my")
    # The listing with its 🚀 button: the owner's "published" notices also name the ad and
    # may arrive after /my is sent.
    lift_button = f"🚀 Поднять #{ad_id}"
    listing = await seller.wait_message(
        predicate=lambda m: lift_button in str(m.data.get("reply_markup"))
    )
    await seller.press(lift_button, message=listing)
    invoice = await seller.wait_message(predicate=lambda m: "invoice" in m.data)
    assert invoice.data["invoice"]["title"] == f"Поднять объявление #{ad_id}"
    assert invoice.data["invoice"]["total_amount"] == 30
    lift = await fake.payments.pay(seller, invoice)
    assert lift.ok, lift.error_message
    lifted_post = await fake.channel.wait_post("🚀 Тепага кўтарилди", timeout=10)
    assert "Stol va stullar" in (lifted_post.caption or "")
    await seller.wait_message(contains="🚀 Объявление", timeout=10)

    buyer = fake.user(700, "Buyer", language_code="ru")
    await buyer.send("/search stol")
    results = await buyer.wait_message(contains="Stol", timeout=10)
    text = results.text or ""
    assert text.index("🚀") < text.index("Stol va stullar") < text.index("Stol yangi")

    published = next(m for m in seller.messages if f"(#{ad_id})" in (m.text or ""))
    await seller.press("📌", message=published)
    invoice = await seller.wait_message(predicate=lambda m: "invoice" in m.data)
    pin = await fake.payments.pay(seller, invoice)
    assert pin.ok, pin.error_message
    await seller.wait_message(contains="📌 Объявление", timeout=10)
    newest = await db.fetchval(
        "SELECT message_id FROM ad_posts WHERE ad_id = $1 AND position = 0"
        " ORDER BY posted_at DESC, message_id DESC LIMIT 1",
        ad_id,
    )
    assert newest == lifted_post.message_id != first_post.message_id
    assert fake.payments.pinned(fake.channel.id) == [newest]

    admin = fake.user(ADMIN_A, "Aziz", language_code="ru")
    await admin.send("/revenue")
    figures = await admin.wait_message(contains="Получено", timeout=10)
    assert "Получено: 150 ⭐ · Возвращено: 0 ⭐ · Чистыми: 150 ⭐" in (figures.text or "")
    assert await db.fetchval("SELECT count(*) FROM promotions WHERE status = 'running'") == 2
    assert other_id != ad_id

    await seller.send("/paysupport")
    await seller.wait_message(contains="Помощь с оплатой")
    await seller.send("/terms")
    terms = await seller.wait_message(contains="Условия")
    assert "30 ⭐" in (terms.text or "")
    assert "120 ⭐" in (terms.text or "")


async def test_a_payment_whose_update_was_lost_is_found_at_start_up(
    shop_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    ad_id, _ = await publish(shop_bot, fake, 501, "Gilam 3x4")
    seller = fake.user(501, "Seller501")
    admin = fake.user(ADMIN_A, "Aziz")
    published = await seller.wait_message(contains=f"(#{ad_id})", timeout=10)
    await seller.press("🚀", message=published)
    invoice = await seller.wait_message(predicate=lambda m: "invoice" in m.data)
    payment = await fake.payments.pay(seller, invoice, deliver=False)  # the update is lost
    assert payment.ok
    assert await db.fetchval("SELECT count(*) FROM promotions") == 0

    await shop_bot.restart()
    report = await admin.wait_message(contains=str(payment.charge_id), timeout=15)
    assert "⚠️" in (report.text or "")
    await fake.channel.wait_post("🚀 Тепага кўтарилди", timeout=15)
    await seller.wait_message(contains="🚀 Эълонингиз", timeout=10)
    row = await db.fetchrow("SELECT source, status FROM promotions")
    assert row is not None
    assert (row["source"], row["status"]) == ("reconciled", "running")


async def test_a_new_seller_posts_a_latin_album_whole_and_lifts_it_once_published(
    shop_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    """The whole way a new user goes: a captioned album in Uzbek Latin, the preview (the
    district in their own script), submit, an admin's approval, then 🚀 on "your ad is out"."""
    admin = fake.user(ADMIN_A, "Aziz")
    seller = fake.user(521, "Gulnora", language_code="uz-Latn")
    await seller.send("/start")
    await seller.wait_message()
    caption = (
        "Sotiladi Damas 2015, holati yaxshi, <gaz> & benzin.\n"
        "Narxi: 5 200 $\nQoʻqon shahri\nTel: +998 (91) 234-56-78"
    )
    await seller.send_album(3, caption=caption)
    walk = await walk_to_preview(seller, Lang.UZ_LATN)
    assert walk.asked == expected_questions(caption)
    preview = await fake.wait_call("sendMediaGroup", chat_id=seller.id, ok=True, timeout=5)
    shown = preview.params["media"][0]["caption"]
    assert "Qoʻqon" in shown  # the seller's script, with its apostrophe, not `Qoqon`
    assert "&lt;gaz&gt; &amp; benzin" in shown
    await seller.press("✅ Yuborish")
    await seller.wait_message(contains="adminlarga yuborildi")

    card = await admin.wait_message(contains="Damas", timeout=10)
    await admin.press("✅ Тасдиқлаш", message=card)
    post = await fake.channel.wait_post(contains="Damas", timeout=10)
    assert "Qoʻqon" in post.content
    published = await seller.wait_message(contains="kanalga chiqdi", timeout=10)
    assert published.buttons == [["🚀 Koʻtarish · 30 ⭐", "📌 Qadash · 120 ⭐"]]

    await seller.press("🚀", message=published)
    invoice = await seller.wait_message(predicate=lambda m: "invoice" in m.data)
    payment = await fake.payments.pay(seller, invoice)
    assert payment.ok, payment.error_message
    lifted = await fake.channel.wait_post("🚀 Тепага кўтарилди", timeout=10)
    assert "Damas" in lifted.content
    told = await seller.wait_message(contains="🚀", timeout=10)
    assert "Eʼloningiz" in told.content
    assert await db.fetchval("SELECT count(*) FROM promotions WHERE user_id = 521") == 1

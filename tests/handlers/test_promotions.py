"""Paid promotion with Telegram Stars (issue 21): 🚀 lift and 📌 pin bought end to end against
the fake Bot API, paid once and delivered once, refused at pre-checkout, refunded once, and
the admins' /revenue.

The promotions' schedule (start what is due, end pins, refund) is ticked by the tests
themselves (`tick`), as the worker would: the handler harness runs no schedules."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from PIL import Image

from tests.conftest import ADMIN_A, BOT_USERNAME, bot_env
from tests.fake_telegram import BotMessage, FakeTelegram, Person
from tests.handlers.conftest import NO_PACE, DispatcherBot, harness
from tests.support.buyer_setup import publish_ad, seller
from vodiy_bozor.app import App, open_app
from vodiy_bozor.config import Settings
from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.models import SearchFilters
from vodiy_bozor.services.listings import OwnerAction, RejectReason
from vodiy_bozor.services.promotions import PromoSettings
from vodiy_bozor.text.fold import query_terms

PRICES = {"LIFT_STARS": "50", "PIN_STARS": "200", "LIFTS_PER_HOUR": "2"}


def shop_settings(fake: FakeTelegram, db_url: str, tmp_path: Path) -> Settings:
    return Settings.from_env(bot_env(fake, db_url, tmp_path, BOT_NAME=BOT_USERNAME, **PRICES))


@pytest.fixture
async def shop(fake: FakeTelegram, db_url: str, tmp_path: Path) -> AsyncIterator[DispatcherBot]:
    """The handler harness (tests/handlers/conftest.py) with promotions priced."""
    async with harness(fake, shop_settings(fake, db_url, tmp_path)) as running:
        yield running


async def tick(app: App) -> None:
    """One turn of the promotions' schedule: what the worker does every few seconds."""
    await app.promotions.tick()
    await app.promotions.refund_due_payments(app.worker_bot)


def published_message(owner: Person, ad_id: int) -> BotMessage:
    """The "your ad is out" message (publish_ad waited for it), with its buttons."""
    return next(m for m in owner.messages if f"(#{ad_id})" in (m.text or ""))


async def invoice_for(owner: Person, label: str, ad_id: int) -> BotMessage:
    await owner.press(label, message=published_message(owner, ad_id))
    return await owner.wait_message(predicate=lambda m: "invoice" in m.data)


async def test_a_lift_bought_end_to_end_goes_out_first_and_stands_first_in_search(
    shop: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    lifted = await publish_ad(shop.app, fake, 501, "Samsung телефон A51")
    newer = await publish_ad(shop.app, fake, 502, "Samsung телефон S20")
    # Both shown long ago: the ordinary repost could pick either.
    await db.execute("UPDATE ads SET last_shown_at = now() - interval '1 day'")
    owner = seller(fake, 501)
    published = published_message(owner, lifted)
    assert published.buttons == [["🚀 Кўтариш · 50 ⭐", "📌 Қадаш · 200 ⭐"]]

    invoice = await invoice_for(owner, "🚀", lifted)
    assert invoice.data["invoice"]["currency"] == "XTR"
    assert invoice.data["invoice"]["total_amount"] == 50
    posts_before = len(fake.channel.messages)
    payment = await fake.payments.pay(owner, invoice)
    assert payment.ok, payment.error_message
    assert payment.answered_after is not None
    assert payment.answered_after < 10

    post = await fake.channel.wait_post("Тепага кўтарилди", timeout=10)
    assert "Samsung телефон A51" in (post.caption or "")
    assert len(fake.channel.messages) == posts_before + 1
    told = await owner.wait_message(contains="🚀 Эълонингиз", timeout=10)
    assert f"#{lifted}" in (told.text or "")

    hits = (
        await shop.app.buyers.results(query_terms("samsung"), SearchFilters(), page=0, size=5)
    ).hits
    assert [h.ad_id for h in hits] == [lifted, newer]
    assert [h.lifted for h in hits] == [True, False]
    row = await db.fetchrow("SELECT status, ends_at - started_at AS span FROM promotions")
    assert row is not None
    assert row["status"] == "running"
    assert 23 * 3600 < row["span"].total_seconds() <= 24 * 3600 + 60
    # The ordinary repost leaves the lifted ad alone within its intervals.
    now = await db.fetchval("SELECT now()")
    interval = timedelta(seconds=shop.app.settings.repost_interval)
    candidates = await db_ads.repost_candidates(db, shown_before=now - 2 * interval, exclude=None)
    assert [c.ad_id for c in candidates] == [newer]

    # A second lift of the same ad while the first runs is refused before any invoice.
    before = len(owner.messages)
    await owner.press("🚀", message=published)
    answer = await owner.wait_callback_answer()
    assert "аллақачон тўланган" in answer["text"]
    assert len(owner.messages) == before


async def test_the_payment_update_delivered_twice_pays_one_lift(
    shop: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    ad_id = await publish_ad(shop.app, fake, 501, "Artel muzlatgich")
    owner = seller(fake, 501)
    payment = await fake.payments.pay(owner, await invoice_for(owner, "🚀", ad_id))
    assert payment.ok
    assert payment.update is not None
    await shop.settle()
    fake.payments.redeliver(payment.update)
    await shop.settle()
    await owner.wait_message(contains="🚀 Эълонингиз", timeout=10)
    await tick(shop.app)
    await fake.wait_idle()
    await lifted_once(db, fake, owner)


async def lifted_once(db: asyncpg.Connection[Any], fake: FakeTelegram, owner: Person) -> None:
    """One payment made one lift: one promotion, one channel row, one "lifted" post, and one
    notice to the owner, however often it was delivered."""
    assert await db.fetchval("SELECT count(*) FROM promotions") == 1
    assert await db.fetchval("SELECT count(*) FROM outbox WHERE kind = 'channel_lift'") == 1
    lifts = [m for m in fake.channel.messages if "Тепага кўтарилди" in (m.caption or "")]
    assert len(lifts) == 1
    assert len([m for m in owner.messages if "🚀 Эълонингиз" in (m.text or "")]) == 1


async def test_a_sold_ads_pre_checkout_is_refused_in_the_buyers_language(
    shop: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    ad_id = await publish_ad(shop.app, fake, 501, "Velosiped")
    owner = seller(fake, 501)
    invoice = await invoice_for(owner, "📌", ad_id)
    change = await shop.app.listings.owner_acts(ad_id, 501, OwnerAction.SOLD)
    assert change.applied
    payment = await fake.payments.pay(owner, invoice)
    assert not payment.ok
    assert payment.error_message == "Бу эълонга пуллик хизмат олиб бўлмайди: у сотилган."
    assert await db.fetchval("SELECT count(*) FROM promotions") == 0
    assert fake.payments.balance() == 0


async def test_a_pin_waits_its_turn_is_pinned_then_unpinned_and_the_next_follows(
    shop: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    first = await publish_ad(shop.app, fake, 501, "Uy sotiladi")
    second = await publish_ad(shop.app, fake, 502, "Mashina sotiladi")
    one, two = seller(fake, 501), seller(fake, 502)
    assert (await fake.payments.pay(one, await invoice_for(one, "📌", first))).ok
    pinned = await one.wait_message(contains="📌 Эълонингиз", timeout=10)
    first_post = (await db_ads.first_post(db, first)).message_id  # type: ignore[union-attr]
    assert fake.payments.pinned(fake.channel.id) == [first_post]
    assert f"#{first}" in (pinned.text or "")

    assert (await fake.payments.pay(two, await invoice_for(two, "📌", second))).ok
    queued = await two.wait_message(contains="⏳", timeout=10)
    assert "1 та" in (queued.text or "")
    await tick(shop.app)
    assert fake.payments.pinned(fake.channel.id) == [first_post]  # still one at a time

    # The first pin's 24 hours are over: unpinned, and the second one's turn comes.
    await db.execute("UPDATE promotions SET ends_at = now() WHERE ad_id = $1", first)
    await tick(shop.app)
    await two.wait_message(contains="📌 Эълонингиз", timeout=10)
    second_post = (await db_ads.first_post(db, second)).message_id  # type: ignore[union-attr]
    assert fake.payments.pinned(fake.channel.id) == [second_post]
    unpins = fake.calls_to("unpinChatMessage")
    assert [c.params["message_id"] for c in unpins] == [first_post]
    statuses = await db.fetch("SELECT ad_id, status FROM promotions ORDER BY paid_at")
    assert [(r["ad_id"], r["status"]) for r in statuses] == [(first, "done"), (second, "running")]


async def test_a_waiting_pin_is_refunded_once_after_its_seller_is_banned(
    shop: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    first = await publish_ad(shop.app, fake, 501, "Uy sotiladi")
    second = await publish_ad(shop.app, fake, 502, "Mashina sotiladi")
    one, two = seller(fake, 501), seller(fake, 502)
    assert (await fake.payments.pay(one, await invoice_for(one, "📌", first))).ok
    await one.wait_message(contains="📌 Эълонингиз", timeout=10)
    payment = await fake.payments.pay(two, await invoice_for(two, "📌", second))
    assert payment.ok
    await two.wait_message(contains="⏳", timeout=10)

    assert await shop.app.moderation.ban(502, ADMIN_A, RejectReason.FORBIDDEN, second) == 0
    # The refund's answer is lost on the way: the call is made again, and Telegram's
    # "already refunded" counts as done.
    fake.lose_answers(["refundStarPayment"])
    await tick(shop.app)
    assert await db.fetchval("SELECT status FROM promotions WHERE ad_id = $1", second) == (
        "refund_due"
    )
    await db.execute("UPDATE promotions SET refund_next_at = now() WHERE ad_id = $1", second)
    await tick(shop.app)
    told = await two.wait_message(contains="↩️", timeout=10)
    assert "эълон жойлаш тақиқланган" in (told.text or "")
    assert fake.payments.refunded == {payment.charge_id}
    refunds = fake.calls_to("refundStarPayment")
    assert [c.params["telegram_payment_charge_id"] for c in refunds] == [payment.charge_id] * 2
    assert refunds[1].description == "Bad Request: CHARGE_ALREADY_REFUNDED"
    await tick(shop.app)
    assert len(fake.calls_to("refundStarPayment")) == 2  # nothing refunded again
    assert await db.fetchval("SELECT status FROM promotions WHERE ad_id = $1", second) == (
        "refunded"
    )
    assert len([m for m in two.messages if "↩️" in (m.text or "")]) == 1

    # The first seller banned while their pin runs: unpinned, not refunded (it ran).
    assert fake.payments.pinned(fake.channel.id)
    assert await shop.app.moderation.ban(501, ADMIN_A, RejectReason.FORBIDDEN, first) == 0
    await tick(shop.app)
    await fake.wait_call("unpinChatMessage", ok=True)
    assert fake.payments.pinned(fake.channel.id) == []
    assert fake.payments.refunded == {payment.charge_id}


async def test_revenue_shows_received_refunded_net_by_kind_and_day_with_a_chart(
    shop: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    lifted = await publish_ad(shop.app, fake, 501, "Samsung")
    pinned = await publish_ad(shop.app, fake, 502, "Nexia")
    one, two = seller(fake, 501), seller(fake, 502)
    assert (await fake.payments.pay(one, await invoice_for(one, "🚀", lifted))).ok
    assert (await fake.payments.pay(two, await invoice_for(two, "📌", pinned))).ok
    await two.wait_message(contains="📌 Эълонингиз", timeout=10)
    await db.execute(
        "UPDATE promotions SET status = 'refund_due', refund_reason = 'failed',"
        " refund_next_at = now() WHERE ad_id = $1",
        lifted,
    )
    await tick(shop.app)
    await one.wait_message(contains="↩️", timeout=10)

    admin = fake.user(ADMIN_A, "Aziz", language_code="ru")
    await admin.send("/revenue")
    text = await admin.wait_message(contains="Получено", timeout=10)
    assert "Получено: 250 ⭐ · Возвращено: 50 ⭐ · Чистыми: 200 ⭐" in (text.text or "")
    assert "🚀 Поднятие: 1 шт., 50 ⭐, возвращено 50 ⭐" in (text.text or "")
    assert "📌 Закрепление: 1 шт., 200 ⭐, возвращено 0 ⭐" in (text.text or "")
    chart_call = await fake.wait_call(
        "sendPhoto",
        chat_id=ADMIN_A,
        ok=True,
        predicate=lambda c: isinstance(c.params["photo"], bytes),
    )
    image = Image.open(io.BytesIO(chart_call.params["photo"]))
    assert image.format == "PNG"
    assert image.size == (900, 400)

    stranger = seller(fake, 501)
    await stranger.send("/revenue")
    await shop.settle()
    assert not [m for m in stranger.messages if "Получено" in (m.text or "")]


async def _feed(dp: Any, app: App, fake: FakeTelegram) -> None:
    """Hand every queued update to one instance's dispatcher, as its polling would."""
    for update in fake.take_updates():
        await dp.feed_raw_update(app.bot, update)


async def _pay_through(
    dp: Any, app: App, fake: FakeTelegram, owner: Person, invoice: BotMessage
) -> Any:
    """The person pays; this instance answers the pre-checkout query and is handed the
    payment's update only when the test feeds it."""
    paying = asyncio.create_task(fake.payments.pay(owner, invoice))
    await fake.wait_until(lambda: bool(fake.updates_pending()), what="the pre-checkout query")
    await _feed(dp, app, fake)
    payment = await paying
    assert payment.ok, payment.error_message
    return payment


async def _invoice_from(dp: Any, app: App, fake: FakeTelegram, owner: Person, ad_id: int) -> Any:
    await owner.press("🚀", message=published_message(owner, ad_id))
    await _feed(dp, app, fake)
    return await owner.wait_message(predicate=lambda m: "invoice" in m.data)


async def test_a_restart_between_payment_and_delivery_delivers_once(
    fake: FakeTelegram, db_url: str, tmp_path: Path, db: asyncpg.Connection[Any]
) -> None:
    settings = shop_settings(fake, db_url, tmp_path)
    async with open_app(settings) as app:
        app.outbox_limits = NO_PACE
        stop = asyncio.Event()
        delivery = asyncio.create_task(app.deliver(stop))
        ad_id = await publish_ad(app, fake, 501, "Damas 2015")
        stop.set()
        await delivery  # the outbox is down from here on: the process dies before delivering
        dp = app.dispatcher()
        owner = seller(fake, 501)
        invoice = await _invoice_from(dp, app, fake, owner, ad_id)
        await _pay_through(dp, app, fake, owner, invoice)
        await _feed(dp, app, fake)  # the successful_payment message: recorded, queued
        assert await db.fetchval("SELECT status FROM promotions") == "started"
        assert not [m for m in fake.channel.messages if "Тепага" in (m.caption or "")]

    async with open_app(settings) as app:  # the next process
        app.outbox_limits = NO_PACE
        stop = asyncio.Event()
        delivery = asyncio.create_task(app.deliver(stop))
        try:
            await fake.channel.wait_post("Тепага кўтарилди", timeout=10)
            await owner.wait_message(contains="🚀 Эълонингиз", timeout=10)
        finally:
            stop.set()
            await delivery
    assert await db.fetchval("SELECT status FROM promotions") == "running"
    assert len([m for m in fake.channel.messages if "Тепага" in (m.caption or "")]) == 1


async def test_two_instances_handling_the_same_payment_update_pay_one_promotion(
    fake: FakeTelegram, db_url: str, tmp_path: Path, db: asyncpg.Connection[Any]
) -> None:
    settings = shop_settings(fake, db_url, tmp_path)
    async with open_app(settings) as one, open_app(settings) as two:
        one.outbox_limits = two.outbox_limits = NO_PACE
        stop = asyncio.Event()
        workers = [asyncio.create_task(a.deliver(stop)) for a in (one, two)]
        try:
            ad_id = await publish_ad(one, fake, 501, "Nexia 3")
            dp_one, dp_two = one.dispatcher(), two.dispatcher()
            owner = seller(fake, 501)
            invoice = await _invoice_from(dp_one, one, fake, owner, ad_id)
            payment = await _pay_through(dp_one, one, fake, owner, invoice)
            (update,) = fake.take_updates()
            assert update == payment.update
            await asyncio.gather(
                dp_one.feed_raw_update(one.bot, update), dp_two.feed_raw_update(two.bot, update)
            )
            await asyncio.gather(tick(one), tick(two))
            await owner.wait_message(contains="🚀 Эълонингиз", timeout=10)
            await fake.wait_idle()
        finally:
            stop.set()
            await asyncio.gather(*workers)
    await lifted_once(db, fake, owner)


async def test_a_payment_whose_update_was_lost_is_found_reported_and_delivered(
    shop: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    ad_id = await publish_ad(shop.app, fake, 501, "Matiz")
    owner = seller(fake, 501)
    admin = fake.user(ADMIN_A, "Aziz")
    invoice = await invoice_for(owner, "🚀", ad_id)
    payment = await fake.payments.pay(owner, invoice, deliver=False)
    assert payment.ok
    assert payment.update is None
    await shop.settle()
    assert await db.fetchval("SELECT count(*) FROM promotions") == 0

    assert await shop.app.promotions.reconcile(shop.app.worker_bot) == 1
    report = await admin.wait_message(contains="⚠️", timeout=10)
    assert str(payment.charge_id) in (report.text or "")
    await fake.channel.wait_post("Тепага кўтарилди", timeout=10)
    await owner.wait_message(contains="🚀 Эълонингиз", timeout=10)
    assert await db.fetchval("SELECT source FROM promotions") == "reconciled"
    assert await shop.app.promotions.reconcile(shop.app.worker_bot) == 0  # found once


async def test_a_lift_the_channel_refuses_for_an_hour_is_refunded(
    shop: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    ad_id = await publish_ad(shop.app, fake, 501, "Spark")
    owner = seller(fake, 501)
    fake.channel.can_post_messages = False
    payment = await fake.payments.pay(owner, await invoice_for(owner, "🚀", ad_id))
    assert payment.ok
    refused = await fake.wait_call("sendPhoto", chat_id=fake.channel.id, ok=False, timeout=10)
    # The refusal is recorded (channel_state) in the transaction that tells the admins: wait
    # for that, or the backdating below may find no row yet and be overwritten by it.
    await fake.wait_call(
        "sendMessage",
        chat_id=ADMIN_A,
        since=fake.calls.index(refused),
        predicate=lambda call: "⚠️" in str(call.params.get("text")),
        timeout=10,
    )
    await tick(shop.app)
    assert await db.fetchval("SELECT status FROM promotions") == "started"  # not an hour yet
    backdated = await db.execute(
        "UPDATE channel_state SET refusing_since = now() - interval '61 minutes'"
    )
    assert backdated == "UPDATE 1"
    await tick(shop.app)
    told = await owner.wait_message(contains="↩️", timeout=10)
    assert "бир соатдан бери" in (told.text or "")
    assert fake.payments.refunded == {payment.charge_id}
    assert await db.fetchval("SELECT status FROM outbox WHERE kind = 'channel_lift'") == (
        "cancelled"
    )
    fake.channel.can_post_messages = True
    await tick(shop.app)
    assert not [m for m in fake.channel.messages if "Тепага" in (m.caption or "")]


async def test_a_waiting_lift_of_an_ad_sold_meanwhile_is_refunded(
    shop: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    ads = [await publish_ad(shop.app, fake, 501 + i, f"Telefon {i}") for i in range(3)]
    owners = [seller(fake, 501 + i) for i in range(3)]
    payments = [
        await fake.payments.pay(o, await invoice_for(o, "🚀", a))
        for o, a in zip(owners, ads, strict=True)
    ]
    assert all(p.ok for p in payments)
    queued = await owners[2].wait_message(contains="⏳", timeout=10)  # two lifts an hour
    assert "олдинда 2 та" in (queued.text or "")
    assert (await shop.app.listings.owner_acts(ads[2], 503, OwnerAction.SOLD)).applied
    await tick(shop.app)
    told = await owners[2].wait_message(contains="↩️", timeout=10)
    assert "сотилган" in (told.text or "")
    assert fake.payments.refunded == {payments[2].charge_id}
    lifts = [m for m in fake.channel.messages if "Тепага" in (m.caption or "")]
    assert len(lifts) == 2


async def test_forged_buttons_and_a_changed_price_are_refused_and_nothing_is_taken(
    shop: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    ad_id = await publish_ad(shop.app, fake, 501, "Televizor")
    owner = seller(fake, 501)
    stranger = fake.user(777, "Stranger", language_code="ru")
    await stranger.press_callback(f"promo1:lift:{ad_id}")
    answer = await stranger.wait_callback_answer()
    assert answer["text"] == "Эта кнопка устарела или объявление не ваше."
    await stranger.press_callback("promo1:boost:1")  # no such kind: not a promotion button
    await shop.settle()
    assert not fake.calls_to("sendInvoice")

    invoice = await invoice_for(owner, "🚀", ad_id)
    shop.app.promotions.settings = PromoSettings(lift_stars=60, pin_stars=200)
    payment = await fake.payments.pay(owner, invoice)
    assert not payment.ok
    assert payment.error_message == "Нарх ўзгарган. Тугмани қайта босинг."
    assert fake.payments.balance() == 0
    assert await db.fetchval("SELECT count(*) FROM promotions") == 0


async def test_a_pinned_ad_sold_gives_its_place_to_the_next_pin(
    shop: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    first = await publish_ad(shop.app, fake, 501, "Uy sotiladi")
    second = await publish_ad(shop.app, fake, 502, "Mashina sotiladi")
    one, two = seller(fake, 501), seller(fake, 502)
    assert (await fake.payments.pay(one, await invoice_for(one, "📌", first))).ok
    await one.wait_message(contains="📌 Эълонингиз", timeout=10)
    assert (await fake.payments.pay(two, await invoice_for(two, "📌", second))).ok
    await two.wait_message(contains="⏳", timeout=10)

    assert (await shop.app.listings.owner_acts(first, 501, OwnerAction.SOLD)).applied
    await tick(shop.app)
    await two.wait_message(contains="📌 Эълонингиз", timeout=10)
    second_post = (await db_ads.first_post(db, second)).message_id  # type: ignore[union-attr]
    assert fake.payments.pinned(fake.channel.id) == [second_post]
    assert not fake.calls_to("refundStarPayment")  # the sold pin had run: nothing refunded

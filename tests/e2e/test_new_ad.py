"""The ad dialog end to end, against the fake Bot API and a real database."""

from __future__ import annotations

from typing import Any

import asyncpg
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from tests.conftest import ADMIN_A, TOKEN, RunningBot
from tests.fake_telegram import FakeTelegram, parse_html
from tests.support.quick_post_steps import (
    answer,
    expected_questions,
    is_question,
    step_of,
    walk_to_preview,
)
from tests.support.seller_steps import (
    DESCRIPTION,
    draft,
    reach_photos,
    reach_preview,
    reach_price,
    state_of,
)
from vodiy_bozor.models import Lang


async def test_a_seller_posts_an_album_ad_from_start_to_submit(
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    admin = fake.user(ADMIN_A)  # has pressed Start: the bot may write to them
    seller = fake.user(500, "Bahodir", username="bahodir", language_code="uz")
    await seller.send("/start")
    await seller.wait_message(contains="Ассалому")
    await seller.tap_reply_button("📝 Эълон бериш")
    question = await seller.wait_message(contains="1/7")
    assert question.buttons[-1] == ["❌ Бекор қилиш"]  # Cancel is always the last button
    await seller.press("📱 Телефонлар")
    await seller.wait_message(contains="2/7")

    album = await seller.send_album(3)
    sent_ids = [u["message"]["photo"][-1]["file_id"] for u in album]
    status = await seller.wait_message(contains="расм қабул қилинди")
    await status.wait_content("3 та расм")
    assert len([m for m in seller.messages if "қабул қилинди" in m.content]) == 1

    await seller.press("✅ Тайёр")
    await seller.wait_message(contains="3/7")
    await seller.send(DESCRIPTION)
    await seller.wait_message(contains="4/7")
    await seller.send("12,5 млн")
    region_question = await seller.wait_message(contains="5/7")
    assert "12\u202f500\u202f000 сўм" in region_question.content  # understood and shown back
    await seller.press("Фарғона")
    await seller.wait_message(contains="Туман")
    await seller.send("Марғилон")
    phone_question = await seller.wait_message(contains="6/7")
    keyboard = phone_question.reply_keyboard
    assert keyboard is not None
    assert keyboard["keyboard"][0][0].get("request_contact") is True
    await seller.tap_reply_button("📱 Рақамимни юбориш")  # shares her own contact
    await seller.wait_message(contains="+998 90")

    preview_caption = await fake.wait_call("sendMediaGroup", chat_id=seller.id, timeout=5, ok=True)
    media = preview_caption.params["media"]
    assert [m["media"] for m in media] == sent_ids  # in order, none lost or duplicated
    caption = media[0]["caption"]
    visible, _ = parse_html(caption)
    assert DESCRIPTION in visible  # "<" and "&" shown as typed
    assert "&lt;қутиси&gt; &amp; зарядкаси" in caption
    assert "12\u202f500\u202f000 сўм" in visible
    assert "Фарғона, Марғилон" in visible
    assert "#Телефон #Фарғона" in visible
    await seller.wait_message(contains="7/7")

    await seller.press("✅ Юбориш")
    await seller.wait_message(contains="админларга юборилди")
    ad = await db.fetchrow("SELECT * FROM ads WHERE owner_id = 500")
    assert ad is not None
    assert ad["status"] == "pending"
    assert ad["category"] == "phones"
    assert ad["description"] == DESCRIPTION
    assert (ad["price_amount"], ad["price_currency"]) == (12_500_000, "UZS")
    assert (ad["region"], ad["district"]) == ("fergana", "Марғилон")
    assert ad["phone"] == "+998901234567"  # the shared contact, normalised
    photos = await db.fetch("SELECT * FROM ad_photos WHERE ad_id = $1 ORDER BY position", ad["id"])
    assert [p["file_id"] for p in photos] == sent_ids
    assert all(p["file_unique_id"] for p in photos)
    assert await state_of(db, 500) is None  # the draft is gone once submitted
    # The admins hear about it at once (through the outbox).
    card = await admin.wait_message(contains=f"#{ad['id']}", timeout=5)
    assert card.buttons == [["✅ Тасдиқлаш", "❌ Рад этиш"]]


async def test_photo_limit_and_done_button(
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(503, "Madina")
    await reach_photos(seller)
    first = seller.last_message
    assert "2/7" in first.content
    assert "✅ Тайёр" not in str(first.buttons)  # no Done before the first photo
    await seller.send_album(9)
    status = await seller.wait_message(contains="расм қабул қилинди")
    await status.wait_content("9 та")
    await seller.send_album(3)  # one more fits, two do not
    await seller.wait_message(contains="Кўпи билан 10")
    await fake.wait_idle(timeout=5)
    photos = (await draft(db, 503))["photos"]
    assert len(photos) == 10
    assert [p["m"] for p in photos] == sorted(p["m"] for p in photos)
    await seller.send_photo()  # an 11th on its own
    await seller.wait_message(contains="Кўпи билан 10")
    assert len((await draft(db, 503))["photos"]) == 10


async def test_the_dialog_survives_a_restart(
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(504, "Sardor")
    await reach_price(seller)
    await running_bot.restart()
    await fake.wait_call("getUpdates", timeout=10, since=len(fake.calls))
    await seller.send("500$")
    await seller.wait_message(contains="5/7")
    data = await draft(db, 504)
    assert data["price"] == {"amount": 500, "currency": "USD"}
    assert data["description"] == DESCRIPTION
    assert len(data["photos"]) == 1


async def test_a_double_tap_on_submit_stores_one_ad(
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(510, "Kamola")
    await reach_preview(seller)
    question = seller.last_message
    submit = question.button("✅ Юбориш")["callback_data"]
    await seller.press_callback(submit, message_id=question.message_id)
    await seller.press_callback(submit, message_id=question.message_id)
    await seller.wait_message(contains="админларга юборилди")
    await fake.wait_idle(timeout=5)
    assert await db.fetchval("SELECT count(*) FROM ads WHERE owner_id = 510") == 1


async def test_a_quick_post_survives_a_restart_between_its_questions(
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(511, "Madina")
    caption = "Сотилади Samsung A52, 128 гб, ҳолати зўр.\nНархи: 2,5 млн\nАсака"  # no phone
    expected = expected_questions(caption)
    await seller.send_album(3, caption=caption)
    first = await seller.wait_message(predicate=is_question, timeout=10)
    assert step_of(first) == expected[0]
    before = await draft(db, 511)
    assert len(before["photos"]) == 3

    await running_bot.restart()  # the draft and its step are in PostgreSQL
    await fake.wait_call("getUpdates", timeout=10, since=len(fake.calls))
    await answer(seller, Lang.UZ_CYRL, expected[0])
    walk = await walk_to_preview(seller, Lang.UZ_CYRL)
    assert [expected[0], *walk.asked] == expected
    after = await draft(db, 511)
    assert after["photos"] == before["photos"]
    assert after["phone"] == "+998901234567"
    await seller.press("✅ Юбориш")
    await seller.wait_message(contains="админларга юборилди")
    assert await db.fetchval("SELECT count(*) FROM ads WHERE owner_id = 511") == 1


async def test_a_second_poller_makes_the_bot_read_the_dialog_from_the_database_again(
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    """A polling bot keeps each user's dialog row between their updates (it is the only one
    taking updates). A second process polling the same bot gets Telegram's 409 to the first,
    which then trusts only the database: a step the other process moved is seen."""
    seller = fake.user(511, "Nodira")
    await reach_price(seller)
    other = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(fake.url)))
    try:
        assert await other.get_updates(timeout=0) == []
    finally:
        await other.session.close()
    # The bot's long poll (asked before the other one's) is the one answered 409.
    await fake.wait_call("getUpdates", predicate=lambda call: call.status == 409)
    # The other process handled this seller's update: back to the description.
    await db.execute("UPDATE fsm_states SET state = 'NewAd:description' WHERE user_id = 511")
    await seller.send("Редми 12, қутиси бор")
    await seller.wait_message(contains="4/7")  # read as a description, not as a price
    assert (await draft(db, 511))["description"] == "Редми 12, қутиси бор"

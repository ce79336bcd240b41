"""The ad dialog's handlers, fed updates directly (see conftest.py): every step's answers,
wrong input, refusals, cancel and edit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import pytest

from tests.fake_telegram import FakeTelegram, Person
from tests.handlers.conftest import DispatcherBot
from tests.support.seller_steps import (
    DESCRIPTION,
    draft,
    reach_description,
    reach_phone,
    reach_photos,
    reach_preview,
    reach_price,
    reach_region,
    start_dialog,
    state_of,
)


@pytest.mark.parametrize(
    ("step", "wrong"),
    [
        ("photos", "sticker"),
        ("photos", "voice"),
        ("photos", "document"),
        ("photos", "text"),
        ("description", "sticker"),
        ("description", "photo"),
        ("price", "photo"),
        ("price", "sticker"),
        ("price", "nonsense"),
        ("price", "negative"),
        ("price", "huge"),
        ("region", "text"),
        ("phone", "foreign"),
        ("phone", "letters"),
        ("phone", "sticker"),
        ("phone", "other_contact"),
        ("preview", "text"),
        ("description", "another_flow_command"),
    ],
)
async def test_wrong_input_gets_a_reprompt_and_the_step_stays(
    bot: DispatcherBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    step: str,
    wrong: str,
) -> None:
    seller = fake.user(501, "Dilnoza")
    reach = {
        "photos": reach_photos,
        "description": reach_description,
        "price": reach_price,
        "region": reach_region,
        "phone": reach_phone,
        "preview": reach_preview,
    }[step]
    await reach(seller)
    before_state = await state_of(db, 501)
    before_data = await draft(db, 501)
    actions: dict[str, Callable[[], Awaitable[object]]] = {
        "sticker": seller.send_sticker,
        "voice": seller.send_voice,
        "document": seller.send_document,
        "photo": seller.send_photo,
        "text": lambda: seller.send("salom"),
        "nonsense": lambda: seller.send("abc"),
        "negative": lambda: seller.send("-500$"),
        "huge": lambda: seller.send("999 млрд"),
        "foreign": lambda: seller.send("+7 916 123 45 67"),
        "letters": lambda: seller.send("telefonim yo'q"),
        "other_contact": lambda: seller.send_contact("+998911112233", user_id=777),
        "another_flow_command": lambda: seller.send("/my"),
    }
    await actions[wrong]()
    hints = {
        ("photos", "sticker"): "расм кутяпман",
        ("photos", "voice"): "расм кутяпман",
        ("photos", "document"): "расм кутяпман",
        ("photos", "text"): "расм кутяпман",
        ("description", "sticker"): "матн кутяпман",
        ("description", "photo"): "матн кутяпман",
        ("price", "photo"): "матн кутяпман",
        ("price", "sticker"): "матн кутяпман",
        ("price", "nonsense"): "Нархни тушунмадим",
        ("price", "negative"): "манфий",
        ("price", "huge"): "ҳаддан ташқари катта",
        ("region", "text"): "тугмалардан",
        ("phone", "foreign"): "ўзбек телефон рақамига ўхшамайди",
        ("phone", "letters"): "ўзбек телефон рақамига ўхшамайди",
        ("phone", "sticker"): "Рақамни ёзинг",
        ("phone", "other_contact"): "ўз рақамингизни",
        ("preview", "text"): "тугмалардан",
        ("description", "another_flow_command"): "Аввал бошланган эълонни тугатинг",
    }
    reply = await seller.wait_message(contains=hints[step, wrong])
    if wrong in ("nonsense", "negative", "huge"):
        assert "$" in reply.content  # every price hint carries an example that works
    await bot.settle()
    assert await state_of(db, 501) == before_state
    data = await draft(db, 501)
    assert data.get("photos") == before_data.get("photos")
    assert data.get("price") == before_data.get("price")


async def test_a_15000_character_description_is_refused_with_its_length(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(502, "Jasur")
    await reach_description(seller)
    await seller.send("Ж" * 4096)  # Telegram's message limit; longer text arrives split
    reply = await seller.wait_message(contains="4\xa0096")  # the length, grouped by Fluent
    assert "800" in reply.content
    assert await state_of(db, 502) == "NewAd:description"
    assert "description" not in await draft(db, 502)


@pytest.mark.parametrize(
    ("reach", "answer"),
    [
        (reach_phone, "(" * 4096),  # the quadratic case of the old phone pattern
        (reach_phone, "90 123 45 67 " * 300),
        (reach_price, "1 " * 2048),
        (reach_region, "Фарғона " * 400),
    ],
)
async def test_a_huge_answer_is_refused_before_it_is_parsed(
    bot: DispatcherBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    reach: Callable[[Person], Awaitable[None]],
    answer: str,
) -> None:
    seller = fake.user(503, "Jasur")
    await reach(seller)
    before = await state_of(db, 503)
    await seller.send(answer)
    reply = await seller.wait_message(contains="Жавоб жуда узун")
    assert "200" in reply.content
    await bot.settle()
    assert await state_of(db, 503) == before  # the step stays; nothing was read


async def test_cancel_from_any_step_discards_the_draft(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(505, "Aziza")
    await reach_price(seller)
    await seller.press("❌ Бекор қилиш")
    await seller.wait_message(contains="бекор қилинди")
    assert await state_of(db, 505) is None
    assert await db.fetchval("SELECT count(*) FROM fsm_states WHERE user_id = 505") == 0

    await reach_phone(seller)
    await seller.tap_reply_button("❌ Бекор қилиш")  # the reply keyboard's Cancel
    await seller.wait_message(contains="бекор қилинди")
    assert await state_of(db, 505) is None

    await seller.send("/cancel")
    await seller.wait_message(contains="ҳеч нарса йўқ")


async def test_edit_a_field_from_the_preview(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(506, "Otabek")
    await reach_preview(seller)
    await seller.press("✏️ Ўзгартириш")
    await seller.wait_message(contains="Нимани ўзгартирасиз")
    await seller.press("Нарх")
    await seller.wait_message(contains="4/7")
    await seller.press("🤝 Келишилади")
    await seller.wait_message(contains="7/7")  # straight back to the preview
    preview = [c for c in fake.calls if c.method == "sendPhoto" and c.ok][-1]
    assert "келишилади" in preview.params["caption"]
    assert (await draft(db, 506))["price"] == {"amount": None, "currency": "UZS"}

    # Editing the photos keeps the old ones until a new one arrives.
    await seller.press("✏️ Ўзгартириш")
    await seller.press("Расмлар")
    await seller.wait_message(contains="2/7")
    old = (await draft(db, 506))["photos"]
    await seller.send_album(2)
    await seller.wait_message(contains="қабул қилинди")
    await seller.press("✅ Тайёр")
    await seller.wait_message(contains="7/7")
    new = (await draft(db, 506))["photos"]
    assert len(new) == 2
    assert not {p["uid"] for p in new} & {p["uid"] for p in old}


async def test_typed_answers_in_either_script(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(507, "Shoxrux")
    await start_dialog(seller)
    await seller.send("telefonlar")
    await seller.wait_message(contains="2/7")
    assert (await draft(db, 507))["category"] == "phones"
    await seller.send_photo()
    await seller.wait_message(contains="қабул қилинди")
    await seller.send("tayyor")
    await seller.wait_message(contains="3/7")
    await seller.send(DESCRIPTION)
    await seller.send("kelishiladi")
    await seller.wait_message(contains="5/7")
    await seller.send("Farg'ona")
    await seller.wait_message(contains="Туман")
    assert (await draft(db, 507))["region"] == "fergana"


async def test_the_dialog_speaks_russian_to_a_russian_speaker(
    bot: DispatcherBot, fake: FakeTelegram
) -> None:
    seller = fake.user(508, "Ирина", language_code="ru")
    await seller.send("/new")
    question = await seller.wait_message(contains="Что продаёте")
    assert question.buttons[-1] == ["❌ Отменить"]
    await seller.press("🏠 Недвижимость")
    await seller.wait_message(contains="фотографии")


async def test_at_most_three_pending_ads(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(509, "Umid")
    await seller.send("/start")
    await seller.wait_message(contains="Umid")
    for _ in range(3):
        await db.execute(
            """
            INSERT INTO ads (owner_id, category, description, region, phone)
            VALUES (509, 'other', 'x', 'andijan', '+998901234567')
            """
        )
    await seller.send("/new")
    reply = await seller.wait_message(contains="текширувда")
    assert "3" in reply.content
    assert await state_of(db, 509) is None


async def test_a_bare_decimal_price_is_offered_as_millions_and_the_reading_pressed_is_kept(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(520, "Sardor")
    await reach_price(seller)  # a phone
    await seller.send("12,5")  # 12.5 million so'm, the way it is said
    offer = await seller.wait_message(contains="🤔")
    assert "12,5" in offer.content
    assert [label for row in offer.buttons for label in row] == [
        "✅ 12\u202f500\u202f000 сўм",
        "❌ Бекор қилиш",
    ]
    assert await state_of(db, 520) == "NewAd:price"  # the step stays until one is chosen
    assert "price" not in await draft(db, 520)
    await seller.press("✅ 12\u202f500\u202f000 сўм")
    await seller.wait_message(contains="5/7")
    data = await draft(db, 520)
    assert data["price"] == {"amount": 12_500_000, "currency": "UZS"}
    assert data.get("price_readings") is None  # the offer is gone with the choice
    assert await state_of(db, 520) == "NewAd:region"


async def test_a_bare_small_integer_is_offered_as_thousands_of_som_and_as_dollars(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(521, "Malika")
    await reach_price(seller)
    await seller.send("350")  # $350, or 350 thousand so'm?
    offer = await seller.wait_message(contains="🤔")
    labels = [label for row in offer.buttons for label in row]
    assert labels[:2] == ["✅ 350\u202f000 сўм", "✅ 350 $"]
    await seller.press("✅ 350 $")
    await seller.wait_message(contains="5/7")
    assert (await draft(db, 521))["price"] == {"amount": 350, "currency": "USD"}


async def test_a_forged_reading_button_sets_no_price(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(522, "Bekzod")
    await reach_price(seller)
    # Before anything was offered, and past the one reading offered for `12,5`.
    await seller.press_callback("ad1:price_r1:::")
    assert "эскирган" in (await seller.wait_callback_answer())["text"]
    await seller.send("12,5")
    await seller.wait_message(contains="🤔")
    await seller.press_callback("ad1:price_r2:::")
    assert "эскирган" in (await seller.wait_callback_answer())["text"]
    await bot.settle()
    assert await state_of(db, 522) == "NewAd:price"
    assert "price" not in await draft(db, 522)
    # An index the callback data does not know is refused before any handler.
    await seller.press_callback("ad1:price_r9:::")
    await bot.settle()
    assert await state_of(db, 522) == "NewAd:price"
    assert "price" not in await draft(db, 522)


async def test_a_whole_price_typed_after_the_offer_is_taken(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(523, "Nodira")
    await reach_price(seller)
    await seller.send("350")
    await seller.wait_message(contains="🤔")
    await seller.send("400 000")
    await seller.wait_message(contains="5/7")
    data = await draft(db, 523)
    assert data["price"] == {"amount": 400_000, "currency": "UZS"}
    assert data.get("price_readings") is None
    # The offer's buttons left in the chat mean nothing now.
    await seller.press_callback("ad1:price_r1:::")
    assert "эскирган" in (await seller.wait_callback_answer())["text"]
    assert (await draft(db, 523))["price"] == {"amount": 400_000, "currency": "UZS"}


async def test_a_bare_decimal_for_a_car_is_also_offered_in_thousands_of_dollars(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(524, "Jamshid")
    await start_dialog(seller)
    await seller.press("🚗 Авто")
    await seller.wait_message(contains="2/7")
    await seller.send_photo()
    await seller.wait_message(contains="расм қабул қилинди")
    await seller.press("✅ Тайёр")
    await seller.wait_message(contains="3/7")
    await seller.send("Nexia 3, 2019")
    await seller.wait_message(contains="4/7")
    await seller.send("8,5")
    offer = await seller.wait_message(contains="🤔")
    labels = [label for row in offer.buttons for label in row]
    assert labels[:2] == ["✅ 8\u202f500 $", "✅ 8\u202f500\u202f000 сўм"]
    await seller.press("✅ 8\u202f500 $")
    await seller.wait_message(contains="5/7")
    assert (await draft(db, 524))["price"] == {"amount": 8_500, "currency": "USD"}

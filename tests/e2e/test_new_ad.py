"""The ad dialog end to end, against the fake Bot API and a real database."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import pytest

from tests.conftest import ADMIN_A, RunningBot
from tests.fake_telegram import FakeTelegram, Person, parse_html

DESCRIPTION = "Самсунг A52, 128 GB, <қутиси> & зарядкаси бор. Ҳолати зўр!"


async def state_of(db: asyncpg.Connection[Any], user_id: int) -> str | None:
    value: str | None = await db.fetchval(
        "SELECT state FROM fsm_states WHERE user_id = $1", user_id
    )
    return value


async def draft(db: asyncpg.Connection[Any], user_id: int) -> dict[str, Any]:
    value = await db.fetchval("SELECT data FROM fsm_states WHERE user_id = $1", user_id)
    return dict(value) if value else {}


async def start_dialog(person: Person) -> None:
    await person.send("/new")
    await person.wait_message(contains="1/7")


async def reach_photos(person: Person) -> None:
    await start_dialog(person)
    await person.press("📱 Телефонлар")
    await person.wait_message(contains="2/7")


async def reach_description(person: Person, photos: int = 1) -> None:
    await reach_photos(person)
    if photos == 1:
        await person.send_photo()
    else:
        await person.send_album(photos)
    await person.wait_message(contains="расм қабул қилинди")
    await person.press("✅ Тайёр")
    await person.wait_message(contains="3/7")


async def reach_price(person: Person) -> None:
    await reach_description(person)
    await person.send(DESCRIPTION)
    await person.wait_message(contains="4/7")


async def reach_region(person: Person) -> None:
    await reach_price(person)
    await person.send("12,5 млн")
    await person.wait_message(contains="5/7")


async def reach_phone(person: Person) -> None:
    await reach_region(person)
    await person.press("Фарғона")
    await person.wait_message(contains="Туман")
    await person.press("⏭ Ўтказиб юбориш")
    await person.wait_message(contains="6/7")


async def reach_preview(person: Person) -> None:
    await reach_phone(person)
    await person.send("90 123-45-67")
    await person.wait_message(contains="7/7")


async def test_a_seller_posts_an_album_ad_from_start_to_submit(
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
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
    admin = fake.user(ADMIN_A)
    card = await admin.wait_message(contains=f"#{ad['id']}", timeout=5)
    assert card.buttons == [["✅ Тасдиқлаш", "❌ Рад этиш"]]


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
    running_bot: RunningBot,
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
    await fake.wait_idle(timeout=5)
    assert await state_of(db, 501) == before_state
    data = await draft(db, 501)
    assert data.get("photos") == before_data.get("photos")
    assert data.get("price") == before_data.get("price")


async def test_a_15000_character_description_is_refused_with_its_length(
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(502, "Jasur")
    await reach_description(seller)
    await seller.send("Ж" * 4096)  # Telegram's message limit; longer text arrives split
    reply = await seller.wait_message(contains="4\xa0096")  # the length, grouped by Fluent
    assert "800" in reply.content
    assert await state_of(db, 502) == "NewAd:description"
    assert "description" not in await draft(db, 502)


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


async def test_cancel_from_any_step_discards_the_draft(
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
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
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
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
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
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
    running_bot: RunningBot, fake: FakeTelegram
) -> None:
    seller = fake.user(508, "Ирина", language_code="ru")
    await seller.send("/new")
    question = await seller.wait_message(contains="Что продаёте")
    assert question.buttons[-1] == ["❌ Отменить"]
    await seller.press("🏠 Недвижимость")
    await seller.wait_message(contains="фотографии")


async def test_at_most_three_pending_ads(
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
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

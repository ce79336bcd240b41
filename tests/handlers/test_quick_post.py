"""The quick post: an ad sent whole (a captioned album or photo, a forward, a text) is read
and the dialog asks only what the text did not say, then shows the preview.

What the bot must ask is computed with `read_ad` itself (tests/support/quick_post_steps.py), so
these tests hold for any reader: the fields it leaves empty are asked, in the dialog's order, and
nothing else; the preview holds what it read and what the seller answered."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
from aiogram.fsm.storage.base import StorageKey

from tests.fake_telegram import FakeTelegram, Person
from tests.handlers.conftest import DispatcherBot
from tests.support.quick_post_steps import (
    DESCRIPTION_ANSWER,
    PHONE_ANSWER,
    TEXTS,
    answer,
    expected_questions,
    is_question,
    language_code,
    step_of,
    walk_to_preview,
)
from tests.support.seller_steps import draft, reach_description, reach_photos, state_of
from vodiy_bozor.assistant.reader import AdReading, read_ad
from vodiy_bozor.bot.draft import Draft
from vodiy_bozor.bot.handlers.new_ad import reads_as_an_ad
from vodiy_bozor.models import Category, Currency, Lang, Price, Region
from vodiy_bozor.text.phone import parse_phone

CAPTIONS = {
    Lang.UZ_CYRL: "Сотилади 🔥 Samsung A52 128гб, идеал ҳолатда, қутиси бор.\n"
    "Нархи: 2,5 млн\nАсака\nТел: 90 123 45 67",
    Lang.UZ_LATN: "Sotiladi Redmi Note 12, 8/256, holati a'lo, korobka hujjatlari bor.\n"
    "Narxi: 1,8 mln\nQuvasoy shahrida\nTel: +998 91 234 56 78",
    Lang.RU: "Продаю iPhone 13, 128 ГБ, батарея 87%, без царапин <оригинал> & чехол.\n"
    "Цена: 450$\nНаманган, Чуст\n📞 93 555 44 33",
}
NO_PHONE = (
    "Сотилади Samsung Galaxy S21, 256 гб, ҳолати яхши, ҳеч қаери урилмаган.\nНархи: 3 млн\nМарғилон"
)


def price_json(price: Price) -> dict[str, Any]:
    return {"amount": price.amount, "currency": price.currency.value}


async def check_draft_matches(
    db: asyncpg.Connection[Any], user_id: int, text: str, asked: list[int], lang: Lang
) -> None:
    """Every field is what the text said when the reader read it, else the seller's answer;
    a district read is named in the seller's interface script."""
    reading = read_ad(text)
    data = await draft(db, user_id)
    assert data["category"] == (reading.category or Category.PHONES).value
    if 3 in asked:
        assert data["description"] == DESCRIPTION_ANSWER
    else:
        assert data["description"] == reading.description.strip()
    assert data["price"] == price_json(reading.price or Price(2_500_000, Currency.UZS))
    if reading.region is not None:
        assert data["region"] == reading.region.value
        assert data.get("district") == Draft().filled_from(reading, lang).district
    else:
        assert data["region"] == Region.FERGANA.value
        assert "district" not in data  # skipped
    assert data["phone"] == (reading.phone or parse_phone(PHONE_ANSWER))
    assert data.get("read_price") is None  # taken (checked) at the price step
    assert data.get("quick") is None


@pytest.mark.parametrize("lang", list(Lang))
async def test_a_captioned_album_in_each_writing_is_walked_to_the_preview_and_submitted(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any], lang: Lang
) -> None:
    seller = fake.user(601, "Sevara", language_code=language_code(lang))
    caption = CAPTIONS[lang]
    album = await seller.send_album(3, caption=caption)
    sent = [u["message"]["photo"][-1]["file_id"] for u in album]
    walk = await walk_to_preview(seller, lang)
    assert walk.asked == expected_questions(caption)  # what was not read, in order; no more

    preview = await fake.wait_call("sendMediaGroup", chat_id=seller.id, ok=True, timeout=5)
    assert [m["media"] for m in preview.params["media"]] == sent  # in order, all three
    shown = preview.params["media"][0]["caption"]
    if 3 not in walk.asked:
        assert "&lt;оригинал&gt;" in shown or "<" not in caption  # the seller's text, escaped
    district = {Lang.UZ_CYRL: "Асака", Lang.UZ_LATN: "Quvasoy", Lang.RU: "Чуст"}[lang]
    if read_ad(caption).district is not None:
        assert district in shown  # in the seller's script, not the reader's Latin
    await check_draft_matches(db, seller.id, caption, walk.asked, lang)

    t = TEXTS.bind(lang)
    await seller.press(t("ad-submit-button"))
    await seller.wait_message(contains=t("ad-submitted")[:12])
    assert await db.fetchval("SELECT count(*) FROM ads WHERE owner_id = 601") == 1
    assert await state_of(db, 601) is None


async def test_a_caption_without_a_phone_gets_the_phone_asked_and_nothing_it_said(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(602, "Bobur")
    await seller.send_photo(caption=NO_PHONE)  # one photo: not an album
    walk = await walk_to_preview(seller, Lang.UZ_CYRL)
    assert walk.asked == expected_questions(NO_PHONE)
    assert walk.asked[-1] == 6  # the phone, which the caption lacks, is asked last
    await check_draft_matches(db, 602, NO_PHONE, walk.asked, Lang.UZ_CYRL)
    preview = await fake.wait_call("sendPhoto", chat_id=602, ok=True, timeout=5)
    assert "+998 90 123 45 67" in preview.params["caption"]


async def test_a_forwarded_own_album_is_read_and_someone_elses_is_refused_once(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(603, "Dilshod")
    caption = CAPTIONS[Lang.UZ_CYRL]
    await seller.send_album(2, caption=caption, forward_origin=seller.origin())
    walk = await walk_to_preview(seller, Lang.UZ_CYRL)
    assert walk.asked == expected_questions(caption)
    await check_draft_matches(db, 603, caption, walk.asked, Lang.UZ_CYRL)
    await seller.send("/cancel")
    await seller.wait_message(contains="бекор қилинди")

    stranger = fake.user(604, "Begona")
    await seller.send_album(3, caption=caption, forward_origin=stranger.origin())
    await seller.wait_message(contains="бошқа одамники")
    await bot.settle()
    assert len([m for m in seller.messages if "бошқа одамники" in m.content]) == 1
    assert await state_of(db, 603) is None
    assert await draft(db, 603) == {}


async def test_a_text_only_ad_gets_the_photo_question_and_a_greeting_does_not(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(605, "Nigora")
    await seller.send("салом")
    await seller.wait_message(contains="Тушунмадим")

    text = (
        "Сотилади Samsung Galaxy A34, 128 гб, ҳолати зўр, қутиси ва зарядкаси бор. "
        "Нархи 2 млн. Фарғона, Марғилон. Тел 90 123 45 67"
    )
    await seller.send(text)
    if not reads_as_an_ad(read_ad(text)):  # a reader that finds neither price nor phone
        await seller.wait_message(contains="Тушунмадим")
        assert await state_of(db, 605) is None
        return
    expected = expected_questions(text)
    question = await seller.wait_message(predicate=is_question)
    if step_of(question) == 1:
        assert expected[0] == 1
        await answer(seller, Lang.UZ_CYRL, 1)
        question = await seller.wait_message(predicate=is_question)
    assert step_of(question) == 2  # the photo question
    await seller.send_album(2)
    await seller.wait_message(contains="2 та расм")
    await seller.press("✅ Тайёр")
    walk = await walk_to_preview(seller, Lang.UZ_CYRL)
    assert walk.asked == [s for s in expected if s != 1]
    await check_draft_matches(db, 605, text, [1, *walk.asked], Lang.UZ_CYRL)


def test_a_text_reads_as_an_ad_with_a_price_or_phone_and_words_besides() -> None:
    words = "Samsung A52 ҳолати зўр қутиси бор"
    assert reads_as_an_ad(AdReading(phone="+998901234567", description=words))
    assert reads_as_an_ad(AdReading(price=Price(500, Currency.USD), description=words))
    assert reads_as_an_ad(AdReading(price=Price.negotiable_price(), description=words))
    assert not reads_as_an_ad(AdReading(description="салом"))
    assert not reads_as_an_ad(AdReading(description=words))  # words alone: a message
    assert not reads_as_an_ad(AdReading(phone="+998901234567", description="мана рақам"))
    assert not reads_as_an_ad(AdReading(price=Price(5, Currency.USD), description="12 34"))


async def test_an_album_is_answered_once_in_and_outside_the_dialog(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(606, "Aziz")
    album = await seller.send_album(3)  # no caption, from the main menu
    question = await seller.wait_message(contains="1/7")
    assert "3 та расм" in question.content
    await bot.settle()
    assert seller.messages[-1].message_id == question.message_id  # the one answer
    assert await state_of(db, 606) == "NewAd:category"
    kept = [p["id"] for p in (await draft(db, 606))["photos"]]
    assert kept == [u["message"]["photo"][-1]["file_id"] for u in album]
    await seller.press("📱 Телефонлар")
    await seller.wait_message(contains="3/7")  # the photos are answered: the description

    other = fake.user(607, "Komil")
    await reach_description(other)
    before = len(other.messages)
    await other.send_album(4)  # no photos at the description step
    await other.wait_message(contains="матн кутяпман")
    await bot.settle()
    assert len(other.messages) == before + 1
    assert await state_of(db, 607) == "NewAd:description"


async def test_a_caption_too_long_asks_the_description_with_its_length_and_keeps_the_rest(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(608, "Lola")
    caption = "Сотилади уй жиҳозлари, ҳаммаси ишлайди. " + "Ҳолати зўр, янгидек. " * 44
    assert 800 < len(caption) <= 1024  # a caption Telegram accepts, a description too long
    length = len(read_ad(caption).description.strip())
    await seller.send_photo(caption=caption)
    walk = await walk_to_preview(seller, Lang.UZ_CYRL)
    assert walk.asked == expected_questions(caption)
    asked = walk.questions[walk.asked.index(3)]
    assert "Тавсиф жуда узун" in asked.content
    assert length < 1000  # shown without a thousands separator
    assert str(length) in asked.content
    await check_draft_matches(db, 608, caption, walk.asked, Lang.UZ_CYRL)


async def test_the_limits_and_bans_refuse_an_ad_sent_whole_once(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(609, "Umid")
    await seller.send("/start")
    await seller.wait_message(contains="Umid")
    for _ in range(3):
        await db.execute(
            """
            INSERT INTO ads (owner_id, category, description, region, phone)
            VALUES (609, 'other', 'x', 'andijan', '+998901234567')
            """
        )
    await seller.send_album(3, caption=CAPTIONS[Lang.UZ_CYRL])
    await seller.wait_message(contains="текширувда")
    await bot.settle()
    assert len([m for m in seller.messages if "текширувда" in m.content]) == 1
    assert await state_of(db, 609) is None

    banned = fake.user(610, "Spam")
    await db.execute("INSERT INTO bans (user_id, reason, banned_by) VALUES (610, 'forbidden', 1)")
    await banned.send_photo(caption=NO_PHONE)
    refused = await banned.wait_message(contains="эълон бера олмайсиз")
    assert "тақиқланган" in refused.content
    await bot.settle()
    assert await state_of(db, 610) is None


async def test_a_price_read_before_the_category_gets_the_price_check_once_it_is_known(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    await db.execute("INSERT INTO users (id, first_name) VALUES (7000, 'Old')")
    await db.execute(
        """
        INSERT INTO ads (owner_id, status, category, description, price_amount, price_currency,
                         region, phone, published_at, decided_at)
        SELECT 7000, 'published', 'phones', 'item ' || g, 3000000 + g * 1000, 'UZS', 'fergana',
               '+998901112233', now() - make_interval(days => g), now() - make_interval(days => g)
          FROM generate_series(1, 25) g
        """
    )
    seller = fake.user(611, "Shahlo")
    await seller.send_photo()  # no caption: the dialog starts with the photo
    await seller.wait_message(contains="1/7")
    # What a caption's reading leaves when it has no category: the price waits for its check
    # (written through the bot's storage, which a polling bot trusts to see every change).
    await bot.dp.storage.update_data(
        StorageKey(bot.app.bot.id, 611, 611),
        {"description": "Redmi 12", "read_price": {"amount": 3000, "currency": "UZS"}},
    )
    await seller.send("Телефонлар")  # the category, typed
    ask = await seller.wait_message(contains="🤔")
    assert "3\u202f000\u202f000" in ask.content  # the amount probably meant
    await seller.press("✅ 3\u202f000\u202f000 сўм")
    await seller.wait_message(contains="5/7")
    data = await draft(db, 611)
    assert data["price"] == {"amount": 3_000_000, "currency": "UZS"}
    assert data.get("read_price") is None


async def test_a_caption_at_the_photo_step_fills_only_what_is_not_answered(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(612, "Jamshid")
    await reach_photos(seller)  # the category is answered: phones
    since = len(seller.messages)
    caption = "Сотилади Artel музлаткич, 2 йил ишлатилган.\nНархи 3 млн\nТел 90 777 66 55"
    await seller.send_album(2, caption=caption)
    walk = await walk_to_preview(seller, Lang.UZ_CYRL)
    assert walk.asked == [s for s in expected_questions(caption) if s != 1]
    assert (await draft(db, 612))["category"] == "phones"  # the seller's answer stays
    # The album moved the dialog on: no photo counter waiting for "Done".
    assert not [m for m in seller.messages[since:] if "Яна юборинг" in m.content]


async def test_photos_at_the_first_step_are_kept_and_the_category_asked_again(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller: Person = fake.user(613, "Oysha")
    await seller.send("/new")
    await seller.wait_message(contains="1/7")
    await seller.send_album(2)
    again = await seller.wait_message(contains="1/7")
    assert "2 та расм" in again.content
    await seller.send_photo()
    again = await seller.wait_message(contains="1/7")
    assert "3 та расм" in again.content
    await seller.press("📱 Телефонлар")
    await seller.wait_message(contains="3/7")
    assert len((await draft(db, 613))["photos"]) == 3


async def test_photos_over_ten_at_the_first_step_are_refused_once_and_the_ten_kept(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(614, "Zafar")
    await seller.send_album(10)
    first = await seller.wait_message(contains="1/7")
    assert "10 та расм" in first.content
    await seller.send_album(2)  # two more: over the limit
    again = await seller.wait_message(contains="1/7")
    assert "Кўпи билан 10" in again.content
    await bot.settle()
    assert seller.messages[-1].message_id == again.message_id  # one answer to the album
    data = await draft(db, 614)
    assert len(data["photos"]) == 10
    assert data.get("limit_group") is None  # said once; nothing left to say again


async def test_someone_elses_forwarded_caption_is_not_read_inside_the_dialog(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(615, "Ravshan")
    stranger = fake.user(616, "Begona")
    await reach_photos(seller)
    await seller.send_album(2, caption=NO_PHONE, forward_origin=stranger.origin())
    counter = await seller.wait_message(contains="қабул қилинди")
    assert "Яна юборинг" in counter.content  # plain photos: the step waits for "Done"
    data = await draft(db, 615)
    assert len(data["photos"]) == 2
    assert not data.get("description")
    assert not data.get("read_price")
    assert await state_of(db, 615) == "NewAd:photos"


async def test_the_same_ad_sent_whole_again_gets_the_offer_to_renew_the_live_one(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(617, "Kamol")
    caption = CAPTIONS[Lang.UZ_CYRL]
    await seller.send_album(2, caption=caption)
    await walk_to_preview(seller, Lang.UZ_CYRL)
    await seller.press("✅ Юбориш")
    await seller.wait_message(contains="админларга юборилди")
    first = await db.fetchval("SELECT id FROM ads WHERE owner_id = 617")
    await db.execute(
        "UPDATE ads SET status = 'published', published_at = now() WHERE id = $1", first
    )
    await seller.send_album(2, caption=caption)  # the same ad, sent whole again
    await walk_to_preview(seller, Lang.UZ_CYRL)
    offer = next(m for m in seller.messages if f"#{first}" in m.content)  # under the preview
    await seller.press(f"🔄 #{first} ни янгилаш", message=offer)
    await seller.wait_message(contains="янгиланди")
    assert await db.fetchval("SELECT count(*) FROM ads WHERE owner_id = 617") == 1


@pytest.mark.parametrize("videos", [(2,), (0,)], ids=["video-last", "video-first"])
async def test_an_album_of_photos_and_a_video_is_read_and_its_photos_kept(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any], videos: tuple[int]
) -> None:
    """Telegram lets an album mix photos and videos. The channel takes photos only: the
    photos are kept, the caption read (on whichever item), and the dialog asks only what
    the caption did not say, once for the album."""
    seller = fake.user(610, "Jasur")
    caption = CAPTIONS[Lang.UZ_CYRL]
    await seller.send_album(3, caption=caption, videos=videos)
    walk = await walk_to_preview(seller, Lang.UZ_CYRL)
    assert walk.asked == expected_questions(caption)  # nothing it said is asked again
    await check_draft_matches(db, 610, caption, walk.asked, Lang.UZ_CYRL)
    assert len((await draft(db, 610))["photos"]) == 2
    answers = [m for m in seller.messages if not m.photo and (m.text or "").strip()]
    assert len([m for m in answers if "Тушунмадим" in (m.text or "")]) == 0

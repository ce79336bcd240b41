"""Buyers search in the bot: 🔎 and /search in every script, filters as buttons, paging by
editing one message, nothing found, hostile input. Fed to the dispatcher directly (see
conftest.py); the ads are published through the outbox as in production."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from tests.fake_telegram import BotMessage, FakeTelegram, Person
from tests.handlers.conftest import DispatcherBot
from tests.support.buyer_setup import publish_ad
from tests.support.seller_steps import reach_photos
from vodiy_bozor.bot.handlers.search import age
from vodiy_bozor.models import Category, Currency, Lang, Price, Region
from vodiy_bozor.services.listings import OwnerAction
from vodiy_bozor.texts import load_texts

# Amounts are grouped by thin no-break spaces (\u202f), as text.price.format_amount writes them.


def labels(message: BotMessage) -> list[str]:
    return [label for row in message.buttons for label in row]


async def results_of(buyer: Person, words: str, contains: str = "") -> BotMessage:
    await buyer.send(f"/search {words}")
    return await buyer.wait_message(contains=contains or None)


async def test_search_finds_across_scripts_russian_forms_and_a_typo(
    bot: DispatcherBot, fake: FakeTelegram
) -> None:
    phone = await publish_ad(
        bot.app, fake, 501, "Samsung Galaxy A52 телефон, яхши ҳолатда", district="Асака"
    )
    fridge = await publish_ad(
        bot.app, fake, 502, "Artel muzlatgich, 2 kamerali", category=Category.APPLIANCES
    )
    buyer = fake.user(600, "Buyer", language_code="uz")
    found = await results_of(buyer, "telefon")
    assert "Samsung Galaxy A52" in found.content
    assert "Artel" not in found.content
    assert "2\u202f500\u202f000 сўм" in found.content
    assert "Андижон, Асака" in found.content
    assert "ҳозиргина" in found.content
    # The summary links to the newest channel post.
    links = [e["url"] for e in found.entities if e["type"] == "text_link"]
    assert links
    assert links[0].startswith("https://t.me/vodiy_test/")

    for words, ad_id in (
        ("муздлатгич", fridge),  # Cyrillic with an extra letter finds the Latin ad
        ("MUZLATGICH", fridge),
        ("телефоны", phone),  # a Russian plural
        ("samsng", phone),  # a typo
        ("galaxy телефон", phone),  # two words, two scripts
    ):
        found = await results_of(buyer, words)
        assert ("Samsung" in found.content) is (ad_id == phone), words
        assert ("Artel" in found.content) is (ad_id == fridge), words

    russian = fake.user(601, "Покупатель", language_code="ru")
    found = await results_of(russian, "телефонов")
    assert "Samsung" in found.content
    assert "Андижан" in found.content
    assert "только что" in found.content


async def test_menu_button_asks_for_words_and_results_page_by_editing(
    bot: DispatcherBot, fake: FakeTelegram
) -> None:
    ids = [await publish_ad(bot.app, fake, 510 + i, f"Телефон номер{i} сотилади") for i in range(7)]
    buyer = fake.user(600, "Buyer")
    await buyer.send("/start")
    await buyer.wait_message(contains="Buyer")
    await buyer.tap_reply_button("🔎 Қидириш")
    await buyer.wait_message(contains="Нима қидиряпсиз")
    await buyer.send("телефон")
    page = await buyer.wait_message(contains="1-саҳифа")
    # Newest first: the last published is the first result; five a page.
    assert "номер6" in page.content.split("\n\n")[1]
    assert [f"номер{i}" in page.content for i in range(7)] == [False] * 2 + [True] * 5
    assert page.buttons[0] == ["1", "▶"]
    await buyer.press("▶", message=page)
    await page.wait_content("2-саҳифа")
    assert "номер1" in page.content
    assert "номер0" in page.content
    assert "номер6" not in page.content
    assert page.buttons[0] == ["◀", "2"]
    assert len(buyer.messages) == 3  # greeting, question, results: edited, never resent
    await buyer.press("◀", message=page)
    await page.wait_content("1-саҳифа")
    assert len(ids) == 7


async def test_filters_narrow_and_each_is_removable(bot: DispatcherBot, fake: FakeTelegram) -> None:
    await publish_ad(
        bot.app,
        fake,
        520,
        "Телефон Redmi арзон",
        region=Region.FERGANA,
        price=Price(1_500_000, Currency.UZS),
    )
    await publish_ad(
        bot.app,
        fake,
        521,
        "Телефон iPhone 13",
        region=Region.NAMANGAN,
        price=Price(6_000_000, Currency.UZS),
    )
    await publish_ad(
        bot.app,
        fake,
        522,
        "Телефон учун чехол",
        category=Category.OTHER,
        price=Price(50_000, Currency.UZS),
    )
    buyer = fake.user(600, "Buyer")
    page = await results_of(buyer, "телефон", "1-саҳифа")
    assert all(name in page.content for name in ("Redmi", "iPhone", "чехол"))

    await buyer.press("📂 Тоифа", message=page)
    await page.wait_content("Тоифани танланг")
    await buyer.press("📱 Телефонлар", message=page)
    await page.wait_content("1-саҳифа")
    assert "чехол" not in page.content
    assert "Redmi" in page.content
    assert "✖ 📱 Телефонлар" in labels(page)

    await buyer.press("📍 Ҳудуд", message=page)
    await page.wait_content("Ҳудудни танланг")
    await buyer.press("Наманган", message=page)
    await page.wait_content("iPhone")
    assert "Redmi" not in page.content

    await buyer.press("✖ Наманган", message=page)
    await page.wait_content("Redmi")
    await buyer.press("💰 Нарх", message=page)
    await buyer.wait_message(contains="Нарх оралиғини")
    await buyer.send("1-3 млн")
    narrowed = await buyer.wait_message(contains="Redmi")
    assert "iPhone" not in narrowed.content
    assert "✖ 1\u202f000\u202f000 сўм – 3\u202f000\u202f000 сўм" in labels(narrowed)

    await buyer.press("✖ 1\u202f000\u202f000 сўм – 3\u202f000\u202f000 сўм", message=narrowed)
    await narrowed.wait_content("iPhone")
    # The old results message belongs to the same search: its buttons still work.
    await buyer.press("✖ 📱 Телефонлар", message=narrowed)
    await narrowed.wait_content("чехол")


async def test_upside_down_price_offers_the_swapped_range(
    bot: DispatcherBot, fake: FakeTelegram
) -> None:
    await publish_ad(bot.app, fake, 530, "Телефон Honor", price=Price(2_000_000, Currency.UZS))
    buyer = fake.user(600, "Buyer", language_code="ru")
    page = await results_of(buyer, "телефон", "Honor")
    await buyer.press("💰 Цена", message=page)
    await buyer.wait_message(contains="диапазон")
    await buyer.send("5-1 млн")
    offer = await buyer.wait_message(contains="Меньшая цена")
    assert offer.buttons == [["✅ 1\u202f000\u202f000 сум – 5\u202f000\u202f000 сум"]]
    await buyer.send("сколько?")
    await buyer.wait_message(contains="Не понял цену")
    await buyer.press("✅ 1\u202f000\u202f000 сум – 5\u202f000\u202f000 сум", message=offer)
    swapped = await buyer.wait_message(contains="Honor")
    assert "✖ 1\u202f000\u202f000 сум – 5\u202f000\u202f000 сум" in labels(swapped)
    # Once the price is taken, typed text is words again, searched within the price.
    await buyer.send("honor")
    again = await buyer.wait_message(contains="Honor")
    assert "✖ 1\u202f000\u202f000 сум – 5\u202f000\u202f000 сум" in labels(again)


async def test_nothing_found_says_so_and_offers_to_drop_a_filter_or_save(
    bot: DispatcherBot, fake: FakeTelegram
) -> None:
    await publish_ad(bot.app, fake, 540, "Велосипед Stels", category=Category.SPORTS)
    buyer = fake.user(600, "Buyer")
    page = await results_of(buyer, "велосипед", "Stels")
    await buyer.press("📂 Тоифа", message=page)
    await page.wait_content("Тоифани танланг")
    await buyer.press("📱 Телефонлар", message=page)
    await page.wait_content("эълон йўқ")
    assert "Филтрни олиб ташлаб" in page.content
    assert "🔔" in page.content
    assert "✖ 📱 Телефонлар" in labels(page)
    assert "🔔 Сақлаш" in labels(page)
    await buyer.press("✖ 📱 Телефонлар", message=page)
    await page.wait_content("Stels")

    nothing = await results_of(buyer, "трактор", "эълон йўқ")
    assert "Филтрни" not in nothing.content
    assert "🔔 Сақлаш" in labels(nothing)


@pytest.mark.parametrize("query", ["🙂🙂🙂", "% _ \\ ' ( ) *", "  ", "!!!"])
async def test_a_query_without_words_is_answered(
    bot: DispatcherBot, fake: FakeTelegram, query: str
) -> None:
    buyer = fake.user(600, "Buyer")
    await buyer.send("/search")
    await buyer.wait_message(contains="Нима қидиряпсиз")
    await buyer.send(query)
    await buyer.wait_message(contains="қидириладиган сўз йўқ")
    await buyer.send(f"/search {query}")
    if query.strip():
        await buyer.wait_message(contains="қидириладиган сўз йўқ")
    else:  # `/search` and blanks: the question again
        await buyer.wait_message(contains="Нима қидиряпсиз")


async def test_hostile_input_gets_clear_answers(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    buyer = fake.user(600, "Buyer")
    await buyer.send("/search " + "телефон " * 700)  # 5,600 characters
    await buyer.wait_message(contains="жуда узун")
    await buyer.send("/search")
    await buyer.wait_message(contains="Нима қидиряпсиз")
    await buyer.send("x" * 4096)
    await buyer.wait_message(contains="жуда узун")
    await buyer.send("% _ \\ ' ( ) *")
    await buyer.wait_message(contains="қидириладиган сўз йўқ")
    await buyer.send("<b>телефон</b> & 'samsung'")
    shown = await buyer.wait_message(contains="эълон йўқ")
    assert "<b>телефон</b> &amp;" not in shown.content  # escaped, shown as typed
    assert "<b>телефон</b> & 'samsung'" in shown.content

    # A forged or mangled button: answered, nothing breaks.
    await buyer.press_callback("find1:sc:999:0:nonsense")
    assert "эскирган" in (await buyer.wait_callback_answer())["text"]
    version = int(shown.callback_data[0].split(":")[2])
    await buyer.press_callback(f"find1:sc:{version}:0:nonsense", message_id=shown.message_id)
    assert "эскирган" in (await buyer.wait_callback_answer())["text"]


async def test_a_forged_page_is_refused_before_any_search(
    bot: DispatcherBot, fake: FakeTelegram
) -> None:
    await publish_ad(bot.app, fake, 540, "Телефон Nokia")
    buyer = fake.user(600, "Buyer")
    shown = await results_of(buyer, "телефон", "1-саҳифа")
    version = int(shown.callback_data[0].split(":")[2])
    for page in ("1000000000000000000", str(2**62), "201", "-1", "1e3", "٣"):
        await buyer.press_callback(f"find1:p:{version}:{page}:", message_id=shown.message_id)
        answer = await buyer.wait_callback_answer()
        assert "эскирган" in answer["text"], page
    assert "1-саҳифа" in shown.content  # the results were never touched
    # The deepest page that exists is a page (empty here, so back to the first).
    await buyer.press_callback(f"find1:p:{version}:200:", message_id=shown.message_id)
    assert "биринчи саҳифа" in (await buyer.wait_callback_answer())["text"]


async def test_a_stale_page_after_ads_sold_goes_back_to_the_first(
    bot: DispatcherBot, fake: FakeTelegram
) -> None:
    ids = [await publish_ad(bot.app, fake, 550 + i, f"Телефон модел{i}") for i in range(6)]
    buyer = fake.user(600, "Buyer")
    page = await results_of(buyer, "телефон", "1-саҳифа")
    assert "модел0" not in page.content  # the oldest is on page 2
    # The oldest ad sells: page 2 is empty now, and ▶ is stale.
    assert (await bot.app.listings.owner_acts(ids[0], 550, OwnerAction.SOLD)).applied
    await buyer.press("▶", message=page)
    answer = await buyer.wait_callback_answer()
    assert "биринчи саҳифа" in answer["text"]
    # Five left: one page, so no ▶ any more.
    await fake.wait_until(lambda: "▶" not in labels(page), what="the page without ▶")
    assert "1-саҳифа" in page.content
    assert "модел5" in page.content

    # An older search's buttons after a new search: outdated, never acting on the new words.
    await results_of(buyer, "модел0", "эълон йўқ")  # sold: gone from results at once
    await buyer.press("📂 Тоифа", message=page)
    assert "эскирган" in (await buyer.wait_callback_answer())["text"]


def test_age_reads_naturally_in_every_language() -> None:
    texts = load_texts()
    now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    two_days = now - timedelta(days=2, hours=3)
    assert age(texts.bind(Lang.UZ_CYRL), two_days, now) == "2 кун олдин"
    assert age(texts.bind(Lang.UZ_LATN), two_days, now) == "2 kun oldin"
    assert age(texts.bind(Lang.RU), two_days, now) == "2 дня назад"
    assert age(texts.bind(Lang.RU), now - timedelta(days=5), now) == "5 дней назад"
    assert age(texts.bind(Lang.RU), now - timedelta(days=21), now) == "21 день назад"
    assert age(texts.bind(Lang.RU), now - timedelta(minutes=3), now) == "3 минуты назад"
    assert age(texts.bind(Lang.UZ_CYRL), now - timedelta(hours=5), now) == "5 соат олдин"
    assert age(texts.bind(Lang.UZ_LATN), now - timedelta(seconds=20), now) == "hozirgina"


async def test_a_seller_in_the_ad_dialog_is_kept_in_it(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    await publish_ad(bot.app, fake, 560, "Телефон Nokia")
    seller = fake.user(600, "Seller")
    await reach_photos(seller)
    await seller.send("🔎 Қидириш")
    answer = await seller.wait_message()
    assert "2/7" in answer.content  # the dialog's question again, not the search's
    await seller.send("/search nokia")
    await seller.wait_message(contains="2/7")
    assert (
        await db.fetchval(
            "SELECT state FROM fsm_states WHERE user_id = 600 AND destiny = 'default'"
        )
        == "NewAd:photos"
    )
    await seller.send("/cancel")
    await seller.wait_message(contains="бекор")
    page = await results_of(seller, "nokia", "Nokia")
    assert "1-саҳифа" in page.content

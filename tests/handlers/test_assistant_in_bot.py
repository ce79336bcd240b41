"""The assistant as admins and sellers meet it: hint lines on the cards (and none on a clean
ad), the price check at the price step, the category button, bans, and renewing an own ad
instead of posting it twice."""

from __future__ import annotations

from typing import Any

import asyncpg

from tests.fake_telegram import FakeTelegram, Person
from tests.handlers.conftest import DispatcherBot
from tests.support.moderation_setup import admins, submit_ad
from tests.support.seller_steps import reach_preview, reach_price

__all__ = ["admins"]  # a fixture

HINTS = ("⚠️", "💰", "🤖", "📂")


def hint_lines(card: Any) -> list[str]:
    """The assistant's lines: each begins with its mark (the caption's "💰 Нархи" does not
    count: it is the price line of every ad)."""
    return [
        line
        for line in card.content.splitlines()
        if line.startswith(HINTS) and not line.startswith("💰 Нархи")
    ]


async def card_of(admin: Person, fake: FakeTelegram, ad_id: int) -> Any:
    def find() -> Any:
        return next((m for m in admin.messages if f"#{ad_id}" in m.content), None)

    await fake.wait_until(find, timeout=5, what=f"the card of #{ad_id}")
    return find()


async def test_a_clean_ad_has_no_hint_and_a_copy_by_another_account_is_flagged(
    bot: DispatcherBot, fake: FakeTelegram, admins: tuple[Any, Any]
) -> None:
    admin_a, _ = admins
    text = "Дазмол Philips 2200, янги, кафолати бор"
    first = await submit_ad(bot.app, fake, 801, description=text)
    card = await card_of(admin_a, fake, first)
    assert hint_lines(card) == [], card.content

    copy = await submit_ad(bot.app, fake, 802, description=text)
    card = await card_of(admin_a, fake, copy)
    line = next(x for x in hint_lines(card) if x.startswith("⚠️"))
    assert f"#{first}" in line
    assert "100%" in line or "телефон" in line


async def test_prepayment_wording_is_flagged_for_the_admins_not_refused(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any], admins: tuple[Any, Any]
) -> None:
    admin_a, _ = admins
    ad_id = await submit_ad(
        bot.app,
        fake,
        803,
        description="iPhone 15 Pro arzon! Oldindan toʻlov kartaga 8600 1234 5678 9012, "
        "keyin pochta orqali yuboraman. Yozing @arzon_iphone",
    )
    card = await card_of(admin_a, fake, ad_id)
    assert any(line.startswith("🤖") for line in hint_lines(card)), card.content
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "pending"


async def seed_published_prices(db: asyncpg.Connection[Any], category: str, amount: int) -> None:
    await db.execute(
        "INSERT INTO users (id, first_name) VALUES (7000, 'Old') ON CONFLICT DO NOTHING"
    )
    await db.execute(
        """
        INSERT INTO ads (owner_id, status, category, description, price_amount, price_currency,
                         region, phone, published_at, decided_at)
        SELECT 7000, 'published', $1, 'item ' || g, $2 + g * 1000, 'UZS', 'fergana',
               '+998901112233', now() - make_interval(days => g), now() - make_interval(days => g)
          FROM generate_series(1, 25) g
        """,
        category,
        amount,
    )


async def test_a_price_far_off_is_asked_again_with_the_amount_probably_meant(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any], admins: tuple[Any, Any]
) -> None:
    await seed_published_prices(db, "phones", 3_000_000)
    seller = fake.user(804, "Shahlo")
    await reach_price(seller)  # a phone
    await seller.send("3 000")  # "минг" forgotten
    ask = await seller.wait_message(contains="🤔")
    assert "3\u202f000\u202f000" in ask.content  # the amount probably meant
    await seller.press("✅ 3\u202f000\u202f000 сўм")
    await seller.wait_message(contains="5/7")
    assert (
        await db.fetchval("SELECT data -> 'price' ->> 'amount' FROM fsm_states WHERE user_id = 804")
        == "3000000"
    )


async def test_a_far_off_price_kept_by_the_seller_shows_on_the_card(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any], admins: tuple[Any, Any]
) -> None:
    admin_a, _ = admins
    await seed_published_prices(db, "phones", 3_000_000)
    seller = fake.user(805, "Ulug'bek")
    await reach_price(seller)
    await seller.send("3 000")
    await seller.wait_message(contains="🤔")
    await seller.press("Нарх тўғри: 3\u202f000 сўм")
    await seller.wait_message(contains="5/7")
    await seller.press("Фарғона")
    await seller.wait_message(contains="Туман")
    await seller.press("⏭ Ўтказиб юбориш")
    await seller.wait_message(contains="6/7")
    await seller.send("90 123 45 67")
    await seller.wait_message(contains="7/7")
    await seller.press("✅ Юбориш")
    await seller.wait_message(contains="админларга юборилди")
    ad_id = await db.fetchval("SELECT id FROM ads WHERE owner_id = 805")
    card = await card_of(admin_a, fake, ad_id)
    assert any(line.startswith("💰") for line in hint_lines(card)), card.content


async def test_a_wrong_category_gets_a_button_that_changes_it(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any], admins: tuple[Any, Any]
) -> None:
    admin_a, _ = admins
    # submit_ad files it under appliances; the text is a car.
    ad_id = await submit_ad(
        bot.app,
        fake,
        806,
        description="Chevrolet Cobalt 2019, probeg 60 000 km, rangi oq, motor ideal, "
        "kuzov toza, avtomat korobka. Mashina sotiladi.",
    )
    card = await card_of(admin_a, fake, ad_id)
    assert any(line.startswith("📂") for line in hint_lines(card)), card.content
    button = next(label for row in card.buttons for label in row if label.startswith("📂"))
    await admin_a.press(button, message=card)
    answer = await admin_a.wait_callback_answer()
    assert "Авто" in answer["text"]
    assert await db.fetchval("SELECT category FROM ads WHERE id = $1", ad_id) == "vehicles"
    await card.wait_content("#Авто")  # the hashtag follows, on every card


async def test_a_banned_seller_is_refused_and_unban_lets_them_back(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any], admins: tuple[Any, Any]
) -> None:
    admin_a, _ = admins
    first = await submit_ad(bot.app, fake, 807, description="Spam bir")
    second = await submit_ad(bot.app, fake, 807, description="Spam ikki")
    card = await card_of(admin_a, fake, first)
    await admin_a.press("❌ Рад этиш", message=card)
    await fake.wait_until(lambda: "🚫" in str(card.buttons), timeout=5)
    await admin_a.press("🚫 Сотувчини блоклаш", message=card)
    await fake.wait_until(lambda: "🚫" not in str(card.buttons), timeout=5)  # the ban reasons
    await admin_a.press("Сотиш тақиқланган маҳсулот", message=card)
    answer = await admin_a.wait_callback_answer()
    assert "2" in answer["text"]
    statuses = await db.fetch("SELECT status FROM ads WHERE id = ANY($1)", [first, second])
    assert {r["status"] for r in statuses} == {"rejected"}
    await card.wait_content("блоклади")  # the card's history says who banned and when

    seller = fake.user(807)
    await seller.send("/new")
    refused = await seller.wait_message(contains="эълон бера олмайсиз")
    assert "тақиқланган" in refused.content
    await admin_a.send("/unban 807")
    await admin_a.wait_message(contains="блокдан чиқарилди")
    await seller.send("/new")
    await seller.wait_message(contains="1/7")
    assert await db.fetchval("SELECT count(*) FROM admin_actions WHERE action = 'unban'") == 1


async def test_a_seller_repeating_their_own_live_ad_is_offered_to_renew_it(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    seller = fake.user(808, "Kamol")
    await reach_preview(seller)
    await seller.press("✅ Юбориш")
    await seller.wait_message(contains="админларга юборилди")
    first = await db.fetchval("SELECT id FROM ads WHERE owner_id = 808")
    await db.execute(
        "UPDATE ads SET status = 'published', published_at = now() WHERE id = $1", first
    )
    await reach_preview(seller)  # the same ad again
    offer = next(m for m in seller.messages if f"#{first}" in m.content)
    await seller.press(f"🔄 #{first} ни янгилаш", message=offer)
    await seller.wait_message(contains="янгиланди")
    assert await db.fetchval("SELECT count(*) FROM ads WHERE owner_id = 808") == 1
    assert await db.fetchval("SELECT count(*) FROM fsm_states WHERE user_id = 808") == 0


async def test_the_hints_are_kept_when_the_card_is_rendered(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any], admins: tuple[Any, Any]
) -> None:
    """Off the seller's path: the card's rendering computes the hints and keeps them (for
    scoring) in a transaction of its own."""
    admin_a, _ = admins
    ad_id = await submit_ad(bot.app, fake, 809, description="Дазмол Tefal, ишлатилган")
    await card_of(admin_a, fake, ad_id)
    # Kept (and committed) while the card was rendered, before it was sent.
    assert await db.fetchval("SELECT count(*) FROM ad_hints WHERE ad_id = $1", ad_id) == 1


async def test_a_reading_of_a_bare_number_gets_the_price_check_too(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any], admins: tuple[Any, Any]
) -> None:
    await seed_published_prices(db, "phones", 3_000_000)
    seller = fake.user(809, "Kamola")
    await reach_price(seller)  # a phone
    await seller.send("35")  # 35 thousand so'm: far below a phone's usual price
    await seller.wait_message(contains="қайси нархни")  # the readings offered
    await seller.press("✅ 35\u202f000 сўм")
    check = await seller.wait_message(contains="бу тоифадаги нархлардан жуда узоқ")
    assert "35\u202f000" in check.content
    assert await db.fetchval("SELECT data -> 'price' FROM fsm_states WHERE user_id = 809") is None
    await seller.press("Нарх тўғри: 35\u202f000 сўм")
    await seller.wait_message(contains="5/7")
    assert (
        await db.fetchval("SELECT data -> 'price' ->> 'amount' FROM fsm_states WHERE user_id = 809")
        == "35000"
    )

"""A card refresh keeps the admin's keyboard (issue 17, item 11): when the photo hashes arrive
the card is edited again with the assistant's late hints, and an admin who has the reject
reasons or the ban reasons open keeps them; a 📂 suggestion of the category the ad already has
is not offered."""

from __future__ import annotations

from typing import Any

import asyncpg

from tests.fake_telegram import FakeTelegram, Person
from tests.handlers.conftest import DispatcherBot
from tests.handlers.test_assistant_in_bot import card_of, hint_lines
from tests.support.moderation_setup import admins, submit_ad

__all__ = ["admins"]  # a fixture

REASON = "Сотиш тақиқланган маҳсулот"  # reject-reason-forbidden


def labels(card: Any) -> list[str]:
    return [label for row in card.buttons for label in row]


async def refresh(bot: DispatcherBot, fake: FakeTelegram, admin: Person, ad_id: int) -> None:
    """The archive hashed the ad's photos: every card is rendered again; wait for the edit of
    this admin's card."""
    edits = len(fake.calls_to("editMessageText"))
    async with bot.app.pool.acquire() as conn, conn.transaction():
        await bot.app.moderation.photos_hashed(conn, [ad_id])

    def edited() -> bool:
        return any(
            c.params.get("chat_id") == admin.id for c in fake.calls_to("editMessageText")[edits:]
        )

    await fake.wait_until(edited, timeout=5, what="the card's refresh")


async def test_a_refresh_keeps_the_reasons_and_the_ban_reasons_open(
    bot: DispatcherBot, fake: FakeTelegram, admins: tuple[Any, Any]
) -> None:
    admin_a, admin_b = admins
    ad_id = await submit_ad(bot.app, fake, 821)
    card = await card_of(admin_a, fake, ad_id)
    other = await card_of(admin_b, fake, ad_id)
    await admin_a.press("❌ Рад этиш", message=card)
    await fake.wait_until(lambda: REASON in labels(card), timeout=5, what="the reasons")
    reasons = labels(card)

    await refresh(bot, fake, admin_a, ad_id)
    assert labels(card) == reasons
    assert "✅ Тасдиқлаш" not in labels(card)
    assert "✅ Тасдиқлаш" in labels(other)  # the other admin keeps their two buttons

    await admin_a.press("🚫 Сотувчини блоклаш", message=card)
    await fake.wait_until(lambda: "🚫 Сотувчини блоклаш" not in labels(card), timeout=5)
    ban_reasons = labels(card)
    await refresh(bot, fake, admin_a, ad_id)
    assert labels(card) == ban_reasons

    await admin_a.press("⬅️ Орқага", message=card)
    await fake.wait_until(lambda: "✅ Тасдиқлаш" in labels(card), timeout=5, what="back")
    await refresh(bot, fake, admin_a, ad_id)
    assert "✅ Тасдиқлаш" in labels(card)
    await admin_a.press("✅ Тасдиқлаш", message=card)
    await admin_a.wait_callback_answer()


async def test_a_suggestion_of_the_category_the_ad_has_is_not_offered(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any], admins: tuple[Any, Any]
) -> None:
    admin_a, _ = admins
    ad_id = await submit_ad(
        bot.app,
        fake,
        822,
        description="Chevrolet Cobalt 2019, probeg 60 000 km, rangi oq, motor ideal, "
        "kuzov toza, avtomat korobka. Mashina sotiladi.",
    )
    card = await card_of(admin_a, fake, ad_id)
    button = next(label for label in labels(card) if label.startswith("📂"))
    await admin_a.press(button, message=card)
    await admin_a.wait_callback_answer()
    await card.wait_content("#Авто")
    assert await db.fetchval("SELECT category FROM ads WHERE id = $1", ad_id) == "vehicles"
    assert not any(label.startswith("📂") for label in labels(card)), labels(card)
    assert not any(line.startswith("📂") for line in hint_lines(card)), card.content
    await refresh(bot, fake, admin_a, ad_id)
    assert not any(label.startswith("📂") for label in labels(card)), labels(card)
    assert "✅ Тасдиқлаш" in labels(card)

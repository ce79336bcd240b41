"""Ads arranged for moderation tests: a pending ad as the dialog stores it, the two admins,
and what every admin's card must come to show."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ADMIN_A, ADMIN_B
from tests.fake_telegram import FakeTelegram, fake_jpeg
from vodiy_bozor.app import App
from vodiy_bozor.models import AdContent, Category, Currency, Photo, Price, Region


async def submit_ad(
    app: App | None,
    fake: FakeTelegram,
    owner_id: int,
    *,
    photos: int = 2,
    description: str = "Дазмол Philips, янги <2025> & кафолати бор",
) -> int:
    """A pending ad as the dialog would store it (the dialog has its own tests)."""
    assert app is not None
    owner = fake.user(owner_id, f"Seller{owner_id}", username=f"seller{owner_id}")
    await app.pool.execute(
        "INSERT INTO users (id, first_name, username) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        owner.id,
        owner.first_name,
        owner.username,
    )
    files = [fake.add_file(fake_jpeg(1000 + i), kind="photo") for i in range(photos)]
    content = AdContent(
        category=Category.APPLIANCES,
        description=description,
        price=Price(450, Currency.USD),
        region=Region.ANDIJAN,
        district="Асака",
        phone="+998935551122",
        photos=tuple(Photo(fid, uid) for fid, uid in files),
    )
    return await app.listings.submit(owner.id, content)


async def every_card_shows(admins: tuple[Any, Any], ad_id: int, *texts: str) -> None:
    """Every admin's card of the ad comes to show these texts, with no buttons left."""
    for admin in admins:
        card = next(m for m in admin.messages if f"#{ad_id}" in m.content)
        for text in texts:
            await card.wait_content(text, timeout=5)
        assert card.buttons == []


@pytest.fixture
def admins(fake: FakeTelegram) -> tuple[Any, Any]:
    return fake.user(ADMIN_A, "Aziz", username="aziz_admin"), fake.user(ADMIN_B, "Botir")

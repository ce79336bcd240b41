"""Published ads for buyers' tests: submitted as the dialog stores them, approved, and out in
the channel (the outbox worker runs in both harnesses)."""

from __future__ import annotations

import itertools

from tests.conftest import ADMIN_A, ADMIN_B
from tests.fake_telegram import FakeTelegram, Person, fake_jpeg
from vodiy_bozor.app import App
from vodiy_bozor.models import AdContent, Category, Currency, Photo, Price, Region

_sizes = itertools.count(3000)


async def publish_ad(
    app: App | None,
    fake: FakeTelegram,
    owner_id: int,
    description: str,
    *,
    category: Category = Category.PHONES,
    region: Region = Region.ANDIJAN,
    price: Price | None = None,
    district: str | None = None,
    username: str | None = None,
) -> int:
    """An ad approved by an admin; returns once it is published (its owner was told)."""
    assert app is not None
    fake.user(ADMIN_A, "Aziz")  # admins who started the bot get the cards
    fake.user(ADMIN_B, "Botir")
    owner = seller(fake, owner_id, username=username)
    await app.pool.execute(
        "INSERT INTO users (id, first_name, username) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        owner.id,
        owner.first_name,
        owner.username,
    )
    file_id, unique_id = fake.add_file(fake_jpeg(next(_sizes)), kind="photo")
    content = AdContent(
        category=category,
        description=description,
        price=price or Price(2_500_000, Currency.UZS),
        region=region,
        district=district,
        phone="+998935551122",
        photos=(Photo(file_id, unique_id),),
    )
    ad_id = await app.listings.submit(owner.id, content)
    assert (await app.listings.approve(ad_id, ADMIN_A)).applied
    await owner.wait_message(contains=f"(#{ad_id})", timeout=10)
    return ad_id


def seller(fake: FakeTelegram, owner_id: int, *, username: str | None = None) -> Person:
    return fake.user(owner_id, f"Seller{owner_id}", username=username)

"""Ads made quickly for tests that are about what happens after the dialog."""

from __future__ import annotations

from tests.conftest import ADMIN_A, RunningBot
from tests.fake_telegram import BotMessage, FakeTelegram, fake_jpeg
from vodiy_bozor.models import AdContent, Category, Currency, Photo, Price, Region


async def submit(
    bot: RunningBot, fake: FakeTelegram, owner_id: int, description: str, *, photos: int = 1
) -> int:
    """A pending ad as the dialog stores it (the dialog has its own tests)."""
    app = bot.app
    assert app is not None
    owner = fake.user(owner_id, f"Seller{owner_id}")
    await app.pool.execute(
        "INSERT INTO users (id, first_name) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        owner.id,
        owner.first_name,
    )
    files = [fake.add_file(fake_jpeg(500 + owner_id + i), kind="photo") for i in range(photos)]
    content = AdContent(
        category=Category.HOUSEHOLD,
        description=description,
        price=Price(2_000_000, Currency.UZS),
        region=Region.NAMANGAN,
        district=None,
        phone="+998901112233",
        photos=tuple(Photo(fid, uid) for fid, uid in files),
    )
    return await app.listings.submit(owner.id, content)


async def publish(
    bot: RunningBot, fake: FakeTelegram, owner_id: int, description: str, *, photos: int = 1
) -> tuple[int, BotMessage]:
    """An ad approved by an admin and out in the channel; returns its id and first post."""
    app = bot.app
    assert app is not None
    ad_id = await submit(bot, fake, owner_id, description, photos=photos)
    decision = await app.listings.approve(ad_id, ADMIN_A)
    assert decision.applied
    post = await fake.channel.wait_post(contains=description, timeout=10)
    return ad_id, post

"""A ban holds (issue 17, item 2): while a seller is banned their ads get no new exposure (no
renewal, no "still selling" extension, no search, inline or ad-page result, no repost, no first
post of an ad approved before the ban, no notice to buyers); the channel posts already out stay;
`/unban` restores what the ban hid, the held-back first post included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from tests.conftest import ADMIN_A, CHANNEL
from tests.fake_telegram import Call, FakeTelegram, fake_jpeg
from tests.handlers.conftest import DispatcherBot
from tests.support.buyer_setup import publish_ad, seller
from tests.support.polling import wait_for
from vodiy_bozor.bot.callbacks import MyAdsAction, MyAdsCb, SoldAction, SoldCb
from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.models import AdContent, Category, Currency, Photo, Price, Region, SearchFilters
from vodiy_bozor.services.listings import RejectReason
from vodiy_bozor.text.fold import query_terms

BANNED = "🚫"


def channel_photos(fake: FakeTelegram) -> list[Call]:
    return [c for c in fake.calls_to("sendPhoto") if fake.same_chat(c.params["chat_id"], CHANNEL)]


async def _ban(bot: DispatcherBot, user_id: int, ad_id: int) -> None:
    assert await bot.app.moderation.ban(user_id, ADMIN_A, RejectReason.FORBIDDEN, ad_id) == 0


async def _banned_seller(bot: DispatcherBot, fake: FakeTelegram) -> tuple[int, int]:
    """Seller 701 with a live ad and an expired one, then banned: (live, expired)."""
    live = await publish_ad(bot.app, fake, 701, "Samsung Galaxy S21 qora, 128 GB")
    expired = await publish_ad(bot.app, fake, 701, "Samsung Galaxy A52 oq")
    await bot.app.pool.execute(
        "UPDATE ads SET status = 'expired', closed_at = now() WHERE id = $1", expired
    )
    await _ban(bot, 701, live)
    return live, expired


async def _unban(fake: FakeTelegram) -> None:
    admin = fake.user(ADMIN_A, "Aziz")
    await admin.send("/unban 701")
    await admin.wait_message("701")


async def test_a_banned_seller_can_neither_renew_nor_extend(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    live, expired = await _banned_seller(bot, fake)
    owner = seller(fake, 701)

    # 🔁 in My ads: refused with a clear answer, the ad stays expired.
    await owner.press_callback(MyAdsCb(action=MyAdsAction.RENEW, ad_id=expired).pack())
    answer = await owner.wait_callback_answer()
    assert answer.get("show_alert") is True
    assert BANNED in answer["text"]
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", expired) == "expired"

    # "Still selling" under the sold question: refused, the next question stays where it was.
    due = await db.fetchval("SELECT next_check_at FROM ads WHERE id = $1", live)
    await owner.press_callback(SoldCb(action=SoldAction.SELLING, ad_id=live).pack())
    answer = await owner.wait_callback_answer()
    assert answer.get("show_alert") is True
    assert BANNED in answer["text"]
    assert await db.fetchval("SELECT next_check_at FROM ads WHERE id = $1", live) == due

    await _unban(fake)
    await owner.press_callback(MyAdsCb(action=MyAdsAction.RENEW, ad_id=expired).pack())
    answer = await owner.wait_callback_answer()
    assert BANNED not in answer.get("text", "")
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", expired) == "published"


async def test_a_banned_sellers_ads_are_not_found_nor_reposted(
    bot: DispatcherBot, fake: FakeTelegram
) -> None:
    live, _ = await _banned_seller(bot, fake)
    # The channel's posts (an admin's card photos may still be on their way).
    posts_before = len(channel_photos(fake))
    buyer = fake.user(702, "Buyer")

    # Not found: search, inline mode, the ad's page.
    await buyer.send("/search samsung")
    await buyer.wait_message("эълон йўқ")  # search-nothing
    hits = (
        await bot.app.buyers.results(query_terms("samsung"), SearchFilters(), page=0, size=5)
    ).hits
    assert hits == []
    query_id = await buyer.inline_query("samsung")
    assert (await buyer.wait_inline_answer(query_id))["results"] == []
    await buyer.send(f"/start ad_{live}")
    await buyer.wait_message("йўқ")  # ad-page-gone

    # Not reposted: the rotation skips the seller.
    later = datetime.now(UTC) + timedelta(days=1)
    async with bot.app.pool.acquire() as conn:
        picked = await db_ads.repost_candidates(conn, shown_before=later, exclude=None)
    assert [c.ad_id for c in picked] == []
    # The channel posts already out stay as they are (nothing was edited or deleted).
    assert fake.calls_to("editMessageCaption") == []
    assert fake.calls_to("deleteMessage") == []
    assert len(channel_photos(fake)) == posts_before

    # /unban restores it all.
    await _unban(fake)
    hits = (
        await bot.app.buyers.results(query_terms("samsung"), SearchFilters(), page=0, size=5)
    ).hits
    assert [h.ad_id for h in hits] == [live]
    async with bot.app.pool.acquire() as conn:
        picked = await db_ads.repost_candidates(conn, shown_before=later, exclude=None)
    assert [c.ad_id for c in picked] == [live]


async def test_an_ad_approved_before_the_ban_is_posted_only_after_the_unban(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    app = bot.app
    buyer = fake.user(712, "Buyer")
    await db.execute("INSERT INTO users (id, first_name) VALUES (712, 'Buyer')")
    await app.buyers.save_search(712, "velosiped", SearchFilters())
    fake.user(ADMIN_A, "Aziz")
    owner = seller(fake, 711)
    await db.execute("INSERT INTO users (id, first_name) VALUES (711, 'Seller711')")
    file_id, unique_id = fake.add_file(fake_jpeg(7110), kind="photo")
    content = AdContent(
        category=Category.SPORTS,
        description="Velosiped Stels, yangi",
        price=Price(1_500_000, Currency.UZS),
        region=Region.ANDIJAN,
        district=None,
        phone="+998935551122",
        photos=(Photo(file_id, unique_id),),
    )
    # The channel answers 500 for now: the approved ad's first post waits in the outbox.
    fake.fail_with(500, methods=["sendPhoto"], chat_id=CHANNEL)
    ad_id = await app.listings.submit(711, content)
    assert (await app.listings.approve(ad_id, ADMIN_A)).applied
    await fake.wait_until(lambda: channel_photos(fake), what="a first try at the channel post")
    await _ban(bot, 711, ad_id)

    async def row_settled() -> bool:
        pending: int = await db.fetchval(
            "SELECT count(*) FROM outbox WHERE ad_id = $1 AND kind = 'channel_post' "
            "AND status = 'pending'",
            ad_id,
        )
        return pending == 0

    # Tried again while the channel still fails (a try rendered before the ban fails), so
    # the row settles on a try rendered after the ban.
    await wait_for(row_settled, what="the held-back post row settled")
    fake.clear_faults()
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "approved"
    assert await db.fetchval("SELECT count(*) FROM ad_posts WHERE ad_id = $1", ad_id) == 0
    assert [c for c in channel_photos(fake) if c.status == 200] == []
    assert await db.fetchval("SELECT count(*) FROM search_digest_items") == 0
    assert buyer.messages == []
    # Hidden from the admins' "unposted" list too: the ban holds it, /unban posts it.
    assert await app.listings.unposted(10) == []
    assert not await app.listings.publish_again(ad_id)

    assert await app.moderation.unban(711, ADMIN_A)
    await owner.wait_message(f"(#{ad_id})", timeout=10)  # published, its owner told
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "published"
    notice = await buyer.wait_message("velosiped", timeout=10)
    assert notice.buttons

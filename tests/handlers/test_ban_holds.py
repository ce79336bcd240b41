"""A ban holds (issue 17, item 2): while a seller is banned their ads get no new exposure (no
renewal, no "still selling" extension, no search, inline or ad-page result, no repost, no first
post of an ad approved before the ban, no notice to buyers); the channel posts already out stay;
`/unban` restores what the ban hid, the held-back first post included."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from tests.conftest import ADMIN_A, CHANNEL
from tests.fake_telegram import Call, FakeTelegram, Person, fake_jpeg
from tests.handlers.conftest import DispatcherBot
from tests.support.buyer_setup import publish_ad, seller
from tests.support.polling import wait_for
from vodiy_bozor.bot.callbacks import MyAdsAction, MyAdsCb, SoldAction, SoldCb
from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.db import bans as db_bans
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


# A ban racing the channel post of an approved ad (the outbox's transaction checks the ban,
# sends, then records the post and tells the buyers): the two serialise on the seller's `users`
# row (`db.bans`), so the post goes out whole or waits for /unban, never half of each.


async def _waiting(db: asyncpg.Connection[Any], statement: str, *, on: int | None = None) -> bool:
    """Whether a backend of this test's database runs `statement` (a part of its text) and
    waits for a lock (held by backend `on`, if given)."""
    waiting: int = await db.fetchval(
        """
        SELECT count(*) FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE '%' || $1 || '%'
           AND cardinality(pg_blocking_pids(pid)) > 0
           AND ($2::int IS NULL OR $2 = ANY(pg_blocking_pids(pid)))
        """,
        statement,
        on,
    )
    return waiting > 0


async def _seller_and_searcher(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any], seller_id: int
) -> tuple[Person, Person, int]:
    """A seller's pending ad (a bicycle) and a buyer (seller_id + 1) whose saved search
    matches it: (seller, buyer, ad id)."""
    await db.execute(
        "INSERT INTO users (id, first_name) VALUES ($1, 'Seller'), ($2, 'Buyer')",
        seller_id,
        seller_id + 1,
    )
    buyer = fake.user(seller_id + 1, "Buyer")
    await bot.app.buyers.save_search(seller_id + 1, "velosiped", SearchFilters())
    fake.user(ADMIN_A, "Aziz")
    owner = seller(fake, seller_id)
    file_id, unique_id = fake.add_file(fake_jpeg(seller_id), kind="photo")
    content = AdContent(
        category=Category.SPORTS,
        description="Velosiped Stels, yangi",
        price=Price(1_500_000, Currency.UZS),
        region=Region.ANDIJAN,
        district=None,
        phone="+998935551122",
        photos=(Photo(file_id, unique_id),),
    )
    return owner, buyer, await bot.app.listings.submit(seller_id, content)


def posted(fake: FakeTelegram) -> list[Call]:
    return [c for c in channel_photos(fake) if c.status == 200]


async def test_a_ban_committing_while_the_first_post_checks_it_holds_the_post_until_unban(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    app = bot.app
    owner, buyer, ad_id = await _seller_and_searcher(bot, fake, db, 731)
    async with app.pool.acquire() as banning, banning.transaction():
        # The ban's transaction, open: the seller's row is locked and the ban written.
        ban_pid = await banning.fetchval("SELECT pg_backend_pid()")
        assert await db_bans.ban(banning, 731, reason="forbidden", admin_id=ADMIN_A)
        assert (await app.listings.approve(ad_id, ADMIN_A)).applied
        # The outbox takes the first post and waits for the ban before checking it (before
        # the fix it saw no ban yet and sent the post, telling nobody: the ban came next).
        await wait_for(
            lambda: _waiting(db, "FROM users WHERE id = $1 FOR KEY SHARE", on=ban_pid),
            within=5,
            what="the channel post waiting for the ban's transaction",
        )
        assert posted(fake) == []

    async def row_settled() -> bool:
        return not await db.fetchval(
            "SELECT count(*) FROM outbox WHERE ad_id = $1 AND kind = 'channel_post' "
            "AND status = 'pending'",
            ad_id,
        )

    # Committed: the post sees the ban, and is held.
    await wait_for(row_settled, what="the held-back post row settled")
    assert posted(fake) == []
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "approved"
    assert await db.fetchval("SELECT count(*) FROM ad_posts WHERE ad_id = $1", ad_id) == 0
    assert buyer.messages == []

    # /unban posts it, once, and tells the buyer.
    assert await app.moderation.unban(731, ADMIN_A)
    await owner.wait_message(f"(#{ad_id})", timeout=10)  # published, its owner told
    notice = await buyer.wait_message("velosiped", timeout=10)
    assert notice.buttons
    assert len(posted(fake)) == 1
    assert await db.fetchval("SELECT count(*) FROM ad_posts WHERE ad_id = $1", ad_id) == 1


async def test_a_ban_arriving_while_the_first_post_is_sent_waits_until_it_is_recorded(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    app = bot.app
    owner, _, ad_id = await _seller_and_searcher(bot, fake, db, 741)
    # Telegram keeps the channel post waiting: the outbox's transaction is open, between its
    # check of the ban and its record of the post.
    hold = fake.hold_calls(["sendPhoto"], chat_id=CHANNEL)
    try:
        assert (await app.listings.approve(ad_id, ADMIN_A)).applied
        await asyncio.wait_for(hold.arrived.wait(), 10)
        banning = asyncio.create_task(
            app.moderation.ban(741, ADMIN_A, RejectReason.FORBIDDEN, ad_id)
        )
        # Before the fix the ban committed here, and the post, once out, told no buyer.
        await wait_for(
            lambda: _waiting(db, "FROM users WHERE id = $1 FOR UPDATE"),
            within=5,
            what="the ban waiting for the channel post's transaction",
        )
        assert not banning.done()
    finally:
        hold.release()
    assert await banning == 0
    # The post went out and was recorded before the ban: published, its buyer's notice queued.
    await owner.wait_message(f"(#{ad_id})", timeout=10)
    assert len(posted(fake)) == 1
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "published"
    notices = await db.fetchval(
        "SELECT count(*) FROM outbox WHERE ad_id = $1 AND kind = 'buyer_notice' AND chat = '742'",
        ad_id,
    )
    assert notices == 1
    # The ban holds from then on: the ad is not found; /unban has nothing to post again.
    hits = await app.buyers.results(query_terms("velosiped"), SearchFilters(), page=0, size=5)
    assert hits.hits == []
    assert await app.moderation.unban(741, ADMIN_A)
    assert (
        await db.fetchval(
            "SELECT count(*) FROM outbox WHERE ad_id = $1 AND kind = 'channel_post'", ad_id
        )
        == 1
    )


async def test_an_unban_while_a_held_post_is_being_cancelled_posts_it_after_all(
    bot: DispatcherBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    app = bot.app
    owner, buyer, ad_id = await _seller_and_searcher(bot, fake, db, 751)
    assert await db_bans.ban(db, 751, reason="forbidden", admin_id=ADMIN_A)
    await db.execute(
        "INSERT INTO outbox_chats (chat, tat, ready_at) VALUES ($1, now(), now()) "
        "ON CONFLICT (chat) DO NOTHING",
        CHANNEL,
    )
    async with app.pool.acquire() as pacing, pacing.transaction():
        # The channel's pace row, locked: the outbox finds the post held by the ban and
        # cancels it, then waits here to note the channel's pace, its transaction still open.
        pacing_pid = await pacing.fetchval("SELECT pg_backend_pid()")
        await pacing.execute("SELECT 1 FROM outbox_chats WHERE chat = $1 FOR UPDATE", CHANNEL)
        assert (await app.listings.approve(ad_id, ADMIN_A)).applied
        await wait_for(
            lambda: _waiting(db, "INSERT INTO outbox_chats", on=pacing_pid),
            within=5,
            what="the outbox cancelling the held post",
        )
        unbanning = asyncio.create_task(app.moderation.unban(751, ADMIN_A))
        # Before the fix the unban saw the post's row still pending, queued nothing, and the
        # cancel then committed: the post was neither sent nor queued again.
        await wait_for(
            lambda: _waiting(db, "FROM users WHERE id = $1 FOR UPDATE"),
            within=5,
            what="the unban waiting for the outbox's transaction",
        )
        assert not unbanning.done()
    assert await unbanning
    await owner.wait_message(f"(#{ad_id})", timeout=10)  # published, its owner told
    notice = await buyer.wait_message("velosiped", timeout=10)
    assert notice.buttons
    assert len(posted(fake)) == 1

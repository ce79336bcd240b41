"""The assistant's SQL on a real PostgreSQL: candidates, windows, facts, bans, stored hints."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeAlias

import asyncpg

from vodiy_bozor.assistant.evaluation import score_decisions
from vodiy_bozor.assistant.hints import (
    DraftPriceChecks,
    check_draft_price,
    compute_hints,
    own_repeat,
)
from vodiy_bozor.assistant.photo_hash import NEAR_DISTANCE, bands, probe_bands
from vodiy_bozor.assistant.scam import Level, Reason
from vodiy_bozor.assistant.types import PriceStats
from vodiy_bozor.db import admin_actions, bans
from vodiy_bozor.db import assistant as sql
from vodiy_bozor.models import AdContent, AdStatus, Category, Currency, Photo, Price, Region
from vodiy_bozor.text.fold import fold
from vodiy_bozor.text.sketch import text_sketch

Conn: TypeAlias = "asyncpg.Connection[Any]"
HASH = 0x1234_5678_9ABC_DEF0
COBALT = "Sotiladi Cobalt 2020, probeg 45 ming km, rangi oq, gaz bor, kraska toza, Farg'ona"


async def _user(db: Conn, user_id: int, *, age: timedelta = timedelta(days=200)) -> None:
    await db.execute(
        """
        INSERT INTO users (id, first_name, first_seen) VALUES ($1, 'x', now() - $2::interval)
        ON CONFLICT (id) DO NOTHING
        """,
        user_id,
        age,
    )


async def _ad(
    db: Conn,
    owner: int,
    text: str,
    *,
    phone: str = "+998901112233",
    days_ago: float = 1,
    status: AdStatus = AdStatus.PUBLISHED,
    category: Category = Category.VEHICLES,
    price: Price | None = None,
    photos: Sequence[tuple[str, int | None]] = (),
    sketch: bool = True,
) -> int:
    await _user(db, owner)
    price = price or Price(12_000, Currency.USD)
    created = datetime.now(UTC) - timedelta(days=days_ago)
    published = created if status in (AdStatus.PUBLISHED, AdStatus.SOLD) else None
    ad_id: int = await db.fetchval(
        """
        INSERT INTO ads (owner_id, status, category, description, price_amount, price_currency,
                         region, phone, created_at, published_at, decided_at)
        VALUES ($1, $2, $3, $4, $5, $6, 'fergana', $7, $8, $9, $10) RETURNING id
        """,
        owner,
        status.value,
        category.value,
        text,
        price.amount,
        price.currency.value,
        phone,
        created,
        published,
        created if status is not AdStatus.PENDING else None,
    )
    for position, (unique_id, phash) in enumerate(photos):
        await db.execute(
            "INSERT INTO ad_photos (ad_id, position, file_id, file_unique_id) "
            "VALUES ($1, $2, 'f', $3)",
            ad_id,
            position,
            unique_id,
        )
        if phash is not None:
            await sql.set_photo_hash(db, ad_id, position, phash, bands(phash))
    if sketch:
        await sql.set_text_sketch(db, ad_id, text_sketch(fold(text)))
    return ad_id


async def _candidates(db: Conn, ad_id: int) -> set[int]:
    ad = await sql.ad_print(db, ad_id)
    assert ad is not None
    probes = sorted({b for p in ad.photos if p.phash is not None for b in probe_bands(p.phash)})
    found = await sql.duplicate_candidates(
        db,
        ad,
        probe_bands=probes,
        sketch=text_sketch(fold(ad.description)),
        near_distance=NEAR_DISTANCE,
    )
    return {c.id for c in found}


async def test_candidates_come_from_every_source(db: Conn) -> None:
    same_file = await _ad(db, 11, "boshqa", phone="+998911000001", photos=[("u-same", None)])
    near = await _ad(db, 12, "boshqa2", phone="+998911000002", photos=[("u-x", HASH ^ 0b111)])
    same_phone = await _ad(db, 13, "boshqa3", phone="+998905550000")
    same_owner = await _ad(db, 20, "boshqa4", phone="+998911000004")
    same_text = await _ad(db, 14, COBALT, phone="+998911000005")
    unrelated = await _ad(db, 15, "Продаю кроватку", phone="+998911000006")
    far_photo = await _ad(db, 16, "boshqa5", phone="+998911000007", photos=[("u-y", ~HASH)])
    new = await _ad(
        db,
        20,
        COBALT,
        phone="+998905550000",
        days_ago=0,
        photos=[("u-same", HASH), ("u-new", HASH)],
    )
    found = await _candidates(db, new)
    assert {same_file, near, same_phone, same_owner, same_text} <= found
    assert unrelated not in found
    assert far_photo not in found


async def test_candidates_are_earlier_and_within_sixty_days(db: Conn) -> None:
    old = await _ad(db, 11, COBALT, days_ago=61, photos=[("u1", HASH)])
    recent = await _ad(db, 12, COBALT, days_ago=59, photos=[("u1", HASH)])
    new = await _ad(db, 13, COBALT, days_ago=0, photos=[("u1", HASH)])
    later = await _ad(db, 14, COBALT, days_ago=0, photos=[("u1", HASH)])
    found = await _candidates(db, new)
    assert recent in found
    assert old not in found
    assert later not in found
    assert new not in found


async def test_hints_name_the_closest_duplicate_with_its_post(db: Conn) -> None:
    original = await _ad(db, 11, COBALT, photos=[("u1", HASH), ("u2", HASH ^ 0xFF00FF)])
    await db.execute(
        "INSERT INTO ad_posts (ad_id, chat_id, message_id, position) VALUES ($1, -100, 77, 0)",
        original,
    )
    other = await _ad(db, 12, "Продаю кроватку белую", phone="+998933334455")
    repeat = await _ad(
        db,
        30,
        "Кобальт 2020 сотилади, ранги оқ, пробег 45 минг км",
        phone="+998977776655",
        days_ago=0,
        photos=[("u1", HASH), ("u9", HASH ^ 0xFF00FF ^ 0b11)],
        sketch=False,
    )
    hints = await compute_hints(db, repeat)
    assert hints is not None
    assert hints.duplicate is not None
    assert hints.duplicate_line
    match = hints.duplicate
    assert match.candidate.id == original
    assert match.candidate.id != other
    assert (match.same_photos, match.similar_photos) == (1, 1)
    assert match.candidate.status is AdStatus.PUBLISHED
    assert (match.candidate.post_chat_id, match.candidate.post_message_id) == (-100, 77)
    assert not match.same_owner
    # The sketch is stored, so later ads are compared with this one; the hints are kept.
    assert await db.fetchval("SELECT text_sketch FROM ads WHERE id = $1", repeat)
    stored = await db.fetchrow("SELECT * FROM ad_hints WHERE ad_id = $1", repeat)
    assert stored is not None
    assert stored["duplicate_of"] == original


async def test_a_clean_ad_gets_no_lines(db: Conn) -> None:
    for i in range(3):
        await _ad(db, 40 + i, f"Продаю кроватку номер {i}", phone=f"+99893000000{i}")
    clean = await _ad(db, 50, COBALT, days_ago=0, photos=[("u1", HASH)])
    hints = await compute_hints(db, clean)
    assert hints is not None
    assert not hints.duplicate_line
    assert not hints.price_line
    assert not hints.scam_line
    assert not hints.category_line
    assert hints.scam.level is Level.NONE


async def test_price_median_of_the_categorys_recent_published_ads(db: Conn) -> None:
    for i in range(24):
        await _ad(
            db,
            100 + i,
            f"Muzlatkich {i}",
            phone=f"+9989000000{i:02d}",
            category=Category.APPLIANCES,
            price=Price(4_000_000 + i * 10_000, Currency.UZS),
            days_ago=5 + i,
        )
    # Outside the window, not published, another category, in dollars: the median ignores the
    # first three and converts the last.
    await _ad(db, 200, "eski", category=Category.APPLIANCES, price=Price(10**9), days_ago=95)
    await _ad(
        db,
        201,
        "kutmoqda",
        category=Category.APPLIANCES,
        price=Price(10**9),
        status=AdStatus.PENDING,
    )
    await _ad(db, 202, "mashina", category=Category.VEHICLES, price=Price(10**9))
    await _ad(db, 203, "dollar", category=Category.APPLIANCES, price=Price(320, Currency.USD))
    stats = await sql.price_stats(
        db, Category.APPLIANCES, before=datetime.now(UTC), usd_rate=12_500
    )
    assert stats.count == 25
    expected = statistics.median([4_000_000 + i * 10_000 for i in range(24)] + [320 * 12_500])
    assert stats.median_uzs == expected == 4_110_000
    assert await sql.price_stats(
        db, Category.SPORTS, before=datetime.now(UTC), usd_rate=12_500
    ) == PriceStats(0, None)

    far = await check_draft_price(db, Category.APPLIANCES, Price(4_100, Currency.UZS))
    assert far is not None
    assert far.suggestion == Price(4_100_000, Currency.UZS)
    assert await check_draft_price(db, Category.APPLIANCES, Price(3_900_000)) is None

    # The dialog's checks read a category's median once per TTL: the next sellers' prices
    # are checked against the same median without a statement, until it is stale.
    clock = [0.0]
    checks = DraftPriceChecks(ttl=300, clock=lambda: clock[0])
    statements: list[str] = []
    with db.query_logger(lambda logged: statements.append(logged.query)):
        first = await checks.check(db, Category.APPLIANCES, Price(4_100, Currency.UZS))
        again = await checks.check(db, Category.APPLIANCES, Price(3_900_000))
        clock[0] = 301.0
        stale = await checks.check(db, Category.APPLIANCES, Price(4_100, Currency.UZS))
    await db.fetchval("SELECT 1")  # asyncpg calls query loggers on the loop's next turn
    assert first == far
    assert again is None
    assert stale == far
    assert sum("percentile_cont" in q for q in statements) == 2

    cheap = await _ad(
        db,
        300,
        "Muzlatkich Artel sotiladi",
        category=Category.APPLIANCES,
        price=Price(4_100),
        days_ago=0,
    )
    hints = await compute_hints(db, cheap)
    assert hints is not None
    assert hints.price_line
    assert hints.price is not None
    assert hints.price.suggestion == Price(4_100_000)
    # A forgotten "минг" explains it: a typo, not bait.
    assert Reason.TOO_CHEAP not in hints.scam.reasons


async def test_seller_facts(db: Conn) -> None:
    await _user(db, 70, age=timedelta(hours=5))
    for days in (3, 10, 40):
        await _ad(db, 70, "rad etilgan", status=AdStatus.REJECTED, days_ago=days)
    for owner in (71, 72):
        await _ad(db, owner, "boshqa akkaunt", phone="+998997770000")
    new = await _ad(
        db,
        70,
        "Предоплата 50%, отправка почтой. Пишите @arzon_savdo",
        phone="+998997770000",
        days_ago=0,
    )
    ad = await sql.ad_print(db, new)
    assert ad is not None
    facts = await sql.seller_facts(db, ad)
    assert facts.rejections_30d == 2
    assert facts.phone_accounts == 3
    hints = await compute_hints(db, new)
    assert hints is not None
    assert hints.scam.level is Level.HIGH
    assert hints.scam_line
    assert {
        Reason.PREPAYMENT,
        Reason.USERNAME,
        Reason.SHARED_PHONE,
        Reason.REJECTIONS,
    } <= set(hints.scam.reasons)


async def test_category_from_approved_neighbours(db: Conn) -> None:
    for i in range(3):
        await _ad(
            db,
            80 + i,
            f"Zoomlion ekskavator {2017 + i}, ishlashi zo'r, joyida ko'rish mumkin",
            category=Category.VEHICLES,
        )
    await _ad(
        db,
        90,
        "Zoomlion ekskavator 2016, ishlashi zo'r",
        category=Category.CLOTHING,
        status=AdStatus.REJECTED,
    )
    new = await _ad(
        db,
        91,
        "Zoomlion ekskavator 2020, ishlashi zo'r, joyida ko'rish mumkin",
        category=Category.OTHER,
        days_ago=0,
    )
    ad = await sql.ad_print(db, new)
    assert ad is not None
    neighbours = await sql.category_neighbours(db, ad, sketch=text_sketch(fold(ad.description)))
    assert {n.category for n in neighbours} == {Category.VEHICLES}  # the rejected one is not
    hints = await compute_hints(db, new)
    assert hints is not None
    assert hints.category.category is Category.VEHICLES
    assert hints.category_line


async def test_own_repeat_at_the_preview(db: Conn) -> None:
    mine = await _ad(db, 60, COBALT, photos=[("u1", HASH)])
    await _ad(db, 61, COBALT + " boshqa", phone="+998935554433", photos=[("u7", None)])
    draft = AdContent(
        category=Category.VEHICLES,
        description="Кобальт 2020 сотилади, ранги оқ, пробег 45 минг км, газ бор",
        price=Price(12_000, Currency.USD),
        region=Region.FERGANA,
        district=None,
        phone="+998901112233",
        photos=(Photo("f", "u1"),),
    )
    match = await own_repeat(db, 60, draft)
    assert match is not None
    assert match.candidate.id == mine
    assert await own_repeat(db, 62, draft) is None  # someone else's ad is the admins' business
    await db.execute("UPDATE ads SET status = 'sold' WHERE id = $1", mine)
    assert await own_repeat(db, 60, draft) is None  # sold: nothing to renew


async def test_own_repeat_reads_only_the_sellers_own_ads_in_one_statement(db: Conn) -> None:
    """The preview's renewal offer needs the seller's own live ads alone: one range scan of
    theirs, not the candidate search over every seller's photos, phones and texts."""
    for n in range(5):
        await _ad(db, 63, f"{COBALT} {n}", phone="+998901112233")  # another's, the same text
    mine = await _ad(db, 64, COBALT)
    draft = AdContent(
        category=Category.VEHICLES,
        description=COBALT,
        price=Price(12_000, Currency.USD),
        region=Region.FERGANA,
        district=None,
        phone="+998901112233",
        photos=(Photo("f", "u9"),),
    )
    await own_repeat(db, 64, draft)  # asyncpg reads the column types once per connection
    statements: list[str] = []
    with db.query_logger(lambda logged: statements.append(logged.query)):
        match = await own_repeat(db, 64, draft)
    await db.fetchval("SELECT 1")  # asyncpg calls query loggers on the loop's next turn
    assert match is not None
    assert match.candidate.id == mine
    assert len(statements) == 1
    assert "band_hits" not in statements[0]
    assert "a.owner_id = $1" in statements[0]


async def test_bans_actions_and_history(db: Conn) -> None:
    first = await _ad(db, 70, "bir", status=AdStatus.PENDING)
    second = await _ad(db, 70, "ikki", status=AdStatus.PENDING)
    await _ad(db, 70, "uch", status=AdStatus.PUBLISHED)
    assert await bans.pending_ad_ids(db, 70) == [first, second]

    assert await admin_actions.set_category(db, first, Category.PHONES, admin_id=9001)
    assert await db.fetchval("SELECT category FROM ads WHERE id = $1", first) == "phones"
    assert await bans.ban(db, 70, reason="scam", admin_id=9001, ad_id=first)
    assert not await bans.ban(db, 70, reason="again", admin_id=9002)
    ban = await bans.active_ban(db, 70)
    assert ban is not None
    assert (ban.reason, ban.banned_by) == ("scam", 9001)
    history = await admin_actions.ad_history(db, first)
    assert [(a.action, a.detail, a.admin_id) for a in history] == [
        ("category", "phones", 9001),
        ("ban", "scam", 9001),
    ]
    assert await bans.unban(db, 70, admin_id=9002)
    assert await bans.active_ban(db, 70) is None
    assert not await bans.unban(db, 70, admin_id=9002)
    assert await bans.ban(db, 70, reason="twice", admin_id=9001)  # a new ban after the lift
    unbans = await db.fetchval("SELECT count(*) FROM admin_actions WHERE action = 'unban'")
    assert unbans == 1
    await db.execute("UPDATE ads SET status = 'published' WHERE id = $1", second)
    assert not await admin_actions.set_category(db, second, Category.OTHER, admin_id=9001)


async def test_scoring_against_decisions(db: Conn) -> None:
    original = await _ad(db, 11, COBALT, photos=[("u1", HASH)])
    repeat = await _ad(db, 12, COBALT, phone="+998977776655", photos=[("u1", HASH)], days_ago=0)
    clean = await _ad(db, 13, "Продаю кроватку белую", phone="+998933334455", days_ago=0)
    for ad_id in (original, repeat, clean):
        await compute_hints(db, ad_id)
    await db.execute(
        "UPDATE ads SET status = 'rejected', reject_code = 'duplicate' WHERE id = $1", repeat
    )
    decided = await sql.decided_with_hints(db, since=timedelta(days=90))
    assert [d.ad_id for d in decided] == [original, repeat, clean]
    results = score_decisions(decided)
    assert results.duplicates.true_positive == 1
    assert results.duplicates.false_positive == 0
    assert results.ads == 3

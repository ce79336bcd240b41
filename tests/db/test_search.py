"""Buyers' search on a real PostgreSQL: scripts, word forms, typos, filters, order, saved
searches and opens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeAlias

import asyncpg
import pytest

from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.db import notices, opens, saved_searches, search
from vodiy_bozor.db.migrate import available_migrations, migrate
from vodiy_bozor.models import (
    NO_FILTERS,
    AdContent,
    AdStatus,
    Category,
    Currency,
    Photo,
    Price,
    PriceRange,
    Region,
    SearchFilters,
)
from vodiy_bozor.text.fold import ad_document, query_terms

Conn: TypeAlias = "asyncpg.Connection[Any]"
CHANNEL_ID = -1001234567890
SELLER = 1001
BUYER = 2002
OTHER_BUYER = 3003
M = 1_000_000


async def add_user(db: Conn, user_id: int, *, blocked: bool = False) -> None:
    await db.execute(
        "INSERT INTO users (id, first_name, blocked) VALUES ($1, 'U', $2) ON CONFLICT DO NOTHING",
        user_id,
        blocked,
    )


async def publish_ad(
    db: Conn,
    description: str,
    *,
    owner: int = SELLER,
    category: Category = Category.OTHER,
    region: Region = Region.FERGANA,
    price: Price | None = None,
    days_ago: float = 1,
    status: AdStatus = AdStatus.PUBLISHED,
    message_id: int | None = None,
) -> int:
    """An ad as the bot leaves it once its channel post is out, published `days_ago`."""
    await add_user(db, owner)
    content = AdContent(
        category=category,
        description=description,
        price=price or Price(1_500_000),
        region=region,
        district=None,
        phone="+998901234567",
        photos=(Photo("file-" + description[:10], "uniq-" + description[:10]),),
    )
    ad_id = await db_ads.insert_ad(db, owner, content)
    await search.set_search_text(db, ad_id, ad_document(description, category, region))
    await db.execute(
        "UPDATE ads SET status = $2, published_at = now() - $3::interval WHERE id = $1",
        ad_id,
        status.value,
        timedelta(days=days_ago),
    )
    await db_ads.add_posts(db, ad_id, CHANNEL_ID, [message_id or 100 + ad_id], is_repost=False)
    return ad_id


async def found(db: Conn, query: str, filters: SearchFilters = NO_FILTERS) -> list[int]:
    hits = await search.search_ads(db, query_terms(query), filters, limit=50)
    return [h.ad_id for h in hits]


# -- scripts and word forms ---------------------------------------------------------------------


async def test_each_script_finds_the_others(db: Conn) -> None:
    cyrillic = await publish_ad(db, "Музлатгич Артел, яхши ишлаяпти")
    old_latin = await publish_ad(db, "Muzlatgich Samsung, o'rtacha holatda")
    new_latin = await publish_ad(db, "Muzlatgiç LG, örtaça holatda")
    await publish_ad(db, "Кир ювиш машинаси")  # never found by these queries
    everything = {cyrillic, old_latin, new_latin}
    for query in ("музлатгич", "muzlatgich", "MUZLATGICH", "muzlatgiç", "Музлатгичлар"):
        assert set(await found(db, query)) == everything, query
    # oʻ in any apostrophe, or the new ö, or Cyrillic ў
    for query in ("oʻrtacha", "o'rtacha", "o`rtacha", "o’rtacha", "örtaça", "ўртача"):
        assert set(await found(db, query)) == {old_latin, new_latin}, query


async def test_a_misspelt_cyrillic_word_finds_the_latin_one(db: Conn) -> None:
    # The issue's own example: `муздлатгич` (an extra д) finds `muzlatgich`.
    ad = await publish_ad(db, "Muzlatgich sotiladi")
    hits = await search.search_ads(db, query_terms("муздлатгич"), limit=5)
    assert [h.ad_id for h in hits] == [ad]
    assert hits[0].exact is False


async def test_russian_and_latin_find_each_other(db: Conn) -> None:
    russian = await publish_ad(db, "Продаю телефон, состояние отличное")
    latin = await publish_ad(db, "Telefon sotiladi, holati a'lo")
    assert set(await found(db, "telefon")) == {russian, latin}
    assert set(await found(db, "телефон")) == {russian, latin}


@pytest.mark.parametrize("query", ["телефоны", "телефонов", "телефону", "telefonlar", "telefoni"])
async def test_word_forms_find_the_base_word(db: Conn, query: str) -> None:
    ad = await publish_ad(db, "Телефон продаю")
    assert await found(db, query) == [ad]


async def test_the_base_word_finds_inflected_forms(db: Conn) -> None:
    plural = await publish_ad(db, "Продаются телефоны, три штуки")
    uzbek = await publish_ad(db, "Telefonlar arzon narxda")
    assert set(await found(db, "телефон")) == {plural, uzbek}


async def test_a_typo_still_finds_it_after_the_exact_matches(db: Conn) -> None:
    samsung = await publish_ad(db, "Samsung Galaxy A52", days_ago=5)
    typo_in_ad = await publish_ad(db, "Samsng telefon, zo'r", days_ago=1)
    hits = await search.search_ads(db, query_terms("samsng"), limit=5)
    # The ad with the very word typed comes first, then the one found through the typo.
    assert [(h.ad_id, h.exact) for h in hits] == [(typo_in_ad, True), (samsung, False)]
    hits = await search.search_ads(db, query_terms("samsung"), limit=5)
    assert [(h.ad_id, h.exact) for h in hits] == [(samsung, True), (typo_in_ad, False)]


async def test_a_short_word_matches_its_forms_but_is_no_prefix(db: Conn) -> None:
    house = await publish_ad(db, "Uy sotiladi, 4 xona")
    houses = await publish_ad(db, "Uylar ijaraga beriladi")
    phone = await publish_ad(db, "Uyali telefon")
    assert set(await found(db, "uy")) == {house, houses}
    assert phone in await found(db, "uyali")


async def test_every_word_must_match(db: Conn) -> None:
    both = await publish_ad(db, "Nexia 3, 2019 yil, oq rang")
    await publish_ad(db, "Nexia 2, 2010 yil")
    await publish_ad(db, "Oq ko'ylak")
    assert await found(db, "nexia oq") == [both]
    assert await found(db, "Нексия 3") == [both]


async def test_category_and_region_words_are_searchable(db: Conn) -> None:
    ad = await publish_ad(
        db, "Redmi Note 12, yangi", category=Category.PHONES, region=Region.ANDIJAN
    )
    assert await found(db, "telefon") == [ad]
    assert await found(db, "Андижон redmi") == [ad]
    assert await found(db, "namangan redmi") == []


# -- filters and order --------------------------------------------------------------------------


async def test_filters(db: Conn) -> None:
    cheap = await publish_ad(
        db, "Velosiped", category=Category.SPORTS, region=Region.ANDIJAN, price=Price(800_000)
    )
    dear = await publish_ad(
        db, "Velosiped", category=Category.SPORTS, region=Region.FERGANA, price=Price(3 * M)
    )
    dollars = await publish_ad(
        db,
        "Velosiped",
        category=Category.SPORTS,
        region=Region.FERGANA,
        price=Price(200, Currency.USD),
    )
    negotiable = await publish_ad(
        db, "Velosiped", category=Category.OTHER, region=Region.NAMANGAN, price=Price(None)
    )
    assert set(await found(db, "velosiped")) == {cheap, dear, dollars, negotiable}
    assert set(await found(db, "velosiped", SearchFilters(region=Region.FERGANA))) == {
        dear,
        dollars,
    }
    assert set(await found(db, "velosiped", SearchFilters(category=Category.SPORTS))) == {
        cheap,
        dear,
        dollars,
    }
    up_to_1m = SearchFilters(price=PriceRange(None, 1 * M, Currency.UZS))
    assert await found(db, "velosiped", up_to_1m) == [cheap]
    from_1m = SearchFilters(price=PriceRange(1 * M, None, Currency.UZS))
    assert await found(db, "velosiped", from_1m) == [dear]
    in_dollars = SearchFilters(price=PriceRange(100, 300, Currency.USD))
    assert await found(db, "velosiped", in_dollars) == [dollars]
    everything = SearchFilters(Category.SPORTS, Region.ANDIJAN, PriceRange(500_000, 1 * M))
    assert await found(db, "velosiped", everything) == [cheap]


async def test_no_words_lists_the_newest_within_the_filters(db: Conn) -> None:
    old = await publish_ad(db, "Stol", days_ago=3, region=Region.ANDIJAN)
    new = await publish_ad(db, "Stul", days_ago=1, region=Region.ANDIJAN)
    await publish_ad(db, "Divan", days_ago=2, region=Region.NAMANGAN)
    hits = await search.search_ads(db, (), SearchFilters(region=Region.ANDIJAN), limit=5)
    assert [h.ad_id for h in hits] == [new, old]


async def test_newer_before_older_and_paging(db: Conn) -> None:
    ids = [await publish_ad(db, f"Divan model {i}", days_ago=10 - i) for i in range(7)]
    newest_first = list(reversed(ids))
    terms = query_terms("divan")
    first = await search.search_ads(db, terms, limit=5, offset=0)
    second = await search.search_ads(db, terms, limit=5, offset=5)
    assert [h.ad_id for h in first] + [h.ad_id for h in second] == newest_first


@pytest.mark.parametrize(
    ("offset", "limit"),
    [
        (2**62, 6),  # forged page 922337203685477580: past bigint once a page is added
        (10**18, 6),
        (search.MAX_OFFSET + 1, 6),
        (-5, 6),
        (0, 10**9),
        (0, 0),
    ],
)
async def test_a_page_past_the_deepest_is_refused_before_any_query(
    db: Conn, offset: int, limit: int
) -> None:
    await publish_ad(db, "Divan model 1")
    hits = await search.search_ads(db, query_terms("divan"), limit=limit, offset=offset)
    assert hits == []
    # The deepest allowed page still works.
    assert (
        await search.search_ads(db, query_terms("divan"), limit=5, offset=search.MAX_OFFSET) == []
    )
    assert len(await search.search_ads(db, query_terms("divan"), limit=search.MAX_LIMIT)) == 1


async def test_a_hit_carries_its_newest_post_photo_and_price(db: Conn) -> None:
    ad = await publish_ad(db, "Televizor Artel 43 dyuym", price=Price(2_500_000))
    await db_ads.add_posts(db, ad, CHANNEL_ID, [777, 778], is_repost=True)
    (hit,) = await search.search_ads(db, query_terms("televizor"))
    assert (hit.post_chat_id, hit.post_message_id) == (CHANNEL_ID, 777)
    assert hit.photo_file_id == "file-" + "Televizor Artel 43 dyuym"[:10]
    assert hit.price == Price(2_500_000)
    assert hit.description == "Televizor Artel 43 dyuym"
    assert hit.exact is True


@pytest.mark.parametrize(
    "status",
    [
        AdStatus.PENDING,
        AdStatus.APPROVED,
        AdStatus.SOLD,
        AdStatus.REMOVED,
        AdStatus.EXPIRED,
        AdStatus.REJECTED,
    ],
)
async def test_only_published_ads_are_found(db: Conn, status: AdStatus) -> None:
    live = await publish_ad(db, "Konditsioner Midea")
    await publish_ad(db, "Konditsioner Gree", status=status)
    assert await found(db, "konditsioner") == [live]


async def test_a_sold_ad_vanishes_at_once(db: Conn) -> None:
    ad = await publish_ad(db, "Gilam 3x4, yangi")
    assert await found(db, "gilam") == [ad]
    assert await db_ads.owner_close(db, ad, SELLER, to=AdStatus.SOLD, expected=[AdStatus.PUBLISHED])
    assert await found(db, "gilam") == []
    assert await found(db, "gilamlar") == []


async def test_an_edit_changes_what_finds_the_ad(db: Conn) -> None:
    ad = await publish_ad(db, "Kompyuter sotiladi")
    await search.set_search_text(
        db, ad, ad_document("Noutbuk sotiladi", Category.OTHER, Region.FERGANA)
    )
    assert await found(db, "kompyuter") == []
    assert await found(db, "noutbuk") == [ad]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "😀",
        "😀🔥💯",
        "% _ \\ ' ( ) *",
        "%",
        "_",
        "\\",
        "'",
        "a:* | !b",
        "'; DROP TABLE ads; --",
        "телефон " * 625,  # 5,000 characters
        "x" * 5000,
        "ы" * 5000,
    ],
)
async def test_hostile_queries_are_answered_never_an_error(db: Conn, query: str) -> None:
    ad = await publish_ad(db, "Telefon Nokia")
    hits = await found(db, query)
    assert hits in ([], [ad])
    assert await db.fetchval("SELECT count(*) FROM ads") == 1  # nothing happened to the table


async def test_the_pool_works_as_well_as_a_connection(db_url: str, db: Conn) -> None:
    ad = await publish_ad(db, "Printer Canon")
    pool = await asyncpg.create_pool(db_url, min_size=1, max_size=2)
    try:
        hits = await search.search_ads(pool, query_terms("printer"))
    finally:
        await pool.close()
    assert [h.ad_id for h in hits] == [ad]


# -- saved searches -----------------------------------------------------------------------------


async def save(db: Conn, buyer: int, query: str, filters: SearchFilters = NO_FILTERS) -> int | None:
    await add_user(db, buyer)
    return await saved_searches.add_saved_search(db, buyer, query, query_terms(query), filters)


async def matches(db: Conn, ad_id: int) -> set[tuple[int, int]]:
    return {
        (m.buyer_id, m.search_id) for m in await saved_searches.matching_saved_searches(db, ad_id)
    }


async def test_a_saved_search_matches_a_new_ad_in_any_script(db: Conn) -> None:
    await publish_ad(db, "Muzlatgich eski")  # the lexicon learns `muzlatgich`
    misspelt = await save(db, BUYER, "муздлатгич")  # settled on `muzlatgich`
    cyrillic = await save(db, OTHER_BUYER, "Музлатгичлар")
    russian = await save(db, 4004, "Холодильник")
    ad = await publish_ad(db, "Muzlatgich Artel, holodilnik", category=Category.APPLIANCES)
    assert await matches(db, ad) == {(BUYER, misspelt), (OTHER_BUYER, cyrillic), (4004, russian)}
    other = await publish_ad(db, "Kir yuvish mashinasi")
    assert await matches(db, other) == set()


async def test_saved_search_matching_follows_words_and_filters(db: Conn) -> None:
    words = await save(db, BUYER, "telefon")
    region = await save(db, OTHER_BUYER, "telefon", SearchFilters(region=Region.ANDIJAN))
    price = await save(db, 4004, "telefon", SearchFilters(price=PriceRange(None, 2 * M)))
    dollars = await save(
        db, 5005, "telefon", SearchFilters(price=PriceRange(None, 300, Currency.USD))
    )
    filters_only = await save(db, 6006, "", SearchFilters(category=Category.PHONES))
    other_words = await save(db, 7007, "velosiped")
    two_words = await save(db, 8008, "telefon redmi")
    ad = await publish_ad(
        db,
        "Телефоны Samsung",
        category=Category.PHONES,
        region=Region.FERGANA,
        price=Price(1_800_000),
    )
    assert await matches(db, ad) == {(BUYER, words), (4004, price), (6006, filters_only)}
    assert None not in (region, dollars, other_words, two_words)


async def test_never_for_the_buyers_own_ad_nor_a_blocked_buyer(db: Conn) -> None:
    own = await save(db, SELLER, "divan")
    await add_user(db, BUYER, blocked=True)
    blocked = await saved_searches.add_saved_search(
        db, BUYER, "divan", query_terms("divan"), SearchFilters()
    )
    other = await save(db, OTHER_BUYER, "divan")
    ad = await publish_ad(db, "Divan burchakli", owner=SELLER)
    assert await matches(db, ad) == {(OTHER_BUYER, other)}
    assert own is not None
    assert blocked is not None


async def test_one_match_per_buyer(db: Conn) -> None:
    oldest = await save(db, BUYER, "divan")
    await save(db, BUYER, "divan burchakli")
    ad = await publish_ad(db, "Divan burchakli")
    assert await matches(db, ad) == {(BUYER, oldest)}


async def test_at_most_ten_saved_searches(db: Conn) -> None:
    ids = [await save(db, BUYER, f"stol {i}") for i in range(10)]
    assert None not in ids
    assert len(set(ids)) == 10
    assert await save(db, BUYER, "stol 11") is None
    # The same search again is the one already saved, not an eleventh.
    assert await save(db, BUYER, "stol 3") == ids[3]
    assert len(await saved_searches.list_saved_searches(db, BUYER)) == 10
    # Another buyer is not limited by this one.
    assert await save(db, OTHER_BUYER, "stol") is not None
    assert ids[0] is not None
    assert await saved_searches.delete_saved_search(db, ids[0], BUYER)
    assert await save(db, BUYER, "stol 11") is not None


async def test_saved_searches_list_and_delete_only_the_owners(db: Conn) -> None:
    filters = SearchFilters(Category.PHONES, Region.ANDIJAN, PriceRange(1 * M, 3 * M))
    search_id = await save(db, BUYER, "Samsung A52", filters)
    assert search_id is not None
    (saved,) = await saved_searches.list_saved_searches(db, BUYER)
    assert (saved.id, saved.query, saved.terms, saved.filters) == (
        search_id,
        "Samsung A52",
        ("samsung", "a52"),
        filters,
    )
    assert not await saved_searches.delete_saved_search(db, search_id, OTHER_BUYER)
    assert await saved_searches.delete_saved_search(db, search_id, BUYER)
    assert not await saved_searches.delete_saved_search(db, search_id, BUYER)
    assert await saved_searches.list_saved_searches(db, BUYER) == []


async def test_a_typo_in_a_saved_search_is_settled_on_the_known_word(db: Conn) -> None:
    await publish_ad(db, "Samsung Galaxy")
    search_id = await save(db, BUYER, "samsng")
    assert search_id is not None
    saved = await saved_searches.get_saved_search(db, search_id)
    assert saved is not None
    assert saved.terms == ("samsung",)
    assert saved.query == "samsng"
    ad = await publish_ad(db, "Samsung A15")
    assert await matches(db, ad) == {(BUYER, search_id)}


async def test_notices_per_day_are_counted(db: Conn) -> None:
    assert [await notices.take_notice_slot(db, BUYER, per_day=3) for _ in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert await notices.take_notice_slot(db, OTHER_BUYER, per_day=3)


# -- opens --------------------------------------------------------------------------------------


async def test_distinct_buyers_who_opened_each_ad(db: Conn) -> None:
    one = await publish_ad(db, "Stol")
    two = await publish_ad(db, "Stul")
    assert await opens.record_open(db, one, BUYER)
    assert not await opens.record_open(db, one, BUYER)  # the same buyer again
    assert await opens.record_open(db, one, OTHER_BUYER)
    assert await opens.open_counts(db, [one, two]) == {one: 2, two: 0}
    assert await opens.open_counts(db, []) == {}


# -- the migration ------------------------------------------------------------------------------


async def test_ads_from_before_the_migration_become_searchable(empty_db_url: str) -> None:
    conn = await asyncpg.connect(empty_db_url)
    try:
        await conn.execute(
            "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
            "applied_at timestamptz NOT NULL DEFAULT now())"
        )
        for migration in available_migrations():
            if migration.version <= 5:
                await conn.execute(migration.sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                    migration.version,
                    migration.name,
                )
        await conn.execute("INSERT INTO users (id, first_name) VALUES (1, 'S')")
        old = await conn.fetchval(
            """
            INSERT INTO ads (owner_id, status, category, description, region, phone,
                             published_at)
            VALUES (1, 'published', 'phones', 'Телефон Самсунг, ҳолати яхши', 'andijan',
                    '+998901234567', now())
            RETURNING id
            """
        )
        applied = await migrate(conn)
        assert [m.version for m in applied] == [
            m.version for m in available_migrations() if m.version > 5
        ]
        for query in ("samsung", "телефоны", "samsng", "andijon"):
            hits = await search.search_ads(conn, query_terms(query))
            assert [h.ad_id for h in hits] == [old], query
    finally:
        await conn.close()


async def test_pg_trgm_is_installed(db: Conn) -> None:
    assert await db.fetchval("SELECT similarity('samsung', 'samsng')") == pytest.approx(0.5)


@pytest.mark.parametrize(
    "amount",
    [1_000, 999_999, 1_000_000, 1_000_001, 2_154_434, 2_154_435, 4_641_588, 4_641_589, 10**8],
)
async def test_a_price_filter_finds_prices_at_the_edges_of_its_bands(db: Conn, amount: int) -> None:
    # The price filter is looked up by bands of the logarithm (see migration 0006): an ad
    # priced exactly at a band's edge is found by a range that starts or ends there.
    ad = await publish_ad(db, "Mebel", price=Price(amount))
    for price in (
        PriceRange(amount, amount),
        PriceRange(amount, None),
        PriceRange(None, amount),
        PriceRange(amount - 1, amount + 1),
    ):
        assert await found(db, "mebel", SearchFilters(price=price)) == [ad], price
    assert await found(db, "", SearchFilters(price=PriceRange(amount, amount))) == [ad]
    assert await found(db, "mebel", SearchFilters(price=PriceRange(amount + 1, None))) == []


async def test_saved_searches_with_short_and_several_words(db: Conn) -> None:
    house = await save(db, BUYER, "uy")
    phone_brand = await save(db, OTHER_BUYER, "telefon samsung")
    houses = await publish_ad(db, "Uylar sotiladi, Andijon")
    mobile = await publish_ad(db, "Uyali telefon Nokia")
    samsung_phone = await publish_ad(db, "Samsung telefoni")
    assert await matches(db, houses) == {(BUYER, house)}
    assert await matches(db, mobile) == set()  # `uy` is no prefix of `uyali`; no Samsung
    assert await matches(db, samsung_phone) == {(OTHER_BUYER, phone_brand)}


async def test_prune_drops_old_words_no_live_ad_has_and_old_notice_days(db: Conn) -> None:
    live = await publish_ad(db, "Velosiped stels yangi")
    junk = await publish_ad(db, "qwzxjunk plmokjunk", status=AdStatus.REJECTED)
    await publish_ad(db, "Eskiveloz", status=AdStatus.SOLD)
    await db.execute("UPDATE search_words SET seen_at = now() - interval '30 days'")
    # Written again (an edit): its words are fresh again; then one of them is aged by hand.
    document = ad_document("Velosiped stels yangi", Category.OTHER, Region.FERGANA)
    await search.set_search_text(db, live, document)
    await db.execute(
        "UPDATE search_words SET seen_at = now() - interval '30 days' WHERE word = 'velosiped'"
    )
    await publish_ad(db, "Freshword today")  # written now: kept however it ends
    await db.execute(
        """INSERT INTO search_notice_days (buyer_id, day, sent) VALUES
           (7, (now() AT TIME ZONE 'UTC' + interval '5 hours')::date, 3),
           (7, (now() AT TIME ZONE 'UTC' + interval '5 hours')::date - 10, 20)"""
    )
    words, days = await search.prune_search(db)
    left = {r["word"] for r in await db.fetch("SELECT word FROM search_words")}
    live_words = {
        r["w"]
        for r in await db.fetch(
            """SELECT DISTINCT w FROM ads, unnest(tsvector_to_array(search_tsv)) w
                WHERE status = 'published' AND w ~ '^[a-z0-9]+$' AND w !~ '^[0-9]+$'"""
        )
    }
    assert {"velosiped", "stels"} <= live_words <= left  # a live ad's words, old or new, stay
    assert not {"qwzxjunk", "plmokjunk", "eskiveloz"} & left  # only closed ads had them
    assert words >= 3
    assert days == 1
    assert await db.fetchval("SELECT count(*) FROM search_notice_days") == 1
    assert junk > 0
    # A typo search no longer finds its way to the pruned words.
    assert await search.typo_alternatives(db, ["qwzxjunc"]) == [[]]


async def test_an_ad_inserted_with_its_search_text_is_as_one_given_it_after(db: Conn) -> None:
    """`insert_ad(search_text=...)` (the submit's one statement) stores the same ad, photos,
    search text and lexicon words as `insert_ad` followed by `set_search_text`."""
    await add_user(db, SELLER)
    content = AdContent(
        category=Category.PHONES,
        description="Samsung A52 telefon, qutisi bor",
        price=Price(2_500_000),
        region=Region.FERGANA,
        district="Quva",
        phone="+998901234567",
        photos=(Photo("f-a", "u-a"), Photo("f-b", "u-b"), Photo("f-c", "u-c")),
    )
    document = ad_document(content.description, content.category, content.region, "Quva")

    async def stored(ad_id: int) -> tuple[Any, ...]:
        ad = await db.fetchrow(
            "SELECT search_text, search_tsv::text AS tsv, status FROM ads WHERE id = $1", ad_id
        )
        assert ad is not None
        photos = await db.fetch(
            "SELECT position, file_id, file_unique_id FROM ad_photos WHERE ad_id = $1"
            " ORDER BY position",
            ad_id,
        )
        return tuple(ad), [tuple(p) for p in photos], await db_ads.get_ad(db, ad_id)

    at_once = await db_ads.insert_ad(db, SELLER, content, search_text=document)
    words = {r["word"] for r in await db.fetch("SELECT word FROM search_words")}
    assert {"samsung", "telefon"} <= words
    await db.execute("DELETE FROM search_words")
    after = await db_ads.insert_ad(db, SELLER, content)
    await search.set_search_text(db, after, document)
    assert {r["word"] for r in await db.fetch("SELECT word FROM search_words")} == words
    ad_1, photos_1, whole_1 = await stored(at_once)
    ad_2, photos_2, whole_2 = await stored(after)
    assert ad_1 == ad_2
    assert ad_1[0] == document
    assert photos_1 == photos_2 == [(0, "f-a", "u-a"), (1, "f-b", "u-b"), (2, "f-c", "u-c")]
    assert whole_1 is not None
    assert whole_2 is not None
    assert whole_1.content == whole_2.content == content

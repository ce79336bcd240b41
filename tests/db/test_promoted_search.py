"""A lifted ad (a paid 🚀) stands first in the search engine for its 24 hours: for words, for
no words (inline mode's newest), within the filters, across pages, and never when sold."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeAlias

import asyncpg

from tests.db.test_search import publish_ad
from vodiy_bozor.db import promotions as db_promo
from vodiy_bozor.db import search
from vodiy_bozor.models import NO_FILTERS, AdStatus, After, Category, SearchFilters
from vodiy_bozor.text.fold import query_terms

Conn: TypeAlias = "asyncpg.Connection[Any]"


async def hits(db: Conn, query: str, **kw: Any) -> list[tuple[int, bool]]:
    filters = kw.pop("filters", NO_FILTERS)
    found = await search.search_ads(db, query_terms(query), filters, **{"limit": 50, **kw})
    return [(h.ad_id, h.lifted) for h in found]


async def test_a_lifted_ad_comes_first_for_words_and_for_none(db: Conn) -> None:
    old = await publish_ad(db, "Samsung Galaxy eski", days_ago=10)
    new = await publish_ad(db, "Samsung Galaxy yangi", days_ago=1)
    other = await publish_ad(db, "Velosiped", days_ago=0.5)
    assert await hits(db, "samsung") == [(new, False), (old, False)]

    await db_promo.lift_ad(db, old, seconds=24 * 3600)
    assert await hits(db, "samsung") == [(old, True), (new, False)]
    assert await hits(db, "") == [(old, True), (other, False), (new, False)]
    assert await hits(db, "velosiped") == [(other, False)]  # a lift is no match by itself
    # Pages: the lifted ad is on the first, and on no other.
    assert await hits(db, "samsung", limit=1) == [(old, True)]
    assert await hits(db, "samsung", limit=1, offset=1) == [(new, False)]


async def test_the_latest_lift_first_and_typos_after_exact_lifted_ones(db: Conn) -> None:
    first = await publish_ad(db, "Samsung A51", days_ago=5)
    second = await publish_ad(db, "Samsung S20", days_ago=4)
    plain = await publish_ad(db, "Samsung S22", days_ago=1)
    await db_promo.lift_ad(db, first, seconds=3600)
    await db_promo.lift_ad(db, second, seconds=7200)
    assert await hits(db, "samsung") == [(second, True), (first, True), (plain, False)]
    typo = await hits(db, "samsng")
    assert [ad for ad, _ in typo] == [second, first, plain]


async def test_filters_hold_for_lifted_ads_and_an_ended_or_sold_lift_is_ordinary(
    db: Conn,
) -> None:
    phone = await publish_ad(db, "Samsung telefon", category=Category.PHONES, days_ago=9)
    fridge = await publish_ad(db, "Samsung muzlatgich", category=Category.APPLIANCES, days_ago=1)
    await db_promo.lift_ad(db, phone, seconds=3600)
    appliances = SearchFilters(category=Category.APPLIANCES)
    assert await hits(db, "samsung", filters=appliances) == [(fridge, False)]

    await db.execute(
        "UPDATE ads SET lifted_until = now() - $2::interval WHERE id = $1",
        phone,
        timedelta(seconds=1),
    )
    assert await hits(db, "samsung") == [(fridge, False), (phone, False)]

    await db_promo.lift_ad(db, phone, seconds=3600)
    await db.execute("UPDATE ads SET status = $2 WHERE id = $1", phone, AdStatus.SOLD.value)
    assert await hits(db, "samsung") == [(fridge, False)]


async def test_a_cursor_pages_through_lifted_ads_then_the_rest_without_gaps_or_repeats(
    db: Conn,
) -> None:
    """The catalogue scrolls by cursor: each page starts after the last hit of the one before,
    whether that hit was a lifted one (keyed by its lift's end) or an ordinary one."""
    ads = [await publish_ad(db, f"Samsung {n}", days_ago=10 - n) for n in range(6)]
    await db_promo.lift_ad(db, ads[0], seconds=7200)
    await db_promo.lift_ad(db, ads[3], seconds=3600)
    expected = [ads[0], ads[3], ads[5], ads[4], ads[2], ads[1]]
    for words in ("samsung", "samsng", ""):
        seen: list[int] = []
        after: After | None = None
        for _page in range(10):
            found = await search.search_ads(db, query_terms(words), limit=2, after=after)
            if not found:
                break
            seen += [h.ad_id for h in found]
            last = found[-1]
            after = After(last.exact, last.published_at, last.ad_id, last.lifted_until)
        assert seen == expected, words


async def test_while_nothing_is_lifted_a_search_for_words_reads_no_lifted_ads(db: Conn) -> None:
    """Whether any ad is lifted now is asked in the lexicon lookup's own round trip: with no
    lift, a search for words runs no statement over the lifted ads (one per tier before)."""
    await publish_ad(db, "Samsung Galaxy", days_ago=1)
    statements: list[str] = []

    def lifted_reads() -> list[str]:
        return [q for q in statements if "ORDER BY a.lifted_until DESC" in q]

    with db.query_logger(lambda logged: statements.append(logged.query)):
        assert [ad for ad, _ in await hits(db, "samsung")]
        assert statements  # the logger sees the search's statements
        assert lifted_reads() == []
        lifted = await publish_ad(db, "Samsung Note", days_ago=2)
        await db_promo.lift_ad(db, lifted, seconds=3600)
        statements.clear()
        assert (await hits(db, "samsung"))[0] == (lifted, True)
        assert lifted_reads()


async def test_a_cursor_in_a_lift_that_has_ended_goes_on_with_the_rest_from_the_start(
    db: Conn,
) -> None:
    ads = [await publish_ad(db, f"Samsung {n}", days_ago=10 - n) for n in range(3)]
    await db_promo.lift_ad(db, ads[0], seconds=3600)
    first = await search.search_ads(db, query_terms("samsung"), limit=1)
    assert [h.ad_id for h in first] == [ads[0]]
    last = first[0]
    await db.execute("UPDATE ads SET lifted_until = now() - interval '1 second'")
    after = After(last.exact, last.published_at, last.ad_id, last.lifted_until)
    rest = await search.search_ads(db, query_terms("samsung"), limit=5, after=after)
    # The ad whose lift ended is now an ordinary one: every ad comes, newest first.
    assert [h.ad_id for h in rest] == [ads[2], ads[1], ads[0]]

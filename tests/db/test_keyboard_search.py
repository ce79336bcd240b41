"""Uzbek typed without its own letters finds the ads, through the real search (Buyers over
PostgreSQL): a Russian keyboard has no қ ғ ў ҳ, so `козон` is typed for `қозон`, `туй` for
`тўй`, `гишт` for `ғишт`, `ховли` for `ҳовли`; Latin writers drop apostrophes and mix q and k.
Both ways round: a properly spelled query finds the ad typed on a Russian keyboard."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any, TypeAlias

import asyncpg
import pytest

from tests.db.test_search import BUYER, OTHER_BUYER, add_user, publish_ad
from vodiy_bozor.db.pool import create_pool
from vodiy_bozor.models import NO_FILTERS, Category
from vodiy_bozor.services.buyers import Buyers, tell_buyers
from vodiy_bozor.text.fold import query_terms

Conn: TypeAlias = "asyncpg.Connection[Any]"


@pytest.fixture
async def buyers(db_url: str) -> AsyncIterator[Buyers]:
    pool = await create_pool(db_url, min_size=1, max_size=2)
    try:
        yield Buyers(pool)
    finally:
        await pool.close()


async def first_page(buyers: Buyers, query: str) -> list[tuple[int, bool]]:
    """The first page as a buyer sees it: (ad, exact) in order."""
    page = await buyers.results(query_terms(query), NO_FILTERS, page=0, size=5)
    return [(hit.ad_id, hit.exact) for hit in page.hits]


# Ads written properly, each found by the Russian-keyboard and the careless-Latin spellings
# (the Latin ad `Qozon` too). Each comes first on the page, among the exact matches, ahead of
# the unrelated ads that a weak fuzzy match could rank before it.
PROPER_ADS = {
    "kozon": "Қозон сотилади, 10 литр",
    "kozon_latin": "Qozon, cho'yan, 20 litr",
    "toy": "Тўй либоси, оқ рангда",
    "gisht": "Ғишт, 1000 дона",
    "xovli": "Ҳовли жой, 6 сотих",
}
# Whether they are exact matches: q and k are one letter to the fold; ў typed as у is found
# as the other vowel, after any ad spelled as typed (see text.fold.vowel_variants).
QUERIES = [
    ("козон", {"kozon", "kozon_latin"}, True),
    ("kozon", {"kozon", "kozon_latin"}, True),
    ("Qozon", {"kozon", "kozon_latin"}, True),
    ("туй либос", {"toy"}, False),
    ("tuy libos", {"toy"}, False),
    ("гишт", {"gisht"}, True),
    ("gisht", {"gisht"}, True),
    ("ховли", {"xovli"}, True),
    ("hovli", {"xovli"}, True),
]


async def _publish_all(db: Conn) -> dict[str, int]:
    ids = {name: await publish_ad(db, text, days_ago=5) for name, text in PROPER_ADS.items()}
    # Newer unrelated ads that look alike to a trigram (`kozim`, `toyota`, `gilam`, `xona`):
    # were the right ad found only by a typo tier, these would come first.
    for text in ("Козим ойна", "Тойота Камри", "Гилам 3x4", "Ховуз насос", "Туямни сотаман"):
        await publish_ad(db, text, days_ago=1)
    return ids


@pytest.mark.parametrize(("query", "wanted", "exact"), QUERIES)
async def test_a_russian_keyboard_or_careless_latin_query_finds_the_proper_ad(
    db: Conn, buyers: Buyers, query: str, wanted: set[str], exact: bool
) -> None:
    ids = await _publish_all(db)
    page = await first_page(buyers, query)
    want = {ids[name] for name in wanted}
    # The wanted ads lead the page, before every newer unrelated one.
    assert {ad for ad, _ in page[: len(want)]} == want, (query, page)
    assert {is_exact for ad, is_exact in page if ad in want} == {exact}, (query, page)


@pytest.mark.parametrize(
    ("ad_text", "query", "exact"),
    [
        ("Козон сотилади", "қозон", True),
        ("Козон сотилади", "qozon", True),
        ("Туй либоси", "тўй либос", False),
        ("Туй либоси", "to'y libosi", False),
        ("Гишт арзон", "ғишт", True),
        ("Ховли сотилади", "ҳовли", True),
    ],
)
async def test_a_proper_query_finds_an_ad_typed_on_a_russian_keyboard(
    db: Conn, buyers: Buyers, ad_text: str, query: str, exact: bool
) -> None:
    for decoy in ("Тойота Камри", "Козим ойна", "Либос тикиш хизмати"):  # newer, unrelated
        await publish_ad(db, decoy, days_ago=1)
    ad = await publish_ad(db, ad_text, days_ago=5)
    page = await first_page(buyers, query)
    assert page[:1] == [(ad, exact)], (query, page)


async def test_the_exact_spelling_comes_before_the_other_vowel(db: Conn, buyers: Buyers) -> None:
    # `тўй` typed as `туй` means u may stand for o', but `стол` is a table and `стул` a chair:
    # a buyer of tables sees every table first, older ones too, then the chairs.
    chair = await publish_ad(db, "Стул деревянный", days_ago=1)
    table = await publish_ad(db, "Стол деревянный", days_ago=5)
    assert await first_page(buyers, "стол") == [(table, True), (chair, False)]
    assert await first_page(buyers, "стул") == [(chair, True), (table, False)]


async def _notified(db: Conn, ad_id: int) -> set[tuple[int, int]]:
    async with db.transaction():
        await tell_buyers(db, ad_id)
    rows = await db.fetch(
        "SELECT chat, payload FROM outbox WHERE kind = 'buyer_notice' AND ad_id = $1", ad_id
    )
    payloads = [(r["chat"], r["payload"]) for r in rows]
    return {
        (int(chat), (json.loads(p) if isinstance(p, str) else p)["search_id"])
        for chat, p in payloads
    }


async def test_a_saved_search_typed_on_a_russian_keyboard_is_told_of_the_proper_ad(
    db: Conn, buyers: Buyers
) -> None:
    for buyer in (BUYER, OTHER_BUYER, 4004):
        await add_user(db, buyer)
    russian_keyboard = await buyers.save_search(BUYER, "козон", NO_FILTERS)
    latin = await buyers.save_search(OTHER_BUYER, "kozon", NO_FILTERS)
    proper = await buyers.save_search(4004, "Қозон", NO_FILTERS)
    assert None not in (russian_keyboard, latin, proper)
    ad = await publish_ad(db, "Қозон сотилади", category=Category.HOUSEHOLD)
    assert await _notified(db, ad) == {
        (BUYER, russian_keyboard),
        (OTHER_BUYER, latin),
        (4004, proper),
    }
    typed = await publish_ad(db, "Qozon 10 litr", category=Category.HOUSEHOLD)
    assert {buyer for buyer, _ in await _notified(db, typed)} == {BUYER, OTHER_BUYER, 4004}


async def test_a_saved_search_keeps_the_vowel_it_was_typed_with(db: Conn, buyers: Buyers) -> None:
    # An alert matches exactly, with no tiers to put the other vowel after: a saved `стол` that
    # no ad has yet is kept as typed, not settled on the `stul` some ad has (a typo is settled
    # on the word it meant); it hears of tables, never of chairs.
    await publish_ad(db, "Стул деревянный")
    await add_user(db, BUYER)
    table = await buyers.save_search(BUYER, "стол", NO_FILTERS)
    assert table is not None
    assert [s.terms for s in await buyers.saved_searches(BUYER)] == [("stol",)]
    chair = await publish_ad(db, "Стул кухонный")
    assert await _notified(db, chair) == set()
    new_table = await publish_ad(db, "Стол кухонный")
    assert await _notified(db, new_table) == {(BUYER, table)}

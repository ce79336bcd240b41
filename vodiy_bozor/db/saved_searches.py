"""Buyers' saved searches: kept with the words settled (a typo becomes the word ads have), and
matched against each newly published ad through one short key per search (GIN)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import asyncpg

from vodiy_bozor.db import Conn, Executor
from vodiy_bozor.db.search import exact_query, prefix_bounds, typo_alternatives
from vodiy_bozor.models import (
    MAX_SAVED_SEARCHES,
    Category,
    Currency,
    PriceRange,
    Region,
    SavedSearch,
    SearchFilters,
)
from vodiy_bozor.text.fold import stem


@dataclass(frozen=True, slots=True)
class SearchMatch:
    """A buyer to tell about a new ad, and the saved search (theirs, the oldest) that matched."""

    buyer_id: int
    search_id: int


async def _settled_terms(conn: Conn, terms: Sequence[str]) -> list[str]:
    """The terms to keep matching new ads with: a word no ad ever had that is close to one
    that some had (`samsng`) is saved as that word, since an alert must match exactly."""
    alternatives = await typo_alternatives(conn, terms)
    settled: list[str] = []
    for term, near in zip(terms, alternatives, strict=True):
        if near:
            low, high = prefix_bounds(stem(term))
            known = await conn.fetchval(
                "SELECT EXISTS (SELECT 1 FROM search_words WHERE word >= $1 AND word < $2)",
                low,
                high,
            )
            if not known:
                term = near[0]
        if term not in settled:
            settled.append(term)
    return settled


# A saved search is found by one key: the first KEY_LENGTH letters of its longest stem (the
# likeliest to be rare), so a search for `telefon samsung` is a candidate only for ads with a
# word beginning `samsu`, not for every phone; an ad's keys are the first one to KEY_LENGTH
# letters of each of its words. Short keys keep the ad's array small: the GIN lookup costs a
# probe per key.
KEY_LENGTH: Final = 5


def saved_search_keys(terms: Sequence[str]) -> list[str]:
    """The index key of a saved search with these (folded) words; none for no words."""
    if not terms:
        return []
    longest = max((stem(t) for t in terms), key=len)
    return [longest[:KEY_LENGTH]]


async def add_saved_search(
    conn: Conn, buyer_id: int, query: str, terms: Sequence[str], filters: SearchFilters
) -> int | None:
    """Save a search for the buyer; return its id, or None when they already have
    MAX_SAVED_SEARCHES. Saving the same words and filters again returns the existing id.
    """
    async with conn.transaction():
        # One buyer's saves one at a time, so two quick taps cannot make an eleventh.
        await conn.execute(
            "SELECT pg_advisory_xact_lock($1::int, ($2 % 2147483647)::int)",
            _SAVED_SEARCH_LOCK,
            buyer_id,
        )
        settled = await _settled_terms(conn, terms)
        price = filters.price
        existing = await conn.fetchrow(
            """
            SELECT count(*) AS n,
                   min(id) FILTER (WHERE terms = $2::text[]
                                     AND category IS NOT DISTINCT FROM $3
                                     AND region IS NOT DISTINCT FROM $4
                                     AND price_min IS NOT DISTINCT FROM $5
                                     AND price_max IS NOT DISTINCT FROM $6
                                     AND price_currency IS NOT DISTINCT FROM $7) AS same
              FROM saved_searches WHERE buyer_id = $1
            """,
            buyer_id,
            settled,
            filters.category.value if filters.category else None,
            filters.region.value if filters.region else None,
            price.minimum if price else None,
            price.maximum if price else None,
            price.currency.value if price else None,
        )
        assert existing is not None
        if existing["same"] is not None:
            return int(existing["same"])
        if existing["n"] >= MAX_SAVED_SEARCHES:
            return None
        search_id: int = await conn.fetchval(
            """
            INSERT INTO saved_searches (buyer_id, query, terms, keys, match, category, region,
                                        price_min, price_max, price_currency)
            VALUES ($1, $2, $3, $4, $5::tsquery, $6, $7, $8, $9, $10)
            RETURNING id
            """,
            buyer_id,
            query,
            settled,
            saved_search_keys(settled),
            exact_query(settled),
            filters.category.value if filters.category else None,
            filters.region.value if filters.region else None,
            price.minimum if price else None,
            price.maximum if price else None,
            price.currency.value if price else None,
        )
        return search_id


_SAVED_SEARCH_LOCK: Final = 0x73726368  # "srch": the advisory-lock class of saved searches


async def list_saved_searches(db: Executor, buyer_id: int) -> list[SavedSearch]:
    rows = await db.fetch("SELECT * FROM saved_searches WHERE buyer_id = $1 ORDER BY id", buyer_id)
    return [_saved(r) for r in rows]


async def get_saved_search(db: Executor, search_id: int) -> SavedSearch | None:
    row = await db.fetchrow("SELECT * FROM saved_searches WHERE id = $1", search_id)
    return _saved(row) if row is not None else None


def _saved(row: asyncpg.Record) -> SavedSearch:
    price = None
    if row["price_currency"] is not None:
        price = PriceRange(row["price_min"], row["price_max"], Currency(row["price_currency"]))
    return SavedSearch(
        id=row["id"],
        buyer_id=row["buyer_id"],
        query=row["query"],
        terms=tuple(row["terms"]),
        filters=SearchFilters(
            category=Category(row["category"]) if row["category"] else None,
            region=Region(row["region"]) if row["region"] else None,
            price=price,
        ),
        created_at=row["created_at"],
    )


async def delete_saved_search(db: Executor, search_id: int, buyer_id: int) -> bool:
    """Delete the buyer's own saved search; False if there is none such (already deleted, or
    someone else's id in a forged callback)."""
    row = await db.fetchrow(
        "DELETE FROM saved_searches WHERE id = $1 AND buyer_id = $2 RETURNING id",
        search_id,
        buyer_id,
    )
    return row is not None


# A saved search is a candidate when its key (see KEY_LENGTH) begins one of the ad's words
# (GIN over saved_searches.keys, `&&`: exact, so no per-row recheck of arrays), or when it has
# no words at all (filters only); then its tsquery and its filters decide. A constant so the
# benchmark can EXPLAIN it.
MATCH_SAVED_SEARCHES: Final = """
    SELECT DISTINCT ON (s.buyer_id) s.buyer_id, s.id
      FROM saved_searches s
     WHERE (s.keys && $1::text[] OR s.keys = '{}')
       AND (s.match IS NULL OR s.match @@ $2::tsvector)
       AND (s.category IS NULL OR s.category = $3)
       AND (s.region IS NULL OR s.region = $4)
       AND (s.price_currency IS NULL
            OR (s.price_currency = $5 AND $6::bigint IS NOT NULL
                AND $6 >= coalesce(s.price_min, $6) AND $6 <= coalesce(s.price_max, $6)))
       AND s.buyer_id <> $7
       -- The few who blocked the bot, read once through users_blocked_idx, rather than a
       -- lookup in users for each of thousands of matches.
       AND s.buyer_id NOT IN (SELECT id FROM users WHERE blocked)
     ORDER BY s.buyer_id, s.id
"""


_AD_FOR_MATCHING: Final = """
    SELECT owner_id, category, region, price_amount, price_currency, search_tsv,
           ARRAY(SELECT DISTINCT left(w, n)
                   FROM unnest(tsvector_to_array(search_tsv)) w,
                        generate_series(1, least(length(w), $2)) n
                  WHERE w ~ '^[a-z0-9]+$') AS prefixes
      FROM ads WHERE id = $1
"""


async def _matching_args(conn: Conn, ad_id: int) -> list[Any] | None:
    """The matching statement's arguments, read from the ad. Also switches sequential scans
    off for the transaction: the planner underestimates what `keys <@ …` keeps and would read
    every saved search rather than the GIN index (20 ms at 10,000 searches, ten times that at
    100,000). The caller sets it back (SET LOCAL lasts until the outer transaction ends).
    https://www.postgresql.org/docs/current/runtime-config-query.html"""
    await conn.execute("SET LOCAL enable_seqscan = off")
    ad = await conn.fetchrow(_AD_FOR_MATCHING, ad_id, KEY_LENGTH)
    if ad is None:
        return None
    return [
        ad["prefixes"],
        ad["search_tsv"],
        ad["category"],
        ad["region"],
        ad["price_currency"],
        ad["price_amount"],
        ad["owner_id"],
    ]


async def matching_saved_searches(conn: Conn, ad_id: int) -> list[SearchMatch]:
    """The buyers whose saved searches match this ad, each once (with their oldest matching
    search): never the ad's owner, never a buyer who blocked the bot."""
    async with conn.transaction():
        args = await _matching_args(conn, ad_id)
        if args is None:
            return []
        rows = await conn.fetch(MATCH_SAVED_SEARCHES, *args)
        await conn.execute("SET LOCAL enable_seqscan TO DEFAULT")
    return [SearchMatch(r["buyer_id"], r["id"]) for r in rows]


async def explain_matching(conn: Conn, ad_id: int) -> str:
    """`EXPLAIN (ANALYZE, BUFFERS)` of matching_saved_searches' main statement (benchmark)."""
    async with conn.transaction():
        args = await _matching_args(conn, ad_id)
        if args is None:
            return ""
        rows = await conn.fetch("EXPLAIN (ANALYZE, BUFFERS) " + MATCH_SAVED_SEARCHES, *args)
        await conn.execute("SET LOCAL enable_seqscan TO DEFAULT")
    return "\n".join(r[0] for r in rows)

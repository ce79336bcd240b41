"""Migration 0016: a database whose search text, saved searches and text sketches were folded
with the two old brand tables finds the same ads the same way after it (and brand spellings
that only the other table knew now meet)."""

from __future__ import annotations

from typing import Any

import asyncpg

from vodiy_bozor.db import saved_searches, search
from vodiy_bozor.db.migrate import available_migrations, migrate
from vodiy_bozor.db.saved_searches import saved_search_keys
from vodiy_bozor.db.search import exact_query
from vodiy_bozor.models import NO_FILTERS, Category, Region
from vodiy_bozor.text.fold import ad_document, fold, query_terms
from vodiy_bozor.text.sketch import text_sketch

SELLER = 1
BUYER = 2
DESCRIPTION = "Tekno Spark 10 sotiladi, samsun zaryadka bilan"


async def _ad(conn: asyncpg.Connection[Any], description: str, search_text: str) -> int:
    ad_id: int = await conn.fetchval(
        """
        INSERT INTO ads (owner_id, status, category, description, region, phone, published_at,
                         search_text, text_sketch)
        VALUES ($1, 'published', 'phones', $2, 'fergana', '+998901234567', now(), $3, $4)
        RETURNING id
        """,
        SELLER,
        description,
        search_text,
        [1, 2, 3],  # a sketch computed by the old fold: anything but the new one
    )
    return ad_id


async def _found(conn: asyncpg.Connection[Any], query: str) -> list[int]:
    hits = await search.search_ads(conn, query_terms(query), NO_FILTERS, limit=50)
    return [h.ad_id for h in hits]


async def test_old_rows_are_found_the_same_way_after_the_refold(empty_db_url: str) -> None:
    conn = await asyncpg.connect(empty_db_url)
    try:
        await migrate(conn, [m for m in available_migrations() if m.version < 16])
        await conn.execute(
            "INSERT INTO users (id, first_name) VALUES ($1, 'S'), ($2, 'B')", SELLER, BUYER
        )
        new_text = ad_document(DESCRIPTION, Category.PHONES, Region.FERGANA)
        # The old search fold had no `tekno` → `tecno`: its text kept the seller's spelling.
        old_text = new_text.replace("tecno", "tekno")
        assert old_text != new_text
        ad_id = await _ad(conn, DESCRIPTION, old_text)
        # A buyer saved `tekno` under the old fold.
        search_id: int = await conn.fetchval(
            """
            INSERT INTO saved_searches (buyer_id, query, terms, keys, match)
            VALUES ($1, 'tekno', $2, $3, $4::tsquery) RETURNING id
            """,
            BUYER,
            ["tekno"],
            saved_search_keys(["tekno"]),
            exact_query(["tekno"]),
        )
        # Under the new fold a query `tekno` means `tecno`, which the stale row lacks.
        assert await _found(conn, "Tecno") == []

        applied = await migrate(conn)
        assert [m.version for m in applied] == [
            m.version for m in available_migrations() if m.version >= 16
        ]

        assert await conn.fetchval("SELECT search_text FROM ads WHERE id = $1", ad_id) == new_text
        for query in ("Tecno", "tekno", "Текно", "Tekno spark"):
            assert await _found(conn, query) == [ad_id], query
        saved = await conn.fetchrow(
            "SELECT terms, keys FROM saved_searches WHERE id = $1", search_id
        )
        assert saved is not None
        assert list(saved["terms"]) == ["tecno"]
        assert list(saved["keys"]) == saved_search_keys(["tecno"])
        # The saved search still tells its buyer about a new ad with either spelling.
        later = await _ad(
            conn, "Текно Camon 20", ad_document("Текно Camon 20", Category.PHONES, Region.FERGANA)
        )
        matches = await saved_searches.matching_saved_searches(conn, later)
        assert [(m.buyer_id, m.search_id) for m in matches] == [(BUYER, search_id)]
        # The duplicate detector's sketch is the new fold's, so `samsun` and `самсунг` meet.
        sketch = await conn.fetchval("SELECT text_sketch FROM ads WHERE id = $1", ad_id)
        assert sketch == text_sketch(fold(DESCRIPTION))
        assert fold("samsun") == fold("Самсунг")
        # The new words are in the lexicon that typo tolerance looks in.
        assert await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM search_words WHERE word = 'tecno')"
        )
    finally:
        await conn.close()

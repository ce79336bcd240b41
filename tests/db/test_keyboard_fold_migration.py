"""Migration 0019: what was stored in the fold that kept q apart from k (search text, the
lexicon, saved searches, text sketches) is folded again, so `козон` typed on a Russian keyboard
finds the `Қозон` ads from before the migration, and a saved `Qozon` is told of new ones."""

from __future__ import annotations

from typing import Any

import asyncpg

from vodiy_bozor.db import saved_searches, search
from vodiy_bozor.db.migrate import available_migrations, migrate
from vodiy_bozor.models import NO_FILTERS, Category, Region
from vodiy_bozor.text.fold import ad_document, fold, query_terms
from vodiy_bozor.text.sketch import text_sketch

SELLER, BUYER = 1, 2
PROPER = "Қозон сотилади, қора, 20 литр"


def _old(folded: str) -> str:
    """What the fold before 0019 made of it: қ and q were `q` (no other letter folds to k
    but k itself in these texts)."""
    return folded.replace("kozon", "qozon").replace("kora", "qora")


async def _ad(conn: asyncpg.Connection[Any], description: str, *, old: bool) -> int:
    document = ad_document(description, Category.HOUSEHOLD, Region.ANDIJAN)
    ad_id: int = await conn.fetchval(
        """
        INSERT INTO ads (owner_id, status, category, description, region, phone, published_at,
                         search_text, text_sketch)
        VALUES ($1, 'published', 'household', $2, 'andijan', '+998901110000', now(), '', $3)
        RETURNING id
        """,
        SELLER,
        description,
        text_sketch(_old(fold(description)) if old else fold(description)),
    )
    await search.set_search_text(conn, ad_id, _old(document) if old else document)
    return ad_id


async def test_q_folded_forms_are_folded_again(empty_db_url: str) -> None:
    conn = await asyncpg.connect(empty_db_url)
    try:
        await migrate(conn, [m for m in available_migrations() if m.version < 19])
        await conn.execute(
            "INSERT INTO users (id, first_name) VALUES ($1, 'S'), ($2, 'B')", SELLER, BUYER
        )
        old_ad = await _ad(conn, PROPER, old=True)
        # A saved search stored in the old form, as add_saved_search kept it then.
        saved_id = await conn.fetchval(
            """
            INSERT INTO saved_searches (buyer_id, query, terms, keys, match)
            VALUES ($1, 'Qozon', '{qozon}', '{qozon}', $2::tsquery) RETURNING id
            """,
            BUYER,
            search.exact_query(["qozon"]),
        )
        # Unmigrated, the Russian-keyboard spelling finds nothing, and the old sketch is not
        # the one a repeat of the ad would have.
        assert await search.search_ads(conn, query_terms("козон"), NO_FILTERS, limit=5) == []
        old_sketch = await conn.fetchval("SELECT text_sketch FROM ads WHERE id = $1", old_ad)
        assert old_sketch != text_sketch(fold(PROPER))
        assert await conn.fetchval("SELECT count(*) FROM search_words WHERE word = 'qozon'") == 1

        applied = await migrate(conn)
        assert 19 in [m.version for m in applied]

        row = await conn.fetchrow("SELECT search_text, text_sketch FROM ads WHERE id = $1", old_ad)
        assert row is not None
        assert row["search_text"] == ad_document(PROPER, Category.HOUSEHOLD, Region.ANDIJAN)
        assert "q" not in row["search_text"]
        assert row["text_sketch"] == text_sketch(fold(PROPER))
        for query in ("козон", "kozon", "Қозон", "qozon"):
            hits = await search.search_ads(conn, query_terms(query), NO_FILTERS, limit=5)
            assert [(h.ad_id, h.exact) for h in hits] == [(old_ad, True)], query
        # The lexicon holds the new words and none with a q (they would match no ad).
        words = {r["word"] for r in await conn.fetch("SELECT word FROM search_words")}
        assert {"kozon", "kora"} <= words
        assert not {w for w in words if "q" in w}

        saved = await saved_searches.get_saved_search(conn, saved_id)
        assert saved is not None
        assert saved.terms == ("kozon",)
        assert saved.query == "Qozon"  # what the buyer typed is kept as typed
        assert await conn.fetchval("SELECT keys FROM saved_searches WHERE id = $1", saved_id) == [
            "kozon"
        ]
        # A new ad typed on a Russian keyboard tells the buyer.
        new_ad = await _ad(conn, "Козон, янги", old=False)
        matches = await saved_searches.matching_saved_searches(conn, new_ad)
        assert [(m.buyer_id, m.search_id) for m in matches] == [(BUYER, saved_id)]
    finally:
        await conn.close()

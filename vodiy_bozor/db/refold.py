"""Recompute what is stored in a folded form after the fold changed: a migration's step.

The ads' search text (text.fold.ad_document), the saved searches' words, keys and query
(text.fold.fold_words of each stored word), and the duplicate detector's text sketches
(text.sketch.text_sketch of text.fold.fold). Run in the migration's transaction.
"""

from __future__ import annotations

from vodiy_bozor.db import Conn
from vodiy_bozor.db.saved_searches import saved_search_keys
from vodiy_bozor.db.search import exact_query
from vodiy_bozor.models import Category, Region
from vodiy_bozor.text.fold import ad_document, fold, fold_words
from vodiy_bozor.text.sketch import text_sketch

__all__ = ["refold_saved_searches", "refold_search_text", "refold_text_sketches"]


async def refold_search_text(conn: Conn, *, batch: int = 2000) -> int:
    """Fold every ad's search text again and add the new words to the lexicon; returns how
    many ads changed."""
    changed = 0
    last_id = 0
    while True:
        rows = await conn.fetch(
            """
            SELECT id, description, category, region, district, search_text FROM ads
             WHERE id > $1 ORDER BY id LIMIT $2
            """,
            last_id,
            batch,
        )
        if not rows:
            break
        last_id = rows[-1]["id"]
        new = [
            (
                r["id"],
                ad_document(
                    r["description"], Category(r["category"]), Region(r["region"]), r["district"]
                ),
            )
            for r in rows
        ]
        stale = [
            (ad_id, text)
            for (ad_id, text), r in zip(new, rows, strict=True)
            if text != r["search_text"]
        ]
        if stale:
            await conn.execute(
                """
                UPDATE ads SET search_text = t.text
                  FROM unnest($1::bigint[], $2::text[]) AS t(id, text)
                 WHERE ads.id = t.id
                """,
                [ad_id for ad_id, _ in stale],
                [text for _, text in stale],
            )
            changed += len(stale)
    await conn.execute(
        """
        INSERT INTO search_words (word)
        SELECT DISTINCT w FROM ads, unnest(tsvector_to_array(search_tsv)) w
         WHERE w ~ '^[a-z0-9]+$' AND w !~ '^[0-9]+$'
        ON CONFLICT DO NOTHING
        """
    )
    return changed


async def refold_saved_searches(conn: Conn) -> int:
    """Fold each saved search's stored words again (they are folded words, so folding one again
    changes it only where the fold's tables did), with its key and query; returns how many
    saved searches changed."""
    changed = 0
    for row in await conn.fetch("SELECT id, terms FROM saved_searches ORDER BY id"):
        terms = list(dict.fromkeys(w for term in row["terms"] for w in fold_words(term)))
        if terms == list(row["terms"]):
            continue
        await conn.execute(
            "UPDATE saved_searches SET terms = $2, keys = $3, match = $4::tsquery WHERE id = $1",
            row["id"],
            terms,
            saved_search_keys(terms),
            exact_query(terms),
        )
        changed += 1
    return changed


async def refold_text_sketches(conn: Conn, *, batch: int = 2000) -> int:
    """Compute every stored text sketch again; returns how many changed."""
    changed = 0
    last_id = 0
    while True:
        rows = await conn.fetch(
            """
            SELECT id, description, text_sketch FROM ads
             WHERE id > $1 AND text_sketch IS NOT NULL ORDER BY id LIMIT $2
            """,
            last_id,
            batch,
        )
        if not rows:
            break
        last_id = rows[-1]["id"]
        stale = [
            (r["id"], sketch)
            for r in rows
            if (sketch := text_sketch(fold(r["description"]))) != list(r["text_sketch"])
        ]
        if stale:
            # One prepared statement for the batch: asyncpg sends its executions together.
            # https://magicstack.github.io/asyncpg/current/api/index.html#asyncpg.connection.Connection.executemany
            await conn.executemany("UPDATE ads SET text_sketch = $2 WHERE id = $1", stale)
        changed += len(stale)
    return changed

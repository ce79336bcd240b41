"""Migration 0017: text sketches stored in the assistant's old folded-Cyrillic form are
recomputed in search's form, so a repeat written in the other script finds the old ad again;
and a search text folded without the brand table's Cyrillic readings of Latin names
(`Цобалт`) gets them."""

from __future__ import annotations

from typing import Any

import asyncpg

from vodiy_bozor.assistant.photo_hash import NEAR_DISTANCE
from vodiy_bozor.db import assistant, search
from vodiy_bozor.db.migrate import available_migrations, migrate
from vodiy_bozor.models import NO_FILTERS, Category, Region
from vodiy_bozor.text.fold import ad_document, fold, query_terms
from vodiy_bozor.text.sketch import text_sketch

SELLER, OTHER_SELLER = 1, 2
LATIN = "Cobalt 2020, probeg 45 ming km, rangi oq, kraska toza"
CYRILLIC = "Кобальт 2020, пробег 45 минг км, ранги оқ, краска тоза"
# What the old fold (`fold_text`, folded Cyrillic through text.script.normalize_answer, brand
# names to their Cyrillic spelling) made of LATIN, and so what its stored sketch was made from.
OLD_FORM = "кобалт 2020 пробег 45 минг км ранги ок краска тоза"
LETTER_BY_LETTER = "Цобалт 2019 сотилади"


async def _ad(
    conn: asyncpg.Connection[Any],
    owner: int,
    description: str,
    *,
    phone: str,
    search_text: str,
    sketch: list[int] | None,
) -> int:
    ad_id: int = await conn.fetchval(
        """
        INSERT INTO ads (owner_id, status, category, description, region, phone, published_at,
                         search_text, text_sketch)
        VALUES ($1, 'published', 'vehicles', $2, 'andijan', $3, now(), $4, $5)
        RETURNING id
        """,
        owner,
        description,
        phone,
        search_text,
        sketch,
    )
    return ad_id


async def test_old_form_sketches_are_recomputed_in_the_search_form(empty_db_url: str) -> None:
    conn = await asyncpg.connect(empty_db_url)
    try:
        await migrate(conn, [m for m in available_migrations() if m.version < 17])
        await conn.execute(
            "INSERT INTO users (id, first_name) VALUES ($1, 'A'), ($2, 'B')", SELLER, OTHER_SELLER
        )
        old_sketch = text_sketch(OLD_FORM)
        new_sketch = text_sketch(fold(LATIN))
        # The old form shares nothing with the new one: unmigrated, a repeat would not be found.
        assert old_sketch
        assert not set(old_sketch) & set(new_sketch)
        old_ad = await _ad(
            conn,
            SELLER,
            LATIN,
            phone="+998901110000",
            search_text=ad_document(LATIN, Category.VEHICLES, Region.ANDIJAN),
            sketch=old_sketch,
        )
        unsketched = await _ad(
            conn, SELLER, "Nexia 3", phone="+998901110000", search_text="nexia", sketch=None
        )
        # The old brand table had no `sobalt` (Цобалт read letter by letter): the word stayed.
        stale_text = ad_document(LETTER_BY_LETTER, Category.VEHICLES, Region.ANDIJAN).replace(
            "cobalt", "sobalt"
        )
        spelled = await _ad(
            conn,
            OTHER_SELLER,
            LETTER_BY_LETTER,
            phone="+998902220000",
            search_text=stale_text,
            sketch=None,
        )

        applied = await migrate(conn)
        assert 17 in [m.version for m in applied]

        assert await conn.fetchval("SELECT text_sketch FROM ads WHERE id = $1", old_ad) == (
            new_sketch
        )
        # An ad that never had a sketch is left without one (hints compute it when they run).
        assert await conn.fetchval("SELECT text_sketch FROM ads WHERE id = $1", unsketched) is None
        # The same ad written in Cyrillic by another seller now finds it through the sketch
        # alone: no shared photo, phone or owner.
        repeat = await _ad(
            conn,
            OTHER_SELLER,
            CYRILLIC,
            phone="+998903330000",
            search_text=ad_document(CYRILLIC, Category.VEHICLES, Region.ANDIJAN),
            sketch=None,
        )
        printed = await assistant.ad_print(conn, repeat)
        assert printed is not None
        candidates = await assistant.duplicate_candidates(
            conn,
            printed,
            probe_bands=[],
            sketch=text_sketch(fold(CYRILLIC)),
            near_distance=NEAR_DISTANCE,
        )
        assert old_ad in {c.id for c in candidates}
        # And the search text took the brand table's reading: `Cobalt` finds `Цобалт`.
        assert "sobalt" not in await conn.fetchval(
            "SELECT search_text FROM ads WHERE id = $1", spelled
        )
        hits = await search.search_ads(conn, query_terms("Cobalt 2019"), NO_FILTERS, limit=10)
        assert [h.ad_id for h in hits] == [spelled]
    finally:
        await conn.close()

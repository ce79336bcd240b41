"""A submit waits for the disk: the transaction that stores the ad commits with the server's own
`synchronous_commit`; only the assistant's hints (recomputable) may commit asynchronously, and
only in a transaction of their own."""

from __future__ import annotations

from typing import Any

import asyncpg

from tests.conftest import listings_on
from vodiy_bozor.assistant.hints import compute_hints
from vodiy_bozor.db import assistant as db_assistant
from vodiy_bozor.db.ads import insert_ad
from vodiy_bozor.db.pool import create_pool
from vodiy_bozor.models import AdContent, Category, Currency, Photo, Price, Region
from vodiy_bozor.text.fold import fold
from vodiy_bozor.text.sketch import text_sketch

Conn = asyncpg.Connection

# A deferred constraint trigger runs at COMMIT, after everything else in the transaction: it
# sees the `synchronous_commit` the commit itself runs with.
# https://www.postgresql.org/docs/current/sql-createtrigger.html
_RECORD_COMMIT_SETTING = """
    CREATE TABLE commit_settings (tbl text, setting text);
    CREATE FUNCTION record_commit_setting() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO commit_settings VALUES (TG_TABLE_NAME, current_setting('synchronous_commit'));
        RETURN NULL;
    END $$;
    CREATE CONSTRAINT TRIGGER ads_commit_setting AFTER INSERT ON ads
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION record_commit_setting();
    CREATE CONSTRAINT TRIGGER hints_commit_setting AFTER INSERT OR UPDATE ON ad_hints
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION record_commit_setting();
"""

CONTENT = AdContent(
    category=Category.VEHICLES,
    description="Sotiladi Cobalt 2020, probeg 45 ming km, rangi oq",
    price=Price(12_000, Currency.USD),
    region=Region.FERGANA,
    district=None,
    phone="+998901112233",
    photos=(Photo("f1", "u1"),),
)


async def _seller(db: Conn[Any], user_id: int) -> None:
    await db.execute("INSERT INTO users (id, first_name) VALUES ($1, 'S')", user_id)


async def test_the_submit_commits_with_the_servers_synchronous_commit(
    db: Conn[Any], db_url: str
) -> None:
    await db.execute(_RECORD_COMMIT_SETTING)
    server = await db.fetchval("SHOW synchronous_commit")
    assert server == "on"
    await _seller(db, 501)
    pool = await create_pool(db_url, min_size=1, max_size=4)
    try:
        ad_id = await listings_on(pool).submit(501, CONTENT)
    finally:
        await pool.close()
    assert await db.fetchval("SELECT count(*) FROM ads WHERE id = $1", ad_id) == 1
    seen = await db.fetch("SELECT setting FROM commit_settings WHERE tbl = 'ads'")
    assert [r["setting"] for r in seen] == [server]


async def test_hints_saved_inside_a_transaction_leave_its_commit_synchronous(
    db: Conn[Any],
) -> None:
    await db.execute(_RECORD_COMMIT_SETTING)
    await _seller(db, 502)
    async with db.transaction():
        ad_id = await insert_ad(db, 502, CONTENT)
        assert await compute_hints(db, ad_id, save=True) is not None
        assert await db.fetchval("SELECT current_setting('synchronous_commit')") == "on"
    settings = await db.fetch("SELECT tbl, setting FROM commit_settings ORDER BY tbl")
    assert [(r["tbl"], r["setting"]) for r in settings] == [("ad_hints", "on"), ("ads", "on")]


async def test_hints_in_a_transaction_of_their_own_commit_asynchronously(
    db: Conn[Any], db_url: str
) -> None:
    await db.execute(_RECORD_COMMIT_SETTING)
    await _seller(db, 503)
    ad_id = await insert_ad(db, 503, CONTENT)
    pool = await create_pool(db_url, min_size=1, max_size=2)
    try:
        hints = await compute_hints(db, ad_id, save=False)
        assert hints is not None
        stored = db_assistant.StoredHints(ad_id, None, "none", (), None, None, False, False)
        await db_assistant.save_hints(pool, stored, [1, 2, 3])
    finally:
        await pool.close()
    assert await db.fetchval("SELECT text_sketch FROM ads WHERE id = $1", ad_id) == [1, 2, 3]
    seen = await db.fetch("SELECT setting FROM commit_settings WHERE tbl = 'ad_hints'")
    assert [r["setting"] for r in seen] == ["off"]


async def test_the_submit_stores_the_sketch_but_computes_no_hints(
    db: Conn[Any], db_url: str
) -> None:
    """The hints are computed off the seller's path (when the admins' card is rendered); the
    text sketch goes in with the ad, so the very next ad is compared with it."""
    await _seller(db, 504)
    pool = await create_pool(db_url, min_size=1, max_size=2)
    try:
        ad_id = await listings_on(pool).submit(504, CONTENT)
    finally:
        await pool.close()
    assert await db.fetchval("SELECT count(*) FROM ad_hints WHERE ad_id = $1", ad_id) == 0
    sketch = await db.fetchval("SELECT text_sketch FROM ads WHERE id = $1", ad_id)
    assert sketch == text_sketch(fold(CONTENT.description))
    assert sketch

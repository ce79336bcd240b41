"""The seller's limits (a ban, ads waiting for moderation, ads a day) cost one statement, and a
submit reads them under the seller's row lock, after it was granted: two submits at once never
both pass."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import asyncpg
import pytest

from tests.conftest import listings_on
from vodiy_bozor.db.fsm import StateKey
from vodiy_bozor.db.pool import create_pool
from vodiy_bozor.models import AdContent, Category, Currency, Photo, Price, Region
from vodiy_bozor.services.listings import (
    MAX_PENDING,
    DraftClaim,
    LimitKind,
    Listings,
    SubmitRefused,
)

SELLER = 601
PREVIEW = "NewAd:preview"
KEY = StateKey(1, SELLER, SELLER, 0, "default")

CONTENT = AdContent(
    category=Category.PHONES,
    description="Samsung A52, 128 GB, qutisi bor",
    price=Price(2_500_000, Currency.UZS),
    region=Region.FERGANA,
    district=None,
    phone="+998901112233",
    photos=(Photo("f1", "u1"),),
)


async def _seller_with_draft(db: asyncpg.Connection[Any], pending: int) -> None:
    await db.execute("INSERT INTO users (id, first_name) VALUES ($1, 'S')", SELLER)
    await db.execute(
        """
        INSERT INTO fsm_states (bot_id, chat_id, user_id, thread_id, destiny, state)
        VALUES ($1, $2, $3, $4, $5, $6)
        """,
        *KEY,
        PREVIEW,
    )
    for _ in range(pending):
        await _pending_ad(db)


async def _pending_ad(db: asyncpg.Connection[Any]) -> None:
    await db.execute(
        """
        INSERT INTO ads (owner_id, category, description, price_amount, price_currency, region,
                         phone)
        VALUES ($1, 'phones', 'eski', 1000, 'UZS', 'fergana', '+998901112233')
        """,
        SELLER,
    )


class Logged:
    """A service on a pool of one connection whose statements are all recorded."""

    def __init__(self, pool: asyncpg.Pool[Any]) -> None:
        self.pool = pool
        self.listings: Listings = listings_on(pool)
        self.statements: list[str] = []

    async def start(self) -> None:
        async with self.pool.acquire() as conn:
            conn.add_query_logger(self._record)

    def _record(self, logged: Any) -> None:
        self.statements.append(" ".join(logged.query.split()))

    def own(self) -> list[str]:
        """The service's statements, without asyncpg's type introspection (its first use of
        a type on a connection)."""
        return [s for s in self.statements if not _INTROSPECTION.search(s)]


_INTROSPECTION = re.compile(r"typeinfo_tree|set_config\('jit'|current_setting\('jit'\)")


async def _logged(db_url: str) -> Logged:
    logged = Logged(await create_pool(db_url, min_size=1, max_size=1))
    await logged.start()
    return logged


async def test_the_limits_are_one_statement(db: asyncpg.Connection[Any], db_url: str) -> None:
    await _seller_with_draft(db, pending=MAX_PENDING)
    logged = await _logged(db_url)
    try:
        with pytest.raises(SubmitRefused) as refused:
            await logged.listings.check_limits(SELLER)
        assert refused.value.kind is LimitKind.PENDING
        assert refused.value.count == MAX_PENDING
        assert len(logged.own()) == 1, logged.own()  # was two: the ban, the counts
        await db.execute(
            "INSERT INTO bans (user_id, reason, banned_by) VALUES ($1, 'spam', 9001)", SELLER
        )
        with pytest.raises(SubmitRefused) as banned:
            await logged.listings.check_limits(SELLER)
        assert (banned.value.kind, banned.value.reason) == (LimitKind.BANNED, "spam")
        assert len(logged.own()) == 2
    finally:
        await logged.pool.close()


async def test_submit_takes_the_draft_with_the_lock_and_reads_the_limits_in_one_statement(
    db: asyncpg.Connection[Any], db_url: str
) -> None:
    await _seller_with_draft(db, pending=0)
    logged = await _logged(db_url)
    try:
        ad_id = await logged.listings.submit(SELLER, CONTENT, draft=DraftClaim(KEY, PREVIEW))
    finally:
        await logged.pool.close()
    assert await db.fetchval("SELECT owner_id FROM ads WHERE id = $1", ad_id) == SELLER
    assert await db.fetchval("SELECT count(*) FROM fsm_states") == 0  # the draft was taken
    run = logged.own()
    locking = [i for i, s in enumerate(run) if "FOR UPDATE" in s]
    limits = [i for i, s in enumerate(run) if re.search(r"\bbans\b", s)]
    # One statement locks the seller and takes the draft; the next reads the ban and counts.
    assert len(locking) == 1, run
    assert "DELETE FROM fsm_states" in run[locking[0]], run
    assert limits == [locking[0] + 1], run
    assert re.search(r"count\(\*\).*\bads\b", run[limits[0]]), run
    # Before the ad goes in: BEGIN, the lock with the take, the limits (the lock and the ban
    # were a statement each before).
    first_insert = next(i for i, s in enumerate(run) if "INSERT INTO ads" in s)
    assert run[0] == "BEGIN;", run
    assert first_insert == 3, run


async def test_a_submit_waiting_for_the_lock_sees_the_ad_its_holder_committed(
    db: asyncpg.Connection[Any], db_url: str
) -> None:
    await _seller_with_draft(db, pending=MAX_PENDING - 1)
    holder = await asyncpg.connect(db_url)
    pool = await create_pool(db_url, min_size=1, max_size=1)
    try:
        held = holder.transaction()
        await held.start()
        # Another submit of the seller's, half done: it holds the lock and has added the
        # ad that fills the pending limit.
        await holder.execute("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", SELLER)
        await _pending_ad(holder)
        submit = asyncio.ensure_future(
            listings_on(pool).submit(SELLER, CONTENT, draft=DraftClaim(KEY, PREVIEW))
        )
        holder_pid = await holder.fetchval("SELECT pg_backend_pid()")
        async with asyncio.timeout(10):
            while not await db.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))",
                holder_pid,
            ):
                assert not submit.done(), "the submit did not wait for the seller's lock"
                await asyncio.sleep(0.005)  # polling the server for the waiting backend
        await held.commit()
        with pytest.raises(SubmitRefused) as refused:
            await submit
        assert (refused.value.kind, refused.value.count) == (LimitKind.PENDING, MAX_PENDING)
    finally:
        await holder.close()
        await pool.close()
    # Refused: the transaction rolled back, the draft is still there to submit later.
    assert await db.fetchval("SELECT state FROM fsm_states WHERE user_id = $1", SELLER) == PREVIEW
    assert await db.fetchval("SELECT count(*) FROM ads WHERE owner_id = $1", SELLER) == MAX_PENDING

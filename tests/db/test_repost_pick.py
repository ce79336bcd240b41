"""The repost pick: random but fair, never the same ad twice in a row, cheap at any size."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest

from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.db import jobs as db_jobs
from vodiy_bozor.db.pool import create_pool
from vodiy_bozor.services.listings import REPOST_JOB, Listings

CHANNEL = "@vodiy_test"


def _listings(pool: asyncpg.Pool[Any], interval: float) -> Listings:
    return Listings(
        pool, channel=CHANNEL, admin_ids=(), repost_interval=interval, sold_check_interval=3600
    )


@pytest.fixture
async def pool(db_url: str) -> AsyncIterator[asyncpg.Pool[Any]]:
    pool = await create_pool(db_url, min_size=1, max_size=4)
    yield pool
    await pool.close()


async def seed(pool: asyncpg.Pool[Any], owners: dict[int, int], *, shown_hours_ago: int) -> None:
    """Published ads: `owners` maps a seller id to how many ads they have."""
    for owner, count in owners.items():
        await pool.execute(
            "INSERT INTO users (id, first_name, last_reposted_at) "
            "VALUES ($1, 'S', now() - make_interval(hours => $2))",
            owner,
            shown_hours_ago,
        )
        await pool.execute(
            """
            INSERT INTO ads (owner_id, status, category, description, region, phone,
                             last_shown_at, published_at)
            SELECT $1, 'published', 'other', 'x', 'fergana', '+998901234567',
                   now() - make_interval(hours => $2) - make_interval(secs => g),
                   now() - interval '30 days'
              FROM generate_series(1, $3) g
            """,
            owner,
            shown_hours_ago,
            count,
        )


async def went_out(pool: asyncpg.Pool[Any]) -> None:
    """The repost's row was delivered (no outbox worker runs here): the next one may come."""
    await pool.execute(
        "UPDATE outbox SET status = 'sent' WHERE kind = 'channel_repost' AND status = 'pending'"
    )


async def pick_many(pool: asyncpg.Pool[Any], times: int) -> list[int]:
    """Run the repost job `times` times with an interval so short that it is always due."""
    await db_jobs.ensure(pool, REPOST_JOB, 0.001)
    await pool.execute("UPDATE jobs SET next_run_at = now() - interval '1 second'")
    picked: list[int] = []
    for _ in range(times):
        await pool.execute("UPDATE jobs SET next_run_at = now() - interval '1 second'")
        ad_id = await _listings(pool, 0.001).repost()
        assert ad_id is not None
        picked.append(ad_id)
        await went_out(pool)
    return picked


async def test_a_seller_with_many_ads_does_not_crowd_out_the_others(
    pool: asyncpg.Pool[Any],
) -> None:
    # One seller with 50 ads and five sellers with one ad each.
    await seed(pool, {1: 50, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1}, shown_hours_ago=5)
    picked = await pick_many(pool, 60)
    owner_of = dict(await pool.fetch("SELECT id, owner_id FROM ads"))
    by_seller = Counter(owner_of[a] for a in picked)
    # By ads, the big seller would get 50 of every 55 reposts; by sellers, about one in six.
    assert by_seller[1] <= 20, by_seller
    assert all(by_seller[s] >= 5 for s in (2, 3, 4, 5, 6)), by_seller
    assert all(a != b for a, b in itertools.pairwise(picked))


async def test_least_recently_shown_ads_come_first_within_a_seller(
    pool: asyncpg.Pool[Any],
) -> None:
    await seed(pool, {1: 6}, shown_hours_ago=5)
    picked = await pick_many(pool, 6)
    order = [r["id"] for r in await pool.fetch("SELECT id FROM ads ORDER BY last_shown_at")]
    # All six shown once, oldest first (the newest shows were the picks themselves).
    assert sorted(picked) == sorted(order)


async def test_recently_published_ads_are_left_alone(pool: asyncpg.Pool[Any]) -> None:
    await seed(pool, {1: 1}, shown_hours_ago=0)  # shown seconds ago
    await db_jobs.ensure(pool, REPOST_JOB, 3600)
    await pool.execute("UPDATE jobs SET next_run_at = now() - interval '1 second'")
    assert await _listings(pool, 3600).repost() is None
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE kind = 'channel_repost'") == 0


async def test_a_single_ad_is_still_reposted(pool: asyncpg.Pool[Any]) -> None:
    await seed(pool, {1: 1}, shown_hours_ago=5)
    picked = await pick_many(pool, 3)
    assert len(set(picked)) == 1


async def test_nothing_eligible_posts_nothing_and_fails_nothing(pool: asyncpg.Pool[Any]) -> None:
    await db_jobs.ensure(pool, REPOST_JOB, 1)
    await pool.execute("UPDATE jobs SET next_run_at = now() - interval '1 second'")
    assert await _listings(pool, 1).repost() is None
    # The job still moved on: the next run is scheduled, not retried in a tight loop.
    assert await pool.fetchval("SELECT next_run_at > now() FROM jobs") is True


async def test_not_due_means_no_repost(pool: asyncpg.Pool[Any]) -> None:
    await seed(pool, {1: 2}, shown_hours_ago=5)
    await db_jobs.ensure(pool, REPOST_JOB, 3600)  # due in an hour
    assert await _listings(pool, 3600).repost() is None


async def test_the_live_ads_count_follows_every_status_change(pool: asyncpg.Pool[Any]) -> None:
    await seed(pool, {1: 3}, shown_hours_ago=5)
    assert await pool.fetchval("SELECT live_ads FROM users WHERE id = 1") == 3
    ad_ids = [r["id"] for r in await pool.fetch("SELECT id FROM ads ORDER BY id")]
    await pool.execute("UPDATE ads SET status = 'sold' WHERE id = $1", ad_ids[0])
    await pool.execute("UPDATE ads SET status = 'published' WHERE id = $1", ad_ids[1])  # no-op
    await pool.execute("DELETE FROM ads WHERE id = $1", ad_ids[2])
    assert await pool.fetchval("SELECT live_ads FROM users WHERE id = 1") == 1


async def test_the_pick_uses_the_rotation_indexes(pool: asyncpg.Pool[Any]) -> None:
    await seed(pool, dict.fromkeys(range(1, 201), 3), shown_hours_ago=5)
    await pool.execute("ANALYZE users; ANALYZE ads")
    async with pool.acquire() as conn:
        await conn.execute("SET enable_seqscan = off")  # small tables: ask which plan is possible
        plan = "\n".join(
            r[0]
            for r in await conn.fetch(
                "EXPLAIN " + db_ads.ROTATION_PICK, datetime.now(UTC), None, 10
            )
        )
    assert "users_rotation_idx" in plan, plan
    assert "ads_rotation_idx" in plan, plan


async def test_a_repost_is_skipped_while_the_previous_one_has_not_gone_out(
    pool: asyncpg.Pool[Any],
) -> None:
    await seed(pool, {1: 1, 2: 1, 3: 1}, shown_hours_ago=5)
    await db_jobs.ensure(pool, REPOST_JOB, 0.001)
    await pool.execute("UPDATE jobs SET next_run_at = now() - interval '1 second'")
    assert await _listings(pool, 0.001).repost() is not None
    await pool.execute("UPDATE jobs SET next_run_at = now() - interval '1 second'")
    assert await _listings(pool, 0.001).repost() is None  # the first is still queued
    queued = await pool.fetchval(
        "SELECT count(*) FROM outbox WHERE kind = 'channel_repost' AND status = 'pending'"
    )
    assert queued == 1
    await went_out(pool)
    await pool.execute("UPDATE jobs SET next_run_at = now() - interval '1 second'")
    assert await _listings(pool, 0.001).repost() is not None

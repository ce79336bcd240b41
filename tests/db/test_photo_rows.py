"""The photo archive's SQL against a real PostgreSQL: exclusive claims, backoff, giving up,
retention, and what the courier's re-upload fallback reads and writes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any, TypeAlias

import asyncpg
import pytest

from vodiy_bozor.db import photos as db_photos
from vodiy_bozor.db.pool import create_pool

Pool: TypeAlias = "asyncpg.Pool[Any]"


@pytest.fixture
async def pool(db_url: str) -> AsyncIterator[Pool]:
    pool = await create_pool(db_url, min_size=1, max_size=12)
    yield pool
    await pool.close()


async def add_ad(pool: Pool, photos: int, *, status: str = "pending", owner: int = 500) -> int:
    """An ad with `photos` photos, as `submit()` stores it (no archive state yet)."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(
            "INSERT INTO users (id, first_name) VALUES ($1, 'Seller') ON CONFLICT DO NOTHING",
            owner,
        )
        ad_id: int = await conn.fetchval(
            """
            INSERT INTO ads (owner_id, status, category, description, region, phone)
            VALUES ($1, $2, 'phones', 'Телефон', 'andijan', '+998901234567')
            RETURNING id
            """,
            owner,
            status,
        )
        await conn.executemany(
            """
            INSERT INTO ad_photos (ad_id, position, file_id, file_unique_id)
            VALUES ($1, $2, $3, $4)
            """,
            [(ad_id, i, f"file-{ad_id}-{i}", f"uniq-{ad_id}-{i}") for i in range(photos)],
        )
    return ad_id


async def claim(pool: Pool, limit: int = 10) -> list[tuple[int, int]]:
    """Claim and let go at once (the transaction ends): which photos are due now."""
    async with pool.acquire() as conn, conn.transaction():
        return [(p.ad_id, p.position) for p in await db_photos.claim_due(conn, limit)]


async def archive(pool: Pool, ad_id: int, positions: range | list[int]) -> None:
    async with pool.acquire() as conn, conn.transaction():
        for position in positions:
            await db_photos.mark_archived(conn, ad_id, position, f"ads/{ad_id}/{position}.jpg")


async def test_a_new_photo_is_due_at_once_in_submission_order(pool: Pool) -> None:
    first = await add_ad(pool, 2)
    second = await add_ad(pool, 1)
    assert await db_photos.seconds_until_due(pool) == 0
    assert await claim(pool) == [(first, 0), (first, 1), (second, 0)]
    async with pool.acquire() as conn, conn.transaction():
        claimed = await db_photos.claim_due(conn, 10)
    assert claimed[0] == db_photos.PhotoToArchive(first, 0, f"file-{first}-0", 0)
    assert await db_photos.backlog(pool) == (3, 0)


async def test_concurrent_claims_never_share_a_photo(pool: Pool) -> None:
    """Six workers claim batches at once, each holding its rows while it "works": every photo
    goes to exactly one of them, and all of them get work while the others hold theirs."""
    ad_ids = [await add_ad(pool, 5) for _ in range(6)]  # 30 photos
    workers = 6
    all_holding = asyncio.Barrier(workers)
    first_batches: list[set[tuple[int, int]]] = []
    claimed: list[tuple[int, int]] = []

    async def worker() -> None:
        first = True
        while True:
            async with pool.acquire() as conn, conn.transaction():
                batch = await db_photos.claim_due(conn, 4)
                keys = [(p.ad_id, p.position) for p in batch]
                if first:
                    # Keep the locks until every worker has claimed its first batch.
                    first_batches.append(set(keys))
                    await asyncio.wait_for(all_holding.wait(), timeout=10)
                    first = False
                if not batch:
                    return
                claimed.extend(keys)
                for p in batch:
                    await db_photos.mark_archived(conn, p.ad_id, p.position, f"k/{p.ad_id}")

    await asyncio.gather(*(worker() for _ in range(workers)))

    assert all(len(batch) == 4 for batch in first_batches)  # nobody was blocked or starved
    assert len(set().union(*first_batches)) == 4 * workers  # pairwise disjoint
    everything = {(ad_id, position) for ad_id in ad_ids for position in range(5)}
    assert sorted(claimed) == sorted(everything)  # each exactly once
    assert await db_photos.seconds_until_due(pool) is None
    assert await db_photos.backlog(pool) == (0, 0)


async def test_a_locked_photo_is_skipped_not_waited_for(pool: Pool) -> None:
    ad_id = await add_ad(pool, 2)
    async with pool.acquire() as holder, holder.transaction():
        held = await db_photos.claim_due(holder, 1)
        assert [(p.ad_id, p.position) for p in held] == [(ad_id, 0)]
        # A second worker gets the other photo at once (a lock wait would hit the timeout).
        other = await asyncio.wait_for(claim(pool), timeout=5)
        assert other == [(ad_id, 1)]
    assert await claim(pool) == [(ad_id, 0), (ad_id, 1)]  # the holder recorded nothing


async def test_reschedule_backs_off_and_records_the_error(pool: Pool) -> None:
    ad_id = await add_ad(pool, 1)
    async with pool.acquire() as conn, conn.transaction():
        (photo,) = await db_photos.claim_due(conn, 10)
        await db_photos.reschedule(conn, ad_id, 0, 60.0, "store: connection refused " + "x" * 2000)
    assert await claim(pool) == []
    due = await db_photos.seconds_until_due(pool)
    assert due is not None
    assert 55 < due <= 60
    row = await pool.fetchrow("SELECT * FROM ad_photos WHERE ad_id = $1", ad_id)
    assert row is not None
    assert row["archive_attempts"] == photo.attempts + 1 == 1
    assert row["archive_error"].startswith("store: connection refused")
    assert len(row["archive_error"]) == 1000
    assert row["storage_key"] is None
    assert row["archive_given_up"] is False

    # When the time comes, it is claimed again and carries its count of failures.
    await pool.execute("UPDATE ad_photos SET archive_after = now() - interval '1 s'")
    async with pool.acquire() as conn, conn.transaction():
        (again,) = await db_photos.claim_due(conn, 10)
        assert again.attempts == 1
        await db_photos.mark_archived(conn, ad_id, 0, f"ads/{ad_id}/0.jpg")
    row = await pool.fetchrow("SELECT * FROM ad_photos WHERE ad_id = $1", ad_id)
    assert row is not None
    assert (row["storage_key"], row["archive_error"]) == (f"ads/{ad_id}/0.jpg", None)
    assert row["archived_at"] is not None


async def test_a_photo_given_up_is_never_claimed_again(pool: Pool) -> None:
    ad_id = await add_ad(pool, 2)
    async with pool.acquire() as conn, conn.transaction():
        await db_photos.claim_due(conn, 10)
        await db_photos.give_up(conn, ad_id, 1, "Bad Request: file is too big")
        await db_photos.mark_archived(conn, ad_id, 0, f"ads/{ad_id}/0.jpg")
    assert await claim(pool) == []
    assert await db_photos.seconds_until_due(pool) is None
    assert await db_photos.backlog(pool) == (0, 1)
    row = await pool.fetchrow(
        "SELECT archive_given_up, archive_error, archive_attempts FROM ad_photos "
        "WHERE ad_id = $1 AND position = 1",
        ad_id,
    )
    assert row is not None
    assert tuple(row) == (True, "Bad Request: file is too big", 1)
    # Half an album is not an album: the re-upload fallback does not use it.
    assert await db_photos.archived_keys(pool, ad_id) is None


async def test_the_storage_key_and_its_time_go_together(pool: Pool) -> None:
    ad_id = await add_ad(pool, 1)
    with pytest.raises(asyncpg.CheckViolationError):
        await pool.execute("UPDATE ad_photos SET storage_key = 'x' WHERE ad_id = $1", ad_id)


async def test_retention_picks_removed_and_long_rejected_ads_only(pool: Pool) -> None:
    removed = await add_ad(pool, 2, status="removed")
    old_rejected = await add_ad(pool, 1, status="rejected")
    new_rejected = await add_ad(pool, 1, status="rejected")
    sold = await add_ad(pool, 1, status="sold")
    published = await add_ad(pool, 1, status="published")
    expired = await add_ad(pool, 1, status="expired")
    await pool.execute(
        "UPDATE ads SET decided_at = now() - interval '31 days' WHERE id = $1", old_rejected
    )
    await pool.execute(
        "UPDATE ads SET decided_at = now() - interval '29 days' WHERE id = $1", new_rejected
    )
    await archive(pool, removed, [0])  # position 1 of the removed ad was never archived
    for ad_id in (old_rejected, new_rejected, sold, published, expired):
        await archive(pool, ad_id, [0])

    async with pool.acquire() as conn, conn.transaction():
        found = await db_photos.claim_expired(conn, rejected_for=timedelta(days=30))
        assert found == [
            db_photos.ExpiredPhoto(removed, 0, f"ads/{removed}/0.jpg"),
            db_photos.ExpiredPhoto(removed, 1, None),
            db_photos.ExpiredPhoto(old_rejected, 0, f"ads/{old_rejected}/0.jpg"),
        ]
        # Another pass running meanwhile skips what this one holds.
        async with pool.acquire() as other, other.transaction():
            assert await db_photos.claim_expired(other, rejected_for=timedelta(days=30)) == []
        await db_photos.mark_deleted(conn, [(p.ad_id, p.position) for p in found])

    async with pool.acquire() as conn, conn.transaction():
        assert await db_photos.claim_expired(conn, rejected_for=timedelta(days=30)) == []
        # A shorter retention reaches the recent rejection, still never the sold ad.
        shorter = await db_photos.claim_expired(conn, rejected_for=timedelta(days=1))
        assert [(p.ad_id, p.position) for p in shorter] == [(new_rejected, 0)]
    # The removed ad's unarchived photo is not worth archiving any more.
    assert await claim(pool) == []
    assert await db_photos.archived_keys(pool, removed) is None
    assert await db_photos.archived_keys(pool, sold) == [f"ads/{sold}/0.jpg"]


async def test_retention_works_in_batches(pool: Pool) -> None:
    ad_id = await add_ad(pool, 5, status="removed")
    async with pool.acquire() as conn, conn.transaction():
        first = await db_photos.claim_expired(conn, rejected_for=timedelta(days=30), limit=3)
        await db_photos.mark_deleted(conn, [(p.ad_id, p.position) for p in first])
    async with pool.acquire() as conn, conn.transaction():
        rest = await db_photos.claim_expired(conn, rejected_for=timedelta(days=30), limit=3)
    assert [p.position for p in first] == [0, 1, 2]
    assert [p.position for p in rest] == [3, 4]
    deleted = await pool.fetchval(
        "SELECT count(*) FROM ad_photos WHERE ad_id = $1 AND deleted_at IS NOT NULL", ad_id
    )
    assert deleted == 3


async def test_archived_keys_are_in_position_order_once_all_are_archived(pool: Pool) -> None:
    ad_id = await add_ad(pool, 3)
    assert await db_photos.archived_keys(pool, ad_id) is None
    await archive(pool, ad_id, [2, 0])
    assert await db_photos.archived_keys(pool, ad_id) is None
    await archive(pool, ad_id, [1])
    assert await db_photos.archived_keys(pool, ad_id) == [f"ads/{ad_id}/{i}.jpg" for i in range(3)]
    assert await db_photos.archived_keys(pool, ad_id + 1000) == []  # no such ad: nothing to send


async def test_replace_file_ids_keeps_the_archive_state(pool: Pool) -> None:
    ad_id = await add_ad(pool, 2)
    other = await add_ad(pool, 2)
    await archive(pool, ad_id, [0, 1])
    async with pool.acquire() as conn, conn.transaction():
        updated = await db_photos.replace_file_ids(
            conn, ad_id, [("new-file-0", "new-uniq-0"), ("new-file-1", "new-uniq-1")]
        )
    assert updated == 2
    rows = await pool.fetch(
        "SELECT ad_id, position, file_id, file_unique_id, storage_key FROM ad_photos "
        "ORDER BY ad_id, position"
    )
    assert [tuple(r) for r in rows] == [
        (ad_id, 0, "new-file-0", "new-uniq-0", f"ads/{ad_id}/0.jpg"),
        (ad_id, 1, "new-file-1", "new-uniq-1", f"ads/{ad_id}/1.jpg"),
        (other, 0, f"file-{other}-0", f"uniq-{other}-0", None),
        (other, 1, f"file-{other}-1", f"uniq-{other}-1", None),
    ]
    async with pool.acquire() as conn:
        # More ids than photos: only the existing positions change, and the count says so.
        assert await db_photos.replace_file_ids(conn, ad_id, [("a", "b")] * 3) == 2
        assert await db_photos.replace_file_ids(conn, ad_id, []) == 0


async def test_inserting_photos_wakes_the_archiver_on_commit(pool: Pool) -> None:
    woken: asyncio.Queue[str] = asyncio.Queue()

    def notified(_conn: object, _pid: int, channel: str, _payload: object) -> None:
        woken.put_nowait(channel)

    async with pool.acquire() as listener:
        await listener.add_listener(db_photos.CHANNEL_NAME, notified)
        try:
            await add_ad(pool, 3)
            channel = await asyncio.wait_for(woken.get(), timeout=5)
        finally:
            # A pooled connection must not go back with a listener on it.
            await listener.remove_listener(db_photos.CHANNEL_NAME, notified)
    assert channel == db_photos.CHANNEL_NAME

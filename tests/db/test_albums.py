"""The album parts webhook instances share (db/albums.py): the first part claims the album,
the claimer takes every part in message order, and no part is lost to a race with the take."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from aiogram.types import Update

from tests.unit.test_intake import message
from vodiy_bozor.db import albums
from vodiy_bozor.db.pool import create_pool
from vodiy_bozor.telegram.intake import AlbumPart, Intake, SharedAlbums


@pytest.fixture
async def pool(db_url: str) -> AsyncIterator[asyncpg.Pool[Any]]:
    pool = await create_pool(db_url, min_size=1, max_size=4)
    yield pool
    await pool.close()


async def test_the_first_part_claims_and_the_take_returns_every_part_in_message_order(
    pool: asyncpg.Pool[Any],
) -> None:
    # Parts arrive out of order, as they do across instances.
    claims = [
        await albums.add_part(pool, "g1", update_id, message_id, f"body{message_id}")
        for update_id, message_id in ((12, 3), (10, 1), (11, 2))
    ]
    assert claims == [True, False, False]
    assert await albums.add_part(pool, "g2", 20, 1, "other") is True  # another album
    quiet = await albums.quiet_for(pool, "g1")
    assert quiet is not None
    assert 0 <= quiet < 60
    async with pool.acquire() as conn:
        taken = await albums.take(conn, "g1")
    assert taken == [(10, "body1"), (11, "body2"), (12, "body3")]
    assert await albums.quiet_for(pool, "g1") is None
    assert await pool.fetchval("SELECT count(*) FROM album_parts") == 1  # g2's stays
    # A part that comes after the album was fed starts an album of its own.
    assert await albums.add_part(pool, "g1", 13, 4, "late") is True


async def test_a_part_added_while_the_album_is_taken_is_taken_with_it(
    pool: asyncpg.Pool[Any],
) -> None:
    assert await albums.add_part(pool, "g", 1, 1, "first") is True
    async with pool.acquire() as adder, pool.acquire() as taker:
        late = adder.transaction()
        await late.start()
        # The late part is written but not committed: it holds the album row.
        assert await albums.add_part(adder, "g", 2, 2, "second") is False
        take = asyncio.create_task(albums.take(taker, "g"))
        # Wait until the take is blocked on that row, then commit the part.
        async with asyncio.timeout(10):
            while not await pool.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))",
                adder.get_server_pid(),
            ):
                assert not take.done(), "the take did not wait for the part being added"
                await asyncio.sleep(0.005)  # polling the server for the waiting backend
        await late.commit()
        assert await take == [(1, "first"), (2, "second")]
    assert await pool.fetchval("SELECT count(*) FROM album_parts") == 0


async def test_prune_forgets_the_albums_of_an_instance_that_stopped(
    pool: asyncpg.Pool[Any],
) -> None:
    await albums.add_part(pool, "old", 1, 1, "a")
    await albums.add_part(pool, "old", 2, 2, "b")
    await albums.add_part(pool, "new", 3, 1, "c")
    await pool.execute(
        "UPDATE album_parts SET arrived_at = now() - interval '2 hours'"
        " WHERE media_group_id = 'old'"
    )
    await pool.execute(
        "UPDATE albums SET last_part_at = now() - interval '2 hours' WHERE media_group_id = 'old'"
    )
    assert await albums.prune(pool, 3600) == 2
    assert await pool.fetchval("SELECT array_agg(media_group_id) FROM albums") == ["new"]
    assert await pool.fetchval("SELECT count(*) FROM album_parts") == 1


async def test_two_intakes_sharing_the_database_feed_a_split_album_once_whole_in_order(
    pool: asyncpg.Pool[Any],
) -> None:
    """Two instances' intakes, each given two parts of one album (out of order): one of them
    feeds all four, each told its place; the other feeds nothing."""
    fed: dict[str, list[tuple[int, str | None, AlbumPart | None]]] = {"one": [], "two": []}

    def feeder(name: str) -> Any:
        async def feed(bot: Any, update: Update, **kwargs: Any) -> None:
            assert update.message is not None
            fed[name].append((update.update_id, update.message.text, kwargs.get("album")))

        return feed

    one, two = (
        Intake(album_wait=0.05, album_max_wait=1.0, shared=SharedAlbums(pool)) for _ in "12"
    )
    arrivals = [(one, "one", 13), (two, "two", 11), (one, "one", 12), (two, "two", 14)]
    await asyncio.gather(
        *(
            intake.admit(feeder(name), None, message(i, 7, group="g9"))
            for intake, name, i in arrivals
        )
    )
    feeding = [parts for parts in fed.values() if parts]
    assert len(feeding) == 1
    assert feeding[0] == [
        (i, f"m{i}", AlbumPart(index, 4)) for index, i in enumerate(range(11, 15))
    ]
    assert await pool.fetchval("SELECT count(*) FROM album_parts") == 0

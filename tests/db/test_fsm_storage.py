"""The PostgreSQL FSM storage: state and data survive, and concurrent updates lose nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from aiogram.fsm.storage.base import StorageKey

from vodiy_bozor.db.pool import create_pool
from vodiy_bozor.telegram.fsm_storage import PostgresStorage, update_scope

KEY = StorageKey(bot_id=1, chat_id=42, user_id=42)


@pytest.fixture
async def pool(db_url: str) -> AsyncIterator[asyncpg.Pool[Any]]:
    pool = await create_pool(db_url, min_size=1, max_size=10)
    yield pool
    await pool.close()


async def test_state_and_data_round_trip(pool: asyncpg.Pool[Any]) -> None:
    storage = PostgresStorage(pool)
    assert await storage.get_state(KEY) is None
    assert await storage.get_data(KEY) == {}
    await storage.set_state(KEY, "NewAd:price")
    await storage.set_data(KEY, {"description": "Ўзбекча <b>", "photos": [{"id": "x"}]})
    # A new storage object (as after a restart) sees the same.
    again = PostgresStorage(pool)
    assert await again.get_state(KEY) == "NewAd:price"
    assert await again.get_data(KEY) == {"description": "Ўзбекча <b>", "photos": [{"id": "x"}]}


async def test_clear_removes_the_row(pool: asyncpg.Pool[Any]) -> None:
    storage = PostgresStorage(pool)
    await storage.set_state(KEY, "NewAd:photos")
    await storage.set_data(KEY, {"a": 1})
    await storage.set_state(KEY, None)
    assert await storage.get_data(KEY) == {"a": 1}  # data alone keeps the row
    await storage.set_data(KEY, {})
    assert await pool.fetchval("SELECT count(*) FROM fsm_states") == 0


async def test_keys_are_separate(pool: asyncpg.Pool[Any]) -> None:
    storage = PostgresStorage(pool)
    other = StorageKey(bot_id=1, chat_id=43, user_id=43)
    await storage.set_state(KEY, "A:a")
    await storage.set_state(other, "B:b")
    assert await storage.get_state(KEY) == "A:a"
    assert await storage.get_state(other) == "B:b"


async def test_concurrent_updates_lose_no_key(pool: asyncpg.Pool[Any]) -> None:
    storage = PostgresStorage(pool)
    await storage.set_state(KEY, "NewAd:photos")
    await asyncio.gather(*(storage.update_data(KEY, {f"k{i}": i}) for i in range(30)))
    data = await storage.get_data(KEY)
    assert data == {f"k{i}": i for i in range(30)}


async def test_concurrent_appends_keep_order_limit_and_uniqueness(pool: asyncpg.Pool[Any]) -> None:
    storage = PostgresStorage(pool)
    await storage.set_state(KEY, "NewAd:photos")
    await storage.set_data(KEY, {"photos": []})
    items = [{"uid": f"u{i}", "m": i} for i in range(14)] + [{"uid": "u3", "m": 3}] * 4
    results = await asyncio.gather(
        *(storage.append_unique(KEY, "photos", it, unique_by="uid", limit=10) for it in items)
    )
    photos = (await storage.get_data(KEY))["photos"]
    stored = [p["uid"] for p in photos]
    assert len(stored) == 10
    assert len(set(stored)) == 10
    # An append says "full" (None) exactly when its photo is not in the list.
    for item, result in zip(items, results, strict=True):
        assert (result is None) == (item["uid"] not in stored), (item, result)


async def test_append_reports_duplicate_and_full(pool: asyncpg.Pool[Any]) -> None:
    storage = PostgresStorage(pool)
    await storage.set_state(KEY, "NewAd:photos")
    assert await storage.append_unique(KEY, "photos", {"uid": "a"}, unique_by="uid", limit=2) == 1
    assert await storage.append_unique(KEY, "photos", {"uid": "a"}, unique_by="uid", limit=2) == 1
    assert await storage.append_unique(KEY, "photos", {"uid": "b"}, unique_by="uid", limit=2) == 2
    assert (
        await storage.append_unique(KEY, "photos", {"uid": "c"}, unique_by="uid", limit=2) is None
    )
    assert [p["uid"] for p in (await storage.get_data(KEY))["photos"]] == ["a", "b"]


async def version_of(pool: asyncpg.Pool[Any]) -> int | None:
    """The row's xmin: any write, even of equal values, makes a new row version."""
    value = await pool.fetchval("SELECT xmin::text::bigint FROM fsm_states")
    return int(value) if value is not None else None


async def test_within_one_update_an_unchanged_write_is_not_sent(pool: asyncpg.Pool[Any]) -> None:
    storage = PostgresStorage(pool)
    await storage.set_state(KEY, "NewAd:price")
    await storage.set_data(KEY, {"price": {"amount": 5, "currency": "USD"}, "photos": [1, 2]})
    before = await version_of(pool)
    with update_scope(KEY):
        assert await storage.get_state(KEY) == "NewAd:price"
        await storage.set_state(KEY, "NewAd:price")  # the same state
        await storage.update_data(KEY, {"photos": [1, 2]})  # the same value
        await storage.move(KEY, "NewAd:price", {"price": {"amount": 5, "currency": "USD"}})
    assert await version_of(pool) == before

    with update_scope(KEY):
        await storage.move(KEY, "NewAd:region", {"price": {"amount": 6, "currency": "USD"}})
        # What this update wrote is what it reads back, without asking the database again.
        assert await storage.get_state(KEY) == "NewAd:region"
        assert (await storage.get_data(KEY))["price"]["amount"] == 6
    assert await version_of(pool) != before
    assert await PostgresStorage(pool).get_state(KEY) == "NewAd:region"


async def test_the_memory_ends_with_the_update(pool: asyncpg.Pool[Any]) -> None:
    storage = PostgresStorage(pool)
    await storage.set_state(KEY, "NewAd:photos")
    with update_scope(KEY):
        assert await storage.get_state(KEY) == "NewAd:photos"
    # Another process changes the row between two updates of this user.
    await PostgresStorage(pool).set_state(KEY, "NewAd:description")
    with update_scope(KEY):
        assert await storage.get_state(KEY) == "NewAd:description"


async def test_a_returned_copy_does_not_change_what_is_remembered(
    pool: asyncpg.Pool[Any],
) -> None:
    storage = PostgresStorage(pool)
    await storage.set_data(KEY, {"photos": []})
    with update_scope(KEY):
        data = await storage.get_data(KEY)
        data["photos"] = ["not saved"]
        assert (await storage.get_data(KEY))["photos"] == []


async def test_clear_is_one_delete(pool: asyncpg.Pool[Any]) -> None:
    storage = PostgresStorage(pool)
    await storage.set_state(KEY, "NewAd:photos")
    await storage.set_data(KEY, {"photos": [1]})
    with update_scope(KEY):
        await storage.clear(KEY)
        assert await storage.get_state(KEY) is None
        assert await storage.get_data(KEY) == {}
    assert await pool.fetchval("SELECT count(*) FROM fsm_states") == 0


async def test_drop_marked_ends_awaited_questions_in_one_statement(
    pool: asyncpg.Pool[Any],
) -> None:
    """bot/awaited.py's escape: marked rows lose the question's keys (a row left empty goes),
    rows without the mark and other destinies are untouched."""
    storage = PostgresStorage(pool)
    reason = StorageKey(bot_id=1, chat_id=42, user_id=42, destiny="reason")
    search = StorageKey(bot_id=1, chat_id=42, user_id=42, destiny="search")
    idle = StorageKey(bot_id=1, chat_id=42, user_id=42, destiny="idle")
    await storage.set_data(reason, {"ad": 7, "awaiting": "reason", "until": 1.0})
    await storage.set_data(search, {"q": "telefon", "awaiting": "words", "until": 1.0})
    await storage.set_data(idle, {"q": "x", "awaiting": None})
    await storage.set_data(KEY, {"awaiting": "words", "description": "draft"})
    await storage.drop_marked(
        KEY, ["reason", "search", "idle"], "awaiting", ["ad", "awaiting", "until"]
    )
    assert await storage.get_data(search) == {"q": "telefon"}
    assert await storage.get_data(idle) == {"q": "x", "awaiting": None}
    assert await storage.get_data(KEY) == {"awaiting": "words", "description": "draft"}
    rows = await pool.fetchval("SELECT count(*) FROM fsm_states WHERE destiny = 'reason'")
    assert rows == 0


class Counted:
    """Every statement the storage's pool sends, on a pool of one connection."""

    def __init__(self, pool: asyncpg.Pool[Any]) -> None:
        self.pool = pool
        self.statements: list[str] = []

    async def start(self) -> Counted:
        async with self.pool.acquire() as conn:
            conn.add_query_logger(lambda logged: self.statements.append(logged.query))
        return self


async def test_one_read_brings_every_destiny_and_an_escape_with_none_marked_costs_nothing(
    db_url: str,
) -> None:
    counted = await Counted(await create_pool(db_url, min_size=1, max_size=1)).start()
    storage = PostgresStorage(counted.pool)
    search = StorageKey(bot_id=1, chat_id=42, user_id=42, destiny="search")
    reason = StorageKey(bot_id=1, chat_id=42, user_id=42, destiny="reason")
    other_user = StorageKey(bot_id=1, chat_id=43, user_id=43, destiny="search")
    try:
        await storage.set_state(KEY, "NewAd:price")
        await storage.set_data(search, {"q": "telefon", "awaiting": None})
        await storage.set_data(other_user, {"awaiting": "words", "until": 1.0})
        with update_scope(KEY):
            before = len(counted.statements)
            assert await storage.get_state(KEY) == "NewAd:price"
            assert await storage.get_data(search) == {"q": "telefon", "awaiting": None}
            assert await storage.get_data(reason) == {}
            assert len(counted.statements) == before + 1  # one read for all three
            # Nothing of this user's is awaited (the other user's question is not theirs).
            await storage.drop_marked(KEY, ["search", "reason"], "awaiting", ["awaiting", "until"])
            assert len(counted.statements) == before + 1
        with update_scope(KEY):
            await storage.get_state(KEY)
            await storage.update_data(search, {"awaiting": "words", "until": 1.0})
            before = len(counted.statements)
            await storage.drop_marked(KEY, ["search", "reason"], "awaiting", ["awaiting", "until"])
            assert len(counted.statements) == before + 1  # one is awaited now: dropped
            # What the statement changed is read again, not taken from memory.
            assert await storage.get_data(search) == {"q": "telefon"}
        # Outside an update's scope nothing is known: the drop is always sent.
        before = len(counted.statements)
        await storage.drop_marked(other_user, ["search"], "awaiting", ["awaiting", "until"])
        assert len(counted.statements) == before + 1
        assert await storage.get_data(other_user) == {}
    finally:
        await counted.pool.close()


async def test_a_write_to_a_destiny_known_to_be_empty_is_remembered(
    pool: asyncpg.Pool[Any],
) -> None:
    storage = PostgresStorage(pool)
    search = StorageKey(bot_id=1, chat_id=42, user_id=42, destiny="search")
    await storage.set_state(KEY, "NewAd:price")
    with update_scope(KEY):
        await storage.get_state(KEY)  # knows the user has no search row
        await storage.update_data(search, {"awaiting": "words"})
        assert await storage.get_data(search) == {"awaiting": "words"}
        await storage.clear(search)
        assert await storage.get_data(search) == {}
        await storage.set_data(search, {"q": "x"})
        assert await storage.get_data(search) == {"q": "x"}
    assert await PostgresStorage(pool).get_data(search) == {"q": "x"}


# -- kept across updates (polling: this process is the only one that takes updates) ----------


async def _counted(db_url: str, remember: int) -> tuple[Counted, PostgresStorage]:
    counted = await Counted(await create_pool(db_url, min_size=1, max_size=1)).start()
    return counted, PostgresStorage(counted.pool, remember=remember)


async def test_a_polling_bot_reads_a_users_rows_once_across_updates(db_url: str) -> None:
    counted, storage = await _counted(db_url, remember=10)
    try:
        await PostgresStorage(counted.pool).set_state(KEY, "NewAd:price")
        with update_scope(KEY, storage):
            assert await storage.get_state(KEY) == "NewAd:price"
            await storage.move(KEY, "NewAd:region", {"price": {"amount": 6, "currency": "USD"}})
        before = len(counted.statements)
        with update_scope(KEY, storage):  # the user's next update
            assert await storage.get_state(KEY) == "NewAd:region"
            assert (await storage.get_data(KEY))["price"]["amount"] == 6
            await storage.move(KEY, "NewAd:phone", {"region": "fergana"})
        assert len(counted.statements) == before + 1  # the write only: nothing read
        # What was kept is what the table holds.
        assert await PostgresStorage(counted.pool).get_state(KEY) == "NewAd:phone"
        assert (await PostgresStorage(counted.pool).get_data(KEY))["region"] == "fergana"
        # A user with no rows is kept as having none.
        nobody = StorageKey(bot_id=1, chat_id=77, user_id=77)
        with update_scope(nobody, storage):
            assert await storage.get_state(nobody) is None
        before = len(counted.statements)
        with update_scope(nobody, storage):
            assert await storage.get_state(nobody) is None
        assert len(counted.statements) == before
    finally:
        await counted.pool.close()


async def _fail_after_a_write(storage: PostgresStorage) -> None:
    with update_scope(KEY, storage):
        await storage.move(KEY, "NewAd:price", {"a": 1})
        raise RuntimeError("the handler failed after the write")


async def test_an_update_that_fails_leaves_nothing_kept(db_url: str) -> None:
    counted, storage = await _counted(db_url, remember=10)
    try:
        with update_scope(KEY, storage):
            await storage.get_state(KEY)
        with pytest.raises(RuntimeError):
            await _fail_after_a_write(storage)
        # Another process's change cannot be seen through the storage, so this shows whether
        # the next update reads the table again (it must) or trusts what it had.
        await counted.pool.execute("UPDATE fsm_states SET state = 'NewAd:phone'")
        before = len(counted.statements)
        with update_scope(KEY, storage):
            assert await storage.get_state(KEY) == "NewAd:phone"
        assert len(counted.statements) == before + 1
    finally:
        await counted.pool.close()


async def test_a_write_that_failed_is_not_kept_even_when_the_handler_carries_on(
    db_url: str,
) -> None:
    counted, storage = await _counted(db_url, remember=10)
    try:
        await PostgresStorage(counted.pool).set_data(KEY, {"a": 1})
        with update_scope(KEY, storage):
            assert await storage.get_data(KEY) == {"a": 1}
            # PostgreSQL refuses a NUL in jsonb text: the statement is sent and fails.
            with pytest.raises(asyncpg.UntranslatableCharacterError):
                await storage.update_data(KEY, {"a": "\u0000"})
        before = len(counted.statements)
        with update_scope(KEY, storage):
            assert await storage.get_data(KEY) == {"a": 1}
        assert len(counted.statements) == before + 1  # read again, not trusted
        assert not counted.statements[-1].lstrip().startswith("INSERT")
    finally:
        await counted.pool.close()


async def test_a_write_outside_an_update_and_a_second_consumer_drop_what_is_kept(
    db_url: str,
) -> None:
    counted, storage = await _counted(db_url, remember=10)
    try:
        with update_scope(KEY, storage):
            await storage.set_state(KEY, "NewAd:price")
        await storage.set_state(KEY, "NewAd:phone")  # e.g. a job, outside any update
        with update_scope(KEY, storage):
            assert await storage.get_state(KEY) == "NewAd:phone"
        storage.stop_remembering()  # Telegram said 409: another process takes updates too
        await counted.pool.execute("UPDATE fsm_states SET state = 'NewAd:region'")
        with update_scope(KEY, storage):
            assert await storage.get_state(KEY) == "NewAd:region"
        before = len(counted.statements)
        with update_scope(KEY, storage):
            assert await storage.get_state(KEY) == "NewAd:region"
        assert len(counted.statements) == before + 1  # nothing is kept any more
    finally:
        await counted.pool.close()


async def test_only_the_most_recent_users_are_kept(db_url: str) -> None:
    counted, storage = await _counted(db_url, remember=2)
    users = [StorageKey(bot_id=1, chat_id=u, user_id=u) for u in (1, 2, 3)]
    try:
        for key in users:
            with update_scope(key, storage):
                await storage.get_state(key)
        before = len(counted.statements)
        for key in (users[2], users[1], users[0]):
            with update_scope(key, storage):
                await storage.get_state(key)
        # 3 and 2 were kept; 1 had gone (and reading it again pushed out 3).
        assert len(counted.statements) == before + 1
        before = len(counted.statements)
        for key in (users[1], users[0]):
            with update_scope(key, storage):
                await storage.get_state(key)
        assert len(counted.statements) == before
    finally:
        await counted.pool.close()

"""The photo archive end to end: the real bot against the fake Bot API, a real PostgreSQL and a
real store (a folder, SeaweedFS, moto over HTTP). Every photo of a submitted ad lands in the
store byte for byte, once, whatever fails on the way; retention removes what it should.

The archiver is started by each test (it is not one of `all_workers()` yet), with short
backoffs so retries happen within the test's time.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.conftest import ADMIN_A, ADMIN_B, RunningBot, bot_env, listings_on
from tests.fake_telegram import FakeTelegram, fake_jpeg
from tests.support.polling import wait_for
from tests.support.s3_servers import (
    MotoS3Server,
    S3TestServer,
    SeaweedFSServer,
    moto_s3_server,
    seaweedfs_s3_server,
    unique_bucket_name,
)
from vodiy_bozor.app import App, open_app
from vodiy_bozor.config import Settings
from vodiy_bozor.db.pool import create_pool
from vodiy_bozor.delivery.archive import Archiver, ArchiveTiming, load_archived
from vodiy_bozor.delivery.photo_store import LocalPhotoStore, PhotoStore, S3PhotoStore, photo_key
from vodiy_bozor.models import AdContent, Category, Currency, Photo, Price, Region

BACKENDS = ["local", "seaweedfs", "moto"]
S3_BACKENDS = ["seaweedfs", "moto"]

# Retries within a fraction of a second instead of 5 s .. 10 min.
FAST = ArchiveTiming(backoff_base=0.1, backoff_max=0.3, idle_poll=1.0, busy_poll=0.05)


# -- the stores ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def seaweedfs_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedFSServer]:
    with seaweedfs_s3_server(tmp_path_factory.mktemp("archive-seaweedfs")) as server:
        yield server


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoS3Server]:
    with moto_s3_server() as server:
        yield server


@dataclass
class Backend:
    """Where the bot's photo store points, and a way to see everything in it."""

    name: str
    data_dir: Path
    server: S3TestServer | None = None
    bucket: str | None = None

    def env(self) -> dict[str, str]:
        if self.server is None:
            return {}  # the default: a folder under DATA_DIR
        assert self.bucket is not None
        settings = self.server.client_settings()
        return {
            "S3_BUCKET": self.bucket,
            "S3_ENDPOINT_URL": settings["endpoint_url"],
            "AWS_REGION": settings["region"],
            "AWS_ACCESS_KEY_ID": settings["access_key_id"],
            "AWS_SECRET_ACCESS_KEY": settings["secret_access_key"],
        }

    async def contents(self) -> dict[str, bytes]:
        """Every object in the store, by key: the whole folder or the whole bucket."""
        if self.server is None:
            return await asyncio.to_thread(_folder_contents, self.data_dir / "photos")
        assert self.bucket is not None
        return await _bucket_contents(self.server, self.bucket)


def _folder_contents(root: Path) -> dict[str, bytes]:
    """The files under `root`, by key. Retention may delete files while this reads (a test waits
    for them to go): a file listed and gone before it is read is gone, not an error."""
    while True:
        try:
            paths = list(root.rglob("*"))
            break
        except FileNotFoundError:  # a folder went while it was walked: walk again
            if not root.exists():
                return {}
    contents = {}
    for path in paths:
        try:
            contents[path.relative_to(root).as_posix()] = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            continue
    return contents


async def _bucket_contents(server: S3TestServer, bucket: str) -> dict[str, bytes]:
    from aiobotocore.config import AioConfig
    from aiobotocore.session import AioSession

    settings = server.client_settings()
    async with AioSession().create_client(
        "s3",
        endpoint_url=settings["endpoint_url"],
        region_name=settings["region"],
        aws_access_key_id=settings["access_key_id"],
        aws_secret_access_key=settings["secret_access_key"],
        config=AioConfig(s3={"addressing_style": "path"}),
    ) as client:
        keys: list[str] = []
        async for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            keys.extend(obj["Key"] for obj in page.get("Contents", []) if "Key" in obj)
        contents: dict[str, bytes] = {}
        for key in keys:
            try:
                response = await client.get_object(Bucket=bucket, Key=key)
            except client.exceptions.NoSuchKey:
                continue  # deleted (by retention, while a test waits for it) since the listing
            async with response["Body"] as body:
                contents[key] = await body.read()
        return contents


async def _make_backend(request: pytest.FixtureRequest, name: str, data_dir: Path) -> Backend:
    if name == "local":
        return Backend(name, data_dir)
    # Looked up lazily, so that `-k local` starts no server.
    server = request.getfixturevalue(f"{name}_server")
    assert isinstance(server, S3TestServer)
    server.start()  # an earlier test may have failed while the server was stopped
    bucket = unique_bucket_name("archive")
    async with S3PhotoStore(bucket, **server.client_settings()) as store:
        await store.ensure_bucket()
    return Backend(name, data_dir, server, bucket)


@pytest.fixture(params=BACKENDS)
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    made = await _make_backend(request, str(request.param), tmp_path)
    yield made
    if made.server is not None:
        made.server.start()  # leave the shared server running for the next test


@pytest.fixture(params=S3_BACKENDS)
async def s3_backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    made = await _make_backend(request, str(request.param), tmp_path)
    yield made
    assert made.server is not None
    made.server.start()


@pytest.fixture
def local_backend(tmp_path: Path) -> Backend:
    return Backend("local", tmp_path)


# -- the bot and the archiver --------------------------------------------------------------------


@pytest.fixture(autouse=True)
def admins(fake: FakeTelegram) -> None:
    """The admins have started the bot, so the ads' cards reach them."""
    fake.user(ADMIN_A, "Aziz")
    fake.user(ADMIN_B, "Botir")


@contextlib.asynccontextmanager
async def bot_running(
    fake: FakeTelegram, db_url: str, backend: Backend
) -> AsyncIterator[RunningBot]:
    settings = Settings.from_env(bot_env(fake, db_url, backend.data_dir, **backend.env()))
    bot = RunningBot(settings)
    await bot.start()
    try:
        await fake.wait_call("getUpdates", timeout=10)
        yield bot
    finally:
        await bot.stop()


@contextlib.asynccontextmanager
async def archiver_running(
    app: App, store: PhotoStore | None = None, **options: Any
) -> AsyncIterator[Archiver]:
    archiver = Archiver(app.pool, app.worker_bot, store or app.photos, replace(FAST, **options))
    stop = asyncio.Event()
    task = asyncio.create_task(archiver.run(stop))
    try:
        yield archiver
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=15)


def app_of(bot: RunningBot) -> App:
    assert bot.app is not None
    return bot.app


async def submit(
    app: App, fake: FakeTelegram, owner_id: int, photos: int = 3, *, big: int | None = None
) -> tuple[int, list[str]]:
    """A pending ad as the dialog stores it; the photo at position `big` is over 20 MB."""
    return await submit_to(app.pool, fake, owner_id, photos, big=big)


async def submit_to(
    pool: asyncpg.Pool[Any],
    fake: FakeTelegram,
    owner_id: int,
    photos: int = 3,
    *,
    big: int | None = None,
) -> tuple[int, list[str]]:
    fake.user(owner_id, f"Seller{owner_id}")  # so the bot's notices to the seller arrive
    await pool.execute(
        "INSERT INTO users (id, first_name) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        owner_id,
        f"Seller{owner_id}",
    )
    files = [
        fake.add_file(
            fake_jpeg(3000 + 100 * i),
            kind="photo",
            file_size=25 * 1024 * 1024 if i == big else None,
        )
        for i in range(photos)
    ]
    content = AdContent(
        category=Category.PHONES,
        description="iPhone 13, 128 GB, қутиси бор",
        price=Price(6_500_000, Currency.UZS),
        region=Region.FERGANA,
        district="Қўқон",
        phone="+998901112233",
        photos=tuple(Photo(file_id, unique_id) for file_id, unique_id in files),
    )
    ad_id = await listings_on(pool).submit(owner_id, content)
    return ad_id, [file_id for file_id, _ in files]


async def photo_rows(db: asyncpg.Connection[Any], ad_id: int) -> list[asyncpg.Record]:
    return await db.fetch("SELECT * FROM ad_photos WHERE ad_id = $1 ORDER BY position", ad_id)


async def wait_archived(db: asyncpg.Connection[Any], *ad_ids: int, within: float = 10.0) -> None:
    async def done() -> bool:
        waiting = await db.fetchval(
            "SELECT count(*) FROM ad_photos WHERE ad_id = ANY($1) AND storage_key IS NULL",
            list(ad_ids),
        )
        return bool(waiting == 0)

    await wait_for(done, within=within, what=f"the photos of ads {ad_ids} to be archived")


def expected(ad_id: int, file_ids: list[str], fake: FakeTelegram) -> dict[str, bytes]:
    """What the store must hold for the ad: Telegram's bytes under each position's key."""
    return {photo_key(ad_id, i): fake.file(file_id).data for i, file_id in enumerate(file_ids)}


def get_files(fake: FakeTelegram, file_id: str) -> int:
    return sum(c.method == "getFile" and c.params.get("file_id") == file_id for c in fake.calls)


# -- the tests -----------------------------------------------------------------------------------


async def test_every_photo_lands_in_the_store_byte_for_byte(
    fake: FakeTelegram, db_url: str, db: asyncpg.Connection[Any], backend: Backend
) -> None:
    async with bot_running(fake, db_url, backend) as bot:
        app = app_of(bot)
        stop = asyncio.Event()
        worker = asyncio.create_task(app.archive(stop))  # the production entry point
        try:
            first, first_files = await submit(app, fake, 801, photos=3)
            await wait_archived(db, first)
            # The worker is idle now (its poll is 30 s): the next ad's NOTIFY must wake it.
            second, second_files = await submit(app, fake, 802, photos=1)
            await wait_archived(db, second, within=5)
        finally:
            stop.set()
            await asyncio.wait_for(worker, timeout=15)

        want = expected(first, first_files, fake) | expected(second, second_files, fake)
        assert await backend.contents() == want
        for ad_id in (first, second):
            for row in await photo_rows(db, ad_id):
                assert row["storage_key"] == photo_key(ad_id, row["position"])
                assert row["archived_at"] is not None
                assert (row["archive_attempts"], row["archive_error"]) == (0, None)
        assert len(fake.downloads) == 4  # through getFile and the file URL, once each

        # What the courier sends when Telegram refuses the stored file_ids.
        archived = await load_archived(app.pool, app.photos, first)
        assert archived == [fake.file(file_id).data for file_id in first_files]


async def test_an_s3_outage_delays_the_archive_not_the_seller(
    fake: FakeTelegram, db_url: str, db: asyncpg.Connection[Any], s3_backend: Backend
) -> None:
    server = s3_backend.server
    assert server is not None
    async with bot_running(fake, db_url, s3_backend) as bot:
        app = app_of(bot)
        async with archiver_running(app):
            server.stop()
            began = time.monotonic()
            ad_id, file_ids = await submit(app, fake, 811, photos=3)
            assert time.monotonic() - began < 2.0  # no S3 on the seller's path
            assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "pending"
            # The admins get the ad meanwhile: the outbox does not wait for the archive.
            await fake.wait_call("sendMediaGroup", chat_id=ADMIN_A, ok=True, timeout=10)

            async def failed() -> bool:
                rows = await photo_rows(db, ad_id)
                return all(r["archive_attempts"] >= 1 for r in rows)

            await wait_for(failed, within=30, what="a failed try of every photo")
            rows = await photo_rows(db, ad_id)
            assert all(r["storage_key"] is None for r in rows)
            assert all(r["archive_error"].startswith("store: ") for r in rows)
            assert not any(r["archive_given_up"] for r in rows)

            server.start()  # same port, same data
            await wait_archived(db, ad_id, within=30)

        # Exactly one object per photo, under the recorded keys, with Telegram's bytes.
        assert await s3_backend.contents() == expected(ad_id, file_ids, fake)
        rows = await photo_rows(db, ad_id)
        assert [r["storage_key"] for r in rows] == [photo_key(ad_id, i) for i in range(3)]
        assert all(r["archive_error"] is None for r in rows)


async def test_a_file_over_20_mb_is_given_up_not_retried(
    fake: FakeTelegram, db_url: str, db: asyncpg.Connection[Any], local_backend: Backend
) -> None:
    async with bot_running(fake, db_url, local_backend) as bot:
        app = app_of(bot)
        # No jitter room: any retry of the big photo would come within 0.1 s of its failure.
        async with archiver_running(app, backoff_base=0.1, backoff_max=0.1):
            ad_id, file_ids = await submit(app, fake, 821, photos=2, big=1)

            async def settled() -> bool:
                rows = await photo_rows(db, ad_id)
                return rows[0]["storage_key"] is not None and rows[1]["archive_given_up"]

            await wait_for(settled, what="the small photo archived, the big one given up")
            # Another ad whose getFile fails three times: it is archived only after three
            # backoffs (>= 0.24 s), long after a retry of the big photo would have happened.
            fake.fail_with(500, methods=["getFile"], times=3)
            later, later_files = await submit(app, fake, 822, photos=1)
            await wait_archived(db, later)

        assert get_files(fake, file_ids[1]) == 1
        assert get_files(fake, later_files[0]) == 4
        big = (await photo_rows(db, ad_id))[1]
        assert big["storage_key"] is None
        assert big["archive_attempts"] == 1
        assert "file is too big" in big["archive_error"]
        assert await local_backend.contents() == {
            photo_key(ad_id, 0): fake.file(file_ids[0]).data,
            photo_key(later, 0): fake.file(later_files[0]).data,
        }
        # Half an album cannot replace the post's photos.
        assert await load_archived(app.pool, app.photos, ad_id) is None


async def test_a_restart_between_submit_and_archive_loses_nothing(
    fake: FakeTelegram, db_url: str, db: asyncpg.Connection[Any], local_backend: Backend
) -> None:
    async with bot_running(fake, db_url, local_backend) as bot:
        app = app_of(bot)
        fake.fail_with(502, methods=["getFile"])  # Telegram's file servers are down
        async with archiver_running(app):
            ad_id, file_ids = await submit(app, fake, 831, photos=2)

            async def tried() -> bool:
                return all(r["archive_attempts"] >= 1 for r in await photo_rows(db, ad_id))

            await wait_for(tried, what="a failed try of each photo")

        # The process goes away and comes back: nothing of the archive lives in memory.
        app = await bot.restart()
        assert (
            await db.fetchval(
                "SELECT count(*) FROM ad_photos WHERE ad_id = $1 AND storage_key IS NULL", ad_id
            )
            == 2
        )
        fake.clear_faults()
        async with archiver_running(app):
            await wait_archived(db, ad_id)

    assert await local_backend.contents() == expected(ad_id, file_ids, fake)
    rows = await photo_rows(db, ad_id)
    assert all(r["archive_attempts"] >= 1 and r["archive_error"] is None for r in rows)
    assert get_files(fake, file_ids[0]) >= 2  # failed before the restart, succeeded after


class CountingStore:
    """The real store, with a tally of the keys written (to see duplicate work)."""

    def __init__(self, inner: PhotoStore) -> None:
        self.inner = inner
        self.puts: Counter[str] = Counter()

    async def put(self, key: str, data: bytes, content_type: str = "image/jpeg") -> None:
        self.puts[key] += 1
        await self.inner.put(key, data, content_type)

    async def get(self, key: str) -> bytes:
        return await self.inner.get(key)

    async def delete(self, key: str) -> None:
        await self.inner.delete(key)

    async def exists(self, key: str) -> bool:
        return await self.inner.exists(key)

    async def close(self) -> None:
        await self.inner.close()

    def describe(self) -> str:
        return self.inner.describe()


async def test_two_processes_store_each_photo_once(
    fake: FakeTelegram, db_url: str, db: asyncpg.Connection[Any], tmp_path: Path
) -> None:
    """Two archivers with their own pools, bots and store clients, as two bot processes would
    run: both are woken by every submission, and no photo is stored twice. (No bot serving
    here, so no other worker can take part and blur the count.)"""
    backend = Backend("local", tmp_path)
    async with contextlib.AsyncExitStack() as stack:
        archivers: list[Archiver] = []
        stores: list[CountingStore] = []
        for _ in range(2):
            pool = await create_pool(db_url, min_size=1, max_size=4)
            stack.push_async_callback(pool.close)
            bot = fake.make_bot()
            stack.push_async_callback(bot.session.close)
            store = CountingStore(LocalPhotoStore(tmp_path / "photos"))
            archiver = Archiver(pool, bot, store, replace(FAST, batch_size=2))
            stop = asyncio.Event()
            task = asyncio.create_task(archiver.run(stop))
            stack.push_async_callback(asyncio.wait_for, task, 15)
            stack.callback(stop.set)
            archivers.append(archiver)
            stores.append(store)

        submitted: dict[int, list[str]] = {}
        async with contextlib.AsyncExitStack() as pools:
            pool = await create_pool(db_url, min_size=1, max_size=2)
            pools.push_async_callback(pool.close)
            for owner in range(841, 846):
                ad_id, file_ids = await submit_to(pool, fake, owner, photos=3)
                submitted[ad_id] = file_ids
        await wait_archived(db, *submitted)

    want: dict[str, bytes] = {}
    for ad_id, file_ids in submitted.items():
        want |= expected(ad_id, file_ids, fake)
    assert await backend.contents() == want
    puts = stores[0].puts + stores[1].puts
    assert dict(puts) == dict.fromkeys(want, 1)
    # Both found work: they really competed for the same rows.
    assert all(archiver.archived > 0 for archiver in archivers)
    assert sum(archiver.archived for archiver in archivers) == 15


async def test_retention_deletes_removed_and_old_rejected_photos_keeps_sold(
    fake: FakeTelegram, db_url: str, db: asyncpg.Connection[Any], backend: Backend
) -> None:
    async with bot_running(fake, db_url, backend) as bot:
        app = app_of(bot)
        async with archiver_running(app, retention_interval=0.1):
            removed, _ = await submit(app, fake, 851, photos=2)
            sold, sold_files = await submit(app, fake, 852, photos=2)
            old_rejected, _ = await submit(app, fake, 853, photos=1)
            new_rejected, new_rejected_files = await submit(app, fake, 854, photos=1)
            await wait_archived(db, removed, sold, old_rejected, new_rejected)

            for ad_id in (old_rejected, new_rejected):
                decision = await app.listings.reject(ad_id, ADMIN_A, reason="Хира")
                assert decision.applied
            await db.execute(
                "UPDATE ads SET decided_at = now() - interval '31 days' WHERE id = $1",
                old_rejected,
            )
            await db.execute(
                "UPDATE ads SET status = 'removed', closed_at = now() WHERE id = $1", removed
            )
            await db.execute(
                "UPDATE ads SET status = 'sold', closed_at = now() WHERE id = $1", sold
            )

            async def cleaned() -> bool:
                deleted = await db.fetchval(
                    "SELECT count(*) FROM ad_photos WHERE deleted_at IS NOT NULL"
                )
                return bool(deleted == 3)

            await wait_for(cleaned, what="the removed and the long-rejected ad's photos deleted")

        assert await backend.contents() == expected(sold, sold_files, fake) | expected(
            new_rejected, new_rejected_files, fake
        )
        kept = await db.fetch(
            "SELECT ad_id FROM ad_photos WHERE deleted_at IS NULL ORDER BY ad_id, position"
        )
        assert [r["ad_id"] for r in kept] == [sold, sold, new_rejected]
        assert await load_archived(app.pool, app.photos, removed) is None
        assert await load_archived(app.pool, app.photos, sold) is not None


async def test_a_refused_file_id_is_posted_from_the_archive(
    fake: FakeTelegram, db_url: str, db: asyncpg.Connection[Any], local_backend: Backend
) -> None:
    async with bot_running(fake, db_url, local_backend) as bot:
        app = app_of(bot)
        ad_id, file_ids = await submit(app, fake, 901, photos=2)
        await wait_archived(db, ad_id)

        # The admins' copies go out first: were they refused too, their upload would give the
        # ad new file_ids, and the channel post would never meet a refused one.
        async def admins_served() -> bool:
            pending: int = await db.fetchval("SELECT count(*) FROM outbox WHERE status = 'pending'")
            return pending == 0

        await wait_for(admins_served, within=10, what="the admins' photos and cards sent")
        # The stored file_ids stop working (a new bot token, or files Telegram dropped).
        fake.reject_file_ids(file_ids)
        decision = await app.listings.approve(ad_id, ADMIN_A)
        assert decision.applied
        post = await fake.channel.wait_post(contains="iPhone 13", timeout=10)
        to_channel = [c for c in fake.calls if c.params.get("chat_id") == app.settings.channel_id]
        # First with the stored file_ids, as JSON; then uploaded, the one multipart call
        # (bot/session.py).
        assert [(c.method, c.status, c.content_type) for c in to_channel] == [
            ("sendMediaGroup", 400, "application/json"),
            ("sendMediaGroup", 200, "multipart/form-data"),
        ]
        # The album went out once, made of the archived bytes.
        album = [m for m in fake.channel.messages if m.media_group_id == post.media_group_id]
        assert len(fake.channel.messages) == len(album) == 2
        sent = [fake.file(m.photo[-1]["file_id"]).data for m in album]  # type: ignore[index]
        assert sent == [fake.file(file_id).data for file_id in file_ids]

        # The ad is published, and Telegram's new file_ids are remembered, so later posts
        # need no upload (both recorded right after Telegram answers).
        async def published_with_new_ids() -> bool:
            status = await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id)
            rows = await photo_rows(db, ad_id)
            return status == "published" and all(r["file_id"] not in file_ids for r in rows)

        await wait_for(published_with_new_ids, within=5, what="publication with new file_ids")
        rows = await photo_rows(db, ad_id)
        assert [r["file_id"] for r in rows] == [m.photo[-1]["file_id"] for m in album]  # type: ignore[index]


async def test_archiving_waits_while_people_are_answered_but_not_for_ever(
    fake: FakeTelegram, db_url: str, db: asyncpg.Connection[Any], local_backend: Backend
) -> None:
    settings = Settings.from_env(bot_env(fake, db_url, local_backend.data_dir))
    # The app without serving: no background workers, so only this archiver archives. It is
    # always told that people are being answered, and may defer each batch up to 1.5 s.
    async with open_app(settings) as app:
        ad_id, _ = await submit(app, fake, 903, photos=1)
        began = time.monotonic()
        archiver = Archiver(
            app.pool,
            app.worker_bot,
            app.photos,
            replace(FAST, max_defer=1.5, yield_pause=0.05),
            busy=lambda: True,
        )
        stop = asyncio.Event()
        task = asyncio.create_task(archiver.run(stop))
        try:
            await wait_archived(db, ad_id, within=10)
        finally:
            stop.set()
            await asyncio.wait_for(task, timeout=15)
    first_get = min(c.at for c in fake.calls if c.method == "getFile")
    assert first_get - began >= 1.4  # it deferred to the people first
    assert archiver.archived == 1  # and then archived: no starvation

"""The catalogue's thumbnails: the archive worker stores a copy of at most 320 px next to each
original, in a folder or in S3 (SeaweedFS, moto over HTTP), and retention deletes both."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import asyncpg
from PIL import Image

from tests.conftest import ADMIN_A, listings_on
from tests.e2e.test_archive import (  # the shared stores and helpers of the archive's tests
    BACKENDS,
    Backend,
    admins,
    app_of,
    archiver_running,
    backend,
    bot_running,
    local_backend,
    moto_server,
    seaweedfs_server,
    wait_archived,
)
from tests.fake_telegram import FakeTelegram
from tests.support.polling import wait_for
from tests.webapp.catalogue_setup import jpeg
from vodiy_bozor.delivery.archive import THUMB_SIZE, make_thumbnail
from vodiy_bozor.delivery.photo_store import photo_key, thumb_key
from vodiy_bozor.models import AdContent, Category, Photo, Price, Region

__all__ = ["BACKENDS", "admins", "backend", "local_backend", "moto_server", "seaweedfs_server"]


async def test_each_archived_photo_gets_a_thumbnail_next_to_it(
    fake: FakeTelegram, db_url: str, db: asyncpg.Connection[Any], backend: Backend
) -> None:
    async with bot_running(fake, db_url, backend) as bot:
        app = app_of(bot)
        fake.user(811, "Seller")
        await db.execute("INSERT INTO users (id, first_name) VALUES (811, 'Seller')")
        sizes = [(1280, 960), (600, 1200), (200, 100)]
        files = [fake.add_file(jpeg(w, h), kind="photo") for w, h in sizes]
        content = AdContent(
            category=Category.PHONES,
            description="Redmi Note 12",
            price=Price(2_000_000),
            region=Region.FERGANA,
            district=None,
            phone="+998901112233",
            photos=tuple(Photo(f, u) for f, u in files),
        )
        ad_id = await listings_on(app.pool).submit(811, content)
        async with archiver_running(app, retention_interval=0.1):
            await wait_archived(db, ad_id)
            rows = await db.fetch(
                "SELECT position, thumb_key FROM ad_photos WHERE ad_id = $1 ORDER BY position",
                ad_id,
            )
            assert [r["thumb_key"] for r in rows] == [thumb_key(ad_id, i) for i in range(3)]
            stored = await backend.contents()
            assert set(stored) == {photo_key(ad_id, i) for i in range(3)} | {
                thumb_key(ad_id, i) for i in range(3)
            }
            for i, (w, h) in enumerate(sizes):
                with Image.open(BytesIO(stored[thumb_key(ad_id, i)])) as thumb:
                    assert thumb.format == "JPEG"
                    assert max(thumb.size) == min(THUMB_SIZE, max(w, h))
                    # The proportions stay (within a pixel of rounding).
                    assert abs(thumb.size[0] / thumb.size[1] - w / h) < 0.02
                assert len(stored[thumb_key(ad_id, i)]) < len(stored[photo_key(ad_id, i)]) or (
                    max(w, h) <= THUMB_SIZE
                )

            # Removed: the originals and the thumbnails go.
            decision = await app.listings.reject(ad_id, ADMIN_A, reason="x")
            assert decision.applied
            await db.execute("UPDATE ads SET status = 'removed' WHERE id = $1", ad_id)

            async def gone() -> bool:
                return await backend.contents() == {}

            await wait_for(gone, what="the photos and thumbnails deleted")


def test_a_thumbnail_is_turned_as_the_camera_meant_it() -> None:
    image = Image.new("RGB", (800, 400), (10, 200, 10))
    exif = image.getexif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    out = BytesIO()
    image.save(out, "JPEG", exif=exif)
    with Image.open(BytesIO(make_thumbnail(out.getvalue()))) as thumb:
        assert thumb.size == (160, 320)


async def test_photos_archived_before_thumbnails_get_theirs_when_the_worker_is_idle(
    fake: FakeTelegram, db_url: str, db: asyncpg.Connection[Any], local_backend: Backend
) -> None:
    async with bot_running(fake, db_url, local_backend) as bot:
        app = app_of(bot)
        await db.execute("INSERT INTO users (id, first_name) VALUES (812, 'Seller')")
        content = AdContent(
            category=Category.OTHER,
            description="Eski gilam",
            price=Price(500_000),
            region=Region.ANDIJAN,
            district=None,
            phone="+998901112233",
            photos=(Photo("f-old-0", "u-old-0"), Photo("f-old-1", "u-old-1")),
        )
        ad_id = await listings_on(app.pool).submit(812, content)
        # Archived by an older version: originals stored, no thumbnails; one is no image.
        await app.photos.put(photo_key(ad_id, 0), jpeg(1000, 800))
        await app.photos.put(photo_key(ad_id, 1), b"not an image")
        await db.execute(
            "UPDATE ad_photos SET storage_key = 'ads/' || ad_id || '/' || position || '.jpg',"
            " archived_at = now() WHERE ad_id = $1",
            ad_id,
        )
        async with archiver_running(app) as archiver:

            async def settled() -> bool:
                left = await db.fetchval(
                    "SELECT count(*) FROM ad_photos WHERE ad_id = $1"
                    " AND thumb_key IS NULL AND NOT thumb_given_up",
                    ad_id,
                )
                return bool(left == 0)

            await wait_for(settled, what="both old photos settled")
        rows = await db.fetch(
            "SELECT thumb_key, thumb_given_up FROM ad_photos WHERE ad_id = $1 ORDER BY position",
            ad_id,
        )
        assert [(r["thumb_key"], r["thumb_given_up"]) for r in rows] == [
            (thumb_key(ad_id, 0), False),
            (None, True),
        ]
        with Image.open(BytesIO(await app.photos.get(thumb_key(ad_id, 0)))) as thumb:
            assert thumb.size == (320, 256)
        assert archiver.archived == 0  # nothing was downloaded from Telegram again
        assert fake.downloads == []

"""Shared arrangements of the catalogue's tests: signed launch data, ads with archived
photos, and the catalogue served on a real listener."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from typing import Any, TypeAlias
from urllib.parse import urlencode

import asyncpg
from aiohttp import web
from PIL import Image

from tests.conftest import TOKEN
from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.db import search
from vodiy_bozor.db.pool import create_pool
from vodiy_bozor.delivery.photo_store import LocalPhotoStore, PhotoStore, photo_key
from vodiy_bozor.models import AdContent, AdStatus, Category, Photo, Price, Region
from vodiy_bozor.services.buyers import Buyers
from vodiy_bozor.text.fold import ad_document
from vodiy_bozor.texts import load_texts
from vodiy_bozor.webapp import Catalogue, start_listener
from vodiy_bozor.webapp.server import Budget

Conn: TypeAlias = "asyncpg.Connection[Any]"
SELLER = 1001
BUYER = 2002


def init_data(
    user_id: int = BUYER,
    *,
    token: str = TOKEN,
    auth_date: float | None = None,
    language_code: str = "uz",
    username: str | None = "buyer",
) -> str:
    """Launch data signed as Telegram signs it
    (https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app)."""
    user: dict[str, Any] = {"id": user_id, "first_name": "Ali", "language_code": language_code}
    if username:
        user["username"] = username
    fields = {
        "query_id": "AAH-test",
        "user": json.dumps(user, separators=(",", ":"), ensure_ascii=False),
        "auth_date": str(int(auth_date if auth_date is not None else time.time())),
    }
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


def jpeg(
    width: int = 800, height: int = 600, colour: tuple[int, int, int] = (200, 30, 30)
) -> bytes:
    out = BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG", quality=80)
    return out.getvalue()


def _unique_id(description: str, position: int) -> str:
    return hashlib.sha256(f"{description}/{position}".encode()).hexdigest()[:20]


async def add_user(db: Conn, user_id: int, *, username: str | None = None) -> None:
    await db.execute(
        "INSERT INTO users (id, first_name, username) VALUES ($1, 'U', $2) ON CONFLICT DO NOTHING",
        user_id,
        username,
    )


async def publish(
    db: Conn,
    description: str,
    *,
    store: PhotoStore | None = None,
    owner: int = SELLER,
    category: Category = Category.OTHER,
    region: Region = Region.FERGANA,
    price: Price | None = None,
    minutes_ago: float = 60,
    status: AdStatus = AdStatus.PUBLISHED,
    photos: int = 1,
    thumbs: bool = True,
) -> int:
    """An ad as the bot leaves it once published, its photos archived into `store`."""
    await add_user(db, owner, username=f"seller{owner}")
    content = AdContent(
        category=category,
        description=description,
        price=price or Price(1_500_000),
        region=region,
        district=None,
        phone="+998901234567",
        photos=tuple(Photo(f"file-{i}", _unique_id(description, i)) for i in range(photos)),
    )
    ad_id = await db_ads.insert_ad(db, owner, content)
    await search.set_search_text(db, ad_id, ad_document(description, category, region, None))
    await db.execute(
        "UPDATE ads SET status = $2, published_at = now() - $3::interval WHERE id = $1",
        ad_id,
        status.value,
        timedelta(minutes=minutes_ago),
    )
    if store is not None:
        for position in range(photos):
            key = photo_key(ad_id, position)
            await store.put(key, jpeg())
            await db.execute(
                "UPDATE ad_photos SET storage_key = $3, archived_at = now()"
                " WHERE ad_id = $1 AND position = $2",
                ad_id,
                position,
                key,
            )
            if thumbs:
                thumb = key.removesuffix(".jpg") + ".thumb.jpg"
                await store.put(thumb, jpeg(320, 240))
                await db.execute(
                    "UPDATE ad_photos SET thumb_key = $3 WHERE ad_id = $1 AND position = $2",
                    ad_id,
                    position,
                    thumb,
                )
    return ad_id


@dataclass
class Served:
    url: str  # the page's address, ending in "/"
    pool: asyncpg.Pool[Any]
    store: LocalPhotoStore


@asynccontextmanager
async def serve_catalogue(
    db_url: str, store: LocalPhotoStore, *, prefix: str = "/catalogue", budget: Budget | None = None
) -> AsyncIterator[Served]:
    pool = await create_pool(db_url)
    try:
        catalogue = Catalogue(Buyers(pool), load_texts(), store, TOKEN, budget=budget)
        runner: web.AppRunner = await start_listener(catalogue, prefix, "127.0.0.1", 0)
        try:
            host, port = runner.addresses[0][:2]
            yield Served(f"http://{host}:{port}{prefix}/", pool, store)
        finally:
            await runner.cleanup()
    finally:
        await pool.close()

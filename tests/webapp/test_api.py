"""The catalogue's JSON API on a real listener and a real PostgreSQL: identity, what is
served and what never is, search, filters, cursor paging, favourites, phones, saved searches
and the request budget."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, TypeAlias

import aiohttp
import asyncpg
import pytest

from tests.conftest import TOKEN
from tests.webapp.catalogue_setup import (
    BUYER,
    SELLER,
    Served,
    init_data,
    publish,
    serve_catalogue,
)
from vodiy_bozor.delivery.photo_store import LocalPhotoStore
from vodiy_bozor.models import AdStatus, Category, Price, Region
from vodiy_bozor.webapp.server import PAGE_SIZE, Budget

Conn: TypeAlias = "asyncpg.Connection[Any]"


@pytest.fixture
def store(tmp_path: Path) -> LocalPhotoStore:
    return LocalPhotoStore(tmp_path / "photos")


@pytest.fixture
async def served(db_url: str, store: LocalPhotoStore) -> AsyncIterator[Served]:
    async with serve_catalogue(db_url, store) as served:
        yield served


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def auth(data: str | None = None) -> dict[str, str]:
    return {"Authorization": "tma " + (data if data is not None else init_data())}


async def get(
    http: aiohttp.ClientSession, served: Served, path: str, **params: str
) -> tuple[int, Any]:
    async with http.get(served.url + path, params=params, headers=auth()) as r:
        return r.status, await r.json()


async def ids_of(http: aiohttp.ClientSession, served: Served, **params: str) -> list[int]:
    status, body = await get(http, served, "api/ads", **params)
    assert status == 200, body
    return [item["id"] for item in body["items"]]


# -- identity --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer x",
        "tma ",
        "tma " + init_data(token="654321:another-bot-token"),  # forged: another key
        "tma " + init_data().replace("Ali", "Vali"),  # altered after signing
        "tma " + init_data(auth_date=time.time() - 25 * 3600),  # expired
        "tma " + init_data(auth_date=time.time() + 3600),  # from the future
        "tma " + "x" * 6000,  # longer than any real init data
    ],
)
async def test_requests_without_valid_init_data_get_401_and_no_data(
    db: Conn, served: Served, http: aiohttp.ClientSession, header: str | None
) -> None:
    await publish(db, "Samsung telefon", store=served.store)
    headers = {"Authorization": header} if header is not None else {}
    for method, path in [
        ("GET", "api/ads"),
        ("GET", "api/me"),
        ("GET", "api/favourites"),
        ("POST", "api/saved-searches"),
    ]:
        async with http.request(method, served.url + path, headers=headers) as r:
            assert r.status == 401
            assert await r.json() == {"error": "unauthorised"}


async def test_a_valid_user_is_told_their_language(
    db: Conn, served: Served, http: aiohttp.ClientSession
) -> None:
    async with http.get(served.url + "api/me", headers=auth(init_data(language_code="ru"))) as r:
        assert (await r.json())["lang"] == "ru"
    # The language chosen in the bot (/lang) wins over the client's.
    await db.execute(
        "INSERT INTO users (id, first_name, lang, language_code) VALUES ($1, 'A', 'uz_latn', 'ru')",
        BUYER,
    )
    async with http.get(served.url + "api/me", headers=auth(init_data(language_code="ru"))) as r:
        assert (await r.json())["lang"] == "uz_latn"


# -- what is served --------------------------------------------------------------------------


async def test_only_published_ads_of_sellers_not_banned_are_listed(
    db: Conn, served: Served, http: aiohttp.ClientSession
) -> None:
    shown = await publish(db, "Холодильник Артел", store=served.store)
    hidden = [
        await publish(db, f"Холодильник {status.value}", store=served.store, status=status)
        for status in AdStatus
        if status is not AdStatus.PUBLISHED
    ]
    banned = await publish(db, "Холодильник бан", store=served.store, owner=4004)
    await db.execute("INSERT INTO bans (user_id, reason, banned_by) VALUES (4004, 'scam', 9001)")
    assert await ids_of(http, served) == [shown]
    assert await ids_of(http, served, q="holodilnik") == [shown]
    for ad_id in [*hidden, banned]:
        status, _ = await get(http, served, f"api/ads/{ad_id}")
        assert status == 404
        async with http.post(served.url + f"api/ads/{ad_id}/phone", headers=auth()) as r:
            assert r.status == 404
        async with http.get(served.url + f"photos/{ad_id}/0/x.jpg") as r:
            assert r.status == 404


async def test_a_sold_ad_leaves_the_list_at_once(
    db: Conn, served: Served, http: aiohttp.ClientSession
) -> None:
    ad = await publish(db, "Velosiped Stels", store=served.store)
    assert await ids_of(http, served, q="velosiped") == [ad]
    async with http.put(served.url + f"api/favourites/{ad}", headers=auth()) as r:
        assert r.status == 200
    await db.execute("UPDATE ads SET status = 'sold' WHERE id = $1", ad)
    assert await ids_of(http, served, q="velosiped") == []
    # Its page stays only for a buyer who kept it, marked sold and without the phone.
    status, body = await get(http, served, f"api/ads/{ad}")
    assert status == 200
    assert body["sold"] is True
    async with http.get(served.url + f"api/ads/{ad}", headers=auth(init_data(7007))) as r:
        assert r.status == 404
    async with http.post(served.url + f"api/ads/{ad}/phone", headers=auth()) as r:
        assert r.status == 404


async def test_latin_words_find_a_cyrillic_ad_and_typos_too(
    db: Conn, served: Served, http: aiohttp.ClientSession
) -> None:
    fridge = await publish(db, "Музлатгич Артел, янги", store=served.store)
    phone = await publish(db, "Samsung Galaxy A52 телефон", store=served.store)
    assert await ids_of(http, served, q="muzlatgich") == [fridge]
    assert await ids_of(http, served, q="samsng") == [phone]
    assert await ids_of(http, served, q="телефоны") == [phone]


async def test_filters_by_category_region_and_a_price_typed_as_sellers_type_it(
    db: Conn, served: Served, http: aiohttp.ClientSession
) -> None:
    cheap = await publish(
        db, "Nokia telefon", store=served.store, category=Category.PHONES, price=Price(800_000)
    )
    dear = await publish(
        db, "iPhone telefon", store=served.store, category=Category.PHONES, price=Price(9_000_000)
    )
    far = await publish(
        db,
        "Redmi telefon",
        store=served.store,
        category=Category.PHONES,
        region=Region.NAMANGAN,
        price=Price(2_000_000),
    )
    await publish(
        db, "Divan", store=served.store, category=Category.HOUSEHOLD, price=Price(20_000_000)
    )
    assert set(await ids_of(http, served, category="phones")) == {cheap, dear, far}
    assert await ids_of(http, served, category="phones", region="namangan") == [far]
    assert await ids_of(http, served, price_min="1,5 млн", price_max="3 mln") == [far]
    assert set(await ids_of(http, served, price_max="2 млн")) == {cheap, far}
    status, body = await get(http, served, "api/ads", price_min="арзон")
    assert status == 400
    assert body["error"] == "bad_input"
    assert body["message"]
    status, body = await get(http, served, "api/ads", price_min="5 млн", price_max="1 млн")
    assert status == 400
    # Unknown codes are no filter at all, not an error.
    assert len(await ids_of(http, served, category="spaceships")) == 4


async def test_pages_follow_a_cursor_without_gaps_or_repeats(
    db: Conn, served: Served, http: aiohttp.ClientSession
) -> None:
    made = [
        await publish(db, f"Kitob {i}", minutes_ago=1000 - i, store=None)
        for i in range(2 * PAGE_SIZE + 5)
    ]
    # Two ads published at the same moment are still ordered (by id), and none is lost.
    await db.execute(
        "UPDATE ads SET published_at = (SELECT published_at FROM ads WHERE id = $1) WHERE id = $2",
        made[10],
        made[11],
    )
    for params in ({}, {"q": "kitob"}):
        seen: list[int] = []
        cursor = ""
        pages = 0
        while True:
            status, body = await get(http, served, "api/ads", **params, cursor=cursor)
            assert status == 200
            seen += [item["id"] for item in body["items"]]
            pages += 1
            if body["next"] is None:
                break
            cursor = body["next"]
        assert pages == 3
        assert sorted(seen) == sorted(made)
        assert len(seen) == len(set(seen))


async def test_an_ad_page_has_every_photo_the_seller_and_a_phone_counted_once(
    db: Conn, served: Served, http: aiohttp.ClientSession
) -> None:
    ad = await publish(db, "Damas 2015, oq rang", store=served.store, photos=3)
    status, body = await get(http, served, f"api/ads/{ad}")
    assert status == 200
    assert body["description"] == "Damas 2015, oq rang"
    assert body["seller"] == f"seller{SELLER}"
    assert len(body["photos"]) == 3
    assert "phone" not in body
    for url in body["photos"]:
        async with http.get(served.url + url) as r:
            assert r.status == 200
            assert r.headers["Content-Type"] == "image/jpeg"
            assert "immutable" in r.headers["Cache-Control"]
    for _ in range(2):
        async with http.post(served.url + f"api/ads/{ad}/phone", headers=auth()) as r:
            assert r.status == 200
            assert (await r.json())["tel"] == "+998901234567"
    assert await db.fetchval("SELECT count(*) FROM ad_opens WHERE ad_id = $1", ad) == 1


async def test_the_grid_shows_thumbnails_and_a_wrong_content_id_finds_nothing(
    db: Conn, served: Served, http: aiohttp.ClientSession
) -> None:
    ad = await publish(db, "Televizor LG", store=served.store)
    _status, body = await get(http, served, "api/ads")
    thumb = body["items"][0]["thumb"]
    assert thumb.startswith(f"thumbs/{ad}/0/")
    async with http.get(served.url + thumb) as r:
        assert r.status == 200
        assert len(await r.read()) < 20_000
    async with http.get(served.url + f"thumbs/{ad}/0/someoneelses.jpg") as r:
        assert r.status == 404


async def test_favourites_are_kept_per_buyer_and_a_sold_one_shows_sold(
    db: Conn, served: Served, http: aiohttp.ClientSession
) -> None:
    a = await publish(db, "Gilam", store=served.store)
    b = await publish(db, "Stol", store=served.store)
    pending = await publish(db, "Stul", store=served.store, status=AdStatus.PENDING)
    for ad in (a, b):
        async with http.put(served.url + f"api/favourites/{ad}", headers=auth()) as r:
            assert r.status == 200
    async with http.put(served.url + f"api/favourites/{pending}", headers=auth()) as r:
        assert r.status == 404
    await db.execute("UPDATE ads SET status = 'sold' WHERE id = $1", a)
    _, body = await get(http, served, "api/favourites")
    assert [(i["id"], i["sold"]) for i in body["items"]] == [(b, False), (a, True)]
    # Another buyer has none; the list marks the buyer's own.
    async with http.get(served.url + "api/favourites", headers=auth(init_data(7007))) as r:
        assert (await r.json())["items"] == []
    _, body = await get(http, served, "api/ads")
    assert [(i["id"], i["favourite"]) for i in body["items"]] == [(b, True)]
    async with http.delete(served.url + f"api/favourites/{b}", headers=auth()) as r:
        assert r.status == 200
    _status, body = await get(http, served, "api/favourites")
    assert [i["id"] for i in body["items"]] == [a]


async def test_saving_a_search_makes_one_of_the_buyers_saved_searches_up_to_ten(
    db: Conn, served: Served, http: aiohttp.ClientSession
) -> None:
    async def save(q: str, **filters: str) -> tuple[int, Any]:
        async with http.post(
            served.url + "api/saved-searches", json={"q": q, **filters}, headers=auth()
        ) as r:
            return r.status, await r.json()

    status, body = await save("muzlatgich", region="andijan", price_max="3 млн")
    assert status == 201
    assert body["message"]
    row = await db.fetchrow("SELECT * FROM saved_searches WHERE buyer_id = $1", BUYER)
    assert row is not None
    assert row["query"] == "muzlatgich"
    assert row["region"] == "andijan"
    assert row["price_max"] == 3_000_000
    for i in range(9):
        assert (await save(f"soz{i}"))[0] == 201
    status, body = await save("yana")
    assert status == 409
    assert body["error"] == "limit"
    assert await db.fetchval("SELECT count(*) FROM saved_searches WHERE buyer_id = $1", BUYER) == 10
    async with http.post(served.url + "api/saved-searches", data=b"[", headers=auth()) as r:
        assert r.status == 400


async def test_a_buyer_over_the_request_budget_gets_429_with_retry_after(
    db_url: str, store: LocalPhotoStore, http: aiohttp.ClientSession
) -> None:
    async with serve_catalogue(db_url, store, budget=Budget(rate=0.5, burst=3)) as served:
        statuses = []
        for _ in range(5):
            async with http.get(served.url + "api/me", headers=auth()) as r:
                statuses.append(r.status)
                retry_after = r.headers.get("Retry-After")
        assert statuses == [200, 200, 200, 429, 429]
        assert retry_after is not None
        assert int(retry_after) >= 1
        # Another buyer has a budget of their own.
        async with http.get(served.url + "api/me", headers=auth(init_data(7007))) as r:
            assert r.status == 200


async def test_the_page_is_served_with_every_language_and_is_small(
    served: Served, http: aiohttp.ClientSession
) -> None:
    async with http.get(served.url.rstrip("/"), allow_redirects=False) as r:
        assert r.status == 308
    total = 0
    async with http.get(served.url) as r:
        page = await r.text()
        total += len(page.encode())
    assert 'type="search"' in page
    assert "Каталог" in page
    assert "Katalog" in page
    for asset in ("app.js", "app.css"):
        start = page.index(f"static/{asset}?v=")
        async with http.get(served.url + page[start : page.index('"', start)]) as r:
            assert r.status == 200
            total += len(await r.read())
    assert total <= 150 * 1024
    assert TOKEN not in page

"""The catalogue in a real browser (Chromium, driven by Playwright), as a buyer opens it from
Telegram: launch parameters in the URL hash, the API behind the signed init data, a real
PostgreSQL and archived photos. One browser for the module; a new page per test."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, ViewportSize, async_playwright, expect

from tests.conftest import TOKEN
from tests.webapp.browser import launch, launch_url, stand_in_for_telegram
from tests.webapp.catalogue_setup import BUYER, Served, init_data, publish, serve_catalogue
from vodiy_bozor.delivery.photo_store import LocalPhotoStore
from vodiy_bozor.models import AdStatus, Category, Price, Region

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        yield browser
        await browser.close()


@pytest_asyncio.fixture(loop_scope="module")
async def shop(db_url: str, tmp_path: Path) -> AsyncIterator[tuple[Served, dict[str, int]]]:
    """The catalogue with: a Cyrillic fridge, a phone, a pending and a sold fridge, and enough
    books to scroll."""
    store = LocalPhotoStore(tmp_path / "photos")
    conn = await asyncpg.connect(db_url)
    try:
        ads = {
            "fridge": await publish(
                conn,
                "Музлатгич Артел, икки камерали, янгидек",
                store=store,
                category=Category.APPLIANCES,
                region=Region.ANDIJAN,
                price=Price(3_200_000),
                minutes_ago=5,
                photos=3,
            ),
            "phone": await publish(
                conn,
                "Samsung Galaxy A52 телефон",
                store=store,
                category=Category.PHONES,
                region=Region.NAMANGAN,
                price=Price(1_900_000),
                minutes_ago=6,
            ),
            "pending": await publish(
                conn, "Музлатгич кутилмоқда", store=store, status=AdStatus.PENDING, minutes_ago=1
            ),
            "sold": await publish(
                conn, "Музлатгич сотилган", store=store, status=AdStatus.SOLD, minutes_ago=2
            ),
        }
        for i in range(45):
            await publish(
                conn, f"Китоб {i}", store=None, category=Category.OTHER, minutes_ago=100 + i
            )
    finally:
        await conn.close()
    async with serve_catalogue(db_url, store) as served:
        yield served, ads


PHONE: ViewportSize = {"width": 390, "height": 800}


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(viewport=PHONE)
    page = await context.new_page()
    await stand_in_for_telegram(page)
    yield page
    await context.close()


def cards(page: Page) -> Any:
    return page.locator("#grid [data-ad-id]")


async def shown_ids(page: Page) -> list[int]:
    return [int(x) for x in await cards(page).evaluate_all("els => els.map(e => e.dataset.adId)")]


async def test_a_buyer_searches_filters_scrolls_opens_calls_and_keeps_a_favourite(
    shop: tuple[Served, dict[str, int]], page: Page, db_url: str
) -> None:
    served, ads = shop
    url = launch_url(served.url, init_data(BUYER, language_code="uz"))
    await page.goto(url)

    # The grid: newest first, 20 a page, nothing pending or sold; Telegram's theme applied.
    await expect(cards(page)).to_have_count(20)
    first = await shown_ids(page)
    assert first[:2] == [ads["fridge"], ads["phone"]]
    assert ads["pending"] not in first
    assert ads["sold"] not in first
    background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(23, 33, 43)"
    assert await page.evaluate("window.__ready") is True
    # Uzbek Cyrillic for a client that says plain "uz".
    await expect(page.locator("input[type=search]")).to_have_attribute(
        "placeholder", "Нима қидиряпсиз?"
    )

    # Endless scrolling by cursor: every ad once.
    for want in (40, 47):
        await page.locator("#more").scroll_into_view_if_needed()
        await expect(cards(page)).to_have_count(want)
    everything = await shown_ids(page)
    assert len(set(everything)) == 47

    # Latin words find the Cyrillic ad; the pending and sold fridges stay hidden.
    await page.fill("input[type=search]", "muzlatgich")
    await expect(cards(page)).to_have_count(1)
    assert await shown_ids(page) == [ads["fridge"]]

    # Filters: category, region, a price typed as sellers type it.
    await page.fill("input[type=search]", "")
    await page.select_option("select[name=category]", "phones")
    await expect(cards(page)).to_have_count(1)
    assert await shown_ids(page) == [ads["phone"]]
    await page.select_option("select[name=category]", "")
    await page.select_option("select[name=region]", "andijan")
    await expect(cards(page)).to_have_count(1)
    assert await shown_ids(page) == [ads["fridge"]]
    await page.select_option("select[name=region]", "")
    await page.fill("input[name=price_min]", "1,8 млн")  # the books cost 1.5 million
    await page.fill("input[name=price_max]", "2 mln")  # applied when typing pauses
    await expect(cards(page)).to_have_count(1)
    assert await shown_ids(page) == [ads["phone"]]
    await page.fill("input[name=price_min]", "арзон")
    await page.press("input[name=price_min]", "Enter")
    await expect(page.locator("#note")).to_contain_text("Нархни тушуниб бўлмади")
    await expect(page.locator("[data-action=retry]")).to_be_visible()

    # An ad's page: every photo, the description, the phone on request (an open counted).
    await page.fill("input[name=price_min]", "")
    await page.fill("input[name=price_max]", "")
    await page.fill("input[type=search]", "Артел")
    await expect(cards(page)).to_have_count(1)
    await cards(page).first.click()
    ad_page = page.locator(f"[data-ad-page='{ads['fridge']}']")
    await expect(ad_page).to_be_visible()
    await expect(ad_page).to_contain_text("икки камерали")
    await expect(ad_page.locator(".swipe img")).to_have_count(3)
    await expect(ad_page).to_contain_text("@seller1001")
    await ad_page.locator("[data-action=phone]").click()
    await expect(ad_page.locator("[data-phone]")).to_have_text(re.compile(r"\+998 90 123 45 67"))
    conn = await asyncpg.connect(db_url)
    try:
        opens = await conn.fetchval("SELECT count(*) FROM ad_opens WHERE ad_id = $1", ads["fridge"])
        assert opens == 1
    finally:
        await conn.close()

    # ❤️ kept across a reload, in the Favourites tab.
    await ad_page.locator("[data-action=favourite]").click()
    await expect(ad_page.locator("[data-action=favourite]")).to_have_attribute(
        "aria-pressed", "true"
    )
    await page.reload()
    await page.locator("[data-tab=favourites]").click()
    await expect(cards(page)).to_have_count(1)
    assert await shown_ids(page) == [ads["fridge"]]
    await expect(cards(page).first.locator("[data-action=favourite]")).to_have_attribute(
        "aria-pressed", "true"
    )

    # Sold: it leaves the grid at once and shows as sold among the favourites.
    conn = await asyncpg.connect(db_url)
    try:
        await conn.execute("UPDATE ads SET status = 'sold' WHERE id = $1", ads["fridge"])
    finally:
        await conn.close()
    await page.reload()
    await expect(cards(page)).to_have_count(20)
    assert ads["fridge"] not in await shown_ids(page)
    await page.locator("[data-tab=favourites]").click()
    await expect(cards(page)).to_have_count(1)
    await expect(cards(page).first.locator(".sold")).to_have_text("Сотилган")


async def test_a_buyer_saves_the_search_as_one_of_their_saved_searches(
    shop: tuple[Served, dict[str, int]], page: Page, db_url: str
) -> None:
    served, ads = shop
    await page.goto(launch_url(served.url, init_data(BUYER, language_code="ru")))
    await expect(page.locator("input[type=search]")).to_have_attribute("placeholder", "Что ищете?")
    await page.fill("input[type=search]", "артел")
    await page.select_option("select[name=region]", "andijan")
    await expect(cards(page)).to_have_count(1)
    assert await shown_ids(page) == [ads["fridge"]]
    await page.locator("[data-action=save-search]").click()
    await expect(page.locator("#note")).to_contain_text("Поиск сохранён")
    conn = await asyncpg.connect(db_url)
    try:
        row = await conn.fetchrow(
            "SELECT query, region FROM saved_searches WHERE buyer_id = $1", BUYER
        )
    finally:
        await conn.close()
    assert row is not None
    assert (row["query"], row["region"]) == ("артел", "andijan")


@pytest.mark.parametrize(
    "launch_data",
    [
        init_data(BUYER, token="654321:someone-elses-bot"),  # forged
        init_data(BUYER, auth_date=time.time() - 2 * 86400),  # stale
        "",  # opened outside Telegram
    ],
)
async def test_forged_or_stale_launch_data_is_refused_with_no_ads_shown(
    shop: tuple[Served, dict[str, int]], page: Page, launch_data: str
) -> None:
    served, _ = shop
    assert TOKEN not in launch_data
    await page.goto(launch_url(served.url, launch_data))
    await expect(page.locator("#status")).to_contain_text(
        "Каталогни ботдаги 🛍 тугмаси орқали очинг"
    )
    await expect(page.locator("[data-action=retry]")).to_be_visible()
    assert await cards(page).count() == 0


async def test_the_page_works_when_telegrams_script_does_not_load(
    shop: tuple[Served, dict[str, int]], browser: Browser
) -> None:
    served, _ = shop
    # A phone's viewport, as in the other tests: on a wide desktop viewport the scroll sentinel
    # is within the observer's margin at once, so a second page loads and the count is 40.
    context = await browser.new_context(viewport=PHONE)
    try:
        page = await context.new_page()
        await stand_in_for_telegram(page, present=False)
        await page.goto(launch_url(served.url, init_data(BUYER)))
        await expect(cards(page)).to_have_count(20)
    finally:
        await context.close()

"""The catalogue Mini App at scale: its API over HTTP at 1,000,000 ads, and its first paint in
Chromium.

    uv run python -m bench.webapp                  # 1,000,000 ads
    uv run python -m bench.webapp --quick          # 100,000 ads, fewer rounds
    uv run python -m bench.webapp --screenshots docs   # also the README's two screenshots

Seeds the ads of the search benchmark (bench/search.py: three scripts, a long tail of rare
words, the category and region words), every photo archived with a thumbnail, and some
sellers banned; serves the catalogue on 127.0.0.1 exactly as the bot does (the same routes,
pool and checks, the per-buyer budget raised so that one measuring client is not refused);
then measures, from an HTTP client with signed init data:

- the list API (`GET api/ads`, a page of 20) for words, filters, both, none, and the second
  page by cursor: p50 / p95, target p95 <= 30 ms;
- the ad page API (`GET api/ads/<id>`): target p95 <= 10 ms;
- in Chromium (Debian's, through Playwright), the first contentful paint of a cold load of the
  page with its grid, and when the first card is there: target FCP <= 1 s; the bytes the
  first load transfers without photos: target <= 150 KB;

and prints `EXPLAIN (ANALYZE, BUFFERS)` of the statements behind them (also written to
bench/results/webapp.txt).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
from PIL import Image, ImageDraw, ImageOps

from bench.database import BenchDatabase, seed_users
from bench.search import percentile, seed_ads
from tests.webapp.browser import launch, launch_url, stand_in_for_telegram
from tests.webapp.catalogue_setup import init_data
from vodiy_bozor.db import catalogue as db_catalogue
from vodiy_bozor.db import search as db_search
from vodiy_bozor.db.pool import create_pool
from vodiy_bozor.delivery.archive import make_thumbnail
from vodiy_bozor.delivery.photo_store import LocalPhotoStore, photo_key, thumb_key
from vodiy_bozor.models import Category, Region, SearchFilters
from vodiy_bozor.services.buyers import Buyers
from vodiy_bozor.text.fold import query_terms
from vodiy_bozor.texts import load_texts
from vodiy_bozor.webapp import Catalogue, start_listener
from vodiy_bozor.webapp.server import PAGE_SIZE, Budget

LIST_TARGET_MS = 30.0
AD_TARGET_MS = 10.0
FCP_TARGET_MS = 1000.0
FIRST_LOAD_TARGET = 150 * 1024
RESULTS = Path(__file__).parent / "results"
TOKEN = "123456:BENCH-token"
BANNED_SELLERS = 50
PHOTO_FILES = 60  # the newest ads get real files, for the browser's grid

# What buyers ask the catalogue: (query parameters, label).
LISTS: list[dict[str, str]] = [
    {},
    {"q": "telefon"},
    {"q": "муздлатгич"},
    {"q": "samsng"},
    {"q": "muzlatgich artel"},
    {"q": "zxqwvbn"},
    {"category": "phones"},
    {"region": "andijan", "price_max": "5 млн"},
    {"category": "sports", "region": "fergana", "price_min": "500 минг", "price_max": "3 млн"},
    {"q": "kvartira", "region": "andijan"},
    {"q": "noutbuk", "price_max": "5 mln"},
    {"q": "telefon nexia"},
]


async def seed(conn: asyncpg.Connection[Any], ads: int, store: LocalPhotoStore) -> None:
    await seed_users(conn, 10_000)
    await seed_ads(conn, ads, sellers=min(10_000, ads // 10))
    # Every photo archived, with its thumbnail (the files themselves only for the newest).
    await conn.execute(
        """
        UPDATE ad_photos SET storage_key = 'ads/' || ad_id || '/0.jpg', archived_at = now(),
               thumb_key = 'ads/' || ad_id || '/0.thumb.jpg'
        """
    )
    await conn.execute(
        """
        INSERT INTO bans (user_id, reason, banned_by)
        SELECT g * 97, 'scam', 1 FROM generate_series(1, $1::int) g
        """,
        BANNED_SELLERS,
    )
    await make_photo_files(conn, store)
    await conn.execute("VACUUM ANALYZE ad_photos")
    await conn.execute("VACUUM ANALYZE bans")


async def make_photo_files(conn: asyncpg.Connection[Any], store: LocalPhotoStore) -> None:
    """Photo and thumbnail files for the newest ads (the browser's grid shows them)."""
    newest = [
        r[0] for r in await conn.fetch("SELECT id FROM ads ORDER BY id LIMIT $1", PHOTO_FILES)
    ]
    rng = random.Random(3)
    for ad_id in newest:
        colour = (rng.randrange(40, 220), rng.randrange(40, 220), rng.randrange(40, 220))
        photo = await asyncio.to_thread(picture, colour)
        await store.put(photo_key(ad_id, 0), photo)
        await store.put(thumb_key(ad_id, 0), await asyncio.to_thread(make_thumbnail, photo))


def picture(colour: tuple[int, int, int]) -> bytes:
    """A 1280x960 stand-in photo: a gradient and a few shapes, so thumbnails look like one."""
    dark = tuple(c // 3 for c in colour)
    image = ImageOps.colorize(
        Image.linear_gradient("L").rotate(35).resize((1280, 960)), dark, colour
    )
    draw = ImageDraw.Draw(image)
    draw.ellipse((420, 260, 860, 700), fill=tuple(min(255, c + 60) for c in colour))
    draw.rectangle((120, 620, 520, 900), fill=dark)
    out = BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def shrink_png(path: Path) -> None:
    """A palette of 128 colours: a screenshot for the README at a third of the bytes."""
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


async def timed(
    http: aiohttp.ClientSession, url: str, headers: dict[str, str]
) -> tuple[float, Any]:
    started = time.perf_counter()
    async with http.get(url, headers=headers) as r:
        body = await r.json()
        if r.status != 200:
            raise RuntimeError(f"{url}: {r.status} {body}")
    return (time.perf_counter() - started) * 1000, body


async def measure_lists(
    http: aiohttp.ClientSession, base: str, headers: dict[str, str], rounds: int
) -> float:
    every: list[float] = []
    print(f"\nlist API (GET api/ads, a page of {PAGE_SIZE}), {rounds} rounds:")
    for params in LISTS:
        first: list[float] = []
        second: list[float] = []
        found = 0
        for _ in range(rounds):
            query = "&".join(f"{k}={v}" for k, v in params.items())
            ms, body = await timed(http, f"{base}api/ads?{query}", headers)
            first.append(ms)
            found = len(body["items"])
            if body["next"]:
                ms, _ = await timed(http, f"{base}api/ads?{query}&cursor={body['next']}", headers)
                second.append(ms)
        every += first + second
        label = " ".join(f"{k}={v}" for k, v in params.items()) or "(newest, no filter)"
        later = f", page 2 p50 {statistics.median(second):6.2f} ms" if second else ""
        print(
            f"  {label[:58]:58} p50 {statistics.median(first):6.2f} ms"
            f"  max {max(first):6.2f} ms  ads {found}{later}"
        )
    p50, p95 = statistics.median(every), percentile(every, 0.95)
    verdict = "PASS" if p95 <= LIST_TARGET_MS else "MISS"
    print(
        f"  all: p50 {p50:.2f} ms, p95 {p95:.2f} ms (target p95 <= {LIST_TARGET_MS} ms) {verdict}"
    )
    return p95


async def measure_ad_pages(
    http: aiohttp.ClientSession, base: str, headers: dict[str, str], ads: int, count: int
) -> float:
    rng = random.Random(7)
    timings = []
    for _ in range(count):
        ad_id = rng.randrange(1, ads + 1)
        started = time.perf_counter()
        async with http.get(f"{base}api/ads/{ad_id}", headers=headers) as r:
            await r.read()
        timings.append((time.perf_counter() - started) * 1000)
    p50, p95 = statistics.median(timings), percentile(timings, 0.95)
    verdict = "PASS" if p95 <= AD_TARGET_MS else "MISS"
    print(
        f"\nad page API (GET api/ads/<id>, {count} random ads): p50 {p50:.2f} ms, "
        f"p95 {p95:.2f} ms (target p95 <= {AD_TARGET_MS} ms) {verdict}"
    )
    return p95


async def measure_browser(
    base: str, loads: int, screenshots: Path | None
) -> tuple[float, float, int]:
    from playwright.async_api import async_playwright

    url = launch_url(base, init_data(2002, token=TOKEN, language_code="uz"))
    paints: list[float] = []
    grids: list[float] = []
    transferred = 0
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        try:
            for i in range(loads + 1):  # the first load warms the server, not measured
                context = await browser.new_context(viewport={"width": 390, "height": 800})
                page = await context.new_page()
                await stand_in_for_telegram(page)
                await page.goto(url)
                await page.wait_for_selector("[data-ad-id]")
                grid = await page.evaluate("performance.now()")
                fcp = await page.evaluate(
                    "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1"
                )
                sizes = await page.evaluate(
                    """performance.getEntriesByType('resource')
                         .filter(e => !/\\/(photos|thumbs)\\//.test(e.name))
                         .reduce((n, e) => n + e.transferSize, 0)
                       + performance.getEntriesByType('navigation')[0].transferSize"""
                )
                if i > 0:
                    paints.append(float(fcp))
                    grids.append(float(grid))
                    transferred = max(transferred, int(sizes))
                if screenshots is not None and i == loads:
                    await page.wait_for_load_state("networkidle")
                    await asyncio.to_thread(screenshots.mkdir, parents=True, exist_ok=True)
                    await page.screenshot(path=str(screenshots / "catalogue-grid.png"))
                    await page.locator("[data-ad-id]").first.click()
                    await page.wait_for_selector("[data-ad-page] .swipe img")
                    await page.wait_for_load_state("networkidle")
                    await page.screenshot(path=str(screenshots / "catalogue-ad.png"))
                    for name in ("catalogue-grid.png", "catalogue-ad.png"):
                        await asyncio.to_thread(shrink_png, screenshots / name)
                await context.close()
        finally:
            await browser.close()
    fcp_p50, fcp_max = statistics.median(paints), max(paints)
    verdict = "PASS" if fcp_max <= FCP_TARGET_MS else "MISS"
    print(
        f"\nChromium, {loads} cold loads of the page: first contentful paint p50 {fcp_p50:.0f} ms, "
        f"max {fcp_max:.0f} ms (target <= {FCP_TARGET_MS:.0f} ms) {verdict}; the grid's first "
        f"card at p50 {statistics.median(grids):.0f} ms, max {max(grids):.0f} ms"
    )
    size_verdict = "PASS" if transferred <= FIRST_LOAD_TARGET else "MISS"
    print(
        f"first load without photos: {transferred / 1024:.1f} KB transferred "
        f"(target <= {FIRST_LOAD_TARGET // 1024} KB) {size_verdict}"
    )
    return fcp_max, statistics.median(grids), transferred


async def explain(conn: asyncpg.Connection[Any], report: list[str]) -> None:
    for params in LISTS:
        terms = query_terms(params.get("q", ""))
        filters = SearchFilters(
            category=Category(params["category"]) if "category" in params else None,
            region=Region(params["region"]) if "region" in params else None,
        )
        plans = await db_search.explain_search(conn, terms, filters, limit=PAGE_SIZE + 1)
        for tier, plan in enumerate(plans):
            report.append(f"--- list {params}, tier {tier}\n{plan}\n")
    rows = await conn.fetch("EXPLAIN (ANALYZE, BUFFERS) " + db_catalogue._AD, 12345, 2002)
    report.append("--- ad page\n" + "\n".join(r[0] for r in rows) + "\n")


async def run(
    ads: int,
    rounds: int,
    pages: int,
    loads: int,
    screenshots: Path | None,
    *,
    database: str | None = None,
    keep: bool = False,
) -> int:
    """Seed a fresh database (dropped at the end unless `keep`), or measure `database`, one
    seeded by an earlier `--keep` run (its photo files are made again)."""
    photos_dir = Path(tempfile.mkdtemp(prefix="vodiy-bench-photos-"))
    store = LocalPhotoStore(photos_dir)
    if database is not None:
        conn = await asyncpg.connect(database)
        try:
            ads = int(await conn.fetchval("SELECT count(*) FROM ads"))
            await make_photo_files(conn, store)
        finally:
            await conn.close()
        print(f"on {database.rsplit('/', 1)[-1]}: {ads:,} ads seeded earlier")
        return await measure(database, store, ads, rounds, pages, loads, screenshots)
    bench = BenchDatabase()
    await bench.__aenter__()
    try:
        print(f"on {bench.where}; seeding {ads:,} ads ...")
        conn = await asyncpg.connect(bench.url)
        try:
            started = time.perf_counter()
            await seed(conn, ads, store)
            print(f"  seeded in {time.perf_counter() - started:.0f} s")
        finally:
            await conn.close()
        return await measure(bench.url, store, ads, rounds, pages, loads, screenshots)
    finally:
        if keep:
            print(f"kept for --database: {bench.url}")
        else:
            await bench.drop()


async def measure(
    url: str,
    store: LocalPhotoStore,
    ads: int,
    rounds: int,
    pages: int,
    loads: int,
    screenshots: Path | None,
) -> int:
    pool = await create_pool(url)
    try:
        catalogue = Catalogue(
            Buyers(pool), load_texts(), store, TOKEN, budget=Budget(rate=1e9, burst=1e9)
        )
        runner = await start_listener(catalogue, "/catalogue", "127.0.0.1", 0)
        try:
            host, port = runner.addresses[0][:2]
            base = f"http://{host}:{port}/catalogue/"
            headers = {"Authorization": "tma " + init_data(2002, token=TOKEN)}
            async with aiohttp.ClientSession() as http:
                await measure_lists(http, base, headers, 1)  # warm the caches
                list_p95 = await measure_lists(http, base, headers, rounds)
                ad_p95 = await measure_ad_pages(http, base, headers, ads, pages)
            fcp, _grid, size = await measure_browser(base, loads, screenshots)
        finally:
            await runner.cleanup()
        report: list[str] = []
        async with pool.acquire() as explaining:
            await explain(explaining, report)  # type: ignore[arg-type]
    finally:
        await pool.close()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "webapp.txt").write_text("\n".join(report))
    print("\nEXPLAIN (ANALYZE, BUFFERS):\n")
    print("\n".join(report))
    ok = (
        list_p95 <= LIST_TARGET_MS
        and ad_p95 <= AD_TARGET_MS
        and fcp <= FCP_TARGET_MS
        and size <= FIRST_LOAD_TARGET
    )
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 ads, fewer rounds")
    parser.add_argument("--screenshots", type=Path, help="write the grid's and an ad's PNGs here")
    parser.add_argument("--keep", action="store_true", help="keep the seeded database")
    parser.add_argument("--database", help="measure this database, seeded with --keep before")
    options = parser.parse_args()
    ads, rounds, pages, loads = (100_000, 5, 200, 5) if options.quick else (1_000_000, 20, 1000, 10)
    code = asyncio.run(
        run(
            ads,
            rounds,
            pages,
            loads,
            options.screenshots,
            database=options.database,
            keep=options.keep,
        )
    )
    sys.exit(code)


if __name__ == "__main__":
    main()

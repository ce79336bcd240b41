"""Buyers' search at scale: 1,000,000 published ads and 100,000 saved searches.

    uv run python -m bench.search            # 1,000,000 ads, 100,000 saved searches
    uv run python -m bench.search --quick    # 100,000 ads, 10,000 saved searches

Seeds in SQL (`generate_series`, see bench/database.py for the server used), then measures,
from Python through asyncpg as the bot calls them:

- `search_ads` over a set of realistic queries (every script, Russian forms, typos, filters,
  several words, no result at all): p50 and p95 of all runs, target p95 <= 30 ms;
- `matching_saved_searches` for new ads against all saved searches: target p95 <= 50 ms;

and prints `EXPLAIN (ANALYZE, BUFFERS)` of each statement (also in bench/results/search.txt).

The ads' words: a product (skewed like real ads: the most common in ~8% of ads), a brand, a
condition, a colour, a year, the category's and region's words, and one rare word out of
200,000 (a seller's own spelling, a model name), so the lexicon has a realistic long tail.
The descriptions are written in Cyrillic, old Latin or new Latin in turn; the search text is
their fold (computed once per vocabulary word in Python, then assembled in SQL).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg

from bench.database import BenchDatabase, seed_users
from vodiy_bozor.db import saved_searches as db_saved_searches
from vodiy_bozor.db import search as db_search
from vodiy_bozor.models import Category, Currency, PriceRange, Region, SearchFilters
from vodiy_bozor.text.fold import CATEGORY_WORDS, REGION_WORDS, fold, query_terms

SEARCH_TARGET_MS = 30.0
MATCH_TARGET_MS = 50.0
RESULTS = Path(__file__).parent / "results"

_MORE_PRODUCTS = (
    "generator kompressor nasos payvand drel perforator bolgarka akkumulyator monitor "
    "klaviatura sichqoncha router kamera proyektor kolonka mikrofon karavot matras "
    "parda qozon choynak piyola dazmol fen blender mikser multivarka "
    "duxovka pech kotyol radiator suvisitgich shlang arqon palto kurtka "
    "shim etik krossovka sumka ryukzak kostyum libos ro'mol echki "
    "ot tovuq kurka quyon it mushuk baliq asal un "
    "guruch yog' tennis futbol to'p gantel trenajor chang'i konki "
    "samokat skeyt kitob daftar ruchka doska lampa lyustra rozetka "
    "kabel antenna"
)

# (Cyrillic, Latin 1995, Latin 2026): the first is the most common product.
PRODUCTS = [
    ("телефон", "telefon", "telefon"),
    ("муздлатгич", "muzlatgich", "muzlatgiç"),
    ("машина", "mashina", "maşina"),
    ("уй", "uy", "uy"),
    ("квартира", "kvartira", "kvartira"),
    ("ноутбук", "noutbuk", "noutbuk"),
    ("телевизор", "televizor", "televizor"),
    ("кир ювиш машинаси", "kir yuvish mashinasi", "kir yuviş maşinasi"),
    ("диван", "divan", "divan"),
    ("велосипед", "velosiped", "velosiped"),
    ("кўйлак", "ko'ylak", "köylak"),
    ("пойабзал", "poyabzal", "poyabzal"),
    ("сигир", "sigir", "sigir"),
    ("қўй", "qo'y", "qöy"),
    ("ер участка", "yer uchastka", "yer uçastka"),
    ("гилам", "gilam", "gilam"),
    ("стол", "stol", "stol"),
    ("кондиционер", "konditsioner", "konditsioner"),
    ("планшет", "planshet", "planşet"),
    ("газ плита", "gaz plita", "gaz plita"),
    ("болалар аравачаси", "bolalar aravachasi", "bolalar aravaçasi"),
    ("шкаф", "shkaf", "şkaf"),
    ("наушник", "naushnik", "nauşnik"),
    ("принтер", "printer", "printer"),
    ("ғилдирак", "g'ildirak", "ğildirak"),
    ("эшик", "eshik", "eşik"),
    ("дераза", "deraza", "deraza"),
    ("мотоцикл", "mototsikl", "mototsikl"),
    ("соат", "soat", "soat"),
    ("чанг ютгич", "chang yutgich", "çang yutgiç"),
    *((w, w, w) for w in _MORE_PRODUCTS.split()),
]
BRANDS_TEXT = (
    "Samsung Artel Nexia Cobalt Gentra Spark Damas Matiz Lacetti Malibu Redmi Xiaomi iPhone Huawei "
    "Honor LG Sony Philips Bosch Indesit Beko Shivaki Hofmann Acer Asus Lenovo HP Dell "
    "Canon Epson Midea Gree Haier Toyota Chevrolet Hyundai Kia BYD Tecno Infinix Vivo Oppo"
)
BRANDS = BRANDS_TEXT.split()
CONDITIONS = [
    ("янги", "yangi", "yangi"),
    ("ишлатилган", "ishlatilgan", "işlatilgan"),
    ("ҳолати яхши", "holati yaxshi", "holati yaxşi"),
    ("зўр", "zo'r", "zör"),
    ("арзон", "arzon", "arzon"),
    ("срочно", "srochno", "sroçno"),
    ("кафолатли", "kafolatli", "kafolatli"),
]
COLOURS = [
    ("оқ", "oq", "oq"),
    ("қора", "qora", "qora"),
    ("кулранг", "kulrang", "kulrang"),
    ("қизил", "qizil", "qizil"),
    ("кўк", "ko'k", "kök"),
    ("яшил", "yashil", "yaşil"),
]

# Queries buyers type, with filters; each is run many times.
QUERIES: list[tuple[str, SearchFilters]] = [
    ("telefon", SearchFilters()),
    ("телефоны", SearchFilters()),
    ("муздлатгич", SearchFilters()),
    ("muzlatgich artel", SearchFilters()),
    ("samsng", SearchFilters()),
    ("Nexia 2015", SearchFilters()),
    ("kvartira", SearchFilters(region=Region.ANDIJAN)),
    ("noutbuk", SearchFilters(price=PriceRange(None, 5_000_000, Currency.UZS))),
    ("velosiped", SearchFilters(Category.SPORTS, Region.FERGANA, PriceRange(500_000, 3_000_000))),
    ("qo'y", SearchFilters()),
    ("kir yuvish mashinasi", SearchFilters()),
    ("telefon nexia", SearchFilters()),  # two common words that never meet
    ("iphone qora yangi", SearchFilters()),
    ("zxqwvbn", SearchFilters()),  # nothing anywhere
    ("", SearchFilters(category=Category.PHONES)),  # the inline mode's empty query, a filter
    ("", SearchFilters()),
]


def uniform(salt: str) -> str:
    """A pseudo-random number in [0, 1) from the row number `g`, different for each `salt`
    (md5, so that the product, brand, colour and year of an ad are independent)."""
    return f"(('x' || substr(md5(g::text || '{salt}'), 1, 8))::bit(32)::bigint / 4294967296.0)"


async def seed_ads(conn: asyncpg.Connection[Any], count: int, sellers: int) -> None:
    """`count` published ads in the three scripts, with their folded search text."""
    products = [list(p) for p in PRODUCTS]
    conditions = [list(c) for c in CONDITIONS]
    colours = [list(c) for c in COLOURS]
    categories = [c.value for c in Category]
    regions = [r.value for r in Region]

    def folded(table: list[list[str]]) -> list[str]:
        return [fold(row[1]) for row in table]

    await conn.execute("SET maintenance_work_mem = '256MB'")
    definitions = [
        r["indexdef"]
        for r in await conn.fetch(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'ads' AND indexname LIKE 'ads_%' "
            "AND indexname <> 'ads_pkey'"
        )
    ]
    # Indexes are built once after the bulk insert (much faster than row by row), from their
    # own definitions in the migration.
    for definition in definitions:
        await conn.execute(f"DROP INDEX {definition.split()[2]}")
    await conn.execute("ALTER TABLE ads DISABLE TRIGGER ads_count_live")
    script = "(g % 3) + 1"  # which spelling the seller used: Cyrillic, old or new Latin
    product = f"1 + floor(power({uniform('p')}, 2) * cardinality($5::text[]))::int"

    def pick(salt: str, array: int) -> str:
        return f"1 + floor({uniform(salt)} * cardinality(${array}::text[]))::int"

    await conn.execute(
        f"""
        INSERT INTO ads (id, owner_id, status, category, description, price_amount,
                         price_currency, region, district, phone, created_at, decided_at,
                         decided_by, published_at, last_shown_at, next_check_at, search_text)
        SELECT g, 1 + (g - 1) % $3::int, 'published', c.category, d.description,
               CASE WHEN g % 7 = 0 THEN NULL
                    WHEN g % 5 = 0 THEN 50 * (1 + g % 400)
                    ELSE 100000 * (1 + g % 500) END,
               CASE WHEN g % 5 = 0 THEN 'USD' ELSE 'UZS' END,
               c.region, NULL, '+99890' || lpad((g % 10000000)::text, 7, '0'),
               now() - make_interval(secs => g * 2.5), now() - make_interval(secs => g * 2.5),
               1, now() - make_interval(secs => g * 2.5), now(), now() + interval '3 days',
               d.folded || ' ' || c.words
          FROM generate_series($1::int, $2::int) g
          CROSS JOIN LATERAL (
                SELECT {product} AS p,
                       {pick("b", 6)} AS b,
                       {pick("k", 8)} AS k,
                       {pick("o", 10)} AS o,
                       2000 + floor({uniform("y")} * 25)::int AS year,
                       translate(left(md5((g % 200000)::text), 6 + g % 5),
                                 '0123456789', 'aeioubdkrs') AS rare) r
          CROSS JOIN LATERAL (
                SELECT ($4::text[])[r.p * 3 - 3 + {script}] || ' ' || ($6::text[])[r.b] || ', '
                       || ($7::text[])[r.k * 3 - 3 + {script}] || ', '
                       || ($9::text[])[r.o * 3 - 3 + {script}] || ' rang, ' || r.year
                       || ' yil. ' || r.rare || '. Batafsil qo''ng''iroq qiling.' AS description,
                       ($5::text[])[r.p] || ' ' || ($15::text[])[r.b] || ' '
                       || ($8::text[])[r.k] || ' ' || ($10::text[])[r.o] || ' rang ' || r.year
                       || ' yil ' || r.rare || ' batafsil qongiroq qiling' AS folded) d
          CROSS JOIN LATERAL (
                SELECT ($11::text[])[1 + g % cardinality($11::text[])] AS category,
                       ($13::text[])[1 + (g / 11) % cardinality($13::text[])] AS region) c0
          CROSS JOIN LATERAL (
                SELECT c0.category, c0.region,
                       ($12::text[])[1 + g % cardinality($11::text[])] || ' '
                       || ($14::text[])[1 + (g / 11) % cardinality($13::text[])] AS words) c
        """,
        1,
        count,
        sellers,
        [w for row in products for w in row],
        folded(products),
        BRANDS,
        [w for row in conditions for w in row],
        folded(conditions),
        [w for row in colours for w in row],
        folded(colours),
        categories,
        [fold(CATEGORY_WORDS[Category(c)]) for c in categories],
        regions,
        [fold(REGION_WORDS[Region(r)]) for r in regions],
        [fold(b) for b in BRANDS],
    )
    await conn.execute("ALTER TABLE ads ENABLE TRIGGER ads_count_live")
    for definition in definitions:
        await conn.execute(definition)
    await conn.execute(
        """
        INSERT INTO ad_posts (ad_id, chat_id, message_id, position, posted_at)
        SELECT g, -1001234567890, g, 0, now() - make_interval(secs => g * 2.5)
          FROM generate_series(1, $1::int) g
        """,
        count,
    )
    await conn.execute(
        """
        INSERT INTO ad_photos (ad_id, position, file_id, file_unique_id)
        SELECT g, 0, 'AgACseed' || g, 'AQADseed' || g FROM generate_series(1, $1::int) g
        """,
        count,
    )
    await conn.execute(
        """
        INSERT INTO search_words (word)
        SELECT DISTINCT w FROM ads, unnest(tsvector_to_array(search_tsv)) w
         WHERE w ~ '^[a-z0-9]+$' AND w !~ '^[0-9]+$'
        ON CONFLICT DO NOTHING
        """
    )
    await conn.execute("SELECT setval(pg_get_serial_sequence('ads', 'id'), $1)", count)
    for table in ("ads", "ad_posts", "ad_photos", "search_words"):
        await conn.execute(f"VACUUM ANALYZE {table}")


async def seed_saved_searches(conn: asyncpg.Connection[Any], count: int, buyers: int) -> None:
    """`count` saved searches by buyers 1..`buyers`: one or two words, some with filters."""
    rng = random.Random(13)
    queries: list[str] = []
    for _ in range(count):
        product = PRODUCTS[int(rng.random() ** 2 * len(PRODUCTS))][rng.randrange(3)]
        roll = rng.random()
        if roll < 0.3:
            queries.append(f"{product} {rng.choice(BRANDS)}")
        elif roll < 0.4:
            queries.append(f"{product} {rng.choice(COLOURS)[1]}")
        else:
            queries.append(product)
    rows = []
    for i, query in enumerate(queries):
        terms = list(query_terms(query))
        roll = rng.random()
        rows.append(
            (
                1 + i % buyers,
                query,
                " ".join(terms),
                " ".join(db_saved_searches.saved_search_keys(terms)),
                db_search.exact_query(terms),
                rng.choice(list(Category)).value if roll < 0.2 else None,
                rng.choice(list(Region)).value if 0.1 < roll < 0.4 else None,
                5_000_000 if 0.3 < roll < 0.45 else None,
                "UZS" if 0.3 < roll < 0.45 else None,
            )
        )
    columns = list(zip(*rows, strict=True))
    await conn.execute(
        """
        INSERT INTO saved_searches (buyer_id, query, terms, keys, match, category, region,
                                    price_max, price_currency)
        SELECT b, q, string_to_array(t, ' '), string_to_array(k, ' '), m::tsquery, c, r, p, pc
          FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[],
                      $6::text[], $7::text[], $8::bigint[], $9::text[])
               AS s(b, q, t, k, m, c, r, p, pc)
        """,
        *columns,
    )
    await conn.execute("VACUUM ANALYZE saved_searches")


def describe(filters: SearchFilters) -> str:
    parts = [filters.category.value if filters.category else "", filters.region or ""]
    if filters.price:
        price = filters.price
        parts.append(f"{price.minimum or ''}..{price.maximum or ''} {price.currency}")
    return "[" + ", ".join(str(p) for p in parts if p) + "]"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def measure_search(conn: asyncpg.Connection[Any], rounds: int, report: list[str]) -> float:
    timings: list[list[float]] = [[] for _ in QUERIES]
    counts: list[int] = [0 for _ in QUERIES]
    for _ in range(rounds):
        for i, (query, filters) in enumerate(QUERIES):
            started = time.perf_counter()
            hits = await db_search.search_ads(conn, query_terms(query), filters, limit=6)
            timings[i].append((time.perf_counter() - started) * 1000)
            counts[i] = len(hits)
    every = [t for ts in timings for t in ts]
    print(f"\nsearch_ads, {rounds} rounds of {len(QUERIES)} queries (a page of 5 plus one):")
    for i, (query, filters) in enumerate(QUERIES):
        label = repr(query) + ("" if filters == SearchFilters() else f" {describe(filters)}")
        print(
            f"  {label[:60]:60} p50 {statistics.median(timings[i]):6.2f} ms"
            f"  max {max(timings[i]):6.2f} ms  hits {counts[i]}"
        )
    p50, p95 = statistics.median(every), percentile(every, 0.95)
    verdict = "PASS" if p95 <= SEARCH_TARGET_MS else "MISS"
    print(
        f"  all: p50 {p50:.2f} ms, p95 {p95:.2f} ms (target p95 <= {SEARCH_TARGET_MS} ms) {verdict}"
    )
    for query, filters in QUERIES:
        plans = await db_search.explain_search(conn, query_terms(query), filters, limit=6)
        for tier, plan in enumerate(plans):
            report.append(f"--- search {query!r} {filters}, tier {tier}\n{plan}\n")
    return p95


async def measure_matching(
    conn: asyncpg.Connection[Any], ads: list[int], report: list[str]
) -> float:
    timings: list[float] = []
    found: list[int] = []
    for ad_id in ads:
        started = time.perf_counter()
        matches = await db_saved_searches.matching_saved_searches(conn, ad_id)
        timings.append((time.perf_counter() - started) * 1000)
        found.append(len(matches))
    p50, p95 = statistics.median(timings), percentile(timings, 0.95)
    verdict = "PASS" if p95 <= MATCH_TARGET_MS else "MISS"
    print(
        f"\nmatching_saved_searches for {len(ads)} ads: p50 {p50:.2f} ms, p95 {p95:.2f} ms, "
        f"max {max(timings):.2f} ms (target <= {MATCH_TARGET_MS} ms) {verdict}; "
        f"buyers matched per ad: median {statistics.median(found)}, max {max(found)}"
    )
    for ad_id in ads[:3]:
        report.append(
            f"--- matching ad {ad_id}\n{await db_saved_searches.explain_matching(conn, ad_id)}\n"
        )
    return p95


async def run(ads: int, saved: int, rounds: int) -> int:
    async with BenchDatabase() as bench:
        print(f"on {bench.where}; seeding {ads:,} ads and {saved:,} saved searches ...")
        conn = await asyncpg.connect(bench.url)
        try:
            started = time.perf_counter()
            await seed_users(conn, max(saved // 2, 10_000))
            await seed_ads(conn, ads, sellers=min(10_000, ads // 10))
            print(f"  ads seeded in {time.perf_counter() - started:.0f} s")
            started = time.perf_counter()
            await seed_saved_searches(conn, saved, buyers=max(saved // 2, 10_000))
            print(f"  saved searches seeded in {time.perf_counter() - started:.0f} s")
            sizes = await conn.fetchrow(
                """
                SELECT (SELECT count(*) FROM ads WHERE status = 'published') AS ads,
                       (SELECT count(*) FROM search_words) AS words,
                       pg_size_pretty(pg_relation_size('ads_search_idx')) AS gin,
                       pg_size_pretty(pg_relation_size('search_words_trgm_idx')) AS trgm
                """
            )
            assert sizes is not None
            print(
                f"  {sizes['ads']:,} published ads, lexicon of {sizes['words']:,} words; "
                f"GIN {sizes['gin']}, lexicon trigram index {sizes['trgm']}"
            )
            report: list[str] = []
            search_p95 = await measure_search(conn, rounds, report)
            # New ads: the most common products, a rare one, several scripts.
            new_ads = [
                int(r[0]) for r in await conn.fetch("SELECT id FROM ads ORDER BY id DESC LIMIT 60")
            ]
            match_p95 = await measure_matching(conn, new_ads, report)
        finally:
            await conn.close()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "search.txt").write_text("\n".join(report))
    print("\nEXPLAIN (ANALYZE, BUFFERS):\n")
    print("\n".join(report))
    ok = search_p95 <= SEARCH_TARGET_MS and match_p95 <= MATCH_TARGET_MS
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 ads, 10,000 searches")
    options = parser.parse_args()
    if options.quick:
        code = asyncio.run(run(ads=100_000, saved=10_000, rounds=5))
    else:
        code = asyncio.run(run(ads=1_000_000, saved=100_000, rounds=10))
    sys.exit(code)


if __name__ == "__main__":
    main()

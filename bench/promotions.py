"""Paid promotion at scale: how fast the pre-checkout answer and the payment's record are.

    uv run python -m bench.promotions            # 100,000 published ads, 2,000 payments
    uv run python -m bench.promotions --quick    # 20,000 ads, 300 payments

Telegram waits at most 10 seconds for the answer to a pre-checkout query
(https://core.telegram.org/bots/api#answerprecheckoutquery), and the bot's answer must also
cross the network: the check itself (`Promotions.pre_checkout`, one indexed read plus the
"already running" read) must be a small part of that. Measured from Python through asyncpg as
the bot calls it, concurrently (`--concurrency` payments at once), before and after the
payments are recorded:

- `pre_checkout` for random ads: p50, p95, max (target p95 <= 100 ms, a hundredth of
  Telegram's wait);
- `paid` (record once, start or queue, the outbox rows): p50, p95 and payments a second;
- `paid` again for every charge (an update delivered twice): every one a no-op.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time

import asyncpg

from bench.database import BenchDatabase, seed_published_ads, seed_users
from vodiy_bozor.db.pool import create_pool
from vodiy_bozor.services.promotions import (
    CURRENCY,
    PromoKind,
    PromoSettings,
    Promotions,
    invoice_payload,
)

PRE_CHECKOUT_TARGET_MS = 100.0
LIFT, PIN = 50, 200


def _ms(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return statistics.median(ordered) * 1000, p95 * 1000, ordered[-1] * 1000


async def run(*, ads: int, payments: int, concurrency: int) -> int:
    async with BenchDatabase() as bench:
        print(f"database: {bench.where}; seeding {ads:,} published ads")
        conn = await asyncpg.connect(bench.url)
        try:
            sellers = max(ads // 4, 1)
            await seed_users(conn, sellers)
            await seed_published_ads(conn, ads, sellers=sellers, photos=False)
            await conn.execute("ANALYZE")
            owners = {
                r["id"]: r["owner_id"] for r in await conn.fetch("SELECT id, owner_id FROM ads")
            }
        finally:
            await conn.close()
        pool = await create_pool(bench.url)
        try:
            promotions = Promotions(
                pool,
                channel="@bench",
                admin_ids=[1],
                settings=PromoSettings(lift_stars=LIFT, pin_stars=PIN, lifts_per_hour=3),
            )
            rng = random.Random(21)
            chosen = rng.sample(sorted(owners), payments)
            gate = asyncio.Semaphore(concurrency)

            async def check(ad_id: int) -> float:
                async with gate:
                    started = time.perf_counter()
                    refused = await promotions.pre_checkout(
                        owners[ad_id], invoice_payload(PromoKind.LIFT, ad_id), CURRENCY, LIFT
                    )
                    spent = time.perf_counter() - started
                    assert refused is None, refused
                    return spent

            async def pay(i: int, ad_id: int) -> float:
                async with gate:
                    kind = PromoKind.PIN if i % 10 == 0 else PromoKind.LIFT
                    started = time.perf_counter()
                    assert await promotions.paid(
                        user_id=owners[ad_id],
                        charge_id=f"bench{i:08d}",
                        payload=invoice_payload(kind, ad_id),
                        amount=PIN if kind is PromoKind.PIN else LIFT,
                    )
                    return time.perf_counter() - started

            checks = await asyncio.gather(*(check(a) for a in chosen))
            began = time.perf_counter()
            paid = await asyncio.gather(*(pay(i, a) for i, a in enumerate(chosen)))
            wall = time.perf_counter() - began
            again = await asyncio.gather(
                *(
                    promotions.paid(
                        user_id=owners[a],
                        charge_id=f"bench{i:08d}",
                        payload=invoice_payload(PromoKind.LIFT, a),
                        amount=LIFT,
                    )
                    for i, a in enumerate(chosen)
                )
            )
            recorded = await pool.fetchval("SELECT count(*) FROM promotions")
            # With the promotions' rows in place, the pre-checkout again (its "running" read).
            rechecks = await asyncio.gather(
                *(check(a) for a in rng.sample(sorted(set(owners) - set(chosen)), payments))
            )
        finally:
            await pool.close()

    p50, p95, top = _ms(checks)
    r50, r95, rtop = _ms(rechecks)
    w50, w95, wtop = _ms(paid)
    ok = max(p95, r95) <= PRE_CHECKOUT_TARGET_MS
    print(f"pre_checkout, {payments:,} ads, {concurrency} at once:")
    print(f"  empty table:        p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  max {top:6.2f} ms")
    print(f"  {recorded:,} promotions: p50 {r50:6.2f} ms  p95 {r95:6.2f} ms  max {rtop:6.2f} ms")
    print(f"  target p95 <= {PRE_CHECKOUT_TARGET_MS} ms: {'PASS' if ok else 'MISS'}")
    print(
        f"paid: p50 {w50:6.2f} ms  p95 {w95:6.2f} ms  max {wtop:6.2f} ms; "
        f"{payments / wall:,.0f} payments/s"
    )
    print(f"paid again (delivered twice): {sum(again)} recorded of {len(again)} (must be 0)")
    ok = ok and not any(again) and recorded == payments
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 ads, 300 payments")
    parser.add_argument("--concurrency", type=int, default=20, help="payments at once (20)")
    options = parser.parse_args()
    ads, payments = (20_000, 300) if options.quick else (100_000, 2_000)
    sys.exit(asyncio.run(run(ads=ads, payments=payments, concurrency=options.concurrency)))


if __name__ == "__main__":
    main()

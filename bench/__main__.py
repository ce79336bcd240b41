"""`uv run python -m bench`: how fast is the bot, against the framework's own floor.

Runs, in order, on one fresh database (see `bench.database`):

1. seed 100,000 users and 100,000 published ads (`--seed-users`, `--seed-ads`);
2. our bot (`python -m vodiy_bozor run`, a subprocess): start-up, throughput (closed loop of
   sellers going through the whole ad dialog, plus an admin approving), latency at half that
   throughput (open loop), peak RSS;
3. the echo bot (`bench/echo_bot.py`), the same way, fed the same update stream;
4. our bot again on asyncio's own event loop instead of uvloop (throughput only);
5. `/start` from 200 people at 20 a second with pacing on, on a fresh process of ours and of
   the echo bot each: the latency tail of the cheapest update (`--paced-seconds`);
6. the outbox: 2,000 notices through the real worker, with the fake enforcing Telegram's limits;
7. the repost pick with 1,000,000 published ads.

Prints a table with PASS/MISS per target and writes bench/results/<timestamp>.json and
bench/results/latest.json. `--quick` is a smoke run of about a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import platform
import shutil
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

from bench import phases
from bench.database import BenchDatabase, seed_published_ads, seed_users, table_sizes
from bench.procs import Kind, Processes, clean_env
from bench.report import Report

RESULTS = Path(__file__).resolve().parent / "results"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a ~1 minute smoke run (small sizes)")
    parser.add_argument("--sellers", type=int, help="sellers in the throughput run (2000)")
    parser.add_argument("--concurrency", type=int, help="sellers at once (200)")
    parser.add_argument("--max-seconds", type=float, help="cap on one throughput run (60)")
    parser.add_argument("--latency-seconds", type=float, help="length of the latency run (20)")
    parser.add_argument("--seed-users", type=int, help="users in the database (100000)")
    parser.add_argument("--seed-ads", type=int, help="published ads in the database (100000)")
    parser.add_argument(
        "--paced-seconds", type=float, help="length of the paced /start run, per bot (30)"
    )
    parser.add_argument("--notices", type=int, help="outbox notices (2000)")
    parser.add_argument("--pick-ads", type=int, help="published ads for the pick (1000000)")
    parser.add_argument("--pick-runs", type=int, help="repost picks timed (200)")
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=("echo", "no-uvloop", "paced-start", "outbox", "pick"),
        help="leave a part out (repeatable)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="run our bot under cProfile and write its profiles to DIR (slows it down)",
    )
    return parser.parse_args(argv)


def sizes(args: argparse.Namespace) -> dict[str, Any]:
    quick = args.quick
    defaults: dict[str, Any] = {
        "sellers": 300 if quick else 2000,
        "concurrency": 100 if quick else 200,
        "max_seconds": 20.0 if quick else 60.0,
        "latency_seconds": 5.0 if quick else 20.0,
        "paced_seconds": 10.0 if quick else 30.0,
        "seed_users": 10_000 if quick else 100_000,
        "seed_ads": 10_000 if quick else 100_000,
        "notices": 200 if quick else 2000,
        "pick_ads": 100_000 if quick else 1_000_000,
        "pick_runs": 50 if quick else 200,
    }
    given = {k: getattr(args, k) for k in defaults}
    return {k: v if given[k] is None else given[k] for k, v in defaults.items()}


async def run(args: argparse.Namespace) -> int:
    size = sizes(args)
    plan = phases.LoadPlan(
        sellers=size["sellers"],
        concurrency=size["concurrency"],
        max_seconds=size["max_seconds"],
        latency_seconds=size["latency_seconds"],
    )
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="vodiy-bench-"))
    procs = Processes(workdir, clean_env({}), profile_dir=args.profile)
    atexit.register(procs.kill_all)  # even if the event loop dies, no bot outlives us
    report = Report(
        started_at=datetime.now(UTC),
        sizes=size,
        machine={
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": _cpus(),
        },
    )
    try:
        async with BenchDatabase() as db:
            report.database = db.where
            print(f"database: {db.where}, {db.name}")
            conn = await asyncpg.connect(db.url)
            try:
                t = time.monotonic()
                await seed_users(conn, size["seed_users"])
                await seed_published_ads(
                    conn, size["seed_ads"], sellers=size["seed_users"], photos=True
                )
                report.seeded = await table_sizes(conn)
                print(f"seeded {report.seeded} in {time.monotonic() - t:.1f}s")
            finally:
                await conn.close()

            print("our bot:")
            ours = await phases.run_bot(
                procs, Kind.OURS, db.url, plan, first_id=10_000_000, latency_rate=0
            )
            report.ours = ours
            if "echo" not in args.skip:
                print("echo bot:")
                report.echo = await phases.run_bot(
                    procs,
                    Kind.ECHO,
                    db.url,
                    plan,
                    first_id=20_000_000,
                    latency_rate=0,
                    echo_admin_presses=int(ours.throughput["admin_presses"]),
                )
            if "no-uvloop" not in args.skip:
                print("our bot on the asyncio event loop:")
                report.ours_no_uvloop = await phases.run_bot(
                    procs, Kind.OURS_NO_UVLOOP, db.url, plan, first_id=30_000_000, latency_rate=0
                )
            if "paced-start" not in args.skip:
                print("/start at 20/s, pacing on:")
                paced = phases.PacedStartPlan(seconds=size["paced_seconds"])
                report.paced_start = [
                    await phases.run_paced_start(
                        procs, Kind.OURS, db.url, paced, first_id=40_000_000
                    )
                ]
                if "echo" not in args.skip:
                    report.paced_start.append(
                        await phases.run_paced_start(
                            procs, Kind.ECHO, db.url, paced, first_id=41_000_000
                        )
                    )
            if "outbox" not in args.skip:
                print("outbox:")
                report.outbox = await phases.run_outbox(procs, db.url, notices=size["notices"])
            if "pick" not in args.skip:
                print("repost pick:")
                report.pick = await phases.run_pick(
                    db.url,
                    total_ads=size["pick_ads"],
                    sellers=size["seed_users"],
                    runs=size["pick_runs"],
                )
    finally:
        await procs.close()
        shutil.rmtree(workdir, ignore_errors=True)
    report.seconds = time.monotonic() - started
    print()
    print(report.table())
    paths = report.write(args.out)
    print(f"\nresults: {', '.join(str(p) for p in paths)}")
    return 0


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    loop = asyncio.new_event_loop()
    task = loop.create_task(run(args))
    # SIGTERM/SIGINT cancel the run, so the `finally` blocks stop the bots and drop the database.
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, task.cancel)
    try:
        return loop.run_until_complete(task)
    except asyncio.CancelledError:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        loop.close()


if __name__ == "__main__":
    sys.exit(main())

"""The quick post's speed: from an album's last photo to the bot's answer.

    uv run python -m bench.quick_post            # 40 sellers one by one, then 40 at once
    uv run python -m bench.quick_post --quick    # 10 and 10

Starts the real bot (`python -m vodiy_bozor run`, a subprocess, its calls paced within
Telegram's limits as in production) against the fake Bot API and a fresh database. Each
seller sends, from the main menu, an album with a caption (3 or 10 photos, alternately); the
figure is the time from the moment the album's last photo is queued for the bot's getUpdates
to the moment the bot sends its answer: the preview's question ("7/7", after the album is
shown) or the first question the caption did not answer. It includes the intake's album
window (`telegram/intake.py`, 0.5 s after the last photo), the read, the draft's writes and the
pacing. Target (issue 19): at most 1.5 s, at p95 and at the worst.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.database import BenchDatabase
from bench.fakeapi import BenchTelegram
from bench.phases import Percentiles, bot_env, running_fake, wait_started
from bench.procs import Kind, Processes, clean_env
from tests.fake_telegram import Person

TARGET_MS = 1500.0
FIRST_SELLER = 900_000
_QUESTION = re.compile(r"\b[1-7]/7\b")
CAPTIONS = (
    "Сотилади 🔥 Samsung A52 128гб, идеал ҳолатда, қутиси бор.\nНархи: 2,5 млн\nАсака\n"
    "Тел: 90 123 45 67",
    "Sotiladi Redmi Note 12, 8/256, holati a'lo.\nNarxi: 1,8 mln\nQuvasoy shahrida\n"
    "Tel: +998 91 234 56 78",
    "Продаю iPhone 13, 128 ГБ, батарея 87%, без царапин.\nЦена: 450$\nНаманган, Чуст\n"
    "📞 93 555 44 33",
)


async def answered_at(fake: BenchTelegram, seller: Person, since: int) -> tuple[float, str]:
    """When the bot sent `seller` its answer to the album (a question or the preview's)."""
    message = await seller.wait_message(
        predicate=lambda m: _QUESTION.search(m.content) is not None, timeout=30
    )
    for call in fake.calls[since:]:
        if (
            call.method == "sendMessage"
            and call.params.get("chat_id") == seller.id
            and call.response.get("result", {}).get("message_id") == message.message_id
        ):
            found = _QUESTION.search(message.content)
            return call.at, found.group(0) if found else "?"
    msg = f"no sendMessage call for {message!r}"
    raise AssertionError(msg)


async def one_seller(fake: BenchTelegram, seller_id: int, n: int) -> tuple[float, str]:
    seller = fake.user(seller_id, f"Seller {seller_id}")
    since = len(fake.calls)
    await seller.send_album(3 if n % 2 == 0 else 10, caption=CAPTIONS[n % len(CAPTIONS)])
    last_photo = time.monotonic()
    at, step = await answered_at(fake, seller, since)
    return at - last_photo, step


def report(name: str, results: list[tuple[float, str]]) -> bool:
    figures = Percentiles.of([seconds for seconds, _ in results])
    steps = sorted({step for _, step in results})
    ok = figures.p95_ms <= TARGET_MS and figures.max_ms <= TARGET_MS
    print(
        f"{name:<22} n={figures.count:<4} p50 {figures.p50_ms:7.0f} ms  p95 {figures.p95_ms:7.0f}"
        f" ms  max {figures.max_ms:7.0f} ms  answered with {', '.join(steps)}"
        f"  {'PASS' if ok else 'MISS'} (≤ {TARGET_MS:.0f} ms)"
    )
    return ok


async def run(sequential: int, burst: int) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="vodiy-quickpost-"))
    procs = Processes(workdir, clean_env({}))
    atexit.register(procs.kill_all)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    try:
        async with BenchDatabase() as db, running_fake() as fake:
            print(f"database: {db.where}; load average {load}")
            fake.keep_calls = True
            env = {**bot_env(fake, db.url), "PACE_CALLS": "on"}
            bot = await procs.start(Kind.OURS, env)
            started = await wait_started(fake, bot)
            print(f"bot polling {started:.2f}s after launch")
            one_by_one = [await one_seller(fake, FIRST_SELLER + n, n) for n in range(sequential)]
            together = await asyncio.gather(
                *(one_seller(fake, FIRST_SELLER + sequential + n, n) for n in range(burst))
            )
    finally:
        await procs.close()
        shutil.rmtree(workdir, ignore_errors=True)
    passed = report("one seller at a time", one_by_one)
    passed = report(f"{burst} sellers at once", list(together)) and passed
    print(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if passed else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quick_post")
    parser.add_argument("--quick", action="store_true", help="10 sellers, then 10 at once")
    parser.add_argument("--sellers", type=int, help="sellers one by one (40)")
    parser.add_argument("--burst", type=int, help="sellers at once (40)")
    args = parser.parse_args(argv)
    sequential = args.sellers or (10 if args.quick else 40)
    burst = args.burst or (10 if args.quick else 40)
    return asyncio.run(run(sequential, burst))


if __name__ == "__main__":
    sys.exit(main())

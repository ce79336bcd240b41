"""`uv run python -m bench.reader`: how long reading one whole ad takes (the quick post).

Reads every ad of the evaluation set (tests/reader_eval) and a set of hostile 4,096-character
texts (the longest message Telegram delivers: digits and separators that look like prices and
phones, place names with suffixes, apostrophes, emoji, one long word, many lines), each several
times, and prints p50/p95/max per group against the target: p95 ≤ 2 ms. It also reads
hostile texts of 1, 2, 4 and 8 times that length: the worst stays flat, because nothing past
Telegram's 4,096 characters is read and the work on those is bounded. Both wall and CPU time
are printed: on a shared machine the wall time also counts other processes' turns.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from vodiy_bozor.assistant.reader import read_ad

SET = Path(__file__).resolve().parent.parent / "tests" / "reader_eval"
TARGET_P95_MS = 2.0
TELEGRAM_TEXT = 4_096


def hostile_texts(size: int, rng: random.Random) -> list[str]:
    """Texts of `size` characters built to make a careless reader slow."""
    pieces = [
        "12 500 000 ",
        "12.500.000.",
        "90 123 45 67 ",
        "+998 ",
        "1 mln 700 ming ",
        "500$ ",
        "$",
        "Asakada ",
        "Qo'rg'ontepa tumanida ",
        "ʻ'`’",
        "🔥",
        "\n",
        "narxi ",
        "8600 1234 5678 9012 ",
        "a",
        "9",
        " ",
        "kelishiladi ",
        "#sotiladi ",
        "эски нархи 760K, янги нархи 700k ",
    ]
    texts = [(piece * (size // len(piece) + 1))[:size] for piece in pieces]
    for _ in range(20):
        mixed: list[str] = []
        while sum(map(len, mixed)) < size:
            mixed.append(rng.choice(pieces))
        texts.append("".join(mixed)[:size])
    return texts


def time_reads(texts: Sequence[str], repeat: int) -> tuple[list[float], list[float]]:
    """Wall time and this thread's CPU time per read: on a shared machine the wall time also
    counts the moments the scheduler gave the core to another process."""
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(repeat):
        for text in texts:
            started, started_cpu = time.perf_counter(), time.thread_time()
            read_ad(text)
            cpu.append(time.thread_time() - started_cpu)
            wall.append(time.perf_counter() - started)
    return wall, cpu


def line(name: str, timings: Sequence[float]) -> str:
    ms = sorted(t * 1e3 for t in timings)
    p50 = statistics.median(ms)
    p95 = ms[int(len(ms) * 0.95) - 1]
    verdict = "PASS" if p95 <= TARGET_P95_MS else "MISS"
    return (
        f"{name:<40} n={len(ms):<6} p50 {p50:.3f} ms  p95 {p95:.3f} ms  max {ms[-1]:.3f} ms  "
        f"(target p95 ≤ {TARGET_P95_MS} ms: {verdict})"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.reader")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    rng = random.Random(4096)
    ads = [
        json.loads(raw)["text"]
        for path in sorted(SET.glob("*.jsonl"))
        for raw in path.read_text(encoding="utf-8").splitlines()
    ]
    time_reads(ads, 1)  # warm the caches and the regular expressions
    wall, cpu = time_reads(ads, args.repeat)
    print(line(f"evaluation set ({len(ads)} ads), CPU", cpu))
    print(line(f"evaluation set ({len(ads)} ads), wall", wall))
    hostile = hostile_texts(TELEGRAM_TEXT, rng)
    wall, cpu = time_reads(hostile, args.repeat)
    print(line(f"hostile {TELEGRAM_TEXT} chars, CPU", cpu))
    print(line(f"hostile {TELEGRAM_TEXT} chars, wall", wall))
    for factor in (1, 2, 4, 8):
        size = TELEGRAM_TEXT * factor
        texts = hostile_texts(size, rng)
        worst = max(time_reads(texts, 2)[1])
        print(
            f"hostile ×{factor} ({size} chars): worst {worst * 1e3:.3f} ms CPU "
            "(the reader reads the first 4,096, the most Telegram delivers)"
        )


if __name__ == "__main__":
    main()

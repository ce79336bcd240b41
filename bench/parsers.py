"""Every parser of user input on worst-case text of 256, 1,024 and 4,096 characters.

    uv run python -m bench.parsers

For each parser and length, the slowest of several hostile shapes (one character repeated,
digits with separators, the phone pattern's old quadratic case `((((…`, apostrophes, mixed
scripts, seeded random text), each timed as the best of REPEATS runs (the least disturbed by
other work on the machine). Targets: under 5 ms at every length, and linear growth: from 1,024
to 4,096 characters the time may grow at most GROWTH times (4 is exactly linear; a quadratic
parser grows 16 times). Prints the figures and PASS/MISS; exits 1 on a MISS.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable

from vodiy_bozor.assistant.reader import read_ad
from vodiy_bozor.bot.callbacks import SearchCb
from vodiy_bozor.bot.handlers.ad_page import payload_ad_id
from vodiy_bozor.models import Category, Region
from vodiy_bozor.text.duration import parse_duration
from vodiy_bozor.text.fold import ad_document, fold, query_terms
from vodiy_bozor.text.phone import parse_phone
from vodiy_bozor.text.price import parse_price
from vodiy_bozor.text.price_range import parse_price_range
from vodiy_bozor.text.script import normalize_answer, uz_latin_to_cyrillic

LENGTHS = (256, 1024, 4096)
REPEATS = 15
TARGET_MS = 5.0
GROWTH = 6.0  # 4x the length: 4x the time is linear; leave room for timer noise

_MIXED = "0123456789 +()-.,'ʻ`абвгдўқғҳshchyoaeiou$млнminг\u00a0\u200b😀٣"


def _shapes(n: int) -> list[str]:
    rng = random.Random(n)
    return [
        "(" * n,  # the old phone pattern's quadratic case
        "+" + " (" * (n // 2),
        "1 " * (n // 2),
        "1(" * (n // 2),
        "9" * n,
        "12 500 000 " * (n // 11),
        "минг " * (n // 5),
        "a'" * (n // 2),
        "ш" * n,
        "sh" * (n // 2),
        "ad_" + "1" * (n - 3),
        "find1:p:1:" + "9" * (n - 10),
        "".join(rng.choice(_MIXED) for _ in range(n)),
    ]


def _quietly(parse: Callable[[str], object]) -> Callable[[str], object]:
    def run(text: str) -> object:
        try:
            return parse(text)
        except (ValueError, TypeError):  # the parsers' own errors; unpack's are both
            return None

    return run


PARSERS: dict[str, Callable[[str], object]] = {
    "parse_price": _quietly(parse_price),
    "parse_price_range": _quietly(parse_price_range),
    "parse_phone": _quietly(parse_phone),
    "parse_duration": _quietly(parse_duration),
    "query_terms": query_terms,
    "normalize_answer": normalize_answer,
    "uz_latin_to_cyrillic": uz_latin_to_cyrillic,
    "fold": fold,
    "ad_document": lambda text: ad_document(text, Category.OTHER, Region.FERGANA, None),
    "read_ad": read_ad,
    "payload_ad_id": payload_ad_id,
    "SearchCb.unpack": _quietly(SearchCb.unpack),
}


def _best_ms(parse: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        began = time.perf_counter()
        parse(text)
        best = min(best, time.perf_counter() - began)
    return best * 1000


def main() -> int:
    missed = False
    header = "".join(f"{n:>10,}" for n in LENGTHS)
    print(f"worst case of {len(_shapes(256))} shapes, best of {REPEATS} runs, ms")
    print(f"{'parser':<22}{header}   growth  result")
    for name, parse in PARSERS.items():
        worst = [max(_best_ms(parse, text) for text in _shapes(n)) for n in LENGTHS]
        growth = worst[-1] / max(worst[-2], 0.001)
        ok = all(ms < TARGET_MS for ms in worst) and (growth <= GROWTH or worst[-1] < 0.05)
        missed |= not ok
        figures = "".join(f"{ms:>10.3f}" for ms in worst)
        print(f"{name:<22}{figures}   {growth:>5.1f}x  {'PASS' if ok else 'MISS'}")
    print(f"targets: < {TARGET_MS} ms at every length; ≤ {GROWTH}x from 1,024 to 4,096")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

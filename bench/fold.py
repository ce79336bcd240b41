"""The search fold against the `alifbo` package: agreement on ad words, and speed.

    uv run --with alifbo python -m bench.fold

`alifbo` is not a dependency of the bot (see vodiy_bozor/text/fold.py for why); it is loaded
here only when present, to compare. Its key keeps the new-Latin letters (`ş`, `ç`, `ö`, `ğ`),
so it is compared after mapping those to ASCII the way the fold does.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable

from vodiy_bozor.text.fold import fold

# Words and phrases from ads in the valley, each spelled the ways sellers and buyers type it.
SPELLINGS: list[tuple[str, ...]] = [
    ("музлатгич", "muzlatgich", "muzlatgiç", "МУЗЛАТГИЧ"),
    ("Ўзбекистон", "O'zbekiston", "Oʻzbekiston", "O‘zbekiston", "O`zbekiston", "Özbekiston"),
    ("ғилдирак", "g'ildirak", "gʻildirak", "g’ildirak", "ğildirak"),
    ("шаҳар", "shahar", "şahar"),
    ("чорва", "chorva", "çorva"),
    ("телефон", "telefon"),
    ("Фарғона", "Farg'ona", "Fargʻona", "Farğona"),
    ("Андижон", "Andijon"),
    ("Наманган", "Namangan"),
    ("кўйлак", "ko'ylak", "köylak"),
    ("ўриндиқ", "o'rindiq", "örindiq"),
    ("ер", "yer"),
    ("маъно", "ma'no", "maʼno"),
    ("эълон", "e'lon", "eʼlon"),
    ("сотилади", "sotiladi"),
    ("кир ювиш машинаси", "kir yuvish mashinasi", "kir yuviş maşinasi"),
    ("уй-жой", "uy-joy"),
    ("қўй", "qo'y", "qöy"),
    ("ҳовли", "hovli"),
    ("Самсунг", "Samsung"),
]
AD = (
    "Sotiladi Samsung Galaxy A52 telefon, holati yaxshi, quti hujjatlari bor. Нархи 2,5 млн "
    "сўм, Фарғона шаҳри. Муздлатгич Artel ҳам бор. Срочно продаётся холодильник в отличном "
    "состоянии, торг уместен. "
) * 3


def per_call(function: Callable[[str], object], text: str, times: int) -> float:
    started = time.perf_counter()
    for _ in range(times):
        function(text)
    return (time.perf_counter() - started) / times


def main() -> None:
    print(
        f"fold: {per_call(fold, AD, 2000) * 1e3:.3f} ms per {len(AD)}-character ad, "
        f"{per_call(fold, 'телефоны', 20000) * 1e6:.1f} µs per word"
    )
    disagreements = [s for s in SPELLINGS if len({fold(w) for w in s}) != 1]
    print(
        f"fold: {len(SPELLINGS) - len(disagreements)}/{len(SPELLINGS)} words give one key "
        "for every spelling"
    )
    try:
        alifbo = importlib.import_module("alifbo")
    except ImportError:
        print("alifbo: not installed (uv run --with alifbo python -m bench.fold)")
        return
    key: Callable[[str], str] = alifbo.fold_search_key
    ascii_key = str.maketrans({"ş": "sh", "ç": "ch", "ö": "o", "ğ": "g", "ʼ": "", "-": " "})

    def alifbo_fold(text: str) -> str:
        return (
            key(text).translate(ascii_key).replace("h", "x").replace("sx", "sh").replace("cx", "ch")
        )

    print(
        f"alifbo: {per_call(key, AD, 100) * 1e3:.3f} ms per ad, "
        f"{per_call(key, 'телефоны', 2000) * 1e6:.1f} µs per word"
    )
    theirs = [s for s in SPELLINGS if len({alifbo_fold(w) for w in s}) != 1]
    print(
        f"alifbo: {len(SPELLINGS) - len(theirs)}/{len(SPELLINGS)} words give one key "
        "(after mapping its new-Latin letters to ASCII)"
    )
    differ = [w for s in SPELLINGS for w in s if alifbo_fold(w) != fold(w)]
    print(
        f"alifbo and the fold differ on {len(differ)} of {sum(map(len, SPELLINGS))} spellings"
        + (f": {differ}" if differ else "")
    )


if __name__ == "__main__":
    main()

"""One comparison form for ad texts, whatever the script, case, spacing or punctuation.

Uzbek is typed in Cyrillic, in the Latin alphabet of 1995 (oʻ gʻ sh ch, with every apostrophe
variant) and in the reformed Latin alphabet (ö ğ ş ç); Russian in Cyrillic. Everything is
brought to one folded Cyrillic form by `parsing.normalize_answer` (Latin → Cyrillic, ў/у, қ/к,
ғ/г, ҳ/х, ё/е, э/е merged, signs and punctuation dropped) after the reformed letters are spelled
the 1995 way. Emoji and symbols disappear with the punctuation.
"""

from __future__ import annotations

import functools
import itertools
import re
import zlib
from typing import Final

from vodiy_bozor.parsing import normalize_answer

# The reformed Latin alphabet's letters, written as the 1995 alphabet that the transliterator
# reads; ñ is the "ng" some keyboards produce.
_NEW_LATIN: Final = str.maketrans(
    {
        "ö": "o'",
        "Ö": "O'",
        "ğ": "g'",
        "Ğ": "G'",
        "ş": "sh",
        "Ş": "Sh",
        "ç": "ch",
        "Ç": "Ch",
        "ñ": "ng",
        "Ñ": "Ng",
    }
)

# Words that nearly every ad contains: they say nothing about which item it is, and as
# sketch values they would match half the database. Folded at import time.
_FILLER_WORDS: Final = frozenset(
    normalize_answer(word.translate(_NEW_LATIN))
    for word in [
        "sotiladi",
        "sotaman",
        "sotilyapti",
        "sotuvda",
        "srochno",
        "srochna",
        "tez",
        "holati",
        "xolati",
        "yaxshi",
        "zo'r",
        "zor",
        "ideal",
        "alo",
        "a'lo",
        "narxi",
        "narx",
        "tel",
        "telefon",
        "manzil",
        "murojaat",
        "uchun",
        "bor",
        "va",
        "bilan",
        "ham",
        "juda",
        "продается",
        "продаётся",
        "продам",
        "продаю",
        "срочно",
        "срочная",
        "состояние",
        "хорошее",
        "отличное",
        "идеальное",
        "цена",
        "телефон",
        "адрес",
        "звоните",
        "пишите",
        "и",
        "в",
        "на",
        "с",
        "для",
        "есть",
        "очень",
        "сотилади",
        "сотаман",
        "сотувда",
        "ҳолати",
        "яхши",
        "зўр",
        "нархи",
        "манзил",
        "мурожаат",
        "учун",
        "ва",
        "билан",
        "ҳам",
        "жуда",
    ]
)

_TOKEN: Final = re.compile(r"\w+")

# Brand and model names are spelled in English letters, which the Uzbek transliteration reads
# as Uzbek (`Cobalt` → цобалт, `Nexia` → нехиа, `iPhone` → ипхоне), and in Cyrillic as they
# sound (Кобальт, Нексия, Айфон). Each spelling is mapped to one form.
_NAMES: Final = {
    "айфон": "iphone ayfon айфон",
    "нексия": "nexia neksiya nexiya нексия нексиа",
    "кобалт": "cobalt kobalt кобальт",
    "ласетти": "lacetti lasetti ласетти лачетти лацетти",
    "жентра": "gentra jentra джентра жентра",
    "сяоми": "xiaomi shaomi сяоми ксиоми",
    "текно": "tecno tekno текно тецно",
    "поко": "poco поко",
    "тико": "tico tiko тико",
    "плейстейшн": "playstation плейстейшн плэйстейшн",
    "каптива": "captiva каптива",
    "шевроле": "chevrolet shevrole шевроле",
    "хендай": "hyundai хендай хундай хюндай",
    "кэнон": "canon кэнон",
    "макбук": "macbook макбук",
    "эйрподс": "airpods эйрподс аирподс",
    "хуавей": "huawei хуавей",
    "галакси": "galaxy galaksi галакси",
    "трекер": "tracker трекер",
    "оникс": "onix оникс",
    "чери": "chery чери",
    "кондиционер": "konditsioner kondisioner konditsaner кондиционер кондицонер",
}


def _fold_plain(text: str) -> str:
    return normalize_answer(text.translate(_NEW_LATIN))


_CANONICAL: Final = {
    _fold_plain(spelling): _fold_plain(name)
    for name, spellings in _NAMES.items()
    for spelling in spellings.split()
}


@functools.lru_cache(maxsize=4096)
def fold_text(text: str) -> str:
    """The folded comparison form: `Sotiladi, IPHONE 11!` and `Сотилади айфон 11` are equal.

    Cached: the same recent ads come back as candidates for one new ad after another, and
    folding is most of the time spent comparing with them (a few MB at most for the cache).
    """
    return " ".join(_CANONICAL.get(word, word) for word in _fold_plain(text).split())


def tokens(folded: str) -> list[str]:
    """The words of a folded text."""
    return _TOKEN.findall(folded)


def content_tokens(folded: str) -> list[str]:
    """The words that say something about the item: filler words and one-letter words dropped."""
    return [t for t in tokens(folded) if len(t) > 1 and t not in _FILLER_WORDS]


# Locality-sensitive hashing of MinHash signatures: BANDS bands of ROWS min-hashes each. Two
# texts whose word sets have Jaccard similarity J share at least one band value with
# probability 1 - (1 - J**ROWS)**BANDS: 0.998 at J = 0.9, 0.81 at 0.7, 0.32 at 0.5, 0.02 at
# 0.3. A band value is shared by texts that are alike as a whole, not by every text with one
# common word, so each value's entry in the index stays short even at a million ads.
# https://en.wikipedia.org/wiki/Locality-sensitive_hashing#Bit_sampling_for_Hamming_distance
BANDS: Final = 6
ROWS: Final = 4
_PRIME: Final = (1 << 31) - 1
# Fixed (a, b) pairs of the universal hash functions (a·x + b) mod p: changing them changes
# every stored sketch.
_SEEDS: Final = tuple(
    (1 + (zlib.crc32(f"a{i}".encode()) % (_PRIME - 1)), zlib.crc32(f"b{i}".encode()) % _PRIME)
    for i in range(BANDS * ROWS)
)


def text_sketch(folded: str) -> list[int]:
    """The text's LSH band values (BANDS 31-bit integers; none for a text without content
    words): similar texts share some, an index lookup finds them. Stable across processes
    (CRC-32, not Python's salted `hash`)."""
    words = content_tokens(folded)
    # Bare numbers alone (`11`, `2020`) are in too many ads; inside a pair they still count.
    singles = (w for w in words if not w.isdigit())
    shingles = {*singles, *(f"{a} {b}" for a, b in itertools.pairwise(words))}
    if not shingles:
        return []
    hashed = [zlib.crc32(s.encode()) for s in shingles]
    mins = [min((a * x + b) % _PRIME for x in hashed) for a, b in _SEEDS]
    out = []
    for band in range(BANDS):
        rows = mins[band * ROWS : (band + 1) * ROWS]
        key = f"{band}:" + ",".join(map(str, rows))
        out.append(zlib.crc32(key.encode()) & 0x7FFFFFFF)
    return out

"""One comparison form for ad texts, whatever the script, case, spacing or punctuation.

Uzbek is typed in Cyrillic, in the Latin alphabet of 1995 (oʻ gʻ sh ch, with every apostrophe
variant) and in the reformed Latin alphabet (ö ğ ş ç); Russian in Cyrillic. Everything is
brought to one folded Cyrillic form by `parsing.normalize_answer` (Latin → Cyrillic, ў/у, қ/к,
ғ/г, ҳ/х, ё/е, э/е merged, signs and punctuation dropped) after the reformed letters are spelled
the 1995 way. Emoji and symbols disappear with the punctuation.
"""

from __future__ import annotations

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


def fold_text(text: str) -> str:
    """The folded comparison form: `Sotiladi, IPHONE 11!` and `Сотилади айфон 11` are equal."""
    return " ".join(_CANONICAL.get(word, word) for word in _fold_plain(text).split())


def tokens(folded: str) -> list[str]:
    """The words of a folded text."""
    return _TOKEN.findall(folded)


def content_tokens(folded: str) -> list[str]:
    """The words that say something about the item: filler words and one-letter words dropped."""
    return [t for t in tokens(folded) if len(t) > 1 and t not in _FILLER_WORDS]


SKETCH_SIZE: Final = 12


def text_sketch(folded: str, size: int = SKETCH_SIZE) -> list[int]:
    """A bottom-k MinHash sketch of the text: the `size` smallest 31-bit hashes of its content
    words and word pairs. Texts sharing most of their words share some of these values (an
    index lookup finds them); unrelated texts rarely do. Stable across processes (CRC-32,
    not Python's salted `hash`)."""
    words = content_tokens(folded)
    # Bare numbers alone (`11`, `2020`) are in too many ads; inside a pair they still count.
    singles = (w for w in words if not w.isdigit())
    shingles = {*singles, *(f"{a} {b}" for a, b in itertools.pairwise(words))}
    hashes = sorted({zlib.crc32(s.encode()) & 0x7FFFFFFF for s in shingles})
    return hashes[:size]

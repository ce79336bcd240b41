"""The script layer: cleaning typed text, the Uzbek apostrophe, and Uzbek Cyrillic ⇄ Latin.

Pure: no I/O. Uzbek is typed in Cyrillic, in the Latin alphabet of 1995 (oʻ gʻ sh ch, with any
apostrophe) and in the reformed Latin of 2026 (ö ğ ş ç); Russian in Cyrillic. This module holds
the one set of apostrophes, the invisible characters that copy-paste brings, the one
Cyrillic→Latin table (CYRILLIC_TO_LATIN, with the official context rules for е and ц), the
Latin→Cyrillic transliterator, and `normalize_answer`, the comparison key of short answers
(price words, place words). text.fold builds the search form from the same table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = [
    "APOSTROPHES",
    "CYRILLIC_TO_LATIN",
    "clean",
    "cyrillic_in_context",
    "normalize_answer",
    "uz_latin_to_cyrillic",
]

# Every character people use for the Uzbek apostrophe (oʻ, gʻ and the tutuq belgisi ʼ): ASCII ',
# backtick, the two official modifier letters, typographic quotes that phones substitute, the
# acute accent, prime and modifier prime that some keyboards produce, and the full-width '.
APOSTROPHES: Final = "'`\u02bb\u02bc\u2018\u2019\u00b4\u02b9\u2032\uff07"
_APOSTROPHES: Final = frozenset(APOSTROPHES)
_FOLD_APOSTROPHES: Final = str.maketrans(dict.fromkeys(APOSTROPHES, "'"))

# Invisible format characters that sneak in from copy-paste (zero-width spaces and joiners, word
# joiner, BOM, soft hyphen); they would split numbers and words if kept.
_DROP_INVISIBLE: Final = str.maketrans(dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", None))

_SPACES: Final = re.compile(r"\s+")


def clean(text: str) -> str:
    """Fold apostrophes, drop invisible characters, NFKC, lowercase, squeeze whitespace.

    Apostrophes are folded *before* NFKC because NFKC turns the acute accent (U+00B4) into a
    space plus a combining mark. NFKC turns non-breaking, thin and narrow spaces into plain spaces
    and full-width digits and `＄` into ASCII.
    """
    text = text.translate(_FOLD_APOSTROPHES).translate(_DROP_INVISIBLE)
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACES.sub(" ", text).strip()


# ---------------------------------------------------------------------------------------------
# Uzbek Cyrillic → Latin: the one table
# ---------------------------------------------------------------------------------------------

_TURNED_COMMA: Final = "\u02bb"  # ʻ in oʻ and gʻ (official 1995 alphabet)
_TUTUQ: Final = "\u02bc"  # ʼ tutuq belgisi, the glottal stop (Cyrillic ъ)

# Lowercase Uzbek Cyrillic and the Russian letters that loanwords bring, in the official Latin
# alphabet of 1995. е and ц also depend on their context (cyrillic_in_context): `ye` at the
# start of a word and after a vowel or sign (ер → yer, поезд → poyezd), `ts` after a vowel
# (лицей → litsey); the table gives their plain reading.
CYRILLIC_TO_LATIN: Final[Mapping[str, str]] = MappingProxyType(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "yo",
        "ж": "j",
        "з": "z",
        "и": "i",
        "й": "y",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "x",
        "ц": "s",
        "ч": "ch",
        "ш": "sh",
        # Not letters of the Uzbek Cyrillic alphabet, but Russian loanwords bring them along.
        "щ": "sh",
        "ъ": _TUTUQ,
        "ы": "i",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
        "ў": "o" + _TURNED_COMMA,
        "қ": "q",
        "ғ": "g" + _TURNED_COMMA,
        "ҳ": "h",
    }
)

_CYR_VOWELS: Final = "аеёиоуэюяўыъь"
_CYR_YE: Final = re.compile(rf"(?:(?<=[{_CYR_VOWELS}])|(?<![^\W\d_]))е")
_CYR_TS: Final = re.compile(rf"(?<=[{_CYR_VOWELS}])ц")
# ъ is dropped before е/ё/ю/я as in Russian loanwords (объект → obyekt); сҳ is written sʼh so
# it does not read as sh (Исҳоқ → Isʼhoq). Run after _CYR_YE, which has spelled е as `ye`.
_CYR_SIGN_BEFORE_IOTATED: Final = re.compile(r"ъ(?=ye|[ёюя])")
_CYR_S_H: Final = re.compile(r"с(?=ҳ)")


def cyrillic_in_context(text: str) -> str:
    """Lowercase `text` with the letters whose spelling depends on their neighbours spelled out
    (е → `ye`, ц → `ts`, ъ dropped, с before ҳ → `sʼ`); translating the result with
    CYRILLIC_TO_LATIN then gives the official Latin spelling."""
    text = _CYR_TS.sub("ts", _CYR_YE.sub("ye", text))
    return _CYR_S_H.sub("s" + _TUTUQ, _CYR_SIGN_BEFORE_IOTATED.sub("", text))


# ---------------------------------------------------------------------------------------------
# Uzbek Latin → Cyrillic, and the comparison key of answers
# ---------------------------------------------------------------------------------------------

_LAT_TO_CYR: Final[Mapping[str, str]] = MappingProxyType(
    {
        "a": "а",
        "b": "б",
        # `c` is not an Uzbek Latin letter on its own (only in `ch`); in loanwords typed by
        # Russian speakers (`cena`, `cirk`) it stands for ц.
        "c": "ц",
        "d": "д",
        "e": "е",
        "f": "ф",
        "g": "г",
        "h": "ҳ",
        "i": "и",
        "j": "ж",
        "k": "к",
        "l": "л",
        "m": "м",
        "n": "н",
        "o": "о",
        "p": "п",
        "q": "қ",
        "r": "р",
        "s": "с",
        "t": "т",
        "u": "у",
        "v": "в",
        "x": "х",
        "y": "й",
        "z": "з",
    }
)
_LAT_VOWELS: Final = frozenset("aeiou")
_Y_DIGRAPHS: Final[Mapping[str, str]] = MappingProxyType({"a": "я", "e": "е", "u": "ю", "o": "ё"})


def _is_letter(char: str) -> bool:
    # ʻ and ʼ are Unicode letters (Lm) but are apostrophes for our purposes.
    return char.isalpha() and char not in _APOSTROPHES


def uz_latin_to_cyrillic(text: str) -> str:
    """Uzbek Latin → Uzbek Cyrillic. Accepts every apostrophe variant (' ` ʻ ʼ ‘ ’).

    - `oʻ` `gʻ` → ў ғ, whichever apostrophe follows the o or g: people type ASCII ' or
      whatever their phone substitutes, and Uzbek has practically no оъ/гъ sequences;
    - an apostrophe between two other letters is the tutuq belgisi → ъ (`ma'no` → маъно);
      other apostrophes (quotes) are kept as they are;
    - `sh` `ch` → ш ч; `sʼh` → сҳ; `ng` is simply н + г;
    - `ya` `yu` `ye` `yo` → я ю е ё (but `yoʻ` is й + ў: `yoʻq` → йўқ);
    - `e` → э at the start of a word and after a vowel (`eʼlon` → эълон, `poeziya` →
      поэзия), е elsewhere.
    Lossy by nature where Latin merges letters: `s` may have been ц (`sirk`), `ts` stays тс.
    Non-Latin text passes through unchanged, so Cyrillic input comes back as it was.
    """
    out: list[str] = []
    size = len(text)
    index = 0
    while index < size:
        char = text[index]
        low = char.lower()
        if low not in _LAT_TO_CYR:
            if (
                char in _APOSTROPHES
                and index > 0
                and _is_letter(text[index - 1])
                and index + 1 < size
                and _is_letter(text[index + 1])
            ):
                out.append("Ъ" if text[index - 1].isupper() and text[index + 1].isupper() else "ъ")
            else:
                out.append(char)
            index += 1
            continue
        following = text[index + 1].lower() if index + 1 < size else ""
        after_following = text[index + 2] if index + 2 < size else ""
        step = 1
        if low in "og" and following in _APOSTROPHES:
            cyrillic, step = ("ў" if low == "o" else "ғ"), 2
        elif low == "s" and following == "h":
            cyrillic, step = "ш", 2
        elif low == "c" and following == "h":
            cyrillic, step = "ч", 2
        elif low == "s" and following in _APOSTROPHES and after_following.lower() == "h":
            # `sʼh` keeps с and ҳ apart; each keeps its own case.
            out.append("С" if char.isupper() else "с")
            out.append("Ҳ" if after_following.isupper() else "ҳ")
            index += 3
            continue
        elif (
            low == "y"
            and following in _Y_DIGRAPHS
            and not (following == "o" and after_following in _APOSTROPHES)
        ):
            cyrillic, step = _Y_DIGRAPHS[following], 2
        elif low == "e":
            preceding = text[index - 1].lower() if index > 0 else ""
            if preceding in _APOSTROPHES and index > 1 and text[index - 2].lower() in "og":
                preceding = text[index - 2].lower()  # oʻ is a vowel (ў), gʻ a consonant (ғ)
            at_word_start = not _is_letter(preceding)
            cyrillic = "э" if at_word_start or preceding in _LAT_VOWELS else "е"
        else:
            cyrillic = _LAT_TO_CYR[low]
        out.append(cyrillic.upper() if char.isupper() else cyrillic)
        index += step
    return "".join(out)


# Letters that people merge when typing Uzbek Cyrillic on a Russian keyboard (ў→у, қ→к, ғ→г,
# ҳ→х), Russian ё/е and э/е habits, and signs that Latin typists leave out (ъ ь ').
_CYR_FOLD: Final = str.maketrans(
    {"ў": "у", "қ": "к", "ғ": "г", "ҳ": "х", "ё": "е", "э": "е", "ъ": None, "ь": None, "'": None}
)
_NON_WORD: Final = re.compile(r"[\W_]+")


def normalize_answer(text: str) -> str:
    """A comparison key for short typed answers, equal across scripts and common typing habits.

    Lowercases, folds apostrophe variants, transliterates Uzbek Latin to Cyrillic, then folds
    letters people commonly substitute (ў/у, қ/к, ғ/г, ҳ/х, ё/е, э/е) and drops ъ, ь and
    apostrophes; punctuation becomes spaces, and spaces are squeezed. So `Kelishiladi`,
    `келишилади` and `KELISHILADI!` give the same key, as do `Farg'ona`, `Фарғона` and `Фаргона`,
    or `e'lon`, `elon` and `эълон`.

    The key is deliberately lossy: it is for comparing answers and looking words up, never for
    display or storage.
    """
    key = uz_latin_to_cyrillic(clean(text)).translate(_CYR_FOLD)
    return " ".join(_NON_WORD.sub(" ", key).split())

"""Reading what people type: durations, prices, phone numbers, and answers in either Uzbek script.

Pure functions, no I/O. Every regular expression is compiled once at import time; the
transliterators are single passes over the text. Errors carry a machine-readable `reason` so
the bot can answer in the user's language (texts live in the locale files, not here).

How people in the valley write things:
- prices: `12 500 000`, `12.5 млн`, `12,5 mln`, `500$`, `500 у.е.`, `3 минг доллар`,
  `kelishiladi` / `келишилади` / `договорная`;
- phones: `+998 90 123 45 67`, `90 123-45-67`, `901234567`.
"""

from __future__ import annotations

import enum
import itertools
import re
import unicodedata
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Final

from vodiy_bozor.models import Currency, Price, PriceRange

__all__ = [
    "MAX_DURATION_SECONDS",
    "MAX_PRICE_TEXT",
    "PRICE_BOUNDS",
    "THOUSANDS_SEPARATOR",
    "UZ_PHONE_CODES",
    "PhoneError",
    "PhoneProblem",
    "PriceError",
    "PriceProblem",
    "PriceRangeError",
    "PriceRangeProblem",
    "format_amount",
    "format_phone",
    "normalize_answer",
    "parse_duration",
    "parse_phone",
    "parse_price",
    "parse_price_range",
    "uz_cyrillic_to_latin",
    "uz_latin_to_cyrillic",
]


# ---------------------------------------------------------------------------------------------
# Shared text clean-up
# ---------------------------------------------------------------------------------------------

# Every character people use for the Uzbek apostrophe (oʻ, gʻ and the tutuq belgisi ʼ): ASCII ',
# backtick, the two official modifier letters, typographic quotes that phones substitute, the
# acute accent and prime that some keyboards produce.
_APOSTROPHES: Final = frozenset("'`\u02bb\u02bc\u2018\u2019\u00b4\u02b9\u2032")
_FOLD_APOSTROPHES: Final = str.maketrans(dict.fromkeys(_APOSTROPHES, "'"))

# Invisible format characters that sneak in from copy-paste (zero-width spaces and joiners, word
# joiner, BOM, soft hyphen); they would split numbers and words if kept.
_DROP_INVISIBLE: Final = str.maketrans(dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", None))

_SPACES: Final = re.compile(r"\s+")


def _clean(text: str) -> str:
    """Fold apostrophes, drop invisible characters, NFKC, lowercase, squeeze whitespace.

    Apostrophes are folded *before* NFKC because NFKC turns the acute accent (U+00B4) into a
    space plus a combining mark. NFKC turns non-breaking, thin and narrow spaces into plain spaces
    and full-width digits and `＄` into ASCII.
    """
    text = text.translate(_FOLD_APOSTROPHES).translate(_DROP_INVISIBLE)
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACES.sub(" ", text).strip()


def _shorten(text: str, limit: int = 80) -> str:
    """What an error message quotes of the input: a pasted essay should not flood the logs."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------
# Durations
# ---------------------------------------------------------------------------------------------

# A year. Intervals in settings are minutes to days; anything longer is a typo (`30d` → `300d`),
# and absurd values would overflow datetime arithmetic further on.
MAX_DURATION_SECONDS: Final = 365 * 24 * 3600

_DURATION_FORMS: Final = (
    "use a whole number of seconds (90) or a number with a unit: "
    "45s, 30m, 2h, 3d, or combined like 1h30m"
)
_DURATION_UNITS: Final = re.compile(
    r"""
    (?:(?P<d>[0-9]+)\s*(?:d|days?)(?![a-z])\s*)?
    (?:(?P<h>[0-9]+)\s*(?:h|hrs?|hours?)(?![a-z])\s*)?
    (?:(?P<m>[0-9]+)\s*(?:m|mins?|minutes?)(?![a-z])\s*)?
    (?:(?P<s>[0-9]+)\s*(?:s|secs?|seconds?)(?![a-z])\s*)?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_BARE_SECONDS: Final = re.compile(r"[0-9]+")
_UNIT_SECONDS: Final[Mapping[str, int]] = MappingProxyType(
    {"d": 86_400, "h": 3_600, "m": 60, "s": 1}
)


def parse_duration(text: str) -> int:
    """Seconds in a duration such as `45s`, `30m`, `2h`, `3d`, `1h30m`, `1d 12h` or `90`.

    Units are case-insensitive and may be spelled out (`min`, `hours`, `days`); combined forms go
    from the largest unit to the smallest, each unit at most once. Raises ValueError with a
    message meant for a human (it is shown after the setting's name) when the text is empty,
    not a duration, zero, negative, or longer than a year.
    """
    stripped = text.strip()
    if not stripped:
        raise ValueError(f"is empty; {_DURATION_FORMS}")
    if len(stripped) > 64:
        raise ValueError(f"is too long to be a duration; {_DURATION_FORMS}")
    if stripped[0] in "-\u2212":
        raise ValueError(f"must be positive, got {stripped!r}; {_DURATION_FORMS}")
    if _BARE_SECONDS.fullmatch(stripped):
        seconds = int(stripped)
    else:
        match = _DURATION_UNITS.fullmatch(stripped)
        if match is None or not any(match.groupdict().values()):
            raise ValueError(f"{stripped!r} is not a duration; {_DURATION_FORMS}")
        seconds = sum(
            int(value) * _UNIT_SECONDS[unit]
            for unit, value in match.groupdict().items()
            if value is not None
        )
    if seconds == 0:
        raise ValueError(f"must be greater than zero, got {stripped!r}; {_DURATION_FORMS}")
    if seconds > MAX_DURATION_SECONDS:
        raise ValueError(f"{stripped!r} is longer than a year (365d); {_DURATION_FORMS}")
    return seconds


# ---------------------------------------------------------------------------------------------
# Uzbek scripts
# ---------------------------------------------------------------------------------------------

_MODIFIER_TURNED_COMMA: Final = "\u02bb"  # ʻ in oʻ and gʻ (official 1995 alphabet)
_MODIFIER_APOSTROPHE: Final = "\u02bc"  # ʼ tutuq belgisi, the glottal stop (Cyrillic ъ)

_CYR_TO_LAT: Final[Mapping[str, str]] = MappingProxyType(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
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
        "ч": "ch",
        "ш": "sh",
        # Not letters of the Uzbek Cyrillic alphabet, but Russian loanwords bring them along.
        "щ": "sh",
        "ы": "i",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
        "ў": "o" + _MODIFIER_TURNED_COMMA,
        "қ": "q",
        "ғ": "g" + _MODIFIER_TURNED_COMMA,
        "ҳ": "h",
    }
)
_CYR_VOWELS: Final = frozenset("аеёиоуэюяўы")
_CYR_IOTATED: Final = frozenset("еёюя")
_CYR_SIGNS: Final = frozenset("ъь")

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


def _upper_like(latin: str, text: str, index: int) -> str:
    """Case a Latin rendering of the uppercase Cyrillic letter `text[index]`.

    Multi-letter renderings are all caps inside an all-caps word (`ШАҲАР` → `SHAHAR`) and
    title case otherwise (`Шаҳар` → `Shahar`).
    """
    if len(latin) <= 1:
        return latin.upper()
    following = text[index + 1] if index + 1 < len(text) else ""
    if _is_letter(following):
        all_caps = following.isupper()
    else:
        preceding = text[index - 1] if index > 0 else ""
        all_caps = _is_letter(preceding) and preceding.isupper()
    return latin.upper() if all_caps else latin[0].upper() + latin[1:]


def uz_cyrillic_to_latin(text: str) -> str:
    """Uzbek Cyrillic → the official Latin alphabet of 1995 (as revised), for display.

    Rules that depend on context, following the official spelling rules:
    - е is `ye` at the start of a word and after a vowel, ъ or ь (`ер` → `yer`, `поезд` →
      `poyezd`), `e` elsewhere; ё, ю, я are always `yo`, `yu`, `ya`;
    - ц is `ts` after a vowel and `s` elsewhere (`лицей` → `litsey`, `цирк` → `sirk`);
    - ъ is the tutuq belgisi `ʼ` (`маъно` → `maʼno`), dropped before е/ё/ю/я as in Russian
      loanwords (`объект` → `obyekt`); ь is dropped;
    - сҳ is written `sʼh` so it does not read as `sh` (`Исҳоқ` → `Isʼhoq`).
    Output uses ʻ (U+02BB) in oʻ/gʻ and ʼ (U+02BC) for the tutuq belgisi. Anything that is not
    Cyrillic passes through unchanged, so mixed text is fine.
    """
    out: list[str] = []
    size = len(text)
    for index, char in enumerate(text):
        low = char.lower()
        preceding = text[index - 1].lower() if index > 0 else ""
        following = text[index + 1].lower() if index + 1 < size else ""
        if low == "е":
            at_word_start = not _is_letter(preceding)
            latin = (
                "ye"
                if at_word_start or preceding in _CYR_VOWELS or preceding in _CYR_SIGNS
                else "e"
            )
        elif low == "ц":
            latin = "ts" if preceding in _CYR_VOWELS else "s"
        elif low == "ъ":
            latin = "" if following in _CYR_IOTATED else _MODIFIER_APOSTROPHE
        elif low == "с" and following == "ҳ":
            latin = "s" + _MODIFIER_APOSTROPHE
        elif low in _CYR_TO_LAT:
            latin = _CYR_TO_LAT[low]
        else:
            out.append(char)
            continue
        out.append(_upper_like(latin, text, index) if char != low else latin)
    return "".join(out)


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
    key = uz_latin_to_cyrillic(_clean(text)).translate(_CYR_FOLD)
    return " ".join(_NON_WORD.sub(" ", key).split())


# ---------------------------------------------------------------------------------------------
# Prices
# ---------------------------------------------------------------------------------------------


class PriceProblem(enum.StrEnum):
    """Why a price was not understood; values are stable codes for locale keys."""

    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    TOO_SMALL = "too_small"


_PRICE_MESSAGES: Final[Mapping[PriceProblem, str]] = MappingProxyType(
    {
        PriceProblem.EMPTY: "the price is empty",
        PriceProblem.NOT_A_NUMBER: "not a price we can read",
        PriceProblem.NEGATIVE: "the price is negative",
        PriceProblem.TOO_LARGE: "the price is too large",
        PriceProblem.TOO_SMALL: "the price is too small",
    }
)


class PriceError(ValueError):
    """A typed price that was not accepted; `reason` says why, `text` is what was typed."""

    def __init__(self, reason: PriceProblem, text: str) -> None:
        super().__init__(f"{_PRICE_MESSAGES[reason]}: {_shorten(text)!r}")
        self.reason = reason
        self.text = text


# Inclusive bounds in whole units. Nobody sells anything for less than 1,000 so'm (about
# 8 US cents), so a small bare number such as `500` or `12,5` was meant with `$` or `минг`/`млн`
# and is refused rather than guessed; 100 billion so'm (about 8 million USD) is far above any
# flat or car in the valley, and 10 million USD likewise.
PRICE_BOUNDS: Final[Mapping[Currency, tuple[int, int]]] = MappingProxyType(
    {
        Currency.UZS: (1_000, 100_000_000_000),
        Currency.USD: (1, 10_000_000),
    }
)

# One token of a price. The number alternative reads either digits grouped by threes with one
# consistent separator (`12 500 000`, `12.500.000`, `12,500,000`) or plain digits, then an
# optional decimal part of one or two digits (`12,5`, `499.99`). A lone `.` or `,` before exactly
# three digits is therefore a thousands separator (`1.500 $` is 1500), never a decimal point.
_PRICE_TOKEN: Final = re.compile(
    r"""
    (?P<num>
        (?P<int>[0-9]{1,3}(?P<sep>[ .,])[0-9]{3}(?:(?P=sep)[0-9]{3})*(?![0-9])|[0-9]+)
        (?:(?P<dec>[.,])(?P<frac>[0-9]{1,2})(?![0-9]))?
    )
    | (?P<word>[^\W\d_]+(?:'[^\W\d_]+)*)
    | (?P<usd>\$)
    | (?P<minus>[-\u2212\u2013])
    | (?P<space>\s+)
    | (?P<punct>[.,;:!?()\[\]{}"'«»„“”\u2014~≈*/|…])
    | (?P<other>.)
    """,
    re.VERBOSE,
)
# у.е. ("условные единицы", the Soviet-era euphemism for dollars) in all its spellings, Cyrillic
# or Latin look-alikes: у.е., уе, у. е., y.e., ye. Replaced by `$` before tokenising.
_USD_ABBREVIATION: Final = re.compile(r"(?<![^\W\d_])[уy]\s?\.?\s?[еe](?![^\W\d_])\.?")
# An Uzbek phone number typed without `+`: not a price even though it is digits only.
_BARE_PHONE: Final = re.compile(r"998[0-9]{9}")
_MAX_DIGITS: Final = 30  # longer digit runs are TOO_LARGE without building huge integers
# The longest price anyone types with its words (`Нархи: 12 500 000 сўм, келишилади, торг бор`
# is 43); longer text is not a price, and reading it token by token would cost ~2 µs a
# character (bench/parsers.py).
MAX_PRICE_TEXT: Final = 200


class _Word(enum.Enum):
    UZS = enum.auto()
    USD = enum.auto()
    FILLER = enum.auto()
    NEGOTIABLE = enum.auto()


_MULTIPLIER_WORDS: Final[Mapping[int, tuple[str, ...]]] = MappingProxyType(
    {
        1_000: ("минг", "ming", "тыс", "тысяч", "тысяча", "тысячи", "k"),
        1_000_000: ("млн", "mln", "миллион", "миллиона", "миллионов", "million", "millions", "kk"),
        1_000_000_000: (
            "млрд",
            "mlrd",
            "миллиард",
            "миллиарда",
            "миллиардов",
            "milliard",
            "billion",
        ),
    }
)
_VOCABULARY_WORDS: Final[Mapping[_Word, tuple[str, ...]]] = MappingProxyType(
    {
        _Word.UZS: ("сўм", "so'm", "сум", "сом", "сумов", "сума", "uzs"),
        _Word.USD: (
            "usd",
            "dollar",
            "dollor",
            "dollars",
            "доллар",
            "доллара",
            "долларов",
            "долл",
            "бакс",
            "бакса",
            "баксов",
        ),
        # Negotiable on their own ("келишилади"); next to a number the number wins.
        _Word.NEGOTIABLE: (
            "келишилади",
            "келишамиз",
            "келишув",
            "келишилган",
            "келишиб",
            "келишса",
            "договорная",
            "договорной",
            "договорно",
            "договоримся",
            "торг",
        ),
        # Words around a price that change nothing: labels and bargaining small talk.
        _Word.FILLER: (
            "нарх",
            "нархи",
            "нархда",
            "цена",
            "price",
            "асосида",
            "ҳолда",
            "бор",
            "есть",
            "уместен",
            "возможен",
            "оламиз",
            "бўлади",
            "фақат",
            "атиги",
            "всего",
            "только",
            "охирги",
            "последняя",
        ),
    }
)


def _build_vocabulary() -> tuple[Mapping[str, int], Mapping[str, _Word]]:
    # Keys are normalize_answer() keys, so `mln` and `млн`, `so'm`/`soʻm`/`сўм`/`сум`, or
    # `kelishiladi` and `келишилади` need only one spelling in the lists above.
    multipliers = {
        normalize_answer(word): factor
        for factor, words in _MULTIPLIER_WORDS.items()
        for word in words
    }
    vocabulary = {
        normalize_answer(word): kind for kind, words in _VOCABULARY_WORDS.items() for word in words
    }
    overlap = multipliers.keys() & vocabulary.keys()
    if overlap:  # pragma: no cover - a mistake in the lists above
        raise RuntimeError(f"price words listed twice: {sorted(overlap)}")
    return MappingProxyType(multipliers), MappingProxyType(vocabulary)


_MULTIPLIERS, _VOCABULARY = _build_vocabulary()


def parse_price(text: str) -> Price:
    """Read a price the way sellers in Uzbekistan write it; raise PriceError if it can't be read.

    Understood:
    - digits, grouped by threes with spaces (including non-breaking and thin), dots or commas:
      `12500000`, `12 500 000`, `12.500.000`, `12,500,000`; an optional one- or two-digit
      decimal part: `12,5 млн`, `499.99$`;
    - multipliers in Uzbek (both scripts), Russian and English: минг/ming/тыс/к/k (thousand),
      млн/mln/million/кк (million), млрд/mlrd/milliard (billion), also chained from the largest
      down: `12 млн 500 минг`;
    - currency: so'm by default, or explicit сўм/so'm/сум/UZS; dollars as `$` (before or after),
      usd, dollar/доллар/долл, у.е./уе/y.e.: `3 минг доллар` is 3,000 USD;
    - labels and bargaining words around the number are ignored (`Нархи: 12 млн, торг бор`);
    - with no number at all, the negotiable words (келишилади, kelishamiz, договорная (цена),
      торг, kelishuv asosida, …) give `Price.negotiable_price()`.

    Amounts are rounded half up to whole units (`499.99$` → 500 USD) and must lie within
    PRICE_BOUNDS. Anything else (unknown words or currencies, two numbers, ranges, phone
    numbers, text longer than MAX_PRICE_TEXT) is NOT_A_NUMBER rather than a guess.
    """
    if len(text) > MAX_PRICE_TEXT:
        digits_only = text.strip().isdecimal()
        raise PriceError(PriceProblem.TOO_LARGE if digits_only else PriceProblem.NOT_A_NUMBER, text)
    folded = _clean(text)
    if not folded:
        raise PriceError(PriceProblem.EMPTY, text)
    folded = _USD_ABBREVIATION.sub(" $ ", folded)

    def fail(problem: PriceProblem) -> PriceError:
        return PriceError(problem, text)

    # One entry per number typed, in hundredths of a unit, and the multiplier that followed it
    # (None if none): `12 млн 500 минг` is [1200, 50000] and [1_000_000, 1_000].
    amounts: list[int] = []
    factors: list[int | None] = []
    currency: Currency | None = None
    negative = False
    negotiable_word = False
    plain_digits = ""  # the only number's digits when it was typed without separators
    last_significant = ""  # kind of the previous non-space token

    def set_currency(found: Currency) -> None:
        nonlocal currency
        if currency is not None and currency is not found:
            raise fail(PriceProblem.NOT_A_NUMBER)
        currency = found

    for match in _PRICE_TOKEN.finditer(folded):
        kind = match.lastgroup
        if kind == "space":
            continue
        if kind == "num":
            digits = match["int"]
            separator, decimal, fraction = match["sep"], match["dec"], match["frac"]
            if separator is not None and decimal == separator:  # 1.500.5
                raise fail(PriceProblem.NOT_A_NUMBER)
            whole = (digits.replace(separator, "") if separator else digits).lstrip("0")
            if len(whole) > _MAX_DIGITS:
                raise fail(PriceProblem.TOO_LARGE)
            amounts.append(int(whole or "0") * 100 + int((fraction or "0").ljust(2, "0")))
            factors.append(None)
            plain_digits = digits if separator is None and decimal is None else ""
        elif kind == "word":
            word = normalize_answer(match["word"])
            if word in _MULTIPLIERS:
                # A multiplier belongs right after its number, once.
                if last_significant != "num":
                    raise fail(PriceProblem.NOT_A_NUMBER)
                factors[-1] = _MULTIPLIERS[word]
                last_significant = "multiplier"  # so `3 минг минг` fails
                continue
            meaning = _VOCABULARY.get(word)
            if meaning is None:
                raise fail(PriceProblem.NOT_A_NUMBER)
            if meaning is _Word.UZS:
                set_currency(Currency.UZS)
            elif meaning is _Word.USD:
                set_currency(Currency.USD)
            elif meaning is _Word.NEGOTIABLE:
                negotiable_word = True
        elif kind == "usd":
            set_currency(Currency.USD)
        elif kind == "minus":
            # A minus sign directly before the number (`-500`, `-$500`), or opening the text, is a
            # sign; elsewhere a dash is punctuation (`Narxi - 500$`) or a range (`10-12 млн`,
            # refused below because it has two numbers).
            rest = folded[match.end() :]
            next_char = rest.lstrip()[:1]
            opens_text = last_significant == ""
            adjacent = rest[:1] in ("$", *"0123456789")
            if not amounts and next_char in ("$", *"0123456789") and (opens_text or adjacent):
                negative = True
        elif kind == "other":
            # `+` (a phone number), `€`, `₽`, `%`, digits of other scripts, …
            raise fail(PriceProblem.NOT_A_NUMBER)
        # punctuation is ignored
        last_significant = kind or ""

    if not amounts:
        if negotiable_word and currency is None and not negative:
            return Price.negotiable_price()
        raise fail(PriceProblem.NOT_A_NUMBER)
    if factors == [None] and _BARE_PHONE.fullmatch(plain_digits):
        raise fail(PriceProblem.NOT_A_NUMBER)
    if len(amounts) > 1:
        # Only `12 млн 500 минг`-style sums: every number has a multiplier, largest first.
        given = [factor or 0 for factor in factors]
        if 0 in given or any(later >= earlier for earlier, later in itertools.pairwise(given)):
            raise fail(PriceProblem.NOT_A_NUMBER)
    if negative:
        raise fail(PriceProblem.NEGATIVE)

    total = sum(
        hundredths * (factor or 1) for hundredths, factor in zip(amounts, factors, strict=True)
    )
    amount = (total + 50) // 100  # round half up to whole units
    found = currency or Currency.UZS
    low, high = PRICE_BOUNDS[found]
    if amount < low:
        raise fail(PriceProblem.TOO_SMALL)
    if amount > high:
        raise fail(PriceProblem.TOO_LARGE)
    return Price(amount=amount, currency=found)


# U+202F NARROW NO-BREAK SPACE: the thin space of Russian and Uzbek typography, and it never
# lets a caption wrap in the middle of a number. parse_price reads it back.
THOUSANDS_SEPARATOR: Final = "\u202f"


def format_amount(amount: int, *, separator: str = THOUSANDS_SEPARATOR) -> str:
    """`12500000` → `12 500 000` (groups of three, thin no-break space by default).

    Only the number: currency words and symbols belong to the locale files.
    """
    grouped = f"{abs(amount):,}".replace(",", separator)
    return f"-{grouped}" if amount < 0 else grouped


# ---------------------------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------------------------

# Two-digit codes that follow +998, checked against the numbering plan as published in Google's
# libphonenumber metadata for UZ (national number `(?:20|33|[5-79]\d|88)\d{7}`, refined per
# type into the lists below) and public operator listings:
# - mobile: 20 (OQ), 33 (Humans), 50 (Ucell), 77 (Uzmobile), 88 (Mobiuz), 90 91 (Beeline),
#   93 94 (Ucell), 95 99 (Uzmobile), 97 (Mobiuz, formerly UMS), 98 (Perfectum);
# - 55: Uzbektelecom's non-geographic fixed/VoIP numbers;
# - geographic: 61 Karakalpakstan, 62 Khorezm, 65 Bukhara, 66 Samarkand, 67 Syrdarya,
#   69 Namangan, 70 Tashkent region, 71 Tashkent city, 72 Jizzakh, 73 Fergana, 74 Andijan,
#   75 Kashkadarya, 76 Surkhandarya, 78 Tashkent city (newer ranges), 79 Navoiy.
# Not allocated, hence refused as typos: 92 and 96, and every other 0x–8x. Extend the set when an
# operator gets a new code.
UZ_PHONE_CODES: Final = frozenset(
    {
        *("20", "33", "50", "77", "88", "90", "91", "93", "94", "95", "97", "98", "99"),
        "55",
        *("61", "62", "65", "66", "67", "69", "70", "71", "72", "73", "74", "75", "76", "78"),
        "79",
    }
)


class PhoneProblem(enum.StrEnum):
    """Why a phone number was not accepted; values are stable codes for locale keys."""

    EMPTY = "empty"
    NOT_A_PHONE = "not_a_phone"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    FOREIGN = "foreign"
    UNKNOWN_CODE = "unknown_code"
    SEVERAL = "several"


_PHONE_MESSAGES: Final[Mapping[PhoneProblem, str]] = MappingProxyType(
    {
        PhoneProblem.EMPTY: "the phone number is empty",
        PhoneProblem.NOT_A_PHONE: "no phone number found",
        PhoneProblem.TOO_SHORT: "too few digits for an Uzbek phone number",
        PhoneProblem.TOO_LONG: "too many digits for an Uzbek phone number",
        PhoneProblem.FOREIGN: "not an Uzbek (+998) phone number",
        PhoneProblem.UNKNOWN_CODE: "no Uzbek operator or area uses this code",
        PhoneProblem.SEVERAL: "several phone numbers; send one",
    }
)


class PhoneError(ValueError):
    """A typed phone number that was not accepted; `reason` says why."""

    def __init__(self, reason: PhoneProblem, text: str) -> None:
        super().__init__(f"{_PHONE_MESSAGES[reason]}: {_shorten(text)!r}")
        self.reason = reason
        self.text = text


# A run of digits with the separators people put inside phone numbers: spaces (any kind, after
# NFKC), dots, dashes and parentheses. It starts at a digit, so a search tries each position
# once: the `+` and `(` that may open a number are looked for behind the match (see
# _phone_spans). A pattern that opened with `\+?[\s(]*` rescanned a run of `(` from every one
# of its positions: quadratic, 80 ms for 4,096 of them.
_PHONE_SPAN: Final = re.compile(r"[0-9](?:[0-9\s().\-\u2010-\u2015\u2212]*[0-9])?")
_PHONE_OPENERS: Final = frozenset(" \t\n(")
_NOT_DIGIT: Final = re.compile(r"[^0-9]")
_E164_UZ: Final = re.compile(r"\+998[0-9]{9}")
# Fewer digits than this in a run is not an attempt at a phone number (a house number, a price).
_MIN_PHONE_DIGITS: Final = 7


class _PhoneProblem(Exception):
    """Internal: carries a PhoneProblem out of _national_number before the text is attached."""

    def __init__(self, problem: PhoneProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def _national_number(digits: str, has_plus: bool) -> str:
    """The 9-digit national number, or the PhoneProblem that prevents it."""
    international = has_plus
    if not has_plus:
        # International access codes: 00 today, 8~10 in the Soviet-era plan that Uzbekistan used
        # before its closed 9-digit plan (libphonenumber's UZ metadata changed from national
        # prefix 8 / international 8~10 to no prefix / 00), and that older people still dial.
        if digits.startswith("00"):
            digits, international = digits[2:], True
        elif digits.startswith("810998"):
            digits, international = digits[3:], True
    if international:
        if not digits.startswith("998"):
            raise _PhoneProblem(PhoneProblem.FOREIGN)
        national = digits[3:]
    elif len(digits) == 9:
        national = digits
    elif len(digits) == 10 and digits[0] in "80":
        # `8 90 123 45 67`: under the old plan the domestic trunk prefix was 8 (8 + code +
        # number), and people still type it. A leading 0 is not an Uzbek prefix at all, but it
        # is the trunk prefix almost everywhere else and before 9 digits it cannot mean anything
        # else, so it is accepted the same way instead of annoying the seller.
        national = digits[1:]
    elif digits.startswith("998") and len(digits) > 9:
        national = digits[3:]  # 998 typed without +, with a wrong number of digits after it
    elif len(digits) == 11 and digits[0] in "78":
        # +7 / 8 9XX …: the Russian and Kazakh formats, the foreign numbers most often typed here.
        raise _PhoneProblem(PhoneProblem.FOREIGN)
    else:
        national = digits
    if len(national) < 9:
        raise _PhoneProblem(PhoneProblem.TOO_SHORT)
    if len(national) > 9:
        raise _PhoneProblem(PhoneProblem.TOO_LONG)
    if national[:2] not in UZ_PHONE_CODES:
        raise _PhoneProblem(PhoneProblem.UNKNOWN_CODE)
    return national


def _phone_spans(cleaned: str) -> Iterator[tuple[str, bool]]:
    """Each run of digits and separators, and whether a `+` opens it (`+998 …`, `+ (998) …`).
    The look behind stops at the previous run's end, so every character is read at most twice
    and the cost stays linear in the length of the text."""
    previous_end = 0
    for match in _PHONE_SPAN.finditer(cleaned):
        start = match.start()
        while start > previous_end and cleaned[start - 1] in _PHONE_OPENERS:
            start -= 1
        yield match.group(), start > previous_end and cleaned[start - 1] == "+"
        previous_end = match.end()


def parse_phone(text: str) -> str:
    """The Uzbek phone number in `text`, normalised to `+998XXXXXXXXX`; PhoneError otherwise.

    Accepts `+998 90 123 45 67`, `+998901234567`, `998901234567`, `90 123-45-67`, `901234567`,
    `(90) 123-45-67`, `+998 (90) 123-45-67`, `90.123.45.67`, the old trunk prefix
    `8 90 123 45 67`, a leading `0 90 …`, the access codes `00 998 …` and `8 10 998 …`, with
    any spaces, dots, dashes or parentheses, and words around it (`tel: 90 123 45 67`).
    Refuses foreign numbers, wrong lengths, codes no Uzbek operator or area uses, and text
    with two different numbers (the ad has one phone field; guessing which one is meant would
    publish the wrong one).
    """
    cleaned = _clean(text)
    if not cleaned:
        raise PhoneError(PhoneProblem.EMPTY, text)
    found: list[str] = []
    first_problem: PhoneProblem | None = None
    for span, has_plus in _phone_spans(cleaned):
        digits = _NOT_DIGIT.sub("", span)
        if len(digits) < _MIN_PHONE_DIGITS:
            continue
        try:
            national = _national_number(digits, has_plus=has_plus)
        except _PhoneProblem as problem:
            first_problem = first_problem or problem.problem
            continue
        if national not in found:
            found.append(national)
    if len(found) == 1:
        return "+998" + found[0]
    if found:
        raise PhoneError(PhoneProblem.SEVERAL, text)
    if first_problem is not None:
        raise PhoneError(first_problem, text)
    has_digit = any(char.isdigit() for char in cleaned)
    raise PhoneError(PhoneProblem.TOO_SHORT if has_digit else PhoneProblem.NOT_A_PHONE, text)


def format_phone(e164: str) -> str:
    """`+998901234567` → `+998 90 123 45 67`. Takes only what parse_phone returns."""
    if not _E164_UZ.fullmatch(e164):
        raise PhoneError(PhoneProblem.NOT_A_PHONE, e164)
    national = e164[4:]
    return f"+998 {national[:2]} {national[2:5]} {national[5:7]} {national[7:]}"


# ---------------------------------------------------------------------------------------------
# Price ranges (a buyer's filter)
# ---------------------------------------------------------------------------------------------


class PriceRangeProblem(enum.StrEnum):
    """Why a price filter was not accepted; values are stable codes for locale keys."""

    EMPTY = "empty"
    NOT_A_PRICE = "not_a_price"  # a side is not a price (`price_problem` says why)
    MIXED_CURRENCIES = "mixed_currencies"  # `1 млн - 500$`: no exchange rate to compare with
    UPSIDE_DOWN = "upside_down"  # `5-1 млн`: `swapped` holds what was probably meant


_RANGE_MESSAGES: Final[Mapping[PriceRangeProblem, str]] = MappingProxyType(
    {
        PriceRangeProblem.EMPTY: "the price range is empty",
        PriceRangeProblem.NOT_A_PRICE: "not a price range we can read",
        PriceRangeProblem.MIXED_CURRENCIES: "the two ends of the range are in different currencies",
        PriceRangeProblem.UPSIDE_DOWN: "the range's lower end is above its upper end",
    }
)


class PriceRangeError(ValueError):
    """A price filter that was not accepted. `reason` says why; for NOT_A_PRICE,
    `price_problem` is what parse_price said about the side that failed; for UPSIDE_DOWN,
    `swapped` is the range with its ends exchanged (to offer it, or to apply it)."""

    def __init__(
        self,
        reason: PriceRangeProblem,
        text: str,
        *,
        price_problem: PriceProblem | None = None,
        swapped: PriceRange | None = None,
    ) -> None:
        super().__init__(f"{_RANGE_MESSAGES[reason]}: {_shorten(text)!r}")
        self.reason = reason
        self.text = text
        self.price_problem = price_problem
        self.swapped = swapped


_DASH: Final = r"[-\u2010-\u2015\u2212]"
_FROM_WORD: Final = r"(?:от|ot|from)"
_TO_WORD: Final = r"(?:до|do|to)"
_FROM_SUFFIX: Final = r"(?:дан|dan|тан|tan)(?:\s+(?:бошлаб|boshlab|юқори|yuqori|ортиқ|ortiq))?"
_TO_SUFFIX: Final = r"(?:гача|gacha|кача|qacha)"
# Each pattern is tried in order on the cleaned text; `lo` and `hi` are the two ends' texts.
# Uzbek case suffixes may be glued to the unit (`1 млндан`, `2 mlngacha`, `500$гача`).
_RANGE_PATTERNS: Final = tuple(
    re.compile(pattern)
    for pattern in (
        rf"{_FROM_WORD}\s+(?P<lo>.*[0-9].*?)\s+{_TO_WORD}\s+(?P<hi>.*[0-9].*)",
        rf"(?P<lo>.*[0-9].*?)\s*(?:дан|dan|тан|tan)\s+(?P<hi>.*[0-9].*?)\s*{_TO_SUFFIX}",
        rf"(?P<lo>[^-]*[0-9][^-]*?)\s*{_DASH}\s*(?P<hi>.*[0-9].*)",
        rf"{_TO_WORD}\s+(?P<hi>.*[0-9].*)",
        rf"(?P<hi>.*[0-9].*?)\s*{_TO_SUFFIX}",
        rf"{_FROM_WORD}\s+(?P<lo>.*[0-9].*)",
        rf"(?P<lo>.*[0-9].*?)\s*{_FROM_SUFFIX}",
        r"(?P<hi>.*[0-9].*)",  # a bare price is a budget: up to that
    )
)
_BARE_NUMBER: Final = re.compile(r"[0-9][0-9 .,]*")
# The longest filter anyone types (`1 000 000 so'mdan 3 000 000 so'mgacha` is 36); longer text
# is not a price range, and the patterns above need not run over a pasted essay.
_MAX_RANGE_LENGTH: Final = 80
_NUMBERS: Final = re.compile(r"[0-9][0-9 .,]*[0-9]|[0-9]")


def _units_of(side: str) -> str:
    """What follows or precedes the number on one end (`3 млн сўм` → ` млн сўм`)."""
    return _NUMBERS.sub(" ", side)


def parse_price_range(text: str) -> PriceRange:
    """Read a price filter the way people here type it; raise PriceRangeError otherwise.

    Understood, with every price spelling parse_price reads on each end:
    - both ends: `1-3 млн`, `1–3 млн`, `1 млн - 3 млн`, `500 минг - 1 млн`, `100-200$`,
      `от 1 до 3 млн`, `1 млн дан 3 млн гача`; a bare number on one end takes the other end's
      unit and currency (`1-3 млн` is 1 to 3 million so'm, `$100-200` is 100 to 200 USD);
    - an upper end only: `до 2 млн`, `500$ гача`, `2 mln gacha`, `2 млнгача`, or a bare price
      (`2 млн`: a buyer who types one number states a budget);
    - a lower end only: `от 1 млн`, `300 000 дан`, `1 mln dan`, `1 млндан`, `1 mln dan yuqori`.

    An upside-down range (`5-1 млн`) is UPSIDE_DOWN, with the exchanged range in `swapped`,
    rather than silently reordered: the buyer may have mistyped either end.
    """
    if len(text) > MAX_PRICE_TEXT:  # far longer than a range can be, before any work
        raise PriceRangeError(PriceRangeProblem.NOT_A_PRICE, text)
    cleaned = _clean(text)
    if not cleaned:
        raise PriceRangeError(PriceRangeProblem.EMPTY, text)
    if len(cleaned) > _MAX_RANGE_LENGTH:
        raise PriceRangeError(PriceRangeProblem.NOT_A_PRICE, text)
    for pattern in _RANGE_PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match is not None:
            break
    else:
        raise PriceRangeError(PriceRangeProblem.NOT_A_PRICE, text)
    found = match.groupdict()
    low_text, high_text = found.get("lo"), found.get("hi")
    # A bare number on one end takes the other end's unit: `1-3 млн`, `$100-200`.
    if low_text is not None and high_text is not None:
        if _BARE_NUMBER.fullmatch(low_text) and not _BARE_NUMBER.fullmatch(high_text):
            low_text = f"{low_text} {_units_of(high_text)}"
        elif _BARE_NUMBER.fullmatch(high_text) and not _BARE_NUMBER.fullmatch(low_text):
            high_text = f"{high_text} {_units_of(low_text)}"
    low = _range_end(low_text, text)
    high = _range_end(high_text, text)
    if low is not None and high is not None:
        if low[1] is not high[1]:
            raise PriceRangeError(PriceRangeProblem.MIXED_CURRENCIES, text)
        if low[0] > high[0]:
            raise PriceRangeError(
                PriceRangeProblem.UPSIDE_DOWN, text, swapped=PriceRange(high[0], low[0], low[1])
            )
    return PriceRange(
        minimum=low[0] if low else None,
        maximum=high[0] if high else None,
        currency=(low or high or (0, Currency.UZS))[1],
    )


def _range_end(side: str | None, text: str) -> tuple[int, Currency] | None:
    """One end's amount and currency; None when the range has no such end."""
    if side is None:
        return None
    try:
        price = parse_price(side)
    except PriceError as error:
        raise PriceRangeError(
            PriceRangeProblem.NOT_A_PRICE, text, price_problem=error.reason
        ) from None
    if price.amount is None:  # a negotiable word is no bound
        raise PriceRangeError(PriceRangeProblem.NOT_A_PRICE, text)
    return price.amount, price.currency

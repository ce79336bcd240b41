"""Prices the way sellers in Uzbekistan write them, and amounts written back.

`12 500 000`, `12.5 млн`, `12,5 mln`, `500$`, `500 у.е.`, `3 минг доллар`, or
`kelishiladi` / `келишилади` / `договорная`. Pure: no I/O; every pattern is compiled once at
import time. Errors carry a machine-readable `reason` so the bot can answer in the user's
language (texts live in the locale files, not here).
"""

from __future__ import annotations

import enum
import itertools
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from vodiy_bozor.models import Currency, Price
from vodiy_bozor.text.errors import ReadError, shorten
from vodiy_bozor.text.script import clean, normalize_answer

__all__ = [
    "MAX_PRICE_TEXT",
    "PRICE_BOUNDS",
    "THOUSANDS_SEPARATOR",
    "PriceError",
    "PriceProblem",
    "bare_readings",
    "format_amount",
    "parse_price",
]


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


class PriceError(ReadError):
    """A typed price that was not accepted; `reason` says why, `text` is what was typed."""

    def __init__(self, reason: PriceProblem, text: str) -> None:
        super().__init__(f"{_PRICE_MESSAGES[reason]}: {shorten(text)!r}")
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
    folded = clean(text)
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


# A number and nothing else: digits (no grouping: a grouped number is large enough) and a
# decimal part of one or two digits, as `_PRICE_TOKEN` reads it.
_BARE_NUMBER: Final = re.compile(r"(?P<int>[0-9]{1,12})(?:[.,](?P<frac>[0-9]{1,2}))?")


def bare_readings(text: str, *, thousands_of_dollars: bool = False) -> tuple[Price, ...]:
    """What a bare number too small for a price probably meant, most likely first; () when
    `text` is not a bare number.

    Sellers say prices the short way: `12,5` is 12.5 million so'm (`12,5 млн`), and for a car or
    a home (`thousands_of_dollars`) also 12,500 USD (`12,5 минг $`), the way the ad reader takes
    a decimal after a price word; an integer such as `350` is 350 thousand so'm or 350 USD.
    Each reading is read back through parse_price, so its rounding and bounds are the same as
    if the seller had typed it whole; a reading out of bounds is left out.
    """
    if len(text) > MAX_PRICE_TEXT:
        return ()
    number = _BARE_NUMBER.fullmatch(clean(text))
    if number is None:
        return ()
    meant: tuple[str, ...]
    if number["frac"] is None:
        meant = ("минг", "$")
    else:
        meant = ("минг $", "млн") if thousands_of_dollars else ("млн",)
    readings: list[Price] = []
    for words in meant:
        try:
            readings.append(parse_price(f"{number.group()} {words}"))
        except PriceError:
            continue
    return tuple(dict.fromkeys(readings))


# U+202F NARROW NO-BREAK SPACE: the thin space of Russian and Uzbek typography, and it never
# lets a caption wrap in the middle of a number. parse_price reads it back.
THOUSANDS_SEPARATOR: Final = "\u202f"


def format_amount(amount: int, *, separator: str = THOUSANDS_SEPARATOR) -> str:
    """`12500000` → `12 500 000` (groups of three, thin no-break space by default).

    Only the number: currency words and symbols belong to the locale files.
    """
    grouped = f"{abs(amount):,}".replace(",", separator)
    return f"-{grouped}" if amount < 0 else grouped

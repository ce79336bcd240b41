"""Uzbek phone numbers: `+998 90 123 45 67`, `90 123-45-67`, `901234567`, and the old forms.

Pure: no I/O; linear in the length of the text. Errors carry a machine-readable `reason`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Final

from vodiy_bozor.text.errors import ReadError, shorten
from vodiy_bozor.text.script import clean

__all__ = ["UZ_PHONE_CODES", "PhoneError", "PhoneProblem", "format_phone", "parse_phone"]


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


class PhoneError(ReadError):
    """A typed phone number that was not accepted; `reason` says why."""

    def __init__(self, reason: PhoneProblem, text: str) -> None:
        super().__init__(f"{_PHONE_MESSAGES[reason]}: {shorten(text)!r}")
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
    cleaned = clean(text)
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

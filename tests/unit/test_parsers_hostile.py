"""Random and hostile text fed to every parser of user input (Hypothesis): each returns, or
raises only its own documented error. Texts go up to 4,096 characters (a Telegram message);
the alphabets favour what breaks parsers: digits and their separators, `+ ( ) - . ,`,
apostrophes of every kind, Cyrillic and Latin letters, invisible and odd whitespace, digits
of other scripts, emoji. https://hypothesis.readthedocs.io/en/latest/

Each test runs CASES examples; the number of cases in all is CASES times the tests here
(the callback test runs its CASES for every CallbackData class).
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from aiogram.filters.callback_data import CallbackData
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vodiy_bozor.assistant.reader import AdReading, read_ad
from vodiy_bozor.bot import callbacks
from vodiy_bozor.bot.handlers.ad_page import payload_ad_id
from vodiy_bozor.bot.handlers.inline import _offset as inline_offset
from vodiy_bozor.text.duration import parse_duration
from vodiy_bozor.text.fold import fold, query_terms
from vodiy_bozor.text.phone import PhoneError, parse_phone
from vodiy_bozor.text.price import PriceError, parse_price
from vodiy_bozor.text.price_range import PriceRangeError, parse_price_range
from vodiy_bozor.text.script import normalize_answer, uz_latin_to_cyrillic

CASES = 300
HOSTILE = (
    "0123456789" * 3
    + "+()-.,:;/ $%_*'`ʻʼ‘’´\\\"\n\t\u00a0\u202f\u200b\u2060\ufeff\u00ad"
    + "абвгдеёжзийклмнопрстуфхцчшщъыьэюяўқғҳ"
    + "abcdefghijklmnopqrstuvwxyz"
    + "٣٤۵߁०²½①𝟘＄€₽—–−"
    + "😀🚗💰"
)
_WORD_LIST = (
    "млн mln минг ming k к млрд $ у.е. y.e. сўм so'm сум доллар usd dollar от до дан гача "
    "kelishiladi договорная торг +998 998 8 10 00 90 123 45 67 ( ) - tel: d h m s days"
)
WORDS = _WORD_LIST.split(" ")


def hostile_text(max_size: int = 4096) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=max_size),
        st.text(alphabet=HOSTILE, max_size=max_size),
        st.lists(st.sampled_from(WORDS + list(HOSTILE)), max_size=max_size // 4).map(" ".join),
        # One character repeated: the shape of the quadratic phone input.
        st.tuples(st.sampled_from(HOSTILE), st.integers(0, max_size)).map(lambda p: p[0] * p[1]),
    )


RUN = settings(
    max_examples=CASES,
    deadline=None,  # speed is measured by bench/parsers.py, not here
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _raises_only(call: Any, text: str, *errors: type[BaseException]) -> None:
    with contextlib.suppress(*errors):
        call(text)


@RUN
@given(hostile_text())
def test_price(text: str) -> None:
    _raises_only(parse_price, text, PriceError)


@RUN
@given(hostile_text())
def test_price_range(text: str) -> None:
    _raises_only(parse_price_range, text, PriceRangeError)


@RUN
@given(hostile_text())
def test_phone(text: str) -> None:
    try:
        phone = parse_phone(text)
    except PhoneError:
        return
    assert phone.startswith("+998")
    assert len(phone) == 13


@RUN
@given(hostile_text(200))
def test_duration(text: str) -> None:
    try:
        seconds = parse_duration(text)
    except ValueError:  # documented: a message for a human
        return
    assert seconds > 0


@RUN
@given(hostile_text())
def test_search_words_and_typed_labels(text: str) -> None:
    terms = query_terms(text)
    assert all(term.isascii() and term.isalnum() for term in terms)
    normalize_answer(text)
    uz_latin_to_cyrillic(text)
    assert fold(text).isascii()


@RUN
@given(hostile_text(80))
def test_deep_link_payloads(text: str) -> None:
    ad_id = payload_ad_id(text)
    assert ad_id is None or 0 <= ad_id < 2**63
    assert payload_ad_id("ad_" + text) is None or text.isascii()


@RUN
@given(hostile_text(80))
def test_inline_offsets(text: str) -> None:
    assert 0 <= inline_offset(text) <= 1000


@RUN
@given(hostile_text())
def test_the_quick_post_reader(text: str) -> None:
    assert isinstance(read_ad(text), AdReading)


CALLBACK_CLASSES = sorted(
    {cls for cls in CallbackData.__subclasses__() if cls.__module__ == callbacks.__name__},
    key=lambda cls: cls.__name__,
)


def _segments() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=20),
        st.sampled_from(["", "0", "-1", "1e3", "٣", str(2**63), "9" * 40, "None", "ok", "p"]),
        st.integers().map(str),
    )


@pytest.mark.parametrize("cls", CALLBACK_CLASSES, ids=lambda cls: cls.__name__)
def test_callback_data(cls: type[CallbackData]) -> None:
    prefix = cls.__prefix__

    @RUN
    @given(st.lists(_segments(), max_size=6), hostile_text(64))
    def unpack(parts: list[str], noise: str) -> None:
        for data in (":".join([prefix, *parts]), noise, f"{prefix}:{noise}"):
            try:
                unpacked = cls.unpack(data)
            except (TypeError, ValueError):  # what aiogram's filter reads as "not this button"
                continue
            for name, value in unpacked.model_dump().items():
                if isinstance(value, int):  # every number a handler gets is bounded
                    assert 0 <= value < 2**63, (name, value)

    unpack()


def test_every_callback_class_is_covered() -> None:
    assert len(CALLBACK_CLASSES) >= 8

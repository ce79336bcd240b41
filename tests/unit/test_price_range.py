"""Price filters typed the way sellers type prices: both ends, one end, and the wrong way round."""

from __future__ import annotations

import pytest

from vodiy_bozor.models import Currency, Price, PriceRange
from vodiy_bozor.text.price import PriceProblem
from vodiy_bozor.text.price_range import PriceRangeError, PriceRangeProblem, parse_price_range

UZS, USD = Currency.UZS, Currency.USD
M = 1_000_000

RANGES_THAT_PARSE: list[tuple[str, PriceRange]] = [
    # both ends, the unit typed once
    ("1-3 млн", PriceRange(1 * M, 3 * M, UZS)),
    ("1–3 млн", PriceRange(1 * M, 3 * M, UZS)),  # en dash, as phones substitute
    ("1 — 3 млн", PriceRange(1 * M, 3 * M, UZS)),
    ("1−3 mln", PriceRange(1 * M, 3 * M, UZS)),  # minus sign
    ("1 - 3 mln so'm", PriceRange(1 * M, 3 * M, UZS)),
    ("1,5-3 млн", PriceRange(1_500_000, 3 * M, UZS)),
    ("10-12 млн сўм", PriceRange(10 * M, 12 * M, UZS)),
    ("1 млн - 3 млн", PriceRange(1 * M, 3 * M, UZS)),
    ("500 минг - 1 млн", PriceRange(500_000, 1 * M, UZS)),
    ("10 000 000 - 20 000 000", PriceRange(10 * M, 20 * M, UZS)),
    ("100-200$", PriceRange(100, 200, USD)),
    ("$100-200", PriceRange(100, 200, USD)),
    ("100-200 у.е.", PriceRange(100, 200, USD)),
    ("3-5 минг доллар", PriceRange(3_000, 5_000, USD)),
    ("от 1 до 3 млн", PriceRange(1 * M, 3 * M, UZS)),
    ("От 1 млн до 3 млн", PriceRange(1 * M, 3 * M, UZS)),
    ("1 млн дан 3 млн гача", PriceRange(1 * M, 3 * M, UZS)),
    ("1 mln dan 3 mln gacha", PriceRange(1 * M, 3 * M, UZS)),
    ("2-2 млн", PriceRange(2 * M, 2 * M, UZS)),  # one exact price is fine
    # an upper end only
    ("до 2 млн", PriceRange(None, 2 * M, UZS)),
    ("do 2 mln", PriceRange(None, 2 * M, UZS)),
    ("500$ гача", PriceRange(None, 500, USD)),
    ("500$гача", PriceRange(None, 500, USD)),
    ("500 $ gacha", PriceRange(None, 500, USD)),
    ("2 mln gacha", PriceRange(None, 2 * M, UZS)),
    ("2 млнгача", PriceRange(None, 2 * M, UZS)),
    ("2 млн", PriceRange(None, 2 * M, UZS)),  # a bare price is a budget
    ("300$", PriceRange(None, 300, USD)),
    ("12 500 000", PriceRange(None, 12_500_000, UZS)),
    # a lower end only
    ("300 000 дан", PriceRange(300_000, None, UZS)),
    ("300\u00a0000 дан", PriceRange(300_000, None, UZS)),
    ("от 1 млн", PriceRange(1 * M, None, UZS)),
    ("ot 1 mln", PriceRange(1 * M, None, UZS)),
    ("1 mln dan", PriceRange(1 * M, None, UZS)),
    ("1 млндан", PriceRange(1 * M, None, UZS)),
    ("1 mln so'mdan", PriceRange(1 * M, None, UZS)),
    ("1 mln dan yuqori", PriceRange(1 * M, None, UZS)),
    ("100$ дан бошлаб", PriceRange(100, None, USD)),
    ("12 млн 500 минг дан", PriceRange(12_500_000, None, UZS)),
]


@pytest.mark.parametrize(("text", "expected"), RANGES_THAT_PARSE)
def test_parse_price_range_reads_real_spellings(text: str, expected: PriceRange) -> None:
    assert parse_price_range(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", PriceRangeProblem.EMPTY),
        ("   ", PriceRangeProblem.EMPTY),
        ("arzon", PriceRangeProblem.NOT_A_PRICE),
        ("келишилади", PriceRangeProblem.NOT_A_PRICE),
        ("-500$", PriceRangeProblem.NOT_A_PRICE),
        ("до ", PriceRangeProblem.NOT_A_PRICE),
        ("1 - 3 €", PriceRangeProblem.NOT_A_PRICE),
        ("1 млн - 500$", PriceRangeProblem.MIXED_CURRENCIES),
        ("1" * 5000, PriceRangeProblem.NOT_A_PRICE),
        ("1-3 " + "млн " * 2000, PriceRangeProblem.NOT_A_PRICE),
        ("% _ \\ ' ( ) *", PriceRangeProblem.NOT_A_PRICE),
        ("😀", PriceRangeProblem.NOT_A_PRICE),
    ],
)
def test_parse_price_range_rejects(text: str, problem: PriceRangeProblem) -> None:
    with pytest.raises(PriceRangeError) as caught:
        parse_price_range(text)
    assert caught.value.reason is problem


def test_a_side_that_is_not_a_price_says_why() -> None:
    with pytest.raises(PriceRangeError) as caught:
        parse_price_range("до 5")  # 5 so'm: too small, so a unit was forgotten
    assert caught.value.reason is PriceRangeProblem.NOT_A_PRICE
    assert caught.value.price_problem is PriceProblem.TOO_SMALL


@pytest.mark.parametrize(
    ("text", "swapped"),
    [
        ("5-1 млн", PriceRange(1 * M, 5 * M, UZS)),
        ("от 3 до 1 млн", PriceRange(1 * M, 3 * M, UZS)),
        ("200-100$", PriceRange(100, 200, USD)),
        ("5 mln dan 1 mln gacha", PriceRange(1 * M, 5 * M, UZS)),
    ],
)
def test_an_upside_down_range_is_its_own_error_with_the_swap_offered(
    text: str, swapped: PriceRange
) -> None:
    with pytest.raises(PriceRangeError) as caught:
        parse_price_range(text)
    assert caught.value.reason is PriceRangeProblem.UPSIDE_DOWN
    assert caught.value.swapped == swapped


def test_range_problem_codes_are_stable() -> None:
    # Locale keys are built from these values.
    assert [p.value for p in PriceRangeProblem] == [
        "empty",
        "not_a_price",
        "mixed_currencies",
        "upside_down",
    ]


@pytest.mark.parametrize(
    ("price", "inside"),
    [
        (Price(1 * M, UZS), True),
        (Price(3 * M, UZS), True),  # inclusive
        (Price(3 * M + 1, UZS), False),
        (Price(999_999, UZS), False),
        (Price(2, USD), False),  # another currency: no exchange rate is guessed
        (Price(None), False),  # negotiable
    ],
)
def test_price_range_contains(price: Price, inside: bool) -> None:
    assert parse_price_range("1-3 млн").contains(price) is inside


def test_open_ends_contain_everything_beyond() -> None:
    assert parse_price_range("от 1 млн").contains(Price(10**11, UZS))
    assert parse_price_range("до 2 млн").contains(Price(1_000, UZS))

"""Price sanity against the category's median, and the likely intended amount."""

from __future__ import annotations

from vodiy_bozor.assistant.prices import USD_RATE_UZS, check_price, in_uzs
from vodiy_bozor.assistant.types import PriceStats
from vodiy_bozor.models import Currency, Price
from vodiy_bozor.text.price import parse_price

FRIDGES = PriceStats(count=40, median_uzs=4_500_000)
CARS = PriceStats(count=40, median_uzs=11_000 * USD_RATE_UZS)


def test_a_plausible_price_passes() -> None:
    assert check_price(parse_price("4,2 млн"), FRIDGES) is None
    assert check_price(parse_price("600 000"), FRIDGES) is None  # 7.5x below: cheap, not absurd


def test_a_forgotten_thousand_is_caught_and_suggested() -> None:
    check = check_price(parse_price("4 500"), FRIDGES)
    assert check is not None
    assert not check.too_high
    assert check.suggestion == Price(4_500_000, Currency.UZS)


def test_an_extra_million_is_caught() -> None:
    check = check_price(parse_price("4 500 000 000"), FRIDGES)
    assert check is not None
    assert check.too_high
    assert check.suggestion == Price(4_500_000, Currency.UZS)


def test_dollars_typed_as_soum_are_suggested_as_dollars() -> None:
    check = check_price(parse_price("11 500"), CARS)
    assert check is not None
    assert check.suggestion == Price(11_500, Currency.USD)


def test_soum_typed_with_a_dollar_sign() -> None:
    check = check_price(parse_price("4 500 000$"), FRIDGES)
    assert check is not None
    assert check.too_high
    assert check.suggestion == Price(4_500_000, Currency.UZS)


def test_no_verdict_on_too_few_prices_or_negotiable() -> None:
    assert check_price(parse_price("4 500"), PriceStats(count=19, median_uzs=4_500_000)) is None
    assert check_price(parse_price("4 500"), PriceStats(count=0, median_uzs=None)) is None
    assert check_price(Price.negotiable_price(), FRIDGES) is None


def test_no_suggestion_when_no_reading_lands_near() -> None:
    check = check_price(Price(7_000, Currency.UZS), PriceStats(count=30, median_uzs=70_000_000_000))
    assert check is not None
    assert check.suggestion is None


def test_dollars_are_compared_in_soum() -> None:
    assert in_uzs(Price(2, Currency.USD)) == 2 * USD_RATE_UZS
    assert in_uzs(Price(5_000, Currency.UZS)) == 5_000
    assert in_uzs(Price.negotiable_price()) is None

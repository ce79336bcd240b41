"""Every reader of typed text refuses with one error base, so a caller can catch them alike."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from vodiy_bozor.text.duration import DurationError, parse_duration
from vodiy_bozor.text.errors import ReadError
from vodiy_bozor.text.phone import PhoneError, parse_phone
from vodiy_bozor.text.price import PriceError, parse_price
from vodiy_bozor.text.price_range import PriceRangeError, parse_price_range


@pytest.mark.parametrize(
    ("read", "error"),
    [
        (parse_price, PriceError),
        (parse_price_range, PriceRangeError),
        (parse_phone, PhoneError),
        (parse_duration, DurationError),
    ],
)
def test_each_reader_refuses_with_a_read_error(
    read: Callable[[str], object], error: type[ReadError]
) -> None:
    with pytest.raises(error) as raised:
        read("🚗 not at all")
    assert isinstance(raised.value, ReadError)
    assert isinstance(raised.value, ValueError)  # what callers caught before the base existed

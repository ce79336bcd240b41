"""Tables of what people actually type, and what the bot must make of it."""

from __future__ import annotations

import random

import pytest

from vodiy_bozor.models import Currency, Price
from vodiy_bozor.text.duration import MAX_DURATION_SECONDS, parse_duration
from vodiy_bozor.text.fold import fold
from vodiy_bozor.text.phone import (
    UZ_PHONE_CODES,
    PhoneError,
    PhoneProblem,
    format_phone,
    parse_phone,
)
from vodiy_bozor.text.price import (
    MAX_PRICE_TEXT,
    PRICE_BOUNDS,
    THOUSANDS_SEPARATOR,
    PriceError,
    PriceProblem,
    bare_readings,
    format_amount,
    parse_price,
)
from vodiy_bozor.text.script import (
    CYRILLIC_TO_LATIN,
    cyrillic_in_context,
    normalize_answer,
    uz_latin_to_cyrillic,
)

NBSP = "\u00a0"
THIN = "\u2009"
NARROW_NBSP = "\u202f"


def uzs(amount: int) -> Price:
    return Price(amount=amount, currency=Currency.UZS)


def usd(amount: int) -> Price:
    return Price(amount=amount, currency=Currency.USD)


# ---------------------------------------------------------------------------------------------
# Durations
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("45s", 45),
        ("30m", 1_800),
        ("2h", 7_200),
        ("3d", 259_200),
        ("90", 90),
        ("1", 1),
        ("  30m  ", 1_800),
        ("30M", 1_800),
        ("2H", 7_200),
        ("1h30m", 5_400),
        ("1h 30m", 5_400),
        ("1d12h", 129_600),
        ("1d 2h 3m 4s", 93_784),
        ("2 h", 7_200),
        ("10min", 600),
        ("1 hour", 3_600),
        ("2 days", 172_800),
        ("90 seconds", 90),
        ("1h0m", 3_600),
        ("365d", MAX_DURATION_SECONDS),
    ],
)
def test_parse_duration_accepts(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("0", "greater than zero"),
        ("0s", "greater than zero"),
        ("0h0m", "greater than zero"),
        ("-5m", "positive"),
        ("-90", "positive"),
        ("abc", "not a duration"),
        ("5x", "not a duration"),
        ("1.5h", "not a duration"),
        ("30m1h", "not a duration"),
        ("1h1h", "not a duration"),
        ("m", "not a duration"),
        ("30ms", "not a duration"),
        ("1h30", "not a duration"),
        ("366d", "longer than a year"),
        ("9" * 100, "too long"),
    ],
)
def test_parse_duration_rejects_with_a_helpful_message(text: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint) as caught:
        parse_duration(text)
    # Shown to a human as "REPOST_INTERVAL: <message>": it must say what would have worked.
    assert "45s, 30m, 2h, 3d" in str(caught.value)


def test_parse_duration_bare_numbers_are_seconds() -> None:
    for seconds in (1, 59, 60, 61, 3_599, 86_400, MAX_DURATION_SECONDS):
        assert parse_duration(str(seconds)) == seconds
        assert parse_duration(f"{seconds}s") == seconds


# ---------------------------------------------------------------------------------------------
# Prices
# ---------------------------------------------------------------------------------------------

PRICES_THAT_PARSE: list[tuple[str, Price]] = [
    # so'm, digits in every grouping people use
    ("12500000", uzs(12_500_000)),
    ("12 500 000", uzs(12_500_000)),
    ("12.500.000", uzs(12_500_000)),
    ("12,500,000", uzs(12_500_000)),
    (f"12{NBSP}500{NBSP}000", uzs(12_500_000)),
    (f"12{THIN}500{THIN}000", uzs(12_500_000)),
    (f"12{NARROW_NBSP}500{NARROW_NBSP}000 сўм", uzs(12_500_000)),
    ("12\u200b500000", uzs(12_500_000)),  # a zero-width space from copy-paste
    ("1.000.000", uzs(1_000_000)),
    ("12 500 000,00 сум", uzs(12_500_000)),
    ("12,500,000.00", uzs(12_500_000)),
    # so'm, currency words in both scripts and Russian, any apostrophe
    ("12 500 000 сўм", uzs(12_500_000)),
    ("12500000 so'm", uzs(12_500_000)),
    ("12500000 soʻm", uzs(12_500_000)),
    ("12500000 so‘m", uzs(12_500_000)),
    ("12500000 so’m", uzs(12_500_000)),
    ("5 000 000 so`m", uzs(5_000_000)),
    ("12500000 сум", uzs(12_500_000)),
    ("12 500 000 sum", uzs(12_500_000)),
    ("5 000 000 СЎМ", uzs(5_000_000)),
    ("800 000 UZS", uzs(800_000)),
    # so'm with multipliers
    ("12.5 млн", uzs(12_500_000)),
    ("12,5 mln", uzs(12_500_000)),
    ("12,5 млн сўм", uzs(12_500_000)),
    ("12.5 million", uzs(12_500_000)),
    ("12.5 Million so'm", uzs(12_500_000)),
    ("12 млн сум", uzs(12_000_000)),
    ("12млн", uzs(12_000_000)),
    ("2,75 mln so'm", uzs(2_750_000)),
    ("0,5 млн", uzs(500_000)),
    ("1,2 млрд", uzs(1_200_000_000)),
    ("1.2 mlrd so'm", uzs(1_200_000_000)),
    ("3 миллиарда", uzs(3_000_000_000)),
    ("500 минг", uzs(500_000)),
    ("500 ming", uzs(500_000)),
    ("500 ming so'm", uzs(500_000)),
    ("500 тыс", uzs(500_000)),
    ("500 тыс. сум", uzs(500_000)),
    ("500 тысяч", uzs(500_000)),
    ("500к", uzs(500_000)),
    ("500k", uzs(500_000)),
    ("500 K", uzs(500_000)),
    ("12кк", uzs(12_000_000)),
    ("12 млн 500 минг сўм", uzs(12_500_000)),
    ("1 млрд 200 млн", uzs(1_200_000_000)),
    ("1500,5 сум", uzs(1_501)),  # half a so'm rounds up
    # labels and bargaining around the number
    ("Нархи: 12 500 000 сўм", uzs(12_500_000)),
    ("narxi 12 mln", uzs(12_000_000)),
    ("12 млн, торг бор", uzs(12_000_000)),
    ("45 000 000 so'm kelishamiz", uzs(45_000_000)),
    ("~12 млн", uzs(12_000_000)),
    # dollars
    ("500$", usd(500)),
    ("$500", usd(500)),
    ("500 $", usd(500)),
    ("$ 500", usd(500)),
    ("500 у.е.", usd(500)),
    ("500 уе", usd(500)),
    ("500 у. е.", usd(500)),
    ("500 y.e.", usd(500)),
    ("500 usd", usd(500)),
    ("500 USD", usd(500)),
    ("500 dollar", usd(500)),
    ("1500 dollor", usd(1_500)),
    ("500 доллар", usd(500)),
    ("500 долларов", usd(500)),
    ("500 долл", usd(500)),
    ("500 долл.", usd(500)),
    ("3 минг доллар", usd(3_000)),
    ("3 ming dollar", usd(3_000)),
    ("3к$", usd(3_000)),
    ("1.5 минг $", usd(1_500)),
    ("1 200 $", usd(1_200)),
    ("$1,500", usd(1_500)),
    ("1.500 $", usd(1_500)),  # a dot before exactly three digits groups thousands
    ("499.99$", usd(500)),
    ("499.49$", usd(499)),
    ("12,5$", usd(13)),  # small numbers are fine in dollars
    ("Цена: 500$", usd(500)),
    ("Narxi - 500$", usd(500)),  # a dash after a label is punctuation, not a minus
    ("65 000 $ torg bor", usd(65_000)),
    # the bounds themselves are allowed
    ("1000", uzs(1_000)),
    ("100 млрд", uzs(100_000_000_000)),
    ("1$", usd(1)),
    ("10 000 000 $", usd(10_000_000)),
]


@pytest.mark.parametrize(("text", "expected"), PRICES_THAT_PARSE)
def test_parse_price_reads_real_spellings(text: str, expected: Price) -> None:
    assert parse_price(text) == expected


NEGOTIABLE_SPELLINGS = [
    "келишилади",
    "Келишилади",
    "kelishiladi",
    "Kelishiladi",
    "KELISHILADI",
    "kelishamiz",
    "Келишамиз",
    "договорная",
    "Договорная цена",
    "ДОГОВОРНАЯ",
    "dogovornaya",
    "торг",
    "торг бор",
    "kelishuv asosida",
    "Kelishuv asosida!",
    "келишув асосида",
    "Narxi kelishiladi",
    "нархи келишилади.",
    "келишилган ҳолда",
    "kelishilgan holda",
]


@pytest.mark.parametrize("text", NEGOTIABLE_SPELLINGS)
def test_parse_price_negotiable_words(text: str) -> None:
    price = parse_price(text)
    assert price == Price.negotiable_price()
    assert price.negotiable


PRICES_THAT_FAIL: list[tuple[str, PriceProblem]] = [
    ("", PriceProblem.EMPTY),
    ("   ", PriceProblem.EMPTY),
    (NBSP, PriceProblem.EMPTY),
    ("abc", PriceProblem.NOT_A_NUMBER),
    ("дорого", PriceProblem.NOT_A_NUMBER),
    ("arzon", PriceProblem.NOT_A_NUMBER),
    ("...", PriceProblem.NOT_A_NUMBER),
    ("+998 90 123 45 67", PriceProblem.NOT_A_NUMBER),
    ("+998901234567", PriceProblem.NOT_A_NUMBER),
    ("998901234567", PriceProblem.NOT_A_NUMBER),
    ("90 123 45 67", PriceProblem.NOT_A_NUMBER),
    ("500 евро", PriceProblem.NOT_A_NUMBER),
    ("500€", PriceProblem.NOT_A_NUMBER),
    ("500 руб", PriceProblem.NOT_A_NUMBER),
    ("50%", PriceProblem.NOT_A_NUMBER),
    ("10-12 млн", PriceProblem.NOT_A_NUMBER),  # a range is not one price
    ("12 млн 500", PriceProblem.NOT_A_NUMBER),  # 500 what?
    ("1 млн 2 млн", PriceProblem.NOT_A_NUMBER),
    ("500 минг минг", PriceProblem.NOT_A_NUMBER),
    ("млн 12", PriceProblem.NOT_A_NUMBER),
    ("млн", PriceProblem.NOT_A_NUMBER),
    ("$", PriceProblem.NOT_A_NUMBER),
    ("торг $", PriceProblem.NOT_A_NUMBER),
    ("500$ сўм", PriceProblem.NOT_A_NUMBER),  # which currency?
    ("1.5555 млн", PriceProblem.NOT_A_NUMBER),
    ("1.500.5", PriceProblem.NOT_A_NUMBER),
    ("12.5.2024", PriceProblem.NOT_A_NUMBER),
    ("цена", PriceProblem.NOT_A_NUMBER),
    ("-500", PriceProblem.NEGATIVE),
    ("-500$", PriceProblem.NEGATIVE),
    ("-$500", PriceProblem.NEGATIVE),
    ("$-500", PriceProblem.NEGATIVE),
    ("\u221212 млн", PriceProblem.NEGATIVE),  # the typographic minus sign
    ("- 12 500 000", PriceProblem.NEGATIVE),
    ("(-500)", PriceProblem.NEGATIVE),
    ("12,5", PriceProblem.TOO_SMALL),  # 12.5 so'm: meant with млн or $, we don't guess
    ("500", PriceProblem.TOO_SMALL),
    ("999", PriceProblem.TOO_SMALL),
    ("12 сўм", PriceProblem.TOO_SMALL),
    ("0", PriceProblem.TOO_SMALL),
    ("0$", PriceProblem.TOO_SMALL),
    ("0.4$", PriceProblem.TOO_SMALL),
    ("101 млрд", PriceProblem.TOO_LARGE),
    ("200 000 000 000", PriceProblem.TOO_LARGE),
    ("11 млн $", PriceProblem.TOO_LARGE),
    ("10 000 001$", PriceProblem.TOO_LARGE),
    ("9" * 50, PriceProblem.TOO_LARGE),
    ("1" * 5000, PriceProblem.TOO_LARGE),
]


@pytest.mark.parametrize(("text", "problem"), PRICES_THAT_FAIL)
def test_parse_price_rejects(text: str, problem: PriceProblem) -> None:
    with pytest.raises(PriceError) as caught:
        parse_price(text)
    assert caught.value.reason is problem
    assert caught.value.text == text
    assert isinstance(caught.value, ValueError)


def test_price_error_message_is_short_for_long_input() -> None:
    with pytest.raises(PriceError) as caught:
        parse_price("x" * 10_000)
    assert len(str(caught.value)) < 200


def test_price_problem_codes_are_stable() -> None:
    # The values name locale keys; renaming one silently breaks a translation.
    assert {problem.value for problem in PriceProblem} == {
        "empty",
        "not_a_number",
        "negative",
        "too_large",
        "too_small",
    }


def test_price_bounds_are_enforced_exactly() -> None:
    for currency, symbol in ((Currency.UZS, " сўм"), (Currency.USD, "$")):
        low, high = PRICE_BOUNDS[currency]
        assert parse_price(f"{low}{symbol}") == Price(low, currency)
        assert parse_price(f"{high}{symbol}") == Price(high, currency)
        with pytest.raises(PriceError) as too_small:
            parse_price(f"{low - 1}{symbol}")
        assert too_small.value.reason is PriceProblem.TOO_SMALL
        with pytest.raises(PriceError) as too_large:
            parse_price(f"{high + 1}{symbol}")
        assert too_large.value.reason is PriceProblem.TOO_LARGE


def test_every_grouping_of_every_amount_reads_the_same() -> None:
    rng = random.Random(20240611)
    amounts = [1_000, 1_001, 99_999, 100_000, 1_234_567, 12_500_000, 999_999_999]
    amounts += [rng.randrange(1_000, 100_000_000_000) for _ in range(300)]
    for amount in amounts:
        plain = str(amount)
        for separator in (" ", ".", ",", NBSP, THIN, NARROW_NBSP):
            grouped = format_amount(amount, separator=separator)
            assert parse_price(grouped) == uzs(amount), grouped
            assert parse_price(f"{grouped} so'm") == uzs(amount), grouped
        assert parse_price(plain) == uzs(amount)


def test_every_multiplier_spelling_multiplies() -> None:
    spellings = {
        1_000: ["минг", "ming", "тыс", "тысяч", "к", "k", "K"],
        1_000_000: ["млн", "mln", "MLN", "миллион", "million", "кк", "kk"],
        1_000_000_000: ["млрд", "mlrd", "миллиард", "milliard"],
    }
    for factor, words in spellings.items():
        for word in words:
            for number, hundredths in (("2", 200), ("2,5", 250), ("2.25", 225)):
                expected = hundredths * factor // 100
                assert parse_price(f"{number} {word}") == uzs(expected), (number, word)
                assert parse_price(f"{number}{word}") == uzs(expected), (number, word)


def test_dollar_amounts_round_half_up() -> None:
    for cents in range(100, 10_000, 7):
        text = f"{cents // 100}.{cents % 100:02d}$"
        assert parse_price(text) == usd((cents + 50) // 100), text


def test_format_amount_groups_thousands() -> None:
    assert format_amount(12_500_000) == f"12{THOUSANDS_SEPARATOR}500{THOUSANDS_SEPARATOR}000"
    assert format_amount(12_500_000, separator=" ") == "12 500 000"
    assert format_amount(999, separator=" ") == "999"
    assert format_amount(1_000, separator=" ") == "1 000"
    assert format_amount(0) == "0"
    assert format_amount(-1_500, separator=" ") == "-1 500"
    assert format_amount(100_000_000_000, separator=" ") == "100 000 000 000"


def test_format_amount_uses_no_words_and_no_breakable_space() -> None:
    formatted = format_amount(1_234_567)
    assert formatted.replace(THOUSANDS_SEPARATOR, "") == "1234567"
    assert " " not in formatted  # a caption must not wrap in the middle of a price


# ---------------------------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------------------------

PHONES_THAT_PARSE: list[tuple[str, str]] = [
    ("+998 90 123 45 67", "+998901234567"),
    ("+998901234567", "+998901234567"),
    ("998901234567", "+998901234567"),
    ("998 90 123 45 67", "+998901234567"),
    ("90 123-45-67", "+998901234567"),
    ("901234567", "+998901234567"),
    ("901 23 45 67", "+998901234567"),
    ("90-1234567", "+998901234567"),
    ("(90) 123-45-67", "+998901234567"),
    ("+998 (90) 123-45-67", "+998901234567"),
    ("+998(90)1234567", "+998901234567"),
    ("+998-90-123-45-67", "+998901234567"),
    ("+ 998 90 123 45 67", "+998901234567"),
    ("(+998) 90 123 45 67", "+998901234567"),
    ("90.123.45.67", "+998901234567"),
    (f"+998{NBSP}90{NBSP}123{NBSP}45{NBSP}67", "+998901234567"),
    (f"90{THIN}123{THIN}45{THIN}67", "+998901234567"),
    ("９０１２３４５６７", "+998901234567"),  # full-width digits from some keyboards
    ("8 90 123 45 67", "+998901234567"),  # the old trunk prefix
    ("8 (90) 123-45-67", "+998901234567"),
    ("0 90 123 45 67", "+998901234567"),
    ("00998 90 123 45 67", "+998901234567"),
    ("8 10 998 90 123 45 67", "+998901234567"),
    ("tel: 90 123 45 67", "+998901234567"),
    ("Tel: +998 90 123 45 67", "+998901234567"),
    ("тел.: 90-123-45-67", "+998901234567"),
    ("90 123 45 67 Alisher aka", "+998901234567"),
    ("+998 97 123 45 67 (Telegram)", "+998971234567"),
    ("Телефон: (93) 456 78 90", "+998934567890"),
    ("Номер: 998 99 765 43 21", "+998997654321"),
    ("90 123 45 67, 90 123 45 67", "+998901234567"),  # the same number twice is one number
    ("Narxi 500$, tel 901234567", "+998901234567"),
    ("+998 33 123 45 67", "+998331234567"),
    ("+998 88 123 45 67", "+998881234567"),
    ("+998 20 123 45 67", "+998201234567"),
    ("+998 50 123 45 67", "+998501234567"),
    ("+998 77 123 45 67", "+998771234567"),
    ("+998 55 501 23 45", "+998555012345"),
    ("71 234 56 78", "+998712345678"),  # Tashkent landline
    ("+998 73 244 55 66", "+998732445566"),  # Fergana
    ("74 223 45 67", "+998742234567"),  # Andijan
    ("+998 69 227 00 00", "+998692270000"),  # Namangan
]


@pytest.mark.parametrize(("text", "expected"), PHONES_THAT_PARSE)
def test_parse_phone_reads_real_spellings(text: str, expected: str) -> None:
    assert parse_phone(text) == expected


PHONES_THAT_FAIL: list[tuple[str, PhoneProblem]] = [
    ("", PhoneProblem.EMPTY),
    ("   ", PhoneProblem.EMPTY),
    ("abc", PhoneProblem.NOT_A_PHONE),
    ("telefon yo'q", PhoneProblem.NOT_A_PHONE),
    ("+7 912 345 67 89", PhoneProblem.FOREIGN),
    ("+1 202 555 0123", PhoneProblem.FOREIGN),
    ("+992 93 123 45 67", PhoneProblem.FOREIGN),  # Tajikistan, next door
    ("79123456789", PhoneProblem.FOREIGN),
    ("8 912 345 67 89", PhoneProblem.FOREIGN),  # Russian domestic format
    ("0090 123 45 67", PhoneProblem.FOREIGN),  # 00 then Turkey
    ("90 123 45 6", PhoneProblem.TOO_SHORT),
    ("123 45 67", PhoneProblem.TOO_SHORT),
    ("12345", PhoneProblem.TOO_SHORT),
    ("+998 90 123 45 6", PhoneProblem.TOO_SHORT),
    ("9O 123 45 67", PhoneProblem.TOO_SHORT),  # a letter O instead of zero
    ("90 123 abc 45 67", PhoneProblem.TOO_SHORT),
    ("+998 90 123 45 678", PhoneProblem.TOO_LONG),
    ("9012345678901", PhoneProblem.TOO_LONG),
    ("+998 12 345 67 89", PhoneProblem.UNKNOWN_CODE),
    ("96 123 45 67", PhoneProblem.UNKNOWN_CODE),
    ("92 123 45 67", PhoneProblem.UNKNOWN_CODE),
    ("8 81 234 56 78", PhoneProblem.UNKNOWN_CODE),
    ("90 123 45 67, 91 765 43 21", PhoneProblem.SEVERAL),
    ("90 123 45 67 yoki 93 456 78 90", PhoneProblem.SEVERAL),
]


@pytest.mark.parametrize(("text", "problem"), PHONES_THAT_FAIL)
def test_parse_phone_rejects(text: str, problem: PhoneProblem) -> None:
    with pytest.raises(PhoneError) as caught:
        parse_phone(text)
    assert caught.value.reason is problem
    assert caught.value.text == text
    assert isinstance(caught.value, ValueError)


def test_every_known_code_in_every_format() -> None:
    for code in sorted(UZ_PHONE_CODES):
        expected = f"+998{code}1234567"
        for typed in (
            f"+998 {code} 123 45 67",
            f"998{code}1234567",
            f"{code} 123-45-67",
            f"({code}) 123 45 67",
            f"{code}1234567",
            f"8 {code} 123 45 67",
        ):
            assert parse_phone(typed) == expected, typed


def test_unknown_codes_are_refused() -> None:
    for number in range(100):
        code = f"{number:02d}"
        if code in UZ_PHONE_CODES:
            continue
        with pytest.raises(PhoneError) as caught:
            parse_phone(f"+998 {code} 123 45 67")
        assert caught.value.reason is PhoneProblem.UNKNOWN_CODE, code


def test_fergana_valley_codes_are_known() -> None:
    assert {"73", "74", "69"} <= UZ_PHONE_CODES  # Fergana, Andijan, Namangan
    assert all(len(code) == 2 and code.isdigit() for code in UZ_PHONE_CODES)


def test_format_phone() -> None:
    assert format_phone("+998901234567") == "+998 90 123 45 67"
    assert format_phone("+998712345678") == "+998 71 234 56 78"


@pytest.mark.parametrize("bad", ["998901234567", "+99890123456", "+7 9123456789", "", "+998 90"])
def test_format_phone_takes_only_normalised_numbers(bad: str) -> None:
    with pytest.raises(PhoneError):
        format_phone(bad)


def test_formatted_phone_parses_back() -> None:
    rng = random.Random(998)
    codes = sorted(UZ_PHONE_CODES)
    for _ in range(500):
        e164 = f"+998{rng.choice(codes)}{rng.randrange(10_000_000):07d}"
        assert parse_phone(format_phone(e164)) == e164
        assert parse_phone(e164) == e164


# ---------------------------------------------------------------------------------------------
# Uzbek scripts
# ---------------------------------------------------------------------------------------------

# Cyrillic and official Latin (ʻ U+02BB in oʻ gʻ, ʼ U+02BC for the tutuq belgisi); each pair
# converts both ways exactly.
ROUND_TRIPS: list[tuple[str, str]] = [
    ("Фарғона", "Fargʻona"),
    ("Андижон", "Andijon"),
    ("Наманган", "Namangan"),
    ("Кўчмас мулк", "Koʻchmas mulk"),
    ("Кўчмас-мулк", "Koʻchmas-mulk"),
    ("ёзги", "yozgi"),
    ("Ёзги", "Yozgi"),
    ("Қўқон", "Qoʻqon"),
    ("Шаҳрихон", "Shahrixon"),
    ("ШАҲРИХОН", "SHAHRIXON"),
    ("Ярмарка", "Yarmarka"),
    ("Тошкент", "Toshkent"),
    ("Марғилон", "Margʻilon"),
    ("Янгиқўрғон", "Yangiqoʻrgʻon"),
    ("Янгийўл", "Yangiyoʻl"),
    ("Чуст", "Chust"),
    ("Риштон", "Rishton"),
    ("Мўйноқ", "Moʻynoq"),
    ("Ўзбекистон", "Oʻzbekiston"),
    ("ЎЗБЕКИСТОН", "OʻZBEKISTON"),
    ("Авто-улов", "Avto-ulov"),
    ("Маиший техника", "Maishiy texnika"),
    ("Уй-рўзғор буюмлари", "Uy-roʻzgʻor buyumlari"),
    ("Кийим-кечак", "Kiyim-kechak"),
    ("Спорт анжомлари", "Sport anjomlari"),
    ("Телефон", "Telefon"),
    ("эълон", "eʼlon"),
    ("Эълон берувчи", "Eʼlon beruvchi"),
    ("маъно", "maʼno"),
    ("санъат", "sanʼat"),
    ("шеър", "sheʼr"),
    ("Қуръон", "Qurʼon"),
    ("Исҳоқ", "Isʼhoq"),
    ("поезд", "poyezd"),
    ("Ер", "Yer"),
    ("Поэзия", "Poeziya"),
    ("йўқ", "yoʻq"),
    ("келишилади", "kelishiladi"),
    ("Келишув асосида", "Kelishuv asosida"),
    ("Нархи 12 млн сўм!", "Narxi 12 mln soʻm!"),
]


def _latin(cyrillic: str) -> str:
    """Lowercase official Latin through the one Cyrillic→Latin table and its context rules."""
    return "".join(CYRILLIC_TO_LATIN.get(c, c) for c in cyrillic_in_context(cyrillic.lower()))


@pytest.mark.parametrize(("cyrillic", "latin"), ROUND_TRIPS)
def test_cyrillic_to_latin(cyrillic: str, latin: str) -> None:
    assert _latin(cyrillic) == latin.lower()
    assert fold(cyrillic) == fold(latin)  # search finds either spelling


@pytest.mark.parametrize(("cyrillic", "latin"), ROUND_TRIPS)
def test_latin_to_cyrillic(cyrillic: str, latin: str) -> None:
    assert uz_latin_to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        # Russian loanwords: the official rules, knowingly not reversible
        ("цирк", "sirk"),
        ("лицей", "litsey"),
        ("объект", "obyekt"),
        ("Компьютер", "Kompyuter"),
        ("щётка", "shyotka"),
    ],
)
def test_cyrillic_to_latin_loanwords(cyrillic: str, latin: str) -> None:
    assert _latin(cyrillic) == latin.lower()
    assert fold(cyrillic) == fold(latin)


@pytest.mark.parametrize(
    "typed", ["Farg'ona", "Farg`ona", "Fargʻona", "Fargʼona", "Farg‘ona", "Farg’ona"]
)
def test_latin_to_cyrillic_accepts_every_apostrophe(typed: str) -> None:
    assert uz_latin_to_cyrillic(typed) == "Фарғона"


@pytest.mark.parametrize(
    ("typed", "cyrillic"),
    [
        ("ma'no", "маъно"),
        ("ma`no", "маъно"),
        ("ma’no", "маъно"),
        ("e'lon", "эълон"),
        ("Is'hoq", "Исҳоқ"),
        ("'Salom'", "'Салом'"),  # quotes stay quotes
        ("FARG'ONA", "ФАРҒОНА"),
        ("SH", "Ш"),
        ("Ch", "Ч"),
    ],
)
def test_latin_to_cyrillic_apostrophes_and_case(typed: str, cyrillic: str) -> None:
    assert uz_latin_to_cyrillic(typed) == cyrillic


def test_transliteration_leaves_the_other_script_alone() -> None:
    mixed = "Nokia 3310, 500$ — 12:30 #sotiladi"
    assert _latin("Nokia 3310, 500$") == "nokia 3310, 500$"
    assert uz_latin_to_cyrillic("Фарғона 2024") == "Фарғона 2024"
    assert fold(uz_latin_to_cyrillic(mixed)) == fold(mixed)


# The official alphabet's letters (c only occurs in ch) and its two apostrophes.
OFFICIAL_LATIN = frozenset("abcdefghijklmnopqrstuvxyzABCDEFGHIJKLMNOPQRSTUVXYZ\u02bb\u02bc")


def test_random_native_words_round_trip() -> None:
    # Letters whose spelling does not depend on a neighbour's script-specific rules; е is
    # included because its ye/e rule is reversible. Excluded: ц щ ы ь (Russian loanwords), ъ
    # (dropped before е/ё/ю/я), э after consonants and й before vowels (yo/ya read as ё/я).
    letters = "абвгдеёжзиклмнопрстуфхчшюяўқғҳ"
    rng = random.Random(1995)
    for _ in range(2_000):
        word = "".join(rng.choice(letters) for _ in range(rng.randint(1, 12)))
        latin = _latin(word)
        assert uz_latin_to_cyrillic(latin) == word, (word, latin)
        assert set(latin) <= OFFICIAL_LATIN, latin
        for variant in (word.capitalize(), word.upper()):
            assert uz_latin_to_cyrillic(_latin(variant)) == word


def test_latin_output_uses_the_official_apostrophes() -> None:
    latin = _latin("Ўғил маъно")
    assert "\u02bb" in latin  # ʻ in oʻ gʻ
    assert "\u02bc" in latin  # ʼ tutuq belgisi
    assert "'" not in latin
    assert latin == "oʻgʻil maʼno"


# ---------------------------------------------------------------------------------------------
# Comparing answers
# ---------------------------------------------------------------------------------------------

EQUIVALENT_ANSWERS: list[list[str]] = [
    ["Kelishiladi", "келишилади", "KELISHILADI", "  kelishiladi!  ", "Келишилади."],
    ["Farg'ona", "Фарғона", "fargona", "Фаргона", "FARGʻONA", "Farg’ona", "Fargʼona"],
    ["Qo'qon", "Қўқон", "Кукон", "qoʻqon"],
    ["e'lon", "elon", "эълон", "Элон", "E’lon"],  # the 2017 bot's `эълон|elon`
    ["Кўчмас-мулк", "Ko'chmas mulk", "кучмас мулк", "KOʻCHMAS  MULK"],
    ["Шаҳрихон", "Shahrixon", "Шахрихон", "Shaxrixon"],
    ["ha", "Ҳа", "Ха", "HA!"],
    ["yo'q", "йўқ", "Йук", "YOʻQ"],
    ["ёзги", "yozgi", "езги"],
    ["Андижон", "Andijon", "ANDIJON"],
]


@pytest.mark.parametrize("answers", EQUIVALENT_ANSWERS)
def test_normalize_answer_equivalences(answers: list[str]) -> None:
    keys = {normalize_answer(answer) for answer in answers}
    assert len(keys) == 1, keys
    assert "" not in keys


def test_normalize_answer_keeps_different_answers_apart() -> None:
    keys = [normalize_answer(group[0]) for group in EQUIVALENT_ANSWERS]
    assert len(set(keys)) == len(keys)
    assert normalize_answer("Андижон") != normalize_answer("Наманган")
    assert normalize_answer("ha") != normalize_answer("yo'q")


def test_normalize_answer_shape() -> None:
    assert normalize_answer("  Kelishiladi!!  ") == "келишилади"
    assert normalize_answer("Uy-ro'zg'or   buyumlari") == "уй рузгор буюмлари"
    assert normalize_answer("12 500 000") == "12 500 000"
    assert normalize_answer("") == ""
    assert normalize_answer("?!") == ""
    for answer in ("Фарғона", "Kelishiladi", "Ko'chmas mulk"):
        key = normalize_answer(answer)
        assert normalize_answer(key) == key  # a key is its own key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+ (998) 90 123 45 67", "+998901234567"),
        ("((+998 90 123 45 67", "+998901234567"),
        ("tel:+998(90)1234567", "+998901234567"),
        ("90 123 45 67 (" + "(" * 4096, "+998901234567"),
    ],
)
def test_a_plus_and_brackets_before_the_digits_open_the_number(text: str, expected: str) -> None:
    assert parse_phone(text) == expected


def test_text_that_is_only_brackets_or_spaces_is_no_phone() -> None:
    for text in ("(" * 4096, "+" + " (" * 2048, "+(" * 2048):
        with pytest.raises(PhoneError) as caught:
            parse_phone(text)
        assert caught.value.reason is PhoneProblem.NOT_A_PHONE


def test_a_price_longer_than_any_typed_price_is_refused_unread() -> None:
    with pytest.raises(PriceError) as caught:
        parse_price("1 " * (MAX_PRICE_TEXT // 2 + 1))
    assert caught.value.reason is PriceProblem.NOT_A_NUMBER
    assert parse_price(" " * (MAX_PRICE_TEXT - 10) + "12 млн").amount == 12_000_000


@pytest.mark.parametrize(
    ("text", "thousands_of_dollars", "readings"),
    [
        # How sellers say a price: `12,5` is 12.5 million so'm, and of a car also 12,500 USD.
        ("12,5", False, (Price(12_500_000, Currency.UZS),)),
        ("1.2", False, (Price(1_200_000, Currency.UZS),)),
        ("12,5", True, (Price(12_500, Currency.USD), Price(12_500_000, Currency.UZS))),
        # An integer: thousands of so'm, or dollars.
        (" 350 ", False, (Price(350_000, Currency.UZS), Price(350, Currency.USD))),
        ("350", True, (Price(350_000, Currency.UZS), Price(350, Currency.USD))),
        # Nothing is a price: no reading out of bounds.
        ("0", False, ()),
        # Not a bare number: a unit or a word says what was meant.
        ("12,5 млн", False, ()),
        ("500 сўм", False, ()),
        ("abc", False, ()),
        ("1" * 300, False, ()),
    ],
)
def test_bare_readings_offer_what_a_small_bare_number_meant(
    text: str, thousands_of_dollars: bool, readings: tuple[Price, ...]
) -> None:
    assert bare_readings(text, thousands_of_dollars=thousands_of_dollars) == readings

"""The scam signals added for the wordings of the second scam set: deposits, payment before
the goods said other ways, card numbers written every way, numbers abroad, messengers, link
shorteners, delivery all over the country, a price too good for the model, a burst of ads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vodiy_bozor.assistant.scam import Level, Reason, assess, text_reasons
from vodiy_bozor.assistant.types import SellerFacts
from vodiy_bozor.models import Currency, Lang, Price
from vodiy_bozor.texts import load_texts

PHONE = "+998901234567"
NOW = datetime(2026, 11, 1, tzinfo=UTC)
OLD_SELLER = SellerFacts(
    owner_first_seen=NOW - timedelta(days=300), rejections_30d=0, phone_accounts=1
)


@pytest.mark.parametrize(
    "text",
    [
        "Ko'rishga kelishdan oldin 100 ming zalog tashlaysiz",
        "Гаров пули 200 000 сўм, қолганини кўрганда",
        "Для брони вносите депозит 50$",
        "Avval pul, keyin tovar",
        "Аввал тўлов, кейин жўнатамиз",
        "Сначала оплата, потом отправка",
        "Отправка только после полной оплаты",
        "To'lovdan keyin pochtaga topshiramiz",
        "Pul o'tkazsangiz ertaga jo'natamiz",
        "Pulni Payme ga tashlab qo'ying",
        "100% to'lov qilinganidan keyin yetkazib beriladi",
        "Оплата 100% вперёд",
    ],
)
def test_payment_before_the_goods_in_other_words(text: str) -> None:
    assert Reason.PREPAYMENT in text_reasons(text, PHONE)


@pytest.mark.parametrize(
    "text",
    [
        "Оплата наличными или картой при получении",
        "To'lov naqd yoki Click orqali, tovarni olganda",
        "Тўлов нақд ёки карта орқали, олганингизда",
        "Сдаётся квартира, 300$ в месяц, залог за месяц",
        "Kvartira ijaraga, oyiga 350$, zalog 1 oylik",
        "Oldindan rahmat",
    ],
)
def test_payment_on_receipt_and_a_rent_deposit_are_not_prepayment(text: str) -> None:
    assert Reason.PREPAYMENT not in text_reasons(text, PHONE)


def test_the_old_wordings_still_count() -> None:
    # On receipt of the rest does not excuse the part asked in advance.
    assert Reason.PREPAYMENT in text_reasons("Oldindan to'lov 50%, qolganini olganda", PHONE)


@pytest.mark.parametrize(
    "text",
    ["Uzcard 8600 1234 5678 9012", "Humo: 9860-1234-5678-9012", "8600123456789012",
     "karta 9860  1234  5678  9012"],
)  # fmt: skip
def test_card_numbers_written_every_way(text: str) -> None:
    assert Reason.CARD_NUMBER in text_reasons(text, PHONE)


@pytest.mark.parametrize(
    "text",
    ["WhatsApp: +7 916 123 45 67", "Звоните +7 (925) 555-12-34", "+992 93 123 4567",
     "+996 555 123 456", "+90 532 123 45 67", "8 916 123 45 67"],
)  # fmt: skip
def test_foreign_numbers(text: str) -> None:
    assert Reason.FOREIGN_PHONE in text_reasons(text, PHONE)


@pytest.mark.parametrize(
    "text",
    ["Tel +998 90 123 45 67", "Narxi 12 500 000", "8600 1234 5678 9012", "2019 yil, 85 000 km"],
)
def test_uzbek_numbers_prices_and_cards_are_not_foreign(text: str) -> None:
    assert Reason.FOREIGN_PHONE not in text_reasons(text, PHONE)


def test_messengers_shorteners_and_nationwide_delivery() -> None:
    assert Reason.MESSENGER in text_reasons("Пишите в WhatsApp", PHONE)
    assert Reason.MESSENGER in text_reasons("Ватсапга ёзинг", PHONE)
    assert Reason.MESSENGER in text_reasons("Rasmlar instagramda", PHONE)
    short = text_reasons("Batafsil: bit.ly/3xKq7Tz", PHONE)
    assert Reason.SHORT_LINK in short
    assert Reason.LINK in short
    assert Reason.NATIONWIDE in text_reasons("O'zbekiston bo'ylab yetkazib beramiz", PHONE)
    assert Reason.NATIONWIDE in text_reasons("Доставка по всему Узбекистану", PHONE)
    assert Reason.NATIONWIDE not in text_reasons(
        "Отправляем по Узбекистану, оплата при получении на почте", PHONE
    )


@pytest.mark.parametrize(
    ("text", "price"),
    [
        ("iPhone 15 Pro Max 256gb", Price(230, Currency.USD)),
        ("Айфон 14 128гб", Price(1_200_000, Currency.UZS)),
        ("Malibu 2 turbo", Price(7_000, Currency.USD)),
        ("PlayStation 5", Price(1_000_000, Currency.UZS)),
    ],
)
def test_a_price_too_good_for_the_model_is_bait(text: str, price: Price) -> None:
    result = assess(text, PHONE, OLD_SELLER, created_at=NOW, price=price)
    assert Reason.TOO_GOOD in result.reasons
    assert result.shown


@pytest.mark.parametrize(
    ("text", "price"),
    [
        ("iPhone 15 Pro Max 256gb", Price(1_050, Currency.USD)),
        ("iPhone 6", Price(50, Currency.USD)),  # an old model is cheap honestly
        ("Malibu ijaraga, kuniga", Price(60, Currency.USD)),  # a rent, not a sale
        ("iPhone 15", Price(amount=None)),
    ],
)
def test_a_fair_price_or_an_old_model_is_not(text: str, price: Price) -> None:
    result = assess(text, PHONE, OLD_SELLER, created_at=NOW, price=price)
    assert Reason.TOO_GOOD not in result.reasons


def test_a_new_account_posting_a_burst_of_ads() -> None:
    burst = SellerFacts(
        owner_first_seen=NOW - timedelta(hours=2), rejections_30d=0, phone_accounts=1,
        recent_ads=2,
    )  # fmt: skip
    result = assess("Sotiladi muzlatkich", PHONE, burst, created_at=NOW)
    assert set(result.reasons) == {Reason.BURST, Reason.NEW_ACCOUNT}
    assert result.level is Level.HIGH
    shop = SellerFacts(
        owner_first_seen=NOW - timedelta(days=400), rejections_30d=0, phone_accounts=1,
        recent_ads=6,
    )  # fmt: skip
    assert Reason.BURST not in assess("Sotiladi muzlatkich", PHONE, shop, created_at=NOW).reasons


def test_an_old_account_with_a_username_is_shown_but_not_high() -> None:
    result = assess("Batafsil: @jasur_93", PHONE, OLD_SELLER, created_at=NOW)
    assert result.level is Level.MEDIUM


def test_a_username_the_ad_says_is_on_telegram_keeps_the_deal_on_telegram() -> None:
    for text in ("Telegramda yozing: @jasur_93", "Пишите в телеграм: @dilnoza_shop"):
        result = assess(text, PHONE, OLD_SELLER, created_at=NOW)
        assert Reason.USERNAME not in result.reasons, text
        assert not result.shown, text


def test_every_reason_has_a_text_in_every_language() -> None:
    texts = load_texts()
    for reason in Reason:
        for lang in Lang:
            assert texts.get(lang, f"assistant-reason-{reason.value}").strip()

"""Scam and spam signals: each reason in the three languages, no reason on clean ads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vodiy_bozor.assistant.scam import Level, Reason, assess, level_for, text_reasons
from vodiy_bozor.assistant.types import SellerFacts

PHONE = "+998901234567"
NOW = datetime(2026, 11, 1, tzinfo=UTC)
OLD_SELLER = SellerFacts(
    owner_first_seen=NOW - timedelta(days=300), rejections_30d=0, phone_accounts=1
)


@pytest.mark.parametrize(
    "text",
    [
        "Sotiladi iPhone 12, oldindan to'lov 50%, qolganini olganda",
        "Айфон 12 сотилади. Олдиндан тўлов қилсангиз почта орқали юборамиз",
        "Продаю айфон 12, предоплата 30%, отправка почтой",
        "Kartaga pul tashlang, darhol jo'natamiz",
        "Переведите на карту и заберёте завтра",
        "Бронь учун олдиндан пул ташланг",
        "Задаток обязателен",
    ],
)
def test_prepayment_in_three_languages(text: str) -> None:
    assert Reason.PREPAYMENT in text_reasons(text, PHONE)


@pytest.mark.parametrize(
    "text",
    [
        "Nexia 3 sotiladi, oldindan rahmat!",  # thanks in advance
        "Xotira karta 64 gb bilan birga beriladi",  # a memory card
        "Оплата при получении, доставка бесплатно",
        "Sotiladi Cobalt, karobka avtomat, narxi 12 500$",
        "Ижарага уй берилади, залог бир ойлик",  # a rent deposit is normal
    ],
)
def test_ordinary_words_are_not_prepayment(text: str) -> None:
    assert Reason.PREPAYMENT not in text_reasons(text, PHONE)


def test_card_number_links_usernames_other_phones() -> None:
    assert Reason.CARD_NUMBER in text_reasons("Karta: 8600 1234 5678 9012", PHONE)
    assert Reason.LINK in text_reasons("Batafsil: https://arzon.uz/iphone", PHONE)
    assert Reason.LINK in text_reasons("Kanal t.me/arzon_savdo", PHONE)
    assert Reason.LINK in text_reasons("смотрите на bozor24.online", PHONE)
    assert Reason.USERNAME in text_reasons("Пишите @arzon_savdo", PHONE)
    assert Reason.OTHER_PHONE in text_reasons("Qo'shimcha: 93 555 44 33", PHONE)
    assert Reason.OTHER_PHONE not in text_reasons("Tel: 90 123 45 67", PHONE)  # the ad's own
    assert Reason.USERNAME not in text_reasons("email: ali@mail.ru", PHONE)


def test_caps_and_emoji_floods() -> None:
    assert Reason.CAPS in text_reasons("СРОЧНО СОТИЛАДИ НЕКСИЯ 3 ҲОЛАТИ ЗЎР АРЗОН", PHONE)
    assert Reason.CAPS not in text_reasons("Nexia 3 sotiladi, ABS, ESP, LED faralar bor", PHONE)
    assert Reason.EMOJI in text_reasons("🔥🔥🔥🔥🔥🔥🔥🔥 Arzon iPhone", PHONE)
    assert Reason.EMOJI not in text_reasons("🔥 Arzon iPhone 11, holati zo'r", PHONE)


def test_a_clean_ad_has_no_reasons() -> None:
    clean = "Sotiladi Damas 2015, rangi oq, gaz bor. Tel: 90 123 45 67. Farg'ona, Qo'qon"
    result = assess(clean, PHONE, OLD_SELLER, created_at=NOW)
    assert result.level is Level.NONE
    assert result.reasons == ()
    assert not result.shown


def test_seller_facts_add_reasons() -> None:
    facts = SellerFacts(
        owner_first_seen=NOW - timedelta(hours=3), rejections_30d=2, phone_accounts=3
    )
    result = assess("Sotiladi Damas", PHONE, facts, created_at=NOW, too_cheap=True)
    assert set(result.reasons) == {
        Reason.NEW_ACCOUNT,
        Reason.REJECTIONS,
        Reason.SHARED_PHONE,
        Reason.TOO_CHEAP,
    }
    assert result.level is Level.HIGH
    assert result.reasons[0] is Reason.SHARED_PHONE  # strongest first


def test_a_new_account_alone_is_not_shown() -> None:
    facts = SellerFacts(
        owner_first_seen=NOW - timedelta(hours=3), rejections_30d=0, phone_accounts=1
    )
    result = assess("Sotiladi Damas", PHONE, facts, created_at=NOW)
    assert result.level is Level.LOW
    assert not result.shown


def test_levels() -> None:
    assert [level_for(s) for s in (0, 1, 2, 3, 4, 9)] == [
        Level.NONE,
        Level.LOW,
        Level.MEDIUM,
        Level.MEDIUM,
        Level.HIGH,
        Level.HIGH,
    ]
    prepayment = assess("Предоплата 50%", PHONE, OLD_SELLER, created_at=NOW)
    assert prepayment.level is Level.HIGH
    link = assess("Batafsil: arzon.uz", PHONE, OLD_SELLER, created_at=NOW)
    assert link.level is Level.MEDIUM
    assert link.shown

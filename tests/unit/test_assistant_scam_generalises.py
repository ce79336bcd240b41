"""The scam signal on wordings of its own: a "no" before or after a payment word, wages,
deposits of rentals, payment at the shop, sloppy Latin, easy money, loans, a seller abroad,
and signs of one fact counted once. None of these sentences is in an evaluation set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vodiy_bozor.assistant.scam import Level, Reason, assess, score_of, text_reasons
from vodiy_bozor.assistant.types import SellerFacts
from vodiy_bozor.models import Currency, Price

PHONE = "+998901234567"
NOW = datetime(2026, 11, 1, tzinfo=UTC)
OLD_SELLER = SellerFacts(
    owner_first_seen=NOW - timedelta(days=500), rejections_30d=0, phone_accounts=1
)


@pytest.mark.parametrize(
    "text",
    [
        "Без предоплаты не отправляем",  # a "no" that is a demand
        "Oldindan to'lovsiz jo'natmaymiz",
        "Предоплата не менее 50%",
        "Oldindan tolov qilasiz, keyin jonatamiz",  # no apostrophe
        "Avval pulni o'tkazasiz, keyin mashina sizniki",
        "Hujjat uchun avval 100 ming tashlaysiz",
        "Pulni o'tkazsangiz ertaga yuboraman",
        "Xizmat haqi oldindan olinadi",
        "To'lov saytimizda, buyurtma qiling",
        "Оплату за оформление вносите вперёд",
        "Аванс ташлаб band qilib qo'ying",
        "Dostavka bor, oldindan 30%",
        "Zaklat puli 1 mln, qolganini olganda",
        "Avval to'lov, keyin tovar",
        "Ijaraga uy, ko'rish uchun oldindan 100 ming to'lov",  # a fee to view a flat
    ],
)
def test_prepayment_however_it_is_said(text: str) -> None:
    assert Reason.PREPAYMENT in text_reasons(text, PHONE), text


@pytest.mark.parametrize(
    "text",
    [
        "Предоплата не требуется, привезём и покажем",
        "Oldindan to'lov shart emas",
        "Oldindan to'lovsiz, uyga olib borib beramiz",
        "Без предоплаты, оплата курьеру",
        "Zalog yo'q, hujjatlari toza",
        "Mashina garovda emas",
        "Ishchilarga har hafta avans beriladi",  # an advance on wages
        "Зарплата 5 млн, аванс 15-го числа",
        "Уй кунлик ижарага, залог 200 минг қайтарилади",
        "Квартира посуточно, залог возвратный",
        "Naqd yoki kartaga o'tkazma, uchrashganda",
        "Оплата в магазине картой или наличными",
        "To'lov o'rnatilgandan keyin",
        "Pulini qo'lga olganda o'tkazasiz",
        "Уй ижарага, ойига 300$, олдиндан 3 ойлик тўлов",  # rent months ahead
        "Narxi 500 ming, 20% chegirma",
        "Avval ko'ring, keyin pul to'laysiz",  # see first, pay after
    ],
)
def test_no_prepayment_when_the_ad_says_there_is_none(text: str) -> None:
    assert Reason.PREPAYMENT not in text_reasons(text, PHONE), text


@pytest.mark.parametrize(
    "text",
    ["Karta 8600.1234.5678.9012", "Humo: 9860160155556666", "Visa 4278-3100-1234-5678"],
)
def test_card_numbers_written_every_way(text: str) -> None:
    assert Reason.CARD_NUMBER in text_reasons(text, PHONE)


@pytest.mark.parametrize(
    "text",
    [
        "USDT arbitraj, har kuni foyda",
        "Биткоин за 1 день, пишите",
        "Tabriklaymiz, siz telefon yutib oldingiz!",  # a prize
        "Накрутка подписчиков Instagram",
        "Uyda o'tirib kuniga 300 ming daromad",
        "Работа на дому, доход от 2 млн в неделю",
        "Investitsiya: oyiga 20% foyda kafolatlanadi",
    ],
)
def test_easy_money_is_high_on_its_own(text: str) -> None:
    result = assess(text, PHONE, OLD_SELLER, created_at=NOW)
    assert Reason.EASY_MONEY in result.reasons, text
    assert result.level is Level.HIGH


@pytest.mark.parametrize(
    "text",
    [
        "Kuryer kerak, kuniga 200 ming, o'z mashinangiz bilan",  # honest pay
        "Do'kon ijaraga, oyiga 5 mln, investitsiya uchun qulay joy",
        "Avtomobil signalizatsiyasi o'rnatamiz",
        "Samsung televizor, kafolat 1 yil",
        "Konditsioner, kafolat 3 yil, oyiga 500 mingdan nasiya",
        "Ishga operator kerak, tajriba shart emas, oyiga 4 mln",
        "Kuniga 8 soat ish, oyiga 5 mln",
        "Investitsiya uchun foydali joy, kafolatli hujjatlar",
        "Продам дома, доходный бизнес рядом",
        "Я выиграл этот телевизор в конкурсе, продаю",  # the seller's prize, not the reader's
        "Konkursda yutib oldim, sotaman",
    ],
)
def test_pay_and_warranty_are_no_easy_money(text: str) -> None:
    assert Reason.EASY_MONEY not in text_reasons(text, PHONE), text


@pytest.mark.parametrize(
    "text",
    [
        "Kredit beramiz, spravkasiz, 1 kunda",
        "Займы онлайн без отказа",
        "Qarz beraman, foizi kam",
        "Помогу с кредитом при плохой истории",
        "Kredit kerakmi? Spravkasiz beramiz",
    ],
)
def test_loans_offered(text: str) -> None:
    assert Reason.LOAN in text_reasons(text, PHONE), text


@pytest.mark.parametrize(
    "text",
    [
        "Telefon kreditga, Alif nasiya, pasport bilan",
        "Машина в кредите, переоформим в банке",
        "Qarzi yo'q, hujjatlari toza",
        "Telefonlarni kreditga beramiz, foizsiz",
        "Кредит без первоначального взноса, автосалон",
        "Mashina kreditga olib edim, to'lab bo'ldim",
    ],
)
def test_credit_words_of_honest_ads(text: str) -> None:
    assert Reason.LOAN not in text_reasons(text, PHONE), text


def test_a_seller_abroad_is_a_weak_sign_and_strong_with_a_foreign_phone() -> None:
    alone = assess("Egasi Koreyada, ukasi ko'rsatadi", PHONE, OLD_SELLER, created_at=NOW)
    assert Reason.AWAY in alone.reasons
    assert alone.level is Level.MEDIUM
    both = assess("Ҳозир Москвадаман, ёзинг: +7 926 111 22 33", PHONE, OLD_SELLER, created_at=NOW)
    assert {Reason.AWAY, Reason.FOREIGN_PHONE} <= set(both.reasons)
    assert both.level is Level.HIGH
    for here in (
        "Dubaydan olib kelingan, yangi",  # goods from abroad, seller here
        "Продаю машину, я уезжаю в Россию",  # leaving, not gone
        "Men Rossiyaga ketyapman, srochno",
        "Koreyada ishlab chiqarilgan, men sotaman",  # made in Korea
    ):
        assert Reason.AWAY not in text_reasons(here, PHONE), here
    assert Reason.SUBSCRIBE not in text_reasons("Подпишем договор у нотариуса", PHONE)


def test_signs_that_the_deal_leaves_the_channel_count_once() -> None:
    shop = assess("Tortlar, ishlarimiz instagramda: @tort_uy", PHONE, OLD_SELLER, created_at=NOW)
    assert {Reason.USERNAME, Reason.MESSENGER} <= set(shop.reasons)
    assert shop.score == 3
    assert shop.level is Level.MEDIUM
    assert score_of([Reason.LINK, Reason.USERNAME, Reason.CARD_NUMBER]) == 7


def test_whatsapp_is_as_strong_as_a_username() -> None:
    new = SellerFacts(owner_first_seen=NOW - timedelta(hours=3), rejections_30d=0, phone_accounts=1)
    result = assess("Pishite v WhatsApp, telegramga kam kiraman", PHONE, new, created_at=NOW)
    assert result.level is Level.HIGH


def test_an_accessory_for_a_dear_model_is_not_too_good() -> None:
    cheap = Price(amount=25_000, currency=Currency.UZS)
    case = assess("iPhone 15 Pro uchun chexol", PHONE, OLD_SELLER, created_at=NOW, price=cheap)
    assert Reason.TOO_GOOD not in case.reasons
    phone = assess("iPhone 15 Pro yangi", PHONE, OLD_SELLER, created_at=NOW, price=cheap)
    assert Reason.TOO_GOOD in phone.reasons


def test_an_ad_for_another_channel_is_spam_with_its_link() -> None:
    alone = assess("Kanalimizga obuna bo'ling!", PHONE, OLD_SELLER, created_at=NOW)
    assert alone.reasons == (Reason.SUBSCRIBE,)
    assert not alone.shown
    linked = assess("Подписывайтесь: t.me/arzon_bozor_uz", PHONE, OLD_SELLER, created_at=NOW)
    assert {Reason.LINK, Reason.SUBSCRIBE} <= set(linked.reasons)
    assert linked.level is Level.HIGH
    assert Reason.SUBSCRIBE not in text_reasons("Katalog kanalimizda: @mebel_uz", PHONE)


@pytest.mark.parametrize(
    ("text", "usd", "bait"),
    [
        ("Spark 2021, srochno", 2_800, True),
        ("Toyota Camry 2020, rastamojka", 7_000, True),
        ("Lacetti 2018, holati a'lo", 3_000, True),
        ("Lacetti 2018, holati a'lo", 9_800, False),
        ("Nexia 2 2012, gaz", 5_200, False),  # an old body is honestly cheap
        ("Damas 2008", 2_500, False),
    ],
)
def test_too_good_for_the_valleys_cars(text: str, usd: int, bait: bool) -> None:
    price = Price(amount=usd, currency=Currency.USD)
    result = assess(text, PHONE, OLD_SELLER, created_at=NOW, price=price)
    assert (Reason.TOO_GOOD in result.reasons) is bait


def test_nationwide_said_with_the_republic() -> None:
    assert Reason.NATIONWIDE in text_reasons("Butun respublika bo'ylab yetkazamiz", PHONE)
    assert Reason.NATIONWIDE in text_reasons("Доставка в любую точку страны", PHONE)

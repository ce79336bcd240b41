"""The scam of a fee paid before the goods are handed over (delivery, courier, post, "yo'l
kira", customs, insurance, a reservation), against honest ads that mention delivery, fees, the
post and cards innocently. A small labelled set of its own, in the three scripts; none of these
ads is in an evaluation set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vodiy_bozor.assistant.scam import Level, Reason, assess, text_reasons
from vodiy_bozor.assistant.types import SellerFacts

PHONE = "+998901234567"
NOW = datetime(2026, 11, 1, tzinfo=UTC)
OLD_SELLER = SellerFacts(
    owner_first_seen=NOW - timedelta(days=500), rejections_30d=0, phone_accounts=1
)

# (ad, a fee asked before the goods are handed over)
ADS: list[tuple[str, bool]] = [
    # The scam: the fee first, to a card or by transfer, then the goods (they never come).
    (
        "iPhone 13, 128 GB. Toshkentdan pochta orqali yuboraman, pochta xarajatini jo'natishdan "
        "oldin to'laysiz.",
        True,
    ),
    ("Почта харажатини олдиндан тўлайсиз, кейин жўнатаман. Samsung A54, янги.", True),
    ("Диван-кровать, новый. За доставку переведите заранее 150 000, курьер привезёт завтра.", True),
    ("Мотоцикл из Кореи. Растаможка за ваш счёт, сначала оплата, потом отправляем.", True),
    (
        "Bojxona rasmiylashtiruvi uchun 200$ jo'natishdan oldin to'lanadi, keyin mashina yo'lga "
        "chiqadi.",
        True,
    ),
    ("Страховку за груз 300 тысяч оплачиваете до отправки, иначе не отправим.", True),
    ("Курьерские 40 тысяч скиньте мне, и сегодня же отправлю.", True),
    ("Sovutgich, yangi. Bron uchun 100 ming tashlaysiz, qolganini kelib olganingizda.", True),
    ("Бронь 200 минг, ўтказма орқали, машина сизга сақланади.", True),
    ("Sug'urta puli 150 ming, yuborishdan oldin o'tkazasiz.", True),
    ("Растаможка 500$, оплачиваете до отправки, потом машина ваша.", True),
    ("Yo'l kirani oldin tashlab bering, keyin yuk chiqadi. Andijondan Qo'qonga.", True),
    ("Почтовые расходы 35 тыс. за ваш счёт, скидываете до отправки.", True),
    ("Етказиб бериш ҳаққи 50 минг, жўнатишдан олдин тўлайсиз.", True),
    ("Kuryer xizmati 30 ming, oldin o'tkazib qo'yasiz, keyin kuryer chiqadi.", True),
    ("Страховка груза 2%, оплачиваете заранее, доставка по всему Узбекистану.", True),
    ("Йўл кира 80 минг, олдин ташлайсиз, эртага юк жўнайди.", True),
    ("Oldin dostavka pulini tashlang, keyin jo'nataman.", True),
    ("Samarqanddan yuboraman, dostavka 60 ming. Oldindan Paymega tashlaysiz.", True),
    ("Доставка через BTS, 45 тысяч переводите мне на Humo, потом отправлю.", True),
    ("Машина Кореядан, божхона тўлови 1200$ ни олдин ўтказасиз, кейин жўнатамиз.", True),
    ("Bron 50 ming, Click orqali, keyin siz uchun olib qo'yaman.", True),
    # Honest: paid on receipt, to the courier, at the post office, or no fee at all.
    ("Доставка по городу бесплатно, оплата курьеру при получении.", False),
    ("Pochta orqali yuboramiz, to'lov pochtada qo'lga olganda.", False),
    ("Отправляю наложенным платежом, почтовые расходы за счёт покупателя.", False),
    ("Yetkazib berish 20 ming, kuryerga naqd berasiz.", False),
    ("Курьерская доставка 30 000, оплачиваете курьеру на месте.", False),
    ("Bojxonadan o'tgan, rastamojka qilingan, hujjatlari tayyor.", False),
    ("Растаможен, на учёте, страховка до 2027 года.", False),
    ("Sug'urtasi bor, texosmotr o'tgan, bir qo'lda yurgan.", False),
    ("Kartaga o'tkazma ham mumkin, mahsulotni ko'rgandan keyin.", False),
    ("Бронь не нужна, приходите и смотрите.", False),
    ("Yo'l kira o'zimdan, Andijon ichida olib borib beraman.", False),
    ("Почта харажати харидордан, почтада олганда тўлайсиз.", False),
    ("Dostavka pulini oldindan to'lash shart emas, kuryerga berasiz.", False),
    ("Оплата картой или переводом при получении, доставка 25 тыс. курьеру.", False),
    ("Click va Payme qabul qilamiz, do'konimizga kelib oling.", False),
    ("Страховку и растаможку оплачивает продавец, вы платите только при получении.", False),
    ("Bron qilish bepul, to'lov tovarni ko'rganda.", False),
    ("Доставка до подъезда 20 000 сум, деньги отдаёте водителю.", False),
    ("Yetkazib beramiz, to'lov mahsulotni tekshirib bo'lgandan keyin.", False),
    ("Доставка 30 тыс. Оплата потом.", False),
    ("Dostavka ham bor. Ko'rib, tekshirib to'laysiz, keyin olib ketasiz.", False),
    ("Доставка платная, до отправки всё проверим и упакуем.", False),
    ("Pochta orqali ham yuboramiz, avval yozing, keyin to'lov kelishiladi.", False),
    ("Yetkazib berish bor, avval qo'ng'iroq qiling, to'laysiz mahsulotni olganda.", False),
    ("Доставка по городу. Заранее звоните, оплата курьеру.", False),
    ("Dostavka ham bor, bizga kelib to'lab olib ketsangiz ham bo'ladi.", False),
    ("Dostavka 15 ming, to'lovni olib kelganda qilasiz.", False),
    ("Пересылка почтой за ваш счёт, платите на почте при получении.", False),
]


def _found(text: str) -> bool:
    return Reason.PREPAYMENT in text_reasons(text, PHONE)


@pytest.mark.parametrize(("text", "scam"), ADS)
def test_a_fee_before_the_goods_is_prepayment(text: str, scam: bool) -> None:
    assert _found(text) is scam, text


def test_a_fee_first_alone_puts_the_ad_high_on_the_card() -> None:
    # An old account, no link, no card number: the fee asked first is enough on its own.
    ad = "Divan, yangi. Dostavka 60 ming, oldin Paymega o'tkazasiz, keyin jo'nataman."
    result = assess(ad, PHONE, OLD_SELLER, created_at=NOW)
    assert result.reasons == (Reason.PREPAYMENT,)
    assert result.level is Level.HIGH

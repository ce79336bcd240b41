"""Write the second scam evaluation set, `ads.jsonl`, in the format of tests/assistant_eval.

Deterministic (one seeded random generator). `uv run python -m tests.assistant_eval_scam2.make_set
[DIR]` (default: this folder).

Written apart from the first set, with other wordings, to check that the scam signal
generalises: scams that ask for a deposit (`zalog`, `garov puli`, `залог`, `депозит`) or a
payment before the goods in words the first set never uses (`avval pul, keyin tovar`, `сначала
оплата`, `pul o'tkazsangiz jo'natamiz`, Click/Payme/Humo before delivery), Uzcard and Humo card
numbers written every way (8600…, 9860…, with spaces, dashes or none), delivery "all over
Uzbekistan" with payment first, links off Telegram (Instagram, WhatsApp, shortened links, shop
sites), foreign phone numbers, a new account posting many ads in a day, and a price far too good
for the model. Beside them, honest ads that look alike: a rental's deposit, payment by card on
pickup, delivery paid on arrival, `oldindan rahmat`, a memory card, an @username of an old
account, an honest cheap old model. No photos and no duplicates: only the scam labels matter.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LEGIT = 130

# (category, Latin, Cyrillic, Russian, fair low, fair high, currency, bait price text)
ITEMS: list[tuple[str, str, str, str, int, int, str, str]] = [
    (
        "phones",
        "iPhone 15 Pro Max 256gb",
        "Айфон 15 Про Макс 256гб",
        "iPhone 15 Pro Max 256гб",
        1000,
        1300,
        "$",
        "230$",
    ),
    ("phones", "iPhone 14 128gb", "Айфон 14 128гб", "Айфон 14 128 гб", 600, 800, "$", "150$"),
    (
        "phones",
        "Samsung S23 Ultra",
        "Самсунг S23 Ультра",
        "Samsung S23 Ultra",
        750,
        1000,
        "$",
        "1 200 000 so'm",
    ),
    (
        "phones",
        "Redmi Note 13 Pro",
        "Редми Ноте 13 Про",
        "Redmi Note 13 Pro",
        3_000_000,
        4_000_000,
        "so'm",
        "600 ming",
    ),
    ("vehicles", "Cobalt 2022", "Кобальт 2022", "Кобальт 2022", 12_000, 14_000, "$", "3 500$"),
    ("vehicles", "Gentra 2023", "Жентра 2023", "Джентра 2023", 13_000, 15_500, "$", "4 000$"),
    (
        "vehicles",
        "Malibu 2 turbo",
        "Малибу 2 турбо",
        "Малибу 2 турбо",
        23_000,
        28_000,
        "$",
        "7 000$",
    ),
    ("electronics", "MacBook Air M2", "Макбук Эйр М2", "MacBook Air M2", 900, 1200, "$", "200$"),
    ("electronics", "PlayStation 5", "Плейстейшн 5", "PlayStation 5", 450, 600, "$", "1 mln so'm"),
    (
        "electronics",
        "Televizor Samsung 55",
        "Телевизор Самсунг 55",
        "Телевизор Samsung 55",
        5_000_000,
        7_000_000,
        "so'm",
        "900 ming",
    ),
    (
        "appliances",
        "Muzlatkich Samsung",
        "Музлаткич Самсунг",
        "Холодильник Samsung",
        4_000_000,
        6_500_000,
        "so'm",
        "700 000 so'm",
    ),
    (
        "appliances",
        "Konditsioner Artel 12",
        "Кондиционер Артел 12",
        "Кондиционер Artel 12",
        3_500_000,
        5_000_000,
        "so'm",
        "500 ming",
    ),
    (
        "realty",
        "2 xonali kvartira",
        "2 хонали квартира",
        "2-комнатная квартира",
        30_000,
        45_000,
        "$",
        "6 000$",
    ),
    (
        "household",
        "Yumshoq mebel",
        "Юмшоқ мебел",
        "Мягкая мебель",
        4_000_000,
        8_000_000,
        "so'm",
        "800 ming",
    ),
    (
        "clothing",
        "Kelinlik ko'ylak",
        "Келинлик кўйлак",
        "Свадебное платье",
        2_000_000,
        5_000_000,
        "so'm",
        "150 ming",
    ),
    (
        "sports",
        "Velosiped Trinx",
        "Велосипед Trinx",
        "Велосипед Trinx",
        2_500_000,
        4_000_000,
        "so'm",
        "300 ming",
    ),
    (
        "livestock",
        "Sigir, naslli",
        "Сигир, наслли",
        "Корова породистая",
        12_000_000,
        20_000_000,
        "so'm",
        "2 mln",
    ),
]
# fmt: on
REGIONS = ["andijan", "fergana", "namangan", "andijan", "fergana", "namangan", "other"]
CODES = ["90", "91", "93", "94", "97", "98", "99", "33", "88", "77", "95"]

# Legit wordings, and honest ads that look like scams (the hard negatives).
LEGIT_LINES = {
    "latn": [
        "Holati yaxshi, hech qanday muammosi yo'q. Ko'rib olasiz.",
        "Faqat uyga kelib ko'rib olish mumkin.",
        "Jiddiy xaridorlar bezovta qilsin.",
        "Hujjatlari joyida, savdo bor.",
        "Oldindan rahmat, qo'ng'iroq qiling.",
        "To'lov naqd yoki Click orqali, tovarni olganda.",
        "Xotira kartasi ham qo'shib beriladi.",
        "Shahar ichida yetkazib berish bepul, to'lov qabul qilganda.",
        "O'zbekiston bo'ylab BTS pochta orqali yuboramiz, to'lov olganingizda.",
    ],
    "cyrl": [
        "Ҳолати яхши, ҳеч қандай муаммоси йўқ. Кўриб оласиз.",
        "Уйга келиб кўриб олиш мумкин.",
        "Жиддий харидорлар безовта қилсин.",
        "Олдиндан раҳмат.",
        "Тўлов нақд ёки карта орқали, олганингизда.",
        "Хотира картаси билан.",
        "Шаҳар бўйлаб етказиб бериш бор, тўлов қабул қилганда.",
    ],
    "ru": [
        "Состояние хорошее, без проблем. Смотрите вживую.",
        "Оплата наличными или картой при получении.",
        "Заранее спасибо за звонок.",
        "Карта памяти в подарок.",
        "Доставка по городу бесплатно, оплата при получении.",
        "Без посредников, торг при осмотре.",
        "Отправляем по Узбекистану, оплата при получении на почте.",
    ],
}
RENTAL = {
    "latn": "2 xonali kvartira ijaraga beriladi, mebeli bilan. Oyiga 350$, zalog 1 oylik.",
    "cyrl": "Квартира ижарага берилади, 2 хона, мебел бор. Ойига 300$, залог бир ойлик.",
    "ru": "Сдаётся 2-комнатная квартира на длительный срок, 300$ в месяц, залог за месяц.",
}
OLD_USERNAME = {
    "latn": "Telegramda yozing: @{name}",
    "cyrl": "Телеграмда ёзинг: @{name}",
    "ru": "Пишите в телеграм: @{name}",
}
USERNAMES = ["jasur_93", "dilnoza_shop", "akmal1985", "nodir_avto", "mohira_kiyim", "sardor_tel"]

SCAM_LINES = {
    "deposit": {
        "latn": [
            "Ko'rishga kelishdan oldin {dep} zalog tashlaysiz, keyin manzilni beraman.",
            "Garov puli {dep}, kartaga o'tkazasiz, qolganini ko'rganda.",
            "Band qilish uchun {dep} depozit kerak.",
        ],
        "cyrl": [
            "Кўришдан олдин {dep} залог ташлайсиз, кейин манзилни бераман.",
            "Гаров пули {dep}, қолганини кўрганда.",
        ],
        "ru": [
            "Залог {dep}, после этого скажу адрес для осмотра.",
            "Для брони вносите депозит {dep} на карту.",
            "Сначала задаток {dep}, потом смотрите.",
        ],
    },
    "prepay": {
        "latn": [
            "Avval pul, keyin tovar. Pul o'tkazsangiz ertaga jo'natamiz.",
            "To'lovdan keyin pochtaga topshiramiz.",
            "Pulni Payme ga tashlab qo'ying, shu kuni yuboramiz.",
            "100% to'lov qilinganidan keyin yetkazib beriladi.",
            "Click orqali to'lov qilasiz, keyin kuryer olib boradi.",
        ],
        "cyrl": [
            "Аввал пул, кейин товар. Пул ўтказсангиз эртага жўнатамиз.",
            "Тўловдан кейин почтага топширамиз.",
            "Пулни Пайме га ташлаб қўйинг, шу куни юборамиз.",
        ],
        "ru": [
            "Сначала оплата, потом отправка.",
            "Оплата 100% вперёд, отправляем в день оплаты.",
            "Перечислите сумму через Click, и курьер привезёт.",
            "Отправка только после полной оплаты.",
        ],
    },
    "card": {
        "latn": [
            "Uzcard: {card}, to'lab qo'ysangiz yuboraman.",
            "Humo {card} ga tashlang.",
            "Karta {card} (egasi A. Karimov).",
        ],
        "cyrl": ["Узкард: {card}, тўлаб қўйсангиз юбораман.", "Хумо {card} га ташланг."],
        "ru": ["Карта Uzcard {card}, после оплаты отправлю.", "Humo: {card}, жду оплату."],
    },
    "link": {
        "latn": [
            "Ko'proq rasmlar instagram.com/arzon.telefonlar da.",
            "Batafsil: bit.ly/3xKq7Tz",
            "Buyurtma: arzon-savdo.shop",
            "WhatsApp orqali yozing, tezroq javob beraman.",
        ],
        "cyrl": [
            "Кўпроқ расмлар инстаграмда: instagram.com/mega.store.uz",
            "Батафсил: bit.ly/2rTz9Qw",
            "Ватсапга ёзинг, тезроқ жавоб бераман.",
        ],
        "ru": [
            "Все фото на сайте sale-uz.store",
            "Пишите в WhatsApp, в телеграм редко захожу.",
            "Подробнее: bit.ly/4tYw2Kp",
            "Каталог: instagram.com/optom.tashkent",
        ],
    },
    "delivery": {
        "latn": [
            "O'zbekiston bo'ylab yetkazib beramiz, oldindan to'lov bilan.",
            "Barcha viloyatlarga pochta orqali, to'lovdan keyin jo'natamiz.",
        ],
        "cyrl": [
            "Ўзбекистон бўйлаб етказиб берамиз, аввал тўлов.",
            "Барча вилоятларга почта орқали юборамиз, пулни олдиндан ташлайсиз.",
        ],
        "ru": [
            "Доставка по всему Узбекистану, оплата заранее.",
            "Отправляем в любой регион Узбекистана после оплаты.",
        ],
    },
    "foreign": {
        "latn": ["Men hozir Rossiyadaman, WhatsApp: {foreign}", "Tel: {foreign} (faqat yozing)"],
        "cyrl": ["Ҳозир Москвадаман, ёзинг: {foreign}"],
        "ru": ["Я сейчас в Москве, звоните: {foreign}", "Связь только по номеру {foreign}"],
    },
}
FOREIGN = [
    "+7 916 123 45 67",
    "+7 (925) 555-12-34",
    "+992 93 123 4567",
    "+996 555 123 456",
    "+1 917 555 0199",
    "+90 532 123 45 67",
    "+82 10 1234 5678",
    "+7 701 234 56 78",
]
BULK = {
    "latn": "Arzon narxlarda! Ko'proq tovarlar kanalimizda, yetkazib berish bor.",
    "cyrl": "Арзон нархларда! Кўпроқ товарлар бор, етказиб бериш бор.",
    "ru": "Низкие цены! Много товаров в наличии, есть доставка.",
}
OPENERS = {
    "latn": ["Sotiladi", "Sotaman", "Sotuvda", "Srochno sotiladi"],
    "cyrl": ["Сотилади", "Сотаман", "Сотувда"],
    "ru": ["Продаю", "Продается", "Срочно продам"],
}


def _card(rng: random.Random) -> str:
    prefix = rng.choice(["8600", "9860", "5614", "4278"])
    digits = prefix + "".join(str(rng.randint(0, 9)) for _ in range(12))
    style = rng.choice([" ", "-", "", "  "])
    return style.join(digits[i : i + 4] for i in range(0, 16, 4))


def _phone(rng: random.Random) -> str:
    return "+998" + rng.choice(CODES) + f"{rng.randint(0, 9_999_999):07d}"


def _price(low: int, high: int, currency: str, rng: random.Random) -> str:
    value = rng.randint(low, high)
    if currency == "$":
        value = value // 10 * 10 if value < 2000 else value // 100 * 100
        return rng.choice([f"{value}$", f"{value} у.е.", f"${value}"])
    value = value // 100_000 * 100_000
    return rng.choice([f"{value:,}".replace(",", " ") + " so'm", f"{value / 1e6:g} mln"])


def _ad(
    rng: random.Random,
    index: int,
    seller: int,
    *,
    scam: bool,
    kinds: list[str],
    age: float,
    days_ago: float,
    item: tuple[str, str, str, str, int, int, str, str] | None = None,
    legit_kind: str | None = None,
) -> dict[str, Any]:
    lang = rng.choice(["latn", "cyrl", "ru"])
    category, latn, cyrl, ru, low, high, currency, bait = item or rng.choice(ITEMS)
    name = {"latn": latn, "cyrl": cyrl, "ru": ru}[lang]
    parts = [f"{rng.choice(OPENERS[lang])} {name}."]
    price = _price(low, high, currency, rng)
    for kind in kinds:
        if kind == "bait":
            price = bait
            continue
        if kind == "bulk":
            parts.append(BULK[lang])
            continue
        template = rng.choice(SCAM_LINES[kind][lang])
        deposit = rng.choice(["100 ming", "200 000 so'm", "50$", "300 тыс"])
        parts.append(template.format(dep=deposit, card=_card(rng), foreign=rng.choice(FOREIGN)))
    if legit_kind == "rental":
        category, parts, price = "realty", [RENTAL[lang]], "350$"
    elif legit_kind == "username":
        parts.append(OLD_USERNAME[lang].format(name=rng.choice(USERNAMES)))
    elif legit_kind == "lookalike" or not scam:
        parts.append(rng.choice(LEGIT_LINES[lang]))
    if rng.random() < 0.4:
        parts.insert(1, rng.choice(LEGIT_LINES[lang]))
    text = " ".join(parts) if rng.random() < 0.5 else "\n".join(parts)
    return {
        "id": f"s{index:03d}",
        "seller": seller,
        "seller_age_days": age,
        "days_ago": days_ago,
        "category": category,
        "description": text,
        "price": price,
        "phone": _phone(rng),
        "region": rng.choice(REGIONS),
        "photos": [],
        "labels": {"duplicate_of": None, "scam": scam, "category": category, "lang": lang},
    }


def build(rng: random.Random) -> list[dict[str, Any]]:
    plan: list[tuple[float, dict[str, Any]]] = []
    seller = 9000
    # Honest ads first in time, so the categories have prices to compare with.
    for n in range(LEGIT):
        seller += 1
        days_ago = 60 - n * 0.4
        roll = rng.random()
        legit_kind = (
            "rental"
            if roll < 0.06
            else "username"
            if roll < 0.16
            else "lookalike"
            if roll < 0.5
            else None
        )
        age = rng.choice([0.2, 3, 30, 200, 800]) if legit_kind != "username" else 400
        plan.append(
            (
                days_ago,
                _ad(
                    rng,
                    0,
                    seller,
                    scam=False,
                    kinds=[],
                    age=age,
                    days_ago=days_ago,
                    legit_kind=legit_kind,
                ),
            )
        )
    # Scams, spread over the last weeks, of each kind and some combined.
    single = ["deposit", "prepay", "card", "deposit", "prepay", "card", "delivery"]
    combos = [
        ["link", "bait"],
        ["foreign", "bait"],
        ["link", "foreign"],
        ["delivery", "card"],
        ["foreign", "prepay"],
        ["link", "delivery"],
        ["bait", "delivery"],
        ["foreign", "delivery"],
        ["link"],
        ["foreign"],
        ["bait"],
    ]
    for n in range(44):
        seller += 1
        kinds = [rng.choice(single)] if n % 2 == 0 else rng.choice(combos)
        age = rng.choice([0.1, 0.3, 2, 15, 90])
        days_ago = 40 - n * 0.9
        plan.append(
            (days_ago, _ad(rng, 0, seller, scam=True, kinds=kinds, age=age, days_ago=days_ago))
        )
    # New accounts posting many ads in a day.
    for burst in range(3):
        seller += 1
        day = 30 - burst * 9
        for k in range(5):
            plan.append(
                (
                    day - k * 0.02,
                    _ad(
                        rng,
                        0,
                        seller,
                        scam=True,
                        kinds=["bulk"],
                        age=0.05 + k * 0.02,
                        days_ago=day - k * 0.02,
                    ),
                )
            )
    plan.sort(key=lambda pair: -pair[0])
    ads = []
    for index, (_, ad) in enumerate(plan, 1):
        ad["id"] = f"s{index:03d}"
        ads.append(ad)
    return ads


def main(argv: list[str]) -> None:
    folder = Path(argv[0]) if argv else HERE
    ads = build(random.Random(21))
    with (folder / "ads.jsonl").open("w", encoding="utf-8") as f:
        for ad in ads:
            f.write(json.dumps(ad, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])

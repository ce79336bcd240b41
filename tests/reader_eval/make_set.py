"""Write the quick-post reader's generated evaluation set, `generated.jsonl`.

Deterministic (one seeded random generator): running it again writes the same file.
`uv run python -m tests.reader_eval.make_set [DIR]` (default: this folder).

Each line is an ad written as one message, the way the valley's Telegram markets write them,
with the fields it states: `{"id", "text", "category", "price", "region", "district",
"phone"}` in the form of `vodiy-bozor assistant read`. The set varies, independently of one
another: the item (every category, three languages, brand names in their several spellings),
the layout (emoji bullets, one run-on line, plain lines, hashtags), the opener, the price (every
way of writing it, negotiable, free, none, old and new, per month or per piece), the numbers
that are no price (years, memory, rooms, area, km, engine, battery, counts), the phone (every
usual form, two phones, split over lines, none), the place (a district alone, with its region,
with a suffix, in Russian, outside the valley, a region only, none), the apostrophes (' ` ʻ ’
and the new ö ğ ş ç) and typos. The hand-written `hard.jsonl` beside it holds ads written by
hand, not from these templates.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TOTAL = 320

# (category, Uzbek Latin, Uzbek Cyrillic, Russian, low, high, currency, noise per language)
# Noise: numbers that are no price, written next to the item.
Item = tuple[str, str, str, str, int, int, str, tuple[str, str, str]]
ITEMS: list[Item] = [
    (
        "phones",
        "Samsung Galaxy A52",
        "Самсунг А52",
        "Samsung A52",
        2_000_000,
        3_000_000,
        "uzs",
        ("128gb xotira", "128 гб хотира", "память 128гб"),
    ),
    (
        "phones",
        "iPhone 11",
        "Айфон 11",
        "Айфон 11",
        250,
        380,
        "usd",
        ("64 gb, batareya 86%", "64гб, батарея 86%", "64 гб, батарея 86%"),
    ),
    (
        "phones",
        "iPhone 13 Pro Max",
        "iPhone 13 Pro Max",
        "iPhone 13 Pro Max",
        650,
        900,
        "usd",
        ("256gb, akb 91%", "256 гб, акб 91%", "256гб, АКБ 91%"),
    ),
    (
        "phones",
        "Redmi Note 12",
        "Редми Ноте 12",
        "Redmi Note 12",
        1_800_000,
        2_400_000,
        "uzs",
        ("8/256", "8/256", "8/256"),
    ),
    (
        "phones",
        "Tecno Spark 10",
        "Текно Спарк 10",
        "Tecno Spark 10",
        1_200_000,
        1_600_000,
        "uzs",
        ("4/128 2023 yil", "4/128", "4/128"),
    ),
    (
        "phones",
        "Honor X8a telefon",
        "Хонор X8a телефон",
        "телефон Honor X8a",
        1_700_000,
        2_300_000,
        "uzs",
        ("6/128", "6/128", "6/128"),
    ),
    (
        "vehicles",
        "Nexia 3",
        "Нексия 3",
        "Нексия 3",
        8_000,
        11_000,
        "usd",
        ("2019 yil, probeg 85 000 km", "2019 йил, пробег 85 000 км", "2019 года, пробег 85 000 км"),
    ),
    (
        "vehicles",
        "Cobalt",
        "Кобальт",
        "Кобальт",
        10_000,
        13_000,
        "usd",
        ("2021 yil 1.5 motor", "2021 йил 1.5 мотор", "2021 г. мотор 1.5"),
    ),
    (
        "vehicles",
        "Gentra",
        "Жентра",
        "Джентра",
        11_000,
        14_500,
        "usd",
        ("2020 yil, 3 pozitsiya", "2020 йил, 3 позиция", "2020 год, 3 позиция"),
    ),
    (
        "vehicles",
        "Damas",
        "Дамас",
        "Дамас",
        5_500,
        8_000,
        "usd",
        ("2015 yil, metan propan", "2015 йил, метан", "2015 г., метан"),
    ),
    (
        "vehicles",
        "Matiz mashina",
        "Матиз машина",
        "машина Матиз",
        3_500,
        5_000,
        "usd",
        ("2012 yil, yurgani 120 ming km", "2012 йил, юргани 120 минг км", "2012 г., 120 тыс км"),
    ),
    (
        "vehicles",
        "Spark",
        "Спарк",
        "Спарк",
        7_000,
        9_000,
        "usd",
        ("2018 yil 1.2 dvigatel", "2018 йил", "2018 год"),
    ),
    (
        "vehicles",
        "Lacetti 1.8",
        "Ласетти 1.8",
        "Ласетти 1.8",
        9_000,
        12_500,
        "usd",
        ("2014 yil", "2014 йил", "2014 года выпуска"),
    ),
    (
        "realty",
        "2 xonali kvartira",
        "2 хонали квартира",
        "2-комнатная квартира",
        25_000,
        45_000,
        "usd",
        ("3/9 qavat, 56 m²", "3/9 қават, 56 кв.м", "3/9 этаж, 56 м²"),
    ),
    (
        "realty",
        "Hovli uy",
        "Ҳовли уй",
        "Дом с участком",
        30_000,
        90_000,
        "usd",
        ("6 sotix, 4 xona", "6 сотих, 4 хона", "6 соток, 4 комнаты"),
    ),
    (
        "realty",
        "Uchastka",
        "Участка",
        "Участок",
        8_000,
        25_000,
        "usd",
        ("10 sotix, gaz suv bor", "10 сотих, газ сув бор", "10 соток, газ вода есть"),
    ),
    (
        "realty",
        "3 xonali kvartira",
        "3 хонали квартира",
        "3-комнатная квартира",
        35_000,
        60_000,
        "usd",
        ("5 qavatli uyning 2-qavati, 78 kv", "2-қават, 78 кв", "2 этаж, 78 кв.м"),
    ),
    (
        "appliances",
        "Artel muzlatkich",
        "Артел музлаткич",
        "Холодильник Artel",
        2_500_000,
        4_500_000,
        "uzs",
        ("2 kamerali, 2 yil ishlatilgan", "2 камерали", "2 камеры, 180 см"),
    ),
    (
        "appliances",
        "Kir yuvish mashinasi Samsung",
        "Кир ювиш машинаси Samsung",
        "Стиральная машина Samsung",
        2_000_000,
        3_800_000,
        "uzs",
        ("7 kg avtomat", "7 кг автомат", "7 кг автомат"),
    ),
    (
        "appliances",
        "Konditsioner Midea",
        "Кондиционер Midea",
        "Кондиционер Midea",
        3_000_000,
        5_000_000,
        "uzs",
        ("12 lik, 2022 yil", "12 лик", "12-ка, инвертор"),
    ),
    (
        "appliances",
        "Gaz plita",
        "Газ плита",
        "Газовая плита",
        900_000,
        1_800_000,
        "uzs",
        ("4 konforka", "4 конфоркали", "4 конфорки"),
    ),
    (
        "household",
        "Divan",
        "Диван",
        "Диван",
        1_500_000,
        4_000_000,
        "uzs",
        ("3 kishilik, 2 metr", "3 кишилик", "3-местный, 2 м"),
    ),
    (
        "household",
        "Shkaf",
        "Шкаф",
        "Шкаф",
        1_200_000,
        3_000_000,
        "uzs",
        ("3 eshikli, balandligi 2.2 m", "3 эшикли", "3-дверный"),
    ),
    (
        "household",
        "Yotoqxona mebeli",
        "Ётоқхона мебели",
        "Спальный гарнитур",
        6_000_000,
        15_000_000,
        "uzs",
        ("Turkiya, 6 predmet", "Туркия", "Турция, 6 предметов"),
    ),
    (
        "household",
        "Gilam",
        "Гилам",
        "Ковёр",
        700_000,
        2_500_000,
        "uzs",
        ("3x4 o'lchamda", "3x4", "3 на 4"),
    ),
    (
        "clothing",
        "Kelinlik ko'ylagi",
        "Келинлик кўйлаги",
        "Свадебное платье",
        1_000_000,
        3_000_000,
        "uzs",
        ("razmer 44-46", "размер 44-46", "размер 44-46"),
    ),
    (
        "clothing",
        "Qishki kurtka",
        "Қишки куртка",
        "Зимняя куртка",
        300_000,
        900_000,
        "uzs",
        ("razmer 50", "размер 50", "размер 50"),
    ),
    (
        "clothing",
        "Krossovka Nike",
        "Кроссовка Nike",
        "Кроссовки Nike",
        350_000,
        900_000,
        "uzs",
        ("42 razmer", "42 размер", "42 размер"),
    ),
    (
        "sports",
        "Velosiped",
        "Велосипед",
        "Велосипед",
        1_000_000,
        3_500_000,
        "uzs",
        ("26 g'ildirak, 21 skorost", "26 лик ғилдирак", "колёса 26, 21 скорость"),
    ),
    (
        "sports",
        "Trenajor begovaya dorojka",
        "Тренажёр беговая дорожка",
        "Беговая дорожка",
        3_000_000,
        7_000_000,
        "uzs",
        ("120 kg gacha", "120 кг гача", "до 120 кг"),
    ),
    (
        "sports",
        "Gantel",
        "Гантел",
        "Гантели",
        200_000,
        600_000,
        "uzs",
        ("2 ta 10 kg", "2 та 10 кг", "2 шт по 10 кг"),
    ),
    (
        "electronics",
        "Noutbuk Lenovo",
        "Ноутбук Lenovo",
        "Ноутбук Lenovo",
        300,
        700,
        "usd",
        ("Core i5 8 gen, 8 GB RAM, 256 SSD", "Core i5, 8 гб", "Core i5, 8 ГБ ОЗУ, SSD 256"),
    ),
    (
        "electronics",
        "Televizor Samsung Smart TV",
        "Телевизор Samsung Smart TV",
        "Телевизор Samsung Smart TV",
        3_000_000,
        6_000_000,
        "uzs",
        ("43 dyuym", "43 дюйм", "43 дюйма"),
    ),
    (
        "electronics",
        "PlayStation 5",
        "PlayStation 5",
        "PlayStation 5",
        400,
        600,
        "usd",
        ("2 ta djoystik bilan", "2 та джойстик", "2 джойстика"),
    ),
    (
        "livestock",
        "Sigir",
        "Сигир",
        "Корова",
        9_000_000,
        18_000_000,
        "uzs",
        ("3 yoshda, kuniga 15 litr sut", "3 ёшда, кунига 15 литр сут", "3 года, 15 литров в день"),
    ),
    (
        "livestock",
        "Qo'y",
        "Қўй",
        "Бараны",
        1_800_000,
        3_500_000,
        "uzs",
        ("5 bosh, hisori zoti", "5 бош, ҳисори", "5 голов, гиссарские"),
    ),
    (
        "livestock",
        "Tovuq jo'jalar",
        "Товуқ жўжалар",
        "Цыплята бройлер",
        8_000,
        20_000,
        "uzs",
        ("10 kunlik, 100 ta", "10 кунлик, 100 та", "10 дней, 100 шт"),
    ),
    (
        "livestock",
        "Kuchuk",
        "Кучук",
        "Щенок",
        500_000,
        2_000_000,
        "uzs",
        ("2 oylik, nemis ovcharkasi", "2 ойлик", "2 месяца, немецкая овчарка"),
    ),
    (
        "services",
        "Santexnik xizmati",
        "Сантехник хизмати",
        "Услуги сантехника",
        50_000,
        150_000,
        "uzs",
        ("10 yil tajriba", "10 йил тажриба", "опыт 10 лет"),
    ),
    (
        "services",
        "Ingliz tili repetitor",
        "Инглиз тили репетитор",
        "Репетитор английского",
        300_000,
        600_000,
        "uzs",
        ("haftada 3 marta", "ҳафтада 3 марта", "3 раза в неделю"),
    ),
]
# fmt: on

OPENERS = {
    "latn": ["Sotiladi", "Sotaman", "Srochno sotiladi", "SOTILADI", "Sotuvda", "Sotiladi!!!", ""],
    "cyrl": ["Сотилади", "Сотаман", "Срочно сотилади", "СОТИЛАДИ", "Сотувда", ""],
    "ru": ["Продаю", "Продается", "Срочно продам", "В продаже", "ПРОДАМ", ""],
}
CONDITION = {
    "latn": [
        "holati a'lo",
        "ideal holatda",
        "yangi",
        "hech qanday muammosi yo'q",
        "zo'r holatda",
        "ishlatilgan, lekin yaxshi",
        "karobka dokument bor",
    ],
    "cyrl": [
        "ҳолати аъло",
        "идеал ҳолатда",
        "янги",
        "ҳеч қандай муаммоси йўқ",
        "қутиси бор",
        "зўр ҳолатда",
    ],
    "ru": [
        "в отличном состоянии",
        "идеальное состояние",
        "новый",
        "без проблем",
        "коробка документы есть",
        "состояние хорошее",
    ],
}
PRICE_LABEL = {
    "latn": ["Narxi:", "Narxi", "Narx -", "💰 Narxi:", "💰", "Narxi ", "narxi:"],
    "cyrl": ["Нархи:", "Нархи", "💰 Нархи:", "💵", "Нарх:", "нархи"],
    "ru": ["Цена:", "Цена", "💰 Цена:", "💵", "цена -", "Стоимость:"],
}
PHONE_LABEL = {
    "latn": ["Tel:", "Tel", "📞", "☎️", "Aloqa uchun:", "Murojaat uchun:", "Nomer:", "tel."],
    "cyrl": ["Тел:", "📞", "☎️", "Мурожаат учун:", "Алоқа:", "Тел."],
    "ru": ["Тел:", "📞", "☎️", "Телефон:", "Звоните:", "Номер:"],
}
PLACE_LABEL = {
    "latn": ["📍", "Manzil:", "📍 Manzil:", "", ""],
    "cyrl": ["📍", "Манзил:", "📍 Манзил:", "", ""],
    "ru": ["📍", "Адрес:", "📍 Адрес:", "", ""],
}
NEGOTIABLE = {
    "latn": ["kelishiladi", "kelishamiz", "Narxi kelishiladi", "narxi kelishilgan holda"],
    "cyrl": ["келишилади", "Нархи келишилади", "келишамиз"],
    "ru": ["договорная", "Цена договорная", "торг", "цена договорная"],
}
FREE = {
    "latn": ["bepul", "Bepul beraman"],
    "cyrl": ["бепул", "Бепулга бераман"],
    "ru": ["бесплатно", "Отдам бесплатно"],
}

# (district as read, region, Latin, Uzbek Cyrillic, Russian)
PLACES: list[tuple[str | None, str, str, str, str]] = [
    ("Asaka", "andijan", "Asaka", "Асака", "Асака"),
    ("Shahrixon", "andijan", "Shahrixon", "Шаҳрихон", "Шахрихан"),
    ("Xojaobod", "andijan", "Xo'jaobod", "Хўжаобод", "Ходжаабад"),
    ("Qorgontepa", "andijan", "Qo'rg'ontepa", "Қўрғонтепа", "Кургантепа"),
    ("Izboskan", "andijan", "Izboskan", "Избоскан", "Избаскан"),
    ("Paxtaobod", "andijan", "Paxtaobod", "Пахтаобод", "Пахтаабад"),
    ("Oltinkol", "andijan", "Oltinko'l", "Олтинкўл", "Алтынкуль"),
    ("Jalaquduq", "andijan", "Jalaquduq", "Жалақудуқ", "Джалакудук"),
    ("Buloqboshi", "andijan", "Buloqboshi", "Булоқбоши", "Булакбаши"),
    ("Xonobod", "andijan", "Xonobod", "Хонобод", "Ханабад"),
    ("Margilon", "fergana", "Marg'ilon", "Марғилон", "Маргилан"),
    ("Qoqon", "fergana", "Qo'qon", "Қўқон", "Коканд"),
    ("Quvasoy", "fergana", "Quvasoy", "Қувасой", "Кувасай"),
    ("Quva", "fergana", "Quva", "Қува", "Кува"),
    ("Rishton", "fergana", "Rishton", "Риштон", "Риштан"),
    ("Beshariq", "fergana", "Beshariq", "Бешариқ", "Бешарык"),
    ("Oltiariq", "fergana", "Oltiariq", "Олтиариқ", "Алтыарык"),
    ("Bogdod", "fergana", "Bag'dod", "Боғдод", "Багдад"),
    ("Dangara", "fergana", "Dang'ara", "Данғара", "Дангара"),
    ("Uchkoprik", "fergana", "Uchko'prik", "Учкўприк", "Учкуприк"),
    ("Yozyovon", "fergana", "Yozyovon", "Ёзёвон", "Язъяван"),
    ("Buvayda", "fergana", "Buvayda", "Бувайда", "Бувайда"),
    ("Chust", "namangan", "Chust", "Чуст", "Чуст"),
    ("Chortoq", "namangan", "Chortoq", "Чортоқ", "Чартак"),
    ("Kosonsoy", "namangan", "Kosonsoy", "Косонсой", "Касансай"),
    ("Uychi", "namangan", "Uychi", "Уйчи", "Уйчи"),
    ("Toraqorgon", "namangan", "To'raqo'rg'on", "Тўрақўрғон", "Туракурган"),
    ("Uchqorgon", "namangan", "Uchqo'rg'on", "Учқўрғон", "Учкурган"),
    ("Yangiqorgon", "namangan", "Yangiqo'rg'on", "Янгиқўрғон", "Янгикурган"),
    ("Mingbuloq", "namangan", "Mingbuloq", "Мингбулоқ", "Мингбулак"),
    ("Toshkent", "other", "Toshkent", "Тошкент", "Ташкент"),
    ("Samarqand", "other", "Samarqand", "Самарқанд", "Самарканд"),
    ("Qarshi", "other", "Qarshi", "Қарши", "Карши"),
    ("Buxoro", "other", "Buxoro", "Бухоро", "Бухара"),
]
CITIES: list[tuple[str, str, str, str, str]] = [
    ("Andijon", "andijan", "Andijon", "Андижон", "Андижан"),
    ("Fargona", "fergana", "Farg'ona", "Фарғона", "Фергана"),
    ("Namangan", "namangan", "Namangan", "Наманган", "Наманган"),
]
REGION_OF = {
    "andijan": ("Andijon", "Андижон", "Андижанская"),
    "fergana": ("Farg'ona", "Фарғона", "Ферганская"),
    "namangan": ("Namangan", "Наманган", "Наманганская"),
}
CODES = ["90", "91", "93", "94", "95", "97", "98", "99", "33", "88", "77", "50", "20"]


@dataclass
class Ad:
    lang: str
    parts: list[str]


def apostrophes(text: str, rng: random.Random) -> str:
    """Every way the Uzbek apostrophe is typed, and the new alphabet's letters."""
    style = rng.choice(["'", "'", "`", "ʻ", "’", "", "new"])
    if style == "new":
        for old, new in (
            ("o'", "ö"),
            ("O'", "Ö"),
            ("g'", "ğ"),
            ("G'", "Ğ"),
            ("sh", "ş"),
            ("Sh", "Ş"),
            ("ch", "ç"),
            ("Ch", "Ç"),
        ):
            text = text.replace(old, new)
        return text
    return text.replace("'", style)


def group(amount: int, sep: str) -> str:
    return f"{amount:,}".replace(",", sep)


def money(amount: int, currency: str, lang: str, rng: random.Random) -> str:
    if currency == "usd":
        forms = [
            f"{amount}$",
            f"${amount}",
            f"{amount} $",
            f"{amount} у.е.",
            f"{amount} y.e.",
            f"{amount} долл",
            f"{amount} dollar",
            f"{group(amount, ' ')}$",
            f"{group(amount, '.')} $",
            f"{amount} usd",
            f"{amount}у.е",
        ]
        if amount >= 1000 and amount % 1000 == 0:
            k = amount // 1000
            forms += [f"{k} минг доллар", f"{k} ming dollar", f"{k} ming $", f"{k}k$"]
        elif amount >= 1000 and amount % 100 == 0:
            decimal = f"{amount / 1000:.1f}"
            forms += [f"{decimal} ming y.e.", f"{decimal.replace('.', ',')} минг доллар"]
        return rng.choice(forms)
    forms = [
        group(amount, " "),
        group(amount, "."),
        str(amount),
        f"{group(amount, ' ')} so'm",
        f"{group(amount, ' ')} сўм",
        f"{amount} сум",
        f"{group(amount, ',')} uzs",
    ]
    if amount >= 1_000_000 and amount % 100_000 == 0:
        m = amount / 1_000_000
        text = f"{m:g}"
        forms += [
            f"{text.replace('.', ',')} млн",
            f"{text}mln",
            f"{text} mln so'm",
            f"{text.replace('.', ',')} миллион",
            f"{text} млн сўм",
        ]
    if amount < 1_000_000 and amount % 1_000 == 0:
        k = amount // 1000
        forms += [f"{k} минг", f"{k} ming", f"{k}к", f"{k}k", f"{k} тыс", f"{k} минг сўм", f"{k}K"]
    return rng.choice(forms)


def round_amount(amount: int, currency: str) -> int:
    if currency == "usd":
        return amount // 100 * 100 if amount > 2000 else amount // 10 * 10
    step = 100_000 if amount >= 1_000_000 else 1_000
    return amount // step * step


def phone_text(national: str, rng: random.Random) -> str:
    a, b, c, d = national[:2], national[2:5], national[5:7], national[7:]
    forms = [
        f"+998 {a} {b} {c} {d}",
        f"+998{national}",
        f"998{national}",
        f"{a} {b} {c} {d}",
        f"{a}-{b}-{c}-{d}",
        national,
        f"({a}) {b}-{c}-{d}",
        f"+998 ({a}) {b}-{c}-{d}",
        f"8 {a} {b} {c} {d}",
        f"{a} {b}{c}{d}",
        f"+998 {a} {b}-{c}-{d}",
        f"{a}.{b}.{c}.{d}",
    ]
    return rng.choice(forms)


def make_ad(index: int, rng: random.Random) -> dict[str, Any]:
    lang = rng.choice(["latn", "latn", "cyrl", "cyrl", "ru", "mixed"])
    text_lang = "latn" if lang == "mixed" else lang
    item = rng.choice(ITEMS)
    category, latn, cyrl, ru, low, high, currency, noise = item
    name = {"latn": latn, "cyrl": cyrl, "ru": ru}[text_lang]
    noise_text = noise[("latn", "cyrl", "ru").index(text_lang)]
    lines: list[str] = []
    opener = rng.choice(OPENERS[text_lang])
    head = f"{opener} {name}".strip() if rng.random() < 0.8 else name
    if rng.random() < 0.4:
        head = rng.choice(["🔥 ", "✅ ", "📱 ", "🚗 ", "🏠 ", "‼️ ", "⚡️"]) + head
    lines.append(head)
    if rng.random() < 0.75:
        lines.append(noise_text)
    cond_lang = "cyrl" if lang == "mixed" and rng.random() < 0.5 else text_lang
    lines.append(rng.choice(CONDITION[cond_lang]))

    # The price.
    roll = rng.random()
    price: Any
    price_line: str | None
    label = rng.choice(PRICE_LABEL[text_lang])
    if roll < 0.07:
        price, price_line = None, None
    elif roll < 0.15:
        price, price_line = "negotiable", rng.choice(NEGOTIABLE[text_lang])
    elif roll < 0.18:
        price, price_line = {"amount": 0, "currency": "UZS"}, rng.choice(FREE[text_lang])
    else:
        amount = round_amount(rng.randint(low, high), currency)
        written = money(amount, currency, text_lang, rng)
        price = {"amount": amount, "currency": currency.upper()}
        price_line = f"{label} {written}"
        if roll > 0.9:
            old = round_amount(int(amount * rng.uniform(1.08, 1.25)), currency)
            old_written = money(old, currency, text_lang, rng)
            price_line = rng.choice(
                {
                    "latn": [
                        f"Eski narxi {old_written}, yangi narxi {written}",
                        f"eski narx {old_written} endi {written}",
                    ],
                    "cyrl": [
                        f"Эски нархи {old_written}, янги нархи {written}",
                        f"эски нархи {old_written}\nянги нархи {written}",
                    ],
                    "ru": [
                        f"Было {old_written}, сейчас {written}",
                        f"Старая цена {old_written}, новая цена {written}",
                    ],
                }[text_lang]
            )
            if "endi" in price_line:
                price_line = f"eski narxi {old_written}, yangi narxi {written}"
        elif rng.random() < 0.25:
            price_line += rng.choice(
                [" torg bor", " торг", " kelishamiz", " savdo bor", " окончательно", ""]
            )
    # The place.
    roll = rng.random()
    region: str | None
    district: str | None
    place_line: str | None
    label = rng.choice(PLACE_LABEL[text_lang])
    if roll < 0.1:
        region, district, place_line = None, None, None
    elif roll < 0.2:
        district_name, region, *names = rng.choice(CITIES)
        district = district_name
        written = names[("latn", "cyrl", "ru").index(text_lang)]
        place_line = {
            "latn": rng.choice([f"{written} shahri", f"{written} shahrida", f"{written} sh."]),
            "cyrl": rng.choice([f"{written} шаҳри", f"{written} шаҳрида", f"{written} ш."]),
            "ru": rng.choice([f"г. {written}", f"город {written}", f"г.{written}"]),
        }[text_lang]
    elif roll < 0.27:
        region = rng.choice(list(REGION_OF))
        district = None
        region_names = REGION_OF[region]
        place_line = {
            "latn": f"{region_names[0]} viloyati",
            "cyrl": f"{region_names[1]} вилояти",
            "ru": f"{region_names[2]} область",
        }[text_lang]
    else:
        district, region, platn, pcyrl, pru = rng.choice(PLACES)
        written = {"latn": platn, "cyrl": pcyrl, "ru": pru}[text_lang]
        style = rng.random()
        if region != "other" and style < 0.2:
            reg = REGION_OF[region]
            place_line = {
                "latn": f"{reg[0]} viloyati {written} tumani",
                "cyrl": f"{reg[1]} вилояти {written} тумани",
                "ru": f"{reg[2]} обл., {written}",
            }[text_lang]
        elif style < 0.45:
            place_line = {
                "latn": rng.choice(
                    [
                        f"{written}da",
                        f"{written} tumani",
                        f"{written} tumanida",
                        f"{written} shahrida",
                        f"{written}dan",
                    ]
                ),
                "cyrl": rng.choice(
                    [f"{written}да", f"{written} тумани", f"{written} туманида", f"{written}дан"]
                ),
                "ru": rng.choice(
                    [
                        f"в {written}е" if written[-1] not in "ауя" else f"в {written[:-1]}е",
                        f"{written}ский район" if written[-1] not in "ауяи" else f"{written}",
                        f"г. {written}",
                    ]
                ),
            }[text_lang]
        else:
            place_line = written
        place_line = place_line.replace("ii", "i")
    place_line = f"{label} {place_line}".strip() if place_line else None

    # The phone(s).
    roll = rng.random()
    phone: str | None
    national = rng.choice(CODES) + f"{rng.randint(0, 9_999_999):07d}"
    phone_lines: list[str] = []
    plabel = rng.choice(PHONE_LABEL[text_lang])
    if roll < 0.07:
        phone = None
    else:
        phone = "998" + national
        first = phone_text(national, rng)
        if roll < 0.2:
            second = phone_text(rng.choice(CODES) + f"{rng.randint(0, 9_999_999):07d}", rng)
            phone_lines.append(
                f"{plabel} {first}, {second}"
                if rng.random() < 0.5
                else f"{plabel} {first}\n{second}"
            )
        elif roll < 0.25:
            phone_lines.append(f"{plabel}\n{first}")
        else:
            phone_lines.append(f"{plabel} {first}".strip())

    layout = rng.random()
    body = lines[:]
    tail = [x for x in (price_line, place_line, *phone_lines) if x]
    rng.shuffle(tail) if rng.random() < 0.3 else None
    if layout < 0.35:
        bullets = ["✅", "▪️", "🔹", "➖", "✔️", "•"]
        bullet = rng.choice(bullets)
        text = "\n".join([body[0], *(f"{bullet} {x}" for x in body[1:]), *tail])
    elif layout < 0.6:
        text = ". ".join([", ".join(body), *(t.replace("\n", " ") for t in tail)])
    else:
        text = "\n".join([*body, *tail])
    if rng.random() < 0.3:
        tags = {
            "phones": "#telefon",
            "vehicles": "#avto",
            "realty": "#uy",
            "appliances": "#texnika",
            "household": "#mebel",
            "clothing": "#kiyim",
            "sports": "#sport",
            "electronics": "#elektronika",
            "livestock": "#chorva",
            "services": "#xizmat",
        }
        text += f"\n\n{tags[category]} #sotiladi"
    if text_lang == "latn":
        text = apostrophes(text, rng)
    return {
        "id": f"g{index:03d}",
        "text": text,
        "category": category,
        "price": price,
        "region": region,
        "district": district,
        "phone": phone,
        "lang": lang,
    }


def main(argv: list[str]) -> None:
    folder = Path(argv[0]) if argv else HERE
    rng = random.Random(19)
    with (folder / "generated.jsonl").open("w", encoding="utf-8") as f:
        for index in range(1, TOTAL + 1):
            f.write(json.dumps(make_ad(index, rng), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])

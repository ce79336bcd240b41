"""Write the assistant's evaluation set: `ads.jsonl` and small synthetic JPEG photos.

Deterministic (one seeded random generator): running it again writes the same files.
`uv run python -m tests.assistant_eval.make_set [DIR]` (default: this folder).

The ads are written in Uzbek Latin, Uzbek Cyrillic and Russian from many templates, slots and
synonyms; among them are deliberate duplicates (the same seller posting again with other words,
or another account with the photos resized, re-compressed or cropped), scams (prepayment, card
numbers, links, @usernames, new accounts, far too cheap) and seller-chosen categories that are
wrong. Photos are random shapes on gradients, distinct per item.
"""

from __future__ import annotations

import io
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFilter

from vodiy_bozor.text.script import uz_latin_to_cyrillic

HERE = Path(__file__).resolve().parent
TOTAL = 330

# item: (uz_latn name, ru name, low, high, currency "uzs"/"usd", details uz, details ru)
ITEMS: dict[str, list[tuple[str, str, int, int, str]]] = {
    "phones": [
        ("iPhone 11 64gb", "iPhone 11 64гб", 280, 380, "usd"),
        ("iPhone 12 Pro 128 gb", "Айфон 12 Про 128гб", 450, 600, "usd"),
        ("iPhone 13 Pro Max", "iPhone 13 Pro Max", 650, 850, "usd"),
        ("iPhone XR", "Айфон XR", 180, 250, "usd"),
        ("Samsung Galaxy A52", "Samsung Galaxy A52", 2_200_000, 3_000_000, "uzs"),
        ("Samsung Galaxy S21 Ultra", "Самсунг S21 Ultra", 400, 550, "usd"),
        ("Redmi Note 10 Pro", "Redmi Note 10 Pro", 1_900_000, 2_600_000, "uzs"),
        ("Redmi 9A", "Редми 9А", 900_000, 1_200_000, "uzs"),
        ("Honor X8", "Honor X8", 1_800_000, 2_400_000, "uzs"),
        ("Tecno Spark 10", "Текно Спарк 10", 1_300_000, 1_700_000, "uzs"),
        ("Nokia tugmali telefon", "кнопочный телефон Nokia", 150_000, 250_000, "uzs"),
        ("Poco X3 Pro", "Poco X3 Pro", 2_000_000, 2_600_000, "uzs"),
    ],
    "vehicles": [
        ("Nexia 3", "Нексия 3", 8_500, 11_000, "usd"),
        ("Cobalt 2020", "Кобальт 2020", 10_500, 12_500, "usd"),
        ("Gentra", "Джентра", 11_000, 14_000, "usd"),
        ("Damas", "Дамас", 6_000, 8_000, "usd"),
        ("Matiz", "Матиз", 3_800, 5_000, "usd"),
        ("Spark", "Спарк", 7_000, 8_500, "usd"),
        ("Lacetti 1.8", "Ласетти 1.8", 9_000, 12_000, "usd"),
        ("Malibu 2", "Малибу 2", 22_000, 27_000, "usd"),
        ("Tico", "Тико", 1_500, 2_300, "usd"),
        ("Jiguli 07", "Жигули 07", 2_000, 3_000, "usd"),
        ("Labo", "Лабо", 5_500, 7_000, "usd"),
    ],
    "realty": [
        ("3 xonali kvartira", "3-комнатная квартира", 35_000, 60_000, "usd"),
        ("2 xonali kvartira", "2-комнатная квартира", 25_000, 40_000, "usd"),
        ("hovli joy 6 sotix", "дом с участком 6 соток", 40_000, 90_000, "usd"),
        ("4 sotix yer uchastka", "земельный участок 4 сотки", 12_000, 25_000, "usd"),
        ("1 xonali kvartira ijaraga", "1-комнатная квартира в аренду", 2_000_000, 3_500_000, "uzs"),
        ("hovli uy 8 sotix", "частный дом 8 соток", 50_000, 120_000, "usd"),
        ("do'kon joyi", "помещение под магазин", 20_000, 45_000, "usd"),
    ],
    "appliances": [
        ("Artel muzlatkich", "холодильник Artel", 3_000_000, 5_500_000, "uzs"),
        (
            "Samsung kir yuvish mashinasi 7 kg",
            "стиральная машина Samsung 7 кг",
            3_500_000,
            5_000_000,
            "uzs",
        ),
        ("konditsioner 12-lik", "кондиционер 12-ка", 3_000_000, 4_500_000, "uzs"),
        ("changyutgich LG", "пылесос LG", 900_000, 1_500_000, "uzs"),
        ("gaz plita 4 konforkali", "газовая плита 4 конфорки", 1_500_000, 2_500_000, "uzs"),
        ("mikroto'lqinli pech", "микроволновка", 600_000, 1_000_000, "uzs"),
        ("suv isitgich Ariston", "водонагреватель Ariston", 1_200_000, 1_900_000, "uzs"),
        ("Beko muzlatkich no frost", "холодильник Beko no frost", 4_000_000, 6_500_000, "uzs"),
    ],
    "household": [
        ("yumshoq mebel divan", "мягкая мебель диван", 2_500_000, 5_000_000, "uzs"),
        ("oshxona mebeli", "кухонный гарнитур", 4_000_000, 8_000_000, "uzs"),
        ("yotoqxona mebeli", "спальный гарнитур", 6_000_000, 12_000_000, "uzs"),
        ("shkaf kupe", "шкаф-купе", 2_000_000, 3_500_000, "uzs"),
        ("stol va 6 ta stul", "стол и 6 стульев", 1_500_000, 3_000_000, "uzs"),
        ("gilam 3x4", "ковёр 3 на 4", 800_000, 2_000_000, "uzs"),
        ("bolalar krovati", "детская кроватка", 600_000, 1_200_000, "uzs"),
        ("qozon 20 litrli", "казан 20 литров", 300_000, 600_000, "uzs"),
    ],
    "clothing": [
        ("qishki kurtka", "зимняя куртка", 300_000, 700_000, "uzs"),
        ("kelinlik ko'ylagi", "свадебное платье", 2_000_000, 5_000_000, "uzs"),
        ("erkaklar kostyumi", "мужской костюм", 600_000, 1_500_000, "uzs"),
        ("Nike krossovka 42 razmer", "кроссовки Nike 42 размер", 400_000, 900_000, "uzs"),
        ("bolalar kiyimlari to'plami", "комплект детской одежды", 150_000, 400_000, "uzs"),
        ("ayollar paltosi", "женское пальто", 500_000, 1_200_000, "uzs"),
        ("atlas ko'ylak", "платье из атласа", 250_000, 600_000, "uzs"),
    ],
    "sports": [
        ("velotrenajor", "велотренажёр", 2_000_000, 3_500_000, "uzs"),
        ("gantellar 2x10 kg", "гантели 2 по 10 кг", 300_000, 600_000, "uzs"),
        ("yugurish yo'lakchasi", "беговая дорожка", 4_000_000, 7_000_000, "uzs"),
        ("futbol to'pi Adidas", "футбольный мяч Adidas", 150_000, 350_000, "uzs"),
        ("boks perchatkalari", "боксёрские перчатки", 200_000, 450_000, "uzs"),
        ("tennis raketkasi", "теннисная ракетка", 400_000, 900_000, "uzs"),
        ("turnik va brusya", "турник и брусья", 500_000, 900_000, "uzs"),
    ],
    "electronics": [
        ("noutbuk Lenovo i5", "ноутбук Lenovo i5", 450, 650, "usd"),
        ("televizor Samsung 43 dyuym", "телевизор Samsung 43 дюйма", 3_500_000, 5_000_000, "uzs"),
        ("PlayStation 4", "PlayStation 4", 250, 350, "usd"),
        ("kompyuter to'liq komplekt", "компьютер в сборе", 500, 900, "usd"),
        ("monitor 24 dyuym", "монитор 24 дюйма", 1_300_000, 2_000_000, "uzs"),
        ("fotoapparat Canon", "фотоаппарат Canon", 400, 700, "usd"),
        ("AirPods Pro quloqchin", "наушники AirPods Pro", 1_200_000, 2_000_000, "uzs"),
    ],
    "livestock": [
        ("sog'in sigir", "дойная корова", 12_000_000, 18_000_000, "uzs"),
        ("qo'chqor", "баран", 3_000_000, 5_500_000, "uzs"),
        ("qo'ylar 5 bosh", "овцы 5 голов", 12_000_000, 20_000_000, "uzs"),
        ("echki", "коза", 1_500_000, 2_500_000, "uzs"),
        ("tovuqlar", "куры несушки", 60_000, 90_000, "uzs"),
        ("buzoq", "телёнок", 5_000_000, 8_000_000, "uzs"),
        ("kaptarlar", "голуби", 100_000, 300_000, "uzs"),
    ],
    "services": [
        (
            "konditsioner o'rnatish va ta'mirlash",
            "установка и ремонт кондиционеров",
            150_000,
            300_000,
            "uzs",
        ),
        ("ingliz tili repetitor", "репетитор по английскому", 400_000, 800_000, "uzs"),
        ("yuk tashish xizmati Damas", "грузоперевозки на Дамасе", 100_000, 250_000, "uzs"),
        ("santexnik xizmati", "услуги сантехника", 80_000, 200_000, "uzs"),
        ("to'y va tadbirlarga videosyomka", "видеосъёмка свадеб", 1_000_000, 3_000_000, "uzs"),
        ("kafel yotqizish ustasi", "мастер по укладке плитки", 60_000, 120_000, "uzs"),
    ],
}

# Where a seller wrongly puts an item (the category they confuse it with).
CONFUSED = {
    "phones": "electronics",
    "electronics": "phones",
    "appliances": "household",
    "household": "appliances",
    "services": "other",
    "sports": "other",
    "clothing": "other",
    "livestock": "other",
    "vehicles": "other",
    "realty": "services",
}

DETAILS_UZ = {
    "phones": [
        "batareya {bat}%",
        "xotirasi {mem} gb",
        "korobka dokument bor",
        "ekrani butun",
        "hech qayeri ochilmagan",
        "zaryadkasi bilan",
        "face id ishlaydi",
        "2 ta sim",
    ],
    "vehicles": [
        "yili {year}",
        "probeg {km} ming km",
        "rangi oq",
        "gaz bor, propan",
        "kraska toza",
        "motor ideal",
        "karobka avtomat",
        "kondisioner ishlaydi",
        "balon yangi",
    ],
    "realty": [
        "{floor}-qavat",
        "evro remont",
        "gaz, suv, svet bor",
        "hujjatlari tayyor",
        "maktab va bog'cha yaqin",
        "{area} kvadrat",
        "kadastr bor",
    ],
    "appliances": [
        "ishlashi zo'r",
        "garantiyasi bor",
        "kam ishlatilgan",
        "rangi kumush",
        "yetkazib berish bor",
        "hech qanday muammosi yo'q",
    ],
    "household": [
        "rangi jigarrang",
        "yangi holatda",
        "mahalliy ishlab chiqarish",
        "yig'ib berish bor",
        "sifati yaxshi",
        "Turkiya mahsuloti",
    ],
    "clothing": [
        "razmeri {size}",
        "bir marta kiyilgan",
        "yangi, etiketkasi bilan",
        "sifati zo'r",
        "Turkiya",
        "rangi qora",
    ],
    "sports": [
        "kam ishlatilgan",
        "uyda shug'ullanish uchun",
        "yangi holatda",
        "og'irligi {kg} kg",
        "sifati yaxshi",
    ],
    "electronics": [
        "ishlashi a'lo",
        "zaryadkasi bilan",
        "hech qanday nosozligi yo'q",
        "xotirasi {mem} gb",
        "korobkasi bor",
    ],
    "livestock": ["naslli", "sog'lom", "{age} yoshda", "emlangan", "kuniga {milk} litr sut"],
    "services": [
        "tajriba {exp} yil",
        "sifatli va tez",
        "kafolat beramiz",
        "shahar bo'ylab chiqib boramiz",
        "har kuni 9:00 dan 20:00 gacha",
    ],
}
DETAILS_RU = {
    "phones": [
        "батарея {bat}%",
        "память {mem} гб",
        "коробка документы есть",
        "экран целый",
        "не вскрывался",
        "с зарядкой",
        "face id работает",
        "2 сим",
    ],
    "vehicles": [
        "год {year}",
        "пробег {km} тыс км",
        "цвет белый",
        "газ пропан",
        "краска родная",
        "мотор идеальный",
        "коробка автомат",
        "кондиционер работает",
        "резина новая",
    ],
    "realty": [
        "{floor} этаж",
        "евроремонт",
        "газ, вода, свет есть",
        "документы готовы",
        "рядом школа и садик",
        "{area} кв.м",
        "кадастр есть",
    ],
    "appliances": [
        "работает отлично",
        "есть гарантия",
        "мало б/у",
        "цвет серебристый",
        "есть доставка",
        "никаких проблем",
    ],
    "household": [
        "цвет коричневый",
        "в новом состоянии",
        "местное производство",
        "сборка есть",
        "качество хорошее",
        "Турция",
    ],
    "clothing": [
        "размер {size}",
        "одевали один раз",
        "новое, с биркой",
        "качество супер",
        "Турция",
        "цвет чёрный",
    ],
    "sports": [
        "мало б/у",
        "для занятий дома",
        "в новом состоянии",
        "вес {kg} кг",
        "качество хорошее",
    ],
    "electronics": [
        "работает отлично",
        "с зарядкой",
        "без дефектов",
        "память {mem} гб",
        "есть коробка",
    ],
    "livestock": [
        "породистая",
        "здоровая",
        "возраст {age} года",
        "привитые",
        "{milk} литров молока в день",
    ],
    "services": [
        "опыт {exp} лет",
        "быстро и качественно",
        "даём гарантию",
        "выезд по городу",
        "каждый день с 9:00 до 20:00",
    ],
}
OPEN_UZ = [
    "{item} sotiladi",
    "Sotiladi: {item}",
    "Srochno sotiladi {item}",
    "{item} sotaman",
    "Sotuvda {item}",
    "{item}",
    "Assalomu alaykum. {item} sotiladi",
]
OPEN_UZ_SERVICE = [
    "{item}",
    "Xizmat: {item}",
    "{item} xizmatini taklif qilamiz",
    "Assalomu alaykum! {item}",
]
OPEN_RU = [
    "Продаю {item}",
    "Продается {item}",
    "Срочно продам {item}",
    "{item}",
    "В продаже {item}",
    "Здравствуйте. Продаю {item}",
]
OPEN_RU_SERVICE = ["{item}", "Услуги: {item}", "Предлагаем {item}", "Здравствуйте! {item}"]
CLOSE_UZ = [
    "Narxi kelishiladi",
    "Tel orqali bog'laning",
    "Jiddiy xaridorlar uchun",
    "Manzil: {town}",
    "{town} shahri",
    "Savdo bor",
    "Qo'ng'iroq qiling",
    "",
]
CLOSE_RU = [
    "Торг уместен",
    "Звоните",
    "Только серьёзным покупателям",
    "Адрес: {town_ru}",
    "г. {town_ru}",
    "Небольшой торг",
    "",
]
TOWNS = [
    ("Farg'ona", "Фергана", "fergana"),
    ("Marg'ilon", "Маргилан", "fergana"),
    ("Qo'qon", "Коканд", "fergana"),
    ("Andijon", "Андижан", "andijan"),
    ("Asaka", "Асака", "andijan"),
    ("Namangan", "Наманган", "namangan"),
    ("Chust", "Чуст", "namangan"),
    ("Toshkent", "Ташкент", "other"),
]

SCAM_UZ = [
    "Oldindan to'lov 50%, qolganini olganda berasiz",
    "Kartaga {card} pul tashlang, pochta orqali jo'natamiz",
    "Bron qilish uchun oldindan to'lov kerak, karta raqam: {card}",
    "Batafsil @{user} ga yozing, narxi juda arzon",
    "Hammasi saytda: {site}",
    "Telegram kanalimiz: t.me/{user} , oldindan to'lovsiz ishlamaymiz",
    "Pul o'tkazing, darhol yuboramiz. Payme orqali ham mumkin",
]
SCAM_RU = [
    "Предоплата 50%, отправка почтой по всему Узбекистану",
    "Переведите на карту {card}, отправим сразу",
    "Без предоплаты не работаем. Пишите @{user}",
    "Подробности на сайте {site}",
    "Задаток на карту, остальное при получении. Пишите в телеграм @{user}",
    "Цены ниже рынка! Пишите @{user} , доставка только по предоплате",
]
SITES = ["arzon-telefon.uz", "www.best-deal.shop", "http://cheapiphone.site", "bozor24.online"]
USERS = ["arzon_savdo", "deal_uz_bot", "tezkor_sotuv", "iphone_optom", "skidka_uz"]
EMOJI = "🔥✅💥📱🚗🏠⚡️❗️👉💯"
_KEEP_LATIN = re.compile(r"(@\w+|https?://\S+|\bt\.me/\S+|\b[\w-]+\.(?:uz|shop|site|online)\b)")


@dataclass
class Ad:
    id: str
    seller: int
    seller_age_days: int
    days_ago: int
    category: str
    description: str
    price: str
    phone: str
    region: str
    photos: list[str] = field(default_factory=list)
    labels: dict[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False)


class Writer:
    def __init__(self, out: Path, seed: int = 14) -> None:
        self.r = random.Random(seed)
        self.out = out
        self.photo_dir = out / "photos"
        self.next_seller = 500
        self.phones_used: set[str] = set()

    # -- photos ----------------------------------------------------------------------------

    def picture(self, seed: int) -> Image.Image:
        r = random.Random(seed)
        w, h = 200, 150
        img = Image.new("RGB", (w, h))
        d = ImageDraw.Draw(img)
        c1 = [r.randrange(256) for _ in range(3)]
        c2 = [r.randrange(256) for _ in range(3)]
        for i in range(h):
            t = i / h
            shade = tuple(int(a + (b - a) * t) for a, b in zip(c1, c2, strict=True))
            d.line([(0, i), (w, i)], fill=shade)
        for _ in range(r.randint(10, 18)):
            x0, y0 = r.randrange(w), r.randrange(h)
            box = [x0, y0, x0 + r.randint(10, w // 3), y0 + r.randint(10, h // 3)]
            color = tuple(r.randrange(256) for _ in range(3))
            kind = r.randrange(3)
            if kind == 0:
                d.ellipse(box, fill=color)
            elif kind == 1:
                d.rectangle(box, fill=color)
            else:
                d.polygon([(r.randrange(w), r.randrange(h)) for _ in range(3)], fill=color)
        return img.filter(ImageFilter.GaussianBlur(0.8))

    def save(self, img: Image.Image, name: str, quality: int) -> str:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=quality)
        (self.photo_dir / name).write_bytes(buf.getvalue())
        return f"photos/{name}"

    def altered(self, source: str, name: str) -> str:
        """Another account's copy of a photo: resized, re-compressed, maybe slightly cropped."""
        img = Image.open(self.out / source).convert("RGB")
        w, h = img.size
        kind = self.r.choice(["resize", "crop", "recompress", "crop_resize"])
        if "crop" in kind:
            c = self.r.uniform(0.02, 0.06)
            img = img.crop((int(w * c), int(h * c * self.r.random()), w - int(w * c * 0.5), h))
        if "resize" in kind:
            scale = self.r.choice([0.6, 0.75, 1.3])
            img = img.resize((int(img.width * scale), int(img.height * scale)))
        return self.save(img, name, self.r.choice([45, 60, 75]))

    # -- people ----------------------------------------------------------------------------

    def phone(self) -> str:
        while True:
            code = self.r.choice(["90", "91", "93", "94", "97", "99", "88", "33", "95"])
            number = f"+998{code}{self.r.randrange(10**7):07d}"
            if number not in self.phones_used:
                self.phones_used.add(number)
                return number

    def seller(self) -> int:
        self.next_seller += 1
        return self.next_seller

    # -- texts -----------------------------------------------------------------------------

    def fill(self, text: str) -> str:
        r = self.r
        town = r.choice(TOWNS)
        return text.format(
            bat=r.randint(78, 100),
            mem=r.choice([64, 128, 256]),
            year=r.randint(2008, 2022),
            km=r.randint(20, 250),
            floor=r.randint(1, 9),
            area=r.randint(45, 140),
            size=r.choice(["S", "M", "L", "XL", "46", "48", "52"]),
            kg=r.choice([5, 8, 10, 20]),
            age=r.randint(2, 5),
            milk=r.randint(8, 20),
            exp=r.randint(3, 15),
            town=town[0],
            town_ru=town[1],
            card=self.card(),
            user=r.choice(USERS),
            site=r.choice(SITES),
        )

    def card(self) -> str:
        prefix = self.r.choice(["8600", "9860", "5614"])
        return prefix + " " + " ".join(f"{self.r.randrange(10**4):04d}" for _ in range(3))

    def description(
        self,
        category: str,
        item: tuple[str, str, int, int, str],
        lang: str,
        extra: list[str] | None = None,
    ) -> str:
        r = self.r
        ru = lang == "ru"
        name = item[1] if ru else item[0]
        if category == "services":
            opener = r.choice(OPEN_RU_SERVICE if ru else OPEN_UZ_SERVICE)
        else:
            opener = r.choice(OPEN_RU if ru else OPEN_UZ)
        details = r.sample((DETAILS_RU if ru else DETAILS_UZ)[category], k=r.randint(1, 4))
        closing = r.choice(CLOSE_RU if ru else CLOSE_UZ)
        parts = [opener.format(item=name), *details, *(extra or []), closing]
        style = r.random()
        sep = r.choice([". ", ", ", "\n", ". "])
        text = sep.join(self.fill(p) for p in parts if p)
        if style < 0.1:
            text = text.lower()
        elif style < 0.15:
            text = text.replace(",", "")
        if r.random() < 0.15:
            text = r.choice(EMOJI) + " " + text
        if lang == "uz_cyrl":
            # Usernames, links and sites stay in Latin letters, as they must.
            parts = _KEEP_LATIN.split(text)
            text = "".join(
                part if i % 2 else uz_latin_to_cyrillic(part) for i, part in enumerate(parts)
            )
        return text

    def reword(self, text: str, lang: str) -> str:
        """The same ad in other words: sentences shuffled, one dropped or added, case changed."""
        r = self.r
        parts = [p.strip() for p in text.replace("\n", ". ").split(". ") if p.strip()]
        first, rest = parts[0], parts[1:]
        r.shuffle(rest)
        if len(rest) > 2 and r.random() < 0.5:
            rest.pop()
        if r.random() < 0.5:
            rest.append(
                {"ru": "Звоните в любое время", "uz_cyrl": "Исталган вақт қўнғироқ қилинг"}.get(
                    lang, "Istalgan vaqt qo'ng'iroq qiling"
                )
            )
        out = ", ".join([first, *rest])
        if r.random() < 0.3:
            out = out.lower()
        if r.random() < 0.3:
            out = out.replace(",", ".")
        return out

    def price_text(self, item: tuple[str, str, int, int, str], lang: str) -> tuple[str, int]:
        """The price as typed, and the amount in so'm meant (for the far-off label)."""
        r = self.r
        low, high, cur = item[2], item[3], item[4]
        if r.random() < 0.08:
            return r.choice(["kelishiladi", "келишилади", "договорная", "Kelishamiz"]), 0
        if cur == "usd":
            amount = round(r.randint(low, high), -1 if high < 2000 else -2)
            forms = [
                f"{amount}$",
                f"{amount} $",
                f"${amount}",
                f"{amount} у.е.",
                f"{amount} dollar",
                f"{amount:,}$".replace(",", " "),
            ]
            if amount % 1000 == 0:
                forms.append(f"{amount // 1000} минг доллар")
                forms.append(f"{amount // 1000} ming dollar")
            return r.choice(forms), amount * 12_500
        amount = round(r.randint(low, high), -4 if high >= 1_000_000 else -3)
        forms = [
            f"{amount:,}".replace(",", " "),
            f"{amount:,}".replace(",", "."),
            f"{amount} so'm",
            f"{amount:,} сўм".replace(",", " "),
        ]
        if amount % 100_000 == 0 and amount >= 1_000_000:
            mln = f"{amount / 1_000_000:g}".replace(".", ",")
            forms += [f"{mln} млн", f"{mln} mln", f"{mln} млн сўм"]
        if amount % 1000 == 0 and amount < 1_000_000:
            forms += [f"{amount // 1000} минг", f"{amount // 1000} ming so'm", f"{amount // 1000}k"]
        return r.choice(forms), amount


def build(out: Path) -> list[Ad]:
    w = Writer(out)
    r = w.r
    (out / "photos").mkdir(parents=True, exist_ok=True)
    for old in (out / "photos").glob("*.jpg"):
        old.unlink()
    ads: list[Ad] = []
    sellers: list[tuple[int, str, int]] = []  # (seller, phone, age)
    shared_phone = w.phone()  # one phone a scammer uses from several accounts
    photo_seed = 0

    def new_photos(ad_id: str) -> list[str]:
        nonlocal photo_seed
        names = []
        for i in range(r.choice([1, 1, 2, 2, 3])):
            photo_seed += 1
            names.append(
                w.save(w.picture(photo_seed * 7919), f"{ad_id}-{i + 1}.jpg", r.choice([50, 60, 70]))
            )
        return names

    for n in range(TOTAL):
        ad_id = f"a{n + 1:03d}"
        days_ago = max(0, 88 - (n * 88) // TOTAL)
        lang = r.choice(["uz_latn", "uz_latn", "uz_cyrl", "uz_cyrl", "ru"])
        roll = r.random()
        originals = [
            a
            for a in ads
            if a.labels["duplicate_of"] is None
            and not a.labels["scam"]
            and a.days_ago - days_ago <= 55
        ]
        if n > 20 and roll < 0.13 and originals:
            # A duplicate of an earlier ad.
            src = r.choice(originals)
            same_seller = r.random() < 0.5
            if same_seller:
                seller, phone, age = (
                    src.seller,
                    src.phone,
                    src.seller_age_days + (src.days_ago - days_ago),
                )
                photos = (
                    list(src.photos)
                    if r.random() < 0.6
                    else [w.altered(p, f"{ad_id}-{i + 1}.jpg") for i, p in enumerate(src.photos)]
                )
            else:
                seller, phone, age = w.seller(), w.phone(), r.randint(3, 900)
                photos = [w.altered(p, f"{ad_id}-{i + 1}.jpg") for i, p in enumerate(src.photos)]
            src_lang = src.labels["lang"]
            text = w.reword(src.description, src_lang)
            ads.append(
                Ad(
                    ad_id,
                    seller,
                    age,
                    days_ago,
                    src.category,
                    text,
                    src.price,
                    phone,
                    src.region,
                    photos,
                    {
                        "duplicate_of": src.id,
                        "scam": False,
                        "category": src.labels["category"],
                        "lang": src_lang,
                        "price_off": False,
                    },
                )
            )
            continue
        category = r.choice(list(ITEMS))
        item = r.choice(ITEMS[category])
        scam = n > 10 and roll > 0.9
        if sellers and r.random() < 0.25 and not scam:
            seller, phone, age = r.choice(sellers)
            age += 1
        else:
            seller, phone, age = (
                w.seller(),
                w.phone(),
                r.choice([r.randint(1, 30), r.randint(30, 400), r.randint(400, 1500)]),
            )
            sellers.append((seller, phone, age))
        extra: list[str] = []
        price_text, meant = w.price_text(item, lang)
        price_off = False
        if scam:
            kind = r.random()
            extra.append(r.choice(SCAM_RU if lang == "ru" else SCAM_UZ))
            if kind < 0.4:
                age = 0
            if kind > 0.75:
                phone = shared_phone
            if category in ("phones", "electronics") and r.random() < 0.5 and item[4] == "usd":
                price_text = f"{max(20, item[2] // 5)}$"  # far too cheap: the bait
            if r.random() < 0.3:
                extra.append(r.choice(EMOJI) * r.randint(8, 12))
        elif n > 240 and meant >= 1_000_000 and item[4] == "uzs" and r.random() < 0.25:
            # Forgot the "минг"/"млн": 3 500 typed for 3 500 000. Late in the set, when each
            # category has the 20 published prices the check needs.
            price_text = f"{meant // 1000:,}".replace(",", " ")
            price_off = meant // 1000 >= 1000
        elif r.random() < 0.06:
            extra.append(
                r.choice(
                    ["Ikkinchi raqam: " + w.phone()[4:], "ШОШИЛИНЧ!!!", "Доп. номер " + w.phone()]
                )
            )
        text = w.description(category, item, lang, extra)
        seller_category = category
        if r.random() < 0.14:
            seller_category = CONFUSED[category]
        town = r.choice(TOWNS)
        ads.append(
            Ad(
                ad_id,
                seller,
                age,
                days_ago,
                seller_category,
                text,
                price_text,
                phone,
                town[2],
                new_photos(ad_id),
                {
                    "duplicate_of": None,
                    "scam": scam,
                    "category": category,
                    "lang": lang,
                    "price_off": price_off,
                },
            )
        )
    return ads


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else HERE
    ads = build(out)
    with (out / "ads.jsonl").open("w", encoding="utf-8") as f:
        for ad in ads:
            f.write(ad.line() + "\n")
    print(f"{len(ads)} ads written to {out / 'ads.jsonl'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

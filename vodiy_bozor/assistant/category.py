"""Which category does an ad belong in? A keyword lexicon in Uzbek (both scripts) and Russian,
the moderators' own past decisions (the categories of the most similar approved ads), and the
seller's choice, added up; the share of the winner is the confidence.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from vodiy_bozor.assistant.duplicates import text_similarity
from vodiy_bozor.assistant.types import Neighbour
from vodiy_bozor.models import Category
from vodiy_bozor.text.fold import fold, stem_forms, tokens

# Word beginnings (stems) per category, in any script: they are folded like the ads' texts
# (text.fold.fold, with text.fold.stem_forms adding the Russian-keyboard spelling of ў and қ),
# so `mashina`, `машина` and `машина` are one entry and the Latin spelling of a word needs no
# Cyrillic twin. A stem matches a word that starts with it; folded stems of 3 letters or fewer
# must match a whole word, and so must a stem ending in "=". Brand and model names weigh 2:
# they settle the question on their own.
# fmt: off
_LEXICON: Final[Mapping[Category, tuple[str, ...]]] = MappingProxyType(
    {
        Category.VEHICLES: (
            "mashina", "avto", "avtomobil", "автомобил", "машин", "probeg", "пробег", "km",
            "motor", "dvigatel", "двигател", "karobka", "коробк", "mexanika", "механик", "kuzov",
            "кузов", "rul", "руль", "shina", "шин=", "disk", "диск", "balon", "propan", "metan",
            "метан", "benzin", "бензин", "rastamojka", "tonirovka", "тонировк", "kraska", "краск",
            "pokraska", "перекраш", "bamper", "бампер", "фар", "skuter", "скутер", "mototsikl",
            "мотоцикл", "moto", "traktor", "трактор", "pritsep", "прицеп", "akkumulyator",
            "аккумулятор", "zapchast", "запчаст", "ehtiyot qism", "седан", "универсал", "хэтчбек",
            "кроссовер", "джип", "jip", "yurgan", "yurgani", "пробегом", "damas", "дамас", "labo",
            "лабо", "nexia", "нексия", "нексиа", "neksiya", "cobalt", "кобальт", "kobalt",
            "gentra", "жентра", "джентра", "lacetti", "ласетти", "лачетти", "spark", "спарк",
            "matiz", "матиз", "malibu", "малибу", "tracker", "трекер", "captiva", "каптива",
            "tico", "тико", "epica", "эпика", "onix", "оникс", "byd", "chevrolet", "шевроле",
            "toyota", "тойота", "kia", "киа", "hyundai", "хендай", "хундай", "mercedes",
            "мерседес", "lada", "лада", "jiguli", "жигули", "vaz", "ваз", "isuzu", "исузу",
            "gazel", "газел", "porter", "портер", "equinox", "chery", "чери", "jac", "haval",
            "хавал", "volkswagen", "bmw", "бмв",
        ),
        Category.REALTY: (
            "uy", "уй", "xonadon", "хонадон", "kvartira", "квартир", "xona", "хона", "комнат",
            "hovli", "ховли", "участ", "uchastka", "uchastok", "sotix", "сотих", "сотк", "yer",
            "ер", "земел", "qavat", "кават", "этаж", "etaj", "podval", "подвал", "ремонт",
            "remont", "evro", "евро", "kvadrat", "квадрат", "m2", "кв", "ijara", "ижара", "аренд",
            "arenda", "сдаю", "сдается", "сдаётся", "снять", "novostroyka", "новостройк", "dom",
            "дом",
            "коттедж", "kottedj", "dacha", "дача", "дачу", "ofis", "офис", "do'kon", "магазин",
            "ombor", "склад=", "garaj", "гараж", "balkon", "балкон", "hammom", "санузел",
            "kadastr", "кадастр", "hujjat", "документ", "ипотек", "ipoteka", "кирпич", "g'isht",
            "panel", "панел", "жилой", "mahalla", "махалл", "massiv", "массив", "mikrorayon",
            "микрорайон", "квартал", "kvartal", "gaz suv", "газ вода", "свет газ", "xonali",
            "комнатн", "sotixli", "sotixlik", "участок",
        ),
        Category.APPLIANCES: (
            "ariston", "аристон", "midea", "мидеа", "muzlatkich", "музлаткич", "холодильник",
            "kir yuvish", "кир ювиш", "стиральн", "стиралк", "konditsioner", "кондиционер",
            "кондицонер", "konditsaner", "changyutgich", "чангютгич", "пылесос", "pech=", "печ=",
            "plita", "плит", "духовк", "gaz plita", "mikroto'lqin", "микроволнов", "микроволновк",
            "dazmol", "дазмол", "утюг", "choynak", "чойнак", "чайник", "blender", "блендер",
            "miksers", "миксер", "multivarka", "мультиварк", "isitgich", "иситгич", "обогревател",
            "kotyol", "котел", "котёл", "kalonka", "колонк", "suv isitgich", "водонагревател",
            "idish yuvish", "посудомо", "морозильн", "artel", "артель", "beko", "беко", "lg",
            "samsung muzlatkich", "indesit", "bosch", "бош=", "atlant", "атлант", "gorenje",
            "ventilyator", "вентилятор", "go'sht maydalagich", "мясорубк", "tikuv mashina",
            "швейн", "avtomat kir",
        ),
        Category.HOUSEHOLD: (
            "mebel", "мебел", "divan", "диван", "kreslo", "кресл", "stol", "стол", "stul", "стул",
            "shkaf", "шкаф", "krovat", "кроват", "karavot", "каравот", "шифонер", "shifoner",
            "matras", "матрас", "gilam", "гилам", "ковер", "ковёр", "palas", "палас", "parda",
            "парда", "штор", "тюль=", "idish", "идиш", "посуд", "qozon", "казан", "kastryul",
            "кастрюл", "сервиз", "servis", "ko'rpa", "курпа", "одеял", "yostiq", "ёстик", "подушк",
            "oshxona", "ошхона", "кухн", "kuxnya", "yotoqxona", "спальн", "mehmonxona", "гостин",
            "tumba", "тумб", "komod", "комод", "javon", "жавон", "полк", "ko'zgu", "зеркал",
            "люстр", "lyustra", "qandil", "gulдон", "vaza", "dekor", "декор", "beshik", "бешик",
            "коляск", "kolyaska", "sandiq", "сандик", "xontaxta", "хонтахта", "dastur",
            "дастурхон", "dasturxon", "stenka", "стенк", "прихож", "prixojka", "yumshoq mebel",
            "мягк",
        ),
        Category.CLOTHING: (
            "kiyim", "киим", "одежд", "ko'ylak", "куйлак", "платье", "plate", "ko'ylagi", "shim=",
            "шим=", "брюк", "джинс", "jinsi", "dzhins", "kurtka", "куртк", "palto", "пальто",
            "пуховик", "puxovik", "shuba", "шуба", "kostyum", "костюм", "pidjak", "пиджак",
            "futbolka", "футболк", "рубашк", "ko'ylak", "yubka", "юбк", "sviter", "свитер", "кофт",
            "kofta", "oyoq kiyim", "обув", "poyabzal", "пойабзал", "туфл", "tufli", "кроссовк",
            "krossovka", "krasovka", "кросовк", "etik", "этик", "сапог", "botinka", "ботинк",
            "tapochka", "тапочк", "shippak", "шиппак", "кепк", "shapka", "шапк", "sharf", "шарф",
            "ro'mol", "румол", "платок", "atlas", "атлас", "adras", "адрас", "chopon", "чопон",
            "do'ppi", "дуппи", "to'n", "sumka", "сумк", "ryukzak", "рюкзак", "razmer", "размер",
            "o'lcham", "улчам", "xl", "xxl", "нарядн", "to'y ko'ylagi", "свадебн", "kelinlik",
            "келинлик", "liboz", "либос", "libos", "hijob", "хижоб", "qishki", "зимн",
            "bolalar kiyimi", "детск одежд", "zara", "adidas", "адидас", "nike", "найк",
        ),
        Category.SPORTS: (
            "velosiped", "велосипед", "бегов", "sport", "спорт", "trenajor", "тренажер",
            "тренажёр", "gantel", "гантел", "shtanga", "штанг", "turnik", "турник", "begovaya",
            "беговая", "yugurish", "югуриш", "velotrenajor", "велотренажер", "to'p", "туп", "мяч=",
            "myach=", "futbol", "футбол", "basketbol", "баскетбол", "voleybol", "волейбол",
            "tennis", "теннис", "raketka", "ракетк", "boks", "бокс", "perchatka", "перчатк",
            "kimono", "кимоно", "tatami", "татами", "гири", "girya", "гиря", "blin", "блин",
            "skameyka", "скамейк", "fitnes", "фитнес", "yoga=", "йога", "kovrik", "коврик",
            "samokat", "самокат", "rolik", "ролик", "konki", "коньк", "chang'i", "лыж",
            "baliq ovi", "рыбалк", "udochka", "удочк", "qarmoq", "кармок", "palatka", "палатк",
            "turist", "турист", "butsa", "бутс", "shaxmat", "шахмат", "stol tennisi", "настольн",
            "протеин", "protein", "gimnastika", "гимнаст", "sportzal", "trenajyor",
            "yugurish yo'lakchasi", "беговая дорожк", "dorojka", "дорожк", "boksyorlik", "груша",
            "grusha",
        ),
        Category.PHONES: (
            "telefon", "телефон", "smartfon", "смартфон", "iphone", "айфон", "ayfon", "samsung",
            "самсунг", "galaxy", "галакси", "redmi", "редми", "xiaomi", "сяоми", "ксиоми", "poco",
            "поко", "honor", "хонор", "huawei", "хуавей", "realme", "реалми", "oppo", "оппо",
            "vivo", "виво", "tecno", "текно", "infinix", "инфиникс", "nokia", "нокиа", "pixel",
            "pro max", "про макс", "promax", "gb", "гб", "xotira", "хотира", "память", "батарея",
            "batareya", "akb", "ёмкость", "imei", "имей", "sim", "сим", "dual", "zaryadka",
            "зарядк", "зарядное", "quvvatlagich", "кувватлагич", "ekran", "экран", "дисплей",
            "displey", "korobka", "коробка", "chexol", "чехол", "g'ilof", "стекло", "face id",
            "фейс", "tuch=", "тач=", "кнопочн", "knopka",
        ),
        Category.ELECTRONICS: (
            # Words phones share with other devices: they count for both.
            "zaryadka", "зарядк", "xotira", "хотира", "память", "gb", "гб", "korobka", "коробк",
            "noutbuk", "ноутбук", "notebook", "laptop", "kompyuter", "компьютер", "компютер",
            "komputer", "pc", "пк", "monitor", "монитор", "printer", "принтер", "skaner", "сканер",
            "televizor", "телевизор", "tv", "тв", "smart tv", "смарт тв", "proyektor", "проектор",
            "kamera", "камер", "fotoapparat", "фотоаппарат", "canon", "кэнон", "nikon", "никон",
            "sony", "сони", "playstation", "плейстейшн", "ps4", "ps5", "пс4", "пс5", "xbox",
            "иксбокс", "djoystik", "джойстик", "quloqchin", "кулокчин", "наушник", "naushnik",
            "airpods", "эйрподс", "kolonka", "колонка", "jbl", "videokarta", "видеокарт",
            "protsessor", "процессор", "core i", "intel", "интел", "ryzen", "ssd", "hdd", "ram",
            "озу", "оперативк", "klaviatura", "клавиатур", "sichqoncha", "мышк", "router",
            "роутер", "wifi", "modem", "модем", "pristavka", "приставк", "receiver", "ресивер",
            "tyuner", "тюнер", "smart soat", "смарт час", "watch", "часы", "macbook", "макбук",
            # A tablet is no phone: the phones' category is `📱 Телефоны`, and a tablet is
            # sold next to laptops (`Galaxy Tab`, `iPad`, `MatePad`, `Redmi Pad`).
            "планшет", "planshet", "ipad", "айпад", "tab=", "таб=", "pad=", "пад=", "matepad",
            "galaxy tab", "галакси таб",
            "lenovo", "леново", "asus", "асус", "acer", "асер", "hp", "dell", "делл", "dron",
            "дрон", "kvadrokopter", "квадрокоптер", "видеонаблюдени", "kuzatuv kamera", "usb",
            "hdmi",
        ),
        Category.LIVESTOCK: (
            "несушк", "куры", "молок", "бройлер", "broyler", "qo'ylar", "qo'ylari", "бош куй",
            "sigir", "сигир", "корова", "buzoq", "бузок", "теленок", "телёнок", "ho'kiz", "хукиз",
            "бык", "qo'y", "куй", "овц", "баран", "qo'chqor", "кучкор", "qo'zi", "кузи", "ягн",
            "echki", "эчки", "коза", "козел", "козёл", "uloq", "улок", "лошад", "жереб", "tovuq",
            "товук",
            "курица", "кур", "jo'ja", "жужа", "цыпл", "xo'roz", "хуроз", "петух", "g'oz", "гоз",
            "гус", "o'rdak", "урдак", "утк", "kurka", "курк", "индюк", "quyon", "куён", "кролик",
            "kaptar", "каптар", "голуб", "it", "ит", "собак", "kuchuk", "кучук", "щен", "mushuk",
            "мушук", "кошк", "котен", "котён", "baliq", "балик", "рыб", "asalari", "асалари",
            "пчел", "пчёл", "naslli", "насли", "наслли", "породист", "sog'in", "согин", "дойн",
            "sut beradi", "корм", "omuxta", "омухта", "pichan", "пичан", "сено", "parranda",
            "парранда", "птиц", "chorva", "чорва", "скот", "bedana", "бедана", "перепел", "tuya=",
            "туя=", "верблюд", "golshteyn", "голштин", "hisori", "хисори",
        ),
        Category.SERVICES: (
            "xizmat", "хизмат", "услуг", "ta'mirlash", "таъмирлаш", "tamirlash", "таъмир",
            "ремонтирую", "ремонтируем", "ремонт телефон", "ремонт холодильник", "usta", "уста",
            "мастер", "master", "yuk tashish", "грузоперевоз", "перевозк", "taksi", "такси",
            "repetitor", "репетитор", "kurs", "курс", "dars", "дарс", "урок", "o'qitaman",
            "укитаман", "обучени", "tarjima", "таржима", "перевод текст", "dizayn", "дизайн",
            "sayt", "сайт", "reklama", "реклама", "foto", "фото сесси", "fotosessiya",
            "videosyomka", "видеосъемк", "видеосъёмк", "tozalash", "тозалаш", "уборк", "santexnik",
            "сантехник",
            "elektrik", "электрик", "svarka", "сварк", "payvand", "пайванд", "qurilish", "курилиш",
            "строител", "kafel", "кафел", "shpaklyovka", "шпаклевк", "шпаклёвк", "bo'yoq", "буёк",
            "malyar",
            "маляр", "tikuvchi", "тикувчи", "швея", "atelye", "ателье", "sartarosh", "сартарош",
            "парикмахер", "manikyur", "маникюр", "massaj", "массаж", "to'y", "туй", "свадьб",
            "tamada", "тамада", "oshpaz", "ошпаз", "повар", "hisobchi", "бухгалтер", "yurist",
            "юрист", "ish", "иш", "работ", "vakansiya", "вакансия", "ishchi", "ишчи", "требуется",
            "buyurtma", "буюртма", "заказ", "konditsioner o'rnatish", "установк", "o'rnatib",
            "урнатиб", "xizmatlari", "chaqiring", "выезд",
        ),
        Category.OTHER: (),
    }
)
# fmt: on

# Brand and model names: one of them is as good as two ordinary words.
_STRONG: Final = frozenset(
    form
    for word in [
        "iphone",
        "айфон",
        "ayfon",
        "samsung",
        "самсунг",
        "redmi",
        "редми",
        "xiaomi",
        "сяоми",
        "galaxy",
        "nexia",
        "нексия",
        "neksiya",
        "cobalt",
        "кобальт",
        "gentra",
        "жентра",
        "lacetti",
        "ласетти",
        "spark",
        "спарк",
        "matiz",
        "матиз",
        "malibu",
        "малибу",
        "damas",
        "дамас",
        "tracker",
        "captiva",
        "nokia",
        "honor",
        "huawei",
        "realme",
        "tecno",
        "infinix",
        "muzlatkich",
        "холодильник",
        "konditsioner",
        "кондиционер",
        "noutbuk",
        "ноутбук",
        "televizor",
        "телевизор",
        "playstation",
        "macbook",
        "divan",
        "диван",
        "shkaf",
        "шкаф",
        "sigir",
        "сигир",
        "корова",
        "qo'y",
        "echki",
        "tovuq",
        "trenajor",
        "тренажер",
        "тренажёр",
        "gantel",
        "гантел",
        "velosiped",
        "велосипед",
        "kvartira",
        "квартир",
        "hovli",
        "ховли",
        "sotix",
        "сотих",
        "uchastka",
        "участок",
        "xonali",
        "комнатн",
        "kiyim",
        "одежд",
        "kurtka",
        "куртк",
        "ko'ylak",
        "платье",
        "krossovka",
        "кроссовк",
        "repetitor",
        "репетитор",
        "usta",
        "мастер",
        "xizmat",
        "услуг",
        "пылесос",
        "стиральн",
        "planshet",
        "планшет",
        "ipad",
        "айпад",
        "kompyuter",
        "компьютер",
        "kir yuvish",
        "кир ювиш",
        "pro max",
        "tikuv mashina",
    ]
    for form in stem_forms(word)
)


def _build() -> tuple[Mapping[str, frozenset[Category]], Mapping[str, frozenset[Category]]]:
    """Folded stems → categories: whole-word stems (≤ 3 letters) and prefix stems."""
    whole: dict[str, set[Category]] = defaultdict(set)
    prefix: dict[str, set[Category]] = defaultdict(set)
    for category, stems in _LEXICON.items():
        for stem in stems:
            # A whole word only: "склад=" is not "складная", "shim=" (trousers) not "shimoliy"
            # (northern), "бош=" (Bosch) not "boshqa" (other).
            exact = stem.endswith("=")
            for folded in stem_forms(stem.rstrip("=")):
                if folded:
                    (whole if exact or len(folded) <= 3 else prefix)[folded].add(category)
    return (
        MappingProxyType({k: frozenset(v) for k, v in whole.items()}),
        MappingProxyType({k: frozenset(v) for k, v in prefix.items()}),
    )


_WHOLE, _PREFIX = _build()
_LONGEST_STEM: Final = max(len(s) for s in _PREFIX)
# Every beginning (4 letters or more) of a prefix stem: a word whose first letters are none of
# them can match no longer stem either, so its look-ups stop there.
_PREFIX_PATHS: Final = frozenset(s[:size] for s in _PREFIX for size in range(4, len(s) + 1))
# Two-word stems ("kir yuvish", "pro max") are looked up on word pairs.


def lexicon_scores(folded: str) -> dict[Category, float]:
    """Keyword evidence per category: each matched stem counts once, brands twice."""
    words = tokens(folded)
    # Each distinct word or pair once: a repeat matches the same stems, which count once anyway.
    items = dict.fromkeys([*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))])
    matched: dict[Category, set[str]] = defaultdict(set)
    for item in items:
        for category in _WHOLE.get(item, ()):
            matched[category].add(item)
        for size in range(4, min(len(item), _LONGEST_STEM) + 1):
            stem = item[:size]
            if stem not in _PREFIX_PATHS:
                break
            for category in _PREFIX.get(stem, ()):
                matched[category].add(stem)
    scores: dict[Category, float] = {}
    for category, stems in matched.items():
        scores[category] = sum(2.0 if s in _STRONG else 1.0 for s in stems)
    return scores


@dataclass(frozen=True, slots=True)
class CategorySuggestion:
    category: Category
    confidence: float  # the winner's share of it and the runner-up's evidence, 0.5-1
    seller_choice: Category

    @property
    def differs(self) -> bool:
        return self.category is not self.seller_choice

    @property
    def shown(self) -> bool:
        """Worth a 📂 line on the card: a different category, with high confidence."""
        return self.differs and self.confidence >= SHOW_CONFIDENCE


# One brand or kind name (2) against the seller's choice (1.5) is 0.57: enough to ask.
SHOW_CONFIDENCE: Final = 0.55
# The seller's own choice counts as this much evidence, the lexicon 1 per word, and each of the
# most similar approved ads up to _NEIGHBOUR_WEIGHT, rising from nothing at
# _MIN_NEIGHBOUR_SIMILARITY to all of it for the same text. Unrelated words already score about
# 40-50 on character-level ratios, hence the floor.
_SELLER_WEIGHT: Final = 1.5
# "Other" is what a seller picks when unsure: it says little.
_SELLER_OTHER_WEIGHT: Final = 0.5
_NEIGHBOUR_WEIGHT: Final = 2.0
_NEIGHBOURS_USED: Final = 5
_MIN_NEIGHBOUR_SIMILARITY: Final = 55


def suggest(
    description: str, seller_choice: Category, neighbours: Iterable[Neighbour] = ()
) -> CategorySuggestion:
    folded = fold(description)
    scores: dict[Category, float] = defaultdict(float)
    for category, score in lexicon_scores(folded).items():
        scores[category] += score
    similar = sorted(
        ((text_similarity(folded, fold(n.description)), n) for n in neighbours),
        key=lambda pair: (-pair[0], -pair[1].id),
    )
    for similarity, neighbour in similar[:_NEIGHBOURS_USED]:
        if similarity > _MIN_NEIGHBOUR_SIMILARITY:
            share = (similarity - _MIN_NEIGHBOUR_SIMILARITY) / (100 - _MIN_NEIGHBOUR_SIMILARITY)
            scores[neighbour.category] += _NEIGHBOUR_WEIGHT * share
    scores[seller_choice] += (
        _SELLER_OTHER_WEIGHT if seller_choice is Category.OTHER else _SELLER_WEIGHT
    )
    ranked = sorted(scores.items(), key=lambda item: (item[1], item[0] is seller_choice))
    best, best_score = ranked[-1]
    runner_up = ranked[-2][1] if len(ranked) > 1 else 0.0
    return CategorySuggestion(best, best_score / (best_score + runner_up), seller_choice)

"""Where an ad is: the districts and towns of the Fergana Valley's three regions, and places
outside it, found in free text in Uzbek Cyrillic, both Uzbek Latin alphabets and Russian.

Every word is brought to one loose key before it is looked up: Cyrillic and the reformed Latin
letters (ö ğ ş ç) become 1995 Latin, apostrophes go, and the letters that Russian renderings of
Uzbek names swap are merged (o/a: `Toshkent`/`Ташкент`, q/k, x/h, `dj`/`j`), so `Marg'ilon`,
`Margilon`, `Марғилон` and `Маргилан` are one key. Uzbek case suffixes (`Asakada`,
`Quvasoydan`, `Qo'qonlik`) and Russian case endings (`в Асаке`, `в Коканде`) are stripped.

A few names are also ordinary words (`marhamat` "please", `baliqchi` "fisherman", `bo'z yer`
"virgin land", `O'zbekiston bo'ylab` "all over Uzbekistan"): those count only next to a word
that says it is a place (`tumani`, `shahri`, `район`, `г.`).

The official names of the districts and their centres follow the regions' administrative
divisions (https://en.wikipedia.org/wiki/Andijan_Region#Administrative_divisions, likewise
Fergana_Region and Namangan_Region).

Pure: no I/O; linear in the text (one pass over its words, table look-ups only).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from vodiy_bozor.models import Region
from vodiy_bozor.text.script import APOSTROPHES

__all__ = ["PLACES", "PlaceReading", "place_key", "read_place"]


@dataclass(frozen=True, slots=True)
class _Place:
    district: str  # the Latin name, new alphabet, no apostrophes
    region: Region
    names: tuple[str, ...]  # every spelling worth listing; keys are derived from them
    weak: bool = False  # also an ordinary word: counts only next to a place word
    is_region: bool = False  # the region's own name: a district only with "city"


def _p(district: str, region: Region, names: str, *, weak: bool = False) -> _Place:
    return _Place(district, region, tuple(names.split("|")), weak)


_A, _F, _N, _O = Region.ANDIJAN, Region.FERGANA, Region.NAMANGAN, Region.OTHER

# fmt: off
PLACES: Final[tuple[_Place, ...]] = (
    # Andijan region: its districts, their centres and towns.
    _p("Andijon", _A, "Andijon|Андижон|Андижан"),
    _p("Asaka", _A, "Asaka|Асака"),
    _p("Baliqchi", _A, "Baliqchi|Балиқчи|Балыкчи", weak=True),
    _p("Boz", _A, "Bo'z|Бўз|Боз", weak=True),
    _p("Buloqboshi", _A, "Buloqboshi|Булоқбоши|Булакбаши"),
    _p("Izboskan", _A, "Izboskan|Избоскан|Избаскан"),
    _p(
        "Jalaquduq",
        _A,
        # Oxunboboyev: the former name, still written.
        "Jalaquduq|Jalolquduq|Жалақудуқ|Жалолқудуқ|Джалакудук|Джалалкудук|Oxunboboyev|"
        "Охунбобоев|Ахунбабаев",
    ),
    _p("Xojaobod", _A, "Xo'jaobod|Хўжаобод|Ходжаабад|Хужаабад"),
    _p("Qorgontepa", _A, "Qo'rg'ontepa|Қўрғонтепа|Кургантепа|Кургантепа"),
    _p("Marhamat", _A, "Marhamat|Марҳамат|Мархамат", weak=True),
    _p("Oltinkol", _A, "Oltinko'l|Олтинкўл|Алтынкуль|Алтынкул"),
    _p("Paxtaobod", _A, "Paxtaobod|Пахтаобод|Пахтаабад"),
    _p("Shahrixon", _A, "Shahrixon|Шаҳрихон|Шахрихан"),
    _p("Ulugnor", _A, "Ulug'nor|Улуғнор|Улугнор"),
    _p("Xonobod", _A, "Xonobod|Хонобод|Ханабад"),
    _p("Qorasuv", _A, "Qorasuv|Қорасув|Карасу|Карасуу"),
    _p("Poytug", _A, "Poytug'|Пойтуғ|Пайтуг"),
    _p("Kuyganyor", _A, "Kuyganyor|Куйганёр|Куйганяр"),
    # Fergana region.
    _p("Fargona", _F, "Farg'ona|Фарғона|Фергана"),
    _p("Margilon", _F, "Marg'ilon|Марғилон|Маргилан"),
    _p("Qoqon", _F, "Qo'qon|Қўқон|Коканд|Кокан"),
    _p("Quvasoy", _F, "Quvasoy|Қувасой|Кувасай"),
    _p("Quva", _F, "Quva|Қува|Кува"),
    _p("Rishton", _F, "Rishton|Риштон|Риштан"),
    _p("Beshariq", _F, "Beshariq|Бешариқ|Бешарык|Бешарик"),
    _p("Oltiariq", _F, "Oltiariq|Олтиариқ|Алтыарык|Алтиарик"),
    _p("Bogdod", _F, "Bog'dod|Боғдод|Бағдод|Багдад"),
    _p("Buvayda", _F, "Buvayda|Бувайда"),
    _p("Dangara", _F, "Dang'ara|Данғара|Дангара"),
    _p("Furqat", _F, "Furqat|Фурқат|Фуркат", weak=True),
    _p("Qoshtepa", _F, "Qo'shtepa|Қўштепа|Куштепа"),
    _p("Sox", _F, "So'x|Сўх|Сох"),
    _p("Toshloq", _F, "Toshloq|Тошлоқ|Ташлак", weak=True),
    _p("Uchkoprik", _F, "Uchko'prik|Учкўприк|Учкуприк"),
    _p("Ozbekiston", _F, "O'zbekiston|Ўзбекистон|Узбекистан|Узбекистанский", weak=True),
    _p("Yozyovon", _F, "Yozyovon|Ёзёвон|Язъяван|Язяван"),
    _p("Yaypan", _F, "Yaypan|Яйпан"),
    _p("Vodil", _F, "Vodil|Водил|Вадиль|Вадил"),
    _p("Hamza", _F, "Hamza|Ҳамза|Хамза", weak=True),
    _p("Chimyon", _F, "Chimyon|Чимён|Чимион"),
    # Namangan region.
    _p("Namangan", _N, "Namangan|Наманган"),
    _p("Chortoq", _N, "Chortoq|Чортоқ|Чартак"),
    _p("Chust", _N, "Chust|Чуст"),
    _p("Kosonsoy", _N, "Kosonsoy|Косонсой|Касансай"),
    _p("Mingbuloq", _N, "Mingbuloq|Мингбулоқ|Мингбулак"),
    _p("Norin", _N, "Norin|Норин|Нарын"),
    _p("Pop", _N, "Pop|Поп|Пап", weak=True),
    _p("Toraqorgon", _N, "To'raqo'rg'on|Тўрақўрғон|Туракурган"),
    _p("Uchqorgon", _N, "Uchqo'rg'on|Учқўрғон|Учкурган"),
    _p("Uychi", _N, "Uychi|Уйчи"),
    _p("Yangiqorgon", _N, "Yangiqo'rg'on|Янгиқўрғон|Янгикурган"),
    _p("Davlatobod", _N, "Davlatobod|Давлатобод|Давлатабад"),
    _p("Haqqulobod", _N, "Haqqulobod|Ҳаққулобод|Хаккулабад"),
    _p("Jomashuy", _N, "Jomashuy|Жомашўй|Джумашуй"),
    # Outside the valley: the region is `other`, the district the place as named.
    _p("Toshkent", _O, "Toshkent|Тошкент|Ташкент|Tashkent"),
    _p("Samarqand", _O, "Samarqand|Самарқанд|Самарканд"),
    _p("Buxoro", _O, "Buxoro|Бухоро|Бухара"),
    _p("Qarshi", _O, "Qarshi|Қарши|Карши"),
    _p("Navoiy", _O, "Navoiy|Навоий|Навои"),
    _p("Jizzax", _O, "Jizzax|Жиззах|Джизак|Джиззак"),
    _p("Guliston", _O, "Guliston|Гулистон|Гулистан"),
    _p("Termiz", _O, "Termiz|Термиз|Термез"),
    _p("Nukus", _O, "Nukus|Нукус"),
    _p("Urganch", _O, "Urganch|Урганч|Ургенч"),
    _p("Xiva", _O, "Xiva|Хива"),
    _p("Chirchiq", _O, "Chirchiq|Чирчиқ|Чирчик"),
    _p("Olmaliq", _O, "Olmaliq|Олмалиқ|Алмалык"),
    _p("Angren", _O, "Angren|Ангрен"),
    _p("Bekobod", _O, "Bekobod|Бекобод|Бекабад"),
    _p("Shahrisabz", _O, "Shahrisabz|Шаҳрисабз|Шахрисабз"),
    _p("Kattaqorgon", _O, "Kattaqo'rg'on|Каттақўрғон|Каттакурган"),
    _p("Denov", _O, "Denov|Денов|Денау"),
    _p("Zarafshon", _O, "Zarafshon|Зарафшон|Зарафшан"),
    _p("Yangiyol", _O, "Yangiyo'l|Янгийўл|Янгиюль"),
    _p("Nurafshon", _O, "Nurafshon|Нурафшон"),
    _p("Olmazor", _O, "Olmazor|Олмазор|Алмазар"),
    _p("Chilonzor", _O, "Chilonzor|Чилонзор|Чиланзар"),
    _p("Yunusobod", _O, "Yunusobod|Юнусобод|Юнусабад"),
    _p("Xorazm", _O, "Xorazm|Хоразм|Хорезм"),
    _p("Sirdaryo", _O, "Sirdaryo|Сирдарё|Сырдарья"),
    _p("Qashqadaryo", _O, "Qashqadaryo|Қашқадарё|Кашкадарья"),
    _p("Surxondaryo", _O, "Surxondaryo|Сурхондарё|Сурхандарья"),
    _p("Qoraqalpogiston", _O, "Qoraqalpog'iston|Қорақалпоғистон|Каракалпакстан"),
    _p("Moskva", _O, "Moskva|Москва|Moscow"),
    _p("Sankt-Peterburg", _O, "Peterburg|Петербург|Питер"),
    _p("Bishkek", _O, "Bishkek|Бишкек"),
    _p("Osh", _O, "Osh|Ўш|Ош", weak=True),  # also the word for pilaf
    _p("Xojand", _O, "Xo'jand|Хўжанд|Худжанд|Ходжент"),
    _p("Olmaota", _O, "Olmaota|Алматы|Almaty"),
    _p("Qirgiziston", _O, "Qirg'iziston|Қирғизистон|Кыргызстан|Киргизия|Kyrgyzstan"),
    _p("Tojikiston", _O, "Tojikiston|Тожикистон|Таджикистан|Tajikistan"),
    _p("Qozogiston", _O, "Qozog'iston|Қозоғистон|Казахстан", weak=True),
    _p("Rossiya", _O, "Rossiya|Россия", weak=True),
    _p("Turkiya", _O, "Turkiya|Туркия|Турция", weak=True),
    _p("Dubay", _O, "Dubay|Дубай|Dubai", weak=True),
    _p("Koreya", _O, "Koreya|Корея", weak=True),
)
# fmt: on

# The regions' own names, with the city that bears it.
_REGION_NAMES: Final[Mapping[Region, str]] = MappingProxyType(
    {_A: "Andijon", _F: "Fargona", _N: "Namangan"}
)

# Loose keys: every letter a Latin or Cyrillic speller might use, down to one ASCII letter.
# `o`/`a` merge because Russian renders the Uzbek o as a (Ташкент, Маргилан); ў and o' fold to
# the same a; Russian у for ў is covered by listing the u-spelling (below).
_KEY_LETTERS: Final = str.maketrans(
    {
        **dict(
            zip(
                "абвгдезийклмнопрстуфхцчшщъыьэюяёўқғҳ",
                [
                    "a",
                    "b",
                    "v",
                    "g",
                    "d",
                    "e",
                    "z",
                    "i",
                    "y",
                    "k",
                    "l",
                    "m",
                    "n",
                    "a",
                    "p",
                    "r",
                    "s",
                    "t",
                    "u",
                    "f",
                    "h",
                    "s",
                    "ch",
                    "sh",
                    "sh",
                    "",
                    "i",
                    "",
                    "e",
                    "yu",
                    "ya",
                    "ya",
                    "a",
                    "k",
                    "g",
                    "h",
                ],
                strict=True,
            )
        ),
        "ж": "j",
        "o": "a",
        "q": "k",
        "x": "h",
        "w": "v",
        "ö": "a",
        "ğ": "g",
        "ş": "sh",
        "ç": "ch",
        "ı": "i",
        "ñ": "ng",
        **dict.fromkeys(APOSTROPHES, ""),
    }
)
# ё folded to `ya` above is wrong for Uzbek `yo`, but `o` folds to `a` anyway: `Ёзёвон` and
# `Yozyovon` give the same `yazyavan`.


def place_key(word: str) -> str:
    """The loose comparison key of one word (see the module's docstring)."""
    key = word.casefold().translate(_KEY_LETTERS)
    if "dj" in key:  # Russian Дж for Uzbek j
        key = key.replace("dj", "j")
    if "kh" in key:  # Russian х typed in Latin as kh (`Pakhtaabad`, `Shakhrikhan`)
        key = key.replace("kh", "h")
    if "zh" in key:  # Russian ж typed in Latin as zh (`Andizhan`)
        key = key.replace("zh", "j")
    return key


_O_APOSTROPHE: Final = re.compile(rf"[oOöÖ](?:[{APOSTROPHES}])?")


def _spellings(name: str) -> set[str]:
    """Keys of a listed name and of its sloppy forms: o' typed as u (`Kukon`, `Uchkuprik`)."""
    keys = {place_key(name)}
    if any(ch in name for ch in "'ўЎ"):
        keys.add(place_key(re.sub(r"[oO]'", "u", name).replace("ў", "у").replace("Ў", "У")))
    return {k for k in keys if k}


# Uzbek case and derivation suffixes and Russian endings, as keys (o→a already applied).
_SUFFIXES: Final = tuple(
    sorted(
        {
            *("da", "dan", "ga", "ka", "ning", "ni", "dagi", "dagilar", "gacha", "dan"),
            *("lik", "liklar", "likman", "likmiz", "lig", "likka", "ta", "tan"),
            *("a", "e", "u", "i", "y", "am", "ay", "ye"),
            *("skiy", "skaya", "skay", "skam", "skie", "skih", "skuyu", "skaga", "skamu"),
            # `Қўқондамиз` "we are in Kokand", `Quvadanman`.
            *("daman", "damiz", "danman", "danmiz"),
            # Russian adjectives of names ending in a vowel: `Балыкчинский`, `Асакинский`.
            *("nskiy", "nskaya", "nskam", "nskaga", "nskie", "inskiy", "inskaya", "inskam"),
        },
        key=len,
        reverse=True,
    )
)
_SUFFIX_SET: Final = frozenset(_SUFFIXES)
_SUFFIX_SIZES: Final = tuple(sorted({len(s) for s in _SUFFIXES}))  # shortest first
_REPLACED_ENDINGS: Final = ("e", "u", "i", "y", "ay", "ye")  # Асака → в Асаке, Асаку, Асакой

# Words that say "this is a place": a weak name counts next to one of them, and a region's
# name next to "city" is the city. Keys.
_DISTRICT_WORDS: Final = frozenset(
    place_key(w)
    for w in [
        "tuman",
        "tumani",
        "tumanida",
        "tumanidan",
        "tumaniga",
        "tumanidagi",
        "tumanining",
        "туман",
        "тумани",
        "туманида",
        "туманидан",
        "туманига",
        "туманидаги",
        "район",
        "района",
        "районе",
        "районы",
        "р-н",
        "р-не",
    ]
)
_CITY_WORDS: Final = frozenset(
    place_key(w)
    for w in [
        "shahar",
        "shahri",
        "shahrida",
        "shahridan",
        "shahriga",
        "shahridagi",
        "shahrining",
        "shaxar",
        "shaxri",
        "shaxrida",
        "шаҳар",
        "шаҳри",
        "шаҳрида",
        "шаҳридан",
        "шаҳрига",
        "шаҳридаги",
        "шахар",
        "шахри",
        "шахрида",
        "город",
        "города",
        "городе",
        "г",
        "gorod",
        "sh",
        "ш",
    ]
)
_PLACE_WORDS: Final = (
    _DISTRICT_WORDS
    | _CITY_WORDS
    | frozenset(
        place_key(w)
        for w in [
            "qishloq",
            "qishlog'i",
            "qishlog'ida",
            "қишлоқ",
            "қишлоғи",
            "кишлак",
            "посёлок",
            "пос",
            "mahalla",
            "mahallasi",
            "махалла",
            "маҳалла",
            "маҳалласи",
            "shaharcha",
            "шаҳарча",
        ]
    )
)
_STREET_AFTER: Final = frozenset(
    place_key(w)
    for w in [
        "ko'cha",
        "ko'chasi",
        "ko'chasida",
        "ko'chada",
        "кўча",
        "кўчаси",
        "кўчасида",
        "кучаси",
        "shoh",
        "шоҳ",
        "massivi",
        "массиви",
    ]
)
# A place's name before a noun it qualifies names a thing, not where the seller is:
# `Marg'ilon atlasi` (the fabric), `Andijon paxtasi`, `Farg'ona chinnisidan`, `Andijon paxta
# yog'i`, `маргиланский атлас`. Uzbek says it with the possessive on the noun (the izofa:
# `-i`/`-si`, then maybe a case ending), Russian with the name's adjective (`-ский`). These
# nouns after a name still say where (`Chust bozori`, `Pop markazi`, `Андижанский рынок`);
# keys' beginnings.
_WHERE_NOUNS: Final = tuple(
    place_key(w)
    for w in [
        "bozor", "markaz", "tomon", "yaqin", "atrof", "chekka", "hudud", "vodiy", "ichi",
        "yo'l", "trassa", "vokzal", "aeroport", "mavze", "massiv", "chorraha", "бозор",
        "марказ", "томон", "яқин", "атроф", "чекка", "ҳудуд", "водий", "ичи", "йўл", "трасса",
        "вокзал", "аэропорт", "мавзе", "shahar", "shaxar", "qishlo", "mahall", "шаҳар", "шахар",
        "қишло", "кишла", "маҳалл", "махалл", "посёл", "рынок", "рынк", "базар",
        "центр", "долин", "трасс",
    ]
)  # fmt: skip
_POSSESSED: Final = re.compile(
    r"[^\W\d_]{2,}(?:si|i|си|и)(?:ni|da|dan|ga|ning|dagi|dek|ни|да|дан|га|нинг|даги|дек)?"
)
_JUST_SPACE: Final = re.compile(r"[ \t\u00a0]{1,3}")
_OF_NAME: Final = re.compile(r"ning$")  # on a key: `Marg'ilonning`, `Марғилоннинг`
_RUSSIAN_ADJECTIVE: Final = re.compile(r"n?sk(?:iy|aya|ay|ae|ie|ih|uyu|aga|amu|im|imi|ay)$")


def _bare(text: str, start: int, end: int) -> str:
    """A word lowered, without its apostrophes (`yog'i` → `yogi`)."""
    return text[start:end].lower().translate(_NO_APOSTROPHES)


_NO_APOSTROPHES: Final = str.maketrans(dict.fromkeys(APOSTROPHES, None))


def _names_a_thing(
    text: str, words: list[tuple[int, int, str]], index: int, next_index: int
) -> bool:
    """Whether the name at `index` qualifies the noun at `next_index` (`Marg'ilon atlasi`)."""
    if next_index >= len(words):
        return False
    key = words[index][2]
    start, end, after = words[next_index]
    if not _JUST_SPACE.fullmatch(text, words[index][1], start):
        return False  # `Manzil: Oltiariq\nNarxi …`, `Фергана, Маргилан`: another clause
    if after in _PLACE_WORDS or after in _REGION_WORDS or after.startswith(_WHERE_NOUNS):
        return False
    if _lookup(after) is not None:
        return False  # `Namangan Chust tumani`: two places
    if _RUSSIAN_ADJECTIVE.search(key):
        return True  # `маргиланский атлас`; `Кокандский район` stopped above
    hit = _lookup(key)
    if hit is not None and hit[1] and not _OF_NAME.search(key):
        return False  # `Asakada …`: a case ending says where; `Marg'ilonning atlasi` does not
    if _POSSESSED.fullmatch(_bare(text, start, end)):
        return True
    # `Andijon paxta yog'i`: a bare noun, then the possessed one.
    if next_index + 1 < len(words):
        second_start, second_end, second = words[next_index + 1]
        if second in _PLACE_WORDS or second in _REGION_WORDS or second.startswith(_WHERE_NOUNS):
            return False
        return bool(
            _POSSESSED.fullmatch(_bare(text, second_start, second_end))
            and _JUST_SPACE.fullmatch(text, end, second_start)
        )
    return False


_STREET_BEFORE: Final = frozenset(
    place_key(w) for w in ["ул", "улица", "улице", "ulitsa", "проспект", "пр", "пр-т"]
)
_REGION_WORDS: Final = frozenset(
    place_key(w)
    for w in [
        "viloyat",
        "viloyati",
        "viloyatida",
        "viloyatidan",
        "viloyatiga",
        "вилоят",
        "вилояти",
        "вилоятида",
        "вилоятидан",
        "вилоятига",
        "область",
        "области",
        "обл",
        "vil",
        "вил",
    ]
)


def _build() -> tuple[Mapping[str, _Place], Mapping[str, _Place], frozenset[str]]:
    exact: dict[str, _Place] = {}
    stems: dict[str, _Place] = {}  # names ending in `a` without it: Асак-е, Кув-е
    for place in PLACES:
        for name in place.names:
            for key in _spellings(name):
                exact.setdefault(key, place)
                if key.endswith("a") and len(key) > 3:
                    stems.setdefault(key[:-1], place)
                if key.endswith(("ay", "ey", "iy")) and len(key) > 4:
                    stems.setdefault(key[:-1], place)  # Кувасай → в Кувасае
    for region, city in _REGION_NAMES.items():
        for key, place in list(exact.items()):
            if place.region is region and place.district == city:
                exact[key] = _Place(city, region, place.names, is_region=True)
        for key, place in list(stems.items()):
            if place.region is region and place.district == city:
                stems[key] = _Place(city, region, place.names, is_region=True)
    prefixes = frozenset(k[:3] for k in (*exact, *stems))
    return MappingProxyType(exact), MappingProxyType(stems), prefixes


_EXACT, _STEMS, _PREFIXES = _build()

# Typed one letter off (`Risthon`, `Namagan`, `Margelon`): every name of six letters or more
# is also found by its keys with one letter left out, and so is the word (a symmetric-delete
# index: a slip, a missing, an extra or two swapped letters all meet there, and each meeting is
# checked to be one letter off). Only names that are no ordinary word, and only where one name
# alone is that close.
_TYPO_MIN: Final = 6


def _deletions(key: str) -> set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


def _one_off(a: str, b: str) -> bool:
    """Whether `a` is `b` with one letter changed, added, left out, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (
            a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]
        )
    return a[i + 1 :] == b[i:] if len(a) > len(b) else a[i:] == b[i + 1 :]


def _build_typos() -> Mapping[str, tuple[tuple[str, _Place], ...]]:
    index: dict[str, list[tuple[str, _Place]]] = {}
    for key, place in _EXACT.items():
        if place.weak or len(key) < _TYPO_MIN:
            continue
        for variant in {key} | _deletions(key):
            index.setdefault(variant, []).append((key, place))
    return MappingProxyType({k: tuple(v) for k, v in index.items()})


_TYPOS: Final = _build_typos()


def _typo(key: str) -> _Place | None:
    """The one place `key` is a slip of, or None."""
    if len(key) < _TYPO_MIN or len(key) > 16:
        return None
    found = {
        place.district: place
        for variant in {key} | _deletions(key)
        for name, place in _TYPOS.get(variant, ())
        if _one_off(key, name)
    }
    return next(iter(found.values())) if len(found) == 1 else None


_WORD: Final = re.compile(rf"[^\W\d_](?:[^\W\d_]|[{APOSTROPHES}](?=[^\W\d_]))*")
# Hostile input: a 4,096-character message has up to about 2,000 words; an ad names its place
# well before its thousandth word.
_MAX_WORDS: Final = 1_000
# An ad names its place once or twice; past this many mentions the rest changes nothing.
_MAX_FOUND: Final = 16
# Words keyed at a time, ahead of the one read (at least the three it looks past).
_READ_AHEAD: Final = 32


@dataclass(frozen=True, slots=True)
class PlaceReading:
    """The place an ad names. `spans` are the (start, end) character ranges of the words that
    said it (the name and the words around it such as `tumani`), for the description."""

    region: Region | None = None
    district: str | None = None
    spans: tuple[tuple[int, int], ...] = ()


def _lookup(key: str) -> tuple[_Place, bool] | None:
    """The place a word's key names, and whether it carried a suffix."""
    if key[:3] not in _PREFIXES:
        return None
    place = _EXACT.get(key)
    if place is not None:
        return place, False
    for size in _SUFFIX_SIZES:
        if len(key) <= size + 2:
            break
        suffix = key[-size:]
        if suffix not in _SUFFIX_SET:
            continue
        stem = key[:-size]
        place = _EXACT.get(stem)
        if place is not None:
            return place, True
        if suffix in _REPLACED_ENDINGS or suffix.startswith(("sk", "insk")):
            place = _STEMS.get(stem)
            if place is not None:
                return place, True
    return None


# What may stand before a place named alone (`… 1200$. Балиқчи. 93 …`, `📍Pop`) and after it.
_ALONE_BEFORE: Final = frozenset(".,;:!\n|/📍🏠📌🗺")
_ALONE_AFTER: Final = re.compile(r"[ \t]{0,3}(?:$|\n|[.;!|]|,?[ \t]{0,3}[+(\d])")


def _stands_alone(text: str, start: int, end: int, index: int) -> bool:
    """A name that is also a word is the place when it is the place line: capitalised, not the
    text's first word (`Marhamat, …` there is "please"), and either right before the phone or
    alone in its clause (`… 1200$. Балиқчи. 93 …`, `Pop 99 345 67 89`)."""
    if index == 0 or not text[start].isupper():
        return False
    after = _ALONE_AFTER.match(text, end)
    if after is None:
        return False
    if after.group().strip(" \t,")[:1] in ("+", "(") or after.group().strip(" \t,")[:1].isdigit():
        return True  # the phone right after it: `… 2.5 mln Pop 99 345 67 89`
    before = text[max(0, start - 4) : start].rstrip(" \t")
    return not before or before[-1] in _ALONE_BEFORE


@dataclass(slots=True)
class _Found:
    place: _Place
    start: int
    end: int
    city: bool  # next to "city"
    regional: bool  # next to "region" (`вилояти`, `область`)
    qualified: bool  # next to any place word
    index: int
    of_region: bool = False  # followed by "region": `Toshkent viloyati`
    of_district: bool = False  # followed by "district": `Andijon tumani`


def read_place(text: str) -> PlaceReading:
    """The region and district `text` names, or an empty reading.

    A district or town of the valley wins over a region's bare name (it is more precise), and
    both win over places outside the valley (`Toshkentdan olib kelingan` in an ad from Asaka).
    Among equals, the first named wins. A region's name next to "region" is the region alone
    (`Андижон вилояти` → andijan, no district); without it, the city that bears the name
    (`Андижонда`, `Андижон шаҳри`, `г. Андижан` → Andijon), as people use it.
    """
    # Words are keyed as the loop reaches them, in batches that keep at least three ahead (the
    # most it reads past the current one, `_names_a_thing` included): the loop stops after
    # _MAX_FOUND places, and a long text has many words after those. Each distinct word is
    # keyed and looked up once: a long text repeats its words (a hostile one little else), and
    # the key is the costly part.
    matches = itertools.islice(_WORD.finditer(text), _MAX_WORDS)
    keys: dict[str, str] = {}
    words: list[tuple[int, int, str]] = []

    def read_ahead(upto: int) -> None:
        batch = list(itertools.islice(matches, max(0, upto - len(words))))
        found = [match.group() for match in batch]
        for word in set(found).difference(keys):
            keys[word] = place_key(word)
        words.extend(
            (match.start(), match.end(), keys[word])
            for match, word in zip(batch, found, strict=True)
        )

    # Each key's (and pair's) look-up, remembered; inline rather than a helper, as this loop
    # runs once per word.
    looked_up: dict[str, tuple[_Place, bool] | None] = {}
    found: list[_Found] = []
    for index in itertools.count():
        if len(words) < index + 4:
            read_ahead(index + _READ_AHEAD)
            if index >= len(words):
                break
        start, end, key = words[index]
        if key in looked_up:
            hit = looked_up[key]
        else:
            hit = looked_up[key] = _lookup(key)
        end_at = end
        # A pair is looked up only when its first word could begin a name (`_lookup` refuses
        # any key whose first three letters begin none, and the pair's are the word's).
        if hit is None and index + 1 < len(words) and (len(key) < 3 or key[:3] in _PREFIXES):
            # Two words that are one name: `Uch ko'prik`, `Qo'rg'on tepa`, `Yangi qo'rg'on`.
            pair = key + words[index + 1][2]
            if pair in looked_up:
                hit = looked_up[pair]
            else:
                hit = looked_up[pair] = _lookup(pair)
            end_at = words[index + 1][1]
        if hit is None and len(key) >= _TYPO_MIN and text[start].isupper():
            # A name typed one letter off, where a place is said: next to a place word or
            # alone as the place line (`… 7 800. Risthon. tel …`), never inside a sentence.
            # (The cheap test of where the word stands first, the look-up after.)
            near_words = {
                words[index - 1][2] if index > 0 else "",
                words[index + 1][2] if index + 1 < len(words) else "",
            }
            slip = (
                _typo(key)
                if near_words & (_PLACE_WORDS | _REGION_WORDS)
                or _stands_alone(text, start, end, index)
                else None
            )
            hit, end_at = ((slip, False) if slip is not None else None), end
        if hit is None:
            continue
        place, _suffixed = hit
        before = words[index - 1][2] if index > 0 else ""
        after = words[index + 1][2] if index + 1 < len(words) else ""
        if end_at != end:
            after = words[index + 2][2] if index + 2 < len(words) else ""
        near = {before, after}
        # `Фарғона тумани` is the district that bears the region's name, a place as a city is.
        city = bool(near & _CITY_WORDS) or before == "g" or after in _DISTRICT_WORDS
        qualified = bool(near & (_PLACE_WORDS | _REGION_WORDS)) or before == "g"
        if (
            place.weak
            and not (near & _PLACE_WORDS or before == "g")
            and not _stands_alone(text, start, end_at, index)
        ):
            continue
        if after in _STREET_AFTER or before in _STREET_BEFORE:
            continue  # `Navoiy ko'chasi`, `ул. Навои`: a street in any town
        if _names_a_thing(text, words, index, index + (2 if end_at != end else 1)):
            continue
        start_at, stop = start, end_at
        if before and (before in _PLACE_WORDS or before == "g") and index > 0:
            start_at = words[index - 1][0]
        if after and (after in _PLACE_WORDS or after in _REGION_WORDS):
            stop = words[index + (2 if end_at != end else 1)][1]
        regional = bool(near & _REGION_WORDS)
        of_region = after in _REGION_WORDS
        found.append(
            _Found(
                place,
                start_at,
                stop,
                city,
                regional,
                qualified,
                index,
                of_region,
                after in _DISTRICT_WORDS,
            )
        )
        if len(found) >= _MAX_FOUND:
            break
    if not found:
        return PlaceReading()

    def rank(item: _Found) -> tuple[int, int]:
        place = item.place
        if place.region is Region.OTHER:
            # `Toshkent viloyati Chirchiq shahrida`: the town says more than its region.
            return (5 if item.of_region else 4, item.index)
        if place.is_region and not item.city and not listed:
            return (3, item.index)
        if place.is_region and item.of_district:
            # `Andijon tumani, Kuyganyor`: the town in the district says more.
            return (2, item.index)
        return (1, item.index)

    # Three towns or more, none called a district or a city, are a list (`Farg'ona, Marg'ilon,
    # Quvasoy`: where a service goes), not an address (`Андижон, Избоскан тумани, Пойтуғ`):
    # the first is the seller's own, even the region's city.
    valley = [f for f in found if f.place.region is not Region.OTHER]
    listed = len({f.place.district for f in valley}) >= 3 and not any(f.qualified for f in valley)

    best = min(found, key=rank)
    place = best.place
    district: str | None = place.district
    if (place.is_region and best.regional and not best.city) or (
        place.region is Region.OTHER and best.of_region
    ):
        # `Андижон вилояти`, and likewise `Samarqand viloyati`: the region, no town. A bare
        # `Андижонда` is said of the city, as `Toshkentda` is of Tashkent.
        district = None
        # A region named first and its district later: the district says more.
    region = place.region
    spans = tuple(
        (f.start, f.end)
        for f in found
        if f.place.region is region or (f.place.region is Region.OTHER and region is Region.OTHER)
    )
    return PlaceReading(region, district, spans)

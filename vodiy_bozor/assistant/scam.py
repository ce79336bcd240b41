"""Scam and spam signals, each a code with a weight, and a level from their sum.

Every reason is explainable on its own (the card lists them); the level only says how many
point the same way. Nothing is rejected or delayed because of them.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise, takewhile
from typing import Final

from vodiy_bozor.assistant.prices import USD_RATE_UZS
from vodiy_bozor.assistant.types import SellerFacts
from vodiy_bozor.models import Currency, Price
from vodiy_bozor.text.fold import fold_text
from vodiy_bozor.text.phone import PhoneError, parse_phone


class Reason(enum.StrEnum):
    """Stable codes (locale keys `assistant-reason-<code>` render them)."""

    LINK = "link"  # a link to another site or channel
    USERNAME = "username"  # "write to @someone": the deal moves off the channel
    OTHER_PHONE = "other_phone"  # a phone number in the text other than the ad's
    PREPAYMENT = "prepayment"  # asks for money in advance or a card transfer
    CARD_NUMBER = "card_number"  # a bank card number in the text
    SHARED_PHONE = "shared_phone"  # the phone is on ads of 3 or more accounts
    NEW_ACCOUNT = "new_account"  # first seen less than a day before the ad
    REJECTIONS = "rejections"  # 2 or more ads rejected in the last 30 days
    CAPS = "caps"  # mostly capital letters
    EMOJI = "emoji"  # a flood of emoji
    # More than 10× below the category's median with no typo to explain it. Weak alone:
    # categories mix cheap and dear items (a button phone and an iPhone).
    TOO_CHEAP = "too_cheap"
    # A number abroad (+7, +992, …): the seller is not where the goods are said to be.
    FOREIGN_PHONE = "foreign_phone"
    # "Write on WhatsApp / Instagram": the deal moves off Telegram, where no one can see it.
    MESSENGER = "messenger"
    # A link shortener (bit.ly, …): hides where the link goes.
    SHORT_LINK = "short_link"
    # Delivery "all over Uzbekistan" with no payment on receipt: goods never seen. Weak alone:
    # honest shops send by post too.
    NATIONWIDE = "nationwide"
    # Far below what the named model sells for anywhere (an iPhone 15 Pro Max for 230$): bait.
    TOO_GOOD = "too_good"
    # A new account that has posted several ads within a day.
    BURST = "burst"
    # Easy money: guaranteed profit, crypto, bets, prizes, followers for sale, work from home
    # for a daily sum. Not goods at all: spam in a market channel.
    EASY_MONEY = "easy_money"
    # A loan offered by a stranger ("kredit olib beramiz", "займ без отказа"): spam, and often
    # a fee taken first.
    LOAN = "loan"
    # The seller or the owner is abroad ("egasi Rossiyada", "я сейчас в Москве"): the goods
    # cannot be seen, the classic story before a transfer. Weak alone: honest owners abroad sell
    # through a relative or a notary.
    AWAY = "away"
    # "Obuna bo'ling", "подписывайтесь": an ad for another channel. Weak alone; with the link
    # or @username it points to, spam.
    SUBSCRIBE = "subscribe"


WEIGHTS: Final[dict[Reason, int]] = {
    Reason.LINK: 3,
    Reason.USERNAME: 3,
    Reason.OTHER_PHONE: 1,
    Reason.PREPAYMENT: 4,
    Reason.CARD_NUMBER: 4,
    Reason.SHARED_PHONE: 3,
    Reason.NEW_ACCOUNT: 1,
    Reason.REJECTIONS: 2,
    Reason.CAPS: 1,
    Reason.EMOJI: 1,
    Reason.TOO_CHEAP: 1,
    Reason.FOREIGN_PHONE: 2,
    # As strong as an @username: the same fact, the deal leaves the channel.
    Reason.MESSENGER: 3,
    Reason.SHORT_LINK: 1,
    Reason.NATIONWIDE: 1,
    Reason.TOO_GOOD: 3,
    Reason.BURST: 3,
    Reason.EASY_MONEY: 4,
    Reason.LOAN: 4,
    Reason.AWAY: 2,
    Reason.SUBSCRIBE: 1,
}

# Signs of one fact, that the deal moves off the channel (a link, an @username, "write on
# WhatsApp / Instagram"), count once: a shop's "@shop_tort on Instagram" is one sign, not two.
OFF_CHANNEL: Final = frozenset({Reason.LINK, Reason.USERNAME, Reason.MESSENGER})


def score_of(reasons: tuple[Reason, ...] | list[Reason]) -> int:
    """The reasons' weights added up, the off-channel group counted by its strongest."""
    off = [WEIGHTS[r] for r in reasons if r in OFF_CHANNEL]
    return sum(WEIGHTS[r] for r in reasons if r not in OFF_CHANNEL) + max(off, default=0)


class Level(enum.IntEnum):
    NONE = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @property
    def code(self) -> str:
        return self.name.lower()


# Asking a stranger for money in advance, or for a card transfer, is the scam that classifieds
# sites warn about first; it is high on its own. Links and @usernames (the deal moved off the
# channel) are medium alone and high with any other sign.
HIGH_SCORE: Final = 4
MEDIUM_SCORE: Final = 2


@dataclass(frozen=True, slots=True)
class ScamAssessment:
    level: Level
    reasons: tuple[Reason, ...]  # strongest first

    @property
    def score(self) -> int:
        return score_of(self.reasons)

    @property
    def shown(self) -> bool:
        """Worth a 🤖 line on the card: a single weak sign (a new account) is not."""
        return self.level >= Level.MEDIUM


def level_for(score: int) -> Level:
    if score >= HIGH_SCORE:
        return Level.HIGH
    if score >= MEDIUM_SCORE:
        return Level.MEDIUM
    return Level.LOW if score > 0 else Level.NONE


_LINK: Final = re.compile(
    r"https?://|www\.|\bt\.me/|\btelegram\.me/|\bwa\.me/"
    r"|\b[a-z0-9][a-z0-9-]{1,62}\.(?:uz|com|ru|net|org|me|io|shop|site|online|xyz|info|store"
    r"|ly|link|click|top|pro|biz|kz|su|cc|co|tk|app|gl|su)\b",
    re.IGNORECASE,
)
_SHORTENER: Final = re.compile(
    r"\b(?:bit\.ly|cutt\.ly|t\.ly|tinyurl\.com|goo\.gl|clck\.ru|is\.gd|rb\.gy|shorturl\.at)/",
    re.IGNORECASE,
)
# Messengers and networks off Telegram, in the spellings people type (folded: Cyrillic).
_MESSENGERS: Final = (
    "ватсап",
    "вотсап",
    "уатсап",
    "wхатсап",
    "wатсап",
    "вайбер",
    "вибер",
    "инстаграм",
    "инста",
)
# A phone number abroad: `+` and a country code other than 998, or the Russian `8 9XX …`.
_FOREIGN_PHONE: Final = re.compile(
    r"(?<![\w+])\+\s?(?!998)(?:[1-9]\d{0,2})[\s(\-]{0,2}\d{2,4}[\s)\-]{0,2}\d{2,4}"
    r"[\s\-]?\d{2,4}(?:[\s\-]?\d{2,4})?(?!\d)"
    r"|(?<![\w+])8[\s(\-]{0,2}9\d{2}[\s)\-]{0,2}\d{3}[\s\-]?\d{2}[\s\-]?\d{2}(?!\d)"
)
_USERNAME: Final = re.compile(r"(?<![\w.])@[A-Za-z][A-Za-z0-9_]{3,31}\b")
# "Telegramda yozing: @x", "пишите в телеграм @x": the seller's own Telegram account, where
# the buyer already is; the deal stays on Telegram.
_TELEGRAM: Final = re.compile(r"telegram|телеграм|телеграмм|tg\b", re.IGNORECASE)
# A bank card: 16 digits in groups of four (Uzcard 8600, Humo 9860, Visa, Mastercard).
_CARD: Final = re.compile(r"(?<!\d)\d{4}(?:[ \t\u00a0.-]{0,3}\d{4}){3}(?!\d)")
_PHONE_LIKE: Final = re.compile(r"\+?\d[\d\s().-]{7,}\d")

# Asking for money before the buyer has the goods, in Uzbek (both scripts, folded to one form
# by text.fold) and Russian. Words are matched by their folded beginnings (stems), so endings and
# spellings vary freely. Some words are enough alone ("предоплата", "аванс", "задаток"); others
# only next to a word about paying, within a few words: "oldindan" alone is also "oldindan
# rahmat" (thanks in advance), "karta" also a map or a memory card.
_ALONE: Final = ("предоплат", "аванс", "задат", "заклад", "заклат", "закалат", "закалад")
# A deposit (`zalog`, `garov puli`): a scam's first step when selling, but the custom when
# renting out a flat, so not in a rental.
_DEPOSIT: Final = ("залог", "гаров", "депозит", "депосит")
_RENTAL: Final = (
    "ижара",
    "аренд",
    "сдаю",
    "сдает",
    "сдаёт",
    "ойига",
    "месяц",
    "ijara",
    "посуточ",  # by the day
    "сутк",
    "возврат",  # a deposit that is given back is a rental's
    "кайтарил",
)
# "Avans beriladi" / "аванс выдаётся": an advance on a worker's wages, paid by the employer.
_WAGES: Final = ("берил", "берамиз", "выда", "выплач", "ойлик", "маош", "зарплат")
_PAY_WORDS: Final = (
    "тул",  # to'lov, to'lab, to'lang (pay)
    "толаб",
    # Sloppy Latin without the apostrophe: "tolov", "tolang" fold to "тол…", not "тўл…".
    "толов",
    "толаш",
    "толанг",
    "толайсиз",
    "пул",  # pul (money)
    "ташла",  # tashlang (throw in = send money)
    "утказ",  # o'tkazing (transfer)
    "перев",  # переведите, перевод
    "перечисл",
    "скин",  # скиньте
    "оплат",
    "брон",  # bron qilish uchun (to reserve)
)
# A fee for a service ("xizmat haqi oldindan", "услуги вперёд") is money first as well.
_FEE_WORDS: Final = (*_PAY_WORDS, "хизмат", "услуг")
_NEAR: Final = {
    "олдиндан": _FEE_WORDS,
    "заранее": _FEE_WORDS,
    "вперед": ("оплат", "тул", "пул", "хизмат", "услуг"),
    "вперёд": ("оплат", "тул", "пул", "хизмат", "услуг"),
    # Paying on an outside site ("to'lov saytda", "оплата на сайте") is paying before the goods.
    "сайт": ("тул", "оплат"),
    "карт": (*_PAY_WORDS, "ракам", "номер"),
    "пайме": _PAY_WORDS,
    "пейми": _PAY_WORDS,
    "клик": _PAY_WORDS,
    "цлицк": _PAY_WORDS,
    "перев": ("карт", "пайме", "клик", "цлицк", "счет", "хисоб"),
    "оплат": ("карт", "пайме", "клик", "цлицк", "вперед", "заранее", "почт"),
}
# Four words: "оплата за оформление 500$ вперёд" keeps the two words four apart.
_WINDOW: Final = 4
# Payment before the goods, said the other way round: "first money, then goods", "we send
# after payment", "when you transfer, we ship". Each pair: a word's beginning and, within
# _WINDOW words after it, another's.
_THEN: Final = {
    "сначала": ("оплат", "предоплат", "перев", "деньг", "залог", "задат"),
    "после": ("оплат", "полной", "перев", "поступлен"),
    # Not "to'lov ... keyin" alone: "to'lov o'rnatilgandan keyin" is payment after installing.
    "тулов": ("килинганидан", "килингандан", "килганингиздан"),
    "туловдан": ("кейин",),
    "пулни": ("ташла", "утказ", "юбор"),
    "пул": ("утказ", "ташла", "тушган", "юбор"),
    "100": ("оплат", "тул", "предоплат"),
    "оплат": ("100",),
    "полной": ("оплат",),
}
# The payment is on receipt: "картой при получении", "Click orqali, olganda" is no prepayment.
_ON_RECEIPT: Final = (
    "получени",
    "олганда",
    "олганингизда",
    "кабул",
    "встреч",
    "курганда",
    "кургандан",
    "налож",
    "олгандан",
    "топширганда",
    "учраш",  # uchrashganda: when we meet
    "магазин",  # at the shop
    "дукон",
    "наличн",  # cash
    "накд",
    "жойида",  # on the spot
    "урнатил",  # after installing
    "етказгандан",  # after delivering
    "етказилгандан",
    "осмотр",
    "самовывоз",
)
# "Money first", said with "avval" on either side: "avval pul", "pul avval o'tkaziladi",
# "avval hujjatga 200 ming tashlaysiz".
_FIRST: Final = ("аввал",)
_THEN_WORDS: Final = ("кейин", "сунг", "потом", "затем")
_FIRST_PARTNERS: Final = ("пул", "тул", "оплат", "ташла", "утказ", "перев")
# "Предоплата не нужна", "oldindan to'lov shart emas", "depozit kerak emas", "garovda emas",
# "yo'q": the ad says there is none. "Не менее 50%" is not a no.
_NO_AFTER: Final = ("не", "нет", "емас", "эмас", "йук", "талаб")
_NOT_NO: Final = ("менее", "меньше", "килинади")
# "Без предоплаты", "oldindan to'lovsiz": none, unless the sentence refuses to work without
# it ("без предоплаты не отправляем", "to'lovsiz ishlamaymiz").
_PAYMENT_NOUNS: Final = (
    "тулов",
    "толов",
    "предоплат",
    "залог",
    "депозит",
    "аванс",
    "закалат",
    "гаров",
)
_REFUSAL: Final = re.compile(r"\b(?:не|нет)\b|\w+ма(?:ймиз|йман|йди|йсиз)\b")
_METHOD_TRIGGERS: Final = ("карт", "пайме", "пейми", "клик", "цлицк", "перев", "оплат")
_SENTENCE: Final = re.compile(r"[.!?\n;]+")


def _denied(words: list[str], index: int, sentence: str) -> bool:
    """The words at `index` say there is *no* such payment."""
    # The privative `-siz` of a payment noun ("to'lovsiz"), not the verb's "you" ("to'laysiz").
    without = (index > 0 and words[index - 1] == "без") or any(
        w.startswith(_PAYMENT_NOUNS) and w.endswith("сиз") for w in words[index : index + 2]
    )
    if without:
        return not _REFUSAL.search(sentence)
    following = words[index + 1 : index + 4]
    for position, word in enumerate(following):
        if word in _NO_AFTER:
            nxt = following[position + 1] if position + 1 < len(following) else ""
            return not nxt.startswith(_NOT_NO)
    return False


# "Oldindan 30%", "30% вперёд": a share paid first (the fold drops the `%`, so the raw text).
_SHARE_FIRST: Final = re.compile(
    r"(?:oldindan|олдиндан|заранее|вперед|вперёд|avans|аванс)\W{0,3}\d{1,3}\s?%"
    r"|\d{1,3}\s?%\W{0,3}(?:oldindan|олдиндан|заранее|вперед|вперёд)",
    re.IGNORECASE,
)
# Rent paid months ahead ("oldindan 2 oylik to'lov", "оплата за месяц вперёд") is a landlord's
# custom; in a rental only a card, a transfer or a fee to view counts.
_ADVANCE_TRIGGERS: Final = ("олдиндан", "заранее", "вперед", "вперёд")
_MONTHS: Final = ("ой", "ойлик", "ойга", "месяц", "мес")


def _asks_prepayment(description: str, sentences: list[str] | None = None) -> bool:
    """`sentences`: the description's sentences already folded, when the caller has them."""
    if _SHARE_FIRST.search(description):
        return True
    rental = None
    if sentences is None:
        sentences = [fold_text(sentence) for sentence in _SENTENCE.split(description)]
    for folded in sentences:
        words = folded.split()
        on_receipt = any(w.startswith(_ON_RECEIPT) for w in words)
        wages = any(w.startswith(_WAGES) for w in words)
        for index, word in enumerate(words):
            if word.startswith(_ALONE):
                if word.startswith("аванс") and wages:
                    continue  # an advance on wages
                if not _denied(words, index, folded):
                    return True
            if word.startswith(_DEPOSIT):
                if rental is None:
                    rental = any(w.startswith(_RENTAL) for line in sentences for w in line.split())
                if not rental and not _denied(words, index, folded):
                    return True
            after = words[index + 1 : index + 1 + _WINDOW]
            before = words[max(0, index - _WINDOW) : index]
            if word.startswith(_FIRST):
                # Up to "then": "avval ko'ring, keyin pul to'laysiz" is see first, pay after.
                until_then = list(takewhile(lambda w: not w.startswith(_THEN_WORDS), after))
                if any(o.startswith(_FIRST_PARTNERS) for o in before[-2:] + until_then):
                    return True
            for trigger, partners in _THEN.items():
                if word.startswith(trigger) and any(o.startswith(partners) for o in after):
                    if trigger.startswith("пул") and on_receipt:
                        continue  # "pulni olganda o'tkazasiz": money when the goods are there
                    return True
            for trigger, partners in _NEAR.items():
                if not word.startswith(trigger):
                    continue
                if on_receipt and trigger.startswith(_METHOD_TRIGGERS):
                    continue  # paying by card or Click when the goods are handed over
                if trigger in _ADVANCE_TRIGGERS and any(w.startswith(_MONTHS) for w in words):
                    if rental is None:
                        rental = any(
                            w.startswith(_RENTAL) for line in sentences for w in line.split()
                        )
                    if rental:
                        continue  # rent paid months ahead
                if any(other.startswith(partners) for other in before + after) and not _denied(
                    words, index, folded
                ):
                    return True
    return False


# "All over Uzbekistan", "to every region", unless paid on receipt.
_NATIONWIDE: Final = re.compile(
    r"(?:o.?zbekiston|ўзбекистон|узбекистан|respublika|республика)\w*\s+"
    r"(?:bo.?ylab|бўйлаб|буйлаб)"
    r"|по\s+(?:всему\s+|всей\s+)?(?:узбекистану|республике|стране)"
    r"|(?:barcha|hamma|барча|ҳамма)\s+(?:viloyat|вилоят|shahar|шаҳар)"
    r"|в\s+любой\s+(?:регион|город)|в\s+любую\s+точку|по\s+всем\s+(?:регионам|городам|областям)",
    re.IGNORECASE,
)

# The lowest price the named model sells for used, in US dollars, well below the market: the
# bait is far under it (`iPhone 15 Pro Max 230$`), an honest bargain is not. Folded stems.
_MODEL_FLOORS: Final = (
    (re.compile(r"(?:айфон|iphone|ипхоне)\s*1[5-7]"), 400),
    (re.compile(r"(?:айфон|iphone|ипхоне)\s*1[34]"), 280),
    (re.compile(r"(?:айфон|iphone|ипхоне)\s*1[12]"), 130),
    (re.compile(r"\bс2[2-5]\b|\bs2[2-5]\b|галакси\s*с2|ултра|ультра"), 250),
    (re.compile(r"макбук|macbook"), 250),
    (re.compile(r"плейстейшн\s*5|\bпс\s*5\b|ps\s*5"), 200),
    (re.compile(r"малибу"), 9_000),
    (re.compile(r"(?:жентра|gentra)\s*20(?:1[6-9]|2\d)"), 7_500),
    (re.compile(r"(?:кобалт|cobalt)\s*20(?:1[6-9]|2\d)"), 6_500),
    (re.compile(r"(?:трекер|tracker)"), 9_000),
    # The valley's common cars, by the cheapest year or body still sold: an old Nexia or
    # Damas is honestly cheap, so only the later bodies and years.
    (re.compile(r"(?:нексия|nexia)\s*3"), 4_500),
    (re.compile(r"(?:спарк|spark)\s*20(?:1[5-9]|2\d)"), 4_500),
    (re.compile(r"(?:ласетти|лачетти)\s*20(?:1[5-9]|2\d)"), 5_500),
    (re.compile(r"(?:камри|кемри|цамрй)\s*20(?:1[5-9]|2\d)"), 12_000),
    (re.compile(r"(?:дамас|damas)\s*20(?:1[5-9]|2\d)"), 3_500),
)
# A rental's monthly rent, or a service, is no sale price.
_NOT_A_SALE: Final = ("ижара", "аренд", "сдаю", "сдает", "ойига", "месяц", "хизмат", "услуг")
# An accessory for the model (a case, a charger, glass) or spare parts: cheap and honest.
_ACCESSORY: Final = (
    "чехол",
    "чехл",
    "кейс",
    "заряд",
    "кабел",
    "наушник",
    "стекл",
    "пленк",
    "плёнк",
    "запчаст",
)


def _too_good(folded: str, price: Price | None) -> bool:
    if price is None or price.amount is None or price.amount <= 0:
        return False
    if any(word.startswith((*_NOT_A_SALE, *_ACCESSORY)) for word in folded.split()):
        return False
    usd = price.amount if price.currency is Currency.USD else price.amount / USD_RATE_UZS
    return any(usd < floor and pattern.search(folded) for pattern, floor in _MODEL_FLOORS)


# Easy money, by folded stems. Some words are never goods in a market ad (crypto, bets, a
# prize "won", followers for sale); income only as a promise (below), since honest job and
# rental ads name pay and income too, and "no experience needed" is an honest job's phrase.
_MONEY_ALONE: Final = (
    "крипт",
    "бинанс",
    "усдт",
    "биткоин",
    "форекс",
    "трейдинг",
    "букмекер",
    "казино",
    "накрутк",
    "подписчик",
    "обуначи",
    "выиграйте",
    "ютдингиз",  # siz yutdingiz: you won
    "розыгрыш",
    "лотере",
    "пассивн",
    "сигналлар",
    "сигналы",
)
# Abroad, as people name it, and who is there: "egasi", "хозяин", "я", "men", "hozir", or the
# place itself with "I am in" ("Moskvadaman", "Qozog'istondaman").
_ABROAD: Final = (
    "москв",
    "росси",
    "казахстан",
    "козогистон",
    "корея",
    "кореяд",
    "зарубеж",
    "границ",
    "дубай",
    "турци",
    "туркия",
    "америк",
    "европ",
    "польш",
)
_WHO: Final = (
    "егаси",
    "хозяин",
    "хозяина",
    "я",
    "мен",
    "хозир",
    "сейчас",
    "узим",
    "сам",
    "продавец",
    "сотувчи",
)
_IN_UZ: Final = ("да", "даман", "дамиз", "дадир", "дадирман")
_IN_RU: Final = ("е", "и", "ей")
_MADE: Final = ("ишлаб", "чикарил", "йигил", "сделан", "произвед", "собран")
_I_AM_IN: Final = ("даман", "дамиз")


def _away(words: list[str]) -> bool:
    """Someone is *in* a place abroad: the locative ("Rossiyada", "в России", "chet elda"), not
    "to" or "from" it ("Rossiyaga ketyapman", "уезжаю в Россию", "Dubaydan olib kelingan")."""
    there = False
    for index, word in enumerate(words):
        before = words[index - 1] if index else ""
        if word == "чет" and index + 1 < len(words):
            word = "чет" + words[index + 1]
        if not word.startswith((*_ABROAD, "четел")):
            continue
        after = words[index + 1] if index + 1 < len(words) else ""
        if after.startswith(_MADE) or (index > 1 and words[index - 2].startswith(_MADE)):
            continue  # "Koreyada ishlab chiqarilgan", "сделано в Корее": the goods' origin
        if word.endswith(_IN_UZ) or (before in ("в", "во", "за") and word.endswith(_IN_RU)):
            there = True
    if not there:
        return False
    return any(w in _WHO for w in words) or any(w.endswith(_I_AM_IN) for w in words)


# Income, and what makes it a promise rather than a job's pay or a shop's warranty:
# "foyda / daromad / доход" guaranteed ("kafolat", "гарантия"); any pay for work from home or
# by phone ("uyda o'tirib", "на дому", "удалённо").
_PROFIT: Final = ("фойда", "даромад", "доход", "прибыл", "заработ", "зарабат")
_USEFUL: Final = ("фойдал",)  # "foydali": useful, a good buy
_PAY: Final = (*_PROFIT, "кунига", "ойига", "топинг", "топасиз", "топиш", "недел", "хафтасига")
_GUARANTEED: Final = ("кафолат", "гарант", "пассивн")
_HOME: Final = ("уйда", "уйдан")
_REMOTE: Final = ("дому", "удален", "удалён")
_INVEST: Final = ("инвест", "вклад", "вложи")
# "Invest: put in 1 mln" ("солсангиз", "вложите"): money in, to get more out.
_STAKE: Final = ("солсангиз", "вложи", "вложен")


def _starts(words: list[str], stems: tuple[str, ...]) -> bool:
    return any(w.startswith(stems) for w in words)


def _subscribe(words: list[str]) -> bool:
    """ "Obuna bo'ling", "qo'shiling", "подпишитесь", "вступайте": join another channel."""
    return any(
        w.startswith(("подпишит", "подписыва", "подписат", "вступа", "кушилинг")) for w in words
    ) or any(w == "обуна" and nxt.startswith("булинг") for w, nxt in pairwise(words))


def _easy_money(words: list[str]) -> bool:
    if _starts(words, _MONEY_ALONE):
        return True
    # A prize for the reader ("вы выиграли", "yutib oling"), not the seller's own ("я выиграл").
    if any(
        (w == "вы" and nxt.startswith("выигра"))
        or (w == "ютиб" and nxt.startswith(("олинг", "олдингиз")))
        for w, nxt in pairwise(words)
    ):
        return True
    profit = any(w.startswith(_PROFIT) and not w.startswith(_USEFUL) for w in words)
    if profit and _starts(words, _GUARANTEED):
        return True
    if _starts(words, _INVEST) and _starts(words, _STAKE):
        return True
    pay = any(w.startswith(_PAY) and not w.startswith(_USEFUL) for w in words)
    home = _starts(words, _REMOTE) or any(
        w in _HOME and nxt.startswith(("иш", "утир", "тур")) for w, nxt in pairwise(words)
    )
    by_phone = any(
        w == "телефон" and nxt in ("оркали", "через") and after.startswith(("иш", "работ"))
        for w, nxt, after in zip(words, words[1:], words[2:], strict=False)
    )
    return pay and (home or by_phone)


# A loan offered: "kredit / займ / qarz" with who gives it or how easily. Not the dative
# ("kreditga beramiz", "qarzga"): goods sold on credit by a shop.
_LOAN: Final = ("кредит", "займ", "микрозайм", "карз", "ссуд")
_ON_CREDIT: Final = ("кредитга", "карзга", "насияга")
_LOAN_OFFER: Final = (
    "бераман",
    "берамиз",
    "помог",
    "помож",
    "тарих",
    "истори",
    "онлайн",
    "справ",
    "спраф",
    "отказ",
    "поручит",
    "фоизсиз",
    "одобр",
    "выда",
)


def _loan(words: list[str]) -> bool:
    offered = any(w.startswith(_LOAN) and not w.startswith(_ON_CREDIT) for w in words)
    arranged = any(w == "олиб" and nxt.startswith("бер") for w, nxt in pairwise(words))
    return offered and (arranged or _starts(words, _LOAN_OFFER))


_MIN_CAPS_LETTERS: Final = 20
_CAPS_SHARE: Final = 0.6
_EMOJI_COUNT: Final = 8
_EMOJI_SHARE: Final = 0.1
NEW_ACCOUNT_AGE: Final = timedelta(days=1)
# A burst: an account younger than this with at least BURST_ADS earlier ads in the last day.
BURST_ACCOUNT_AGE: Final = timedelta(days=3)
BURST_ADS: Final = 2
SHARED_PHONE_ACCOUNTS: Final = 3
REJECTIONS: Final = 2


def _is_emoji(char: str) -> bool:
    return unicodedata.category(char) == "So" or 0x1F000 <= ord(char) <= 0x1FAFF


def text_reasons(description: str, phone: str) -> list[Reason]:
    """The signals found in the description alone."""
    found: list[Reason] = []
    if _LINK.search(description):
        found.append(Reason.LINK)
    raw_sentences = _SENTENCE.split(description)
    if _USERNAME.search(description) and any(
        _USERNAME.search(sentence) and not _TELEGRAM.search(sentence) for sentence in raw_sentences
    ):
        found.append(Reason.USERNAME)
    if _CARD.search(description):
        found.append(Reason.CARD_NUMBER)
    folded = fold_text(description)
    folded_sentences = [fold_text(sentence) for sentence in raw_sentences]
    if _asks_prepayment(description, folded_sentences):
        found.append(Reason.PREPAYMENT)
    sentences = [sentence.split() for sentence in folded_sentences]
    if any(_easy_money(words) for words in sentences):
        found.append(Reason.EASY_MONEY)
    if _loan([word for words in sentences for word in words]):  # "Kredit kerakmi? Beramiz"
        found.append(Reason.LOAN)
    if any(_away(words) for words in sentences):
        found.append(Reason.AWAY)
    if any(_subscribe(words) for words in sentences):
        found.append(Reason.SUBSCRIBE)
    if _SHORTENER.search(description):
        found.append(Reason.SHORT_LINK)
    words = folded.split()
    if any(w.startswith(_MESSENGERS) for w in words):
        found.append(Reason.MESSENGER)
    if _FOREIGN_PHONE.search(_CARD.sub(" ", description)):
        found.append(Reason.FOREIGN_PHONE)
    if _NATIONWIDE.search(description) and not any(w.startswith(_ON_RECEIPT) for w in words):
        found.append(Reason.NATIONWIDE)
    for span in _PHONE_LIKE.findall(_CARD.sub(" ", description)):
        try:
            other = parse_phone(span)
        except PhoneError:
            continue
        if other != phone:
            found.append(Reason.OTHER_PHONE)
            break
    letters = [c for c in description if c.isalpha()]
    if len(letters) >= _MIN_CAPS_LETTERS:
        upper = sum(1 for c in letters if c.isupper())
        if upper / len(letters) >= _CAPS_SHARE:
            found.append(Reason.CAPS)
    emoji = sum(1 for c in description if _is_emoji(c))
    if emoji >= _EMOJI_COUNT or (emoji >= 3 and emoji / max(1, len(description)) >= _EMOJI_SHARE):
        found.append(Reason.EMOJI)
    return found


def assess(
    description: str,
    phone: str,
    facts: SellerFacts,
    *,
    created_at: datetime,
    too_cheap: bool = False,
    price: Price | None = None,
) -> ScamAssessment:
    reasons = text_reasons(description, phone)
    if _too_good(fold_text(description), price):
        reasons.append(Reason.TOO_GOOD)
    if (
        facts.recent_ads >= BURST_ADS
        and facts.owner_first_seen is not None
        and created_at - facts.owner_first_seen < BURST_ACCOUNT_AGE
    ):
        reasons.append(Reason.BURST)
    if facts.phone_accounts >= SHARED_PHONE_ACCOUNTS:
        reasons.append(Reason.SHARED_PHONE)
    if facts.owner_first_seen is not None and created_at - facts.owner_first_seen < (
        NEW_ACCOUNT_AGE
    ):
        reasons.append(Reason.NEW_ACCOUNT)
    if facts.rejections_30d >= REJECTIONS:
        reasons.append(Reason.REJECTIONS)
    if too_cheap:
        reasons.append(Reason.TOO_CHEAP)
    ordered = tuple(sorted(reasons, key=lambda r: -WEIGHTS[r]))
    return ScamAssessment(level_for(score_of(ordered)), ordered)

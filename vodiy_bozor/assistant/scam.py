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
from typing import Final

from vodiy_bozor.assistant.prices import USD_RATE_UZS
from vodiy_bozor.assistant.text_fold import fold_text
from vodiy_bozor.assistant.types import SellerFacts
from vodiy_bozor.models import Currency, Price
from vodiy_bozor.parsing import PhoneError, parse_phone


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
    Reason.MESSENGER: 2,
    Reason.SHORT_LINK: 1,
    Reason.NATIONWIDE: 1,
    Reason.TOO_GOOD: 3,
    Reason.BURST: 3,
}


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
        return sum(WEIGHTS[r] for r in self.reasons)

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
# A bank card: 16 digits in groups of four (Uzcard 8600, Humo 9860, Visa, Mastercard).
_CARD: Final = re.compile(r"(?<!\d)\d{4}(?:[ \t\u00a0-]{0,3}\d{4}){3}(?!\d)")
_PHONE_LIKE: Final = re.compile(r"\+?\d[\d\s().-]{7,}\d")

# Asking for money before the buyer has the goods, in Uzbek (both scripts, folded to one form
# by text_fold) and Russian. Words are matched by their folded beginnings (stems), so endings and
# spellings vary freely. Some words are enough alone ("предоплата", "аванс", "задаток"); others
# only next to a word about paying, within a few words: "oldindan" alone is also "oldindan
# rahmat" (thanks in advance), "karta" also a map or a memory card.
_ALONE: Final = ("предоплат", "аванс", "задат", "заклад", "закалат")
# A deposit (`zalog`, `garov puli`): a scam's first step when selling, but the custom when
# renting out a flat, so not in a rental.
_DEPOSIT: Final = ("залог", "гаров", "депозит", "депосит")
_RENTAL: Final = ("ижара", "аренд", "сдаю", "сдает", "сдаёт", "ойига", "месяц", "ijara")
_PAY_WORDS: Final = (
    "тул",  # to'lov, to'lab, to'lang (pay)
    "толаб",
    "пул",  # pul (money)
    "ташла",  # tashlang (throw in = send money)
    "утказ",  # o'tkazing (transfer)
    "перев",  # переведите, перевод
    "перечисл",
    "скин",  # скиньте
    "оплат",
    "брон",  # bron qilish uchun (to reserve)
)
_NEAR: Final = {
    "олдиндан": _PAY_WORDS,
    "заранее": _PAY_WORDS,
    "вперед": ("оплат", "тул", "пул"),
    "карт": (*_PAY_WORDS, "ракам", "номер"),
    "пайме": _PAY_WORDS,
    "пейми": _PAY_WORDS,
    "клик": _PAY_WORDS,
    "цлицк": _PAY_WORDS,
    "перев": ("карт", "пайме", "клик", "цлицк", "счет", "хисоб"),
    "оплат": ("карт", "пайме", "клик", "цлицк", "вперед", "заранее", "почт"),
}
_WINDOW: Final = 3
# Payment before the goods, said the other way round: "first money, then goods", "we send
# after payment", "when you transfer, we ship". Each pair: a word's beginning and, within
# _WINDOW words after it, another's.
_THEN: Final = {
    "аввал": ("пул", "тул", "тулов", "оплат"),
    "сначала": ("оплат", "предоплат", "перев", "деньг", "залог", "задат"),
    "после": ("оплат", "полной", "перев", "поступлен"),
    "тулов": ("кейин", "килинганидан", "килганингиздан"),
    "туловдан": ("кейин",),
    "пулни": ("ташла", "утказ", "юбор"),
    "пул": ("утказсан", "ташласан", "тушган", "ташлайсиз"),
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
)
_METHOD_TRIGGERS: Final = ("карт", "пайме", "пейми", "клик", "цлицк", "перев", "оплат")
_SENTENCE: Final = re.compile(r"[.!?\n;]+")


def _asks_prepayment(description: str) -> bool:
    rental = None
    for sentence in _SENTENCE.split(description):
        words = fold_text(sentence).split()
        on_receipt = any(w.startswith(_ON_RECEIPT) for w in words)
        for index, word in enumerate(words):
            if word.startswith(_ALONE):
                return True
            if word.startswith(_DEPOSIT):
                if rental is None:
                    rental = any(w.startswith(_RENTAL) for w in fold_text(description).split())
                if not rental:
                    return True
            after = words[index + 1 : index + 1 + _WINDOW]
            for trigger, partners in _THEN.items():
                if word.startswith(trigger) and any(o.startswith(partners) for o in after):
                    return True
            for trigger, partners in _NEAR.items():
                if not word.startswith(trigger):
                    continue
                if on_receipt and trigger.startswith(_METHOD_TRIGGERS):
                    continue  # paying by card or Click when the goods are handed over
                around = words[max(0, index - _WINDOW) : index] + after
                if any(other.startswith(partners) for other in around):
                    return True
    return False


# "All over Uzbekistan", "to every region", unless paid on receipt.
_NATIONWIDE: Final = re.compile(
    r"(?:o.?zbekiston|ўзбекистон|узбекистан)\w*\s+(?:bo.?ylab|бўйлаб|буйлаб)"
    r"|по\s+(?:всему\s+|всей\s+)?(?:узбекистану|республике|стране)"
    r"|(?:barcha|hamma|барча|ҳамма)\s+(?:viloyat|вилоят)"
    r"|в\s+любой\s+(?:регион|город)|по\s+всем\s+регионам",
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
)
# A rental's monthly rent, or a service, is no sale price.
_NOT_A_SALE: Final = ("ижара", "аренд", "сдаю", "сдает", "ойига", "месяц", "хизмат", "услуг")


def _too_good(folded: str, price: Price | None) -> bool:
    if price is None or price.amount is None or price.amount <= 0:
        return False
    if any(word.startswith(_NOT_A_SALE) for word in folded.split()):
        return False
    usd = price.amount if price.currency is Currency.USD else price.amount / USD_RATE_UZS
    return any(usd < floor and pattern.search(folded) for pattern, floor in _MODEL_FLOORS)


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
    if _USERNAME.search(description):
        found.append(Reason.USERNAME)
    if _CARD.search(description):
        found.append(Reason.CARD_NUMBER)
    folded = fold_text(description)
    if _asks_prepayment(description):
        found.append(Reason.PREPAYMENT)
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
    return ScamAssessment(level_for(sum(WEIGHTS[r] for r in ordered)), ordered)

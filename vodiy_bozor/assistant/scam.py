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
from vodiy_bozor.text.fold import fold, stem_forms
from vodiy_bozor.text.phone import PhoneError, parse_phone


class Reason(enum.StrEnum):
    """Stable codes (locale keys `assistant-reason-<code>` render them)."""

    LINK = "link"  # a link to another site or channel
    USERNAME = "username"  # "write to @someone": the deal moves off the channel
    OTHER_PHONE = "other_phone"  # a phone number in the text other than the ad's
    # Asks for money in advance or a card transfer, a delivery, customs or reservation fee too.
    PREPAYMENT = "prepayment"
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


def _stems(*words: str) -> tuple[str, ...]:
    """Words and word beginnings as people write them, in any script, folded like the ads'
    texts (text.fold.stem_forms: `тўл` is `tol` and, typed on a Russian keyboard, `tul`)."""
    return tuple(dict.fromkeys(form for word in words for form in stem_forms(word)))


# Messengers and networks off Telegram, in the spellings people type (`whatsapp` folds to
# `vxatsapp`: w is v, h is x).
_MESSENGERS: Final = _stems(
    "ватсап",
    "вотсап",
    "уатсап",
    "whatsap",
    "watsap",
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

# Asking for money before the buyer has the goods, in Uzbek (both scripts) and Russian. Words
# are matched by their folded beginnings (stems, text.fold.stem_forms: folded like the ads, and
# as typed on a Russian keyboard, so `тўл` is `tol` and `tul`), so endings and spellings vary
# freely. Some words are enough alone ("предоплата", "аванс", "задаток"); others only next to a
# word about paying, within a few words: "oldindan" alone is also "oldindan rahmat" (thanks in
# advance), "karta" also a map or a memory card.
_ALONE: Final = _stems("предоплат", "аванс", "задат", "заклад", "заклат", "закалат", "закалад")
# A deposit (`zalog`, `garov puli`): a scam's first step when selling, but the custom when
# renting out a flat, so not in a rental.
_DEPOSIT: Final = _stems("залог", "гаров", "депозит", "депосит")
_RENTAL: Final = _stems(
    "ижара",
    "аренд",
    "сдаю",
    "сдает",
    "сдаёт",
    "sdaet",  # Russian typed in Latin: no `ye` after the vowel
    "ойига",
    "месяц",
    "posutoch",  # by the day
    "сутк",
    "возврат",  # a deposit that is given back is a rental's
    "қайтарил",
)
# "Avans beriladi" / "аванс выдаётся": an advance on a worker's wages, paid by the employer.
_WAGES: Final = _stems("берил", "берамиз", "выда", "выплач", "ойлик", "маош", "зарплат")
_PAY_WORDS: Final = _stems(
    "тўл",  # to'lov, to'lab, to'lang (pay); sloppy Latin "tolov" folds the same
    "пул",  # pul (money)
    "ташла",  # tashlang (throw in = send money)
    "ўтказ",  # o'tkazing (transfer)
    "перев",  # переведите, перевод
    "перечисл",
    "скин",  # скиньте
    "оплат",
    "брон",  # bron qilish uchun (to reserve)
)
# A fee for a service ("xizmat haqi oldindan", "услуги вперёд") is money first as well.
_FEE_WORDS: Final = (*_PAY_WORDS, *_stems("хизмат", "услуг"))
_IN_ADVANCE: Final = _stems("олдиндан")
_BEFOREHAND: Final = _stems("заране")  # заранее: `zaraneye` in Cyrillic, `zaranee` in Latin
_FORWARD: Final = _stems("вперед", "вперёд")
_CARD_WORD: Final = _stems("карт")
_TRANSFER: Final = _stems("перев")
_PAYMENT: Final = _stems("оплат")
# Payme, Click: the payment apps, as people spell them.
_APPS: Final = _stems("пайме", "пейми", "клик", "click")
_NEAR: Final = {
    **dict.fromkeys(_IN_ADVANCE, _FEE_WORDS),
    **dict.fromkeys(_BEFOREHAND, _FEE_WORDS),
    **dict.fromkeys(_FORWARD, _stems("оплат", "тўл", "пул", "хизмат", "услуг")),
    # Paying on an outside site ("to'lov saytda", "оплата на сайте") is paying before the goods.
    **dict.fromkeys(_stems("сайт"), _stems("тўл", "оплат")),
    **dict.fromkeys(_CARD_WORD, (*_PAY_WORDS, *_stems("рақам", "номер"))),
    **dict.fromkeys(_APPS, _PAY_WORDS),
    **dict.fromkeys(_TRANSFER, (*_CARD_WORD, *_APPS, *_stems("счет", "счёт", "ҳисоб"))),
    **dict.fromkeys(
        _PAYMENT,
        (*_CARD_WORD, *_APPS, *_FORWARD, *_BEFOREHAND, *_stems("почт")),
    ),
}
# Four words: "оплата за оформление 500$ вперёд" keeps the two words four apart.
_WINDOW: Final = 4
# Payment before the goods, said the other way round: "first money, then goods", "we send
# after payment", "when you transfer, we ship". Each pair: a word's beginning and, within
# _WINDOW words after it, another's.
_MONEY: Final = _stems("пул")
_THEN: Final = {
    **dict.fromkeys(
        _stems("сначала"), _stems("оплат", "предоплат", "перев", "деньг", "залог", "задат")
    ),
    **dict.fromkeys(_stems("после"), _stems("оплат", "полной", "перев", "поступлен")),
    # Not "to'lov ... keyin" alone: "to'lov o'rnatilgandan keyin" is payment after installing.
    **dict.fromkeys(_stems("тўлов"), _stems("қилинганидан", "қилингандан", "қилганингиздан")),
    **dict.fromkeys(_stems("тўловдан"), _stems("кейин")),
    **dict.fromkeys(_stems("пулни"), _stems("ташла", "ўтказ", "юбор")),
    **dict.fromkeys(_MONEY, _stems("ўтказ", "ташла", "тушган", "юбор")),
    "100": _stems("оплат", "тўл", "предоплат"),
    **dict.fromkeys(_PAYMENT, ("100",)),
    **dict.fromkeys(_stems("полной"), _stems("оплат")),
}
# The payment is on receipt: "картой при получении", "Click orqali, olganda" is no prepayment.
_ON_RECEIPT: Final = _stems(
    "получени",
    "олганда",
    "олганингизда",
    "қабул",
    "встреч",
    "кўрганда",
    "кўргандан",
    "налож",
    "олгандан",
    "топширганда",
    "учраш",  # uchrashganda: when we meet
    "магазин",  # at the shop
    "дўкон",
    "наличн",  # cash
    "нақд",
    "жойида",  # on the spot
    "ўрнатил",  # after installing
    "етказгандан",  # after delivering
    "етказилгандан",
    "осмотр",
    "самовывоз",
)
# "Money first", said with "avval" on either side: "avval pul", "pul avval o'tkaziladi",
# "avval hujjatga 200 ming tashlaysiz".
_FIRST: Final = _stems("аввал")
_THEN_WORDS: Final = _stems("кейин", "сўнг", "потом", "затем")
_FIRST_PARTNERS: Final = _stems("пул", "тўл", "оплат", "ташла", "ўтказ", "перев")
# "Предоплата не нужна", "oldindan to'lov shart emas", "depozit kerak emas", "garovda emas",
# "yo'q": the ad says there is none. "Не менее 50%" is not a no.
_NO_AFTER: Final = _stems("не", "нет", "эмас", "емас", "йўқ", "yok", "талаб")
_NOT_NO: Final = _stems("мене", "меньше", "қилинади")
# "Без предоплаты", "oldindan to'lovsiz": none, unless the sentence refuses to work without
# it ("без предоплаты не отправляем", "to'lovsiz ishlamaymiz").
_WITHOUT: Final = "bez"
_PRIVATIVE: Final = "siz"
_PAYMENT_NOUNS: Final = _stems(
    "тўлов",
    "предоплат",
    "залог",
    "депозит",
    "аванс",
    "закалат",
    "гаров",
)
_REFUSAL: Final = re.compile(r"\b(?:ne|net)\b|\w+ma(?:ymiz|yman|ydi|ysiz)\b")
_METHOD_TRIGGERS: Final = (*_CARD_WORD, *_APPS, *_TRANSFER, *_PAYMENT)
_SENTENCE: Final = re.compile(r"[.!?\n;]+")


def _denied(words: list[str], index: int, sentence: str) -> bool:
    """The words at `index` say there is *no* such payment."""
    # The privative `-siz` of a payment noun ("to'lovsiz"), not the verb's "you" ("to'laysiz").
    without = (index > 0 and words[index - 1] == _WITHOUT) or any(
        w.startswith(_PAYMENT_NOUNS) and w.endswith(_PRIVATIVE) for w in words[index : index + 2]
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
_ADVANCE_TRIGGERS: Final = (*_IN_ADVANCE, *_BEFOREHAND, *_FORWARD)
_MONTHS: Final = _stems("ой", "ойлик", "ойга", "месяц", "мес")


# A fee for getting the goods to the buyer (delivery, courier, post, "yo'l kira", customs,
# insurance) or for holding them ("bron"), asked of the buyer before they are handed over: the
# scam of the goods that never come. Honest shops name such fees too, paid to the courier or at
# the post office on collection, so the fee counts only with a pay verb and a sign that the money
# goes first, or to the seller: "oldin", "до отправки", "…, keyin jo'nataman", "скиньте мне".
_FEES: Final = _stems(
    "доставк",
    "етказиб",
    "курьер",
    "курер",
    "почта",  # not `почт`: "почти" is "almost"
    "почтов",
    "почтой",
    "почту",
    "почте",
    "пересыл",
    "растамож",
    "таможен",
    "божхона",
    "страхов",
    "суғурта",
)
# A reservation is paid before the goods by its nature: no sign of "first" is needed.
_RESERVATION: Final = _stems("брон")
_ROAD: Final = _stems("йўл")  # "yo'l kira(si)": the fare for the road
_FARE: Final = _stems("кира")
_FEE_PAY: Final = _stems(
    "тўл",
    "ўтказ",
    "ташла",
    "перев",
    "перечисл",
    "скин",
    "скидыва",
    "оплат",
    "оплач",
    "плати",  # not `плат`: "доставка платная" is a paid delivery, not a payment asked
    "платеж",
    "платёж",
)
# Before the goods leave: "oldin(dan)", "avval", "заранее", "вперёд", "сначала" anywhere before
# the pay verb; "до / перед отправкой", "jo'natishdan oldin" anywhere in the sentence (the
# ablative `-dan`: "yuboramiz, avval yozing" is "we send; write first").
_FIRST_SIGNS: Final = (*_stems("олдин"), *_FIRST, *_BEFOREHAND, *_FORWARD, *_stems("сначала"))
_UNTIL: Final = _stems("до", "перед")
_DISPATCH: Final = _stems("отправ", "жўнат", "юбор")
# "To'laysiz, keyin jo'nataman": the goods after the money, so only after the pay verb.
_AFTERWARDS: Final = (*_THEN_WORDS, *_stems("иначе"))
# Paid to the seller, not to the courier: "скиньте мне", "menga tashlang", next to the verb
# ("bizga kelib to'laysiz" is paying in person).
_TO_SELLER: Final = frozenset(_stems("мне", "нам", "менга", "бизга"))
# Paid to whoever brings the goods ("курьеру", "kuryerga", "водителю"): on delivery.
_TO_CARRIER: Final = _stems("курьеру", "курерга", "курьерга", "водител", "ҳайдовчи", "почтальон")
# "The rest on collection" ("qolganini olganda", "остальное при получении"): the fee was first.
_REST: Final = _stems("қолган", "остал", "остат")
# A verb's "no" after it: "to'lash shart emas", "оплачивать не нужно". Not "yo'q", which
# negates a noun; after a verb it is `yuk`, the cargo ("tashlaysiz, ertaga yuk jo'naydi").
_VERB_NO: Final = frozenset(_stems("не", "нет", "эмас", "емас"))


def _names_fee(words: list[str], folded: str) -> tuple[bool, bool]:
    """Whether a folded sentence's words name a fee, and a reservation, not denied."""
    fee = reservation = False
    for index, word in enumerate(words):
        nxt = words[index + 1] if index + 1 < len(words) else ""
        if word.startswith(_FEES) or (word in _ROAD and nxt.startswith(_FARE)):
            fee = fee or not _denied(words, index, folded)
        elif word.startswith(_RESERVATION):
            reservation = reservation or not _denied(words, index, folded)
    return fee, reservation


# The payment named as a noun: "to'lov keyin", "оплата потом" is paying later, not first.
_PAYMENT_NOUN: Final = frozenset(_stems("тўлов", "тўловни", "оплата", "оплату", "оплаты"))
# The goods leave or are brought: "jo'nataman", "yuk chiqadi", "отправим", "привезём".
_GOODS_LEAVE: Final = (*_DISPATCH, *_stems("жўна", "чиқ", "привез", "достав", "етказ"))


def _then_goods(pay: str, rest: list[str]) -> bool:
    """`rest`: from "then" on, after a pay verb. "To'laysiz, keyin jo'nataman": the goods leave
    after the money. Not "to'laysiz, keyin olib ketasiz" (paid and taken there and then), nor
    "оплата потом" (the noun: paid later)."""
    return pay not in _PAYMENT_NOUN and _starts(rest[1:], _GOODS_LEAVE)


def _fee_first(words: list[str], folded: str, fee: bool, reservation: bool) -> bool:
    """A fee (`fee`, `reservation`: named in this sentence or the one before, "Dostavka 30 ming.
    Oldindan tashlaysiz") asked before the goods are handed over, in a folded sentence's words."""
    if not (fee or reservation) or _starts(words, _TO_CARRIER):
        return False
    if _starts(words, _ON_RECEIPT) and not _starts(words, _REST):
        return False
    dispatch_after = any(
        w in _UNTIL and n.startswith(_DISPATCH) for w, n in pairwise(words)
    ) or any(
        w.startswith(_DISPATCH) and w.endswith("dan") and n in _FIRST_SIGNS
        for w, n in pairwise(words)
    )
    for index, word in enumerate(words):
        if not word.startswith(_FEE_PAY):
            continue
        after = words[index + 1 :]
        clause = list(takewhile(lambda w: not w.startswith(_AFTERWARDS), after))
        if any(w in _VERB_NO for w in clause[:3]):
            continue  # "to'lash shart emas", "переводить не нужно"
        to_seller = any(w in _TO_SELLER for w in words[max(0, index - 1) : index + 2])
        if reservation or dispatch_after or to_seller:
            return True
        # "Oldin ... tashlang", but not "avval ko'ring, keyin to'laysiz" (see first, pay after).
        before = list(takewhile(lambda w: not w.startswith(_THEN_WORDS), reversed(words[:index])))
        # "Оплачиваете заранее", "to'laysiz oldindan": the sign right after the verb as well.
        first = _starts(before[:_WINDOW], _FIRST_SIGNS) or _starts(clause[:2], _FIRST_SIGNS)
        if first or (len(clause) < len(after) and _then_goods(word, after[len(clause) :])):
            return True
    return False


def _asks_prepayment(description: str, sentences: list[str] | None = None) -> bool:
    """`sentences`: the description's sentences already folded, when the caller has them."""
    if _SHARE_FIRST.search(description):
        return True
    rental = None
    if sentences is None:
        sentences = [fold(sentence) for sentence in _SENTENCE.split(description)]
    earlier_fee = earlier_reservation = False
    for folded in sentences:
        words = folded.split()
        fee, reservation = _names_fee(words, folded)
        if _fee_first(words, folded, fee or earlier_fee, reservation or earlier_reservation):
            return True
        earlier_fee, earlier_reservation = fee, reservation
        on_receipt = any(w.startswith(_ON_RECEIPT) for w in words)
        # Paid when the goods are there, or to whoever brings them, unless only "the rest" is.
        paid_on_receipt = (on_receipt or _starts(words, _TO_CARRIER)) and not _starts(words, _REST)
        wages = any(w.startswith(_WAGES) for w in words)
        for index, word in enumerate(words):
            if word.startswith(_ALONE):
                if word.startswith("avans") and wages:
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
            if word.startswith(_FIRST) and not paid_on_receipt:
                # "Avval qo'ng'iroq qiling, olganda to'laysiz" is call first. Up to "then":
                # "avval ko'ring, keyin pul to'laysiz" is see first, pay after.
                until_then = list(takewhile(lambda w: not w.startswith(_THEN_WORDS), after))
                if any(o.startswith(_FIRST_PARTNERS) for o in before[-2:] + until_then):
                    return True
            for trigger, partners in _THEN.items():
                if word.startswith(trigger) and any(o.startswith(partners) for o in after):
                    if trigger.startswith(_MONEY) and on_receipt:
                        continue  # "pulni olganda o'tkazasiz": money when the goods are there
                    return True
            for trigger, partners in _NEAR.items():
                if not word.startswith(trigger):
                    continue
                if (on_receipt or paid_on_receipt) and trigger.startswith(_METHOD_TRIGGERS):
                    continue  # paying by card or Click when the goods are handed over
                if paid_on_receipt and trigger in _ADVANCE_TRIGGERS:
                    continue  # "oldindan qo'ng'iroq qiling, olganda to'laysiz": call ahead
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
# bait is far under it (`iPhone 15 Pro Max 230$`), an honest bargain is not. On the folded
# text, where a brand's every spelling is its name (`Айфон 15` is `ipxone 15`); a model glued
# to its number (`айфон15`) is one word that no brand spelling matches, hence the variants.
_IPHONE: Final = r"(?:ipxone?|ayfon|aifon)"
_MODEL_FLOORS: Final = (
    (re.compile(_IPHONE + r"\s*1[5-7]"), 400),
    (re.compile(_IPHONE + r"\s*1[34]"), 280),
    (re.compile(_IPHONE + r"\s*1[12]"), 130),
    (re.compile(r"\bs2[2-5]\b|galaxy\s*s2|ultra"), 250),
    (re.compile(r"macbook|makbuk"), 250),
    (re.compile(r"playstation\s*5|\bps\s*5"), 200),
    (re.compile(r"malibu"), 9_000),
    (re.compile(r"(?:gentra|jentra|djentra)\s*20(?:1[6-9]|2\d)"), 7_500),
    (re.compile(r"(?:cobalt|kobalt)\s*20(?:1[6-9]|2\d)"), 6_500),
    (re.compile(r"tracker|treker"), 9_000),
    # The valley's common cars, by the cheapest year or body still sold: an old Nexia or
    # Damas is honestly cheap, so only the later bodies and years.
    (re.compile(r"(?:nexia|neksiya|neksia|nexiya)\s*3"), 4_500),
    (re.compile(r"spark\s*20(?:1[5-9]|2\d)"), 4_500),
    (re.compile(r"(?:lacetti|laseti|lasetti|lachetti)\s*20(?:1[5-9]|2\d)"), 5_500),
    (re.compile(r"(?:kamri|kemri|camry)\s*20(?:1[5-9]|2\d)"), 12_000),
    (re.compile(r"damas\s*20(?:1[5-9]|2\d)"), 3_500),
)
# A rental's monthly rent, or a service, is no sale price.
_NOT_A_SALE: Final = _stems(
    "ижара", "аренд", "сдаю", "сдает", "sdaet", "ойига", "месяц", "хизмат", "услуг"
)
# An accessory for the model (a case, a charger, glass) or spare parts: cheap and honest.
_ACCESSORY: Final = _stems(
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
_MONEY_ALONE: Final = _stems(
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
)
# Whole words only: once folded, `сигналы` (trading signals) is `signali`, the beginning of
# `signalizatsiya` (a car alarm).
_MONEY_WORDS: Final = frozenset(_stems("сигналы"))
# Abroad, as people name it, and who is there: "egasi", "хозяин", "я", "men", "hozir", or the
# place itself with "I am in" ("Moskvadaman", "Qozog'istondaman").
_ABROAD: Final = _stems(
    "москв",
    "росси",
    "казахстан",
    "қозоғистон",
    "корея",
    "зарубеж",
    "границ",
    "дубай",
    "турци",
    "turtsi",
    "туркия",
    "америк",
    "европ",
    "evrop",  # Latin: no `ye` at the start
    "польш",
)
_CHET: Final = "chet"  # "chet el", "чет эл": abroad, one word or two
_ABROAD_OR_CHET_EL: Final = (*_ABROAD, "chetel")
_WHO: Final = _stems(
    "эгаси",
    "хозяин",
    "хозяина",
    "я",
    "мен",
    "ҳозир",
    "сейчас",
    "ўзим",
    "сам",
    "продавец",
    "сотувчи",
)
# Endings, on folded words: the Uzbek locative ("Rossiyada", "Moskvadaman") and the Russian
# prepositional ("в России", "в Москве").
_IN_UZ: Final = ("da", "daman", "damiz", "dadir", "dadirman")
_IN_RU: Final = ("e", "i", "ey")
_IN: Final = _stems("в", "во", "за")
_MADE: Final = _stems("ишлаб", "чиқарил", "йиғил", "сделан", "произвед", "собран")
_I_AM_IN: Final = ("daman", "damiz")


def _away(words: list[str]) -> bool:
    """Someone is *in* a place abroad: the locative ("Rossiyada", "в России", "chet elda"), not
    "to" or "from" it ("Rossiyaga ketyapman", "уезжаю в Россию", "Dubaydan olib kelingan")."""
    there = False
    for index, word in enumerate(words):
        before = words[index - 1] if index else ""
        if word == _CHET and index + 1 < len(words):
            word = _CHET + words[index + 1]
        if not word.startswith(_ABROAD_OR_CHET_EL):
            continue
        after = words[index + 1] if index + 1 < len(words) else ""
        if after.startswith(_MADE) or (index > 1 and words[index - 2].startswith(_MADE)):
            continue  # "Koreyada ishlab chiqarilgan", "сделано в Корее": the goods' origin
        if word.endswith(_IN_UZ) or (before in _IN and word.endswith(_IN_RU)):
            there = True
    if not there:
        return False
    return any(w in _WHO for w in words) or any(w.endswith(_I_AM_IN) for w in words)


# Income, and what makes it a promise rather than a job's pay or a shop's warranty:
# "foyda / daromad / доход" guaranteed ("kafolat", "гарантия"); any pay for work from home or
# by phone ("uyda o'tirib", "на дому", "удалённо").
_PROFIT: Final = _stems("фойда", "даромад", "доход", "прибыл", "заработ", "зарабат")
_USEFUL: Final = _stems("фойдал")  # "foydali": useful, a good buy
_PAY: Final = (
    *_PROFIT,
    *_stems("кунига", "ойига", "топинг", "топасиз", "топиш", "недел", "ҳафтасига"),
)
_GUARANTEED: Final = _stems("кафолат", "гарант", "пассивн")
_HOME: Final = _stems("уйда", "уйдан")
_AT_HOME: Final = _stems("иш", "ўтир", "тур")  # "uyda ishlash", "uyda o'tirib"
_REMOTE: Final = _stems("дому", "удален", "удалён")
_INVEST: Final = _stems("инвест", "вклад", "вложи")
# "Invest: put in 1 mln" ("солсангиз", "вложите"): money in, to get more out.
_STAKE: Final = _stems("солсангиз", "вложи", "вложен")
_YOU: Final = _stems("вы")
_YOU_WON: Final = _stems("выигра")
_WIN: Final = _stems("ютиб")  # "yutib oling": win
_TAKE: Final = _stems("олинг", "олдингиз")
_PHONE: Final = _stems("телефон")
_BY: Final = _stems("орқали", "через")
_WORK: Final = _stems("иш", "работ")


def _starts(words: list[str], stems: tuple[str, ...]) -> bool:
    return any(w.startswith(stems) for w in words)


_JOIN: Final = _stems("подпишит", "подписыва", "подписат", "вступа", "қўшилинг")
_OBUNA: Final = _stems("обуна")
_BOLING: Final = _stems("бўлинг")


def _subscribe(words: list[str]) -> bool:
    """ "Obuna bo'ling", "qo'shiling", "подпишитесь", "вступайте": join another channel."""
    return _starts(words, _JOIN) or any(
        w in _OBUNA and nxt.startswith(_BOLING) for w, nxt in pairwise(words)
    )


def _easy_money(words: list[str]) -> bool:
    if _starts(words, _MONEY_ALONE) or any(w in _MONEY_WORDS for w in words):
        return True
    # A prize for the reader ("вы выиграли", "yutib oling"), not the seller's own ("я выиграл").
    if any(
        (w in _YOU and nxt.startswith(_YOU_WON)) or (w in _WIN and nxt.startswith(_TAKE))
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
        w in _HOME and nxt.startswith(_AT_HOME) for w, nxt in pairwise(words)
    )
    by_phone = any(
        w in _PHONE and nxt in _BY and after.startswith(_WORK)
        for w, nxt, after in zip(words, words[1:], words[2:], strict=False)
    )
    return pay and (home or by_phone)


# A loan offered: "kredit / займ / qarz" with who gives it or how easily. Not the dative
# ("kreditga beramiz", "qarzga"): goods sold on credit by a shop.
_LOAN: Final = _stems("кредит", "займ", "микрозайм", "қарз", "ссуд")
_ON_CREDIT: Final = _stems("кредитга", "қарзга", "насияга")
_LOAN_OFFER: Final = _stems(
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
_OLIB: Final = _stems("олиб")
_GIVE: Final = _stems("бер")


def _loan(words: list[str]) -> bool:
    offered = any(w.startswith(_LOAN) and not w.startswith(_ON_CREDIT) for w in words)
    arranged = any(w in _OLIB and nxt.startswith(_GIVE) for w, nxt in pairwise(words))
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
    folded = fold(description)
    folded_sentences = [fold(sentence) for sentence in raw_sentences]
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
    if _too_good(fold(description), price):
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

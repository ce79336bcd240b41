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

from vodiy_bozor.assistant.text_fold import fold_text
from vodiy_bozor.db.assistant import SellerFacts
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
    r"|\b[a-z0-9][a-z0-9-]{1,62}\.(?:uz|com|ru|net|org|me|io|shop|site|online|xyz|info|store)\b",
    re.IGNORECASE,
)
_USERNAME: Final = re.compile(r"(?<![\w.])@[A-Za-z][A-Za-z0-9_]{3,31}\b")
# A bank card: 16 digits in groups of four (Uzcard 8600, Humo 9860, Visa, Mastercard).
_CARD: Final = re.compile(r"(?<!\d)\d{4}(?:[ -]?\d{4}){3}(?!\d)")
_PHONE_LIKE: Final = re.compile(r"\+?\d[\d\s().-]{7,}\d")

# Asking for money before the buyer has the goods, in Uzbek (both scripts, folded to one form
# by text_fold) and Russian. Words are matched by their folded beginnings (stems), so endings and
# spellings vary freely. Some words are enough alone ("предоплата", "аванс", "задаток"); others
# only next to a word about paying, within a few words: "oldindan" alone is also "oldindan
# rahmat" (thanks in advance), "karta" also a map or a memory card.
_ALONE: Final = ("предоплат", "аванс", "задат", "заклад", "закалат")
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


def _asks_prepayment(folded: str) -> bool:
    words = folded.split()
    for index, word in enumerate(words):
        if word.startswith(_ALONE):
            return True
        for trigger, partners in _NEAR.items():
            if not word.startswith(trigger):
                continue
            around = words[max(0, index - _WINDOW) : index] + words[index + 1 : index + 1 + _WINDOW]
            if any(other.startswith(partners) for other in around):
                return True
    return False


_MIN_CAPS_LETTERS: Final = 20
_CAPS_SHARE: Final = 0.6
_EMOJI_COUNT: Final = 8
_EMOJI_SHARE: Final = 0.1
NEW_ACCOUNT_AGE: Final = timedelta(days=1)
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
    if _asks_prepayment(fold_text(description)):
        found.append(Reason.PREPAYMENT)
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
) -> ScamAssessment:
    reasons = text_reasons(description, phone)
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

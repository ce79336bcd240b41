"""Does a new ad repeat an earlier one? Same photo files, near-identical photos, near-identical
text after folding, the same phone; the closest match and what matched.

Text similarity is rapidfuzz's token ratios (C++, MIT, no dependencies, a few hundred kB
resident) on the folded texts: word order and repeated words do not matter, and a few changed
words lower the score in proportion. https://rapidfuzz.github.io/RapidFuzz/Usage/fuzz.html
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from rapidfuzz import fuzz

from vodiy_bozor.assistant.photo_hash import NEAR_DISTANCE, distance
from vodiy_bozor.assistant.types import AdPrint
from vodiy_bozor.text.fold import content_tokens, fold, tokens

# Percent. Two sellers of the same model often write nearly the same words, so text alone makes
# a duplicate across sellers only when it is all but identical and the price is the same; the
# same seller (phone or account) needs much less.
SAME_TEXT: Final = 95
SAME_TEXT_SAME_SELLER: Final = 70
# A photo that is only near (not the same file) counts on its own when it is this close, or
# when the texts are at least this similar: unrelated photos come within NEAR_DISTANCE now
# and then, copies of one photo with some of the same words do not.
CLOSE_PHOTO: Final = 4
TEXT_WITH_NEAR_PHOTO: Final = 50
# Texts with fewer content words than this say too little to match on text alone
# ("iPhone 11 sotiladi").
_MIN_WORDS_FOR_TEXT: Final = 4


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    """How an earlier ad resembles the new one."""

    candidate: AdPrint
    same_photos: int  # photos with the very same Telegram file (file_unique_id)
    similar_photos: int  # other photos whose perceptual hashes are near
    closest_photo: int  # the smallest Hamming distance between two photos (64: none hashed)
    text_percent: int  # 0-100, folded-text similarity
    same_phone: bool
    same_owner: bool
    same_price: bool
    numbers_conflict: bool = False  # both texts have numbers (a year, GB, km), none shared

    @property
    def is_duplicate(self) -> bool:
        if self.same_photos:
            return True
        if self.similar_photos and (
            self.similar_photos >= 2
            or self.closest_photo <= CLOSE_PHOTO
            or self.text_percent >= TEXT_WITH_NEAR_PHOTO
            or self.same_phone
            or self.same_owner
        ):
            return True
        if self.numbers_conflict:
            # A dealer's Cobalt 2019 and Cobalt 2021: same words, different cars.
            return False
        if self.same_phone or self.same_owner:
            return self.text_percent >= SAME_TEXT_SAME_SELLER
        return self.text_percent >= SAME_TEXT and self.same_price

    @property
    def strength(self) -> tuple[int, int, int]:
        """For picking the closest: photos first, then text, then the phone."""
        return (self.same_photos + self.similar_photos, self.text_percent, int(self.same_phone))

    @property
    def own_live_repeat(self) -> bool:
        """The seller repeats one of their own ads still for sale: they should renew it."""
        return self.same_owner and self.candidate.status.live and self.is_duplicate


def text_similarity(folded_a: str, folded_b: str) -> int:
    """0-100. The mean of the token-set and token-sort ratios: the set ratio forgives added or
    dropped words, the sort ratio keeps a short text from matching any long one that contains
    its few words."""
    words_a, words_b = content_tokens(folded_a), content_tokens(folded_b)
    if not words_a or not words_b:
        return 0
    a, b = " ".join(words_a), " ".join(words_b)
    score = (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2
    if min(len(words_a), len(words_b)) < _MIN_WORDS_FOR_TEXT:
        score = min(score, SAME_TEXT_SAME_SELLER)
    return round(score)


def _numbers(folded: str) -> set[str]:
    # Single digits are counts and list numbers more often than model facts.
    return {t for t in tokens(folded) if t.isdigit() and len(t) >= 2}


def compare(ad: AdPrint, folded: str, candidate: AdPrint) -> DuplicateMatch:
    own_ids = {p.file_unique_id for p in ad.photos}
    same = [p for p in candidate.photos if p.file_unique_id in own_ids]
    own_hashes = [p.phash for p in ad.photos if p.phash is not None]
    distances = [
        min((distance(p.phash, h) for h in own_hashes), default=64)
        for p in candidate.photos
        if p.file_unique_id not in own_ids and p.phash is not None
    ]
    similar = sum(1 for d in distances if d <= NEAR_DISTANCE)
    other = fold(candidate.description)
    numbers, other_numbers = _numbers(folded), _numbers(other)
    return DuplicateMatch(
        candidate=candidate,
        same_photos=len(same),
        similar_photos=similar,
        text_percent=text_similarity(folded, other),
        same_phone=candidate.phone == ad.phone,
        same_owner=candidate.owner_id == ad.owner_id,
        closest_photo=min(distances, default=64),
        same_price=candidate.price == ad.price,
        # Disjoint numbers on both sides, and more than one of them: a re-worded ad may drop
        # the year and mention the mileage instead, a dealer's next car differs in both.
        numbers_conflict=bool(
            numbers
            and other_numbers
            and not numbers & other_numbers
            and len(numbers) + len(other_numbers) >= 3
        ),
    )


def closest_duplicate(ad: AdPrint, candidates: Iterable[AdPrint]) -> DuplicateMatch | None:
    """The earlier ad that `ad` most closely repeats, or None when none is a duplicate."""
    folded = fold(ad.description)
    matches = [compare(ad, folded, c) for c in candidates if c.id != ad.id]
    duplicates = [m for m in matches if m.is_duplicate]
    if not duplicates:
        return None
    return max(duplicates, key=lambda m: (m.strength, m.candidate.id))

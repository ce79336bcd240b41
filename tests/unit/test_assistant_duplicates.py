"""Duplicate matching on fingerprints alone (the database side is in tests/db)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from vodiy_bozor.assistant.duplicates import closest_duplicate, compare, text_similarity
from vodiy_bozor.assistant.types import AdPrint, PhotoPrint
from vodiy_bozor.models import AdStatus, Category, Currency, Price
from vodiy_bozor.text.fold import fold

NOW = datetime(2026, 11, 1, tzinfo=UTC)
HASH = 0x1234_5678_9ABC_DEF0
CAR_PRICE = Price(12_000, Currency.USD)


def _ad(
    ad_id: int,
    text: str,
    *,
    owner: int = 1,
    phone: str = "+998901112233",
    photos: tuple[PhotoPrint, ...] = (),
    price: Price = CAR_PRICE,
    status: AdStatus = AdStatus.PUBLISHED,
) -> AdPrint:
    return AdPrint(
        id=ad_id,
        owner_id=owner,
        status=status,
        category=Category.VEHICLES,
        description=text,
        phone=phone,
        price=price,
        created_at=NOW,
        photos=photos,
    )


ORIGINAL = "Sotiladi Cobalt 2020, probeg 45 ming km, rangi oq, gaz bor, kraska toza, Farg'ona"
REWORDED = "Кобальт 2020 сотилади. Ранги оқ, краска тоза, газ бор, пробег 45 минг км. Фарғона"


def test_reworded_text_across_scripts_is_similar() -> None:
    assert text_similarity(fold(ORIGINAL), fold(REWORDED)) >= 80


def test_unrelated_texts_are_not() -> None:
    other = "Продаю детскую кроватку с матрасом, почти новая, цвет белый"
    assert text_similarity(fold(ORIGINAL), fold(other)) < 50


def test_the_same_photo_file_is_a_duplicate_whatever_the_text() -> None:
    old = _ad(1, ORIGINAL, owner=7, phone="+998935556677", photos=(PhotoPrint("u1", HASH),))
    new = _ad(2, "Boshqa matn umuman", owner=8, photos=(PhotoPrint("u1", HASH),))
    match = compare(new, fold(new.description), old)
    assert match.same_photos == 1
    assert match.is_duplicate
    assert not match.same_owner


def test_a_near_photo_with_some_of_the_words_is_a_duplicate() -> None:
    old = _ad(1, ORIGINAL, owner=7, phone="+998935556677", photos=(PhotoPrint("u1", HASH),))
    new = _ad(2, REWORDED, owner=8, photos=(PhotoPrint("u2", HASH ^ 0b1011_0000_0001),))
    match = compare(new, fold(new.description), old)
    assert (match.same_photos, match.similar_photos, match.closest_photo) == (0, 1, 4)
    assert match.is_duplicate


def test_one_far_photo_and_other_words_are_not() -> None:
    old = _ad(1, ORIGINAL, owner=7, phone="+998935556677", photos=(PhotoPrint("u1", HASH),))
    new = _ad(2, "Продаю кроватку", owner=8, photos=(PhotoPrint("u2", HASH ^ 0xFFFF_FF),))
    match = compare(new, fold(new.description), old)
    assert match.similar_photos == 0
    assert not match.is_duplicate


SHORTER = "Кобальт 2020 сотилади, ранги оқ, пробег 45 минг км, иккинчи хўжайин, тез сотилади"


def test_same_seller_needs_less_text_similarity_than_a_stranger() -> None:
    old = _ad(1, ORIGINAL)
    mine = _ad(2, SHORTER)
    assert 70 <= compare(mine, fold(mine.description), old).text_percent < 95
    stranger = replace(mine, owner_id=9, phone="+998977778899")
    assert compare(mine, fold(mine.description), old).is_duplicate
    assert not compare(stranger, fold(stranger.description), old).is_duplicate


def test_a_stranger_with_the_same_text_and_price_is_a_duplicate() -> None:
    old = _ad(1, ORIGINAL)
    copy = _ad(2, ORIGINAL.upper() + "!!!", owner=9, phone="+998977778899")
    assert compare(copy, fold(copy.description), old).is_duplicate
    cheaper = replace(copy, price=Price(11_000, Currency.USD))
    assert not compare(cheaper, fold(cheaper.description), old).is_duplicate


def test_a_dealer_selling_two_different_years_is_not_repeating() -> None:
    old = _ad(1, "Cobalt 2019, rangi oq, probeg 80 ming, gaz bor, kraska toza")
    new = _ad(2, "Cobalt 2021, rangi oq, probeg 30 ming, gaz bor, kraska toza")
    assert not compare(new, fold(new.description), old).is_duplicate


def test_closest_prefers_photos_then_text() -> None:
    by_text = _ad(1, ORIGINAL)
    by_photo = _ad(2, "boshqa", owner=5, phone="+998950000000", photos=(PhotoPrint("u1", None),))
    unrelated = _ad(3, "Продаю кроватку", owner=6, phone="+998951111111")
    new = _ad(4, ORIGINAL, photos=(PhotoPrint("u1", None),))
    match = closest_duplicate(new, [by_text, by_photo, unrelated])
    assert match is not None
    assert match.candidate.id == 2
    assert (
        closest_duplicate(
            _ad(5, "Продаю кроватку белую", owner=3, phone="+998331234567"), [by_text]
        )
        is None
    )


def test_own_live_repeat_is_only_for_the_same_owners_live_ads() -> None:
    live = _ad(1, ORIGINAL)
    sold = replace(live, id=2, status=AdStatus.SOLD)
    new = _ad(3, REWORDED)
    own = closest_duplicate(new, [live])
    assert own is not None
    assert own.own_live_repeat
    gone = closest_duplicate(new, [sold])
    assert gone is not None
    assert not gone.own_live_repeat


def test_a_repost_that_swaps_one_number_for_another_still_matches() -> None:
    old = _ad(1, "Cobalt 2020 sotiladi, rangi oq, gaz bor, kraska toza, motor ideal")
    new = _ad(2, "Cobalt sotiladi, rangi oq, 45 ming probeg, gaz bor, kraska toza, motor ideal")
    match = compare(new, fold(new.description), old)
    assert not match.numbers_conflict
    assert match.is_duplicate

"""The typed draft over the conversation row's JSON, and the dialog's step table."""

from __future__ import annotations

from dataclasses import replace

from vodiy_bozor.assistant.reader import AdReading
from vodiy_bozor.bot.draft import Draft, DraftPhoto
from vodiy_bozor.bot.handlers import new_ad
from vodiy_bozor.models import Category, Currency, Lang, Price, Region
from vodiy_bozor.texts import load_texts

# A draft as an earlier version of the bot stored it: the JSON keys stay readable.
STORED = {
    "category": "phones",
    "photos": [
        {"id": "B", "uid": "ub", "m": 12},
        {"id": "A", "uid": "ua", "m": 11},
    ],
    "description": "Samsung A52",
    "price": {"amount": 500, "currency": "USD"},
    "region": "fergana",
    "district": None,
    "phone": "+998901234567",
    "editing": True,
    "status_group": "g1",
    "status_id": 77,
}


def test_a_stored_draft_loads_typed_with_photos_in_the_order_sent() -> None:
    draft = Draft.from_data(STORED)
    assert draft.category is Category.PHONES
    assert [p.file_id for p in draft.photos] == ["A", "B"]  # by message id, not arrival
    assert draft.price == Price(500, Currency.USD)
    assert draft.region is Region.FERGANA
    assert draft.editing
    assert (draft.counter_group, draft.counter_message) == ("g1", 77)
    content = draft.content()
    assert content is not None
    assert content.photos[0].file_unique_id == "ua"


def test_the_json_round_trip_keeps_every_value() -> None:
    draft = Draft.from_data(STORED)
    assert Draft.from_data(draft.to_data()) == draft


def test_damaged_values_load_as_missing_and_the_ad_is_incomplete() -> None:
    draft = Draft.from_data(
        {
            "category": "spaceships",
            "photos": [{"id": "A"}, "junk"],
            "price": {"amount": "lots", "currency": "UZS"},
            "region": 5,
            "status_id": True,
        }
    )
    assert draft == Draft()
    assert draft.content() is None


def test_changes_since_is_the_patch_of_one_write() -> None:
    before = Draft.from_data(STORED)
    after = replace(before, region=Region.ANDIJAN, district=None, counter_group=None)
    assert after.changes_since(before) == {"region": "andijan", "status_group": None}
    assert before.changes_since(before) == {}


def test_changes_since_is_the_difference_of_the_two_drafts_json() -> None:
    """The patch, built from the changed fields only, is what comparing the whole JSON of both
    drafts gives, for every pair of these drafts (values set, changed, gone, emptied)."""
    full = Draft.from_data(STORED)
    drafts = [
        Draft(),
        full,
        replace(full, photos=(), description="", editing=False),
        replace(full, price=Price(None, Currency.UZS), region=None, counter_message=0),
        replace(full, photos=(DraftPhoto("C", "uc", 13),), replace_photos=True, quick="g2"),
        replace(Draft(), read_price=Price(7, Currency.USD), long_description=5000),
    ]
    for before in drafts:
        for after in drafts:
            old, new = before.to_data(), after.to_data()
            expected = {k: v for k, v in new.items() if old.get(k) != v}
            expected.update(dict.fromkeys(old.keys() - new.keys()))
            assert after.changes_since(before) == expected, (before, after)


def test_a_new_draft_stores_only_an_empty_photo_list() -> None:
    assert Draft().to_data() == {"photos": []}
    photo = DraftPhoto("f", "u", 3)
    assert DraftPhoto.from_json(photo.to_json()) == photo


def test_every_step_has_its_texts_and_the_numbers_count_up() -> None:
    texts = load_texts()
    numbers = [s.number for s in new_ad.STEPS if s.number is not None]
    assert numbers == list(range(1, new_ad.AD_DIALOG.shown_steps + 1))
    for lang_texts in (texts.bind(lang) for lang in Lang):
        for step in new_ad.STEPS:
            text, markup = new_ad.AD_DIALOG.question(step, lang_texts, Draft())
            assert text, step.state
            assert "{" not in text, step.state
            assert markup is not None
            assert lang_texts(step.wrong_input)


def test_the_next_step_follows_the_table_and_an_edit_returns_to_the_preview() -> None:
    by_state = {s.state: s for s in new_ad.STEPS}
    region, district = by_state[new_ad.NewAd.region], by_state[new_ad.NewAd.district]
    price = by_state[new_ad.NewAd.price]
    assert new_ad.AD_DIALOG.after(price, Draft(price=Price(500, Currency.USD))) is region
    assert new_ad.AD_DIALOG.after(price, Draft()) is price  # not answered: asked again
    editing = Draft(editing=True)
    assert new_ad.AD_DIALOG.after(price, editing) is new_ad.PREVIEW
    assert new_ad.AD_DIALOG.after(region, editing) is district  # the district belongs to the region
    assert new_ad.AD_DIALOG.after(district, editing) is new_ad.PREVIEW


def test_an_incomplete_draft_goes_back_to_its_first_gap() -> None:
    draft = replace(Draft.from_data(STORED), description=None)
    assert new_ad.AD_DIALOG.first_gap(draft).state == new_ad.NewAd.description


def test_a_read_district_is_kept_in_the_sellers_interface_script() -> None:
    """The reader names places in Latin (`Asaka`); a seller using the bot in Cyrillic or
    Russian sees the district as they write it, a Latin one with its apostrophes."""
    asaka = AdReading(region=Region.ANDIJAN, district="Asaka")
    qoqon = AdReading(region=Region.FERGANA, district="Qoqon")
    tashkent = AdReading(region=Region.OTHER, district="Toshkent")
    expected = {
        Lang.UZ_CYRL: ("Асака", "Қўқон", "Тошкент"),
        Lang.UZ_LATN: ("Asaka", "Qoʻqon", "Toshkent"),
        Lang.RU: ("Асака", "Коканд", "Ташкент"),
    }
    for lang, names in expected.items():
        shown = tuple(
            Draft().filled_from(reading, lang).district for reading in (asaka, qoqon, tashkent)
        )
        assert shown == names, lang


def test_a_district_the_bot_has_no_name_for_is_kept_as_read() -> None:
    reading = AdReading(region=Region.OTHER, district="Xyzobod")
    assert Draft().filled_from(reading, Lang.UZ_CYRL).district == "Xyzobod"

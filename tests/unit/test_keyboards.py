"""Keyboards that depend only on the language are built once per language, in that language."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from vodiy_bozor.bot import keyboards
from vodiy_bozor.models import Lang
from vodiy_bozor.texts import Texts, load_texts


def _labels(markup: InlineKeyboardMarkup) -> list[str]:
    return [button.text for row in markup.inline_keyboard for button in row]


def test_a_language_keyboard_is_built_once_and_reused() -> None:
    t = load_texts().bind(Lang.RU)
    first = keyboards.categories(t)
    assert keyboards.categories(load_texts().bind(Lang.RU)) is first


def test_each_language_gets_its_own_keyboard() -> None:
    texts = load_texts()
    labels = {lang: _labels(keyboards.regions(texts.bind(lang))) for lang in Lang}
    assert labels[Lang.RU] != labels[Lang.UZ_CYRL] != labels[Lang.UZ_LATN]
    for lang, shown in labels.items():
        assert texts.get(lang, "ad-cancel-button") == shown[-1]


def test_another_set_of_texts_is_not_served_from_the_first() -> None:
    other = Texts()
    assert keyboards.preview(other.bind(Lang.RU)) is not keyboards.preview(
        load_texts().bind(Lang.RU)
    )

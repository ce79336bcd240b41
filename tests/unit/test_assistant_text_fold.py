"""Folding ad texts: one form across scripts, alphabets, case, spacing and punctuation."""

from __future__ import annotations

import pytest

from vodiy_bozor.text.fold import content_tokens, fold_text
from vodiy_bozor.text.sketch import text_sketch


@pytest.mark.parametrize(
    "variant",
    [
        "Сотилади, ўртача ҳолатда!",
        "Sotiladi, oʻrtacha holatda!",
        "SOTILADI   o'rtacha  HOLATDA",
        "sotiladi - o‘rtacha holatda 🔥🔥",
        "Sotiladi, örtacha holatda",  # the reformed Latin alphabet
        "Сотилади. Уртача холатда",  # ў/у and ҳ/х typed on a Russian keyboard
    ],
)
def test_every_spelling_folds_to_one_form(variant: str) -> None:
    assert fold_text(variant) == fold_text("Сотилади ўртача ҳолатда")


def test_reformed_latin_letters() -> None:
    assert fold_text("Şahar ğildirak çiroq") == fold_text("Shahar g'ildirak chiroq")


def test_russian_stays_russian_and_loses_punctuation() -> None:
    assert fold_text("Продаю АЙФОН-11, срочно!!!") == "продаю айфон 11 срочно"


def test_content_tokens_drop_filler_words() -> None:
    words = content_tokens(fold_text("Srochno sotiladi Nexia 3, holati yaxshi, narxi 9000$"))
    assert "сотилади" not in words
    assert "срочно" not in words
    assert {"нексия", "9000"} <= set(words)
    assert "3" not in words  # one-character words say nothing


def test_sketch_is_stable_and_shared_by_reworded_texts() -> None:
    a = fold_text("Sotiladi Cobalt 2020, probeg 45 ming km, rangi oq, gaz bor, kraska toza")
    b = fold_text("Кобальт 2020 сотилади, ранги оқ, пробег 45 минг км, краска тоза")
    c = fold_text("Продаю детскую кроватку, почти новая, цвет белый")
    assert text_sketch(a) == text_sketch(a)
    assert len(text_sketch(a)) == 6
    assert set(text_sketch(a)) & set(text_sketch(b))
    assert not set(text_sketch(a)) & set(text_sketch(c))


def test_sketch_of_empty_text_is_empty() -> None:
    assert text_sketch(fold_text("🔥🔥 !!!")) == []


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Cobalt", "Кобальт"),
        ("iPhone 13", "Айфон 13"),
        ("Nexia 3", "Нексия 3"),
        ("Gentra", "Джентра"),
    ],
)
def test_brand_names_fold_across_scripts(latin: str, cyrillic: str) -> None:
    assert fold_text(latin) == fold_text(cyrillic)

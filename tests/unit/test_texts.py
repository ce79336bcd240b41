"""Every text exists in all three languages, takes the same arguments, and formats cleanly."""

from __future__ import annotations

import logging
from importlib import resources

import pytest
from fluent.syntax import FluentParser, ast
from fluent.syntax.visitor import Visitor

from vodiy_bozor.models import Lang
from vodiy_bozor.texts import Markup, Texts, load_texts, local_time


def _variables(lang: Lang) -> dict[str, set[str]]:
    source = resources.files("vodiy_bozor.texts").joinpath(f"{lang.value}.ftl").read_text()
    resource = FluentParser().parse(source)
    junk = [entry for entry in resource.body if isinstance(entry, ast.Junk)]
    assert not junk, f"{lang.value}.ftl has syntax errors: {junk}"

    found: dict[str, set[str]] = {}

    class Collect(Visitor):
        def __init__(self) -> None:
            self.names: set[str] = set()

        def visit_VariableReference(self, node: ast.VariableReference) -> None:
            self.names.add(node.id.name)

    for entry in resource.body:
        if isinstance(entry, ast.Message):
            collector = Collect()
            collector.visit(entry)
            found[entry.id.name] = collector.names
    return found


def test_all_languages_have_the_same_texts_and_arguments() -> None:
    reference = _variables(Lang.UZ_CYRL)
    for lang in (Lang.UZ_LATN, Lang.RU):
        other = _variables(lang)
        assert set(other) == set(reference), f"{lang.value}: keys differ"
        for key, names in reference.items():
            assert other[key] == names, f"{lang.value}:{key} takes {other[key]}, not {names}"


@pytest.mark.parametrize("lang", list(Lang))
def test_every_text_formats_without_errors(lang: Lang, caplog: pytest.LogCaptureFixture) -> None:
    texts = load_texts()
    for key, names in _variables(lang).items():
        args = dict.fromkeys(names, 3)  # numbers fit every argument, including plural selectors
        with caplog.at_level(logging.ERROR, logger="vodiy_bozor.texts"):
            text = texts.get(lang, key, **args)
        assert text.strip(), f"{lang.value}:{key} is empty"
    assert not caplog.records, [r.getMessage() for r in caplog.records]


def test_arguments_are_escaped_unless_markup() -> None:
    texts = Texts()
    plain = texts.get(Lang.RU, "start-greeting", name="<b>Ali</b> & Co")
    assert "&lt;b&gt;Ali&lt;/b&gt; &amp; Co" in plain
    safe = texts.get(Lang.RU, "card-published", link=Markup("<a href='x'>x</a>"))
    assert "<a href='x'>x</a>" in safe


def test_missing_text_in_default_language_raises() -> None:
    with pytest.raises(KeyError):
        load_texts().get(Lang.UZ_CYRL, "no-such-text")


def test_variants_cover_every_language() -> None:
    variants = load_texts().variants("menu-new-ad")
    assert variants == {"📝 Эълон бериш", "📝 Eʼlon berish", "📝 Подать объявление"}


def test_local_time_is_tashkent() -> None:
    from datetime import UTC, datetime

    assert local_time(datetime(2026, 11, 21, 9, 5, tzinfo=UTC)) == "21.11.2026 14:05"


def test_remembered_texts_still_tell_markup_from_plain_text() -> None:
    # The memo must not hand back the escaped text for Markup of the same characters (they
    # are equal as strings), nor the raw one for plain text.
    texts = Texts()
    raw = "<a href='x'>x</a>"
    for _ in range(2):
        assert raw in texts.get(Lang.RU, "card-published", link=Markup(raw))
        assert "&lt;a href='x'&gt;" in texts.get(Lang.RU, "card-published", link=raw)


def test_remembered_texts_depend_on_every_argument_and_the_language() -> None:
    texts = Texts()
    three = texts.get(Lang.UZ_CYRL, "ad-photos-received", count=3)
    assert "3" in three
    assert texts.get(Lang.UZ_CYRL, "ad-photos-received", count=3) == three
    assert "4" in texts.get(Lang.UZ_CYRL, "ad-photos-received", count=4)
    assert texts.get(Lang.RU, "ad-photos-received", count=3) != three


def test_the_memo_stays_bounded() -> None:
    from vodiy_bozor import texts as texts_module

    texts = Texts()
    for n in range(texts_module._MEMO_SIZE + 10):
        assert str(n) in texts.get(Lang.RU, "ad-price-saved", price=str(n))
    assert len(texts._memo) <= texts_module._MEMO_SIZE


def test_decimals_and_times_are_formatted_each_time() -> None:
    # Decimal("1.0") == Decimal("1.00"): remembering by equality could show the wrong one.
    from decimal import Decimal

    texts = Texts()
    texts.get(Lang.RU, "ad-price-saved", price=Decimal("1.0"))
    texts.get(Lang.RU, "ad-price-saved", price=Decimal("1.00"))
    assert texts._memo == {}

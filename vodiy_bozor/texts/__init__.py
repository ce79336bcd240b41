"""Every text the bot shows, in Fluent files: `uz_cyrl.ftl` (default), `uz_latn.ftl`, `ru.ftl`.

Messages are sent with HTML parse mode, so string arguments are HTML-escaped here unless they
are wrapped in `Markup` (text that is already safe HTML, such as a rendered caption). Plain
numbers are formatted by Fluent with the locale's grouping.
https://projectfluent.org/fluent/guide/
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax import ast

from vodiy_bozor.models import Lang

log = logging.getLogger(__name__)

# Uzbekistan keeps UTC+5 all year (no daylight saving since 1992), so a fixed offset is exact
# and needs no time zone database on the machine.
TASHKENT = timezone(timedelta(hours=5), "UZT")

_LOCALES = {Lang.UZ_CYRL: "uz-Cyrl", Lang.UZ_LATN: "uz-Latn", Lang.RU: "ru"}

# Formatted texts are remembered: the same few questions go out with nearly every update, and
# Fluent formatting them again was a few percent of the bot's CPU in the benchmark. Texts with
# user content (names, prices) are remembered too, so the memo is bounded: it starts over
# when full, which is cheaper than tracking recency on every hit.
_MEMO_SIZE = 4096


class Markup(str):
    """A string that is already safe HTML and must not be escaped again."""

    __slots__ = ()


_MEMO_TYPES = frozenset({str, Markup, int, type(None)})


def escape(text: str) -> Markup:
    """Escape user text for Telegram's HTML parse mode (only <, > and & matter there)."""
    return Markup(html.escape(text, quote=False))


Arg = str | int | float | Decimal | date | datetime | None


def local_time(moment: datetime) -> str:
    """A moment as people in the valley read it: 21.11.2026 14:05."""
    return moment.astimezone(TASHKENT).strftime("%d.%m.%Y %H:%M")


class Texts:
    """All three languages, loaded once. `texts.get(lang, key, **args)` or `texts.bind(lang)`."""

    def __init__(self) -> None:
        self._bundles: dict[Lang, FluentBundle] = {}
        self._memo: dict[tuple[Any, ...], str] = {}
        self._ids: dict[Lang, set[str]] = {}
        self._variants: dict[str, frozenset[str]] = {}  # filters ask on every update
        for lang, locale in _LOCALES.items():
            source = resources.files(__package__).joinpath(f"{lang.value}.ftl").read_text("utf-8")
            bundle = FluentBundle([locale], use_isolating=False)
            resource = FluentResource(source)
            bundle.add_resource(resource)
            self._bundles[lang] = bundle
            self._ids[lang] = {
                entry.id.name for entry in resource.body if isinstance(entry, ast.Message)
            }

    def message_ids(self, lang: Lang) -> set[str]:
        return set(self._ids[lang])

    def get(self, lang: Lang, key: str, **args: Arg) -> str:
        if not all(type(value) in _MEMO_TYPES for value in args.values()):
            # Equal is not the same here: Decimal("1.0") == Decimal("1.00"), and datetimes
            # in different zones are equal at the same instant, yet they read differently.
            return self._format(lang, key, args)
        # The type is part of the key: Markup("<b>") equals "<b>" but must not be escaped.
        memo_key = (lang, key, *((name, type(value), value) for name, value in args.items()))
        text = self._memo.get(memo_key)
        if text is None:
            text = self._format(lang, key, args)
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            self._memo[memo_key] = text
        return text

    def _format(self, lang: Lang, key: str, args: dict[str, Arg]) -> str:
        bundle = self._bundles[lang]
        if not bundle.has_message(key):
            if lang is not Lang.default():
                log.error("text %r is missing in %s", key, lang.value)
                return self._format(Lang.default(), key, args)
            raise KeyError(f"no text {key!r}")
        message = bundle.get_message(key)
        if message.value is None:
            raise KeyError(f"text {key!r} has no value")
        safe: dict[str, Any] = {
            name: (
                value
                if value is None or isinstance(value, Markup) or not isinstance(value, str)
                else escape(value)
            )
            for name, value in args.items()
        }
        text, errors = bundle.format_pattern(message.value, safe)
        for error in errors:
            log.error("text %r in %s: %s", key, lang.value, error)
        return str(text)

    def variants(self, key: str) -> frozenset[str]:
        """The text of `key` in every language: for matching reply-keyboard buttons, which send
        their label back as a message, whatever language the keyboard was made in."""
        found = self._variants.get(key)
        if found is None:
            found = self._variants[key] = frozenset(self.get(lang, key) for lang in Lang)
        return found

    def bind(self, lang: Lang) -> Translator:
        return Translator(self, lang)


class Translator:
    """`t("key", name=...)` in one language."""

    __slots__ = ("lang", "texts")

    def __init__(self, texts: Texts, lang: Lang) -> None:
        self.texts = texts
        self.lang = lang

    def __call__(self, key: str, **args: Arg) -> str:
        return self.texts.get(self.lang, key, **args)


@cache
def load_texts() -> Texts:
    return Texts()


def all_langs() -> Iterable[Lang]:
    return list(Lang)

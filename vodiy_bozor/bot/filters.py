"""Filters that run on the event loop.

aiogram calls any filter that is not a coroutine, magic `F` filters included, through
`asyncio.to_thread` (aiogram/dispatcher/event/handler.py, CallableObject.call): a thread-pool
hop for every check of every update. These async equivalents keep the hot path in the loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aiogram.filters import Filter
from aiogram.types import Message, TelegramObject
from magic_filter import MagicFilter

from vodiy_bozor.parsing import normalize_answer


class Match(Filter):
    """A magic filter, resolved in the event loop: `Match(F.photo)`."""

    __slots__ = ("_magic",)

    def __init__(self, magic: MagicFilter) -> None:
        self._magic = magic

    async def __call__(self, event: TelegramObject) -> bool:
        return bool(self._magic.resolve(event))


class PrivateChat(Filter):
    async def __call__(self, event: TelegramObject) -> bool:
        chat = getattr(event, "chat", None)
        return chat is not None and chat.type == "private"


class PlainText(Filter):
    """Text that is not a command."""

    async def __call__(self, message: Message) -> bool:
        return message.text is not None and not message.text.startswith("/")


class TextIs(Filter):
    """The message text is exactly one of `labels` (reply keyboard buttons send their label)."""

    __slots__ = ("_labels",)

    def __init__(self, labels: Iterable[str]) -> None:
        self._labels = frozenset(labels)

    async def __call__(self, message: Message) -> bool:
        return message.text in self._labels


class TypedAnswer(Filter):
    """A typed answer that matches one of the choices, in either Uzbek script or Russian.

    Hands the handler the chosen value as `answer`.
    """

    __slots__ = ("_choices",)

    def __init__(self, choices: Mapping[str, Any]) -> None:
        self._choices = dict(choices)

    async def __call__(self, message: Message) -> bool | dict[str, Any]:
        if message.text is None or message.text.startswith("/"):
            return False
        key = normalize_answer(message.text)
        if key not in self._choices:
            return False
        return {"answer": self._choices[key]}

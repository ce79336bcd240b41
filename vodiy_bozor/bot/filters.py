"""Filters that run on the event loop.

aiogram calls any filter that is not a coroutine, magic `F` filters included, through
`asyncio.to_thread` (aiogram/dispatcher/event/handler.py, CallableObject.call): a thread-pool
hop for every check of every update. These async equivalents keep the hot path in the loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, TelegramObject, User
from magic_filter import MagicFilter

from vodiy_bozor.bot.awaited import Awaited, SideQuestion
from vodiy_bozor.services.moderation import Moderation
from vodiy_bozor.texts import Texts


class Match(Filter):
    """A magic filter, resolved in the event loop: `Match(F.photo)`."""

    __slots__ = ("_magic",)

    def __init__(self, magic: MagicFilter) -> None:
        self._magic = magic

    async def __call__(self, event: TelegramObject) -> bool:
        return bool(self._magic.resolve(event))


class AnswerAs(Filter):
    """The typed answer to a side question (bot/awaited.py), handed to its handler as what
    `read` makes of it; False when the text is no answer, or `read` finds nothing in it."""

    __slots__ = ("_answer", "_read")

    def __init__(
        self, question: SideQuestion, read: Callable[[Awaited], bool | dict[str, Any]]
    ) -> None:
        self._answer = question.filter()
        self._read = read

    async def __call__(
        self, message: Message, state: FSMContext, texts: Texts
    ) -> bool | dict[str, Any]:
        found = await self._answer(message, state, texts)
        if not isinstance(found, dict):
            return False
        awaited: Awaited = found["awaited"]
        return self._read(awaited)


class PrivateChat(Filter):
    async def __call__(self, event: TelegramObject) -> bool:
        chat = getattr(event, "chat", None)
        return chat is not None and chat.type == "private"


class PlainText(Filter):
    """Text that is not a command."""

    async def __call__(self, message: Message) -> bool:
        return message.text is not None and not message.text.startswith("/")


class Label(Filter):
    """The message is the label of a reply-keyboard button (Telegram sends the label back as
    the message text), in any of the bot's languages: `Label("menu-new-ad")`.

    The labels come from the `texts` in the dispatcher's workflow data, so routers need no
    texts when they are built."""

    __slots__ = ("_key",)

    def __init__(self, key: str) -> None:
        self._key = key

    async def __call__(self, message: Message, texts: Texts) -> bool:
        return message.text is not None and message.text in texts.variants(self._key)


class IsAdmin(Filter):
    """The update comes from one of ADMIN_IDS: a router-level filter for the admins' routers.

    Anyone can send any callback data, so this is checked on the server for every update."""

    async def __call__(
        self, event: TelegramObject, moderation: Moderation, event_from_user: User | None = None
    ) -> bool:
        return event_from_user is not None and moderation.is_admin(event_from_user.id)

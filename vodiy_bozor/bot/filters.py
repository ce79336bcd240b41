"""Filters that run on the event loop.

aiogram calls any filter that is not a coroutine, magic `F` filters included, through
`asyncio.to_thread` (aiogram/dispatcher/event/handler.py, CallableObject.call): a thread-pool
hop for every check of every update. These async equivalents keep the hot path in the loop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject
from aiogram.filters import Command, Filter
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, TelegramObject, User
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

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    async def __call__(self, message: Message, texts: Texts) -> bool:
        return message.text is not None and message.text in texts.variants(self.key)


class IsAdmin(Filter):
    """The update comes from one of ADMIN_IDS: a router-level filter for the admins' routers.

    Anyone can send any callback data, so this is checked on the server for every update."""

    async def __call__(
        self, event: TelegramObject, moderation: Moderation, event_from_user: User | None = None
    ) -> bool:
        return event_from_user is not None and moderation.is_admin(event_from_user.id)


class PaymentMessage(Filter):
    """A message carrying a successful payment."""

    async def __call__(self, message: Message) -> bool:
        return message.successful_payment is not None


@dataclass
class Gate(Filter):
    """Whether any handler of a group of routers could take this update: a root filter for the
    group, so that an update none of them can take skips all of them at once.

    aiogram walks an update through every router before the one that takes it, and each router
    and each handler checked costs its machinery (the update's data copied into every call, a
    coroutine per filter), whatever the filters themselves cost: in the ad dialog the five
    routers that come first (payments, moderation, deep links, /start and /help) cost a fifth
    of the bot's instructions per update, for updates that none of them ever takes.

    The gate is read off the routers' own filters (`Gate.of`): each handler must have one of a
    few kinds a cheap test can rule out (a command, a reply-keyboard label, a payment, a
    button's callback-data prefix, an admin), so the gate is a necessary condition of every
    handler and passes whatever any of them could take. A handler with no such filter means no
    gate (`of` returns None), never a handler that cannot be reached.
    """

    admins: bool = False
    payments: bool = False
    command_prefixes: str = ""
    labels: frozenset[str] = frozenset()  # text keys, as `Label` takes them
    buttons: frozenset[tuple[str, str]] = frozenset()  # (prefix, separator) of callback data
    _label_texts: dict[int, frozenset[str]] = field(
        default_factory=dict, repr=False, compare=False
    )  # the labels' texts, by the `Texts` they came from

    @classmethod
    def of(cls, router: Router, event_type: str) -> Gate | None:
        """The gate of `router`'s sub-routers' handlers of `event_type`, or None when one of
        them has a filter of no kind the gate knows."""
        gate = cls()
        for sub in _routers_below(router):
            observer = sub.observers[event_type]
            if not observer.handlers:
                continue
            if any(isinstance(f.callback, IsAdmin) for f in observer._handler.filters or ()):
                gate.admins = True  # the router's root filter: admins only
                continue
            for handler in observer.handlers:
                if not any(gate._admit(f) for f in handler.filters or ()):
                    return None
        return gate

    def _admit(self, filter_: FilterObject) -> bool:
        """Let through what `filter_` could pass, if it is a kind the gate knows."""
        found = filter_.callback
        if isinstance(found, Command):  # CommandStart too
            self.command_prefixes = "".join(sorted(set(self.command_prefixes) | set(found.prefix)))
        elif isinstance(found, Label):
            self.labels = self.labels | {found.key}
        elif isinstance(found, PaymentMessage):
            self.payments = True
        elif isinstance(found, IsAdmin):
            self.admins = True
        elif isinstance(found, CallbackQueryFilter):
            data = found.callback_data
            self.buttons = self.buttons | {(data.__prefix__, data.__separator__)}
        else:
            return False
        return True

    async def __call__(
        self,
        event: TelegramObject,
        texts: Texts,
        moderation: Moderation,
        event_from_user: User | None = None,
    ) -> bool:
        if self.admins and event_from_user is not None and moderation.is_admin(event_from_user.id):
            return True
        if isinstance(event, Message):
            if self.payments and event.successful_payment is not None:
                return True
            # aiogram's Command reads the text or the caption, with leading blanks dropped.
            said = (event.text or event.caption or "").lstrip()
            if said and said[0] in self.command_prefixes:
                return True
            return event.text is not None and event.text in self._labels(texts)
        if isinstance(event, CallbackQuery):
            data = event.data or ""
            return any(data.partition(sep)[0] == prefix for prefix, sep in self.buttons)
        return True  # no other kind of update is gated

    def _labels(self, texts: Texts) -> frozenset[str]:
        labels = self._label_texts.get(id(texts))
        if labels is None:
            labels = frozenset(v for key in self.labels for v in texts.variants(key))
            self._label_texts[id(texts)] = labels
        return labels


def _routers_below(router: Router) -> Iterator[Router]:
    for sub in router.sub_routers:
        yield sub
        yield from _routers_below(sub)

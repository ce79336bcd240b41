"""A side question: the bot asked for something typed (a moderator's reason, a buyer's search
words or price range) and takes the next text as the answer, within a deadline.

The question lives in a conversation row of its own (aiogram's "destiny",
https://docs.aiogram.dev/en/latest/dispatcher/finite_state_machine/storages.html), beside the
person's main conversation (an ad draft), so answering never touches the draft. Its data holds
`awaiting` (which question) and `until` (a Unix time), next to whatever its owner keeps there.

What escapes it: every command and every button of the reply keyboards (`escape_labels`, taken
from the keyboard builders, so a new menu button escapes without a change here). The question
is dropped and the update goes on to do what it says; only /cancel may be taken by a question,
to cancel itself rather than a draft. After the deadline typed text is no answer either. The
escape is checked before any router (`EscapeMiddleware`, a message middleware), so it holds
whichever router then handles the button, and each question's filter (`AnswerTo`) checks it
again for itself.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from aiogram import BaseMiddleware
from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, TelegramObject

from vodiy_bozor.bot import keyboards
from vodiy_bozor.models import Lang
from vodiy_bozor.telegram.fsm_storage import PostgresStorage
from vodiy_bozor.texts import Texts

AWAITING = "awaiting"
UNTIL = "until"

_labels: dict[int, tuple[Texts, frozenset[str]]] = {}


def escape_labels(texts: Texts) -> frozenset[str]:
    """The label of every reply-keyboard button the bot shows (the main menu, and the phone
    step's cancel), in every language: each sends its label as a message."""
    cached = _labels.get(id(texts))
    if cached is not None and cached[0] is texts:
        return cached[1]
    found: set[str] = set()
    for lang in Lang:
        t = texts.bind(lang)
        for markup in (*keyboards.main_menus(t), keyboards.share_phone(t)):
            for row in markup.keyboard:
                for button in row:
                    if not (button.request_contact or button.request_location):
                        found.add(button.text)
    labels = frozenset(found)
    _labels[id(texts)] = (texts, labels)
    return labels


def escapes(text: str, texts: Texts) -> bool:
    """A command or a reply-keyboard button: never an answer."""
    return text.startswith("/") or text in escape_labels(texts)


def is_cancel(text: str) -> bool:
    return text.split("@")[0].strip() == "/cancel"


class Outcome(enum.Enum):
    ANSWER = "answer"  # the text answers the question
    CANCELLED = "cancelled"  # /cancel, taken by a question that cancels itself
    EXPIRED = "expired"  # typed after the deadline, and the question says so


@dataclass(frozen=True, slots=True)
class Awaited:
    """What a filter hands its handler (as `awaited`): which question, the side conversation's
    data, and how the text relates to it."""

    kind: str
    data: dict[str, Any]
    outcome: Outcome = Outcome.ANSWER


class SideQuestion:
    """One side conversation with an awaited answer.

    `kinds`: the questions asked in it; `wait`: seconds to answer; `keys`: data that belongs to
    the question and goes with it (what the rest of the data is kept for); `takes_cancel`: /cancel
    cancels the question (and is answered by its handler) instead of passing on;
    `tells_expired`: text typed after the deadline reaches the handler as EXPIRED (when the
    person is in no other conversation step) instead of passing on.
    """

    def __init__(
        self,
        destiny: str,
        *,
        kinds: frozenset[str],
        wait: float,
        keys: frozenset[str] = frozenset(),
        takes_cancel: bool = False,
        tells_expired: bool = False,
    ) -> None:
        self.destiny = destiny
        self.kinds = kinds
        self.wait = wait
        self.keys = keys | {AWAITING, UNTIL}
        self.takes_cancel = takes_cancel
        self.tells_expired = tells_expired

    def context(self, state: FSMContext) -> FSMContext:
        return FSMContext(storage=state.storage, key=replace(state.key, destiny=self.destiny))

    def asked(self, kind: str) -> dict[str, Any]:
        """The data that marks `kind` as asked now (merge it into the side conversation's)."""
        assert kind in self.kinds, kind
        return {AWAITING: kind, UNTIL: time.time() + self.wait}

    async def drop(self, state: FSMContext, data: dict[str, Any] | None = None) -> None:
        """No question is awaited any more; the rest of the data stays (with none left, the
        side conversation's row goes). `data`: the side conversation's, if read already."""
        side = self.context(state)
        if data is None:
            data = await side.get_data()
        rest = {key: value for key, value in data.items() if key not in self.keys}
        if rest:
            await side.set_data(rest)
        else:
            await side.clear()

    def filter(self) -> AnswerTo:
        return AnswerTo(self)


class AnswerTo(Filter):
    """The message is the typed answer to the side question (handlers get `awaited`)."""

    __slots__ = ("_question",)

    def __init__(self, question: SideQuestion) -> None:
        self._question = question

    async def __call__(
        self, message: Message, state: FSMContext, texts: Texts
    ) -> bool | dict[str, Any]:
        question = self._question
        text = message.text
        if text is None:
            return False  # a photo, a sticker: answered by whoever handles it, the wait goes on
        data = await question.context(state).get_data()
        kind, until = data.get(AWAITING), data.get(UNTIL)
        if kind not in question.kinds:
            return False
        if escapes(text, texts):
            await question.drop(state, data)
            if question.takes_cancel and is_cancel(text):
                return {"awaited": Awaited(kind, data, Outcome.CANCELLED)}
            return False  # it does what it says
        if not isinstance(until, int | float) or time.time() > until:
            await question.drop(state, data)
            if question.tells_expired and not await state.get_state():
                return {"awaited": Awaited(kind, data, Outcome.EXPIRED)}
            return False
        return {"awaited": Awaited(kind, data)}


class EscapeMiddleware(BaseMiddleware):
    """A command or a reply-keyboard button drops every side question before any router sees
    it (a question that takes /cancel keeps it for its own filter). Plain text costs nothing
    here; an escaping text costs one statement only when the update's read of the sender's
    rows saw a question awaited (`PostgresStorage.drop_marked`), for the questions that can be
    asked of the sender (`asked_of`: e.g. only admins are asked for reasons)."""

    def __init__(
        self, questions: Sequence[tuple[SideQuestion, Callable[[int], bool] | None]]
    ) -> None:
        self._questions = tuple(questions)

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        text = getattr(event, "text", None)
        state = data.get("state")
        texts = data.get("texts")
        if (
            isinstance(text, str)
            and isinstance(state, FSMContext)
            and isinstance(texts, Texts)
            and escapes(text, texts)
        ):
            user_id = state.key.user_id
            dropped = [
                question
                for question, asked_of in self._questions
                if (asked_of is None or asked_of(user_id))
                and not (question.takes_cancel and is_cancel(text))
            ]
            if dropped and isinstance(state.storage, PostgresStorage):
                await state.storage.drop_marked(
                    state.key,
                    [q.destiny for q in dropped],
                    AWAITING,
                    sorted(set().union(*(q.keys for q in dropped))),
                )
            else:
                for question in dropped:
                    await question.drop(state)
        return await handler(event, data)

"""The step engine: a dialog declared as data, and the generic handlers that run it.

A dialog is a `Dialog`: a sequence of `Step`s, each stating its question and keyboard, what it
accepts and how that is read (its readers return an `Outcome`), its wrong-input answer, and
where the dialog goes next. The engine finds the user's step from the FSM state, hands the
update to the step's reader and acts on what it answers (`go_on`): save and ask the next
question, refuse with the step's keyboard, or ask for a confirmation. A dialog's module (the ad
dialog, `bot/handlers/new_ad.py`) holds only its table and readers and its own handlers (entering,
leaving, the last step's buttons); the quick post (`bot/handlers/quick_post.py`) enters the same
dialog through the same engine. This is the shape aiogram_dialog gives dialogs (windows declared
as data, one engine: https://aiogram-dialog.readthedocs.io/), kept small and on our storage.

Why a table and not aiogram's Scenes (https://docs.aiogram.dev/en/latest/dispatcher/finite_state_machine/scene.html):
our steps are uniform (ask, read one answer, save it, go on) and differ only in data, which a
table states in a line each where Scenes want a class per step with the same handlers
repeated; and a step here is one PostgreSQL statement (the answer and the next state are
written together, `bot/draft.py`), where Scenes keep their own history in the FSM data and write
it on every transition. Wrong input never moves a dialog.

The engine knows no dialog's draft: it is generic over the draft (`D`, anything with an
`editing` flag, kept by a `Drafts` store that loads, saves and moves it), over what the
dialog's readers need besides (`N`, e.g. the ad dialog's services) and over its buttons'
callback data (`B`). A dialog's module names its own `Turn[Draft, Needs]`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, Protocol, TypeVar

from aiogram import BaseMiddleware, Bot
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    TelegramObject,
)

from vodiy_bozor.telegram.intake import AlbumPart
from vodiy_bozor.texts import Translator

# -- what the engine needs of a dialog's draft -------------------------------------------------


class DialogDraft(Protocol):
    @property
    def editing(self) -> bool:
        """One answer is being edited from the last step: answering it goes back there."""
        ...


D = TypeVar("D", bound=DialogDraft)  # the dialog's draft
N = TypeVar("N")  # what its readers need besides the draft (services, renderers)
B = TypeVar("B", bound=CallbackData)  # its steps' buttons


class Drafts(Protocol[D]):
    """Where a dialog's draft is kept with the FSM state (bot/draft.py's `DraftStore` for the
    ad): read once per update, saved, and moved to a step with the answer in one write."""

    async def load(self, state: FSMContext) -> D: ...

    async def move(self, state: FSMContext, step: State, draft: D, *, since: D | None) -> None: ...

    async def save(self, state: FSMContext, draft: D, *, since: D) -> None: ...


# -- what a step's reader answers ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Accept(Generic[D]):
    """The answer is good: save `draft` and go on. `note` confirms it above the next question;
    with `note_keyboard` it goes as a message of its own (to swap the reply keyboard)."""

    draft: D
    note: str = ""
    note_keyboard: ReplyKeyboardMarkup | None = None


@dataclass(frozen=True, slots=True)
class Refuse:
    """The right kind of input, but not usable: say why (with the step's keyboard); stay."""

    text: str


@dataclass(frozen=True, slots=True)
class Kept:
    """Taken in place (a photo added): the step stays, the reader has answered."""


@dataclass(frozen=True, slots=True)
class Confirm(Generic[D]):
    """Usable, but worth a second look (a price far from the category's): keep `draft`,
    ask `text` with `keyboard`, and stay on the step until the seller chooses."""

    draft: D
    text: str
    keyboard: InlineKeyboardMarkup


Outcome = Accept[D] | Refuse | Kept | Confirm[D] | None  # None: not what this step takes


@dataclass(frozen=True, slots=True)
class Turn(Generic[D, N]):
    """One update of the dialog: what a reader may look at and use."""

    draft: D
    t: Translator
    chat_id: int
    user_id: int
    bot: Bot
    state: FSMContext
    drafts: Drafts[D]
    needs: N  # what this dialog's readers use besides (built by `Dialog.needs`)
    dialog: Dialog[D, N, Any]
    album: AlbumPart | None = None  # a photo's place in its album (telegram/intake.py)


# The longest answer a step of buttons, the price or the phone reads: a label, a price with its
# words, a phone with "tel:" around it are a few dozen characters. Longer text (Telegram allows
# 4,096) is refused before parsing, so no step's cost grows with what a user pastes.
ANSWER_LIMIT = 200

MessageReader = Callable[[Message, Turn[D, N]], Awaitable[Outcome[D]]]
# Awaited like the message readers: a button may need what a typed answer needs (the price
# step's check of a chosen reading).
ButtonReader = Callable[[B, Turn[D, N]], Awaitable[Outcome[D]]]
# An answer the seller's whole message gave (the quick post), tried when the dialog reaches
# the step, through the step's own rules: Accept goes on without asking, Confirm is asked
# instead of the question, None asks the question.
ReadAnswer = Callable[[Turn[D, N], "Step[D, N, B]"], Awaitable[Outcome[D]]]
Keyboard = Callable[[Translator, D], InlineKeyboardMarkup | ReplyKeyboardMarkup]


@dataclass(frozen=True, slots=True)
class Step(Generic[D, N, B]):
    state: State
    question: str  # text key; gets `step` ("3/7") when the step has a number
    keyboard: Keyboard[D]
    wrong_input: str  # text key, when the input is of the wrong kind
    number: int | None = None  # shown as "n/7"; a sub-step (the district) shows none
    edits: Hashable | None = None  # the field "Edit" offers for this step
    answered: Callable[[D], bool] = lambda _: True  # for finding the first gap
    read_message: MessageReader[D, N] | None = None
    read_button: ButtonReader[B, D, N] | None = None
    # Answering it while editing from the preview goes back to the preview; False for a step
    # whose next step belongs to it (the region's district).
    ends_edit: bool = True
    question_args: Mapping[str, Any] = field(default_factory=dict)
    read_answer: ReadAnswer[D, N, B] | None = None
    # Typed text longer than this is refused before any reader sees it; None for a step whose
    # reader bounds its own cost (the description and district count and refuse themselves).
    max_length: int | None = ANSWER_LIMIT


def plain_text(parse: Callable[[str, Turn[D, N]], Outcome[D]]) -> MessageReader[D, N]:
    """A reader of text that is not a command."""

    async def read(message: Message, turn: Turn[D, N]) -> Outcome[D]:
        if message.text is None or message.text.startswith("/"):
            return None
        return parse(message.text, turn)

    return read


# A dialog's last step shows what was gathered before its question (the ad's preview); it may
# note something in the draft while doing so, and returns the draft as it then is.
ShowLast = Callable[[Turn[D, N], D], Awaitable[D]]


@dataclass(frozen=True, slots=True, eq=False)
class Dialog(Generic[D, N, B]):
    """A dialog declared as data: its steps in order, the last one the dialog's end (asked
    only once the draft is `complete`, else the first step still unanswered is asked).
    `drafts` and `needs` take them from the dispatcher's workflow data, once per update."""

    steps: Sequence[Step[D, N, B]]
    complete: Callable[[D], bool]
    drafts: Callable[[Mapping[str, Any]], Drafts[D]]
    needs: Callable[[Mapping[str, Any]], N]
    show_last: ShowLast[D, N] | None = None
    shown_steps: int = field(init=False)
    _by_state: dict[str | None, Step[D, N, B]] = field(init=False)
    _by_field: dict[Hashable, Step[D, N, B]] = field(init=False)

    def __post_init__(self) -> None:
        # A frozen dataclass sets its derived fields through object.__setattr__.
        set_ = object.__setattr__
        set_(self, "shown_steps", max(s.number or 0 for s in self.steps))
        set_(self, "_by_state", {s.state.state: s for s in self.steps})
        set_(self, "_by_field", {s.edits: s for s in self.steps if s.edits is not None})

    @property
    def first(self) -> Step[D, N, B]:
        return self.steps[0]

    @property
    def last(self) -> Step[D, N, B]:
        return self.steps[-1]

    def step_of(self, state_name: str | None) -> Step[D, N, B]:
        return self._by_state.get(state_name, self.first)

    def editing(self, edits: Hashable) -> Step[D, N, B] | None:
        """The step that "Edit" offers for a field."""
        return self._by_field.get(edits)

    def after(self, step: Step[D, N, B], draft: D) -> Step[D, N, B]:
        if draft.editing and step.ends_edit:
            return self.last
        index = self.steps.index(step)
        if not step.ends_edit:
            return self.steps[index + 1]  # the region's district
        # The first step from here on still unanswered: the next one in the usual dialog; after
        # an ad sent whole, only what its text did not say (the step itself again when the
        # answer was not its own: photos sent at the first step, without their category).
        return next((s for s in self.steps[index:] if not s.answered(draft)), self.last)

    def first_gap(self, draft: D) -> Step[D, N, B]:
        return next((s for s in self.steps if not s.answered(draft)), self.first)

    def question(self, step: Step[D, N, B], t: Translator, draft: D) -> tuple[str, Any]:
        args = dict(step.question_args)
        if step.number is not None:
            args["step"] = f"{step.number}/{self.shown_steps}"
        return t(step.question, **args), step.keyboard(t, draft)


# -- asking --------------------------------------------------------------------------------------


async def ask(
    turn: Turn[D, N],
    step: Step[D, N, Any],
    draft: D | None = None,
    *,
    note: str = "",
    note_keyboard: ReplyKeyboardMarkup | None = None,
    fresh: bool = False,
) -> None:
    """Move the dialog to `step`, saving `draft` (what changed since the turn began, or all of
    it when `fresh`) in the same write, and ask the step's question (the last step shows what
    was gathered first; an incomplete draft goes back to its first gap instead)."""
    dialog = turn.dialog
    draft = draft or turn.draft
    confirm: Confirm[D] | None = None
    for _ in dialog.steps:  # each answer read from the seller's text is taken at most once
        if step is dialog.last and not dialog.complete(draft):
            step = dialog.first_gap(draft)
        reader = step.read_answer
        read = await reader(replace(turn, draft=draft), step) if reader is not None else None
        if isinstance(read, Accept):
            draft, step = read.draft, dialog.after(step, read.draft)
            continue
        if isinstance(read, Confirm):
            draft, confirm = read.draft, read
        break
    await turn.drafts.move(turn.state, step.state, draft, since=None if fresh else turn.draft)
    t = turn.t
    if note and note_keyboard is not None:
        await turn.bot.send_message(turn.chat_id, note, reply_markup=note_keyboard)
        note = ""
    if step is dialog.last and dialog.show_last is not None:
        draft = await dialog.show_last(turn, draft)
    text, markup = dialog.question(step, t, draft)
    if confirm is not None:
        text, markup = confirm.text, confirm.keyboard
    await turn.bot.send_message(
        turn.chat_id, f"{note}\n\n{text}" if note else text, reply_markup=markup
    )


async def go_on(turn: Turn[D, N], step: Step[D, N, Any], outcome: Outcome[D]) -> None:
    """Act on a reader's outcome: move on, refuse, or (None) say what the step expects."""
    if isinstance(outcome, Accept):
        after = turn.dialog.after(step, outcome.draft)
        await ask(
            turn, after, outcome.draft, note=outcome.note, note_keyboard=outcome.note_keyboard
        )
    elif isinstance(outcome, Refuse):
        markup = step.keyboard(turn.t, turn.draft)
        await turn.bot.send_message(turn.chat_id, outcome.text, reply_markup=markup)
    elif isinstance(outcome, Confirm):
        await turn.drafts.save(turn.state, outcome.draft, since=turn.draft)
        await turn.bot.send_message(turn.chat_id, outcome.text, reply_markup=outcome.keyboard)


class TurnMiddleware(BaseMiddleware, Generic[D, N, B]):
    """Gives a dialog's handlers `turn` (the draft and what a step needs) and `step` (where
    the seller is), built once per update from the dispatcher's services. It runs only when a
    handler of this router matched, and the draft's read is the one aiogram's FSM already
    made (remembered for the update by our storage), so it costs no statement."""

    def __init__(self, dialog: Dialog[D, N, B]) -> None:
        self.dialog = dialog

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        state: FSMContext = data["state"]
        user = data["event_from_user"]
        dialog = self.dialog
        drafts = dialog.drafts(data)
        data["step"] = dialog.step_of(await state.get_state())
        data["turn"] = Turn(
            draft=await drafts.load(state),
            t=data["t"],
            chat_id=user.id,  # the dialog runs in private chats: the chat is the user's
            user_id=user.id,
            bot=data["bot"],
            state=state,
            drafts=drafts,
            needs=dialog.needs(data),
            dialog=dialog,
            album=data.get("album"),
        )
        return await handler(event, data)


# -- handlers: answers ---------------------------------------------------------------------------


async def answer_message(
    message: Message, t: Translator, turn: Turn[D, N], step: Step[D, N, Any]
) -> None:
    """Any message while in a dialog: the step's reader, or what the step expects."""
    if step.max_length is not None and len(message.text or "") > step.max_length:
        text, markup = turn.dialog.question(step, t, turn.draft)
        hint = t("ad-answer-too-long", limit=step.max_length)
        await message.answer(f"{hint}\n\n{text}", reply_markup=markup)
        return
    outcome = await step.read_message(message, turn) if step.read_message else None
    if outcome is not None:
        await go_on(turn, step, outcome)
        return
    if turn.album is not None and not turn.album.last:
        return  # an album is answered once, at its last photo
    is_command = bool(message.text and message.text.startswith("/"))
    hint = t("ad-finish-first") if is_command else t(step.wrong_input)
    text, markup = turn.dialog.question(step, t, turn.draft)
    await message.answer(f"{hint}\n\n{text}", reply_markup=markup)


async def answer_button(
    query: CallbackQuery, callback_data: B, t: Translator, turn: Turn[D, N], step: Step[D, N, B]
) -> None:
    """A step's button (a category, "done", "negotiable", a region, "skip")."""
    outcome = await step.read_button(callback_data, turn) if step.read_button else None
    if outcome is None:
        # A button of another step (an old message): it means nothing here.
        await query.answer(t("button-outdated"), show_alert=True)
        return
    await query.answer()
    await go_on(turn, step, outcome)

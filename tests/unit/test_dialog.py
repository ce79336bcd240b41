"""The step engine (bot/dialog.py) runs any dialog declared as data: a second, smaller dialog
with a draft of its own (no ad `Draft`, no ad buttons) built from the same parts finds its
steps, numbers its questions, skips what is answered, returns from an edit to its last step and
goes back to a gap, with nothing of the ad dialog."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InlineKeyboardMarkup

from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.dialog import Accept, Dialog, Drafts, Outcome, Step, Turn, plain_text
from vodiy_bozor.models import Lang
from vodiy_bozor.texts import Translator, load_texts


@dataclass(frozen=True, slots=True)
class Wish:
    """A buyer's wish, the second dialog's draft: nothing of an ad."""

    topic: str | None = None
    words: str | None = None
    editing: bool = False


class WishCb(CallbackData, prefix="wish"):
    topic: str


class Ask(StatesGroup):
    category = State()
    description = State()
    done = State()


class Wishes:
    """The second dialog's own draft store, as the engine needs one (`Drafts[Wish]`)."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[str | None, Wish]] = {}

    async def load(self, state: FSMContext) -> Wish:
        return self.kept.get(str(state.key), (None, Wish()))[1]

    async def move(
        self, state: FSMContext, step: State, draft: Wish, *, since: Wish | None
    ) -> None:
        self.kept[str(state.key)] = (step.state, draft)

    async def save(self, state: FSMContext, draft: Wish, *, since: Wish) -> None:
        self.kept[str(state.key)] = (self.kept.get(str(state.key), (None, draft))[0], draft)


def _cancel(t: Translator, _draft: Wish) -> InlineKeyboardMarkup:
    return keyboards.cancel_only(t)


def _description(text: str, turn: Turn[Wish, None]) -> Outcome[Wish]:
    return Accept(Wish(topic=turn.draft.topic, words=text))


async def _topic(cb: WishCb, turn: Turn[Wish, None]) -> Outcome[Wish]:
    return Accept(Wish(topic=cb.topic, words=turn.draft.words))


def _store(_data: Mapping[str, Any]) -> Drafts[Wish]:
    return Wishes()


ASK: Dialog[Wish, None, WishCb] = Dialog(
    (
        Step(
            Ask.category,
            "ad-ask-category",
            _cancel,
            "ad-wrong-input-buttons",
            number=1,
            edits="topic",
            answered=lambda d: d.topic is not None,
            read_button=_topic,
        ),
        Step(
            Ask.description,
            "ad-ask-description",
            _cancel,
            "ad-wrong-input-text",
            number=2,
            edits="words",
            answered=lambda d: bool(d.words),
            read_message=plain_text(_description),
            question_args={"limit": 10},
        ),
        Step(Ask.done, "ad-preview-intro", _cancel, "ad-wrong-input-buttons"),
    ),
    complete=lambda d: d.topic is not None and bool(d.words),
    drafts=_store,
    needs=lambda _data: None,
)
CATEGORY, DESCRIPTION, DONE = ASK.steps


def test_a_second_dialog_finds_its_steps_by_state_and_by_field() -> None:
    assert ASK.first is CATEGORY
    assert ASK.last is DONE
    assert ASK.step_of(Ask.description.state) is DESCRIPTION
    assert ASK.step_of(None) is CATEGORY  # outside the dialog: its first step
    assert ASK.step_of("NewAd:price") is CATEGORY  # another dialog's state is not this one's
    assert ASK.editing("words") is DESCRIPTION
    assert ASK.editing("phone") is None


def test_its_questions_are_numbered_out_of_its_own_steps() -> None:
    assert ASK.shown_steps == 2
    t = load_texts().bind(Lang.UZ_CYRL)
    text, markup = ASK.question(DESCRIPTION, t, Wish())
    assert "2/2" in text
    assert "{" not in text
    assert markup == keyboards.cancel_only(t)


def test_it_goes_to_the_first_unanswered_step_and_from_an_edit_to_its_end() -> None:
    assert ASK.after(CATEGORY, Wish(topic="bike")) is DESCRIPTION
    assert ASK.after(CATEGORY, Wish()) is CATEGORY  # not answered: asked again
    whole = Wish(topic="bike", words="a red one")
    assert ASK.after(CATEGORY, whole) is DONE  # the rest was answered already
    assert ASK.after(DESCRIPTION, Wish(editing=True)) is DONE
    assert ASK.first_gap(Wish(topic="bike")) is DESCRIPTION
    assert not ASK.complete(Wish(topic="bike"))
    assert ASK.complete(whole)


async def test_its_readers_take_its_own_buttons_into_its_own_draft() -> None:
    assert CATEGORY.read_button is not None
    turn = Turn(
        draft=Wish(words="a red one"),
        t=load_texts().bind(Lang.UZ_CYRL),
        chat_id=1,
        user_id=1,
        bot=None,  # type: ignore[arg-type]  # the readers here send nothing
        state=None,  # type: ignore[arg-type]
        drafts=Wishes(),
        needs=None,
        dialog=ASK,
    )
    outcome = await CATEGORY.read_button(WishCb(topic="bike"), turn)
    assert isinstance(outcome, Accept)
    assert outcome == Accept(Wish(topic="bike", words="a red one"))
    assert ASK.after(CATEGORY, outcome.draft) is DONE

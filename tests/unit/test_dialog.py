"""The step engine (bot/dialog.py) runs any dialog declared as data: a second, smaller dialog
built from the same parts finds its steps, numbers its questions, skips what is answered,
returns from an edit to its last step and goes back to a gap, with nothing of the ad dialog."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InlineKeyboardMarkup

from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.callbacks import DraftField
from vodiy_bozor.bot.dialog import Accept, Dialog, Outcome, Step, Turn, plain_text
from vodiy_bozor.bot.draft import Draft
from vodiy_bozor.models import Category, Lang
from vodiy_bozor.texts import Translator, load_texts


class Ask(StatesGroup):
    category = State()
    description = State()
    done = State()


def _cancel(t: Translator, _draft: Draft) -> InlineKeyboardMarkup:
    return keyboards.cancel_only(t)


def _description(text: str, turn: Turn) -> Outcome:
    return Accept(Draft(category=turn.draft.category, description=text))


ASK = Dialog(
    (
        Step(
            Ask.category,
            "ad-ask-category",
            _cancel,
            "ad-wrong-input-buttons",
            number=1,
            edits=DraftField.CATEGORY,
            answered=lambda d: d.category is not None,
        ),
        Step(
            Ask.description,
            "ad-ask-description",
            _cancel,
            "ad-wrong-input-text",
            number=2,
            edits=DraftField.DESCRIPTION,
            answered=lambda d: bool(d.description),
            read_message=plain_text(_description),
            question_args={"limit": 10},
        ),
        Step(Ask.done, "ad-preview-intro", _cancel, "ad-wrong-input-buttons"),
    ),
    complete=lambda d: d.category is not None and bool(d.description),
)
CATEGORY, DESCRIPTION, DONE = ASK.steps


def test_a_second_dialog_finds_its_steps_by_state_and_by_field() -> None:
    assert ASK.first is CATEGORY
    assert ASK.last is DONE
    assert ASK.step_of(Ask.description.state) is DESCRIPTION
    assert ASK.step_of(None) is CATEGORY  # outside the dialog: its first step
    assert ASK.step_of("NewAd:price") is CATEGORY  # another dialog's state is not this one's
    assert ASK.editing(DraftField.DESCRIPTION) is DESCRIPTION
    assert ASK.editing(DraftField.PHONE) is None


def test_its_questions_are_numbered_out_of_its_own_steps() -> None:
    assert ASK.shown_steps == 2
    t = load_texts().bind(Lang.UZ_CYRL)
    text, markup = ASK.question(DESCRIPTION, t, Draft())
    assert "2/2" in text
    assert "{" not in text
    assert markup == keyboards.cancel_only(t)


def test_it_goes_to_the_first_unanswered_step_and_from_an_edit_to_its_end() -> None:
    assert ASK.after(CATEGORY, Draft(category=Category.PHONES)) is DESCRIPTION
    assert ASK.after(CATEGORY, Draft()) is CATEGORY  # not answered: asked again
    whole = Draft(category=Category.PHONES, description="Samsung A52")
    assert ASK.after(CATEGORY, whole) is DONE  # the rest was answered already
    assert ASK.after(DESCRIPTION, Draft(editing=True)) is DONE
    assert ASK.first_gap(Draft(category=Category.PHONES)) is DESCRIPTION
    assert not ASK.complete(Draft(category=Category.PHONES))
    assert ASK.complete(whole)

"""What each answer to a probe means, and when the looking stops (the pure part of the
channel probe; the calls are tested end to end in tests/e2e/test_channel_probe.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import EditMessageCaption, EditMessageText

from vodiy_bozor.db.probes import Probe
from vodiy_bozor.delivery.channel_probe import (
    Answer,
    Bounds,
    Verdict,
    advance,
    edit,
    found_messages,
)
from vodiy_bozor.delivery.outbox import classify

BOUNDS = Bounds(misses=3, most=6)


def refusal(description: str) -> TelegramBadRequest:
    return TelegramBadRequest(EditMessageCaption(caption="x"), description)


def probe(**fields: int) -> Probe:
    """A probe of a two-photo album, begun at message 41."""
    values = {"items": 2, "chat_id": -100123, "next_id": 41, **fields}
    return Probe(
        row_id=1,
        caption="<b>Ad</b>",
        text_post=False,
        since=datetime(2026, 12, 7, tzinfo=UTC),
        **values,
    )


@pytest.mark.parametrize(
    ("description", "answer"),
    [
        (
            "Bad Request: message is not modified: specified new message content and reply "
            "markup are exactly the same as a current content and reply markup of the message",
            Answer.FOUND,
        ),
        ("Bad Request: message to edit not found", Answer.MISSING),
        ("Bad Request: message can't be edited", Answer.OTHER),
        ("Bad Request: there is no caption in the message to edit", Answer.OTHER),
        ("Bad Request: there is no text in the message to edit", Answer.OTHER),
        # The channel refusing the bot is the table's CHANNEL_REFUSES, not an answer about an id.
        ("Bad Request: CHAT_WRITE_FORBIDDEN", Answer.UNREADABLE),
        ("Bad Request: MESSAGE_ID_INVALID", Answer.UNREADABLE),
    ],
)
def test_telegrams_refusals_tell_the_id_apart(description: str, answer: Answer) -> None:
    assert classify(refusal(description)) is answer


def test_an_edit_that_went_through_touched_a_message_of_ours() -> None:
    assert classify(None) is Answer.TOUCHED


def test_found_stops_at_that_id() -> None:
    after, verdict = advance(probe(misses=2), Answer.FOUND, BOUNDS)
    assert verdict is Verdict.FOUND
    assert (after.next_id, after.probes) == (41, 1)


def test_a_run_of_missing_ids_proves_it_absent_and_any_message_restarts_the_run() -> None:
    state = probe()
    verdicts = []
    for answer in (Answer.MISSING, Answer.MISSING, Answer.OTHER, Answer.MISSING, Answer.MISSING):
        state, verdict = advance(state, answer, BOUNDS)
        verdicts.append(verdict)
    assert verdicts == [Verdict.GO_ON] * 5
    assert (state.next_id, state.misses) == (46, 2)
    state, verdict = advance(state, Answer.MISSING, BOUNDS)
    assert verdict is Verdict.ABSENT


def test_other_peoples_posts_filling_the_ids_leave_it_undecided() -> None:
    state = probe()
    for _ in range(BOUNDS.most - 1):
        state, verdict = advance(state, Answer.OTHER, BOUNDS)
        assert verdict is Verdict.GO_ON
    state, verdict = advance(state, Answer.OTHER, BOUNDS)
    assert verdict is Verdict.UNDECIDED
    assert state.probes == BOUNDS.most


@pytest.mark.parametrize("answer", [Answer.TOUCHED, Answer.UNREADABLE])
def test_an_answer_that_says_nothing_of_the_id_leaves_it_undecided(answer: Answer) -> None:
    assert advance(probe(), answer, BOUNDS)[1] is Verdict.UNDECIDED


def test_an_answer_clears_the_failures() -> None:
    after, _ = advance(probe(failures=4), Answer.MISSING, BOUNDS)
    assert after.failures == 0


def test_the_probe_is_the_caption_as_sent_without_markup() -> None:
    call = edit(probe())
    assert isinstance(call, EditMessageCaption)
    assert (call.chat_id, call.message_id, call.caption) == (-100123, 41, "<b>Ad</b>")
    assert call.reply_markup is None
    text = edit(Probe(1, "Hello", 1, True, datetime(2026, 12, 7, tzinfo=UTC), -100123, 7))
    assert isinstance(text, EditMessageText)
    assert text.text == "Hello"


def test_an_album_found_is_its_consecutive_ids() -> None:
    album = found_messages(probe())
    assert isinstance(album, list)
    assert [(m.message_id, m.chat.id) for m in album] == [(41, -100123), (42, -100123)]
    single = found_messages(probe(items=1))
    assert not isinstance(single, list)
    assert single.message_id == 41

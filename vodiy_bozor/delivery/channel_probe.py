"""Finding out whether a channel post whose outcome is unknown is in the channel.

A bot may edit only its own messages, and Telegram refuses an edit in three telling ways
(https://core.telegram.org/bots/api#updating-messages):

- "message is not modified": the message is there and already has exactly this caption and
  markup, so it is the bot's post of this very ad (the caption carries the ad's id);
- "message to edit not found": no message has this id (not yet used, or deleted);
- "message can't be edited": someone else's message (another admin posted it).

A channel's message ids grow one by one, shared by every post. So after a post whose answer
was lost, the bot edits the ids after the last one it knows, one at a time and each within the
channel's pace, with exactly the caption it sent: the first "not modified" is the post (an
album: that id and the next ones, the caption being on the first); a run of "not found" after
the last message seen, or reaching a newer post of the bot's own, proves it absent. Anything
else (other people's posts filling the ids, refusals it cannot read, too many failures) leaves
the doubt to the admins. This module is the pure part: what comes after each answer;
`OutboxWorker` makes the calls and keeps the state in `outbox_probes`, and reads Telegram's
refusal into an `Answer` with the outbox's one table from error to outcome
(`outbox.classify`, through `ERROR_TABLE`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from aiogram.methods import EditMessageCaption, EditMessageText, TelegramMethod
from aiogram.types import Chat, Message

from vodiy_bozor.db.probes import Probe


@dataclass(frozen=True, slots=True)
class PostContent:
    """What a channel post's call carried, to look for it: the caption (HTML, as sent; the
    posts carry no buttons, albums cannot), how many messages it makes, and whether it is a
    text message rather than photos."""

    caption: str
    items: int
    text_post: bool = False


class Answer(enum.Enum):
    FOUND = "found"  # "message is not modified": the post is there
    MISSING = "missing"  # "message to edit not found"
    OTHER = "other"  # someone else's message, or one without a caption
    TOUCHED = "touched"  # the edit went through: a message of the bot's it did not know of
    UNREADABLE = "unreadable"  # a refusal that says nothing about the id


class Verdict(enum.Enum):
    FOUND = "found"
    ABSENT = "absent"
    UNDECIDED = "undecided"
    GO_ON = "go_on"


@dataclass(frozen=True, slots=True)
class Bounds:
    misses: int  # "not found" in a row after the last message seen that prove it absent
    most: int  # ids looked at before the admins are asked


def advance(probe: Probe, answer: Answer, bounds: Bounds) -> tuple[Probe, Verdict]:
    """The probe after the answer for `probe.next_id`, and what it decided."""
    assert probe.next_id is not None
    looked = replace(probe, probes=probe.probes + 1, failures=0)
    if answer is Answer.FOUND:
        return looked, Verdict.FOUND
    if answer in (Answer.TOUCHED, Answer.UNREADABLE):
        return looked, Verdict.UNDECIDED
    misses = looked.misses + 1 if answer is Answer.MISSING else 0
    looked = replace(looked, next_id=probe.next_id + 1, misses=misses)
    if misses >= bounds.misses:
        return looked, Verdict.ABSENT
    if looked.probes >= bounds.most:
        return looked, Verdict.UNDECIDED
    return looked, Verdict.GO_ON


def edit(probe: Probe) -> TelegramMethod[Any]:
    """The probe's call for `probe.next_id`: the same caption (or text), no markup."""
    assert probe.chat_id is not None
    assert probe.next_id is not None
    if probe.text_post:
        return EditMessageText(chat_id=probe.chat_id, message_id=probe.next_id, text=probe.caption)
    return EditMessageCaption(
        chat_id=probe.chat_id, message_id=probe.next_id, caption=probe.caption
    )


def found_messages(probe: Probe) -> Message | list[Message]:
    """The post that was found, as the send's answer would have given it (the ids and the
    chat, which is all its bookkeeping reads): a message, or an album's consecutive ones."""
    assert probe.chat_id is not None
    assert probe.next_id is not None
    chat = Chat(id=probe.chat_id, type="channel")
    now = datetime.now(UTC)
    messages = [
        Message(message_id=probe.next_id + i, date=now, chat=chat) for i in range(probe.items)
    ]
    return messages[0] if len(messages) == 1 else messages

"""A seller posting an ad sent whole (the quick post), shared by the handler and end-to-end
tests: what the bot must ask is computed from `read_ad` itself, so the same tests hold
whatever the reader reads (the fields it leaves empty are asked, nothing else)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tests.fake_telegram import BotMessage, Person
from vodiy_bozor.assistant.reader import read_ad
from vodiy_bozor.captions import DESCRIPTION_LIMIT, utf16_len
from vodiy_bozor.models import Lang
from vodiy_bozor.texts import load_texts

TEXTS = load_texts()
STEP = re.compile(r"\b([1-7])/7\b")

# What the seller answers to each question the bot still asks.
DESCRIPTION_ANSWER = "Яхши ҳолатда, ҳеч қандай муаммоси йўқ"
PRICE_ANSWER = "2,5 млн"
PHONE_ANSWER = "90 123 45 67"


def language_code(lang: Lang) -> str:
    return {Lang.UZ_CYRL: "uz", Lang.UZ_LATN: "uz-Latn", Lang.RU: "ru"}[lang]


def expected_questions(text: str) -> list[int]:
    """The dialog's step numbers the bot must ask after reading `text` (photos are sent)."""
    reading = read_ad(text)
    description = reading.description.strip()
    asked = []
    if reading.category is None:
        asked.append(1)
    if not description or utf16_len(description) > DESCRIPTION_LIMIT:
        asked.append(3)
    if reading.price is None:
        asked.append(4)
    if reading.region is None:
        asked.append(5)
    if reading.phone is None:
        asked.append(6)
    return asked


def step_of(message: BotMessage) -> int | None:
    found = STEP.search(message.content)
    return int(found.group(1)) if found else None


def is_question(message: BotMessage) -> bool:
    return step_of(message) is not None


@dataclass
class Walk:
    """What happened between the ad sent whole and its preview."""

    asked: list[int] = field(default_factory=list)  # step numbers, in order
    questions: list[BotMessage] = field(default_factory=list)
    preview: BotMessage | None = None


async def answer(person: Person, lang: Lang, step: int) -> None:
    """The seller's answer to step `step`'s question (and to the district's after a region)."""
    t = TEXTS.bind(lang)
    if step == 1:
        await person.press(t("category-phones"))
    elif step == 3:
        await person.send(DESCRIPTION_ANSWER)
    elif step == 4:
        await person.send(PRICE_ANSWER)
    elif step == 5:
        await person.press(t("region-fergana"))
        await person.wait_message(contains=t("ad-skip-district-button").removeprefix("⏭ "))
        await person.press(t("ad-skip-district-button"))
    elif step == 6:
        await person.send(PHONE_ANSWER)
    else:
        msg = f"step {step} is not a question the quick post asks"
        raise AssertionError(msg)


async def walk_to_preview(person: Person, lang: Lang, *, first: BotMessage | None = None) -> Walk:
    """Answer every question the bot asks until the preview (7/7); `first` is the first
    question when the caller waited for it already."""
    walk = Walk()
    question = first or await person.wait_message(predicate=is_question, timeout=10)
    for _ in range(8):
        step = step_of(question)
        assert step is not None
        if step == 7:
            walk.preview = question
            return walk
        walk.asked.append(step)
        walk.questions.append(question)
        await answer(person, lang, step)
        question = await person.wait_message(predicate=is_question, timeout=10)
    msg = f"no preview after {walk.asked}"
    raise AssertionError(msg)

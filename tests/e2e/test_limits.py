"""Telegram's real limits and real people: the fake Bot API enforces the rate limits (a burst
of three, then one message a second per private chat, 30 a second overall; edits count too)
and answers every call after 50 ms, as Telegram does over a network."""

from __future__ import annotations

import asyncio
import statistics
from typing import Any

import asyncpg
import pytest

from tests.conftest import RunningBot
from tests.fake_telegram import FakeTelegram, Person
from tests.support.seller_steps import DESCRIPTION, draft, reach_photos
from vodiy_bozor.telegram.pacing import HandlerPace


@pytest.fixture
def bot_pace() -> HandlerPace:
    return HandlerPace()  # the bot at Telegram's real pace: these tests are about it


def real_telegram(fake: FakeTelegram) -> None:
    fake.enforce_limits = True
    fake.latency = 0.05


async def test_a_dozen_albums_at_once_are_each_answered_once_and_no_dialog_stalls(
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    real_telegram(fake)
    sellers = [fake.user(600 + i, f"Seller{i}") for i in range(12)]
    await asyncio.gather(*(reach_photos(seller) for seller in sellers))
    await asyncio.gather(*(seller.send_album(10) for seller in sellers))

    async def finish(seller: Person) -> None:
        await seller.wait_message(contains="10 та расм", timeout=20)
        await seller.press("✅ Тайёр")
        await seller.wait_message(contains="3/7", timeout=10)
        await seller.send(DESCRIPTION)
        await seller.wait_message(contains="4/7", timeout=10)
        await seller.send("500$")
        await seller.wait_message(contains="5/7", timeout=10)
        await seller.press("Фарғона")
        await seller.wait_message(contains="Туман", timeout=10)
        await seller.press("⏭ Ўтказиб юбориш")
        await seller.wait_message(contains="6/7", timeout=10)
        await seller.send("90 123 45 67")
        await seller.wait_message(contains="7/7", timeout=15)  # after the preview album

    await asyncio.gather(*(finish(seller) for seller in sellers))
    for seller in sellers:
        counters = [m for m in seller.messages if "қабул қилинди" in m.content]
        assert len(counters) == 1  # one answer for the album, not one per photo
        assert len((await draft(db, seller.id))["photos"]) == 10
        previews = [
            c
            for c in fake.calls
            if c.method == "sendMediaGroup" and c.ok and c.params["chat_id"] == seller.id
        ]
        assert len(previews) == 1
    # The bot kept within the limits before Telegram had to say so.
    assert [c for c in fake.calls if c.status == 429] == []


async def test_a_429_on_a_dialog_answer_is_waited_out_and_the_answer_arrives(
    running_bot: RunningBot, fake: FakeTelegram
) -> None:
    seller = fake.user(640, "Nodira")
    await reach_photos(seller)
    fake.flood(retry_after=1, times=2, chat_id=seller.id)
    await seller.send_photo()
    await seller.wait_message(contains="1 та расм", timeout=10)
    refused = [c for c in fake.calls if c.status == 429 and c.params.get("chat_id") == seller.id]
    assert len(refused) == 2
    await seller.press("✅ Тайёр")
    await seller.wait_message(contains="3/7", timeout=10)


async def test_one_flooder_does_not_delay_anyone_else(
    running_bot: RunningBot, fake: FakeTelegram
) -> None:
    real_telegram(fake)
    flooder = fake.user(650, "Flood")
    await flooder.send("/start")
    await flooder.wait_message(contains="Flood")
    first_answer = flooder.last_message
    for i in range(300):
        await flooder.send(f"spam {i}")
    for _ in range(100):
        await flooder.press_callback("lang1:ru", message_id=first_answer.message_id)
    others = [fake.user(660 + i, f"Person{i}") for i in range(20)]
    for person in others:
        await person.send("/start")
    for person in others:
        await person.wait_message(contains=person.user["first_name"], timeout=10)

    latencies = sorted(fake.reply_latencies(chats=[p.id for p in others]))
    assert len(latencies) == len(others)
    p99 = latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))]
    assert p99 < 1.5, latencies
    assert max(latencies) < 5.0, latencies
    assert statistics.median(latencies) < 1.0, latencies
    # The flood was cut short, and said so once.
    await fake.wait_until(
        lambda: any("Слишком" in m.content or "жуда кўп" in m.content for m in flooder.messages),
        timeout=30,
    )
    warnings = [m for m in flooder.messages if "жуда кўп" in m.content or "Слишком" in m.content]
    assert len(warnings) == 1
    answered = [c for c in fake.calls if c.method == "sendMessage" and c.params["chat_id"] == 650]
    assert len(answered) < 50  # not 300 answers trickling out at one a second


async def test_a_failed_answer_to_a_press_does_not_stop_what_the_press_asked_for(
    running_bot: RunningBot, fake: FakeTelegram
) -> None:
    seller = fake.user(641, "Baxtiyor")
    await seller.send("/new")
    await seller.wait_message(contains="1/7")
    # Telegram answers the spinner's call with a 502, twice.
    fake.fail_with(502, "Bad Gateway", methods=["answerCallbackQuery"], times=2)
    await seller.press("📱 Телефонлар")
    await seller.wait_message(contains="2/7", timeout=10)  # the next question came all the same
    answers = [c for c in fake.calls if c.method == "answerCallbackQuery"]
    assert [c.status for c in answers] == [502, 502, 200]  # and the press was answered in time

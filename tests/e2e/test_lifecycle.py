"""Keeping unsold goods in front of buyers, end to end, with intervals of seconds."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.conftest import ADMIN_A, RunningBot, bot_env
from tests.e2e.seeding import publish, submit
from tests.fake_telegram import Call, FakeTelegram, Person
from tests.support.polling import wait_for
from vodiy_bozor.config import Settings
from vodiy_bozor.text.duration import parse_duration

REPOST_MARK = "Ҳали сотилмади"


def make_bot(fake: FakeTelegram, db_url: str, tmp_path: Path, **intervals: str) -> RunningBot:
    # Intervals of seconds, below what the settings accept for a real channel (its pace is
    # 20 messages a minute; these tests run with FAST_LIMITS): set after validation.
    repost = parse_duration(intervals.pop("REPOST_INTERVAL", "30m"))
    settings = Settings.from_env(bot_env(fake, db_url, tmp_path, **intervals))
    return RunningBot(replace(settings, repost_interval=repost))


@pytest.fixture
async def fast_bot(fake: FakeTelegram, db_url: str, tmp_path: Path) -> AsyncIterator[RunningBot]:
    bot = make_bot(fake, db_url, tmp_path, REPOST_INTERVAL="2s", SOLD_CHECK_INTERVAL="3s")
    await bot.start()
    yield bot
    await bot.stop()


def channel_sends(fake: FakeTelegram) -> list[Call]:
    """Every post the bot sent to the channel, in order (sends are never edited)."""
    return [
        c
        for c in fake.calls
        if c.ok
        and c.method in ("sendPhoto", "sendMediaGroup")
        and fake.same_chat(c.params.get("chat_id"), fake.channel.id)
    ]


def caption_of(call: Call) -> str:
    if call.method == "sendPhoto":
        return str(call.params.get("caption", ""))
    return str(call.params["media"][0].get("caption", ""))


def reposts(fake: FakeTelegram) -> list[str]:
    return [caption_of(c) for c in channel_sends(fake) if REPOST_MARK in caption_of(c)]


def which(caption: str, names: list[str]) -> str:
    found = [n for n in names if n in caption]
    assert len(found) == 1, caption
    return found[0]


async def keep_selling(seller: Person) -> None:
    """Answer every "sold?" question of this seller with "still selling", until cancelled."""
    answered: set[int] = set()
    while True:
        question = await seller.wait_message(
            predicate=lambda m: "сотилдими" in m.content and m.message_id not in answered,
            since=0,
            timeout=60,
        )
        answered.add(question.message_id)
        await seller.press("🔁 Ҳали сотувда", message=question)


async def test_reposts_rotate_and_a_sold_ad_stops_and_is_marked_everywhere(
    fast_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    names = ["Ad-Alpha", "Ad-Beta", "Ad-Gamma"]
    ids = {}
    for i, name in enumerate(names):
        ids[name], _ = await publish(fast_bot, fake, 800 + i, f"{name}: кир ювиш машинаси")
    # Beta's and Gamma's sellers answer every question "still selling", as sellers do; without
    # answers, ads expire after three questions (nine seconds here).
    answering = [
        asyncio.create_task(keep_selling(fake.user(801))),
        asyncio.create_task(keep_selling(fake.user(802))),
    ]

    # Reposts arrive, never the same ad twice in a row, until Alpha has been reposted.
    await fake.wait_until(lambda: any("Ad-Alpha" in r for r in reposts(fake)), timeout=30)
    seller = fake.user(800)
    question = await seller.wait_message(contains="сотилдими", timeout=10)
    assert question.buttons == [["✅ Сотилди"], ["🔁 Ҳали сотувда"], ["🗑 Олиб ташлаш"]]
    await seller.press("✅ Сотилди", message=question)
    await question.wait_content("Сотилди деб белгиланди", timeout=5)
    assert question.buttons == []
    reposts_when_sold = len(reposts(fake))
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ids["Ad-Alpha"]) == "sold"

    # Every channel message of Alpha, the first post and each repost, now says it is sold.
    alpha_posts = [m for m in fake.channel.messages if "Ad-Alpha" in (m.caption or "")]
    assert len(alpha_posts) >= 2
    for message in alpha_posts:
        await message.wait_content("СОТИЛДИ", timeout=10)

    # Later reposts rotate between the others only.
    await fake.wait_until(lambda: len(reposts(fake)) >= reposts_when_sold + 3, timeout=30)
    sequence = [which(r, names) for r in reposts(fake)]
    assert all(a != b for a, b in itertools.pairwise(sequence)), sequence
    assert "Ad-Alpha" not in sequence[reposts_when_sold:], sequence

    async def every_repost_stored() -> bool:
        # Every repost's message id is kept with its ad (recorded right after Telegram answers).
        stored = await db.fetchval("SELECT count(*) FROM ad_posts WHERE is_repost AND position = 0")
        return bool(stored == len(reposts(fake)))

    await wait_for(every_repost_stored, within=5)
    for task in answering:
        task.cancel()
    assert (
        await db.fetchval(
            "SELECT count(*) FROM ads WHERE status = 'published' AND id = ANY($1)",
            [ids["Ad-Beta"], ids["Ad-Gamma"]],
        )
        == 2
    )


async def test_no_answer_three_times_expires_and_renew_brings_it_back(
    fake: FakeTelegram, db_url: str, tmp_path: Path, db: asyncpg.Connection[Any]
) -> None:
    bot = make_bot(fake, db_url, tmp_path, REPOST_INTERVAL="2s", SOLD_CHECK_INTERVAL="1s")
    await bot.start()
    try:
        ad_id, _ = await publish(bot, fake, 810, "Ad-Delta: велосипед")
        seller = fake.user(810)

        async def expired() -> bool:
            return bool(
                await db.fetchval("SELECT status = 'expired' FROM ads WHERE id = $1", ad_id)
            )

        await wait_for(expired, within=15)
        questions = [m for m in seller.messages if "сотилдими" in m.content]
        assert len(questions) == 3
        notice = await seller.wait_message(contains="жавоб бўлмади", timeout=5)
        assert "/my" in notice.content

        # No more reposts of an expired ad: let the repost job run three more times.
        sends_at_expiry = len(channel_sends(fake))
        first_run = await db.fetchval("SELECT last_run_at FROM jobs WHERE name = 'repost'")

        async def three_more_runs() -> bool:
            runs = await db.fetchval(
                "SELECT last_run_at > $1::timestamptz + interval '5 seconds' "
                "FROM jobs WHERE name = 'repost'",
                first_run,
            )
            return bool(runs)

        await wait_for(three_more_runs, within=15)
        assert len(channel_sends(fake)) == sends_at_expiry
        assert sum("жавоб бўлмади" in m.content for m in seller.messages) == 1  # told once

        # Renew from "My ads": it is published again and reposted again.
        await seller.send("/my")
        listing = await seller.wait_message(contains="Эълонларингиз")
        assert "муддати ўтган" in listing.content
        await seller.press(f"🔁 Янгилаш #{ad_id}", message=listing)
        await listing.wait_content("каналда", timeout=5)
        await fake.wait_until(lambda: len(channel_sends(fake)) > sends_at_expiry, timeout=15)
        assert "Ad-Delta" in caption_of(channel_sends(fake)[-1])
    finally:
        await bot.stop()


async def test_a_blocked_seller_is_not_asked_and_the_ad_expires(
    fake: FakeTelegram, db_url: str, tmp_path: Path, db: asyncpg.Connection[Any]
) -> None:
    bot = make_bot(fake, db_url, tmp_path, REPOST_INTERVAL="1h", SOLD_CHECK_INTERVAL="1s")
    await bot.start()
    try:
        ad_id, _ = await publish(bot, fake, 820, "Ad-Foxtrot: диван")
        fake.block(820)

        async def expired() -> bool:
            return bool(
                await db.fetchval("SELECT status = 'expired' FROM ads WHERE id = $1", ad_id)
            )

        await wait_for(expired, within=10)
        sent_to_seller = [c for c in fake.calls if c.params.get("chat_id") == 820]
        assert not [c for c in sent_to_seller if c.method == "sendPhoto"]
    finally:
        await bot.stop()


async def test_a_seller_with_many_due_ads_gets_the_questions_spaced_out(
    fake: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    bot = make_bot(fake, db_url, tmp_path, REPOST_INTERVAL="1h", SOLD_CHECK_INTERVAL="2s")
    await bot.start()
    try:
        for name in ("Ad-G1", "Ad-G2", "Ad-G3"):
            await publish(bot, fake, 830, f"{name}: стул")
        await fake.wait_until(
            lambda: (
                len(
                    [
                        c
                        for c in fake.calls
                        if c.ok and c.method == "sendPhoto" and c.params.get("chat_id") == 830
                    ]
                )
                >= 3
            ),
            timeout=15,
        )
        # The spacing is read from the schedule: each question's slot was reserved a second
        # after the last, and none went out before its slot. (When they reached the fake
        # also shifts by however late the worker woke for each, which on a busy machine
        # brought two closer than 0.9 s although neither left early.)
        conn = await asyncpg.connect(db_url)

        async def first_three_sent() -> list[asyncpg.Record]:
            rows = await conn.fetch(
                """
                SELECT not_before, done_at, status FROM outbox
                 WHERE kind = 'sold_question' AND chat = '830'
                 ORDER BY not_before LIMIT 3
                """
            )
            return rows if [r["status"] for r in rows] == ["sent"] * 3 else []

        try:
            rows = await wait_for(first_three_sent, what="three questions recorded as sent")
        finally:
            await conn.close()
        assert all(r["done_at"] >= r["not_before"] for r in rows)
        slots = [r["not_before"].timestamp() for r in rows]
        gaps = [b - a for a, b in itertools.pairwise(slots)]
        assert all(gap >= 0.9 for gap in gaps), gaps  # a second apart at least, not at once
    finally:
        await bot.stop()


async def test_my_ads_lists_and_removes_with_confirmation(
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    published_id, post = await publish(running_bot, fake, 840, "Ad-Hotel: музлаткич")
    pending_id = await submit(running_bot, fake, 840, "Ad-India: телевизор")
    admin = fake.user(ADMIN_A)
    await admin.wait_message(contains=f"#{pending_id}", timeout=5)
    seller = fake.user(840)
    await seller.send("/my")
    listing = await seller.wait_message(contains="Эълонларингиз")
    assert "жами 2 та" in listing.content
    assert f"https://t.me/vodiy_test/{post.message_id}" in listing.content
    assert "2\u202f000\u202f000 сўм" in listing.content
    assert "текширувда" in listing.content
    assert "каналда" in listing.content

    # Remove asks once more before it acts.
    await seller.press(f"🗑 #{published_id}", message=listing)
    await fake.wait_until(lambda: "❗" in str(listing.buttons), timeout=5)
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", published_id) == "published"
    await seller.press(f"❗ Ҳа, #{published_id} олиб ташлансин", message=listing)
    await listing.wait_content("олиб ташланган", timeout=5)
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", published_id) == "removed"
    await post.wait_content("Сотувда эмас", timeout=5)

    # Withdrawing a pending ad tells the admins' cards too.
    await seller.press(f"🗑 #{pending_id}", message=listing)
    await fake.wait_until(lambda: "❗" in str(listing.buttons), timeout=5)
    await seller.press(f"❗ Ҳа, #{pending_id} олиб ташлансин", message=listing)
    card = next(m for m in admin.messages if f"#{pending_id}" in m.content)
    await card.wait_content("олиб ташланган", timeout=5)
    assert card.buttons == []


async def test_nobody_can_answer_for_someone_elses_ad(
    running_bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any]
) -> None:
    ad_id, post = await publish(running_bot, fake, 850, "Ad-Juliet: гилам")
    intruder = fake.user(851, "Mallory")
    for data in (f"sold1:sold:{ad_id}", f"sold1:remove:{ad_id}", f"my1:remove_yes:{ad_id}:0"):
        await intruder.press_callback(data)
        answer = await intruder.wait_callback_answer()
        assert "эскирган" in answer["text"]
    await fake.wait_idle(timeout=3)
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "published"
    assert "СОТИЛДИ" not in (post.caption or "")


async def test_two_bot_processes_repost_each_interval_once(
    fake: FakeTelegram, db_url: str, tmp_path: Path, db: asyncpg.Connection[Any]
) -> None:
    first = make_bot(fake, db_url, tmp_path / "a", REPOST_INTERVAL="1s", SOLD_CHECK_INTERVAL="1h")
    await first.start()
    for i in range(4):
        await publish(first, fake, 860 + i, f"Ad-Two{i}: стол")
    second = make_bot(fake, db_url, tmp_path / "b", REPOST_INTERVAL="1s", SOLD_CHECK_INTERVAL="1h")
    await second.start()
    try:
        await fake.wait_until(lambda: len(reposts(fake)) >= 8, timeout=30)
    finally:
        await second.stop()
        await first.stop()
    # Each repost is decided in the transaction that claims the interval and enqueues it
    # (the row's created_at); those moments are what the two processes share. When a post
    # is recorded as out also shifts with how fast each send went, which on a busy machine
    # brought two recordings 0.3 s apart although their claims were a second apart.
    claims = [
        r["created_at"]
        for r in await db.fetch(
            "SELECT created_at FROM outbox WHERE kind = 'channel_repost' AND status = 'sent'"
            " ORDER BY created_at"
        )
    ]
    posts = await db.fetchval("SELECT count(*) FROM ad_posts WHERE is_repost AND position = 0")
    assert posts == len(claims) >= 8  # every claimed repost went out, once
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(claims)]
    assert min(gaps) > 0.5, gaps  # two processes, yet one repost per one-second interval

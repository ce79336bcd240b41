"""A channel post whose outcome is unknown is looked for in the channel, not handed to people:
found, it is recorded and announced once; proven absent, it is posted once; only when the
probe cannot tell are the admins asked (issue 17, item 10)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.conftest import ADMIN_A, ADMIN_B, FAST_LIMITS, RunningBot, bot_env
from tests.e2e.seeding import publish, submit
from tests.fake_telegram import Call, FakeTelegram, Person
from tests.support.polling import wait_for
from vodiy_bozor.config import Settings
from vodiy_bozor.db import channel as db_channel
from vodiy_bozor.delivery.outbox import OutboxTiming
from vodiy_bozor.services.listings import OwnerAction

UNKNOWN = "чиққан-чиқмагани номаълум"  # the admins' notice: a post whose outcome is unknown
REPOST_UNKNOWN = "қайта чиқарилаётганда алоқа узилди"  # ... a repost's
SOLD = "СОТИЛДИ"  # the mark "sold" edits put on every channel message of the ad
REPOST = "Ҳали сотилмади"  # a repost's mark
PROBES = ("editMessageCaption", "editMessageText")

# Probes begin half a second after the call in doubt (30 s in production).
PROBE_LIMITS = replace(FAST_LIMITS, probe_delay=0.5, refusal_retry=0.5)


def running(
    fake: FakeTelegram, db_url: str, tmp_path: Path, limits: OutboxTiming, **env: str
) -> RunningBot:
    # Telegram's limits are on: every probe counts against the channel's 20 a minute.
    fake.enforce_limits = True
    return RunningBot(Settings.from_env(bot_env(fake, db_url, tmp_path, **env)), limits=limits)


@pytest.fixture
async def bot(fake: FakeTelegram, db_url: str, tmp_path: Path) -> AsyncIterator[RunningBot]:
    running_bot = running(fake, db_url, tmp_path, PROBE_LIMITS)
    await running_bot.start()
    await fake.wait_call("getUpdates", timeout=10)
    yield running_bot
    await running_bot.stop()


@pytest.fixture
def admins(fake: FakeTelegram) -> tuple[Person, Person]:
    return fake.user(ADMIN_A, "Aziz"), fake.user(ADMIN_B, "Botir")


def channel_posts(fake: FakeTelegram, text: str) -> list[Call]:
    """The bot's posts to the channel (performed, whether answered or not) whose caption has
    `text`."""
    return [
        c
        for c in fake.calls
        if c.ok
        and c.method in ("sendPhoto", "sendMediaGroup")
        and fake.same_chat(c.params.get("chat_id"), fake.channel.id)
        and text in str(c.params.get("caption") or c.params.get("media", [{}])[0].get("caption"))
    ]


def said(person: Person, text: str) -> list[str]:
    return [m.content for m in person.messages if text in m.content]


def probes(fake: FakeTelegram) -> list[Call]:
    """The edits the bot made in the channel: its probes (and "sold" edits, once sold)."""
    return [
        c
        for c in fake.calls
        if c.method in PROBES and fake.same_chat(c.params.get("chat_id"), fake.channel.id)
    ]


def looking(fake: FakeTelegram) -> list[Call]:
    """Every call the bot made to look for a post: the edits, and getChat for the channel's
    numeric id (it is configured as @vodiy_test)."""
    return [
        c
        for c in fake.calls
        if c.method in (*PROBES, "getChat")
        and fake.same_chat(c.params.get("chat_id"), fake.channel.id)
    ]


async def approve(bot: RunningBot, ad_id: int) -> None:
    app = bot.app
    assert app is not None
    assert (await app.listings.approve(ad_id, ADMIN_A)).applied


async def recorded(db: asyncpg.Connection[Any], ad_id: int) -> list[tuple[int, bool]]:
    rows = await db.fetch(
        "SELECT message_id, is_repost FROM ad_posts WHERE ad_id = $1 ORDER BY message_id", ad_id
    )
    return [(r["message_id"], r["is_repost"]) for r in rows]


async def sold(bot: RunningBot, ad_id: int, owner_id: int) -> None:
    app = bot.app
    assert app is not None
    assert (await app.listings.owner_acts(ad_id, owner_id, OwnerAction.SOLD)).applied


async def repost_now(fake: FakeTelegram, db: asyncpg.Connection[Any], ad_id: int) -> None:
    """Make the ad's repost due (its interval passed, the ad was shown long ago; the schedule
    looks every 5 s) and wait until the bot tries it."""
    await db.execute("UPDATE ads SET last_shown_at = now() - interval '1 day' WHERE id = $1", ad_id)
    await db.execute("UPDATE jobs SET next_run_at = now() WHERE name = 'repost'")
    await fake.wait_until(
        lambda: any(
            c.method == "sendPhoto"
            and fake.same_chat(c.params.get("chat_id"), fake.channel.id)
            and REPOST in str(c.params.get("caption"))
            for c in fake.calls
        ),
        timeout=15,
    )


async def test_after_an_outage_and_a_restart_the_post_in_doubt_is_found_and_announced_once(
    bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any], admins: tuple[Person, Person]
) -> None:
    # The scenario: Telegram performs the album, then the connection drops before the
    # answer; for 3 s every connection drops, then Telegram answers 500, then 429, and the
    # bot is restarted in between.
    fake.lose_answers(["sendMediaGroup"], chat_id=fake.channel.id)
    ad_id = await submit(bot, fake, 851, "Газ плита Indesit", photos=2)
    await approve(bot, ad_id)
    await fake.wait_until(lambda: any(c.answer_lost for c in fake.calls), timeout=10)
    start = time.monotonic()
    fake.drop_connections(until=start + 3)
    fake.fail_with(500, until=start + 10)
    fake.flood(retry_after=1, methods=PROBES, times=1, chat_id=fake.channel.id)
    await fake.wait_until(
        lambda: (
            any(c.connection_dropped for c in looking(fake))
            and any(c.status == 500 for c in looking(fake))
        ),
        timeout=10,
    )
    await bot.restart()
    assert time.monotonic() < start + 10, "the restart should fall inside the outage"

    owner = fake.user(851)
    notice = await owner.wait_message(contains=f"#{ad_id}", timeout=30)
    await fake.wait_idle(timeout=5)
    first = fake.channel.messages[0]
    assert f"https://t.me/vodiy_test/{first.message_id}" in notice.content
    # In the channel exactly once (one album of two), and found by a probe after the 429.
    assert len(channel_posts(fake, "Indesit")) == 1
    assert len(fake.channel.messages) == 2
    assert any(c.status == 429 for c in probes(fake))
    found = [c for c in probes(fake) if c.description and "not modified" in c.description]
    assert [c.params["message_id"] for c in found] == [first.message_id]
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "published"
    assert await recorded(db, ad_id) == [(first.message_id, False), (first.message_id + 1, False)]
    assert len(said(owner, f"#{ad_id}")) == 1
    assert [said(admin, UNKNOWN) for admin in admins] == [[], []]
    assert await db.fetchval("SELECT count(*) FROM outbox_probes") == 0
    assert await db_channel.approved_without_post(db) == []

    # Its ids are recorded: "sold" reaches it.
    await sold(bot, ad_id, 851)
    await first.wait_content(SOLD, timeout=10)


async def test_a_post_that_never_reached_telegram_is_proven_absent_and_posted_once(
    bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any], admins: tuple[Person, Person]
) -> None:
    known, known_post = await publish(bot, fake, 861, "Музлатгич Artel")
    # Another admin posts; then the network drops the bot's next post before Telegram sees
    # it: the bot cannot tell that from an answer lost after the post.
    other = fake.channel.post_as_someone_else("Канал янгиликлари")
    fake.drop_connections(times=1, methods=["sendMediaGroup"], chat_id=fake.channel.id)
    ad_id = await submit(bot, fake, 862, "Кир ювиш машинаси LG", photos=2)
    await approve(bot, ad_id)

    owner = fake.user(862)
    notice = await owner.wait_message(contains=f"#{ad_id}", timeout=20)
    await fake.wait_idle(timeout=5)
    [post] = [m for m in fake.channel.messages if "LG" in (m.caption or "")]
    assert f"https://t.me/vodiy_test/{post.message_id}" in notice.content
    assert any(c.connection_dropped and c.method == "sendMediaGroup" for c in fake.calls)
    assert len(channel_posts(fake, "LG")) == 1
    # The ids after the last known one were looked at: the other admin's post, then missing
    # ones up to the bound, each once, before the post went out.
    looked = [c.params["message_id"] for c in probes(fake) if c.status == 400]
    assert looked == list(range(known_post.message_id + 1, other + 1 + PROBE_LIMITS.probe_misses))
    assert post.message_id == other + 1
    assert await recorded(db, ad_id) == [(post.message_id, False), (post.message_id + 1, False)]
    assert len(said(owner, f"#{ad_id}")) == 1
    assert [said(admin, UNKNOWN) for admin in admins] == [[], []]
    assert await recorded(db, known) == [(known_post.message_id, False)]
    assert fake.chat_state(fake.channel.id).messages[other]["text"] == "Канал янгиликлари"


async def test_a_repost_whose_answer_is_lost_is_found_and_reached_by_sold(
    bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any], admins: tuple[Person, Person]
) -> None:
    ad_id, first = await publish(bot, fake, 871, "Тикув машинаси Janome")
    await fake.user(871).wait_message(contains=f"#{ad_id}", timeout=10)  # published: committed
    # The repost's answer is lost.
    fake.lose_answers(["sendPhoto"], chat_id=fake.channel.id)
    await repost_now(fake, db, ad_id)

    await fake.wait_until(
        lambda: any(c.description and "not modified" in c.description for c in probes(fake)),
        timeout=10,
    )
    [repost] = [m for m in fake.channel.messages if REPOST in (m.caption or "")]
    assert any(c.answer_lost for c in channel_posts(fake, REPOST))
    assert len(channel_posts(fake, REPOST)) == 1

    async def both_recorded() -> bool:
        return await recorded(db, ad_id) == [(first.message_id, False), (repost.message_id, True)]

    await wait_for(both_recorded, within=10, what="the repost's id recorded")
    await sold(bot, ad_id, 871)
    await first.wait_content(SOLD, timeout=10)
    await repost.wait_content(SOLD, timeout=10)
    await fake.wait_idle(timeout=5)
    assert [said(admin, REPOST_UNKNOWN) for admin in admins] == [[], []]
    assert len(channel_posts(fake, "Janome")) == 2  # the post and the one repost


@pytest.fixture
async def impatient_bot(
    fake: FakeTelegram, db_url: str, tmp_path: Path
) -> AsyncIterator[RunningBot]:
    """Gives up after 6 ids looked at, or 3 failed probes in a row."""
    async with started(running(fake, db_url, tmp_path, IMPATIENT), fake) as running_bot:
        yield running_bot


# Gives up after 6 ids looked at, or 3 failed probes in a row.
IMPATIENT = replace(PROBE_LIMITS, probe_most=6, probe_failures=3)


@contextlib.asynccontextmanager
async def started(running_bot: RunningBot, fake: FakeTelegram) -> AsyncIterator[RunningBot]:
    await running_bot.start()
    await fake.wait_call("getUpdates", timeout=10)
    try:
        yield running_bot
    finally:
        await running_bot.stop()


async def test_when_other_posts_fill_the_ids_the_admins_are_asked_and_can_publish_again(
    impatient_bot: RunningBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Person, Person],
) -> None:
    bot = impatient_bot
    _, known_post = await publish(bot, fake, 881, "Чанг ютгич Samsung")
    # Another admin is busy: eight posts of theirs, then the bot's post, whose answer is lost.
    others = [fake.channel.post_as_someone_else(f"Хабар {i}") for i in range(8)]
    fake.lose_answers(["sendPhoto"], chat_id=fake.channel.id)
    ad_id = await submit(bot, fake, 882, "Газ плита Artel")
    await approve(bot, ad_id)

    for admin in admins:
        notice = await admin.wait_message(contains=UNKNOWN, timeout=15)
        assert f"#{ad_id}" in notice.content
    await fake.wait_idle(timeout=5)
    # Six of the other admin's posts were looked at; none was touched; nothing posted twice.
    assert [c.params["message_id"] for c in probes(fake)] == others[:6]
    assert {c.description for c in probes(fake)} == {"Bad Request: message can't be edited"}
    assert known_post.message_id + 1 == others[0]
    assert len(channel_posts(fake, "Artel")) == 1
    row = await db.fetchrow(
        "SELECT status, last_error FROM outbox WHERE ad_id = $1 AND kind = 'channel_post'", ad_id
    )
    assert row is not None
    assert row["status"] == "unknown"
    [unposted] = await db_channel.approved_without_post(db)
    assert (unposted.ad_id, unposted.last_status) == (ad_id, "unknown")
    assert await db.fetchval("SELECT count(*) FROM outbox_probes") == 0

    # An admin deleted the copy and publishes again: one more post, tracked, the owner told.
    fake.channel.delete(channel_posts(fake, "Artel")[0].result["message_id"])
    async with db.transaction():
        assert await db_channel.publish_again(db, ad_id, "@vodiy_test")
    await fake.user(882).wait_message(contains=f"#{ad_id}", timeout=10)
    assert len(channel_posts(fake, "Artel")) == 2
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "published"
    assert await db_channel.approved_without_post(db) == []


async def test_a_probe_that_keeps_failing_asks_the_admins(
    impatient_bot: RunningBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Person, Person],
) -> None:
    fake.lose_answers(["sendPhoto"], chat_id=fake.channel.id)
    failing = fake.fail_with(502, methods=PROBES, chat_id=fake.channel.id)
    ad_id = await submit(impatient_bot, fake, 891, "Телевизор Samsung 55")
    await approve(impatient_bot, ad_id)

    for admin in admins:
        notice = await admin.wait_message(contains=UNKNOWN, timeout=15)
        assert f"#{ad_id}" in notice.content
    await fake.wait_idle(timeout=5)
    assert failing.hits == 3
    assert len(channel_posts(fake, "Samsung 55")) == 1
    status = await db.fetchval(
        "SELECT status FROM outbox WHERE ad_id = $1 AND kind = 'channel_post'", ad_id
    )
    assert status == "unknown"
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "approved"

    # Telegram works again, and the next post's answer is lost too. The first one's copy may
    # sit among the ids a probe would edit (and an edit with this caption would change it),
    # so this one goes to the admins at once, and the first copy is left as it is.
    fake.clear_faults()
    fake.lose_answers(["sendPhoto"], chat_id=fake.channel.id)
    edits_before = len(probes(fake))
    second = await submit(impatient_bot, fake, 892, "Музлатгич Atlant")
    await approve(impatient_bot, second)
    for admin in admins:
        await admin.wait_message(contains=f"#{second}", predicate=lambda m: UNKNOWN in m.content)
    await fake.wait_idle(timeout=5)
    assert len(probes(fake)) == edits_before
    assert len(channel_posts(fake, "Atlant")) == 1
    first_copy = fake.channel.messages[0]
    assert "Samsung 55" in (first_copy.caption or "")
    assert not first_copy.edited


async def test_a_repost_that_never_reached_telegram_is_proven_absent_and_reposted_once(
    bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any], admins: tuple[Person, Person]
) -> None:
    ad_id, first = await publish(bot, fake, 901, "Велосипед Stels")
    await fake.user(901).wait_message(contains=f"#{ad_id}", timeout=10)  # published: committed
    fake.drop_connections(times=1, methods=["sendPhoto"], chat_id=fake.channel.id)
    await repost_now(fake, db, ad_id)

    await fake.wait_until(lambda: len(channel_posts(fake, REPOST)) == 1, timeout=15)
    [repost] = [m for m in fake.channel.messages if REPOST in (m.caption or "")]

    async def both_recorded() -> bool:
        return await recorded(db, ad_id) == [(first.message_id, False), (repost.message_id, True)]

    await wait_for(both_recorded, within=10, what="the repost's id recorded")
    missing = [c.params["message_id"] for c in probes(fake) if c.status == 400]
    assert missing == list(range(first.message_id + 1, first.message_id + 6))
    await sold(bot, ad_id, 901)
    await repost.wait_content(SOLD, timeout=10)
    await fake.wait_idle(timeout=5)
    assert len(channel_posts(fake, REPOST)) == 1
    assert [said(admin, REPOST_UNKNOWN) for admin in admins] == [[], []]


async def test_a_repost_the_probe_cannot_find_out_about_is_left_to_the_admins(
    impatient_bot: RunningBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Person, Person],
) -> None:
    ad_id, _ = await publish(impatient_bot, fake, 911, "Дазмол Philips")
    await fake.user(911).wait_message(contains=f"#{ad_id}", timeout=10)  # published: committed
    fake.lose_answers(["sendPhoto"], chat_id=fake.channel.id)
    failing = fake.fail_with(502, methods=PROBES, chat_id=fake.channel.id)
    await repost_now(fake, db, ad_id)

    for admin in admins:
        notice = await admin.wait_message(contains=REPOST_UNKNOWN, timeout=15)
        assert f"#{ad_id}" in notice.content
    await fake.wait_idle(timeout=5)
    assert failing.hits == 3
    assert len(channel_posts(fake, REPOST)) == 1  # not repeated
    row = await db.fetchrow(
        "SELECT status FROM outbox WHERE ad_id = $1 AND kind = 'channel_repost'", ad_id
    )
    assert row is not None
    assert row["status"] == "unknown"


async def test_a_channel_set_by_its_numeric_id_is_probed_without_asking_for_it(
    fake: FakeTelegram, db_url: str, tmp_path: Path, db: asyncpg.Connection[Any]
) -> None:
    fake.enforce_limits = True
    env = bot_env(fake, db_url, tmp_path, CHANNEL_ID=str(fake.channel.id))
    running_bot = RunningBot(Settings.from_env(env), limits=PROBE_LIMITS)
    await running_bot.start()
    try:
        fake.lose_answers(["sendPhoto"], chat_id=fake.channel.id)
        ad_id = await submit(running_bot, fake, 921, "Гилам 3x4")
        await approve(running_bot, ad_id)
        await fake.user(921).wait_message(contains=f"#{ad_id}", timeout=15)
    finally:
        await running_bot.stop()
    [post] = fake.channel.messages
    assert await recorded(db, ad_id) == [(post.message_id, False)]
    assert [c.params["message_id"] for c in probes(fake)] == [post.message_id]
    assert fake.calls_to("getChat") == []


@pytest.fixture
async def impatient_shop(
    fake: FakeTelegram, db_url: str, tmp_path: Path
) -> AsyncIterator[RunningBot]:
    """The impatient bot, selling lifts."""
    shop = running(fake, db_url, tmp_path, IMPATIENT, LIFT_STARS="30")
    async with started(shop, fake) as running_bot:
        yield running_bot


async def test_a_paid_lift_the_probe_cannot_find_out_about_is_refunded_once(
    impatient_shop: RunningBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    admins: tuple[Person, Person],
) -> None:
    """A lift whose post may or may not be in the channel is left to the admins like any
    repost, and the seller, who paid for it, gets the Stars back rather than a promotion
    that stays 'started' for ever (and blocks the next lift of the ad)."""
    ad_id, _ = await publish(impatient_shop, fake, 921, "Соат Casio")
    owner = fake.user(921)
    # The "published" message offers the lift.
    published = await owner.wait_message(contains=f"#{ad_id}", timeout=10)
    await owner.press("🚀 Кўтариш · 30 ⭐", message=published)
    invoice = await owner.wait_message(predicate=lambda m: "invoice" in m.data)

    fake.lose_answers(["sendPhoto"], chat_id=fake.channel.id)
    failing = fake.fail_with(502, methods=PROBES, chat_id=fake.channel.id)
    payment = await fake.payments.pay(owner, invoice)
    assert payment.ok, payment.error_message

    for admin in admins:
        notice = await admin.wait_message(contains=REPOST_UNKNOWN, timeout=15)
        assert f"#{ad_id}" in notice.content
    told = await owner.wait_message(contains="↩️", timeout=15)
    assert "каналда чиққани тасдиқланмади" in told.content
    await fake.wait_idle(timeout=5)
    assert failing.hits == 3
    assert fake.payments.refunded == {payment.charge_id}
    assert [c for c in fake.calls_to("refundStarPayment") if c.ok] != []
    assert await db.fetchval("SELECT status FROM promotions") == "refunded"
    assert await db.fetchval("SELECT lifted_until FROM ads WHERE id = $1", ad_id) is None
    assert await db.fetchval("SELECT status FROM outbox WHERE kind = 'channel_lift'") == "unknown"

"""A channel that refuses is waited for, never given up; and exactly once where Telegram leaves
doubt: a send whose bookkeeping fails, a post whose answer is lost (looked for in the channel:
tests/e2e/test_channel_probe.py has the rest)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.conftest import ADMIN_A, ADMIN_B, FAST_LIMITS, RunningBot, bot_env, listings_on
from tests.e2e.seeding import submit
from tests.fake_telegram import Call, FakeTelegram, Person
from vodiy_bozor.config import Settings
from vodiy_bozor.db import channel as db_channel
from vodiy_bozor.db.pool import create_pool
from vodiy_bozor.telegram.pacing import HandlerPace

REFUSED = "қабул қилмаяпти"  # the admins' notice: the channel refuses posts
RESTORED = "яна эълонларни қабул қиляпти"  # ... and takes them again
UNKNOWN = "чиққан-чиқмагани номаълум"  # a post whose outcome is unknown


@pytest.fixture
async def bot(fake: FakeTelegram, db_url: str, tmp_path: Path) -> AsyncIterator[RunningBot]:
    # Telegram's limits are on (and the bot's replies at their real pace); the refusing
    # channel is asked again every half second, and a post in doubt is looked for after half a
    # second.
    fake.enforce_limits = True
    settings = Settings.from_env(bot_env(fake, db_url, tmp_path))
    running = RunningBot(
        settings,
        limits=replace(FAST_LIMITS, refusal_retry=0.5, probe_delay=0.5),
        pace=HandlerPace(),
    )
    await running.start()
    await fake.wait_call("getUpdates", timeout=10)
    yield running
    await running.stop()


@pytest.fixture
def admins(fake: FakeTelegram) -> tuple[Person, Person]:
    return fake.user(ADMIN_A, "Aziz"), fake.user(ADMIN_B, "Botir")


def channel_posts(fake: FakeTelegram, text: str) -> list[Call]:
    """The bot's successful posts to the channel whose caption has `text`."""
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


async def approve(bot: RunningBot, ad_id: int) -> None:
    app = bot.app
    assert app is not None
    decision = await app.listings.approve(ad_id, ADMIN_A)
    assert decision.applied


async def test_a_channel_without_the_right_to_post_is_waited_for_and_every_ad_posted_once(
    bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any], admins: tuple[Person, Person]
) -> None:
    # The channel's owner takes the bot's right to post away: every post answers 400
    # "need administrator rights in the channel chat".
    fake.channel.can_post_messages = False
    first = await submit(bot, fake, 801, "Велосипед Stels, 26 дюйм", photos=2)
    second = await submit(bot, fake, 802, "Музлатгич Artel, 2 камерали")
    await approve(bot, first)
    await approve(bot, second)

    # The admins are told, in plain words, what to fix, while the channel still refuses.
    for admin in admins:
        notice = await admin.wait_message(contains=REFUSED, timeout=10)
        assert "Post messages" in notice.content
    # The channel is asked again and again, and nobody is told twice.
    await fake.wait_until(
        lambda: sum(1 for c in fake.calls if c.status == 400 and c.method == "sendMediaGroup") >= 3,
        timeout=10,
    )
    assert [len(said(admin, REFUSED)) for admin in admins] == [1, 1]
    [state] = await db_channel.states(db)
    assert state.refusing_since is not None
    assert state.reason == "rights"
    statuses = await db.fetch(
        "SELECT status FROM ads WHERE id = ANY($1::bigint[])", [first, second]
    )
    assert {r["status"] for r in statuses} == {"approved"}
    assert await db.fetchval("SELECT count(*) FROM outbox WHERE status = 'failed'") == 0

    # The right comes back: both ads go out once, each owner is told, the admins too.
    fake.channel.can_post_messages = True
    for owner_id, ad_id in ((801, first), (802, second)):
        await fake.user(owner_id).wait_message(contains=f"#{ad_id}", timeout=10)
    for admin in admins:
        await admin.wait_message(contains=RESTORED, timeout=10)
    assert len(channel_posts(fake, "Stels")) == 1
    assert len(channel_posts(fake, "Artel")) == 1
    [state] = await db_channel.states(db)
    assert state.accepts
    assert await db_channel.approved_without_post(db) == []


async def test_a_bookkeeping_failure_after_a_send_never_sends_again(
    bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any], admins: tuple[Person, Person]
) -> None:
    # A real failure in the bookkeeping after the channel post: recording the post's message
    # ids fails, once for the first ad and five times (more than the tries in place) for the
    # second. A sequence counts the failures: nextval() is not undone by the rollback.
    await db.execute(
        """
        CREATE SEQUENCE bookkeeping_failures;
        CREATE TABLE failures_left (ad_id bigint PRIMARY KEY, n integer NOT NULL);
        CREATE FUNCTION fail_bookkeeping() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            budget integer;
        BEGIN
            SELECT n INTO budget FROM failures_left WHERE ad_id = NEW.ad_id;
            IF budget IS NOT NULL AND nextval('bookkeeping_failures') <= budget THEN
                RAISE EXCEPTION 'injected bookkeeping failure for ad %', NEW.ad_id;
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER ad_posts_fail BEFORE INSERT ON ad_posts
            FOR EACH ROW EXECUTE FUNCTION fail_bookkeeping();
        """
    )
    first = await submit(bot, fake, 811, "Тикув машинаси Janome")
    await db.execute("INSERT INTO failures_left VALUES ($1, 1)", first)
    await approve(bot, first)
    await fake.user(811).wait_message(contains=f"#{first}", timeout=10)
    assert len(channel_posts(fake, "Janome")) == 1

    await db.execute("ALTER SEQUENCE bookkeeping_failures RESTART")
    second = await submit(bot, fake, 812, "Чанг ютгич Samsung")
    await db.execute("INSERT INTO failures_left VALUES ($1, 5)", second)
    await approve(bot, second)
    await fake.user(812).wait_message(contains=f"#{second}", timeout=10)
    assert len(channel_posts(fake, "Samsung")) == 1
    assert await db.fetchval("SELECT nextval('bookkeeping_failures')") > 5  # it did fail 5 times

    for ad_id in (first, second):
        assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "published"
        assert await db.fetchval("SELECT count(*) FROM ad_posts WHERE ad_id = $1", ad_id) == 1
    assert len(said(fake.user(811), f"#{first}")) == 1
    assert len(said(fake.user(812), f"#{second}")) == 1
    assert await db.fetchval("SELECT count(*) FROM outbox WHERE result IS NOT NULL") == 0


async def test_a_post_whose_answer_is_lost_is_found_in_the_channel_not_sent_again(
    bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any], admins: tuple[Person, Person]
) -> None:
    # Telegram posts the album, then the connection drops before the answer arrives.
    fake.lose_answers(["sendMediaGroup"], chat_id=fake.channel.id)
    doubtful = await submit(bot, fake, 821, "Газ плита Indesit", photos=2)
    await approve(bot, doubtful)
    notice = await fake.user(821).wait_message(contains=f"#{doubtful}", timeout=10)
    [post, _] = fake.channel.messages
    assert f"https://t.me/vodiy_test/{post.message_id}" in notice.content

    # The next ad goes out after it.
    later = await submit(bot, fake, 822, "Кир ювиш машинаси LG", photos=2)
    await approve(bot, later)
    await fake.user(822).wait_message(contains=f"#{later}", timeout=10)
    await fake.wait_idle(timeout=5)
    assert len(channel_posts(fake, "Indesit")) == 1  # the one whose answer was lost, only
    assert [said(admin, UNKNOWN) for admin in admins] == [[], []]
    status = await db.fetchval(
        "SELECT status FROM outbox WHERE ad_id = $1 AND kind = 'channel_post'", doubtful
    )
    assert status == "sent"
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", doubtful) == "published"
    ids = await db.fetch("SELECT message_id FROM ad_posts WHERE ad_id = $1", doubtful)
    assert sorted(r["message_id"] for r in ids) == [post.message_id, post.message_id + 1]
    assert await db_channel.approved_without_post(db) == []


async def cut_connection_once(db: asyncpg.Connection[Any], table: str) -> None:
    """The first row written to `table` cuts the writer's database connection (and so its
    transaction); `connection_cuts` counts the writes tried."""
    await db.execute(
        f"""
        CREATE SEQUENCE connection_cuts;
        CREATE FUNCTION cut_connection() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF nextval('connection_cuts') = 1 THEN
                PERFORM pg_terminate_backend(pg_backend_pid());
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER {table}_cut BEFORE INSERT ON {table}
            FOR EACH ROW EXECUTE FUNCTION cut_connection();
        """
    )


async def test_a_connection_cut_in_the_bookkeeping_never_sends_again(
    bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any], admins: tuple[Person, Person]
) -> None:
    # After the channel post, recording it cuts the worker's own database connection (once):
    # the whole sending transaction is lost, the row is still pending.
    await cut_connection_once(db, "ad_posts")
    ad_id = await submit(bot, fake, 831, "Телевизор Samsung 55 дюйм", photos=3)
    await approve(bot, ad_id)
    await fake.user(831).wait_message(contains=f"#{ad_id}", timeout=10)
    assert await db.fetchval("SELECT nextval('connection_cuts')") > 2  # it was cut, then not
    assert len(channel_posts(fake, "Samsung 55")) == 1
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "published"
    assert await db.fetchval("SELECT count(*) FROM ad_posts WHERE ad_id = $1", ad_id) == 3
    left = await db.fetchval(
        """
        SELECT count(*) FROM outbox_attempts a JOIN outbox o ON o.id = a.row_id
         WHERE o.kind = 'channel_post'
        """
    )
    assert left == 0  # the post's attempts went with the transaction that recorded it


async def test_a_post_cut_off_by_a_crash_mid_call_is_looked_for_and_posted_once(
    bot: RunningBot,
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    db_url: str,
    admins: tuple[Person, Person],
) -> None:
    ad_id = await submit(bot, fake, 841, "Кондиционер Midea 12")
    app = bot.app
    assert app is not None
    await bot.stop()
    # While the bot is down: the ad is approved, and the post's row carries the trace of a
    # call that a crashed process had started (written before the call, never answered).
    pool = await create_pool(db_url, min_size=1, max_size=1)
    try:
        await listings_on(pool).approve(ad_id, ADMIN_A)
    finally:
        await pool.close()
    row_id = await db.fetchval(
        "SELECT id FROM outbox WHERE ad_id = $1 AND kind = 'channel_post'", ad_id
    )
    await db.execute(
        "INSERT INTO outbox_attempts (row_id, started_at) VALUES ($1, now() - interval '1 minute')",
        row_id,
    )
    await bot.start()
    # The channel has no post: the ids after the last known one (none) are missing, so the
    # post never reached Telegram; it goes out once, and nobody is bothered.
    await fake.user(841).wait_message(contains=f"#{ad_id}", timeout=10)
    await fake.wait_idle(timeout=5)
    assert len(channel_posts(fake, "Midea")) == 1
    missing = [c for c in fake.calls if c.description == "Bad Request: message to edit not found"]
    assert [c.params["message_id"] for c in missing] == [1, 2, 3, 4, 5]
    assert fake.channel.messages[0].message_id == 1
    assert await db.fetchval("SELECT status FROM outbox WHERE id = $1", row_id) == "sent"
    assert [said(admin, UNKNOWN) for admin in admins] == [[], []]
    assert await db_channel.approved_without_post(db) == []


async def test_a_post_whose_transaction_a_crash_took_after_the_call_is_found(
    bot: RunningBot, fake: FakeTelegram, db: asyncpg.Connection[Any], admins: tuple[Person, Person]
) -> None:
    # Telegram posts the photo and the answer is lost; then the worker's transaction, the one
    # that starts looking for it, is lost too (its database connection cut): the row is
    # pending again, with only the trace of a call that was never answered.
    await cut_connection_once(db, "outbox_probes")
    fake.lose_answers(["sendPhoto"], chat_id=fake.channel.id)
    ad_id = await submit(bot, fake, 851, "Чанг ютгич Dyson")
    await approve(bot, ad_id)
    await fake.user(851).wait_message(contains=f"#{ad_id}", timeout=10)
    await fake.wait_idle(timeout=5)
    assert await db.fetchval("SELECT nextval('connection_cuts')") > 2  # it was cut, then not
    assert len(channel_posts(fake, "Dyson")) == 1
    [post] = fake.channel.messages
    assert await db.fetchval("SELECT status FROM ads WHERE id = $1", ad_id) == "published"
    ids = await db.fetch("SELECT message_id FROM ad_posts WHERE ad_id = $1", ad_id)
    assert [r["message_id"] for r in ids] == [post.message_id]
    assert [said(admin, UNKNOWN) for admin in admins] == [[], []]

"""Webhook mode end to end: Telegram (the fake) POSTs updates to the bot's own HTTP server.

Also several instances on one database behind a load balancer (a round-robin proxy here),
the secret token check, `/health`, a graceful stop, and polling taking over from a webhook.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
from aiohttp import web

from tests.conftest import TOKEN, RunningBot, bot_env
from tests.fake_telegram import FakeTelegram, Person
from tests.support.quick_post_steps import expected_questions, step_of, walk_to_preview
from tests.support.seller_steps import draft
from vodiy_bozor.bot.middlewares import current_update_id
from vodiy_bozor.config import Settings
from vodiy_bozor.models import Lang

SECRET = "webhook-secret_0123456789"
# A quick post (tests/handlers/test_quick_post.py): the caption answers what it can.
ALBUM_CAPTION = (
    "Сотилади 🔥 Samsung A52 128гб, идеал ҳолатда, қутиси бор.\nНархи: 2,5 млн\nАсака\n"
    "Тел: 90 123 45 67"
)
HOOK_PATH = "/tg/hook"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def webhook_settings(
    fake: FakeTelegram, db_url: str, data_dir: Path, port: int, url: str | None = None
) -> Settings:
    return Settings.from_env(
        bot_env(
            fake,
            db_url,
            data_dir,
            WEBHOOK_URL=url or f"http://127.0.0.1:{port}{HOOK_PATH}",
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_HOST="127.0.0.1",
            WEBHOOK_PORT=str(port),
        )
    )


StartBot = Callable[[Settings], Awaitable[RunningBot]]


@pytest.fixture
async def start_bot() -> AsyncIterator[StartBot]:
    """Start bots (in this event loop, as the `running_bot` fixture does); all are stopped
    at the end."""
    bots: list[RunningBot] = []

    async def start(settings: Settings) -> RunningBot:
        bot = RunningBot(settings)
        bots.append(bot)
        await bot.start()
        return bot

    yield start
    for bot in bots:
        with contextlib.suppress(Exception):
            await bot.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def health(http: aiohttp.ClientSession, port: int) -> tuple[int, dict[str, Any]]:
    async with http.get(f"http://127.0.0.1:{port}/health") as response:
        body: dict[str, Any] = await response.json()
        return response.status, body


def finished(record: logging.LogRecord) -> bool:
    """aiogram's "Update id=N is handled" line, logged when the dispatcher is done with an
    update (after the InFlight middleware has counted it)."""
    return record.msg.startswith("Update id=") and record.args is not None


def skipped(record: logging.LogRecord) -> bool:
    return "was taken by an instance already" in record.getMessage()


def raw_start(person: Person, update_id: int) -> dict[str, Any]:
    """A /start update as Telegram would POST it, not queued in the fake."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "from": person.user,
            "chat": person.chat,
            "date": 1_800_000_000,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


class LogWatch(logging.Handler):
    """Records of one logger, each with the update label in effect when it was logged;
    `seen` is set once `count` records were accepted by `wanted` (no polling: logging is
    synchronous, in the task that logs)."""

    def __init__(self, wanted: Callable[[logging.LogRecord], bool], count: int) -> None:
        super().__init__(logging.DEBUG)
        self.wanted = wanted
        self.count = count
        self.records: list[tuple[logging.LogRecord, int | None]] = []
        self.matched = 0
        self.seen = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record, current_update_id.get()))
        if self.wanted(record):
            self.matched += 1
            if self.matched >= self.count:
                self.seen.set()


@contextlib.contextmanager
def watch_log(
    name: str, wanted: Callable[[logging.LogRecord], bool], count: int = 1
) -> Iterator[LogWatch]:
    logger = logging.getLogger(name)
    watch = LogWatch(wanted, count)
    level = logger.level
    logger.addHandler(watch)
    logger.setLevel(logging.DEBUG)
    try:
        yield watch
    finally:
        logger.removeHandler(watch)
        logger.setLevel(level)


async def test_webhook_mode_sets_the_webhook_and_answers_people(
    fake: FakeTelegram,
    db_url: str,
    tmp_path: Path,
    start_bot: StartBot,
    db: asyncpg.Connection[Any],
) -> None:
    port = free_port()
    await start_bot(webhook_settings(fake, db_url, tmp_path, port))
    call = await fake.wait_call("setWebhook", ok=True, timeout=10)
    assert call.params["url"] == f"http://127.0.0.1:{port}{HOOK_PATH}"
    assert call.params["secret_token"] == SECRET
    assert call.params["drop_pending_updates"] is False
    assert {"message", "callback_query", "my_chat_member"} <= set(call.params["allowed_updates"])
    assert fake.webhook_url == call.params["url"]

    alice = fake.user(101, "Alice", username="alice", language_code="uz")
    with watch_log("aiogram.event", finished) as events:
        update = await alice.send("/start")
        await alice.wait_message(contains="Alice")
        await asyncio.wait_for(events.seen.wait(), 5)
    # Log lines of a webhook-delivered update carry its id, as in polling mode.
    labels = [label for record, label in events.records if finished(record)]
    assert labels == [update["update_id"]]

    row = await db.fetchrow("SELECT username, first_name FROM users WHERE id = 101")
    assert row is not None
    assert (row["username"], row["first_name"]) == ("alice", "Alice")
    # Nothing polled: getUpdates would fail with 409 while a webhook is set.
    assert fake.calls_to("getUpdates") == []
    assert fake.calls_to("deleteWebhook") == []


class RoundRobin:
    """The load balancer: each POST goes to the next instance in turn, answer passed back."""

    def __init__(self, targets: list[str]) -> None:
        self.targets = targets
        self.forwarded = Counter[str]()
        self._next = 0
        self._client = aiohttp.ClientSession()
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}{HOOK_PATH}"

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        await self._client.close()

    async def _forward(self, request: web.Request) -> web.Response:
        target = self.targets[self._next]
        self._next = (self._next + 1) % len(self.targets)
        headers = {
            name: request.headers[name]
            for name in ("Content-Type", "X-Telegram-Bot-Api-Secret-Token")
            if name in request.headers
        }
        async with self._client.post(target, data=await request.read(), headers=headers) as up:
            body = await up.read()
            if up.status == 200:
                self.forwarded[target] += 1
            return web.Response(status=up.status, body=body, content_type=up.content_type)


@contextlib.asynccontextmanager
async def two_instances_behind_a_balancer(
    fake: FakeTelegram, db_url: str, tmp_path: Path, start_bot: StartBot
) -> AsyncIterator[tuple[RoundRobin, list[int]]]:
    """Two instances on one database, each listening on its own port and both configured with
    the public URL (the balancer's); both have called setWebhook with it."""
    ports = [free_port(), free_port()]
    balancer = RoundRobin([f"http://127.0.0.1:{port}{HOOK_PATH}" for port in ports])
    await balancer.start()
    try:
        for port in ports:
            await start_bot(webhook_settings(fake, db_url, tmp_path, port, url=balancer.url))
        await fake.wait_until(
            lambda: sum(c.ok for c in fake.calls_to("setWebhook")) == 2, timeout=10
        )
        yield balancer, ports
    finally:
        await balancer.close()


async def test_two_instances_behind_a_balancer_handle_each_update_once(
    fake: FakeTelegram,
    db_url: str,
    tmp_path: Path,
    start_bot: StartBot,
    db: asyncpg.Connection[Any],
    http: aiohttp.ClientSession,
) -> None:
    async with two_instances_behind_a_balancer(fake, db_url, tmp_path, start_bot) as (
        balancer,
        ports,
    ):
        assert {c.params["url"] for c in fake.calls_to("setWebhook")} == {balancer.url}
        people = [fake.user(1000 + n, f"Person{n:02d}") for n in range(40)]
        with watch_log("aiogram.event", finished, count=40) as events:
            for person in people:
                await person.send("/start")
            for person in people:
                await person.wait_message(contains=person.first_name, timeout=10)
            await asyncio.wait_for(events.seen.wait(), 10)
        await fake.wait_idle(timeout=10)  # and nothing more comes (no second greeting)

    greetings = Counter(c.params["chat_id"] for c in fake.calls_to("sendMessage"))
    assert greetings == {person.id: 1 for person in people}
    assert await db.fetchval("SELECT count(*) FROM users") == 40
    # Both instances took a share, and together handled every update exactly once.
    assert all(balancer.forwarded[target] > 0 for target in balancer.targets)
    handled = []
    for port in ports:
        status, body = await health(http, port)
        assert status == 200
        handled.append(body["updates"]["handled"])
    assert all(n > 0 for n in handled)
    assert sum(handled) == 40


async def test_an_album_split_across_two_instances_is_answered_once_with_every_photo(
    fake: FakeTelegram,
    db_url: str,
    tmp_path: Path,
    start_bot: StartBot,
    db: asyncpg.Connection[Any],
) -> None:
    async with two_instances_behind_a_balancer(fake, db_url, tmp_path, start_bot) as (
        balancer,
        _,
    ):
        seller = fake.user(1400, "Sevara", language_code="uz")
        caption = ALBUM_CAPTION
        # The fake POSTs one update at a time, in order, and the balancer alternates: parts
        # 1 and 3 reach one instance, 2 and 4 the other.
        album = await seller.send_album(4, caption=caption)
        sent = [u["message"]["photo"][-1]["file_id"] for u in album]
        walk = await walk_to_preview(seller, Lang.UZ_CYRL)
        assert walk.asked == expected_questions(caption)  # each question once, no more
        await fake.wait_idle(timeout=10)  # and nothing more comes (no second answer)

    # Both instances got parts of the album.
    assert all(balancer.forwarded[target] >= 2 for target in balancer.targets)
    previews = [c for c in fake.calls_to("sendMediaGroup") if c.params["chat_id"] == seller.id]
    assert len(previews) == 1
    assert [m["media"] for m in previews[0].params["media"]] == sent  # all four, in order
    data = await draft(db, seller.id)
    assert [p["id"] for p in data["photos"]] == sent
    # Every question the bot sent the seller was the next one: none twice.
    steps = [step for m in seller.messages if (step := step_of(m)) is not None]
    assert steps == sorted(set(steps))
    # The parts were fed and removed.
    assert await db.fetchval("SELECT count(*) FROM album_parts") == 0
    assert await db.fetchval("SELECT count(*) FROM albums") == 0


async def test_an_update_delivered_again_to_another_instance_is_handled_once(
    fake: FakeTelegram,
    db_url: str,
    tmp_path: Path,
    start_bot: StartBot,
    db: asyncpg.Connection[Any],
) -> None:
    ports = [free_port(), free_port()]
    for port in ports:
        await start_bot(webhook_settings(fake, db_url, tmp_path, port))
    await fake.wait_until(lambda: sum(c.ok for c in fake.calls_to("setWebhook")) == 2, timeout=10)
    zara = fake.user(1300, "Zara")
    update = raw_start(zara, 9_000_100)
    # Telegram did not see the first 200 and sends the update again; the balancer hands the
    # second delivery to the other instance.
    with watch_log("vodiy_bozor.runtime.webhook", skipped, count=1) as skips:
        for port in ports:
            url = f"http://127.0.0.1:{port}{HOOK_PATH}"
            status, _ = await fake.deliver_raw(update, url=url)
            assert status == 200
        await zara.wait_message(contains="Zara", timeout=10)
        await asyncio.wait_for(skips.seen.wait(), 10)  # the other instance skipped it
    taken = await db.fetchval("SELECT count(*) FROM handled_updates WHERE update_id = 9000100")
    assert taken == 1
    await fake.wait_idle(timeout=5)
    assert len([c for c in fake.calls_to("sendMessage") if c.params["chat_id"] == 1300]) == 1


async def test_requests_without_the_right_secret_are_refused_and_change_nothing(
    fake: FakeTelegram,
    db_url: str,
    tmp_path: Path,
    start_bot: StartBot,
    db: asyncpg.Connection[Any],
    http: aiohttp.ClientSession,
) -> None:
    port = free_port()
    await start_bot(webhook_settings(fake, db_url, tmp_path, port))
    await fake.wait_call("setWebhook", ok=True, timeout=10)
    mallory = fake.user(666, "Mallory")

    status, _ = await fake.deliver_raw(raw_start(mallory, 9_000_001), secret=None)
    assert status == 403
    status, _ = await fake.deliver_raw(raw_start(mallory, 9_000_002), secret="wrong-secret")
    assert status == 403
    status, _ = await fake.deliver_raw(raw_start(mallory, 9_000_003), secret=SECRET + "x")
    assert status == 403
    # With the secret, but not an update: refused too (Telegram would show it in
    # getWebhookInfo and give up after some attempts).
    status, _ = await fake.deliver_raw({"hello": "world"})
    assert status == 400

    # The right secret on the same path works, so the refusals were about the secret.
    bob = fake.user(202, "Bob")
    with watch_log("aiogram.event", finished) as events:
        status, _ = await fake.deliver_raw(raw_start(bob, 9_000_004))
        assert status == 200
        await bob.wait_message(contains="Bob")
        await asyncio.wait_for(events.seen.wait(), 5)

    assert mallory.messages == []
    assert [r["id"] for r in await db.fetch("SELECT id FROM users")] == [202]
    _, body = await health(http, port)
    assert body["updates"]["handled"] == 1


async def test_health_reports_database_outbox_and_jobs_and_503_without_database(
    fake: FakeTelegram,
    db_url: str,
    tmp_path: Path,
    start_bot: StartBot,
    db: asyncpg.Connection[Any],
    http: aiohttp.ClientSession,
    pg_server: str,
) -> None:
    # A row the outbox worker will not touch for an hour, created 90 seconds ago.
    await db.execute(
        """
        INSERT INTO outbox (chat, kind, not_before, created_at)
        VALUES ('101', 'message', now() + interval '1 hour', now() - interval '90 seconds')
        """
    )
    await db.execute(
        """
        INSERT INTO jobs (name, next_run_at, last_run_at)
        VALUES ('health-probe', now() + interval '1 day', now() - interval '2 minutes')
        """
    )
    port = free_port()
    await start_bot(webhook_settings(fake, db_url, tmp_path, port))
    await fake.wait_call("setWebhook", ok=True, timeout=10)

    async with http.get(f"http://127.0.0.1:{port}/health") as response:
        assert response.status == 200
        text = await response.text()
        body = await response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["outbox"]["pending"] == 1
    assert 90 <= body["outbox"]["oldest_age_seconds"] < 600
    assert body["updates"] == {"handled": 0, "in_flight": 0}
    assert body["uptime_seconds"] >= 0
    assert 120 <= body["jobs"]["health-probe"]["seconds_ago"] < 600
    for secret in (SECRET, TOKEN, db_url, fake.url):
        assert secret not in text

    # The database goes away: no new connections, the bot's ones cut (from another
    # database: a database cannot refuse connections to itself from within).
    name = await db.fetchval("SELECT current_database()")
    admin = await asyncpg.connect(pg_server)
    try:
        await admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        await admin.fetch(
            """
            SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity
             WHERE datname = $1 AND pid <> $2
            """,
            name,
            db.get_server_pid(),
        )
        status, body = await health(http, port)
        assert status == 503
        assert body["status"] == "unavailable"
        assert body["database"]["ok"] is False
        assert "outbox" not in body
    finally:
        await admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
        await admin.close()

    # And comes back: the pool reconnects (a connection cut earlier may fail once first).
    statuses = []
    for _ in range(20):
        status, body = await health(http, port)
        statuses.append(status)
        if status == 200:
            break
    assert statuses[-1] == 200, statuses
    assert body["database"]["ok"] is True


async def test_stop_refuses_new_updates_and_lets_one_being_handled_finish(
    fake: FakeTelegram,
    db_url: str,
    tmp_path: Path,
    start_bot: StartBot,
    db: asyncpg.Connection[Any],
) -> None:
    port = free_port()
    bot = await start_bot(webhook_settings(fake, db_url, tmp_path, port))
    await fake.wait_call("setWebhook", ok=True, timeout=10)
    ali = fake.user(101, "Ali")

    # Registering Ali needs a write to `users`; while the test holds this lock the update is
    # stuck in its handler, as a slow one would be.
    lock = db.transaction()
    await lock.start()
    await db.execute("LOCK TABLE users IN EXCLUSIVE MODE")
    try:
        await ali.send("/start")
        # Telegram's POST was answered (the update is no longer pending at the fake), so the
        # update is now the bot's to finish.
        await fake.wait_until(lambda: not fake.updates_pending(), what="the POST answered")
        with watch_log(
            "vodiy_bozor.runtime.webhook", lambda r: r.getMessage().startswith("stopped taking")
        ) as stopping_log:
            stopping = asyncio.create_task(bot.stop())
            await asyncio.wait_for(stopping_log.seen.wait(), 10)
        assert any(
            r.getMessage() == "stopped taking updates; waiting for 1 being handled"
            for r, _ in stopping_log.records
        )
        # The port is closed, so a balancer would send the next update elsewhere...
        with pytest.raises(aiohttp.ClientConnectionError):
            await fake.deliver_raw(raw_start(ali, 9_000_100))
        # ...while the stop waits for the update it has taken.
        assert not stopping.done()
        assert ali.messages == []
    finally:
        await lock.rollback()

    await asyncio.wait_for(stopping, 15)
    greeting = ali.last_message
    assert "Ali" in greeting.content
    assert await db.fetchval("SELECT first_name FROM users WHERE id = 101") == "Ali"
    # The webhook stays set for the other instances (and for Telegram to queue updates).
    assert fake.calls_to("deleteWebhook") == []
    assert fake.webhook_url is not None


async def test_polling_removes_a_webhook_left_set_and_keeps_its_pending_updates(
    fake: FakeTelegram, db_url: str, tmp_path: Path, start_bot: StartBot
) -> None:
    dead = f"http://127.0.0.1:{free_port()}{HOOK_PATH}"  # nobody listens there
    async with fake.make_bot() as tg:
        assert await tg.set_webhook(dead, secret_token=SECRET)
    ali = fake.user(101, "Ali")
    await ali.send("/start")  # held by Telegram: the webhook cannot take it

    bot = await start_bot(Settings.from_env(bot_env(fake, db_url, tmp_path)))
    delete = await fake.wait_call("deleteWebhook", ok=True, timeout=10)
    assert delete.params.get("drop_pending_updates") in (None, False)
    await ali.wait_message(contains="Ali")  # the held update came by polling
    assert fake.webhook_url is None
    info = fake.calls_to("getWebhookInfo")
    assert info, "getWebhookInfo was not called"
    assert fake.calls.index(info[0]) < fake.calls.index(delete)

    # With no webhook set, a start does not touch it.
    calls = len(fake.calls)
    await bot.restart()
    await fake.wait_call("getUpdates", since=calls, timeout=10)
    assert [c for c in fake.calls[calls:] if c.method == "deleteWebhook"] == []


@pytest.mark.slow
async def test_the_program_in_webhook_mode_serves_and_stops_on_sigterm(
    fake: FakeTelegram, db_url: str, tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    port = free_port()
    env = bot_env(
        fake,
        db_url,
        tmp_path,
        WEBHOOK_URL=f"http://127.0.0.1:{port}{HOOK_PATH}",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_PORT=str(port),  # WEBHOOK_HOST left to its default, 127.0.0.1
    )
    keep = ("PATH", "HOME", "LANG", "TMPDIR")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "vodiy_bozor",
        env={**{k: v for k, v in os.environ.items() if k in keep}, **env},
        cwd=tmp_path,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await fake.wait_call("setWebhook", ok=True, timeout=60)
        alice = fake.user(101, "Alice")
        update = await alice.send("/start")
        await alice.wait_message(contains="Alice", timeout=10)
        status, body = await health(http, port)
        assert (status, body["database"]["ok"]) == (200, True)
        status, _ = await fake.deliver_raw(raw_start(alice, 9_000_200), secret="forged")
        assert status == 403
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(process.communicate(), 30)
    output = out.decode() + err.decode()
    assert process.returncode == 0, output
    assert f"[update {update['update_id']}]" in output  # its log lines are labelled
    assert "refused a webhook request without the right secret token" in output
    for secret in (SECRET, TOKEN, "forged"):
        assert secret not in output
    assert fake.calls_to("deleteWebhook") == []

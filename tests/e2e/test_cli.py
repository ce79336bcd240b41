"""The program as an operator runs it: a separate process, configured by the environment.

These start `python -m vodiy_bozor` (importing aiogram alone takes seconds), so they are
few and each covers a whole story.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from pathlib import Path

import asyncpg
import psutil
import pytest

from tests.conftest import TOKEN, bot_env
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.slow

STARTUP = 60.0  # generous: the first run of a clean machine also creates the database


def _clean_env(env: dict[str, str]) -> dict[str, str]:
    """The variables given, on top of a minimal environment (no settings leak from ours)."""
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    return {**base, **env}


async def _start(env: dict[str, str], cwd: Path, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "vodiy_bozor",
        *args,
        env=_clean_env(env),
        cwd=cwd,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _finish(process: asyncio.subprocess.Process, seconds: float = 30) -> tuple[int, str]:
    out, err = await asyncio.wait_for(process.communicate(), seconds)
    assert process.returncode is not None
    return process.returncode, out.decode() + err.decode()


def _embedded_dsn(data_dir: Path) -> str:
    lines = (data_dir / "postgres" / "postmaster.pid").read_text().splitlines()
    return f"postgresql://postgres@/postgres?host={lines[4].strip()}"


def _servers_on(data_dir: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if proc.info["name"] == "postgres" and str(data_dir) in " ".join(cmdline):
            found.append(proc)
    return found


async def test_runs_on_embedded_database_stops_on_sigterm_and_keeps_data(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    env = bot_env(fake, "unused", data_dir)
    del env["DATABASE_URL"]  # the embedded default

    process = await _start(env, tmp_path)
    await fake.wait_call("getUpdates", timeout=STARTUP)
    people = [fake.user(uid, name) for uid, name in ((1, "Ali"), (2, "Vali"), (3, "Gani"))]
    for person in people:
        await person.send("/start")
        await person.wait_message(contains=person.user["first_name"], timeout=10)
    await people[0].send("/start")
    await people[0].wait_message(contains="Ali", timeout=10)

    conn = await asyncpg.connect(_embedded_dsn(data_dir))
    try:
        assert await conn.fetchval("SELECT count(*) FROM users") == 3
    finally:
        await conn.close()
    assert _servers_on(data_dir), "the embedded server should be running"

    process.send_signal(signal.SIGTERM)
    code, output = await _finish(process)
    assert code == 0, output
    assert not _servers_on(data_dir), "SIGTERM left the embedded PostgreSQL running"
    assert TOKEN not in output
    # `run` starts with garbage collection off and serving turns it back on, start-up frozen.
    frozen = re.search(r"start-up done: (\d+) objects frozen, garbage collection on", output)
    assert frozen is not None, output
    assert int(frozen.group(1)) > 100_000

    # A second run finds the same rows.
    process = await _start(env, tmp_path)
    await fake.wait_call("getUpdates", timeout=STARTUP, since=len(fake.calls))
    conn = await asyncpg.connect(_embedded_dsn(data_dir))
    try:
        names = [r["first_name"] for r in await conn.fetch("SELECT * FROM users ORDER BY id")]
    finally:
        await conn.close()
    assert names == ["Ali", "Vali", "Gani"]
    process.send_signal(signal.SIGINT)  # Ctrl-C stops it just as cleanly
    code, output = await _finish(process)
    assert code == 0, output
    assert not _servers_on(data_dir)


async def test_a_crashed_run_leaves_a_server_that_the_next_run_adopts_and_stops(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    env = bot_env(fake, "unused", data_dir)
    del env["DATABASE_URL"]
    process = await _start(env, tmp_path)
    await fake.wait_call("getUpdates", timeout=STARTUP)
    process.kill()  # no cleanup at all, as after a power cut of the bot alone
    await process.wait()
    assert _servers_on(data_dir)

    process = await _start(env, tmp_path)
    await fake.wait_call("getUpdates", timeout=STARTUP, since=len(fake.calls))
    process.send_signal(signal.SIGTERM)
    code, output = await _finish(process)
    assert code == 0, output
    assert "adopting" in output
    assert not _servers_on(data_dir)


@pytest.mark.parametrize(
    ("change", "variable"),
    [
        ({"API_TOKEN": None}, "API_TOKEN"),
        ({"ADMIN_IDS": "12, abc"}, "ADMIN_IDS"),
        ({"CHANNEL_ID": None}, "CHANNEL_ID"),
        ({"REPOST_INTERVAL": "sometimes"}, "REPOST_INTERVAL"),
    ],
)
async def test_bad_settings_exit_2_with_one_plain_line(
    tmp_path: Path, change: dict[str, str | None], variable: str
) -> None:
    env = {"API_TOKEN": TOKEN, "CHANNEL_ID": "@vodiy", "ADMIN_IDS": "1"}
    for key, value in change.items():
        if value is None:
            env.pop(key)
        else:
            env[key] = value
    process = await _start(env, tmp_path)
    code, output = await _finish(process)
    assert code == 2
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    assert variable in lines[0]
    assert "Traceback" not in output
    assert TOKEN not in output


async def test_a_malformed_token_is_not_echoed(tmp_path: Path) -> None:
    secret = "not a token but secret-ish 8c1f3a"
    env = {"API_TOKEN": secret, "CHANNEL_ID": "@vodiy", "ADMIN_IDS": "1"}
    code, output = await _finish(await _start(env, tmp_path))
    assert code == 2
    assert "API_TOKEN" in output
    assert "8c1f3a" not in output


async def test_migrate_then_check(fake: FakeTelegram, db_url: str, tmp_path: Path) -> None:
    env = bot_env(fake, db_url, tmp_path / "data")
    code, output = await _finish(await _start(env, tmp_path, "migrate"), seconds=60)
    assert code == 0, output

    fake.user(9001, "Admin A")  # admins who have started the bot can be messaged
    fake.user(9002, "Admin B")
    code, output = await _finish(await _start(env, tmp_path, "check"), seconds=60)
    assert code == 0, output
    for part in ("settings", "database", "telegram", "channel", "admins", "photo store"):
        assert part in output
    assert "@vodiy_test_bot" in output
    assert "inline mode off (BotFather: /setinline)" in output
    assert TOKEN not in output

    fake.supports_inline_queries = True  # the owner sent BotFather /setinline
    code, output = await _finish(await _start(env, tmp_path, "check"), seconds=60)
    assert code == 0, output
    assert "inline mode on" in output

    fake.channel.bot_status = "member"  # the bot was demoted: it cannot post any more
    code, output = await _finish(await _start(env, tmp_path, "check"), seconds=60)
    assert code == 1
    assert "FAIL  channel" in output


async def test_check_prints_a_fail_line_when_the_photo_store_is_down(
    fake: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = bot_env(fake, db_url, tmp_path / "data") | {
        "S3_BUCKET": "photos",
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_ACCESS_KEY_ID": "key",
        "AWS_SECRET_ACCESS_KEY": "secret-never-printed",
        "LOG_LEVEL": "INFO",  # botocore's DEBUG lines carry the tracebacks it retried past
    }
    code, output = await _finish(await _start(env, tmp_path, "migrate"), seconds=60)
    assert code == 0, output
    fake.user(9001, "Admin A")
    fake.user(9002, "Admin B")
    code, output = await _finish(await _start(env, tmp_path, "check"), seconds=90)
    assert code == 1, output
    assert "FAIL  photo store" in output
    assert "Traceback" not in output
    assert "secret-never-printed" not in output

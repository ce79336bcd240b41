"""A refusing channel and approved ads without a post show in `GET /health`'s report and in
`vodiy-bozor check`, from the state every instance shares in PostgreSQL."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.conftest import ADMIN_A, ADMIN_B, CHANNEL, bot_env
from tests.fake_telegram import FakeTelegram
from vodiy_bozor.config import Settings
from vodiy_bozor.db import channel as db_channel
from vodiy_bozor.db.pool import create_pool
from vodiy_bozor.runtime.check import run_check
from vodiy_bozor.runtime.health import Health


async def refusing_with_an_ad_in_doubt(db: asyncpg.Connection[Any]) -> int:
    await db.execute("INSERT INTO users (id, first_name) VALUES (5, 'S')")
    ad_id: int = await db.fetchval(
        """
        INSERT INTO ads (owner_id, status, category, description, region, phone, decided_at)
        VALUES (5, 'approved', 'other', 'x', 'fergana', '+998901112233', now()) RETURNING id
        """
    )
    await db.execute(
        """
        INSERT INTO outbox (chat, kind, ad_id, status, last_error, done_at)
        VALUES ($1, 'channel_post', $2, 'unknown', 'outcome unknown: timeout', now())
        """,
        CHANNEL,
        ad_id,
    )
    async with db.transaction():
        await db_channel.refused(
            db,
            CHANNEL,
            "rights",
            "Bad Request: need administrator rights in the channel chat",
            remind_after=3600,
        )
    return ad_id


async def test_health_shows_the_channel_refusing_and_the_ads_without_a_post(
    db: asyncpg.Connection[Any], db_url: str
) -> None:
    pool = await create_pool(db_url, min_size=1, max_size=2)
    try:
        health = Health(db=pool, handled=lambda: 0, in_flight=lambda: 0, started=time.monotonic())
        report = await health.report()
        assert report.body["channel"] == {
            "accepts_posts": True,
            "refusing": [],
            "approved_without_post": 0,
        }
        await refusing_with_an_ad_in_doubt(db)
        report = await health.report()
    finally:
        await pool.close()
    assert report.status == 200  # the instance still answers people; the posts wait
    channel = report.body["channel"]
    assert channel["accepts_posts"] is False
    assert channel["approved_without_post"] == 1
    [refusing] = channel["refusing"]
    assert refusing["chat"] == CHANNEL
    assert refusing["reason"] == "rights"
    assert "need administrator rights" in refusing["telegram_said"]
    assert refusing["seconds"] >= 0


async def test_check_fails_while_the_channel_refuses_and_names_the_ads(
    fake: FakeTelegram,
    db: asyncpg.Connection[Any],
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake.user(ADMIN_A, "Admin A")
    fake.user(ADMIN_B, "Admin B")
    settings = Settings.from_env(bot_env(fake, db_url, tmp_path))
    assert await run_check(settings) == 0
    assert "ok    publishing" in capsys.readouterr().out

    ad_id = await refusing_with_an_ad_in_doubt(db)
    assert await run_check(settings) == 1
    [line] = [x for x in capsys.readouterr().out.splitlines() if "publishing" in x]
    assert line.startswith("FAIL  publishing")
    assert f"{CHANNEL} refuses posts since" in line
    assert "need administrator rights" in line
    assert f"#{ad_id}" in line

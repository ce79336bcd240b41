"""`/metrics`: Bot API calls counted by method and result as they pass through the session,
the outbox's backlog and the channel's state read from PostgreSQL, in Prometheus' text format."""

from __future__ import annotations

from typing import Any

import aiohttp
import asyncpg
import pytest
from aiogram import Bot
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)

from tests.conftest import CHANNEL
from tests.fake_telegram import FakeTelegram
from vodiy_bozor.db import channel as db_channel
from vodiy_bozor.db import outbox as db_outbox
from vodiy_bozor.runtime.metrics import Metrics, database_refresh, listening, start_listener
from vodiy_bozor.telegram.session import JsonSession


async def scrape(url: str) -> str:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        assert response.status == 200
        assert response.content_type == "text/plain"
        return await response.text()


async def test_metrics_count_real_calls_and_read_the_shared_state(
    fake: FakeTelegram, db: asyncpg.Connection[Any], db_url: str
) -> None:
    metrics = Metrics()
    Metrics()  # another app in the same process: registries of their own, no clash
    session = JsonSession(api=TelegramAPIServer.from_base(fake.url), metrics=metrics)
    bot = Bot(fake.token, session=session)
    alice = fake.user(42, "Alice")
    try:
        await bot.get_me()
        await bot.send_message(alice.id, "salom")
        with pytest.raises(TelegramBadRequest):
            await bot.send_message(999_999, "nobody")
        fake.flood(3, methods=["sendMessage"])
        with pytest.raises(TelegramRetryAfter):
            await bot.send_message(alice.id, "too fast")
        fake.block(alice.id)
        with pytest.raises(TelegramForbiddenError):
            await bot.send_message(alice.id, "blocked")
        fake.fail_with(502, methods=["getMe"], times=1)
        with pytest.raises(TelegramServerError):
            await bot.get_me()
        fake.lose_answers(["sendMessage"])
        with pytest.raises(TelegramNetworkError):
            await bot.send_message(CHANNEL, "lost")
    finally:
        await session.close()

    # What waits in PostgreSQL: two posts for a channel that refuses.
    await db_outbox.enqueue(db, CHANNEL, "channel_post")
    await db_outbox.enqueue(db, CHANNEL, "channel_post")
    async with db.transaction():
        await db_channel.refused(db, CHANNEL, "rights", "need rights", remind_after=3600)

    runner = await start_listener(metrics, "127.0.0.1", 0, database_refresh(metrics, db, CHANNEL))
    try:
        host, port = listening(runner)
        text = await scrape(f"http://{host}:{port}/metrics")
    finally:
        await runner.cleanup()

    for line in (
        'vodiy_bot_api_calls_total{method="getMe",result="ok"} 1.0',
        'vodiy_bot_api_calls_total{method="getMe",result="5xx"} 1.0',
        'vodiy_bot_api_calls_total{method="sendMessage",result="ok"} 1.0',
        'vodiy_bot_api_calls_total{method="sendMessage",result="400"} 1.0',
        'vodiy_bot_api_calls_total{method="sendMessage",result="429"} 1.0',
        'vodiy_bot_api_calls_total{method="sendMessage",result="403"} 1.0',
        'vodiy_bot_api_calls_total{method="sendMessage",result="network"} 1.0',
        'vodiy_outbox_pending{kind="channel_post"} 2.0',
        'vodiy_outbox_pending{kind="owner_published"} 0.0',
        f'vodiy_channel_accepts_posts{{channel="{CHANNEL}"}} 0.0',
        "vodiy_database_up 1.0",
    ):
        assert line in text.splitlines(), line
    assert 'vodiy_bot_api_call_seconds_count{method="sendMessage"} 5.0' in text
    age = next(
        float(line.split()[-1])
        for line in text.splitlines()
        if line.startswith('vodiy_outbox_oldest_age_seconds{kind="channel_post"}')
    )
    assert age >= 0.0


async def test_updates_handler_time_and_jobs_are_counted() -> None:
    metrics = Metrics()
    metrics.update_handled("message", 0.012)
    metrics.update_handled("message", 0.3)
    metrics.update_handled("callback_query", 0.004)
    metrics.job_ran("repost")
    metrics.job_ran("repost", "idle")
    runner = await start_listener(metrics, "127.0.0.1", 0)
    try:
        host, port = listening(runner)
        text = await scrape(f"http://{host}:{port}/metrics")
    finally:
        await runner.cleanup()
    lines = text.splitlines()
    assert 'vodiy_updates_total{type="message"} 2.0' in lines
    assert 'vodiy_handler_seconds_bucket{le="0.025",type="message"} 1.0' in lines
    assert 'vodiy_handler_seconds_count{type="callback_query"} 1.0' in lines
    assert 'vodiy_job_runs_total{job="repost",outcome="idle"} 1.0' in lines

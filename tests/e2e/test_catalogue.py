"""The catalogue Mini App in the running program (polling mode): WEBAPP_URL switches the entry
points on (the chat's menu button, 🛍 in the main menu, a button under search results) and
WEBAPP_PORT serves the page and its API beside polling. Without them nothing changes."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import RunningBot, bot_env
from tests.e2e.seeding import publish
from tests.fake_telegram import FakeTelegram
from tests.webapp.catalogue_setup import init_data
from vodiy_bozor.bot import keyboards
from vodiy_bozor.config import Settings

CATALOGUE = "https://shop.example.uz/catalogue/"


def forget_catalogue() -> None:
    """The keyboards keep the catalogue's address for the process (set when a dispatcher is
    built): a test that switched it on switches it off for the tests after it."""
    keyboards.use_catalogue(None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
async def shop_bot(
    fake: FakeTelegram, db_url: str, tmp_path: Path
) -> AsyncIterator[tuple[RunningBot, int]]:
    port = free_port()
    env = bot_env(fake, db_url, tmp_path, WEBAPP_URL=CATALOGUE, WEBAPP_PORT=str(port))
    bot = RunningBot(Settings.from_env(env))
    await bot.start()
    await fake.wait_call("getUpdates", timeout=10)
    try:
        yield bot, port
    finally:
        await bot.stop()
        forget_catalogue()


async def test_webapp_url_switches_the_entry_points_on_and_the_port_serves_it(
    shop_bot: tuple[RunningBot, int], fake: FakeTelegram
) -> None:
    running_bot, port = shop_bot
    assert fake.menu_buttons[None]["type"] == "web_app"
    assert fake.menu_buttons[None]["web_app"]["url"] == CATALOGUE

    buyer = fake.user(600, "Buyer")
    await buyer.send("/start")
    await buyer.wait_message(timeout=10)
    keyboard = buyer.reply_keyboard
    assert keyboard is not None
    assert "🛍 Каталог" in [label for row in keyboard for label in row]
    await buyer.send("🛍 Каталог")
    answer = await buyer.wait_message(contains="Каталог", timeout=10)
    assert answer.inline_buttons[0][0]["web_app"] == {"url": CATALOGUE}

    ad_id, _ = await publish(running_bot, fake, 501, "Дазмол Philips, янги")
    # Published once the post is recorded: the owner's notice is queued in that transaction.
    await fake.user(501).wait_message(contains=f"(#{ad_id})", timeout=10)
    await buyer.send("/search dazmol")
    page = await buyer.wait_message(contains="Philips", timeout=10)
    assert {"url": CATALOGUE} in [b.get("web_app") for row in page.inline_buttons for b in row]

    base = f"http://127.0.0.1:{port}/catalogue/"
    async with aiohttp.ClientSession() as http:
        async with http.get(base) as r:
            assert r.status == 200
            assert 'type="search"' in await r.text()
        headers = {"Authorization": "tma " + init_data(600)}
        async with http.get(base + "api/ads", params={"q": "dazmol"}, headers=headers) as r:
            assert [item["id"] for item in (await r.json())["items"]] == [ad_id]
        async with http.get(base + "api/ads") as r:
            assert r.status == 401


async def test_without_webapp_settings_the_bot_has_no_catalogue(
    running_bot: RunningBot, fake: FakeTelegram
) -> None:
    assert fake.menu_buttons == {}
    buyer = fake.user(600, "Buyer")
    await buyer.send("/start")
    await buyer.wait_message(timeout=10)
    keyboard = buyer.reply_keyboard
    assert keyboard is not None
    assert not any("🛍" in label for row in keyboard for label in row)
    ad_id, _ = await publish(running_bot, fake, 501, "Дазмол Philips, янги")
    # Published once the post is recorded: the owner's notice is queued in that transaction.
    await fake.user(501).wait_message(contains=f"(#{ad_id})", timeout=10)
    await buyer.send("/search dazmol")
    page = await buyer.wait_message(contains="Philips", timeout=10)
    assert not any("web_app" in b for row in page.inline_buttons for b in row)


async def test_webhook_mode_serves_the_catalogue_on_the_webhook_server(
    fake: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    port = free_port()
    env = bot_env(
        fake,
        db_url,
        tmp_path,
        WEBHOOK_URL=f"http://127.0.0.1:{port}/tg/hook",
        WEBHOOK_SECRET="hook-secret",
        WEBHOOK_PORT=str(port),
        WEBAPP_URL=CATALOGUE,
    )
    bot = RunningBot(Settings.from_env(env))
    await bot.start()
    try:
        await fake.wait_call("setWebhook", ok=True, timeout=10)
        assert fake.menu_buttons[None]["web_app"]["url"] == CATALOGUE
        base = f"http://127.0.0.1:{port}/catalogue/"
        async with aiohttp.ClientSession() as http:
            async with http.get(base) as r:
                assert r.status == 200
                assert 'type="search"' in await r.text()
            headers = {"Authorization": "tma " + init_data(600)}
            async with http.get(base + "api/ads", headers=headers) as r:
                assert r.status == 200
                assert (await r.json())["items"] == []
            # The webhook and /health are still where they were.
            async with http.get(f"http://127.0.0.1:{port}/health") as r:
                assert r.status == 200
            async with http.post(f"http://127.0.0.1:{port}/tg/hook", json={}) as r:
                assert r.status == 403
    finally:
        await bot.stop()
        forget_catalogue()

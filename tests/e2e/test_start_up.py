"""Start-up without garbage collection, and serving with it (runtime/serve.py).

`python -m vodiy_bozor run` turns the collector off before anything heavy is imported
(`tests/e2e/test_cli.py` checks that in a real process, by its start-up log line); here the
bot runs in this process, as in the other end-to-end tests.
"""

from __future__ import annotations

import gc
from pathlib import Path

from tests.conftest import RunningBot, bot_env
from tests.fake_telegram import FakeTelegram
from vodiy_bozor.config import Settings


async def test_serving_freezes_start_up_and_turns_collection_back_on(
    fake: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    bot = RunningBot(Settings.from_env(bot_env(fake, db_url, tmp_path)))
    gc.disable()  # as `vodiy_bozor.__main__` leaves it for `run`
    try:
        frozen_before = gc.get_freeze_count()
        await bot.start()
        await fake.wait_call("getUpdates", timeout=10)
        assert gc.isenabled(), "serving must not go on without garbage collection"
        assert gc.get_freeze_count() > frozen_before, "what start-up built was not frozen"
        person = fake.user(7001, "Ali")
        await person.send("/start")
        await person.wait_message(contains="Ali", timeout=10)
    finally:
        gc.enable()
        await bot.stop()

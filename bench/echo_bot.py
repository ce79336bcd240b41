"""The framework's floor: a bare aiogram echo bot, run the same way as ours.

`python -m bench.echo_bot` with API_TOKEN and TELEGRAM_API_URL in the environment. It polls,
replies to every message with its text (or caption), and answers every callback query: one
Bot API call per update, no database, no state. It polls with the same settings as
`vodiy_bozor.runtime.serve` (handlers as tasks, at most `HANDLER_CONCURRENCY` at once) and the same
event loop choice as `vodiy_bozor.__main__`, so the ratio of the two measures our own code.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Coroutine
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, Message

# The same bound as vodiy_bozor.runtime.serve.HANDLER_CONCURRENCY (not imported: importing our
# package would add its import time to the baseline's start-up).
HANDLER_CONCURRENCY = 100


def build_dispatcher() -> Dispatcher:
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or message.caption or "🖼", parse_mode=None)

    @dp.callback_query()
    async def answer(query: CallbackQuery) -> None:
        await query.answer()

    return dp


async def main() -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_URL"]))
    bot = Bot(os.environ["API_TOKEN"], session=session, default=DefaultBotProperties())
    dp = build_dispatcher()
    # start_polling stops on SIGTERM/SIGINT by itself (handle_signals defaults to True).
    await dp.start_polling(
        bot,
        tasks_concurrency_limit=HANDLER_CONCURRENCY,
        allowed_updates=dp.resolve_used_update_types(),
    )


def _run(body: Coroutine[Any, Any, None], *, uvloop_allowed: bool) -> None:
    if uvloop_allowed:
        try:
            import uvloop
        except ImportError:
            pass
        else:
            uvloop.run(body)
            return
    asyncio.run(body)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-uvloop", action="store_true", help="use asyncio's own event loop")
    args = parser.parse_args()
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "WARNING"), stream=sys.stderr)
    _run(main(), uvloop_allowed=not args.no_uvloop)

"""`uv run python -m bench.inprocess`: the bot's own cost per update, without HTTP.

The throughput phase of `python -m bench` runs three processes (the bot, PostgreSQL, the fake
Bot API and the simulated people) on two cores, and its figures swing by a third between runs of
the same code. This runs the real app (dispatcher, middlewares, handlers, services, a real
database) in one process and feeds it the throughput phase's dialog (`bench.load.DIALOG`: eleven
updates per seller, every seller taking each step at once). Each Bot API call is built and its
canned answer parsed exactly as aiogram does, but nothing is sent. It prints CPU per update, Bot
API calls and SQL statements per update, and garbage collection's share.

With `--callgrind` it must run under valgrind and counts only the fed updates' instructions:

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.out \\
        .venv/bin/python -m bench.inprocess --callgrind

Instructions do not depend on what else the machine runs: the same code gives the same count
within about 1%, so two versions can be compared on a busy machine
(https://valgrind.org/docs/manual/cl-manual.html). `Collected` in valgrind's summary, divided by
the updates printed, is the figure.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import itertools
import os
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import uvloop
from aiogram import Bot
from aiogram.methods import (
    EditMessageReplyMarkup,
    EditMessageText,
    GetMe,
    GetUpdates,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import InlineKeyboardMarkup, Update

from bench.database import BenchDatabase
from vodiy_bozor.app import open_app
from vodiy_bozor.bot.callbacks import DraftAction, DraftCb
from vodiy_bozor.config import Settings
from vodiy_bozor.models import Category, Region
from vodiy_bozor.runtime.serve import settle_process
from vodiy_bozor.telegram.session import JsonSession

BOT_ID = 123456
_ids = itertools.count(1000)


class CannedSession(JsonSession):
    """Builds each call's body and parses a canned answer, as aiogram's session does, without
    HTTP. Counts the calls by method."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: Counter[str] = Counter()

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109 - aiogram's signature
    ) -> Any:
        self.calls[method.__api_method__] += 1
        self.build_form_data(bot, method)
        body = orjson.dumps({"ok": True, "result": _answer(method)})
        return self.check_response(bot, method, 200, body.decode()).result


def _message(chat: int, **content: Any) -> dict[str, Any]:
    return {
        "message_id": next(_ids),
        "date": 1_700_000_000,
        "chat": {"id": chat, "type": "private"},
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Bot"},
        **content,
    }


def _answer(method: TelegramMethod[Any]) -> Any:
    """What Telegram answers `method` with: the sent message (with its inline keyboard, as
    Telegram echoes it), or True."""
    if isinstance(method, GetMe):
        return {"id": BOT_ID, "is_bot": True, "first_name": "Bot", "username": "vodiy_bot"}
    if isinstance(method, SendMediaGroup):
        return [_message(-1, photo=[_photo("p")]) for _ in method.media]
    if not isinstance(method, SendMessage | SendPhoto | EditMessageText | EditMessageReplyMarkup):
        return True
    chat = method.chat_id if isinstance(method.chat_id, int) else -1
    content: dict[str, Any] = {}
    if isinstance(method, SendPhoto):
        content = {"photo": [_photo("p")], "caption": method.caption}
    elif isinstance(method, SendMessage | EditMessageText):
        content = {"text": method.text}
    if isinstance(method.reply_markup, InlineKeyboardMarkup):
        content["reply_markup"] = method.reply_markup.model_dump(exclude_none=True)
    return _message(chat, **content)


def _photo(file_id: str) -> dict[str, Any]:
    return {"file_id": file_id, "file_unique_id": file_id, "width": 800, "height": 600}


def dialog(user_id: int) -> list[dict[str, Any]]:
    """One seller's eleven updates, as `bench.load.DIALOG` sends them."""
    user = {"id": user_id, "is_bot": False, "first_name": "S", "language_code": "uz"}
    chat = {"id": user_id, "type": "private", "first_name": "S"}

    def says(**content: Any) -> dict[str, Any]:
        message = {"message_id": next(_ids), "date": 1_700_000_000, "chat": chat, "from": user}
        return {"message": {**message, **content}}

    def presses(data: DraftCb) -> dict[str, Any]:
        under = _message(user_id, text="?", reply_markup={"inline_keyboard": [[]]})
        under["reply_markup"]["inline_keyboard"] = [
            [{"text": f"{i}", "callback_data": f"x{i}"}] for i in range(12)
        ]
        query = {"id": str(next(_ids)), "from": user, "chat_instance": "c", "data": data.pack()}
        return {"callback_query": {**query, "message": under}}

    command = [{"type": "bot_command", "offset": 0, "length": 6}]
    return [
        says(text="/start", entities=command),
        says(text="📝 Эълон бериш"),
        presses(DraftCb(action=DraftAction.CATEGORY, category=Category.PHONES)),
        says(photo=[_photo(f"f{user_id}")]),
        presses(DraftCb(action=DraftAction.PHOTOS_DONE)),
        says(text="Самсунг A52, 128 GB, қутиси ва зарядкаси бор. Ҳолати зўр, тирналмаган!"),
        says(text="12,5 млн"),
        presses(DraftCb(action=DraftAction.REGION, region=Region.FERGANA)),
        presses(DraftCb(action=DraftAction.SKIP_DISTRICT)),
        says(text="90 123-45-67"),
        presses(DraftCb(action=DraftAction.SUBMIT)),
    ]


async def run(sellers: int, profile: Path | None, callgrind: bool) -> None:
    async with BenchDatabase() as database:
        settings = Settings.from_env(
            {
                "API_TOKEN": f"{BOT_ID}:inprocess",
                "CHANNEL_ID": "-1001234567890",
                "ADMIN_IDS": "1,2",
                "TELEGRAM_API_URL": "http://127.0.0.1:9",  # never called
                "DATABASE_URL": database.url,
                "DATA_DIR": f"/tmp/{database.name}",
                "LOG_LEVEL": "WARNING",
            }
        )
        async with open_app(settings) as app:
            session = CannedSession()
            app.bot.session = session
            dp = app.dispatcher()
            settle_process()  # as `serve` does before the first update
            users = itertools.count(10_000_000)
            statements: Counter[str] = Counter()

            async def feed(count: int) -> int:
                dialogs = [dialog(next(users)) for _ in range(count)]
                fed = 0
                for step in range(len(dialogs[0])):
                    raw = [{"update_id": next(_ids), **d[step]} for d in dialogs]
                    for start in range(0, len(raw), 100):  # getUpdates gives 100 at most
                        body = orjson.dumps({"ok": True, "result": raw[start : start + 100]})
                        answer = session.check_response(app.bot, GetUpdates(), 200, body.decode())
                        updates: list[Update] = answer.result or []
                        await asyncio.gather(*(dp.feed_update(app.bot, u) for u in updates))
                        fed += len(updates)
                return fed

            await feed(20)  # every first use (models, statements, caches) before measuring
            session.calls.clear()
            # asyncpg has no pool-wide query logger: each connection gets one (counting only).
            holders: list[Any] = app.pool._holders  # type: ignore[attr-defined]
            for holder in holders:
                if holder._con is not None:
                    holder._con.add_query_logger(
                        lambda logged: statements.update([" ".join(logged.query.split())[:72]])
                    )
            collections = {"seconds": 0.0, "began": 0.0, "runs": 0.0}

            def timed(phase: str, info: dict[str, Any]) -> None:
                if phase == "start":
                    collections["began"] = time.perf_counter()
                else:
                    collections["seconds"] += time.perf_counter() - collections["began"]
                    collections["runs"] += 1

            gc.callbacks.append(timed)
            profiler = cProfile.Profile() if profile else None
            if callgrind:
                _instrument("on")
            cpu = time.process_time()
            if profiler:
                profiler.enable()
            fed = await feed(sellers)
            if profiler:
                profiler.disable()
            cpu = time.process_time() - cpu
            if callgrind:
                _instrument("off")
            gc.callbacks.remove(timed)
            await asyncio.sleep(0.1)  # asyncpg calls query loggers soon after, not at once
            if profiler and profile:
                profiler.dump_stats(profile)
            ads = await app.pool.fetchval("SELECT count(*) FROM ads")
        print(f"updates: {fed} from {sellers} sellers ({ads} ads stored in all)")
        print(f"CPU per update: {cpu / fed * 1e3:.3f} ms (this process's CPU time)")
        print(
            f"garbage collection: {collections['seconds'] / fed * 1e6:.1f} µs per update"
            f" ({collections['runs']:.0f} collections)"
        )
        print("Bot API calls per update: " + _per(session.calls, fed))
        print(f"SQL statements per update: {sum(statements.values()) / fed:.2f}")
        for query, count in statements.most_common(12):
            print(f"  {count / fed:.3f}  {query}")


def _per(counts: Counter[str], updates: int) -> str:
    return ", ".join(f"{name} {count / updates:.2f}" for name, count in sorted(counts.items()))


def _instrument(state: str) -> None:
    """Turn callgrind's counting on or off for this process (callgrind_control)."""
    subprocess.run(["callgrind_control", "-i", state, str(os.getpid())], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sellers", type=int, default=300, help="dialogs fed (300)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the fed updates here")
    parser.add_argument(
        "--callgrind", action="store_true", help="count instructions (run under valgrind)"
    )
    args = parser.parse_args()
    uvloop.run(run(args.sellers, args.profile, args.callgrind))


if __name__ == "__main__":
    main()

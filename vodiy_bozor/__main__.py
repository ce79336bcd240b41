"""The command line: `vodiy-bozor [run|migrate|check]`, and `vodiy-bozor assistant ...`.

Exit codes: 0 on success (including a stop by SIGTERM or Ctrl-C), 1 when `check` finds a
problem or the bot fails, 2 on a missing or invalid setting.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import signal
import sys
from collections.abc import Coroutine
from typing import Any

from vodiy_bozor.config import ConfigError, Settings, load_settings

log = logging.getLogger("vodiy_bozor")


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="vodiy-bozor", description="The Vodiy bozor classifieds bot."
    )
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=("run", "migrate", "check"),
        help="run: migrate, then serve updates (default); migrate: apply migrations and exit; "
        "check: verify settings, database, Telegram and the channel",
    )
    return parser.parse_args(argv)


def _run_async(main: Coroutine[Any, Any, int]) -> int:
    try:
        import uvloop
    except ImportError:  # not on Windows
        return asyncio.run(main)
    return uvloop.run(main)


async def _with_signals(body: Coroutine[Any, Any, int], stop: asyncio.Event) -> int:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return await body


async def _run(settings: Settings, stop: asyncio.Event) -> int:
    from vodiy_bozor.app import open_app
    from vodiy_bozor.runtime.serve import serve

    async with open_app(settings) as app:
        if not stop.is_set():
            await serve(app, stop)
    log.info("stopped")
    return 0


async def _migrate(settings: Settings) -> int:
    from vodiy_bozor.app import open_database

    async with open_database(settings):
        pass
    print("database is up to date")  # noqa: T201
    return 0


async def _check(settings: Settings) -> int:
    from vodiy_bozor.runtime.check import run_check

    return await run_check(settings)


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    if given[:1] == ["assistant"]:
        # The assistant's own command line (needs no bot settings for `eval`).
        from vodiy_bozor.assistant.evaluation import main as assistant_main

        return assistant_main(given[1:])
    args = _parse_args(argv)
    if args.command == "run":
        # No garbage collection while the bot starts: importing aiogram (from the logging set-up
        # on) and building the app make a few hundred thousand objects that live as long as the
        # process, and every collection meanwhile walked them again to free almost nothing
        # (four gen-2 passes of up to 230 ms, a third of the start-up's CPU). `serve` freezes
        # what start-up built and turns collection back on (`runtime.serve.end_start_up`), as
        # https://docs.python.org/3/library/gc.html#gc.freeze recommends.
        gc.disable()
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"vodiy-bozor: configuration error: {exc}", file=sys.stderr)  # noqa: T201
        return 2

    from vodiy_bozor.runtime.logs import setup_logging

    setup_logging(settings.log_level, settings.secrets)
    stop = asyncio.Event()
    try:
        if args.command == "migrate":
            return _run_async(_with_signals(_migrate(settings), stop))
        if args.command == "check":
            return _run_async(_with_signals(_check(settings), stop))
        return _run_async(_with_signals(_run(settings, stop), stop))
    except Exception:
        log.exception("fatal error")
        return 1


if __name__ == "__main__":
    sys.exit(main())

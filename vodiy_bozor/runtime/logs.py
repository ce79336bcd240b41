"""Logging set-up: one line per record, labelled with the update being handled, secrets redacted.

The redaction is the last line of defence: secrets are never passed to a logger on purpose, but
a library may put a request URL (which holds the bot token) into an exception message.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable

from vodiy_bozor.bot.middlewares import current_update_id

FORMAT = "%(asctime)s %(levelname)-7s %(name)s%(update)s: %(message)s"


class _UpdateLabel(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        update_id = current_update_id.get()
        record.update = f" [update {update_id}]" if update_id is not None else ""
        return True


class RedactingFormatter(logging.Formatter):
    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        # Longest first, so a secret that contains another is replaced whole.
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


def setup_logging(level: str, secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(FORMAT, secrets))
    handler.addFilter(_UpdateLabel())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # aiogram logs every handled update at INFO ("Update id=... is handled"): that is noise at
    # a thousand updates per second; its warnings and errors still come through.
    if level != "DEBUG":
        logging.getLogger("aiogram.event").setLevel(logging.WARNING)

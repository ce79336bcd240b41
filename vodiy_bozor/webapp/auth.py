"""Who is asking: the Mini App's init data, checked as Telegram specifies.

Telegram signs the launch data it gives the page (`tgWebAppData`): the data-check string is
every field but `hash`, sorted by name, as `key=value` lines; the key is HMAC-SHA256 of the
bot token keyed with "WebAppData"; `hash` is the hex HMAC-SHA256 of the data-check string.
https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app
aiogram implements exactly that (`safe_parse_webapp_init_data`, compared in constant time).
The page sends the data with every API request as `Authorization: tma <init data>`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Final

from aiogram.utils.web_app import safe_parse_webapp_init_data

SCHEME: Final = "tma "
# Telegram's advice is to refuse outdated data; a day covers a Mini App left open all day.
MAX_AGE: Final = 24 * 3600
# A clock a little ahead of ours is not an attack; data from further in the future is.
CLOCK_SKEW: Final = 300
# Real init data is about 0.5 KB (a user object, a few ids, two signatures).
MAX_LENGTH: Final = 4096


@dataclass(frozen=True, slots=True)
class Buyer:
    id: int
    language_code: str | None
    username: str | None


class NotAuthorised(Exception):
    """Missing, malformed, forged or expired init data. The reason is for the log only."""


def buyer_from_header(header: str | None, token: str, *, now: float | None = None) -> Buyer:
    if not header or not header.startswith(SCHEME):
        raise NotAuthorised("no tma authorization")
    init_data = header[len(SCHEME) :].strip()
    if not init_data or len(init_data) > MAX_LENGTH:
        raise NotAuthorised("init data empty or too long")
    try:
        data = safe_parse_webapp_init_data(token, init_data)
    except ValueError as exc:  # a bad signature, or fields that are not what Telegram sends
        raise NotAuthorised("init data not signed by Telegram for this bot") from exc
    moment = now if now is not None else time.time()
    signed = data.auth_date.timestamp()
    if moment - signed > MAX_AGE or signed - moment > CLOCK_SKEW:
        raise NotAuthorised("init data expired")
    if data.user is None:
        # Init data without a user comes from other launch places (an attachment menu in a
        # group); the catalogue needs a person.
        raise NotAuthorised("init data without a user")
    return Buyer(data.user.id, data.user.language_code, data.user.username)

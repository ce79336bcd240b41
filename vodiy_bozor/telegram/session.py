"""The HTTP session to the Bot API: aiogram's, with JSON request bodies and orjson.

aiogram sends every call as a form: each nested value (a keyboard, a media list) is dumped to a
JSON string, the form is URL-encoded, and the whole is built through aiohttp's FormData. The
Bot API takes `application/json` bodies for every call that uploads no file
(https://core.telegram.org/bots/api#making-requests), and one `json.dumps` of the call is
several times cheaper: the benchmark measured the form building at about a twentieth of the
bot's CPU per update. Calls that upload files still go out as aiogram's multipart form.

orjson parses the answers (every `getUpdates` batch included) and writes the bodies, as UTF-8
rather than the standard library's `\\uXXXX` escapes, which more than doubled the size of
every Cyrillic text.

Every call the bot makes passes through `make_request`, so this is where the metrics count
calls by method and result (`metrics`, optional: set it when the session is made or later).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import orjson
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramConflictError
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiohttp import BytesPayload, FormData

if TYPE_CHECKING:
    from aiogram import Bot

    from vodiy_bozor.runtime.metrics import Metrics


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def _without_keyboards(value: Any) -> None:
    """Drop `reply_markup` from a message, or from the message of each update's button press."""
    if isinstance(value, dict):
        value.pop("reply_markup", None)
        pressed = value.get("callback_query")
        if isinstance(pressed, dict) and isinstance(pressed.get("message"), dict):
            pressed["message"].pop("reply_markup", None)


def _loads(content: str | bytes) -> Any:
    """Telegram's answer, parsed, with the inline keyboards left out of the messages in it.

    aiogram validates every answer into pydantic models, and a message's keyboard is most of
    that work: a 14-button keyboard takes 57 µs, three times the rest of the message (measured
    with pydantic 2.12). Telegram echoes back the keyboard of every message the bot sends or
    edits, and the message under every pressed button, while the bot never reads a keyboard
    back: it always knows which keyboard it sent. The same parser reads the updates posted to
    the webhook (aiogram's request handler uses the session's `json_loads`)."""
    parsed = orjson.loads(content)
    if isinstance(parsed, dict):
        result = parsed.get("result", parsed)  # an answer, or an update posted to the webhook
        if isinstance(result, list):
            for item in result:
                _without_keyboards(item)
        else:
            _without_keyboards(result)
    return parsed


# aiogram parses each answer as `Response[method.__returning__]`, a pydantic generic model made
# on first use. pydantic keeps the generic models it made only weakly
# (https://github.com/pydantic/pydantic/pull/6681), so once nothing else holds one, a garbage
# collection frees it and the next call builds it again, schema and validator included: a few
# milliseconds each time (one call in sixteen, in a profile of the ad dialog without this).
# The models of the answers this bot gets are held here for the process's life.
_ANSWER_MODELS: dict[Any, type[Response[Any]]] = {}


def answer_model(method: type[TelegramMethod[Any]] | TelegramMethod[Any]) -> type[Response[Any]]:
    """The model aiogram parses `method`'s answers with, built once and held."""
    returning = method.__returning__
    model = _ANSWER_MODELS.get(returning)
    if model is None:
        model = _ANSWER_MODELS[returning] = Response[returning]  # type: ignore[valid-type]
    return model


class JsonSession(AiohttpSession):
    def __init__(self, *, metrics: Metrics | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("json_loads", _loads)
        kwargs.setdefault("json_dumps", _dumps)
        super().__init__(**kwargs)
        self.metrics = metrics
        # Called when Telegram answers 409 Conflict: another process takes this bot's updates
        # (a second poller, or a webhook set), so nothing this one remembers is certain.
        self.on_conflict: Callable[[], None] | None = None

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - aiogram's signature, overridden
    ) -> TelegramType:
        """aiogram's request, counted: by method, and by Telegram's answer or the failure."""
        metrics = self.metrics
        began = time.monotonic()
        try:
            result = await super().make_request(bot, method, timeout)
        except asyncio.CancelledError:
            raise  # the bot stopping (or a long poll given up) is not Telegram's answer
        except Exception as exc:
            if isinstance(exc, TelegramConflictError) and self.on_conflict is not None:
                self.on_conflict()
            if metrics is not None:
                metrics.api_call(method.__api_method__, exc, time.monotonic() - began)
            raise
        if metrics is not None:
            metrics.api_call(method.__api_method__, None, time.monotonic() - began)
        return result

    def check_response(
        self, bot: Bot, method: TelegramMethod[TelegramType], status_code: int, content: str
    ) -> Response[TelegramType]:
        """aiogram's check, with the answer's model held (see `_ANSWER_MODELS`)."""
        answer_model(method)
        return super().check_response(bot, method, status_code, content)

    async def close(self) -> None:
        """aiogram's close, without its 250 ms sleep when nothing can be encrypted: the sleep
        lets SSL connections finish closing
        (https://docs.aiohttp.org/en/stable/client_advanced.html#graceful-shutdown), and a Bot
        API server reached over plain HTTP, with no proxy, has none. A bot has two sessions, so
        every stop waited half a second for nothing."""
        session = self._session
        if self.api.base.startswith("http://") and self.proxy is None and session is not None:
            await session.close()  # aiogram's close then finds it closed and does not sleep
        await super().close()

    # aiogram's make_request posts whatever this returns as the body (`data=`), and aiohttp
    # takes any payload there; so only the body changes, and aiogram's request, timeout and
    # error mapping stay as they are.
    def build_form_data(  # type: ignore[override]
        self, bot: Bot, method: TelegramMethod[Any]
    ) -> FormData | BytesPayload:
        """The call as one JSON object; aiogram's multipart form when it uploads a file."""
        files: dict[str, Any] = {}
        body: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False, exclude_none=True).items():
            # aiogram's own preparation (defaults such as parse_mode resolved, enums and
            # nested objects turned into plain values), left unencoded.
            prepared = self.prepare_value(value, bot=bot, files=files, _dumps_json=False)
            if prepared is None or prepared == "":
                continue  # what aiogram's form leaves out too
            body[key] = prepared
        if files:
            return super().build_form_data(bot, method)
        return BytesPayload(orjson.dumps(body), content_type="application/json")

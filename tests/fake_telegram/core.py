"""The fake Bot API's vocabulary: Telegram's limits and messages, the parameters' kinds, errors,
calls, faults, files and chats as the fake holds them, and reading a call's parameters."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypeVar

import aiohttp

JSON = dict[str, Any]
T = TypeVar("T")

MAX_TEXT: Final = 4096  # https://core.telegram.org/bots/api#sendmessage
MAX_CAPTION: Final = 1024  # https://core.telegram.org/bots/api#sendphoto
MAX_CALLBACK_DATA_BYTES: Final = 64  # https://core.telegram.org/bots/api#inlinekeyboardbutton
MAX_DOWNLOAD: Final = 20 * 1024 * 1024  # getFile: "files of up to 20MB in size"
MAX_PHOTO_UPLOAD: Final = 10 * 1024 * 1024  # sendPhoto: "The photo must be at most 10 MB"
DELETE_WINDOW: Final = 48 * 3600  # deleteMessage: "sent less than 48 hours ago"

NOT_MODIFIED: Final = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD: Final = (
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)
WRONG_FILE: Final = "Bad Request: wrong file identifier/HTTP URL specified"
CONFLICT_POLL: Final = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
CONFLICT_WEBHOOK: Final = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Parameters that the Bot API takes as JSON-serialized objects (aiogram sends them as JSON
# strings inside the form).
_JSON_PARAMS: Final = _names(
    "reply_markup media entities caption_entities allowed_updates commands scope "
    "message_ids link_preview_options reply_parameters menu_button results permissions "
    "rights"
)
_INT_PARAMS: Final = _names(
    "offset limit timeout message_id user_id cache_time max_connections message_thread_id "
    "reply_to_message_id duration width height"
)
_BOOL_PARAMS: Final = _names(
    "drop_pending_updates disable_notification protect_content show_alert has_spoiler "
    "disable_web_page_preview show_caption_above_media remove_caption "
    "allow_sending_without_reply only_if_banned"
)
_CHAT_PARAMS: Final = frozenset({"chat_id", "from_chat_id"})
_INLINE_ACTIONS: Final = _names(
    "url callback_data web_app login_url switch_inline_query "
    "switch_inline_query_current_chat switch_inline_query_chosen_chat copy_text "
    "callback_game pay"
)
# What counts as "a message" for rate limits and reply latencies.
SEND_METHODS: Final = _names(
    "sendMessage sendPhoto sendMediaGroup sendDocument copyMessage copyMessages forwardMessage"
)
_EDIT_METHODS: Final = _names(
    "editMessageText editMessageCaption editMessageReplyMarkup editMessageMedia"
)
# What Telegram's rate limits count: every message, and every edit of one (a progress counter
# edited for each photo hits the limit like a new message would).
RATE_LIMITED_METHODS: Final = SEND_METHODS | _EDIT_METHODS
# Update types delivered when allowed_updates is empty or was never set.
_DEFAULT_EXCLUDED_UPDATES: Final = frozenset(
    {"chat_member", "message_reaction", "message_reaction_count"}
)
_CONTENT_KEYS: Final = _names(
    "text entities photo video document voice audio sticker animation contact location "
    "caption caption_entities has_media_spoiler show_caption_above_media"
)
_MEDIA_KEYS: Final = ("photo", "video", "document", "voice", "audio", "animation")
_DEFAULT_DESCRIPTIONS: Final = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
    504: "Gateway Timeout",
}


class ApiError(Exception):
    """An error answer of the Bot API: ``{"ok": false, "error_code": ..., ...}``."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


class UploadedFile(bytes):
    """Bytes of a multipart upload, remembering the file name the client gave."""

    filename: str

    def __new__(cls, data: bytes, filename: str) -> UploadedFile:
        obj = super().__new__(cls, data)
        obj.filename = filename
        return obj


@dataclass
class Call:
    """One Bot API request, in arrival order.

    ``params`` has JSON parameters decoded and uploads (also ``attach://`` ones) as bytes;
    ``at`` is ``time.monotonic()`` when the request arrived.  A call is recorded as soon as
    its parameters are read, so a waiting long poll is visible; ``response``, ``status`` and
    ``finished_at`` are filled in when it is answered (``pending`` until then).  Every method
    but getUpdates and setWebhook is answered before anyone waiting can observe it.
    """

    method: str
    params: dict[str, Any]
    at: float
    response: JSON = field(default_factory=dict)
    status: int = 0
    finished_at: float | None = None
    via_webhook_reply: bool = False
    # The call was performed, but its answer never reached the client (see lose_answers).
    answer_lost: bool = False
    # The connection was closed before the call was performed (see drop_connections).
    connection_dropped: bool = False
    # How the parameters came: "application/json", "multipart/form-data",
    # "application/x-www-form-urlencoded", or "" (none, or a webhook reply).
    content_type: str = ""

    @property
    def pending(self) -> bool:
        return self.finished_at is None

    @property
    def ok(self) -> bool:
        return self.response.get("ok") is True

    @property
    def result(self) -> Any:
        return self.response.get("result")

    @property
    def description(self) -> str | None:
        description = self.response.get("description")
        return description if isinstance(description, str) else None

    def __repr__(self) -> str:
        shown = _without_bytes(self.params)
        if self.pending:
            outcome = "(pending)"
        else:
            outcome = "ok" if self.ok else f"{self.status} {self.description}"
        return f"Call({self.method} {shown} -> {outcome})"


@dataclass
class Fault:
    """An injected failure; see :meth:`FakeTelegram.fail_with` and :meth:`FakeTelegram.flood`."""

    status: int
    description: str
    methods: frozenset[str] | None  # lower-cased names; None = every method but getUpdates
    times: int | None
    until: float | None
    retry_after: int | None = None
    chat_id: int | str | None = None
    hits: int = 0


@dataclass
class LostAnswer:
    """Calls performed, whose answer is then lost; see :meth:`FakeTelegram.lose_answers`."""

    methods: frozenset[str]  # lower-cased names
    times: int | None
    chat_id: int | str | None
    late: float | None  # None: the connection is dropped; else the answer comes this late
    hits: int = 0


@dataclass
class Hold:
    """Calls kept waiting before they are performed until the test releases them; see
    :meth:`FakeTelegram.hold_calls`."""

    methods: frozenset[str]  # lower-cased names
    chat_id: int | str | None
    arrived: asyncio.Event = field(default_factory=asyncio.Event)  # a matching call is waiting
    released: asyncio.Event = field(default_factory=asyncio.Event)
    hits: int = 0

    def release(self) -> None:
        """Let every call held, and every later matching one, go on."""
        self.released.set()


@dataclass
class Outage:
    """Connections dropped before the request is performed; see
    :meth:`FakeTelegram.drop_connections`."""

    methods: frozenset[str] | None  # lower-cased names; None = every method but getUpdates
    until: float | None  # time.monotonic() deadline
    times: int | None
    chat_id: int | str | None
    hits: int = 0


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str  # photo, document, voice, sticker, video
    data: bytes
    file_size: int
    file_name: str | None = None
    mime_type: str | None = None
    file_path: str | None = None  # assigned by getFile
    photo: list[JSON] | None = None  # the whole PhotoSize set a photo size belongs to


@dataclass
class ChatState:
    chat: JSON
    kind: Literal["private", "channel"]
    messages: dict[int, JSON] = field(default_factory=dict)  # current state, edits applied
    deleted: dict[int, JSON] = field(default_factory=dict)
    seq: dict[int, int] = field(default_factory=dict)  # bot message id -> global order
    keyboards: dict[int, JSON] = field(default_factory=dict)  # reply keyboards sent along
    reply_keyboard: JSON | None = None  # the reply keyboard the user currently sees
    next_message_id: int = 1

    @property
    def id(self) -> int:
        chat_id = self.chat["id"]
        assert isinstance(chat_id, int)
        return chat_id


@dataclass
class _QueuedUpdate:
    update: JSON
    kind: str
    chat_id: int | None
    handed_out_at: float | None = None


@dataclass
class _Webhook:
    url: str
    secret_token: str | None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None


_Handler = Callable[[JSON], Awaitable[Any]]


class _Unset:
    """Marker for "argument not given" where None is meaningful."""


_UNSET: Final = _Unset()


# ---------------------------------------------------------------------- module helpers


def _without_bytes(value: Any) -> Any:
    """``value`` with uploads shown as ``<N bytes>``, for readable reprs."""
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, dict):
        return {k: _without_bytes(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_bytes(v) for v in value]
    return value


def decode_params(raw: dict[str, Any]) -> JSON:
    """Turn form fields into Python values the way the Bot API reads each parameter.

    JSON parameters are decoded (left as the raw string if malformed, so the method answers
    with Telegram's parse error), integers and booleans converted, and ``attach://name``
    references replaced by the uploaded bytes.
    """
    uploads = {k: v for k, v in raw.items() if isinstance(v, bytes)}
    params: JSON = {}
    for key, value in raw.items():
        if isinstance(value, bytes):
            continue
        params[key] = _coerce(key, value)

    used: set[str] = set()

    def resolve(value: Any) -> Any:
        if isinstance(value, str) and value.startswith("attach://"):
            name = value.removeprefix("attach://")
            if name in uploads:
                used.add(name)
                return uploads[name]
        return value

    for key in list(params):
        params[key] = resolve(params[key])
    media = params.get("media")
    items = media if isinstance(media, list) else [media] if isinstance(media, dict) else []
    for item in items:
        if isinstance(item, dict):
            for key in ("media", "thumbnail", "cover"):
                if key in item:
                    item[key] = resolve(item[key])
    for name, data in uploads.items():
        if name not in used:
            params[name] = data
    return params


def _coerce(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value  # already typed (a JSON body or a webhook reply)
    if key in _JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError:
            return value
    if key in _INT_PARAMS or key in _CHAT_PARAMS:
        return int(value) if re.fullmatch(r"-?\d+", value.strip()) else value
    if key in _BOOL_PARAMS:
        lowered = value.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0", ""):
            return False
    return value


async def _read_webhook_reply(response: aiohttp.ClientResponse) -> JSON | None:
    """A method call in the webhook's answer, as JSON or (aiogram's choice) multipart."""
    content_type = response.content_type
    if content_type == "application/json":
        with contextlib.suppress(ValueError):
            body = await response.json()
            return decode_params(body) if isinstance(body, dict) else None
        return None
    if content_type == "multipart/form-data":
        raw: dict[str, Any] = {}
        reader = aiohttp.MultipartReader.from_response(response)
        while True:
            part = await reader.next()
            if part is None:
                break
            if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
                continue
            if part.filename is not None:
                raw[part.name] = UploadedFile(await part.read(), part.filename)
            else:
                raw[part.name] = await part.text()
        return decode_params(raw)
    return None

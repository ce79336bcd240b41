"""Which failures leave a channel post in doubt, and which refusals a person can fix."""

from __future__ import annotations

import aiohttp
import pytest
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramServerError,
)
from aiogram.methods import GetMe

from vodiy_bozor.delivery.outbox import maybe_performed, refusal_reason

METHOD = GetMe()


def network_error(cause: BaseException) -> TelegramNetworkError:
    """As aiogram's session raises it: `raise TelegramNetworkError(...) from e`."""
    try:
        raise TelegramNetworkError(method=METHOD, message=str(cause)) from cause
    except TelegramNetworkError as exc:
        return exc


def test_only_a_connection_never_opened_proves_nothing_was_sent() -> None:
    key = aiohttp.client_reqrep.ConnectionKey("h", 443, True, True, None, None, None)
    refused = aiohttp.ClientConnectorError(key, OSError(111, "Connection refused"))
    assert not maybe_performed(network_error(refused))
    assert not maybe_performed(network_error(aiohttp.ConnectionTimeoutError()))
    # The request went out; the answer did not come back.
    assert maybe_performed(network_error(aiohttp.ServerDisconnectedError()))
    assert maybe_performed(network_error(TimeoutError()))
    assert maybe_performed(network_error(aiohttp.SocketTimeoutError()))
    assert maybe_performed(network_error(aiohttp.ClientPayloadError("cut")))
    assert maybe_performed(TelegramNetworkError(method=METHOD, message="no cause given"))
    # Telegram answered: it says what happened.
    assert not maybe_performed(TelegramServerError(method=METHOD, message="Bad Gateway"))


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (
            TelegramForbiddenError(METHOD, "Forbidden: bot is not a member of the channel chat"),
            "member",
        ),
        (
            TelegramForbiddenError(METHOD, "Forbidden: bot was kicked from the channel chat"),
            "member",
        ),
        (
            TelegramBadRequest(
                METHOD, "Bad Request: need administrator rights in the channel chat"
            ),
            "rights",
        ),
        (
            TelegramBadRequest(METHOD, "Bad Request: not enough rights to send photos to the chat"),
            "rights",
        ),
        (TelegramBadRequest(METHOD, "Bad Request: CHAT_WRITE_FORBIDDEN"), "rights"),
        (TelegramBadRequest(METHOD, "Bad Request: have no rights to send a message"), "rights"),
        (TelegramBadRequest(METHOD, "Bad Request: chat not found"), "not_found"),
        (TelegramBadRequest(METHOD, "Bad Request: message caption is too long"), None),
        (TelegramBadRequest(METHOD, "Bad Request: wrong file identifier"), None),
    ],
)
def test_refusals_a_person_can_fix(error: TelegramBadRequest, reason: str | None) -> None:
    assert refusal_reason(error) == reason

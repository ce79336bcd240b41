"""What the outbox makes of each error: the table from error to outcome, which failures leave
a channel post in doubt, and which refusals a person can fix."""

from __future__ import annotations

import aiohttp
import asyncpg
import pytest
from aiogram.exceptions import (
    RestartingTelegram,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import GetMe

from vodiy_bozor.delivery.outbox import (
    ERROR_TABLE,
    REACTIONS,
    OutcomeUnknown,
    error_outcome,
    maybe_performed,
    refusal_reason,
)
from vodiy_bozor.delivery.outbox import ErrorOutcome as Out
from vodiy_bozor.delivery.photo_store import PhotoStoreError

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


# Every row of the outbox's table from error to outcome, walked with the error Telegram (or
# the network, the archive, the database, a bug) really gives.
@pytest.mark.parametrize(
    ("error", "private", "outcome"),
    [
        (TelegramRetryAfter(METHOD, "Too Many Requests: retry after 5", 5), True, Out.WAIT),
        (TelegramRetryAfter(METHOD, "Too Many Requests: retry after 5", 5), False, Out.WAIT),
        (OutcomeUnknown(TimeoutError()), False, Out.IN_DOUBT),
        (
            TelegramForbiddenError(METHOD, "Forbidden: bot was blocked by the user"),
            True,
            Out.BLOCKED,
        ),
        (
            TelegramForbiddenError(METHOD, "Forbidden: bot is not a member of the channel chat"),
            False,
            Out.CHANNEL_REFUSES,
        ),
        (TelegramBadRequest(METHOD, "Bad Request: chat not found"), False, Out.CHANNEL_REFUSES),
        (
            TelegramBadRequest(METHOD, "Bad Request: CHAT_WRITE_FORBIDDEN"),
            False,
            Out.CHANNEL_REFUSES,
        ),
        # A user's chat is not the channel: nobody can give rights back there.
        (TelegramBadRequest(METHOD, "Bad Request: chat not found"), True, Out.FAILED),
        (
            TelegramBadRequest(METHOD, "Bad Request: wrong file identifier"),
            False,
            Out.FILE_REJECTED,
        ),
        (
            TelegramBadRequest(METHOD, "Bad Request: wrong remote file identifier specified"),
            True,
            Out.FILE_REJECTED,
        ),
        (
            TelegramBadRequest(METHOD, "Bad Request: message is not modified: same content"),
            True,
            Out.DONE,
        ),
        (
            TelegramBadRequest(METHOD, "Bad Request: message to edit not found"),
            False,
            Out.MISSING,
        ),
        (
            TelegramBadRequest(METHOD, "Bad Request: message can't be edited"),
            False,
            Out.NOT_OURS,
        ),
        (TelegramBadRequest(METHOD, "Bad Request: message caption is too long"), False, Out.FAILED),
        (TelegramServerError(METHOD, "Bad Gateway"), False, Out.RETRY),
        (TelegramNetworkError(METHOD, "timeout"), True, Out.RETRY),
        (RestartingTelegram(METHOD, "Restarting"), True, Out.RETRY),
        (TelegramUnauthorizedError(METHOD, "Unauthorized"), True, Out.RETRY),
        (aiohttp.ServerDisconnectedError(), False, Out.RETRY),
        (TimeoutError(), True, Out.RETRY),
        (PhotoStoreError("the archive is down"), False, Out.RETRY),
        (TelegramNotFound(METHOD, "Not Found"), True, Out.FAILED),
        (TelegramConflictError(METHOD, "Conflict"), False, Out.FAILED),
        (asyncpg.InterfaceError("connection closed"), True, Out.DATABASE),
        (asyncpg.PostgresError("canceling statement"), False, Out.DATABASE),
        (KeyError("a bug in a renderer"), True, Out.BUG),
    ],
)
def test_the_table_from_error_to_outcome(error: Exception, private: bool, outcome: Out) -> None:
    assert error_outcome(error, private=private) is outcome


def test_every_outcome_has_a_reaction_but_the_one_raised() -> None:
    assert set(REACTIONS) == set(Out) - {Out.DATABASE}
    assert {rule.outcome for rule in ERROR_TABLE} == set(Out)

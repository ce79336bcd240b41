"""Telegram Stars payments and pinned messages, as the Bot API behaves.

https://core.telegram.org/bots/payments-stars and https://core.telegram.org/bots/api#payments:

- ``sendInvoice`` in ``XTR``: an empty (or no) ``provider_token`` and exactly one price; the
  title is 1-32 characters, the description 1-255, the payload 1-128 bytes. The invoice is a
  message in the buyer's chat.
- A person pays (``await fake.payments.pay(person, invoice)``): Telegram sends the bot a
  ``pre_checkout_query`` and waits up to 10 seconds for ``answerPreCheckoutQuery``; only an
  ``ok`` answer in time takes the Stars, and then a message with ``successful_payment`` comes.
- ``refundStarPayment`` refunds a charge once; a second refund is refused with 400
  "CHARGE_ALREADY_REFUNDED".
- ``getStarTransactions(offset, limit <= 100)``: the bot's transactions, oldest first; a
  payment has a ``source`` (the user, the invoice payload), a refund a ``receiver``, with the
  same id as the charge.
- ``pinChatMessage`` / ``unpinChatMessage`` in the channel need the bot's right to edit
  messages there (``can_edit_messages``); the channel's pinned messages are kept.

Wired into the server's method table by ``FakeTelegram``; tests reach it as ``fake.payments``.
"""

# The driver API is awaited from tests; `timeout=` keyword arguments read better there.
# ruff: noqa: ASYNC109

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from .core import ApiError, bad

if TYPE_CHECKING:
    from .people import BotMessage, Person
    from .server import FakeTelegram

JSON = dict[str, Any]

PRE_CHECKOUT_TIMEOUT: Final = 10.0  # Telegram waits this long for answerPreCheckoutQuery
MAX_TITLE: Final = 32
MAX_DESCRIPTION: Final = 255
MAX_PAYLOAD_BYTES: Final = 128
MAX_TRANSACTIONS: Final = 100


@dataclass
class Payment:
    """How one attempt to pay went: `ok` with the charge and the update that told the bot,
    or refused at pre-checkout with Telegram's `error_message`."""

    ok: bool
    charge_id: str | None = None
    update: JSON | None = None  # the successful_payment message update
    error_message: str | None = None
    answered_after: float | None = None  # seconds from the query to the bot's answer


@dataclass
class PinnedState:
    pinned: list[int] = field(default_factory=list)  # message ids, the newest last


class Payments:
    def __init__(self, fake: FakeTelegram) -> None:
        self._fake = fake
        self.transactions: list[JSON] = []
        self.refunded: set[str] = set()
        self.charges: dict[str, JSON] = {}  # charge id -> {user_id, amount, payload}
        self.pre_checkout_answers: dict[str, JSON] = {}
        self._open: dict[str, float] = {}  # pre-checkout query id -> deadline (monotonic)
        self._ids = itertools.count(1)
        self._payloads: dict[tuple[int, int], str] = {}  # (chat, invoice message) -> payload
        self.pins: dict[int, PinnedState] = {}
        self.can_pin = True  # the bot's can_edit_messages right in the channel

    def methods(self) -> dict[str, Callable[[JSON], Awaitable[Any]]]:
        return {
            "sendInvoice": self._send_invoice,
            "answerPreCheckoutQuery": self._answer_pre_checkout,
            "refundStarPayment": self._refund,
            "getStarTransactions": self._transactions,
            "pinChatMessage": self._pin,
            "unpinChatMessage": self._unpin,
        }

    # -- what tests read -------------------------------------------------------------------------

    def pinned(self, chat_id: int) -> list[int]:
        return list(self.pins.get(chat_id, PinnedState()).pinned)

    def balance(self) -> int:
        """Stars the bot holds: payments less refunds."""
        return sum(
            t["amount"] * (1 if "source" in t else -1)
            for t in self.transactions
            if t.get("source") or t.get("receiver")
        )

    # -- a person pays ---------------------------------------------------------------------------

    async def pay(
        self,
        person: Person,
        invoice: BotMessage,
        *,
        timeout: float = PRE_CHECKOUT_TIMEOUT,
        deliver: bool = True,
    ) -> Payment:
        """Pay the invoice as Telegram runs it: the pre-checkout query, the bot's answer within
        10 seconds, then (only if it said ok) the charge and the successful_payment message.
        `deliver=False`: the Stars are taken but the update is lost (reconciliation finds it)."""
        data = invoice.data.get("invoice")
        if data is None:
            msg = f"message {invoice.message_id} is not an invoice"
            raise AssertionError(msg)
        payload = self._fake_invoice_payload(invoice)
        query_id = str(6_000_000_000_000_000 + next(self._ids) * 7919)
        deadline = time.monotonic() + min(timeout, PRE_CHECKOUT_TIMEOUT)
        self._open[query_id] = deadline
        started = time.monotonic()
        self._fake.queue_update(
            "pre_checkout_query",
            {
                "id": query_id,
                "from": person.user,
                "currency": data["currency"],
                "total_amount": data["total_amount"],
                "invoice_payload": payload,
            },
            chat_id=person.id,
        )
        try:
            await self._fake.wait_until(
                lambda: query_id in self.pre_checkout_answers,
                timeout=max(0.0, deadline - time.monotonic()),
                what=f"answerPreCheckoutQuery for {query_id}",
            )
        except AssertionError:
            self._open.pop(query_id, None)
            return Payment(ok=False, error_message="timeout: the payment was not taken")
        answer = self.pre_checkout_answers[query_id]
        after = time.monotonic() - started
        if not answer["ok"]:
            error = answer.get("error_message")
            return Payment(ok=False, error_message=error, answered_after=after)
        charge_id = f"stxFAKE{next(self._ids):08d}"
        amount = int(data["total_amount"])
        self.charges[charge_id] = {"user_id": person.id, "amount": amount, "payload": payload}
        self.transactions.append(
            {
                "id": charge_id,
                "amount": amount,
                "date": self._fake.now(),
                "source": {
                    "type": "user",
                    "transaction_type": "invoice_payment",
                    "user": person.user,
                    "invoice_payload": payload,
                },
            }
        )
        update = None
        if deliver:
            message = self._fake.user_message(
                person,
                {
                    "successful_payment": {
                        "currency": data["currency"],
                        "total_amount": amount,
                        "invoice_payload": payload,
                        "telegram_payment_charge_id": charge_id,
                        "provider_payment_charge_id": "",
                    }
                },
            )
            update = self._fake.queue_update("message", message, chat_id=person.id)
        return Payment(ok=True, charge_id=charge_id, update=update, answered_after=after)

    def redeliver(self, update: JSON) -> JSON:
        """Queue the same update again (Telegram resending one the bot did not confirm)."""
        kind = next(k for k in update if k != "update_id")
        return self._fake.queue_update(kind, update[kind], chat_id=None)

    def _fake_invoice_payload(self, invoice: BotMessage) -> str:
        payload = self._payloads.get((invoice.chat_id, invoice.message_id))
        if payload is None:
            msg = f"no payload known for invoice {invoice.message_id}"
            raise AssertionError(msg)
        return payload

    # -- the methods -----------------------------------------------------------------------------

    async def _send_invoice(self, params: JSON) -> JSON:
        chat = self._fake._target_chat(params)
        title = str(params.get("title") or "")
        description = str(params.get("description") or "")
        payload = str(params.get("payload") or "")
        currency = params.get("currency")
        if not 1 <= len(title) <= MAX_TITLE:
            raise bad("INVOICE_TITLE_INVALID" if title else "title is empty")
        if not 1 <= len(description) <= MAX_DESCRIPTION:
            raise bad("INVOICE_DESCRIPTION_INVALID")
        if not 1 <= len(payload.encode()) <= MAX_PAYLOAD_BYTES:
            raise bad("INVOICE_PAYLOAD_INVALID")
        if currency != "XTR":
            raise bad("this fake takes Telegram Stars (XTR) only")
        if params.get("provider_token"):
            raise bad("PROVIDER_TOKEN_INVALID")  # Stars take no provider
        prices = params.get("prices")
        if isinstance(prices, str):
            try:
                prices = json.loads(prices)
            except ValueError:
                raise bad("can't parse prices JSON object") from None
        if not isinstance(prices, list) or len(prices) != 1:
            # "must contain exactly one item for payments in Telegram Stars"
            raise bad("CURRENCY_TOTAL_AMOUNT_INVALID")
        price = prices[0]
        amount = price.get("amount") if isinstance(price, dict) else None
        if not isinstance(amount, int) or amount < 1 or not price.get("label"):
            raise bad("CURRENCY_TOTAL_AMOUNT_INVALID")
        markup = self._fake._markup(params, inline_only=True)
        message = self._fake._store_bot_message(
            chat,
            {
                "invoice": {
                    "title": title,
                    "description": description,
                    "start_parameter": str(params.get("start_parameter") or ""),
                    "currency": currency,
                    "total_amount": amount,
                }
            },
            markup=markup,
        )
        self._payloads[(chat.id, message["message_id"])] = payload
        return message

    async def _answer_pre_checkout(self, params: JSON) -> bool:
        query_id = str(params.get("pre_checkout_query_id") or "")
        deadline = self._open.pop(query_id, None)
        if deadline is None or time.monotonic() > deadline:
            raise bad("query is too old and response timeout expired or query ID is invalid")
        ok = params.get("ok")
        ok = ok if isinstance(ok, bool) else str(ok).lower() in ("true", "1")
        error = params.get("error_message")
        if not ok and not error:
            raise bad("error_message is required when ok is False")
        self.pre_checkout_answers[query_id] = {"ok": ok, "error_message": error}
        return True

    async def _refund(self, params: JSON) -> bool:
        charge_id = str(params.get("telegram_payment_charge_id") or "")
        user_id = params.get("user_id")
        charge = self.charges.get(charge_id)
        if charge is None or charge["user_id"] != user_id:
            raise bad("CHARGE_NOT_FOUND")
        if charge_id in self.refunded:
            raise bad("CHARGE_ALREADY_REFUNDED")
        self.refunded.add(charge_id)
        person = self._fake._people[user_id]
        self.transactions.append(
            {
                "id": charge_id,
                "amount": charge["amount"],
                "date": self._fake.now(),
                "receiver": {
                    "type": "user",
                    "transaction_type": "invoice_payment",
                    "user": person.user,
                },
            }
        )
        return True

    async def _transactions(self, params: JSON) -> JSON:
        offset = params.get("offset", 0)
        limit = params.get("limit", MAX_TRANSACTIONS)
        if not isinstance(offset, int) or offset < 0:
            raise bad("invalid offset")
        if not isinstance(limit, int) or not 1 <= limit <= MAX_TRANSACTIONS:
            raise bad("invalid limit")
        return {"transactions": self.transactions[offset : offset + limit]}

    def _pin_target(self, params: JSON) -> tuple[int, PinnedState]:
        chat = self._fake._resolve_chat(params.get("chat_id"))
        if chat.kind == "channel":
            if self._fake.channel.bot_status != "administrator":
                raise ApiError(403, "Forbidden: bot is not a member of the channel chat")
            if not self.can_pin:
                raise bad("not enough rights to manage pinned messages in the chat")
        return chat.id, self.pins.setdefault(chat.id, PinnedState())

    async def _pin(self, params: JSON) -> bool:
        chat_id, state = self._pin_target(params)
        message_id = params.get("message_id")
        chat = self._fake.chat_state(chat_id)
        if not isinstance(message_id, int) or message_id not in chat.messages:
            raise bad("message to pin not found")
        if message_id in state.pinned:
            state.pinned.remove(message_id)
        state.pinned.append(message_id)
        self._fake._notify()
        return True

    async def _unpin(self, params: JSON) -> bool:
        _, state = self._pin_target(params)
        message_id = params.get("message_id")
        if message_id is None:
            if state.pinned:
                state.pinned.pop()
        elif message_id in state.pinned:
            state.pinned.remove(message_id)
        # Unpinning a message that is not pinned succeeds: Telegram answers True.
        self._fake._notify()
        return True

"""The fake's Stars payments and pins behave as Telegram documents them
(https://core.telegram.org/bots/payments-stars), driven by a real aiogram Bot over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import LabeledPrice, TransactionPartnerUser

from tests.fake_telegram import FakeTelegram

TOKEN = "123456:TEST-token"
CHANNEL_ID = -1001234567890


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(
        TOKEN, bot_username="vodiy_test_bot", channel_username="vodiy_test", channel_id=CHANNEL_ID
    ) as fake:
        yield fake


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with fake.make_bot() as bot:
        yield bot


async def _invoice(bot: Bot, chat_id: int, amount: int = 25, payload: str = "p:1") -> int:
    message = await bot.send_invoice(
        chat_id=chat_id,
        title="Lift",
        description="Lift ad 1",
        payload=payload,
        currency="XTR",
        prices=[LabeledPrice(label="Lift", amount=amount)],
        provider_token="",
    )
    assert message.invoice is not None
    assert message.invoice.total_amount == amount
    return message.message_id


async def test_an_invoice_in_stars_takes_exactly_one_price_and_no_provider(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.user(42, "Alice")
    await _invoice(bot, 42)
    with pytest.raises(TelegramBadRequest, match="CURRENCY_TOTAL_AMOUNT_INVALID"):
        await bot.send_invoice(
            chat_id=42,
            title="Lift",
            description="Two prices",
            payload="p:1",
            currency="XTR",
            prices=[LabeledPrice(label="a", amount=1), LabeledPrice(label="b", amount=2)],
        )
    with pytest.raises(TelegramBadRequest, match="PROVIDER_TOKEN_INVALID"):
        await bot.send_invoice(
            chat_id=42,
            title="Lift",
            description="A provider",
            payload="p:1",
            currency="XTR",
            prices=[LabeledPrice(label="a", amount=1)],
            provider_token="284685063:TEST:abc",
        )
    with pytest.raises(TelegramBadRequest, match="INVOICE_PAYLOAD_INVALID"):
        await _invoice(bot, 42, payload="x" * 129)


async def test_a_payment_waits_for_an_ok_pre_checkout_and_a_late_answer_is_refused(
    fake: FakeTelegram, bot: Bot
) -> None:
    alice = fake.user(42, "Alice")
    await _invoice(bot, 42)
    invoice = alice.messages[-1]
    refused = await fake.payments.pay(alice, invoice, timeout=0.3)  # nobody answers
    assert not refused.ok
    assert fake.payments.balance() == 0
    (query,) = [u["pre_checkout_query"] for u in fake.take_updates()]
    assert query["total_amount"] == 25
    assert query["invoice_payload"] == "p:1"
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_pre_checkout_query(query["id"], ok=True)


async def test_refunds_happen_once_and_transactions_list_both_ways(
    fake: FakeTelegram, bot: Bot
) -> None:
    alice = fake.user(42, "Alice")
    await _invoice(bot, 42)
    invoice = alice.messages[-1]

    async def answer() -> None:
        await fake.wait_until(lambda: bool(fake.updates_pending()))
        (update,) = fake.take_updates()
        await bot.answer_pre_checkout_query(update["pre_checkout_query"]["id"], ok=True)

    answering = asyncio.create_task(answer())
    payment = await fake.payments.pay(alice, invoice)
    await answering
    assert payment.ok
    assert payment.charge_id is not None
    (update,) = fake.take_updates()
    paid = update["message"]["successful_payment"]
    assert paid["telegram_payment_charge_id"] == payment.charge_id
    assert paid["total_amount"] == 25

    assert await bot.refund_star_payment(42, payment.charge_id)
    with pytest.raises(TelegramBadRequest, match="CHARGE_ALREADY_REFUNDED"):
        await bot.refund_star_payment(42, payment.charge_id)
    with pytest.raises(TelegramBadRequest, match="CHARGE_NOT_FOUND"):
        await bot.refund_star_payment(43, payment.charge_id)

    listed = await bot.get_star_transactions(offset=0, limit=100)
    assert [t.id for t in listed.transactions] == [payment.charge_id] * 2
    source, receiver = listed.transactions[0].source, listed.transactions[1].receiver
    assert isinstance(source, TransactionPartnerUser)
    assert source.invoice_payload == "p:1"
    assert isinstance(receiver, TransactionPartnerUser)
    assert (await bot.get_star_transactions(offset=1, limit=1)).transactions[0].receiver
    with pytest.raises(TelegramBadRequest, match="invalid limit"):
        await bot.get_star_transactions(offset=0, limit=101)
    assert fake.payments.balance() == 0


async def test_pins_in_the_channel_need_the_right_and_are_kept(
    fake: FakeTelegram, bot: Bot
) -> None:
    first = await bot.send_message(CHANNEL_ID, "one")
    second = await bot.send_message(CHANNEL_ID, "two")
    assert await bot.pin_chat_message(CHANNEL_ID, first.message_id, disable_notification=True)
    assert await bot.pin_chat_message(CHANNEL_ID, second.message_id)
    assert fake.payments.pinned(CHANNEL_ID) == [first.message_id, second.message_id]
    assert await bot.unpin_chat_message(CHANNEL_ID, message_id=first.message_id)
    assert fake.payments.pinned(CHANNEL_ID) == [second.message_id]
    with pytest.raises(TelegramBadRequest, match="message to pin not found"):
        await bot.pin_chat_message(CHANNEL_ID, 999)
    fake.payments.can_pin = False
    with pytest.raises(TelegramBadRequest, match="not enough rights"):
        await bot.pin_chat_message(CHANNEL_ID, first.message_id)

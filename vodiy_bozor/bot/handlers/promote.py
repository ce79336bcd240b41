"""Paid promotion with Telegram Stars: 🚀 / 📌 answered with an invoice, the pre-checkout
query, the successful payment, /paysupport and /terms; the admins' /revenue.

https://core.telegram.org/bots/payments-stars: an invoice in `XTR` with an empty provider
token and exactly one price; the pre-checkout query must be answered within 10 seconds, so
its answer is one indexed read and goes out at once (no queue); bots that take payments must
answer /paysupport.
"""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    LabeledPrice,
    Message,
    PreCheckoutQuery,
)

from vodiy_bozor.bot.callbacks import PromoCb
from vodiy_bozor.bot.filters import IsAdmin, PaymentMessage, PrivateChat
from vodiy_bozor.services.promotions import (
    CURRENCY,
    Promotions,
    Refusal,
    Refused,
    invoice_payload,
    revenue_chart,
)
from vodiy_bozor.texts import Translator

log = logging.getLogger(__name__)

REVENUE_DAYS = 30


def refusal_text(t: Translator, refused: Refused) -> str:
    if refused.reason is Refusal.STATUS and refused.status is not None:
        return t("promo-refused-status", status=t(f"status-{refused.status.value}"))
    return t(f"promo-refused-{refused.reason.value}")


async def promote_button(
    query: CallbackQuery,
    callback_data: PromoCb,
    t: Translator,
    bot: Bot,
    promotions: Promotions | None = None,
) -> None:
    """🚀 or 📌 pressed: an invoice, or why not (the data may be forged: checked here)."""
    user_id = query.from_user.id
    kind, ad_id = callback_data.kind, callback_data.ad_id
    if promotions is None:
        await query.answer(t("promo-refused-off"), show_alert=True)
        return
    refused = await promotions.refusal(user_id, kind, ad_id)
    price = promotions.settings.price(kind)
    if refused is not None or price is None:
        reason = refused or Refused(Refusal.OFF)
        await query.answer(refusal_text(t, reason), show_alert=True)
        return
    await query.answer()
    await bot.send_invoice(
        chat_id=user_id,
        title=t(f"promo-invoice-{kind.value}-title", id=ad_id),
        description=t(f"promo-invoice-{kind.value}-description", id=ad_id),
        payload=invoice_payload(kind, ad_id),
        currency=CURRENCY,
        prices=[LabeledPrice(label=t(f"promo-kind-{kind.value}"), amount=price)],
        provider_token="",  # Stars need no payment provider
    )


async def pre_checkout(
    query: PreCheckoutQuery, t: Translator, promotions: Promotions | None = None
) -> None:
    """Telegram asks whether to take the payment: yes only if the ad can still be promoted."""
    refused = (
        await promotions.pre_checkout(
            query.from_user.id, query.invoice_payload, query.currency, query.total_amount
        )
        if promotions is not None
        else Refused(Refusal.OFF)
    )
    if refused is None:
        await query.answer(ok=True)
        return
    log.info("pre-checkout %s refused: %s", query.id, refused.reason)
    await query.answer(ok=False, error_message=refusal_text(t, refused))


async def successful_payment(message: Message, promotions: Promotions | None = None) -> None:
    """Record the payment once and set the promotion going; the seller hears through the
    outbox (queued, lifted, pinned or refunded), so a second delivery says nothing twice."""
    payment = message.successful_payment
    assert payment is not None
    assert message.from_user is not None
    if promotions is None:
        log.error("payment %s arrived with promotions off", payment.telegram_payment_charge_id)
        return
    await promotions.paid(
        user_id=message.from_user.id,
        charge_id=payment.telegram_payment_charge_id,
        payload=payment.invoice_payload,
        amount=payment.total_amount,
    )


async def paysupport(message: Message, t: Translator) -> None:
    await message.answer(t("paysupport"))


async def terms(message: Message, t: Translator, promotions: Promotions | None = None) -> None:
    settings = promotions.settings if promotions is not None else None
    lift = settings.lift_stars if settings and settings.lift_stars else "—"
    pin = settings.pin_stars if settings and settings.pin_stars else "—"
    await message.answer(t("terms", lift=str(lift), pin=str(pin)))


async def revenue(message: Message, t: Translator, promotions: Promotions | None = None) -> None:
    """Stars received, refunded and net over 30 days, by kind and by day, and a chart."""
    if promotions is None:
        await message.answer(t("promo-refused-off"))
        return
    figures = await promotions.revenue(REVENUE_DAYS)
    lines = [
        t(
            "revenue-header",
            days=REVENUE_DAYS,
            received=figures.received,
            refunded=figures.refunded,
            net=figures.net,
        ),
        "",
    ]
    lines += [
        t(
            "revenue-kind",
            kind=t(f"promo-kind-{kind.kind}"),
            count=kind.count,
            received=kind.received,
            refunded=kind.refunded,
        )
        for kind in figures.kinds
    ]
    paying_days = [d for d in figures.days if d.received]
    if paying_days:
        lines.append("")
        lines += [
            t(
                "revenue-day",
                day=day.day.strftime("%d.%m.%Y"),
                received=day.received,
                refunded=day.refunded,
            )
            for day in paying_days
        ]
    await message.answer("\n".join(lines))
    chart = BufferedInputFile(revenue_chart(figures), filename="revenue.png")
    await message.answer_photo(chart, caption=t("revenue-chart", days=REVENUE_DAYS))


def setup() -> Router:
    router = Router(name="promote")
    router.pre_checkout_query.register(pre_checkout)
    router.message.register(successful_payment, PaymentMessage())
    router.callback_query.register(promote_button, PromoCb.filter())
    router.message.register(paysupport, Command("paysupport"), PrivateChat())
    router.message.register(terms, Command("terms"), PrivateChat())
    router.message.register(revenue, Command("revenue"), IsAdmin())
    return router

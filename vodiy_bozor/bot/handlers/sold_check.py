"""The seller answers "has it sold?": sold, still selling, or remove."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery

from vodiy_bozor import ads
from vodiy_bozor.app import App
from vodiy_bozor.bot.callbacks import SoldAction, SoldCb
from vodiy_bozor.texts import Translator

log = logging.getLogger(__name__)

_ACTIONS = {
    SoldAction.SOLD: (ads.OwnerAction.SOLD, "answer-sold"),
    SoldAction.SELLING: (ads.OwnerAction.KEEP, "answer-selling"),
    SoldAction.REMOVE: (ads.OwnerAction.REMOVE, "answer-removed"),
}


def build_router(app: App) -> Router:
    router = Router(name="sold_check")

    @router.callback_query(SoldCb.filter())
    async def answered(query: CallbackQuery, callback_data: SoldCb, t: Translator) -> None:
        action, reply = _ACTIONS[callback_data.action]
        outcome = await ads.owner_acts(
            app.pool,
            callback_data.ad_id,
            query.from_user.id,
            action,
            channel=app.settings.channel_id,
            admin_ids=app.settings.admin_ids,
            check_in=app.settings.sold_check_interval,
        )
        ad = outcome.ad
        if ad is None or ad.owner_id != query.from_user.id:
            log.warning(
                "user %d answered for ad %d, not theirs", query.from_user.id, callback_data.ad_id
            )
            await query.answer(t("button-outdated"), show_alert=True)
            return
        if not outcome.applied:
            await query.answer(
                t("answer-late", status=t(f"status-{ad.status.value}")), show_alert=True
            )
            return
        await query.answer()
        if query.message is not None:
            # The answer replaces the question's buttons, so it cannot be given twice.
            try:
                await app.bot.edit_message_caption(
                    chat_id=query.from_user.id,
                    message_id=query.message.message_id,
                    caption=t(reply),
                    reply_markup=None,
                )
            except TelegramBadRequest as exc:  # a question too old to edit: say it anew
                log.info("could not edit the question of ad %d: %s", ad.id, exc.message)
                await app.bot.send_message(query.from_user.id, t(reply))

    return router

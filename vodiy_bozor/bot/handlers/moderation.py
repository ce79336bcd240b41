"""Admins approve or reject ads from their cards.

Every callback is checked on the server: anyone can send any callback data, so a press from
someone not in ADMIN_IDS changes nothing and is logged. The decision itself is a conditional
update in `ads`, so two admins pressing at once get one outcome; the late one is told.
"""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from vodiy_bozor import ads
from vodiy_bozor.app import App
from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.callbacks import TYPED_REASON, ModAction, ModCb
from vodiy_bozor.bot.filters import PlainText
from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.db import users as db_users
from vodiy_bozor.models import AdStatus
from vodiy_bozor.texts import Translator, local_time

log = logging.getLogger(__name__)

REASON_LIMIT = 500


class Moderation(StatesGroup):
    typing_reason = State()


def build_router(app: App) -> Router:
    router = Router(name="moderation")

    async def late(query: CallbackQuery, t: Translator, ad_id: int) -> None:
        """Tell an admin what already happened to the ad they pressed on."""
        ad = await db_ads.get_ad(app.pool, ad_id)
        if ad is None:
            await query.answer(t("mod-late-gone"), show_alert=True)
            return
        admin = await db_users.get_user(app.pool, ad.decided_by) if ad.decided_by else None
        name = admin.full_name if admin else str(ad.decided_by or "?")
        when = local_time(ad.decided_at) if ad.decided_at else ""
        key = "mod-late-rejected" if ad.status is AdStatus.REJECTED else "mod-late-approved"
        await query.answer(t(key, admin=name, time=when), show_alert=True)

    @router.callback_query(ModCb.filter())
    async def moderate(
        query: CallbackQuery, callback_data: ModCb, t: Translator, state: FSMContext
    ) -> None:
        admin_id = query.from_user.id
        if not app.is_admin(admin_id):
            log.warning(
                "moderation button pressed by non-admin %d (data %r): ignored",
                admin_id,
                query.data,
            )
            await query.answer(t("mod-not-admin"), show_alert=True)
            return
        ad_id = callback_data.ad_id
        action = callback_data.action

        if action is ModAction.APPROVE:
            decision = await ads.approve(
                app.pool,
                ad_id,
                admin_id,
                admin_ids=app.settings.admin_ids,
                channel=app.settings.channel_id,
            )
            if decision.applied:
                await query.answer(t("mod-approved"))
            else:
                await late(query, t, ad_id)
            return

        ad = await db_ads.get_ad(app.pool, ad_id)
        if ad is None or ad.status is not AdStatus.PENDING:
            await late(query, t, ad_id)
            return
        message = query.message
        if action is ModAction.REJECT or action is ModAction.BACK:
            # Show the reasons (or the two buttons again) on this admin's card only.
            markup = (
                keyboards.reject_reasons(t, ad_id)
                if action is ModAction.REJECT
                else keyboards.moderation(t, ad_id)
            )
            await query.answer()
            if message is not None:
                await app.bot.edit_message_reply_markup(
                    chat_id=admin_id, message_id=message.message_id, reply_markup=markup
                )
            return
        if callback_data.reason == TYPED_REASON:
            await state.set_state(Moderation.typing_reason)
            await state.update_data(reject_ad=ad_id)
            await query.answer()
            await app.bot.send_message(admin_id, t("mod-reason-prompt", id=ad_id))
            return
        try:
            code = ads.RejectReason(callback_data.reason)
        except ValueError:
            log.warning("unknown reject reason %r from admin %d", callback_data.reason, admin_id)
            await query.answer(t("button-outdated"), show_alert=True)
            return
        await _reject(query, t, ad_id, admin_id, code=code)

    async def _reject(
        query: CallbackQuery,
        t: Translator,
        ad_id: int,
        admin_id: int,
        *,
        code: ads.RejectReason | None = None,
        reason: str | None = None,
    ) -> None:
        decision = await ads.reject(
            app.pool, ad_id, admin_id, admin_ids=app.settings.admin_ids, code=code, reason=reason
        )
        if decision.applied:
            await query.answer(t("mod-rejected"))
        else:
            await late(query, t, ad_id)

    @router.message(StateFilter(Moderation.typing_reason), PlainText())
    async def reason_typed(message: Message, t: Translator, state: FSMContext) -> None:
        assert message.from_user is not None
        assert message.text is not None
        admin_id = message.from_user.id
        ad_id = (await state.get_data()).get("reject_ad")
        if not app.is_admin(admin_id) or not isinstance(ad_id, int):
            await state.clear()
            return
        reason = message.text.strip()
        if len(reason) > REASON_LIMIT:
            await message.answer(t("mod-reason-too-long", limit=REASON_LIMIT))
            return
        await state.clear()
        decision = await ads.reject(
            app.pool, ad_id, admin_id, admin_ids=app.settings.admin_ids, reason=reason
        )
        if decision.applied:
            await message.answer(t("mod-rejected"))
            return
        ad = decision.ad
        if ad is None:
            await message.answer(t("mod-late-gone"))
            return
        admin = await db_users.get_user(app.pool, ad.decided_by) if ad.decided_by else None
        key = "mod-late-rejected" if ad.status is AdStatus.REJECTED else "mod-late-approved"
        when = local_time(ad.decided_at) if ad.decided_at else ""
        await message.answer(t(key, admin=admin.full_name if admin else "?", time=when))

    return router

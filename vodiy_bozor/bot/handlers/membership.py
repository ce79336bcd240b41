"""Telegram tells the bot when a user blocks or unblocks it (my_chat_member in a private chat).

https://core.telegram.org/bots/api#chatmemberupdated
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import KICKED, MEMBER, ChatMemberUpdatedFilter
from aiogram.types import ChatMemberUpdated

from vodiy_bozor.app import App
from vodiy_bozor.bot.filters import PrivateChat
from vodiy_bozor.db import users as db_users


def build_router() -> Router:
    router = Router(name="membership")
    router.my_chat_member.filter(PrivateChat())

    @router.my_chat_member(ChatMemberUpdatedFilter(member_status_changed=KICKED))
    async def blocked(event: ChatMemberUpdated, app: App) -> None:
        await db_users.set_blocked(app.pool, event.from_user.id, True)
        app.registry.forget(event.from_user.id)

    @router.my_chat_member(ChatMemberUpdatedFilter(member_status_changed=MEMBER))
    async def unblocked(event: ChatMemberUpdated, app: App) -> None:
        await db_users.set_blocked(app.pool, event.from_user.id, False)

    return router

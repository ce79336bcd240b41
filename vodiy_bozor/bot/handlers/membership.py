"""Telegram tells the bot when a user blocks or unblocks it (my_chat_member in a private chat).

https://core.telegram.org/bots/api#chatmemberupdated
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import KICKED, MEMBER, ChatMemberUpdatedFilter
from aiogram.types import ChatMemberUpdated

from vodiy_bozor.bot.filters import PrivateChat
from vodiy_bozor.bot.user_registry import UserRegistry


async def blocked(event: ChatMemberUpdated, registry: UserRegistry) -> None:
    await registry.set_blocked(event.from_user.id, True)


async def unblocked(event: ChatMemberUpdated, registry: UserRegistry) -> None:
    await registry.set_blocked(event.from_user.id, False)


def setup() -> Router:
    router = Router(name="membership")
    router.my_chat_member.filter(PrivateChat())
    router.my_chat_member.register(blocked, ChatMemberUpdatedFilter(member_status_changed=KICKED))
    router.my_chat_member.register(unblocked, ChatMemberUpdatedFilter(member_status_changed=MEMBER))
    return router

"""The fake Bot API's chats and the bot's settings: getChat, chat members and administrators,
the bot's commands and menu button."""

from __future__ import annotations

import copy
import json
import re

from .core import (
    JSON,
    bad,
)
from .updates import UpdatesPart


class ChatsPart(UpdatesPart):
    """Chats, members and the bot's settings (see the module)."""

    @staticmethod
    def _commands_key(params: JSON) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise bad("can't parse BotCommandScope JSON object")
        language = params.get("language_code") or ""
        return json.dumps(scope, sort_keys=True), str(language)

    async def _set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if commands is None:
            raise bad('parameter "commands" is required')
        if not isinstance(commands, list):
            raise bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not isinstance(command, dict):
                raise bad("can't parse BotCommand JSON object")
            name = command.get("command")
            description = command.get("description")
            # "1-32 characters. Can contain only lowercase English letters, digits and
            # underscores."
            if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise bad("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise bad("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(params)
        self.commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def _set_chat_menu_button(self, params: JSON) -> bool:
        """https://core.telegram.org/bots/api#setchatmenubutton: no chat_id sets the default
        button; a `web_app` button needs a text and an https URL
        (https://core.telegram.org/bots/api#menubuttonwebapp)."""
        button = params.get("menu_button", {"type": "default"})
        if not isinstance(button, dict):
            raise bad("can't parse menu button JSON object")
        kind = button.get("type")
        if kind == "web_app":
            web_app = button.get("web_app")
            url = web_app.get("url") if isinstance(web_app, dict) else None
            if not isinstance(button.get("text"), str) or not button["text"].strip():
                raise bad("BUTTON_TEXT_INVALID")
            if not isinstance(url, str) or not url.startswith("https://"):
                raise bad("BUTTON_URL_INVALID")
        elif kind not in ("commands", "default"):
            raise bad("unsupported menu button type")
        chat = params.get("chat_id")
        self.menu_buttons[chat if isinstance(chat, int) else None] = copy.deepcopy(button)
        return True

    async def _delete_my_commands(self, params: JSON) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    async def _get_my_commands(self, params: JSON) -> list[JSON]:
        return copy.deepcopy(self.commands.get(self._commands_key(params), []))

    async def _get_chat(self, params: JSON) -> JSON:
        chat = self._resolve_chat(params.get("chat_id"))
        return {
            **chat.chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _bot_member(self) -> JSON:
        channel = self.channel
        status = channel.bot_status
        if status == "administrator":
            rights = dict.fromkeys(
                (
                    "can_manage_chat",
                    "can_delete_messages",
                    "can_manage_video_chats",
                    "can_restrict_members",
                    "can_promote_members",
                    "can_change_info",
                    "can_invite_users",
                    "can_post_stories",
                    "can_edit_stories",
                    "can_delete_stories",
                    "can_send_welcome_messages",
                    "can_edit_messages",
                ),
                True,
            )
            return {
                "status": "administrator",
                "user": self.bot_user,
                "can_be_edited": False,
                "is_anonymous": False,
                "can_post_messages": channel.can_post_messages,
                **rights,
            }
        return {"status": status, "user": self.bot_user}

    async def _get_chat_member(self, params: JSON) -> JSON:
        chat = self._resolve_chat(params.get("chat_id"))
        user_id = params.get("user_id")
        if not isinstance(user_id, int) or isinstance(user_id, bool):
            raise bad("user not found")
        if chat.kind == "channel":
            if user_id == self.bot_user["id"]:
                return self._bot_member()
            if self.channel.bot_status != "administrator":
                raise bad("member list is inaccessible")
            if user_id == self.channel.owner["id"]:
                return {"status": "creator", "user": self.channel.owner, "is_anonymous": False}
            person = self._people.get(user_id)
            if person is None:
                raise bad("user not found")
            return {"status": self.channel.members.get(user_id, "left"), "user": person.user}
        if user_id == chat.id:
            return {"status": "member", "user": self._people[user_id].user}
        if user_id == self.bot_user["id"]:
            return {"status": "member", "user": self.bot_user}
        raise bad("user not found")

    async def _get_chat_administrators(self, params: JSON) -> list[JSON]:
        chat = self._resolve_chat(params.get("chat_id"))
        if chat.kind == "private":
            raise bad("there are no administrators in the private chat")
        admins: list[JSON] = [
            {"status": "creator", "user": self.channel.owner, "is_anonymous": False}
        ]
        if self.channel.bot_status == "administrator":
            admins.append(self._bot_member())
        return admins

"""The fake Bot API's messages: checking a call's chat, text, entities and keyboards as Telegram
does, storing what the bot sends, and the methods that send, copy, forward, edit and delete
messages or answer queries (https://core.telegram.org/bots/api#available-methods)."""

from __future__ import annotations

import contextlib
import copy
import json
import re
from typing import Any

from .core import (
    _CONTENT_KEYS,
    _INLINE_ACTIONS,
    _MEDIA_KEYS,
    DELETE_WINDOW,
    JSON,
    MAX_CAPTION,
    MAX_TEXT,
    NOT_MODIFIED,
    QUERY_TOO_OLD,
    ApiError,
    ChatState,
    bad,
)
from .faults import FaultsPart
from .html_entities import EntityParseError, parse_html, strip_formatted, utf16_len


class MessagesPart(FaultsPart):
    """Checking calls and the message methods (see the module)."""

    # ------------------------------------------------------------------ validation helpers

    def _resolve_chat(self, value: Any, *, empty: str = "chat_id is empty") -> ChatState:
        if value is None or value == "":
            raise bad(empty)
        key = self._chat_key(value)
        chat = self._chats.get(key) if key is not None else None
        if chat is None or (chat.kind == "channel" and not self.channel.exists):
            raise bad("chat not found")
        return chat

    def _check_can_write(self, chat: ChatState) -> None:
        if chat.kind == "private":
            if chat.id in self._blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            return
        channel = self.channel
        if channel.bot_status not in ("administrator", "creator"):
            raise ApiError(403, "Forbidden: bot is not a member of the channel chat")
        if not channel.can_post_messages:
            raise bad("need administrator rights in the channel chat")

    def _target_chat(self, params: JSON) -> ChatState:
        chat = self._resolve_chat(params.get("chat_id"))
        self._check_can_write(chat)
        return chat

    def _message_id(self, params: JSON, key: str = "message_id") -> int:
        value = params.get(key)
        if value is None or value == "":
            raise bad("message identifier is not specified")
        if not isinstance(value, int) or isinstance(value, bool):
            raise bad(f"invalid {key} specified")
        return value

    def _formatted(
        self,
        params: JSON,
        text_key: str,
        entities_key: str,
        *,
        limit: int,
        too_long: str,
    ) -> tuple[str, list[JSON]]:
        """Visible text and entities of ``params[text_key]`` after parse_mode, Telegram-trimmed."""
        text = params.get(text_key)
        if text is None:
            return "", []
        if not isinstance(text, str):
            text = str(text)
        entities: list[JSON] = []
        explicit = params.get(entities_key)
        parse_mode = params.get("parse_mode")
        if explicit is not None:
            if not isinstance(explicit, list) or not all(isinstance(e, dict) for e in explicit):
                raise bad(f"can't parse {entities_key} JSON object")
            entities = [dict(e) for e in explicit]
        elif isinstance(parse_mode, str) and parse_mode:
            if parse_mode.lower() == "html":
                try:
                    text, entities = parse_html(text)
                except EntityParseError as error:
                    raise bad(f"can't parse entities: {error}") from None
            elif parse_mode.lower() in ("markdown", "markdownv2"):
                raise bad(f"unsupported parse_mode {parse_mode!r} (the fake only parses HTML)")
            else:
                raise bad("unsupported parse_mode")
        text, entities = strip_formatted(text, entities)
        if utf16_len(text) > limit:
            raise bad(too_long)
        return text, entities

    def _text(self, params: JSON) -> tuple[str, list[JSON]]:
        text = params.get("text")
        if text is None or text == "":
            raise bad("message text is empty")
        visible, entities = self._formatted(
            params, "text", "entities", limit=MAX_TEXT, too_long="message is too long"
        )
        if not visible:
            raise bad("message text is empty")
        return visible, entities

    def _caption(self, params: JSON) -> tuple[str, list[JSON]]:
        return self._formatted(
            params,
            "caption",
            "caption_entities",
            limit=MAX_CAPTION,
            too_long="message caption is too long",
        )

    def _markup(self, params: JSON, *, inline_only: bool = False) -> JSON | None:
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            _check_inline_keyboard(markup["inline_keyboard"])
            return markup
        if inline_only:
            raise bad("can't parse inline keyboard markup JSON object")
        if "keyboard" in markup:
            _check_reply_keyboard(markup["keyboard"])
            return markup
        if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
            return markup
        raise bad("can't parse reply keyboard markup JSON object")

    def _reply_to(self, chat: ChatState, params: JSON) -> JSON | None:
        reply = params.get("reply_parameters")
        target: Any = params.get("reply_to_message_id")
        allow_missing = bool(params.get("allow_sending_without_reply"))
        if isinstance(reply, dict):
            target = reply.get("message_id")
            allow_missing = bool(reply.get("allow_sending_without_reply", allow_missing))
        if target is None:
            return None
        original = chat.messages.get(target) if isinstance(target, int) else None
        if original is None:
            if allow_missing:
                return None
            raise bad("message to be replied not found")
        return {k: v for k, v in original.items() if k != "reply_to_message"}

    # ------------------------------------------------------------------ storing messages

    def _store_bot_message(
        self,
        chat: ChatState,
        content: JSON,
        *,
        markup: JSON | None = None,
        reply_to: JSON | None = None,
    ) -> JSON:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        message: JSON = {"message_id": message_id}
        if chat.kind == "channel":
            message["sender_chat"] = chat.chat
        else:
            message["from"] = self.bot_user
        message["chat"] = chat.chat
        message["date"] = self.now()
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        message.update(copy.deepcopy(content))
        if markup is not None:
            if "inline_keyboard" in markup:
                # Only inline keyboards are part of the Message object.
                message["reply_markup"] = copy.deepcopy(markup)
            else:
                chat.keyboards[message_id] = copy.deepcopy(markup)
                if "keyboard" in markup:
                    chat.reply_keyboard = copy.deepcopy(markup)
                elif markup.get("remove_keyboard"):
                    chat.reply_keyboard = None
        chat.messages[message_id] = message
        self._seq += 1
        chat.seq[message_id] = self._seq
        return message

    def post_as_someone_else(self, text: str = "A post by another admin") -> JSON:
        """Another admin of the channel posts a text message (not through the bot): it takes
        the channel's next message id, as every post does, and the bot cannot edit it
        ("message can't be edited"). Queues the ``channel_post`` update Telegram sends a bot
        that administers the channel. Returns the message."""
        chat = self._chats[self.channel.id]
        message_id = chat.next_message_id
        chat.next_message_id += 1
        message: JSON = {
            "message_id": message_id,
            "sender_chat": chat.chat,
            "chat": chat.chat,
            "date": self.now(),
            "text": text,
        }
        chat.messages[message_id] = message
        self.queue_update("channel_post", copy.deepcopy(message), chat_id=chat.id)
        return message

    def sent_by_bot(self, chat: ChatState, message: JSON) -> bool:
        return message["message_id"] in chat.seq

    def _editable(self, params: JSON) -> JSON:
        if params.get("inline_message_id"):
            raise bad("inline messages are not supported by the fake")
        chat = self._resolve_chat(params.get("chat_id"))
        message_id = self._message_id(params)
        message = chat.messages.get(message_id)
        if message is None:
            raise bad("message to edit not found")
        if not self.sent_by_bot(chat, message):
            raise bad("message can't be edited")
        self._check_can_write(chat)
        return message

    async def _send_message(self, params: JSON) -> JSON:
        chat = self._target_chat(params)
        text, entities = self._text(params)
        markup = self._markup(params)
        reply_to = self._reply_to(chat, params)
        content: JSON = {"text": text}
        if entities:
            content["entities"] = entities
        return self._store_bot_message(chat, content, markup=markup, reply_to=reply_to)

    def _source_message(self, params: JSON, *, not_found: str) -> tuple[ChatState, JSON]:
        source_chat = self._resolve_chat(params.get("from_chat_id"), empty="from_chat_id is empty")
        message = source_chat.messages.get(self._message_id(params))
        if message is None:
            raise bad(not_found)
        return source_chat, message

    @staticmethod
    def _copyable(message: JSON) -> JSON:
        content: JSON = {k: copy.deepcopy(v) for k, v in message.items() if k in _CONTENT_KEYS}
        if not content:
            raise bad("message can't be copied")
        return content

    def _copy_content(self, params: JSON, message: JSON) -> JSON:
        content = self._copyable(message)
        has_media = any(k in content for k in _MEDIA_KEYS)
        if has_media and ("caption" in params or params.get("remove_caption")):
            content.pop("caption", None)
            content.pop("caption_entities", None)
            if not params.get("remove_caption"):
                content.update(self._caption_content(params))
        return content

    async def _copy_message(self, params: JSON) -> JSON:
        chat = self._target_chat(params)
        _, message = self._source_message(params, not_found="message to copy not found")
        content = self._copy_content(params, message)
        markup = self._markup(params)
        reply_to = self._reply_to(chat, params)
        copied = self._store_bot_message(chat, content, markup=markup, reply_to=reply_to)
        return {"message_id": copied["message_id"]}

    async def _copy_messages(self, params: JSON) -> list[JSON]:
        chat = self._target_chat(params)
        source_chat = self._resolve_chat(params.get("from_chat_id"), empty="from_chat_id is empty")
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not ids or len(ids) > 100:
            raise bad("message identifiers are not specified")
        if not all(isinstance(i, int) for i in ids) or ids != sorted(set(ids)):
            # "The identifiers must be specified in a strictly increasing order."
            raise bad("message identifiers must be in strictly increasing order")
        found = [source_chat.messages[i] for i in ids if i in source_chat.messages]
        if not found:
            raise bad("message to copy not found")
        contents = [self._copy_content(params, message) for message in found]
        groups: dict[str, str] = {}
        result = []
        for message, content in zip(found, contents, strict=True):
            group = message.get("media_group_id")
            if group is not None:
                # Copies of an album form a new album.
                content["media_group_id"] = groups.setdefault(group, self.new_media_group_id())
            copied = self._store_bot_message(chat, content)
            result.append({"message_id": copied["message_id"]})
        return result

    async def _forward_message(self, params: JSON) -> JSON:
        chat = self._target_chat(params)
        source_chat, message = self._source_message(
            params, not_found="message to forward not found"
        )
        content = self._copyable(message)
        origin: JSON
        if source_chat.kind == "channel":
            origin = {
                "type": "channel",
                "chat": source_chat.chat,
                "message_id": message["message_id"],
                "date": message["date"],
            }
        else:
            origin = {"type": "user", "sender_user": message["from"], "date": message["date"]}
        content["forward_origin"] = origin
        return self._store_bot_message(chat, content)

    async def _edit_message_text(self, params: JSON) -> JSON:
        message = self._editable(params)
        if "text" not in message:
            raise bad("there is no text in the message to edit")
        text, entities = self._text(params)
        markup = self._markup(params, inline_only=True)
        if (
            text == message["text"]
            and entities == message.get("entities", [])
            and markup == message.get("reply_markup")
        ):
            raise ApiError(400, NOT_MODIFIED)
        message["text"] = text
        _set_or_drop(message, "entities", entities or None)
        # Without reply_markup the inline keyboard is removed, as on Telegram.
        _set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = self.now()
        return message

    async def _edit_message_caption(self, params: JSON) -> JSON:
        message = self._editable(params)
        if not any(k in message for k in _MEDIA_KEYS):
            raise bad("there is no caption in the message to edit")
        caption, entities = self._caption(params)
        markup = self._markup(params, inline_only=True)
        if (
            caption == message.get("caption", "")
            and entities == message.get("caption_entities", [])
            and markup == message.get("reply_markup")
        ):
            raise ApiError(400, NOT_MODIFIED)
        _set_or_drop(message, "caption", caption or None)
        _set_or_drop(message, "caption_entities", (entities or None) if caption else None)
        _set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = self.now()
        return message

    async def _edit_message_reply_markup(self, params: JSON) -> JSON:
        message = self._editable(params)
        markup = self._markup(params, inline_only=True)
        if markup == message.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        _set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = self.now()
        return message

    def _delete_one(self, chat: ChatState, message_id: int) -> None:
        message = chat.messages.get(message_id)
        if message is None:
            raise bad("message to delete not found")
        # "A message can only be deleted if it was sent less than 48 hours ago."
        if self.now() - int(message["date"]) >= DELETE_WINDOW:
            raise bad("message can't be deleted")

    async def _delete_message(self, params: JSON) -> bool:
        chat = self._resolve_chat(params.get("chat_id"))
        message_id = self._message_id(params)
        self._delete_one(chat, message_id)
        chat.deleted[message_id] = chat.messages.pop(message_id)
        return True

    async def _delete_messages(self, params: JSON) -> bool:
        chat = self._resolve_chat(params.get("chat_id"))
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad("message identifiers are not specified")
        deletable = []
        for message_id in ids:
            # "If some of the specified messages can't be found, they are skipped."
            with contextlib.suppress(ApiError):
                self._delete_one(chat, message_id)
                deletable.append(message_id)
        for message_id in deletable:
            chat.deleted[message_id] = chat.messages.pop(message_id)
        return True

    async def _answer_inline_query(self, params: JSON) -> bool:
        """https://core.telegram.org/bots/api#answerinlinequery, checked as strictly as
        Telegram: at most 50 results, unique ids of 1-64 bytes, next_offset of at most 64
        bytes, and each result's required fields."""
        query_id = params.get("inline_query_id")
        if query_id is None or query_id == "":
            raise bad('parameter "inline_query_id" is required')
        if str(query_id) not in self._open_inline_queries:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired")
        results = params.get("results")
        if isinstance(results, str):
            try:
                results = json.loads(results)
            except ValueError:
                raise bad("can't parse inline query results JSON object") from None
        if not isinstance(results, list):
            raise bad('parameter "results" is required')
        if len(results) > 50:
            raise bad("RESULTS_TOO_MUCH")
        ids: set[str] = set()
        for result in results:
            self._check_inline_result(result, ids)
        next_offset = params.get("next_offset", "")
        if not isinstance(next_offset, str) or len(next_offset.encode()) > 64:
            raise bad("NEXT_OFFSET_INVALID")
        self._open_inline_queries.discard(str(query_id))
        self.inline_answers[str(query_id)] = {
            k: v for k, v in params.items() if k != "inline_query_id"
        } | {"results": results}
        return True

    def _check_inline_result(self, result: Any, ids: set[str]) -> None:
        if not isinstance(result, dict):
            raise bad("can't parse InlineQueryResult JSON object")
        result_id = result.get("id")
        if not isinstance(result_id, str) or not 1 <= len(result_id.encode()) <= 64:
            raise bad("RESULT_ID_INVALID")
        if result_id in ids:
            raise bad("RESULT_ID_DUPLICATE")
        ids.add(result_id)
        kind = result.get("type")
        if kind == "photo":
            if result.get("photo_file_id"):
                self._file_for(result["photo_file_id"], "photo", missing="PHOTO_INVALID")
            elif not (result.get("photo_url") and result.get("thumbnail_url")):
                raise bad("PHOTO_INVALID")
            self._formatted(
                result,
                "caption",
                "caption_entities",
                limit=1024,
                too_long="Bad Request: MEDIA_CAPTION_TOO_LONG",
            )
        elif kind == "article":
            if not isinstance(result.get("title"), str) or not result["title"]:
                raise bad("RESULT_TITLE_EMPTY")
            content = result.get("input_message_content")
            if not isinstance(content, dict) or not content.get("message_text"):
                raise bad("MESSAGE_EMPTY")
            self._formatted(
                content, "message_text", "entities", limit=4096, too_long="MESSAGE_TOO_LONG"
            )
        else:
            raise bad("RESULT_TYPE_INVALID")
        markup = result.get("reply_markup")
        if markup is not None:
            rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
            if not isinstance(rows, list):
                raise bad("REPLY_MARKUP_INVALID")

    async def _answer_callback_query(self, params: JSON) -> bool:
        query_id = params.get("callback_query_id")
        if query_id is None or query_id == "":
            raise bad('parameter "callback_query_id" is required')
        if str(query_id) not in self._open_queries:
            raise ApiError(400, QUERY_TOO_OLD)
        text = params.get("text")
        if isinstance(text, str) and len(text) > 200:  # "0-200 characters"
            raise bad("MESSAGE_TOO_LONG")
        self._open_queries.discard(str(query_id))
        self.callback_answers[str(query_id)] = {
            k: v for k, v in params.items() if k != "callback_query_id"
        }
        return True


def _set_or_drop(message: JSON, key: str, value: Any) -> None:
    if value is None:
        message.pop(key, None)
    else:
        message[key] = copy.deepcopy(value)


def _check_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    total = 0
    for row in rows:
        for button in row:
            total += 1
            if not isinstance(button, dict):
                raise bad(
                    "can't parse inline keyboard button: InlineKeyboardButton should be an Object"
                )
            text = button.get("text")
            if not isinstance(text, str):
                raise bad("can't parse inline keyboard button: Can't find field \"text\"")
            if not text.strip():
                raise bad("BUTTON_TEXT_EMPTY")
            actions = [key for key in button if key in _INLINE_ACTIONS]
            if not actions:
                raise bad(
                    "can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )
            if len(actions) > 1:
                # "You must use exactly one of the optional fields."
                raise bad(
                    "can't parse inline keyboard button: exactly one of the optional fields "
                    f"must be used, got {', '.join(actions)}"
                )
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
                    raise bad("BUTTON_DATA_INVALID")
            if "url" in button:
                url = button["url"]
                if not isinstance(url, str) or not re.match(
                    r"^(https?://|tg://)?[^\s/]+\.[^\s]*$|^tg://\S+$", url
                ):
                    raise bad("BUTTON_URL_INVALID")
    if total > 100:
        raise bad("reply markup is too long")


def _check_reply_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad('field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays')
    for row in rows:
        for button in row:
            text = button.get("text") if isinstance(button, dict) else button
            if not isinstance(text, str):
                raise bad("can't parse keyboard button: Can't find field \"text\"")
            if not text.strip():
                raise bad("BUTTON_TEXT_EMPTY")

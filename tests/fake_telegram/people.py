"""The "people" side of the fake: users who talk to the bot, the channel, and bot messages.

Tests read like a story::

    alice = fake.user(42, "Alice", username="alice")
    await alice.send("/start")
    menu = await alice.wait_message(contains="Xush kelibsiz")
    await alice.press("📦 E'lon berish")
    await alice.send_album(3)
    post = await fake.channel.wait_post(contains="Narxi")

Every action (``send*``, ``press*``, ``tap_reply_button``) moves the person's cursor to "now",
so the next :meth:`Person.wait_message` only considers bot messages sent after it; each
returned message moves the cursor past itself, so consecutive waits walk through the bot's
replies in order.  Waits are woken by every recorded call -- there is no polling loop.
"""

# The driver API is awaited from tests; `timeout=` keyword arguments read better there.
# ruff: noqa: ASYNC109

from __future__ import annotations

import enum
import re
import secrets
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

from .html_entities import utf16_len

if TYPE_CHECKING:
    from .server import FakeTelegram

__all__ = ["OWN", "BotMessage", "Channel", "Person"]

JSON = dict[str, Any]

_COMMAND_RE = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")


class _Own(enum.Enum):
    OWN = "own"


OWN = _Own.OWN
"""Default of ``send_contact(user_id=...)``: the sender's own user id."""


def fake_jpeg(size: int = 2048) -> bytes:
    """Random bytes framed like a JPEG (SOI/APP0 ... EOI); nobody decodes them."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + secrets.token_bytes(size) + b"\xff\xd9"


class BotMessage:
    """A live view of one message the bot sent: attributes reflect edits as they happen.

    Indexing (``msg["text"]``) and :meth:`get` read the underlying Bot API Message dict.
    A deleted message keeps its last state and has ``deleted == True``.
    """

    def __init__(self, fake: FakeTelegram, chat_id: int, message_id: int) -> None:
        self._fake = fake
        self.chat_id = chat_id
        self.message_id = message_id

    @property
    def data(self) -> JSON:
        chat = self._fake.chat_state(self.chat_id)
        message = chat.messages.get(self.message_id) or chat.deleted.get(self.message_id)
        assert message is not None
        return message

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def seq(self) -> int:
        """Position among all messages the bot sent (any chat), for ``since=``."""
        return self._fake.message_seq(self.chat_id, self.message_id)

    @property
    def deleted(self) -> bool:
        return self.message_id in self._fake.chat_state(self.chat_id).deleted

    @property
    def edited(self) -> bool:
        return "edit_date" in self.data

    @property
    def text(self) -> str | None:
        text = self.data.get("text")
        return text if isinstance(text, str) else None

    @property
    def caption(self) -> str | None:
        caption = self.data.get("caption")
        return caption if isinstance(caption, str) else None

    @property
    def content(self) -> str:
        """The text or caption, whichever the message has ("" for neither)."""
        return self.text or self.caption or ""

    @property
    def entities(self) -> list[JSON]:
        entities = self.data.get("entities") or self.data.get("caption_entities") or []
        assert isinstance(entities, list)
        return entities

    @property
    def photo(self) -> list[JSON] | None:
        photo = self.data.get("photo")
        return photo if isinstance(photo, list) else None

    @property
    def media_group_id(self) -> str | None:
        group = self.data.get("media_group_id")
        return group if isinstance(group, str) else None

    @property
    def reply_markup(self) -> JSON | None:
        """The inline keyboard (the only markup that is part of a Message)."""
        markup = self.data.get("reply_markup")
        return markup if isinstance(markup, dict) else None

    @property
    def reply_keyboard(self) -> JSON | None:
        """The reply keyboard (or remove_keyboard/force_reply) sent with this message."""
        return self._fake.chat_state(self.chat_id).keyboards.get(self.message_id)

    @property
    def inline_buttons(self) -> list[list[JSON]]:
        markup = self.reply_markup
        rows = markup.get("inline_keyboard", []) if markup else []
        assert isinstance(rows, list)
        return rows

    @property
    def buttons(self) -> list[list[str]]:
        """Labels of the inline keyboard, row by row."""
        return [[button["text"] for button in row] for row in self.inline_buttons]

    @property
    def callback_data(self) -> list[str]:
        """callback_data of every callback button, in reading order."""
        return [
            button["callback_data"]
            for row in self.inline_buttons
            for button in row
            if "callback_data" in button
        ]

    def button(self, label: str) -> JSON:
        """The inline button labelled ``label`` (exact match, else prefix match)."""
        found = _find_button([button for row in self.inline_buttons for button in row], label)
        if not isinstance(found, dict):
            msg = f"no inline button {label!r} on message {self.message_id}; has {self.buttons}"
            raise AssertionError(msg)
        return found

    async def wait_content(self, contains: str, timeout: float = 5.0) -> BotMessage:
        """Wait until an edit makes the text/caption contain ``contains``."""
        await self._fake.wait_until(
            lambda: contains in self.content,
            timeout,
            what=f"message {self.message_id} to contain {contains!r} (now {self.content!r})",
        )
        return self

    def __repr__(self) -> str:
        state = " deleted" if self.deleted else ""
        return (
            f"<BotMessage chat={self.chat_id} id={self.message_id}{state} "
            f"{self.content[:60]!r} buttons={self.buttons}>"
        )


def _find_button(buttons: list[Any], label: str) -> Any:
    """Exact label first, then a label starting with ``label``."""

    def text(button: Any) -> str:
        return str(button.get("text") if isinstance(button, dict) else button)

    for button in buttons:
        if text(button) == label:
            return button
    for button in buttons:
        if text(button).startswith(label):
            return button
    return None


class _ChatView:
    """Shared by people and the channel: reading the bot's messages in one chat."""

    _fake: FakeTelegram
    _cursor: int

    @property
    def id(self) -> int:
        raise NotImplementedError

    @property
    def messages(self) -> list[BotMessage]:
        """Every bot message in the chat that was not deleted, current state, oldest first."""
        return self._fake.bot_messages(self.id)

    @property
    def last_message(self) -> BotMessage:
        messages = self.messages
        if not messages:
            msg = f"the bot has sent nothing (left) in chat {self.id}"
            raise AssertionError(msg)
        return messages[-1]

    async def _wait_next(
        self,
        contains: str | None,
        timeout: float,
        since: BotMessage | int | None,
        predicate: Callable[[BotMessage], bool] | None,
    ) -> BotMessage:
        if since is None:
            floor = self._cursor
        else:
            floor = since.seq if isinstance(since, BotMessage) else since
        chat = self._fake.chat_state(self.id)

        def find() -> BotMessage | None:
            # Deleted messages count too: they did arrive.
            for message_id, seq in sorted(chat.seq.items(), key=lambda item: item[1]):
                if seq <= floor:
                    continue
                message = BotMessage(self._fake, self.id, message_id)
                if contains is not None and contains not in message.content:
                    continue
                if predicate is not None and not predicate(message):
                    continue
                return message
            return None

        def what() -> str:
            seen = [m.content[:80] for m in self.messages[-5:]]
            return (
                f"a bot message in chat {self.id}"
                + (f" containing {contains!r}" if contains is not None else "")
                + f"; latest messages there: {seen}"
            )

        found = await self._fake.wait_for(find, timeout, what)
        self._cursor = max(self._cursor, found.seq)
        return found


class Person(_ChatView):
    """A Telegram user with a private chat with the bot (chat id == user id)."""

    def __init__(
        self,
        fake: FakeTelegram,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        is_premium: bool | None = None,
    ) -> None:
        self._fake = fake
        self._id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.is_premium = is_premium
        self._cursor = fake.last_seq
        self.last_callback_query_id: str | None = None

    @property
    def id(self) -> int:
        return self._id

    @property
    def user(self) -> JSON:
        """This person as a Bot API User object."""
        user: JSON = {"id": self._id, "is_bot": False, "first_name": self.first_name}
        optional = {
            "last_name": self.last_name,
            "username": self.username,
            "language_code": self.language_code,
            "is_premium": self.is_premium,
        }
        user.update({k: v for k, v in optional.items() if v is not None})
        return user

    @property
    def chat(self) -> JSON:
        """The private chat with the bot as a Bot API Chat object."""
        chat: JSON = {"id": self._id, "type": "private", "first_name": self.first_name}
        if self.last_name is not None:
            chat["last_name"] = self.last_name
        if self.username is not None:
            chat["username"] = self.username
        return chat

    @property
    def blocked(self) -> bool:
        return self._fake.is_blocked(self._id)

    def block_bot(self) -> None:
        self._fake.block(self._id)

    def unblock_bot(self) -> None:
        self._fake.unblock(self._id)

    @property
    def reply_keyboard(self) -> list[list[str]] | None:
        """Labels of the reply keyboard currently shown to this person, if any."""
        keyboard = self._fake.chat_state(self._id).reply_keyboard
        if keyboard is None:
            return None
        return [
            [str(b.get("text") if isinstance(b, dict) else b) for b in row]
            for row in keyboard["keyboard"]
        ]

    # ------------------------------------------------------------- actions

    def _mark(self) -> None:
        self._cursor = self._fake.last_seq

    def _queue_message(self, content: JSON, *, reply_to: BotMessage | int | None = None) -> JSON:
        if self.blocked:
            # A user who blocked the bot must press "Restart" (unblock) to write to it.
            self._fake.unblock(self._id)
        if reply_to is not None:
            message_id = reply_to.message_id if isinstance(reply_to, BotMessage) else reply_to
            original = self._fake.chat_state(self._id).messages.get(message_id)
            if original is None:
                msg = f"cannot reply to message {message_id}: not in {self.first_name}'s chat"
                raise AssertionError(msg)
            content = {**content, "reply_to_message": dict(original)}
        self._mark()
        message = self._fake.user_message(self, content)
        return self._fake.queue_update("message", message, chat_id=self._id)

    def origin(self) -> JSON:
        """A MessageOrigin of this person, for ``forward_origin=``: what Telegram attaches to a
        message of theirs forwarded from another chat (https://core.telegram.org/bots/api#messageoriginuser)."""
        return {"type": "user", "sender_user": self.user, "date": self._fake.now() - 3600}

    async def send(
        self,
        text: str,
        *,
        reply_to: BotMessage | int | None = None,
        forward_origin: JSON | None = None,
    ) -> JSON:
        """Send a text message; ``/commands`` get bot_command entities.  Returns the Update.
        With ``forward_origin``, the message is a forward (from another chat)."""
        content: JSON = {"text": text}
        if forward_origin is not None:
            content["forward_origin"] = forward_origin
        entities = [
            {
                "type": "bot_command",
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group()),
            }
            for match in _COMMAND_RE.finditer(text)
        ]
        if entities:
            content["entities"] = entities
        return self._queue_message(content, reply_to=reply_to)

    async def send_photo(
        self,
        *,
        caption: str | None = None,
        data: bytes | None = None,
        forward_origin: JSON | None = None,
    ) -> JSON:
        """Send a photo (registered as files: 2 PhotoSize, largest last).  Returns the Update."""
        content: JSON = {"photo": self._fake.store_photo(data or fake_jpeg())}
        if caption is not None:
            content["caption"] = caption
        if forward_origin is not None:
            content["forward_origin"] = forward_origin
        return self._queue_message(content)

    async def send_album(
        self,
        count: int = 3,
        *,
        caption: str | None = None,
        forward_origin: JSON | None = None,
        videos: Collection[int] = (),
    ) -> list[JSON]:
        """Send ``count`` photos as one album: one update per photo, queued together.

        As in Telegram clients, the caption goes on the first item. A forwarded album keeps
        its grouping: every item carries the same ``forward_origin``. The items at the
        indices in ``videos`` are videos: an album may mix photos and videos
        (https://core.telegram.org/bots/api#sendmediagroup).
        """
        if not 2 <= count <= 10:
            msg = "an album has 2-10 items"
            raise ValueError(msg)
        group = self._fake.new_media_group_id()
        updates = []
        for index in range(count):
            content: JSON = {"media_group_id": group}
            if index in videos:
                content["video"] = self._video(5)
            else:
                content["photo"] = self._fake.store_photo(fake_jpeg())
            if caption is not None and index == 0:
                content["caption"] = caption
            if forward_origin is not None:
                content["forward_origin"] = forward_origin
            updates.append(self._queue_message(content))
        return updates

    async def send_sticker(self, emoji: str = "👍") -> JSON:
        stored = self._fake.store_file(fake_jpeg(512), "sticker", mime_type="image/webp")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._queue_message({"sticker": sticker})

    async def send_voice(self, duration: int = 3) -> JSON:
        stored = self._fake.store_file(secrets.token_bytes(800), "voice", mime_type="audio/ogg")
        voice = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "duration": duration,
            "mime_type": "audio/ogg",
        }
        return self._queue_message({"voice": voice})

    def _video(self, duration: int) -> JSON:
        stored = self._fake.store_file(secrets.token_bytes(4096), "video", mime_type="video/mp4")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "width": 640,
            "height": 480,
            "duration": duration,
            "mime_type": "video/mp4",
        }

    async def send_video(self, *, caption: str | None = None, duration: int = 5) -> JSON:
        content: JSON = {"video": self._video(duration)}
        if caption is not None:
            content["caption"] = caption
        return self._queue_message(content)

    async def send_document(
        self,
        *,
        file_name: str = "document.pdf",
        data: bytes | None = None,
        mime_type: str = "application/pdf",
        caption: str | None = None,
    ) -> JSON:
        stored = self._fake.store_file(
            data or b"%PDF-1.4\n" + secrets.token_bytes(1024),
            "document",
            file_name=file_name,
            mime_type=mime_type,
        )
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_name": file_name,
            "mime_type": mime_type,
        }
        content: JSON = {"document": document}
        if caption is not None:
            content["caption"] = caption
        return self._queue_message(content)

    async def send_contact(
        self,
        phone: str = "+998901234567",
        *,
        user_id: int | _Own | None = OWN,
        first_name: str | None = None,
    ) -> JSON:
        """Share a contact; by default one's own (``user_id`` = own id, as the
        request_contact button sends it).  Pass another id, or None, for someone else's."""
        contact: JSON = {"phone_number": phone, "first_name": first_name or self.first_name}
        if user_id is OWN:
            contact["user_id"] = self._id
            if self.last_name is not None and first_name is None:
                contact["last_name"] = self.last_name
        elif user_id is not None:
            contact["user_id"] = user_id
        return self._queue_message({"contact": contact})

    async def send_location(self, latitude: float = 40.3864, longitude: float = 71.7864) -> JSON:
        return self._queue_message({"location": {"latitude": latitude, "longitude": longitude}})

    async def press(self, label: str, *, message: BotMessage | None = None) -> JSON:
        """Press an inline button: queue a callback_query with its callback_data.

        Looks in ``message`` or else the newest bot message in this chat that has a button
        labelled ``label`` (exact match preferred over prefix match).  Returns the Update.
        """
        if message is not None:
            channel_id = self._fake.channel.id if self._fake.has_channel else None
            if message.chat_id not in (self._id, channel_id):
                msg = f"{self.first_name} cannot see message {message!r}"
                raise AssertionError(msg)
            if message.deleted:
                msg = f"message {message.message_id} was deleted; its buttons are gone"
                raise AssertionError(msg)
        candidates = [message] if message is not None else list(reversed(self.messages))
        for exact in (True, False):
            for candidate in candidates:
                for row in candidate.inline_buttons:
                    for button in row:
                        text = str(button.get("text"))
                        if text == label or (not exact and text.startswith(label)):
                            if "callback_data" not in button:
                                kinds = [k for k in button if k != "text"]
                                msg = f"button {text!r} is not a callback button ({kinds})"
                                raise AssertionError(msg)
                            return self._queue_callback(candidate.data, button["callback_data"])
        visible = {m.message_id: m.buttons for m in candidates if m.buttons}
        msg = f"{self.first_name} sees no inline button {label!r}; visible buttons: {visible}"
        raise AssertionError(msg)

    async def press_callback(self, data: str, *, message_id: int | None = None) -> JSON:
        """Send a (possibly forged) callback_query with any data, as a modified client could."""
        chat = self._fake.chat_state(self._id)
        message: JSON | None
        if message_id is None:
            newest = self.messages
            message = newest[-1].data if newest else None
        else:
            message = chat.messages.get(message_id)
        if message is None:
            # Bot API: an InaccessibleMessage has date 0.
            message = {"chat": chat.chat, "message_id": message_id or 0, "date": 0}
        return self._queue_callback(message, data)

    def _queue_callback(self, message: JSON, data: str) -> JSON:
        self._mark()
        query = self._fake.new_callback_query(self, message, data)
        self.last_callback_query_id = query["id"]
        return self._fake.queue_update("callback_query", query, chat_id=message["chat"]["id"])

    async def inline_query(self, query: str, *, offset: str = "") -> str:
        """Type `@bot query` in any chat (inline mode); returns the query's id."""
        self._mark()
        payload = self._fake.new_inline_query(self, query, offset)
        self._fake.queue_update("inline_query", payload)
        return str(payload["id"])

    async def wait_inline_answer(self, query_id: str, *, timeout: float = 5.0) -> JSON:
        """The answerInlineQuery parameters for `query_id`."""
        return await self._fake.wait_for(
            lambda: self._fake.inline_answers.get(query_id),
            timeout,
            lambda: f"an answer to inline query {query_id}",
        )

    async def tap_reply_button(self, label: str) -> JSON:
        """Tap a button of the reply keyboard shown now: sends its text, or the contact /
        location for request_contact / request_location buttons."""
        keyboard = self._fake.chat_state(self._id).reply_keyboard
        if keyboard is None:
            msg = f"{self.first_name} has no reply keyboard shown (wanted {label!r})"
            raise AssertionError(msg)
        button = _find_button([b for row in keyboard["keyboard"] for b in row], label)
        if button is None:
            msg = f"no reply keyboard button {label!r}; keyboard: {self.reply_keyboard}"
            raise AssertionError(msg)
        if isinstance(button, dict):
            if button.get("request_contact"):
                return await self.send_contact()
            if button.get("request_location"):
                return await self.send_location()
            return await self.send(str(button["text"]))
        return await self.send(str(button))

    # ------------------------------------------------------------- observing

    async def wait_message(
        self,
        contains: str | None = None,
        *,
        timeout: float = 5.0,
        since: BotMessage | int | None = None,
        predicate: Callable[[BotMessage], bool] | None = None,
    ) -> BotMessage:
        """The next bot message in this chat after the latest action (or ``since``) whose
        text/caption contains ``contains`` and that satisfies ``predicate``."""
        return await self._wait_next(contains, timeout, since, predicate)

    async def wait_callback_answer(
        self, query_id: str | None = None, *, timeout: float = 5.0
    ) -> JSON:
        """The answerCallbackQuery parameters for ``query_id`` (default: the last press)."""
        wanted = query_id or self.last_callback_query_id
        if wanted is None:
            msg = f"{self.first_name} pressed no button"
            raise AssertionError(msg)
        return await self._fake.wait_for(
            lambda: self._fake.callback_answers.get(wanted),
            timeout,
            lambda: f"an answer to callback query {wanted}",
        )

    def __repr__(self) -> str:
        return f"<Person {self._id} {self.first_name!r}>"


class Channel(_ChatView):
    """The bot's channel.  Configure the bot's rights before the bot asks for them."""

    def __init__(
        self, fake: FakeTelegram, *, chat_id: int, username: str | None, title: str
    ) -> None:
        self._fake = fake
        self._id = chat_id
        self.username = username
        self.title = title
        self._cursor = 0
        self.exists = True  # False: every call naming it answers "chat not found"
        self.bot_status = "administrator"  # or "member" / "left"
        self.can_post_messages = True
        self.members: dict[int, str] = {}  # user id -> status, for getChatMember
        self.owner: JSON = {"id": 1_000_001, "is_bot": False, "first_name": "Channel owner"}

    @property
    def id(self) -> int:
        return self._id

    @property
    def chat(self) -> JSON:
        chat: JSON = {"id": self._id, "type": "channel", "title": self.title}
        if self.username is not None:
            chat["username"] = self.username
        return chat

    def post_as_someone_else(self, text: str = "A post by another admin") -> int:
        """Another admin posts in the channel (not through the bot); returns its message id.
        It takes the next message id, and the bot cannot edit it."""
        message_id: int = self._fake.post_as_someone_else(text)["message_id"]
        return message_id

    def delete(self, message_id: int) -> None:
        """An admin deletes a channel message (any age, anyone's): edits then answer "message
        to edit not found"."""
        chat = self._fake.chat_state(self._id)
        chat.deleted[message_id] = chat.messages.pop(message_id)

    async def wait_post(
        self,
        contains: str | None = None,
        *,
        timeout: float = 5.0,
        since: BotMessage | int | None = None,
        predicate: Callable[[BotMessage], bool] | None = None,
    ) -> BotMessage:
        """The next channel post not returned by an earlier ``wait_post`` (or after
        ``since``) whose text/caption contains ``contains``."""
        return await self._wait_next(contains, timeout, since, predicate)

    def __repr__(self) -> str:
        return f"<Channel {self._id} @{self.username}>"

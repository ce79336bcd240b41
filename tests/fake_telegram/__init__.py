"""A strict local fake of the Telegram Bot API, for end-to-end tests of the real bot.

The bot under test talks HTTP to it exactly as to api.telegram.org::

    session = AiohttpSession(api=TelegramAPIServer.from_base(fake.url))
    bot = Bot(fake.token, session=session)          # or: fake.make_bot()

Set-up and teardown::

    async with FakeTelegram(
        token="123456:TEST-token",
        bot_username="vodiy_test_bot",
        channel_username="vodiy_test",
        channel_id=-1001234567890,
    ) as fake:                                      # or: await fake.start() / fake.stop()
        ...                                         # fake.url == "http://127.0.0.1:<port>"

People (``people.py``) -- every action returns the queued Update dict(s)::

    alice = fake.user(42, "Alice", username="alice", language_code="uz")
    await alice.send("/start")                      # bot_command entity for /commands
    await alice.send_photo(caption=None)            # 2 PhotoSize, largest last, getFile-able
    await alice.send_album(3)                       # shared media_group_id, consecutive ids
    await alice.send_sticker(); await alice.send_voice(); await alice.send_video()
    await alice.send_document(file_name="a.pdf"); await alice.send_location()
    await alice.send_contact("+998901234567", user_id=OWN)   # another id: not her own
    await alice.press("✅ Tasdiqlash")              # newest message with that inline button
    await alice.press("Label", message=msg)         # a specific (also channel) message
    await alice.press_callback("forged:data", message_id=None)
    await alice.tap_reply_button("📦 E'lonlarim")   # request_contact sends her contact
    msg = await alice.wait_message(contains="...", timeout=5, since=None, predicate=None)
    answer = await alice.wait_callback_answer()    # answerCallbackQuery params
    alice.messages / alice.last_message / alice.reply_keyboard
    alice.block_bot() / alice.unblock_bot()         # also fake.block(id) / fake.unblock(id)

A :class:`BotMessage` is a live view (edits show up): ``.text .caption .content .entities
.buttons .callback_data .button(label) .photo .media_group_id .reply_markup .reply_keyboard
.message_id .chat_id .deleted .edited .data`` and ``await msg.wait_content("Sotildi")``.

Channel: ``fake.channel.messages``, ``.last_message``, ``await fake.channel.wait_post(...)``;
the bot's rights: ``fake.channel.bot_status = "member"|"left"``, ``.can_post_messages``,
``.exists = False`` (chat not found), ``.members[user_id] = "member"``.

The server side (``server.py`` and the parts it is built from: ``state.py``, ``faults.py``,
``messages.py``, ``media.py``, ``updates.py``, ``chats.py``, ``payments.py``)::

    fake.calls            # [Call(method, params, response, at, status, ...)], arrival order;
                          # a long poll is there (call.pending) before it is answered
    await fake.wait_call("sendMediaGroup", chat_id=fake.channel.id, timeout=5, ok=True)
    await fake.wait_call("getUpdates")              # "the bot is polling"; also fake.polling
    await fake.wait_until(lambda: len(fake.channel.messages) == 3, timeout=5)
    await fake.wait_idle(timeout=5)                 # all updates confirmed, nothing in flight
    fake.updates_pending()
    fake.fail_with(500, times=2, methods=["sendMessage"])     # or until=time.monotonic()+1
    fake.flood(retry_after=3, methods=["sendPhoto"], chat_id=42)
    fake.clear_faults(); fake.reject_file_ids([file_id])
    fake.enforce_limits = True                      # 429s for ~1 msg/s/chat, 20/min channel
    file_id, unique_id = fake.add_file(b"...", file_size=25 * 1024 * 1024)
    fake.advance_clock(49 * 3600)                   # messages now too old to delete
    await fake.deliver_raw(update, secret="wrong")  # webhook refusal checks
    fake.reply_latencies()                          # update handed out -> first send, seconds
    fake.queue_update("message", {...})             # any raw update
    fake.lose_answers(["sendMediaGroup"], chat_id=fake.channel.id)  # performed, answer lost
    fake.drop_connections(until=time.monotonic() + 3)  # closed, not performed, no answer
    fake.channel.can_post_messages = False          # 400 "need administrator rights" to posts
    fake.channel.post_as_someone_else("text")       # another admin's post: the next id, which
                                                    # the bot can't edit; .delete(message_id)

All waits are woken by state changes (recorded calls, queued/confirmed updates), never by
sleeping, and fail with an AssertionError describing what was awaited and the last calls.
"""

from .core import (
    SEND_METHODS,
    ApiError,
    Call,
    Fault,
    LostAnswer,
    Outage,
    StoredFile,
    UploadedFile,
)
from .html_entities import EntityParseError, parse_html, strip_formatted, utf16_len
from .people import OWN, BotMessage, Channel, Person, fake_jpeg
from .server import FakeTelegram

__all__ = [
    "OWN",
    "SEND_METHODS",
    "ApiError",
    "BotMessage",
    "Call",
    "Channel",
    "EntityParseError",
    "FakeTelegram",
    "Fault",
    "LostAnswer",
    "Outage",
    "Person",
    "StoredFile",
    "UploadedFile",
    "fake_jpeg",
    "parse_html",
    "strip_formatted",
    "utf16_len",
]

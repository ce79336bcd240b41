"""The fake Bot API server agrees with aiogram, and is as strict as Telegram where it matters.

Every test drives a real ``aiogram.Bot`` (and for polling/webhooks a real ``Dispatcher``)
over HTTP against the fake.  Synchronisation is by the fake's waits (woken by state changes)
or by awaiting the bot's own requests -- never by sleeping.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import SendMediaGroup, SendMessage
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BufferedInputFile,
    CallbackQuery,
    ChatMemberAdministrator,
    ChatMemberLeft,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    MediaUnion,
    Message,
    ReplyKeyboardMarkup,
)
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from tests.fake_telegram import EntityParseError, FakeTelegram, parse_html, utf16_len

TOKEN = "123456:TEST-token"
CHANNEL_ID = -1001234567890


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(
        TOKEN,
        bot_username="vodiy_test_bot",
        channel_username="vodiy_test",
        channel_id=CHANNEL_ID,
    ) as fake:
        yield fake


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with fake.make_bot() as bot:
        yield bot


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=text, callback_data=data) for text, data in row]
            for row in rows
        ]
    )


async def post_raw(fake: FakeTelegram, path: str, **data: Any) -> tuple[int, dict[str, Any]]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{fake.url}{path}", data=data) as response,
    ):
        return response.status, await response.json()


# ---------------------------------------------------------------- HTML parse mode


def test_html_entities_count_utf16_and_nest() -> None:
    text, entities = parse_html('😀 <b>Narx <i>100</i></b> <a href="https://t.me/x">link</a>')
    assert text == "😀 Narx 100 link"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 8},
        {"type": "italic", "offset": 8, "length": 3},
        {"type": "text_link", "offset": 12, "length": 4, "url": "https://t.me/x"},
    ]
    assert utf16_len("😀") == 2


def test_html_pre_code_spoiler_blockquote_and_escapes() -> None:
    source = (
        '<pre><code class="language-python">x &lt; 1</code></pre>'
        '<span class="tg-spoiler">s</span><blockquote expandable>q</blockquote>&#128512;&quot;'
    )
    text, entities = parse_html(source)
    assert text == 'x < 1sq😀"'
    assert [e["type"] for e in entities] == ["pre", "spoiler", "expandable_blockquote"]
    assert entities[0]["language"] == "python"


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<p>x</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("<br/>", 'Unsupported start tag "br/"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("a &nbsp; b", 'Unsupported HTML entity "&nbsp;"'),
        ("Tom & Jerry", "Unsupported HTML entity"),
        ("1 < 2", 'Unsupported start tag ""'),
    ],
)
def test_html_rejects_what_telegram_rejects(source: str, reason: str) -> None:
    with pytest.raises(EntityParseError, match=None) as error:
        parse_html(source)
    assert reason in str(error.value)


# ---------------------------------------------------------------- basics and polling


async def test_get_me_and_call_recording(fake: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "vodiy_test_bot", True)
    assert [c.method for c in fake.calls] == ["getMe"]
    assert fake.calls[0].ok
    assert fake.calls[0].result["id"] == 123456


async def test_wrong_token_unknown_method_and_case_insensitive_names(
    fake: FakeTelegram,
) -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(fake.url))
    async with Bot("999:wrong", session=session) as wrong:
        with pytest.raises(TelegramUnauthorizedError):
            await wrong.get_me()
    status, body = await post_raw(fake, f"/bot{TOKEN}/sendSticker", chat_id="1")
    assert (status, body["description"]) == (404, "Not Found")
    status, body = await post_raw(fake, f"/bot{TOKEN}/GETME")
    assert status == 200
    assert body["result"]["username"] == "vodiy_test_bot"
    assert [c.method for c in fake.calls] == ["getMe", "sendSticker", "getMe"]


async def test_long_poll_returns_as_soon_as_an_update_arrives(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice", username="alice")
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=20))
    call = await fake.wait_call("getUpdates")  # recorded on arrival, answered later
    assert call.pending
    assert fake.polling
    await alice.send("/start ref_7")
    updates = await poll
    assert call.finished_at is not None  # answered now
    assert call.result[0]["message"]["text"] == "/start ref_7"
    assert time.monotonic() - started < 5  # far below the 20 s poll timeout
    [update] = updates
    assert update.message is not None
    assert update.message.text == "/start ref_7"
    assert update.message.from_user is not None
    assert update.message.from_user.id == 42
    assert update.message.entities is not None
    assert update.message.entities[0].type == "bot_command"
    assert update.message.entities[0].length == len("/start")


async def test_confirmed_updates_are_gone_for_good(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    await alice.send("one")
    await alice.send("two")
    first = await bot.get_updates()
    assert [u.message.text for u in first if u.message] == ["one", "two"]
    again = await bot.get_updates()  # no offset: nothing was confirmed yet
    assert [u.update_id for u in again] == [u.update_id for u in first]
    assert await bot.get_updates(offset=first[-1].update_id + 1) == []
    assert fake.updates_pending() == []
    assert await bot.get_updates(offset=first[0].update_id) == []


async def test_second_get_updates_terminates_the_first(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    first = asyncio.create_task(bot.get_updates(timeout=20))
    await fake.wait_until(lambda: fake.polling)
    second = asyncio.create_task(bot.get_updates(timeout=20))
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates"):
        await first
    await alice.send("hi")
    assert [u.message.text for u in await second if u.message] == ["hi"]


async def test_updates_of_types_not_allowed_are_dropped(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    await alice.send("text")
    await alice.press_callback("data")
    updates = await bot.get_updates(allowed_updates=["callback_query"])
    assert [u.callback_query.data for u in updates if u.callback_query] == ["data"]
    assert len(updates) == 1


async def test_dispatcher_polling_end_to_end(fake: FakeTelegram, bot: Bot) -> None:
    dp = Dispatcher()

    @dp.message(F.text == "/start")
    async def start(message: Message) -> None:
        await message.answer(
            "Salom, <b>xush kelibsiz</b>!", reply_markup=keyboard([("✅ Ha", "yes")])
        )

    @dp.callback_query(F.data == "yes")
    async def yes(query: CallbackQuery) -> None:
        await query.answer("Qabul qilindi")
        assert isinstance(query.message, Message)
        await query.message.edit_text("Tasdiqlandi ✅")

    polling = asyncio.create_task(
        dp.start_polling(bot, handle_signals=False, close_bot_session=False, polling_timeout=5)
    )
    try:
        alice = fake.user(42, "Alice")
        await alice.send("/start")
        greeting = await alice.wait_message(contains="xush kelibsiz")
        assert greeting.text == "Salom, xush kelibsiz!"
        assert greeting.entities == [{"type": "bold", "offset": 7, "length": 13}]
        assert greeting.buttons == [["✅ Ha"]]
        await alice.press("✅")
        assert (await alice.wait_callback_answer())["text"] == "Qabul qilindi"
        await greeting.wait_content("Tasdiqlandi")
        assert greeting.buttons == []  # edit_text without markup removes the keyboard
        await fake.wait_idle()
        assert fake.updates_pending() == []
        assert len(fake.reply_latencies()) == 1
    finally:
        await dp.stop_polling()
        await polling


# ---------------------------------------------------------------- sending and validation


async def test_send_message_html_is_stored_as_visible_text(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    sent = await bot.send_message(alice.id, "Teg: &lt;b&gt; <b>qalin</b>\n")
    assert sent.text == "Teg: <b> qalin"  # escaped tag shown literally, newline trimmed
    [stored] = alice.messages
    assert stored.text == "Teg: <b> qalin"
    assert stored.entities == [{"type": "bold", "offset": 9, "length": 5}]
    assert stored["from"]["id"] == 123456
    assert stored["chat"]["type"] == "private"


async def test_invalid_html_is_refused_and_leaves_nothing(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    for text in ("<b>yopilmagan", "<p>paragraf</p>", "Tom & Jerry"):
        with pytest.raises(TelegramBadRequest, match="can't parse entities"):
            await bot.send_message(alice.id, text)
    assert alice.messages == []
    assert [c.ok for c in fake.calls] == [False, False, False]


async def test_text_limit_counts_utf16_after_parsing(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    await bot.send_message(alice.id, "<b>" + "x" * 4096 + "</b>")
    await bot.send_message(alice.id, "😀" * 2048)  # 4096 UTF-16 units
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(alice.id, "x" * 4097)
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(alice.id, "😀" * 2049)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(alice.id, "<b> </b>")
    assert len(alice.messages) == 2


async def test_caption_limit(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    photo = BufferedInputFile(b"\xff\xd8photo\xff\xd9", "p.jpg")
    sent = await bot.send_photo(alice.id, photo, caption="<i>" + "c" * 1024 + "</i>")
    assert sent.caption == "c" * 1024
    file_id = sent.photo[-1].file_id if sent.photo else ""
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.send_photo(alice.id, file_id, caption="c" * 1025)
    assert len(alice.messages) == 1


async def test_callback_data_is_limited_to_64_bytes(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    await bot.send_message(alice.id, "ok", reply_markup=keyboard([("a", "д" * 32)]))
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(alice.id, "no", reply_markup=keyboard([("a", "д" * 33)]))
    text_only = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="x")]])
    with pytest.raises(TelegramBadRequest, match="Text buttons are unallowed"):
        await bot.send_message(alice.id, "no", reply_markup=text_only)
    assert [m.text for m in alice.messages] == ["ok"]


async def test_media_group_rules(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    update = await alice.send_photo()
    file_id = update["message"]["photo"][-1]["file_id"]

    def album(n: int) -> list[MediaUnion]:
        return [InputMediaPhoto(media=file_id, caption=f"#{i}") for i in range(n)]

    with pytest.raises(TelegramBadRequest, match="reply_markup is not supported"):
        await bot(
            SendMediaGroup(chat_id=CHANNEL_ID, media=album(2), reply_markup=keyboard([("a", "b")]))
        )
    with pytest.raises(TelegramBadRequest, match="too many messages to send as an album"):
        await bot.send_media_group(CHANNEL_ID, album(11))
    with pytest.raises(TelegramBadRequest, match="2-10 items"):
        await bot.send_media_group(CHANNEL_ID, album(1))
    assert fake.channel.messages == []
    sent = await bot.send_media_group("@vodiy_test", album(10))
    assert [m.message_id for m in sent] == list(range(1, 11))
    assert len({m.media_group_id for m in sent}) == 1
    post = fake.channel.messages[0]
    assert post.get("sender_chat") == fake.channel.chat
    assert "from" not in post.data


async def test_unknown_and_rejected_file_ids(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_photo(alice.id, "AgACAgIAAxkBAAIBunknown")
    update = await alice.send_photo()
    file_id = update["message"]["photo"][-1]["file_id"]
    await bot.send_photo(alice.id, file_id)
    fake.reject_file_ids([file_id])
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_photo(alice.id, file_id)
    assert len(alice.messages) == 1


async def test_uploaded_photo_gets_a_reusable_file_id(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    data = b"\xff\xd8uploaded photo bytes\xff\xd9"
    sent = await bot.send_photo(alice.id, BufferedInputFile(data, "photo.jpg"), caption="1")
    assert sent.photo is not None
    assert len(sent.photo) == 2
    assert sent.photo[0].width < sent.photo[-1].width
    assert fake.calls[-1].params["photo"] == data
    again = await bot.send_photo(CHANNEL_ID, sent.photo[-1].file_id, caption="2")
    assert again.photo is not None
    assert again.photo[-1].file_unique_id == sent.photo[-1].file_unique_id
    assert fake.channel.last_message.caption == "2"


async def test_get_file_and_download(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    update = await alice.send_photo()
    small, large = (size["file_id"] for size in update["message"]["photo"])
    file = await bot.get_file(large)
    assert file.file_path is not None
    assert file.file_path.startswith("photos/")
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None
    assert downloaded.read() == fake.file(large).data
    small_file = await bot.get_file(small)
    assert small_file.file_path is not None
    assert small_file.file_size is not None
    assert small_file.file_size < (file.file_size or 0)
    big_id, _ = fake.add_file(b"tiny", file_size=21 * 1024 * 1024)
    with pytest.raises(TelegramBadRequest, match="file is too big"):
        await bot.get_file(big_id)
    with pytest.raises(TelegramBadRequest, match="invalid file_id"):
        await bot.get_file("nope")


# ---------------------------------------------------------------- editing and deleting


async def test_edit_not_modified_and_keyboard_rules(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    markup = keyboard([("Ha", "yes"), ("Yo'q", "no")])
    sent = await bot.send_message(alice.id, "Savol?", reply_markup=markup)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("Savol?", chat_id=alice.id, message_id=sent.message_id,
                                    reply_markup=markup)  # fmt: skip
    await bot.edit_message_text("Javob", chat_id=alice.id, message_id=sent.message_id)
    [stored] = alice.messages
    assert (stored.text, stored.buttons, stored.edited) == ("Javob", [], True)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=alice.id, message_id=99)


async def test_edit_text_vs_caption(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    photo = await bot.send_photo(alice.id, BufferedInputFile(b"img", "a.jpg"), caption="c")
    text = await bot.send_message(alice.id, "t")
    with pytest.raises(TelegramBadRequest, match="there is no text in the message to edit"):
        await bot.edit_message_text("new", chat_id=alice.id, message_id=photo.message_id)
    with pytest.raises(TelegramBadRequest, match="there is no caption in the message to edit"):
        await bot.edit_message_caption(chat_id=alice.id, message_id=text.message_id, caption="x")
    await bot.edit_message_caption(
        chat_id=alice.id, message_id=photo.message_id, caption="<b>d</b>"
    )
    assert alice.messages[0].caption == "d"
    user_message_id = (await alice.send("user text"))["message"]["message_id"]
    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await bot.edit_message_text("hijack", chat_id=alice.id, message_id=user_message_id)


async def test_delete_only_within_48_hours(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    old = await bot.send_message(alice.id, "old")
    fake.advance_clock(49 * 3600)
    fresh = await bot.send_message(alice.id, "fresh")
    with pytest.raises(TelegramBadRequest, match="message can't be deleted"):
        await bot.delete_message(alice.id, old.message_id)
    assert await bot.delete_message(alice.id, fresh.message_id)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(alice.id, fresh.message_id)
    assert [m.text for m in alice.messages] == ["old"]


# ---------------------------------------------------------------- people


async def test_press_produces_a_callback_query_aiogram_parses(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    sent = await bot.send_message(
        alice.id, "Tanlang", reply_markup=keyboard([("✅ Yuborish", "submit:7")])
    )
    with pytest.raises(AssertionError, match="visible buttons"):
        await alice.press("❌ Bekor")
    await alice.press("✅ Yuborish")
    [update] = await bot.get_updates()
    query = update.callback_query
    assert query is not None
    assert query.data == "submit:7"
    assert query.from_user.id == 42
    assert isinstance(query.message, Message)
    assert query.message.message_id == sent.message_id
    assert await bot.answer_callback_query(query.id, text="OK")
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query.id)
    assert (await alice.wait_callback_answer())["text"] == "OK"


async def test_send_album_has_consecutive_ids_and_one_group(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    await alice.send("hi")
    updates = await alice.send_album(3, caption="Mashina")
    assert len(updates) == 3
    parsed = await bot.get_updates()
    album = [u.message for u in parsed[1:] if u.message]
    assert [m.message_id for m in album] == [2, 3, 4]
    assert len({m.media_group_id for m in album}) == 1
    assert album[0].media_group_id
    assert [m.caption for m in album] == ["Mashina", None, None]
    assert all(m.photo and len(m.photo) == 2 for m in album)


async def test_reply_keyboard_and_contact(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice", last_name="Karimova")
    markup = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text="📱 Raqamni yuborish", request_contact=True)],
                  [KeyboardButton(text="📦 E'lonlarim")]],
        resize_keyboard=True,
    )  # fmt: skip
    await bot.send_message(alice.id, "Raqamingiz?", reply_markup=markup)
    assert alice.reply_keyboard == [["📱 Raqamni yuborish"], ["📦 E'lonlarim"]]
    assert alice.last_message.reply_markup is None  # reply keyboards are not in Message
    await alice.tap_reply_button("📱")
    await alice.tap_reply_button("📦 E'lonlarim")
    with pytest.raises(AssertionError, match="no reply keyboard button"):
        await alice.tap_reply_button("Sozlamalar")
    await alice.send_contact("+998901112233", user_id=7)
    contact, text, foreign = [u.message for u in await bot.get_updates() if u.message]
    assert contact.contact is not None
    assert contact.contact.user_id == 42
    assert text.text == "📦 E'lonlarim"
    assert foreign.contact is not None
    assert foreign.contact.user_id == 7


async def test_wait_message_walks_replies_in_order(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    await bot.send_message(alice.id, "before")
    await alice.send("go")
    for text in ("first", "second", "third"):
        await bot.send_message(alice.id, text)
    assert (await alice.wait_message()).text == "first"
    assert (await alice.wait_message(contains="ird")).text == "third"
    with pytest.raises(AssertionError, match="timed out"):
        await alice.wait_message(timeout=0.05)


async def test_other_user_kinds_parse(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    await alice.send_sticker()
    await alice.send_voice()
    await alice.send_document(file_name="narx.pdf")
    await alice.send_video()
    await alice.send_location()
    messages = [u.message for u in await bot.get_updates() if u.message]
    kinds = [(m.sticker, m.voice, m.document, m.video, m.location) for m in messages]
    assert [[kind is not None for kind in row].index(True) for row in kinds] == [0, 1, 2, 3, 4]
    assert messages[2].document is not None
    assert messages[2].document.file_name == "narx.pdf"


# ---------------------------------------------------------------- channel and chats


async def test_channel_rights_and_copy(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    member = await bot.get_chat_member("@vodiy_test", 123456)
    assert isinstance(member, ChatMemberAdministrator)
    assert member.can_post_messages
    update = await alice.send_photo(caption="Sotiladi")
    source_id = update["message"]["message_id"]
    copied = await bot.copy_message(CHANNEL_ID, alice.id, source_id, caption="<b>Narx</b>")
    post = await fake.channel.wait_post(contains="Narx")
    assert post.message_id == copied.message_id
    assert post.photo
    assert post.entities == [{"type": "bold", "offset": 0, "length": 4}]
    fake.channel.bot_status = "left"
    assert isinstance(await bot.get_chat_member(CHANNEL_ID, 123456), ChatMemberLeft)
    with pytest.raises(TelegramForbiddenError, match="not a member of the channel"):
        await bot.send_message("@vodiy_test", "x")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.get_chat("@someone_else")
    chat = await bot.get_chat(CHANNEL_ID)
    assert chat.type == "channel"
    assert chat.username == "vodiy_test"


# ---------------------------------------------------------------- faults and limits


async def test_flood_surfaces_as_retry_after(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    fake.flood(7, methods=["sendMessage"])
    with pytest.raises(TelegramRetryAfter) as error:
        await bot.send_message(alice.id, "x")
    assert error.value.retry_after == 7
    assert fake.calls[-1].response["parameters"] == {"retry_after": 7}
    await bot.send_message(alice.id, "y")  # times=1: the next one passes
    assert [m.text for m in alice.messages] == ["y"]


async def test_server_error_and_blocked_user(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    fault = fake.fail_with(500, times=2, methods=["sendMessage"])
    for _ in range(2):
        with pytest.raises(TelegramServerError):
            await bot.send_message(alice.id, "x")
    assert fault.hits == 2
    alice.block_bot()
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(alice.id, "x")
    assert alice.messages == []
    assert [c.status for c in fake.calls] == [500, 500, 403]
    [update] = await bot.get_updates()
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"


async def test_fault_until_deadline(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    fake.fail_with(502, methods=["sendMessage"], until=time.monotonic() + 60)
    with pytest.raises(TelegramServerError, match="Bad Gateway"):
        await bot.send_message(alice.id, "x")
    await bot.get_me()  # other methods are unaffected
    fake.clear_faults()
    await bot.send_message(alice.id, "y")
    assert [m.text for m in alice.messages] == ["y"]


async def test_held_calls_wait_unperformed_until_released(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    bob = fake.user(43, "Bob")
    hold = fake.hold_calls(["sendMessage"], chat_id=alice.id)
    held = asyncio.create_task(bot.send_message(alice.id, "x"))
    await hold.arrived.wait()
    await bot.send_message(bob.id, "y")  # another chat is not held
    assert not held.done()
    assert alice.messages == []
    hold.release()
    assert (await held).text == "x"
    assert [m.text for m in alice.messages] == ["x"]
    await bot.send_message(alice.id, "z")  # released for good
    assert hold.hits == 2


async def test_enforced_limits(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    fake.enforce_limits = True
    results = await asyncio.gather(
        *(bot.send_message(alice.id, str(i)) for i in range(5)), return_exceptions=True
    )
    limited = [r for r in results if isinstance(r, TelegramRetryAfter)]
    assert len(limited) == 2
    assert all(r.retry_after >= 1 for r in limited)
    assert len(alice.messages) == 3
    for i in range(20):
        await bot.send_message(CHANNEL_ID, f"post {i}")
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(CHANNEL_ID, "one too many")
    # Edits count too (a progress counter edited for each photo hits the limit).
    with pytest.raises(TelegramRetryAfter):
        await bot.edit_message_text("edits count", chat_id=CHANNEL_ID, message_id=1)


# ---------------------------------------------------------------- webhook


async def test_webhook_delivery_with_secret_and_reply_method(fake: FakeTelegram, bot: Bot) -> None:
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> SendMessage:
        # Returned, not awaited: aiogram puts it in the webhook answer (multipart).
        return message.answer(f"echo: {message.text}")

    app = web.Application()
    SimpleRequestHandler(dp, bot, handle_in_background=False, secret_token="s3cret-token").register(
        app, path="/hook"
    )
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        assert await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret-token")
        with pytest.raises(TelegramConflictError, match="webhook is active"):
            await bot.get_updates()
        alice = fake.user(42, "Alice")
        await alice.send("salom")
        reply = await alice.wait_message(contains="echo")
        assert reply.text == "echo: salom"
        call = await fake.wait_call("sendMessage", chat_id=42)
        assert call.via_webhook_reply
        await fake.wait_idle()
        forged = {"update_id": 999, "message": {**reply.data, "text": "forged"}}
        status, _ = await fake.deliver_raw(forged, secret="bad")
        assert status == 401
        info = await bot.get_webhook_info()
        assert info.url.endswith("/hook")
        assert info.pending_update_count == 0
        assert await bot.delete_webhook()
    finally:
        await runner.cleanup()


async def test_webhook_retries_until_2xx(fake: FakeTelegram, bot: Bot) -> None:
    seen: list[int] = []
    delivered = asyncio.Event()

    async def flaky(request: web.Request) -> web.Response:
        seen.append((await request.json())["update_id"])
        if len(seen) == 1:
            return web.Response(status=500)
        delivered.set()
        return web.json_response({})

    app = web.Application()
    app.router.add_post("/hook", flaky)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        await bot.set_webhook(f"http://127.0.0.1:{runner.addresses[0][1]}/hook")
        update = await fake.user(42, "Alice").send("hi")
        await asyncio.wait_for(delivered.wait(), 5)
        assert seen == [update["update_id"]] * 2
        info = await bot.get_webhook_info()
        assert (
            info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
        )
        await fake.wait_idle()
        await bot.delete_webhook()
    finally:
        await runner.cleanup()


# ---------------------------------------------------------------- smaller contracts


async def test_copy_messages_keeps_albums_together(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    updates = await alice.send_album(2, caption="Uy")
    ids = [u["message"]["message_id"] for u in updates]
    copied = await bot.copy_messages(CHANNEL_ID, alice.id, ids)
    assert [c.message_id for c in copied] == [1, 2]
    first, second = fake.channel.messages
    assert first.media_group_id is not None
    assert first.media_group_id == second.media_group_id
    assert first.media_group_id != updates[0]["message"]["media_group_id"]
    assert first.caption == "Uy"
    with pytest.raises(TelegramBadRequest, match="strictly increasing"):
        await bot.copy_messages(CHANNEL_ID, alice.id, ids[::-1])


async def test_commands_are_validated_and_scoped(fake: FakeTelegram, bot: Bot) -> None:
    commands = [BotCommand(command="start", description="Boshlash")]
    assert await bot.set_my_commands(commands, language_code="uz")
    assert [c.command for c in await bot.get_my_commands(language_code="uz")] == ["start"]
    assert await bot.get_my_commands() == []
    scope = BotCommandScopeAllPrivateChats()
    assert await bot.get_my_commands(scope=scope, language_code="uz") == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Start", description="x")])


async def test_url_buttons_cannot_be_pressed(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    link = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Kanal", url="https://t.me/vodiy_test")]]
    )
    await bot.send_message(alice.id, "Havola", reply_markup=link)
    with pytest.raises(AssertionError, match="not a callback button"):
        await alice.press("Kanal")
    assert fake.updates_pending() == []


async def test_wait_idle_reports_unconfirmed_updates(fake: FakeTelegram, bot: Bot) -> None:
    await fake.user(42, "Alice").send("nobody reads this")
    with pytest.raises(AssertionError, match="1 unconfirmed updates"):
        await fake.wait_idle(timeout=0.2)
    [update] = await bot.get_updates()
    await bot.get_updates(offset=update.update_id + 1)
    await fake.wait_idle(timeout=2)


async def test_malformed_raw_updates_are_refused_at_once(fake: FakeTelegram) -> None:
    alice = fake.user(42, "Alice")
    kicked = {"status": "kicked", "user": fake.bot_user}  # ChatMemberBanned needs until_date
    member_update = {
        "chat": alice.chat,
        "from": alice.user,
        "date": fake.now(),
        "old_chat_member": {"status": "member", "user": fake.bot_user},
        "new_chat_member": kicked,
    }
    with pytest.raises(ValueError, match="until_date"):
        fake.queue_update("my_chat_member", member_update)
    assert fake.updates_pending() == []
    fake.queue_update(
        "my_chat_member", {**member_update, "new_chat_member": {**kicked, "until_date": 0}}
    )
    assert len(fake.updates_pending()) == 1


async def test_stopping_releases_a_pending_long_poll() -> None:
    fake = FakeTelegram(TOKEN)
    await fake.start()
    async with fake.make_bot() as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await fake.wait_until(lambda: fake.polling)
        started = time.monotonic()
        await fake.stop()
        assert await poll == []
        assert time.monotonic() - started < 5


async def test_document_forward_edit_media_and_admins(fake: FakeTelegram, bot: Bot) -> None:
    alice = fake.user(42, "Alice")
    doc = await bot.send_document(alice.id, BufferedInputFile(b"%PDF-1.4", "narx.pdf"))
    assert doc.document is not None
    assert doc.document.file_name == "narx.pdf"
    source = (await alice.send("sotaman"))["message"]["message_id"]
    forwarded = await bot.forward_message(CHANNEL_ID, alice.id, source)
    assert forwarded.text == "sotaman"
    assert forwarded.forward_origin is not None
    assert forwarded.forward_origin.type == "user"
    photo = await bot.send_photo(CHANNEL_ID, BufferedInputFile(b"one", "1.jpg"), caption="a")
    edited = await bot.edit_message_media(
        InputMediaPhoto(media=BufferedInputFile(b"two", "2.jpg"), caption="b"),
        chat_id=CHANNEL_ID,
        message_id=photo.message_id,
    )
    assert isinstance(edited, Message)
    assert edited.caption == "b"
    assert edited.photo is not None
    assert photo.photo is not None
    assert edited.photo[-1].file_unique_id != photo.photo[-1].file_unique_id
    admins = await bot.get_chat_administrators(CHANNEL_ID)
    assert [a.status for a in admins] == ["creator", "administrator"]
    with pytest.raises(TelegramBadRequest, match="no administrators in the private chat"):
        await bot.get_chat_administrators(alice.id)


# ---------------------------------------------------------------- lost answers, lost rights


async def test_a_lost_answer_means_performed_but_never_answered(fake: FakeTelegram) -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(fake.url))
    client = Bot(fake.token, session=session)
    try:
        fake.lose_answers(["sendMessage"], chat_id=CHANNEL_ID)
        with pytest.raises(TelegramNetworkError, match="ServerDisconnectedError"):
            await client.send_message(CHANNEL_ID, "first")
        await fake.channel.wait_post(contains="first")  # performed all the same
        [call] = fake.calls_to("sendMessage")
        assert call.ok
        assert call.answer_lost

        fake.lose_answers(["sendMessage"], late=5.0)
        with pytest.raises(TelegramNetworkError, match="timeout"):
            await client.send_message(CHANNEL_ID, "second", request_timeout=1)
        await fake.channel.wait_post(contains="second")

        # Only as many calls as asked for lose their answers.
        sent = await client.send_message(CHANNEL_ID, "third")
        assert sent.message_id == (await fake.channel.wait_post(contains="third")).message_id
        assert [c.answer_lost for c in fake.calls_to("sendMessage")] == [True, True, False]
    finally:
        await session.close()


async def test_taking_the_channel_right_away_and_giving_it_back(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.channel.can_post_messages = False
    with pytest.raises(TelegramBadRequest, match="need administrator rights in the channel"):
        await bot.send_message(CHANNEL_ID, "refused")
    fake.channel.can_post_messages = True
    sent = await bot.send_message(CHANNEL_ID, "accepted")
    assert sent.chat.id == CHANNEL_ID


# ---------------------------------------------------------------- probing the channel's ids


async def test_channel_edits_tell_own_missing_and_others_posts_apart(
    fake: FakeTelegram, bot: Bot
) -> None:
    # https://core.telegram.org/bots/api#updating-messages: a bot edits only its own messages.
    photo = BufferedInputFile(b"\xff\xd8jpeg", filename="a.jpg")
    album = await bot.send_media_group(
        CHANNEL_ID,
        [
            InputMediaPhoto(media=photo, caption="<b>Ad</b> #7"),
            InputMediaPhoto(media=BufferedInputFile(b"\xff\xd8two", filename="b.jpg")),
        ],
    )
    other = fake.channel.post_as_someone_else("Admin's own post")
    assert [m.message_id for m in album] == [1, 2]
    assert other == 3  # the channel's ids are shared by every post, one by one

    # The same caption and (no) markup: "not modified", so the post is there and the bot's.
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_caption(chat_id=CHANNEL_ID, message_id=1, caption="<b>Ad</b> #7")
    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await bot.edit_message_caption(chat_id=CHANNEL_ID, message_id=other, caption="x")
    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await bot.edit_message_text("x", chat_id=CHANNEL_ID, message_id=other)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_caption(chat_id=CHANNEL_ID, message_id=4, caption="<b>Ad</b> #7")
    fake.channel.delete(2)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_caption(chat_id=CHANNEL_ID, message_id=2, caption="x")
    assert fake.channel.messages[0].caption == "Ad #7"  # nothing was changed by the probes
    assert fake.chat_state(CHANNEL_ID).messages[other]["text"] == "Admin's own post"
    [update] = fake.updates_pending()
    assert update["channel_post"]["message_id"] == other


async def test_refused_channel_edits_count_against_the_channel_pace(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.enforce_limits = True
    for _ in range(20):
        with pytest.raises(TelegramBadRequest, match="message to edit not found"):
            await bot.edit_message_caption(chat_id=CHANNEL_ID, message_id=99, caption="x")
    with pytest.raises(TelegramRetryAfter):
        await bot.edit_message_caption(chat_id=CHANNEL_ID, message_id=99, caption="x")


async def test_dropped_connections_perform_nothing(fake: FakeTelegram, bot: Bot) -> None:
    fake.drop_connections(until=time.monotonic() + 60, chat_id=CHANNEL_ID)
    with pytest.raises(TelegramNetworkError, match="ServerDisconnectedError"):
        await bot.send_message(CHANNEL_ID, "lost")
    assert fake.channel.messages == []
    [call] = fake.calls_to("sendMessage")
    assert call.connection_dropped
    assert not call.ok
    await bot.get_me()  # other chats and methods are unaffected
    fake.clear_faults()
    await bot.send_message(CHANNEL_ID, "through")
    fake.drop_connections(times=1)
    with pytest.raises(TelegramNetworkError, match="ServerDisconnectedError"):
        await bot.send_message(CHANNEL_ID, "lost too")
    await bot.send_message(CHANNEL_ID, "only once")
    assert [m.text for m in fake.channel.messages] == ["through", "only once"]

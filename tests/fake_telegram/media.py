"""The fake Bot API's files and media: stored files and uploads, photo sizes, sendPhoto,
sendDocument, sendMediaGroup, editMessageMedia and getFile."""

from __future__ import annotations

import copy
import secrets
from collections.abc import Iterable
from typing import Any

from .core import (
    _MEDIA_KEYS,
    JSON,
    MAX_DOWNLOAD,
    MAX_PHOTO_UPLOAD,
    WRONG_FILE,
    ApiError,
    StoredFile,
    UploadedFile,
    bad,
)
from .messages import MessagesPart, _set_or_drop


class MediaPart(MessagesPart):
    """Files and the media methods (see the module)."""

    # ------------------------------------------------------------------ files

    def add_file(
        self,
        data: bytes,
        *,
        file_size: int | None = None,
        kind: str = "document",
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> tuple[str, str]:
        """Register a file the bot can use by file_id; returns ``(file_id, file_unique_id)``.

        ``file_size`` overrides the declared size (to test the 20 MB getFile limit cheaply).
        """
        if kind == "photo":
            stored = self._files[self.store_photo(data)[-1]["file_id"]]
        else:
            stored = self.store_file(data, kind, file_name=file_name, mime_type=mime_type)
        if file_size is not None:
            stored.file_size = file_size
        return stored.file_id, stored.file_unique_id

    def file(self, file_id: str) -> StoredFile:
        return self._files[file_id]

    def reject_file_ids(self, file_ids: Iterable[str]) -> None:
        """These file_ids answer "wrong file identifier" from now on (e.g. expired ones)."""
        self._rejected_file_ids.update(file_ids)

    def store_file(
        self,
        data: bytes,
        kind: str,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> StoredFile:
        n = next(self._file_counter)
        prefixes = {"photo": "AgAC", "document": "BQAC", "voice": "AwAC", "video": "BAAC"}
        file_id = f"{prefixes.get(kind, 'CAAC')}{n:05d}{secrets.token_urlsafe(18)}"
        unique = f"AQAD{n:05d}{secrets.token_hex(4)}"
        stored = StoredFile(file_id, unique, kind, bytes(data), len(data), file_name, mime_type)
        self._files[file_id] = stored
        return stored

    def store_photo(self, data: bytes, *, width: int = 1280, height: int = 960) -> list[JSON]:
        """A photo as Telegram returns it: several PhotoSize, the largest last."""
        sizes: list[JSON] = []
        for scale in (4, 1):
            # The smaller size is a prefix of the bytes: enough to tell the sizes apart.
            stored = self.store_file(data[: max(1, len(data) // scale)], "photo")
            stored.photo = sizes
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "file_size": stored.file_size,
                    "width": width // scale,
                    "height": height // scale,
                }
            )
        return sizes

    def _file_object(self, stored: StoredFile, **extra: Any) -> JSON:
        obj: JSON = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
        }
        if stored.file_name is not None:
            obj["file_name"] = stored.file_name
        if stored.mime_type is not None:
            obj["mime_type"] = stored.mime_type
        obj.update(extra)
        return obj

    def _file_for(self, value: Any, kind: str, *, missing: str) -> StoredFile | UploadedFile:
        """Resolve a file parameter: an upload (bytes) or a file_id the fake issued."""
        if value is None or value == "":
            raise bad(missing)
        if isinstance(value, UploadedFile):
            if not value:
                raise bad("file must be non-empty")
            if kind == "photo" and len(value) > MAX_PHOTO_UPLOAD:
                raise bad(
                    f"file of size {len(value)} bytes is too big for a photo; "
                    f"the maximum size is {MAX_PHOTO_UPLOAD} bytes"
                )
            return value
        if isinstance(value, bytes):
            return UploadedFile(value, kind)
        if not isinstance(value, str):
            raise bad(WRONG_FILE.removeprefix("Bad Request: "))
        if value.startswith(("http://", "https://")):
            # Telegram would download it; the fake has no network on purpose.
            raise bad("failed to get HTTP URL content")
        if value in self._rejected_file_ids or value not in self._files:
            raise ApiError(400, WRONG_FILE)
        stored = self._files[value]
        if stored.kind != kind:
            names = {"photo": "Photo", "document": "Document", "video": "Video"}
            raise bad(
                f"can't use file of type {names.get(stored.kind, stored.kind.title())} "
                f"as {names.get(kind, kind.title())}"
            )
        return stored

    def _photo_sizes(self, source: StoredFile | UploadedFile) -> list[JSON]:
        if isinstance(source, UploadedFile):
            return self.store_photo(source)
        assert source.photo is not None
        return copy.deepcopy(source.photo)

    def _media_object(self, source: StoredFile | UploadedFile, kind: str) -> JSON:
        if isinstance(source, UploadedFile):
            mime = {"video": "video/mp4", "document": "application/octet-stream"}[kind]
            name = source.filename if kind == "document" else None
            source = self.store_file(source, kind, file_name=name, mime_type=mime)
        if kind == "video":
            return self._file_object(source, width=640, height=480, duration=1)
        return self._file_object(source)

    def _caption_content(self, params: JSON) -> JSON:
        caption, entities = self._caption(params)
        content: JSON = {}
        if caption:
            content["caption"] = caption
            if entities:
                content["caption_entities"] = entities
        if params.get("has_spoiler"):
            content["has_media_spoiler"] = True
        if params.get("show_caption_above_media"):
            content["show_caption_above_media"] = True
        return content

    async def _send_photo(self, params: JSON) -> JSON:
        chat = self._target_chat(params)
        source = self._file_for(
            params.get("photo"), "photo", missing="there is no photo in the request"
        )
        content = self._caption_content(params)
        markup = self._markup(params)
        reply_to = self._reply_to(chat, params)
        content = {"photo": self._photo_sizes(source), **content}
        return self._store_bot_message(chat, content, markup=markup, reply_to=reply_to)

    async def _send_document(self, params: JSON) -> JSON:
        chat = self._target_chat(params)
        source = self._file_for(
            params.get("document"), "document", missing="there is no document in the request"
        )
        content = self._caption_content(params)
        markup = self._markup(params)
        reply_to = self._reply_to(chat, params)
        content = {"document": self._media_object(source, "document"), **content}
        return self._store_bot_message(chat, content, markup=markup, reply_to=reply_to)

    async def _send_media_group(self, params: JSON) -> list[JSON]:
        chat = self._target_chat(params)
        media = params.get("media")
        if media is None:
            raise bad('parameter "media" is required')
        if not isinstance(media, list):
            raise bad("can't parse media JSON object")
        if not media:
            raise bad("there are no messages to send")
        if len(media) > 10:
            raise bad("too many messages to send as an album")
        if len(media) < 2:
            # The Bot API documents "must include 2-10 items"; Telegram quietly sends a lone
            # item as a plain message, the fake refuses so the bot uses sendPhoto instead.
            raise bad("media must include 2-10 items")
        if "reply_markup" in params:
            # Telegram ignores it silently; refusing it catches a keyboard that never shows.
            raise bad("reply_markup is not supported for media groups")
        prepared: list[tuple[str, StoredFile | UploadedFile, JSON]] = []
        for item in media:
            if not isinstance(item, dict):
                raise bad("can't parse InputMedia JSON object")
            kind = item.get("type")
            if kind not in ("photo", "video"):
                raise bad(
                    f'can\'t parse InputMedia: type "{kind}" is not supported by the fake '
                    "in sendMediaGroup (photo and video only)"
                )
            source = self._file_for(
                item.get("media"), kind, missing="can't parse InputMedia: media not found"
            )
            prepared.append((kind, source, self._caption_content(item)))
        reply_to = self._reply_to(chat, params)
        group_id = self.new_media_group_id()
        messages = []
        for kind, source, caption in prepared:
            if kind == "photo":
                content: JSON = {"photo": self._photo_sizes(source)}
            else:
                content = {"video": self._media_object(source, "video")}
            content.update(caption)
            content["media_group_id"] = group_id
            messages.append(self._store_bot_message(chat, content, reply_to=reply_to))
        return messages

    async def _edit_message_media(self, params: JSON) -> JSON:
        message = self._editable(params)
        if not any(k in message for k in _MEDIA_KEYS):
            raise bad("there is no media in the message to edit")
        media = params.get("media")
        if not isinstance(media, dict):
            raise bad("can't parse InputMedia JSON object")
        kind = media.get("type")
        if kind not in ("photo", "video", "document"):
            raise bad(f'can\'t parse InputMedia: type "{kind}" is not supported by the fake')
        if "media_group_id" in message and kind == "document":
            raise bad("can't change media type in the album")
        source = self._file_for(
            media.get("media"), kind, missing="can't parse InputMedia: media not found"
        )
        caption = self._caption_content(media)
        markup = self._markup(params, inline_only=True)
        for key in (*_MEDIA_KEYS, "caption", "caption_entities", "has_media_spoiler"):
            message.pop(key, None)
        if kind == "photo":
            message["photo"] = self._photo_sizes(source)
        else:
            message[kind] = self._media_object(source, kind)
        message.update(caption)
        _set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = self.now()
        return message

    async def _get_file(self, params: JSON) -> JSON:
        file_id = params.get("file_id")
        if file_id is None or file_id == "":
            raise bad('parameter "file_id" is required')
        if file_id in self._rejected_file_ids:
            raise ApiError(400, WRONG_FILE)
        stored = self._files.get(str(file_id))
        if stored is None:
            raise bad("invalid file_id")
        if stored.file_size > MAX_DOWNLOAD:
            raise bad("file is too big")
        if stored.file_path is None:
            folders = {"photo": ("photos", "jpg"), "voice": ("voice", "oga")}
            folders |= {"sticker": ("stickers", "webp"), "video": ("videos", "mp4")}
            folder, extension = folders.get(stored.kind, ("documents", "bin"))
            if stored.file_name and "." in stored.file_name:
                extension = stored.file_name.rsplit(".", 1)[1]
            stored.file_path = f"{folder}/file_{len(self._paths)}.{extension}"
            self._paths[stored.file_path] = stored
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

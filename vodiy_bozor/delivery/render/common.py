"""What the renderers of every audience share: the job, the texts and captions, photos as one
call."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from aiogram.methods import SendMediaGroup, SendPhoto, TelegramMethod
from aiogram.types import (
    InputFile,
    InputMediaAudio,
    InputMediaDocument,
    InputMediaLivePhoto,
    InputMediaPhoto,
    InputMediaVideo,
    Message,
)

from vodiy_bozor.captions import Captions
from vodiy_bozor.db import Conn
from vodiy_bozor.db.outbox import OutboxRow
from vodiy_bozor.delivery.outbox import Delivery
from vodiy_bozor.delivery.render.reads import Reads
from vodiy_bozor.models import Ad, Lang, OutboxKind, User
from vodiy_bozor.services.listings import Listings
from vodiy_bozor.services.promotions import Promotions
from vodiy_bozor.texts import Markup, Texts, Translator, escape

log = logging.getLogger(__name__)

MediaItem = (
    InputMediaAudio | InputMediaDocument | InputMediaLivePhoto | InputMediaPhoto | InputMediaVideo
)


@dataclass(frozen=True, slots=True)
class Job:
    """An outbox row to render, with its ad (None for the kinds about no ad) and the photos to
    send: the ad's stored file_ids, or the archive's files when Telegram refused those."""

    row: OutboxRow
    ad: Ad | None
    photos: Sequence[str | InputFile]

    @property
    def the_ad(self) -> Ad:
        assert self.ad is not None, f"outbox kind {self.row.kind} renders an ad"
        return self.ad


# One kind's renderer: the call to make for the job, or None when there is nothing to send
# any more (the ad sold or removed meanwhile, the person gone).
Render = Callable[[Conn, Job], Awaitable[Delivery | None]]


class Audience:
    """What every audience's renderers share: the texts, the captions, the channel, the
    listings service, the promotions, and what they may read (`Reads`)."""

    def __init__(
        self,
        *,
        texts: Texts,
        captions: Captions,
        listings: Listings,
        promotions: Promotions | None = None,
        reads: Reads | None = None,
    ) -> None:
        self.texts = texts
        self.captions = captions
        self.listings = listings
        self.promotions = promotions
        self.channel = listings.channel
        self.reads = reads or Reads()

    KINDS: ClassVar[dict[OutboxKind, str]] = {}  # each kind rendered, and its method's name

    def table(self) -> dict[OutboxKind, Render]:
        """The kinds this audience renders, and how."""
        return {kind: getattr(self, name) for kind, name in self.KINDS.items()}

    async def translator(self, conn: Conn, user_id: int) -> Translator:
        user = await self.reads.user(conn, user_id)
        return self.texts.bind(user.lang if user else Lang.default())

    async def owner(self, conn: Conn, ad: Ad) -> User | None:
        owner = await self.reads.user(conn, ad.owner_id)
        return None if owner is None or owner.blocked else owner


def photos_delivery(
    chat_id: int | str, photos: Sequence[str | InputFile], caption: str | None = None
) -> Delivery:
    """One photo, or an album with the caption on its first item (albums carry no buttons)."""
    if len(photos) == 1:
        return Delivery(SendPhoto(chat_id=chat_id, photo=photos[0], caption=caption))
    media: list[MediaItem] = [
        InputMediaPhoto(media=photo, caption=caption if i == 0 else None)
        for i, photo in enumerate(photos)
    ]
    method: TelegramMethod[Any] = SendMediaGroup(chat_id=chat_id, media=media)
    return Delivery(method, cost=len(media))


def result_messages(result: Any) -> list[Message]:
    if isinstance(result, Message):
        return [result]
    return [m for m in result if isinstance(m, Message)]


def seller_link(user: User | None, user_id: int) -> Markup:
    name = user.full_name if user else str(user_id)
    link = Markup(f'<a href="tg://user?id={user_id}">{escape(name)}</a>')
    if user and user.username:
        return Markup(f"{link} (@{escape(user.username)})")
    return link


def reason_text(t: Translator, ad: Ad) -> str:
    if ad.reject_code:
        return t(f"reject-reason-{ad.reject_code}")
    return ad.reject_reason or "—"

"""Outbox rows for the channel."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from aiogram.methods import EditMessageCaption, PinChatMessage, UnpinChatMessage

from vodiy_bozor.captions import Mark
from vodiy_bozor.db import Conn
from vodiy_bozor.delivery.outbox import Delivery
from vodiy_bozor.delivery.render.common import Audience, Job, photos_delivery
from vodiy_bozor.models import Ad, AdStatus, OutboxKind


class ChannelRenderer(Audience):
    """To the channel: first posts, reposts, paid lifts and pins, "sold" edits. A channel post
    is never sent twice when its outcome is unknown: a second copy could not be reached by
    the "sold" edits (README, "Exactly once")."""

    # Each kind this audience renders, and the method that renders it.
    KINDS: ClassVar[dict[OutboxKind, str]] = {
        OutboxKind.CHANNEL_POST: "post",
        OutboxKind.CHANNEL_REPOST: "repost",
        OutboxKind.CHANNEL_LIFT: "lift",
        OutboxKind.CHANNEL_PIN: "pin",
        OutboxKind.CHANNEL_UNPIN: "unpin",
        OutboxKind.CHANNEL_CAPTION: "caption_edit",
    }

    async def post(self, conn: Conn, job: Job) -> Delivery | None:
        ad = job.the_ad
        if ad.status is not AdStatus.APPROVED:
            return None
        post = photos_delivery(
            self.channel, job.photos, self.captions.caption(ad.content, ad_id=ad.id)
        )
        return replace(post, resend_if_unsure=False)

    async def repost(self, conn: Conn, job: Job) -> Delivery | None:
        ad = job.the_ad
        if ad.status is not AdStatus.PUBLISHED:
            return None  # sold, removed or expired since it was picked
        caption = self.captions.caption(ad.content, Mark.REPOST, ad_id=ad.id)
        repost = photos_delivery(self.channel, job.photos, caption)
        return replace(repost, resend_if_unsure=False)

    async def lift(self, conn: Conn, job: Job) -> Delivery | None:
        ad = job.the_ad
        if ad.status is not AdStatus.PUBLISHED or await self.reads.active_ban(conn, ad.owner_id):
            return None  # sold, removed or banned meanwhile: the promotion is refunded
        caption = self.captions.caption(ad.content, Mark.LIFT, ad_id=ad.id)
        return replace(photos_delivery(self.channel, job.photos, caption), resend_if_unsure=False)

    async def pin(self, conn: Conn, job: Job) -> Delivery | None:
        return await self._pin(conn, job.the_ad)

    async def unpin(self, conn: Conn, job: Job) -> Delivery | None:
        return Delivery(
            UnpinChatMessage(chat_id=self.channel, message_id=job.row.payload["message_id"])
        )

    async def caption_edit(self, conn: Conn, job: Job) -> Delivery | None:
        return self._caption_edit(job.the_ad, job.row.payload)

    async def _pin(self, conn: Conn, ad: Ad) -> Delivery | None:
        """Pin the ad's newest channel post, quietly (a pin in a channel otherwise notifies
        every subscriber: https://core.telegram.org/bots/api#pinchatmessage)."""
        if ad.status is not AdStatus.PUBLISHED or await self.reads.active_ban(conn, ad.owner_id):
            return None  # sold, removed or banned meanwhile: the promotion is refunded
        post = await self.reads.first_post(conn, ad.id)
        if post is None:
            return None
        return Delivery(
            PinChatMessage(
                chat_id=post.chat_id, message_id=post.message_id, disable_notification=True
            )
        )

    def _caption_edit(self, ad: Ad, payload: dict[str, Any]) -> Delivery | None:
        mark = {AdStatus.SOLD: Mark.SOLD, AdStatus.REMOVED: Mark.REMOVED}.get(ad.status)
        if mark is None and payload.get("is_repost"):
            mark = Mark.REPOST
        return Delivery(
            EditMessageCaption(
                chat_id=payload["chat_id"],
                message_id=payload["message_id"],
                caption=self.captions.caption(ad.content, mark, ad_id=ad.id),
            )
        )

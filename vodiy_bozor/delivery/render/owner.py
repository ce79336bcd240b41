"""Outbox rows for the ad's seller."""

from __future__ import annotations

from typing import Any, ClassVar

from aiogram.methods import SendMessage, SendPhoto
from aiogram.types import InputFile

from vodiy_bozor.bot import keyboards
from vodiy_bozor.captions import summary
from vodiy_bozor.db import Conn
from vodiy_bozor.delivery.outbox import Delivery
from vodiy_bozor.delivery.render.common import Audience, Job, reason_text
from vodiy_bozor.models import Ad, AdStatus, OutboxKind


class OwnerRenderer(Audience):
    """To the seller: published, rejected, expired, "has it sold?", how a promotion goes."""

    # Each kind this audience renders, and the method that renders it.
    KINDS: ClassVar[dict[OutboxKind, str]] = {
        OutboxKind.OWNER_PUBLISHED: "published",
        OutboxKind.OWNER_REJECTED: "rejected",
        OutboxKind.OWNER_EXPIRED: "expired",
        OutboxKind.OWNER_PROMOTION: "promotion",
        OutboxKind.SOLD_QUESTION: "sold_question",
    }

    async def published(self, conn: Conn, job: Job) -> Delivery | None:
        return await self._owner_published(conn, job.the_ad)

    async def rejected(self, conn: Conn, job: Job) -> Delivery | None:
        return await self._owner_rejected(conn, job.the_ad)

    async def expired(self, conn: Conn, job: Job) -> Delivery | None:
        return await self._owner_notice(conn, job.the_ad, "owner-expired")

    async def promotion(self, conn: Conn, job: Job) -> Delivery | None:
        return await self._owner_promotion(conn, job.the_ad, job.row.payload)

    async def sold_question(self, conn: Conn, job: Job) -> Delivery | None:
        return await self._sold_question(conn, job.the_ad, job.photos[0])

    async def _owner_published(self, conn: Conn, ad: Ad) -> Delivery | None:
        owner = await self.owner(conn, ad)
        post = await self.reads.first_post(conn, ad.id)
        if owner is None or post is None:
            return None
        t = self.texts.bind(owner.lang)
        text = t("owner-published", id=ad.id, link=self.captions.link(post))
        markup = None
        if self.promotions is not None and self.promotions.kinds:
            markup = keyboards.promote(t, ad.id, self.promotions.settings)
        return Delivery(SendMessage(chat_id=owner.id, text=text, reply_markup=markup))

    async def _owner_rejected(self, conn: Conn, ad: Ad) -> Delivery | None:
        owner = await self.owner(conn, ad)
        if owner is None:
            return None
        t = self.texts.bind(owner.lang)
        text = t("owner-rejected", id=ad.id, reason=reason_text(t, ad))
        return Delivery(SendMessage(chat_id=owner.id, text=text))

    async def _owner_notice(self, conn: Conn, ad: Ad, key: str) -> Delivery | None:
        owner = await self.owner(conn, ad)
        if owner is None:
            return None
        text = self.texts.bind(owner.lang)(key, id=ad.id)
        return Delivery(SendMessage(chat_id=owner.id, text=text))

    async def _owner_promotion(
        self, conn: Conn, ad: Ad, payload: dict[str, Any]
    ) -> Delivery | None:
        """How the seller's paid promotion goes: queued, lifted, pinned, refunded."""
        owner = await self.owner(conn, ad)
        if owner is None:
            return None
        t = self.texts.bind(owner.lang)
        event = payload["event"]
        kind = t(f"promo-kind-{payload['kind']}")
        post = await self.reads.first_post(conn, ad.id)
        link = self.captions.link(post) if post is not None else ""
        if event == "queued":
            text = t("promo-queued", id=ad.id, kind=kind, ahead=payload.get("ahead", 0))
        elif event == "refunded":
            reason = t(f"promo-refund-{payload.get('reason', 'failed')}")
            text = t("promo-refunded", id=ad.id, kind=kind, reason=reason)
        else:
            text = t(f"promo-{event}", id=ad.id, link=link)
        return Delivery(SendMessage(chat_id=owner.id, text=text))

    async def _sold_question(self, conn: Conn, ad: Ad, photo: str | InputFile) -> Delivery | None:
        """The ad's photo with a short summary and three buttons: sold, still selling, remove."""
        owner = await self.owner(conn, ad)
        if owner is None or ad.status is not AdStatus.PUBLISHED:
            return None  # answered meanwhile (say from "My ads"), or the seller is gone
        t = self.texts.bind(owner.lang)
        caption = t(
            "sold-question",
            id=ad.id,
            summary=summary(ad.content.description),
            price=self.captions.price(owner.lang, ad.content.price),
        )
        return Delivery(
            SendPhoto(
                chat_id=owner.id,
                photo=photo,
                caption=caption,
                reply_markup=keyboards.sold_question(t, ad.id),
            )
        )

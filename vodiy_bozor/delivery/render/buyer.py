"""Outbox rows for buyers."""

from __future__ import annotations

from typing import Any, ClassVar

from aiogram.methods import SendMessage, SendPhoto
from aiogram.types import InputFile

from vodiy_bozor.bot import keyboards
from vodiy_bozor.captions import summary
from vodiy_bozor.db import Conn
from vodiy_bozor.delivery.outbox import Delivery
from vodiy_bozor.delivery.render.common import Audience, Job
from vodiy_bozor.models import Ad, AdStatus, OutboxKind
from vodiy_bozor.services.buyers import DIGEST_ITEMS
from vodiy_bozor.texts import Markup, escape


class BuyerRenderer(Audience):
    """To buyers: a saved search's notice, the evening digest."""

    # Each kind this audience renders, and the method that renders it.
    KINDS: ClassVar[dict[OutboxKind, str]] = {
        OutboxKind.BUYER_NOTICE: "notice",
        OutboxKind.BUYER_DIGEST: "digest",
    }

    async def notice(self, conn: Conn, job: Job) -> Delivery | None:
        return await self._buyer_notice(
            conn, int(job.row.chat), job.the_ad, job.row.payload, job.photos[0]
        )

    async def digest(self, conn: Conn, job: Job) -> Delivery | None:
        return await self._digest(conn, int(job.row.chat), job.row.payload)

    async def _buyer_notice(
        self,
        conn: Conn,
        buyer_id: int,
        ad: Ad,
        payload: dict[str, Any],
        photo: str | InputFile,
    ) -> Delivery | None:
        """A saved search matched a new ad: its photo, a short caption with the link, and 🔕
        to end that saved search. Nothing when the ad is no longer for sale, the buyer
        blocked the bot, or they ended the search while the notice waited."""
        buyer = await self.reads.user(conn, buyer_id)
        search_id = payload.get("search_id")
        if buyer is None or buyer.blocked or ad.status is not AdStatus.PUBLISHED:
            return None
        saved = await self.reads.saved_search(conn, search_id) if search_id else None
        if saved is None or saved.buyer_id != buyer_id:
            return None
        post = await self.reads.first_post(conn, ad.id)
        link = self.captions.link(post) if post is not None else None
        t = self.texts.bind(buyer.lang)
        place = t(f"region-{ad.content.region.value}")
        if ad.content.district:
            place = f"{place}, {ad.content.district}"
        caption = t(
            "notice-caption",
            query=summary(saved.query, 60),
            summary=summary(ad.content.description, 300),
            price=self.captions.price(buyer.lang, ad.content.price),
            place=place,
        )
        return Delivery(
            SendPhoto(
                chat_id=buyer_id,
                photo=photo,
                caption=caption,
                reply_markup=keyboards.buyer_notice(t, saved.id, link),
            )
        )

    async def _digest(self, conn: Conn, buyer_id: int, payload: dict[str, Any]) -> Delivery | None:
        """The evening list: the ads still for sale, each a linked summary with its price."""
        buyer = await self.reads.user(conn, buyer_id)
        if buyer is None or buyer.blocked:
            return None
        t = self.texts.bind(buyer.lang)
        lines: list[str] = []
        for ad_id in payload.get("ad_ids", [])[:DIGEST_ITEMS]:
            ad = await self.reads.ad(conn, int(ad_id))
            if ad is None or ad.status is not AdStatus.PUBLISHED:
                continue
            if await self.reads.is_banned(conn, ad.owner_id):
                continue
            post = await self.reads.first_post(conn, ad.id)
            text = escape(summary(ad.content.description, 80))
            if post is not None:
                text = Markup(f'<a href="{escape(self.captions.link(post))}">{text}</a>')
            price = escape(self.captions.price(buyer.lang, ad.content.price))
            lines.append(f"• {text} — {price}")
        if not lines:
            return None  # everything sold meanwhile
        header = t("digest-header", count=len(lines))
        parts = payload.get("parts", 1)
        if isinstance(parts, int) and parts > 1:  # a long evening comes in several messages
            header += f" ({payload.get('part', 1)}/{parts})"
        message = header + "\n\n" + "\n".join(lines)
        return Delivery(SendMessage(chat_id=buyer_id, text=message, disable_web_page_preview=True))

"""Outbox rows for the admins."""

from __future__ import annotations

import functools
import logging
from datetime import datetime
from typing import Any, ClassVar

from aiogram.methods import EditMessageText, SendMessage

from vodiy_bozor.assistant.hints import AdHints, compute_hints
from vodiy_bozor.bot import keyboards
from vodiy_bozor.db import Conn
from vodiy_bozor.db.outbox import OutboxRow
from vodiy_bozor.delivery.outbox import Delivery
from vodiy_bozor.delivery.render.common import (
    Audience,
    Job,
    photos_delivery,
    reason_text,
    seller_link,
)
from vodiy_bozor.models import Ad, AdStatus, Category, Currency, OutboxKind, Price
from vodiy_bozor.services.listings import CardKeyboard, RejectReason, verdict_of
from vodiy_bozor.texts import Markup, Translator, local_time

log = logging.getLogger(__name__)

_REASON_CODES = frozenset(r.value for r in RejectReason)


class AdminRenderer(Audience):
    """To the admins: the ad's photos and its card (sent, then kept up to date), the channel's
    refusals, posts in doubt, payments found by reconciliation."""

    @functools.cached_property
    def _hint_memo(self) -> dict[tuple[int, int], AdHints | None]:
        """The hints of the cards rendered lately, by (ad, its photos hashed): per renderer,
        made on first use so the audiences share one constructor."""
        return {}

    # Each kind this audience renders, and the method that renders it.
    KINDS: ClassVar[dict[OutboxKind, str]] = {
        OutboxKind.ADMIN_PHOTOS: "photos",
        OutboxKind.ADMIN_CARD: "card",
        OutboxKind.ADMIN_CARD_UPDATE: "card_update",
        OutboxKind.ADMIN_CHANNEL_REFUSED: "channel_refused",
        OutboxKind.ADMIN_CHANNEL_RESTORED: "channel_restored",
        OutboxKind.ADMIN_POST_UNKNOWN: "post_unknown",
        OutboxKind.ADMIN_PAYMENT_FOUND: "payment_found",
    }

    async def photos(self, conn: Conn, job: Job) -> Delivery | None:
        return photos_delivery(int(job.row.chat), job.photos)

    async def card(self, conn: Conn, job: Job) -> Delivery | None:
        chat = int(job.row.chat)
        t = await self.translator(conn, chat)
        text, markup = await self._card(conn, t, job.the_ad)
        return Delivery(SendMessage(chat_id=chat, text=text, reply_markup=markup))

    async def card_update(self, conn: Conn, job: Job) -> Delivery | None:
        return await self._card_update(conn, int(job.row.chat), job.the_ad)

    async def channel_refused(self, conn: Conn, job: Job) -> Delivery | None:
        return await self._channel_refused(conn, job.row)

    async def channel_restored(self, conn: Conn, job: Job) -> Delivery | None:
        return await self._channel_restored(conn, job.row)

    async def post_unknown(self, conn: Conn, job: Job) -> Delivery | None:
        return await self._post_unknown(conn, job.row, job.the_ad)

    async def payment_found(self, conn: Conn, job: Job) -> Delivery | None:
        return await self._payment_found(conn, int(job.row.chat), job.the_ad, job.row.payload)

    async def _card(
        self, conn: Conn, t: Translator, ad: Ad, keyboard: str = CardKeyboard.DECIDE
    ) -> tuple[str, Any]:
        """The admin's card: the caption, who sells, and where the ad stands; under a pending
        ad, the keyboard the admin has open (a refresh must not wipe the reasons they are
        about to tap)."""
        seller = await self.reads.user(conn, ad.owner_id)
        posted, approved = await self.reads.seller_counts(conn, ad.owner_id)
        lines = [
            t("card-title", id=ad.id, category=t(f"category-{ad.content.category.value}")),
            "",
            self.captions.caption(ad.content),
            "",
            t("card-seller", seller=seller_link(seller, ad.owner_id), user_id=str(ad.owner_id)),
            t("card-seller-stats", posted=posted, approved=approved),
            t("card-submitted", time=local_time(ad.created_at)),
        ]
        hints = await self._hints(conn, ad) if ad.status is AdStatus.PENDING else None
        # A suggestion of the category the ad has already (the admins took it, or the hints
        # were remembered from before) is not offered.
        suggested = hints.category.category if hints and hints.category_line else None
        if suggested is ad.content.category:
            suggested = None
        if hints is not None:
            hint_lines = await self._hint_lines(conn, t, hints, suggested)
            if hint_lines:
                lines += ["", *hint_lines]
        lines += await self._card_state(conn, t, ad)
        lines += await self._history(conn, t, ad)
        markup = None
        if ad.status is AdStatus.PENDING:
            if keyboard == CardKeyboard.REASONS:
                markup = keyboards.reject_reasons(t, ad.id)
            elif keyboard == CardKeyboard.BAN:
                markup = keyboards.ban_reasons(t, ad.id)
            else:
                markup = keyboards.moderation(t, ad.id, suggested)
        return "\n".join(lines), markup

    async def _hints(self, conn: Conn, ad: Ad) -> AdHints | None:
        """The assistant's hints, computed here rather than at submit (off the seller's path),
        and again when the archive has hashed more of the ad's photos (the near-duplicate
        photos come in then), otherwise remembered: every admin's card of one ad shows the same
        lines. Never in the way of the card: a failure only
        leaves the lines out."""
        try:
            async with conn.transaction():  # a savepoint: the outbox's transaction survives
                key = (ad.id, await self.reads.hashed_photos(conn, ad.id))
                hints = self._hint_memo.get(key)
                if hints is None:
                    # Kept for scoring in a transaction of their own (asynchronous commit:
                    # they can be recomputed), never in the outbox's or the seller's.
                    hints = await compute_hints(conn, ad.id, save_to=self.listings.pool)
                    if len(self._hint_memo) >= 256:
                        self._hint_memo.clear()
                    self._hint_memo[key] = hints
                return hints
        except Exception:
            log.exception("assistant: hints for ad %d failed; the card goes without", ad.id)
            return None

    async def _hint_lines(
        self, conn: Conn, t: Translator, hints: AdHints, category: Category | None
    ) -> list[str]:
        """⚠️ duplicate, 💰 price, 🤖 scam, 📂 `category` (when offered): one line each, only
        when worth it."""
        lines: list[str] = []
        match = hints.duplicate
        if match is not None:
            what = []
            if match.same_photos:
                what.append(t("hint-same-photos", count=match.same_photos))
            if match.similar_photos:
                what.append(t("hint-similar-photos", count=match.similar_photos))
            if match.text_percent >= 50:
                what.append(t("hint-text", percent=match.text_percent))
            if match.same_phone:
                what.append(t("hint-same-phone"))
            if match.same_owner:
                what.append(t("hint-same-owner"))
            post = await self.reads.first_post(conn, match.candidate.id)
            link = t("hint-duplicate-link", link=self.captions.link(post)) if post else ""
            lines.append(
                t(
                    "hint-duplicate",
                    id=match.candidate.id,
                    status=t(f"status-{match.candidate.status.value}"),
                    link=Markup(link),
                    what=", ".join(what),
                )
            )
        price = hints.price
        if price is not None:
            times = price.ratio if price.too_high else 1 / max(price.ratio, 1e-9)
            median = self.captions.price(t.lang, Price(price.median_uzs, Currency.UZS))
            suggestion = (
                t("hint-price-suggestion", price=self.captions.price(t.lang, price.suggestion))
                if price.suggestion is not None
                else ""
            )
            key = "hint-price-high" if price.too_high else "hint-price-low"
            lines.append(t(key, times=round(times), median=median, suggestion=suggestion))
        if hints.scam_line:
            reasons = ", ".join(t(f"assistant-reason-{r.value}") for r in hints.scam.reasons)
            level = t(f"hint-scam-level-{hints.scam.level.code}")
            lines.append(t("hint-scam", level=level, reasons=reasons))
        if category is not None:
            lines.append(t("hint-category", category=t(f"category-{category.value}")))
        return lines

    async def _history(self, conn: Conn, t: Translator, ad: Ad) -> list[str]:
        """Every admin action on the ad (approve, reject, category, ban), with who and when."""
        actions = await self.reads.ad_history(conn, ad.id)
        if not actions:
            return []
        lines = [""]
        for action in actions:
            admin = await self.reads.user(conn, action.admin_id)
            detail = action.detail or ""
            if action.action == "category" and detail:
                detail = t(f"category-{detail}")
            elif action.action in ("ban", "reject") and detail in _REASON_CODES:
                detail = t(f"reject-reason-{detail}")
            lines.append(
                t(
                    "hint-history",
                    time=local_time(action.at),
                    admin=admin.full_name if admin else str(action.admin_id),
                    action=t(f"action-{action.action}", detail=detail),
                )
            )
        return lines

    async def _card_state(self, conn: Conn, t: Translator, ad: Ad) -> list[str]:
        if ad.status is AdStatus.PENDING:
            return ["", t("card-pending")]
        verdict = await verdict_of(conn, ad)
        admin = verdict.admin_name
        when = local_time(verdict.at) if verdict.at else ""
        if ad.status is AdStatus.REJECTED:
            return [
                "",
                t("card-rejected", admin=admin, time=when),
                t("card-reason", reason=reason_text(t, ad)),
            ]
        lines = ["", t("card-approved", admin=admin, time=when)]
        post = await self.reads.first_post(conn, ad.id)
        if post is not None:
            lines.append(t("card-published", link=self.captions.link(post)))
        if ad.status not in (AdStatus.APPROVED, AdStatus.PUBLISHED):
            lines.append(t("card-status", status=t(f"status-{ad.status.value}")))
        return lines

    async def _card_update(self, conn: Conn, admin_id: int, ad: Ad) -> Delivery | None:
        message_id = await self.reads.admin_card(conn, ad.id, admin_id)
        if message_id is None:
            return None  # the card never reached this admin: nothing to edit
        keyboard = await self.reads.admin_card_keyboard(conn, ad.id, admin_id)
        t = await self.translator(conn, admin_id)
        text, markup = await self._card(conn, t, ad, keyboard or CardKeyboard.DECIDE)
        return Delivery(
            EditMessageText(chat_id=admin_id, message_id=message_id, text=text, reply_markup=markup)
        )

    async def _payment_found(
        self, conn: Conn, admin_id: int, ad: Ad, payload: dict[str, Any]
    ) -> Delivery | None:
        promotion = await self.reads.promotion(conn, payload["charge_id"])
        if promotion is None:
            return None
        t = await self.translator(conn, admin_id)
        text = t(
            "admin-payment-found",
            id=ad.id,
            user_id=str(promotion.user_id),
            stars=promotion.stars,
            kind=t(f"promo-kind-{promotion.kind}"),
            charge=promotion.charge_id,
        )
        return Delivery(SendMessage(chat_id=admin_id, text=text))

    async def _channel_refused(self, conn: Conn, row: OutboxRow) -> Delivery:
        t = await self.translator(conn, int(row.chat))
        since = datetime.fromisoformat(row.payload["since"])
        text = t(
            "admin-channel-refused",
            channel=str(self.channel),
            since=local_time(since),
            fix=t(f"admin-channel-fix-{row.payload['reason']}"),
        )
        return Delivery(SendMessage(chat_id=int(row.chat), text=text))

    async def _channel_restored(self, conn: Conn, row: OutboxRow) -> Delivery:
        t = await self.translator(conn, int(row.chat))
        since = datetime.fromisoformat(row.payload["since"])
        text = t(
            "admin-channel-restored",
            channel=str(self.channel),
            since=local_time(since),
        )
        return Delivery(SendMessage(chat_id=int(row.chat), text=text))

    async def _post_unknown(self, conn: Conn, row: OutboxRow, ad: Ad) -> Delivery:
        t = await self.translator(conn, int(row.chat))
        key = "admin-repost-unknown" if row.payload.get("repost") else "admin-post-unknown"
        text = t(
            key,
            id=ad.id,
            channel=str(self.channel),
            time=local_time(datetime.fromisoformat(row.payload["at"])),
        )
        return Delivery(SendMessage(chat_id=int(row.chat), text=text))

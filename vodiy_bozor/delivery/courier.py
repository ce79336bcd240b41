"""What each kind of outbox row says, rendered when it is sent, and what is recorded after.

Rows hold ids, not texts: a row is rendered from the state at the moment it goes out, so a
card that leaves after a decision already shows the decision, a repost of an ad sold in the
meantime is dropped, and a notice is in the language the person uses now.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from aiogram.methods import (
    EditMessageCaption,
    EditMessageText,
    PinChatMessage,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    TelegramMethod,
    UnpinChatMessage,
)
from aiogram.types import (
    BufferedInputFile,
    InputFile,
    InputMediaAudio,
    InputMediaDocument,
    InputMediaLivePhoto,
    InputMediaPhoto,
    InputMediaVideo,
    Message,
)

from vodiy_bozor.assistant.hints import AdHints, compute_hints
from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.user_registry import UserRegistry
from vodiy_bozor.captions import Captions, Mark, summary
from vodiy_bozor.db import Conn
from vodiy_bozor.db import admin_actions as db_admin_actions
from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.db import assistant as db_assistant
from vodiy_bozor.db import bans as db_bans
from vodiy_bozor.db import photos as db_photos
from vodiy_bozor.db import promotions as db_promo
from vodiy_bozor.db import saved_searches as db_saved_searches
from vodiy_bozor.db import users as db_users
from vodiy_bozor.db.outbox import OutboxRow, enqueue
from vodiy_bozor.delivery.archive import load_archived
from vodiy_bozor.delivery.channel_probe import PostContent
from vodiy_bozor.delivery.outbox import Delivery
from vodiy_bozor.delivery.photo_store import PhotoStore
from vodiy_bozor.models import Ad, AdStatus, Category, Currency, Lang, OutboxKind, Price, User
from vodiy_bozor.promotions import Promotions
from vodiy_bozor.services.buyers import DIGEST_ITEMS
from vodiy_bozor.services.listings import (
    CardKeyboard,
    Listings,
    RejectReason,
    verdict_of,
)
from vodiy_bozor.texts import Markup, Texts, Translator, escape, local_time

log = logging.getLogger(__name__)

_REASON_CODES = frozenset(r.value for r in RejectReason)

# The kinds that send the ad's photos, and so can fall back to the archive.
_PHOTO_KINDS = frozenset(
    {
        OutboxKind.ADMIN_PHOTOS,
        OutboxKind.CHANNEL_POST,
        OutboxKind.CHANNEL_REPOST,
        OutboxKind.CHANNEL_LIFT,
        OutboxKind.SOLD_QUESTION,
        OutboxKind.BUYER_NOTICE,
    }
)

# The kinds that show an ad to new eyes: none goes out while its seller is banned.
_EXPOSING_KINDS = frozenset(
    {OutboxKind.CHANNEL_POST, OutboxKind.CHANNEL_REPOST, OutboxKind.BUYER_NOTICE}
)

MediaItem = (
    InputMediaAudio | InputMediaDocument | InputMediaLivePhoto | InputMediaPhoto | InputMediaVideo
)


class BotCourier:
    def __init__(
        self,
        *,
        texts: Texts,
        captions: Captions,
        listings: Listings,
        photos: PhotoStore,
        registry: UserRegistry,
        promotions: Promotions | None = None,
    ) -> None:
        self.promotions = promotions
        self.texts = texts
        self.captions = captions
        self.listings = listings
        self.photos = photos
        self.registry = registry
        self.channel = listings.channel
        self._hint_memo: dict[tuple[int, int], AdHints | None] = {}

    # -- the Courier protocol ------------------------------------------------------------------

    async def render(
        self, conn: Conn, row: OutboxRow, *, files: Sequence[InputFile] | None = None
    ) -> Delivery | None:
        """The call for a row; `files` replace the ad's stored file_ids (the archive)."""
        kind = OutboxKind(row.kind)
        if kind is OutboxKind.ADMIN_CHANNEL_REFUSED:
            return await self._channel_refused(conn, row)
        if kind is OutboxKind.ADMIN_CHANNEL_RESTORED:
            return await self._channel_restored(conn, row)
        if kind is OutboxKind.BUYER_DIGEST:
            return await self._digest(conn, int(row.chat), row.payload)
        ad = await db_ads.get_ad(conn, row.ad_id) if row.ad_id is not None else None
        if ad is None:
            log.warning("outbox row %d (%s): ad %s is gone", row.id, row.kind, row.ad_id)
            return None
        photos: Sequence[str | InputFile] = files or [p.file_id for p in ad.content.photos]
        if kind in _EXPOSING_KINDS and await db_bans.is_banned(conn, ad.owner_id):
            # The seller was banned after this row was queued: no new exposure. A first post
            # is queued again by /unban (Moderation.unban); a repost or a notice is just dropped.
            log.info("outbox row %d (%s): the seller of ad %d is banned", row.id, kind, ad.id)
            return None
        if kind is OutboxKind.ADMIN_PHOTOS:
            return _photos(int(row.chat), photos)
        if kind is OutboxKind.ADMIN_CARD:
            t = await self._translator(conn, int(row.chat))
            text, markup = await self._card(conn, t, ad)
            return Delivery(SendMessage(chat_id=int(row.chat), text=text, reply_markup=markup))
        if kind is OutboxKind.ADMIN_CARD_UPDATE:
            return await self._card_update(conn, int(row.chat), ad)
        # A channel post is never sent twice when its outcome is unknown: a second copy could
        # not be reached by the "sold" edits (README, "Exactly once").
        if kind is OutboxKind.CHANNEL_POST:
            if ad.status is not AdStatus.APPROVED:
                return None
            post = _photos(self.channel, photos, self.captions.caption(ad.content, ad_id=ad.id))
            return replace(post, resend_if_unsure=False)
        if kind is OutboxKind.CHANNEL_REPOST:
            if ad.status is not AdStatus.PUBLISHED:
                return None  # sold, removed or expired since it was picked
            caption = self.captions.caption(ad.content, Mark.REPOST, ad_id=ad.id)
            repost = _photos(self.channel, photos, caption)
            return replace(repost, resend_if_unsure=False)
        if kind is OutboxKind.CHANNEL_LIFT:
            if ad.status is not AdStatus.PUBLISHED or await db_bans.active_ban(conn, ad.owner_id):
                return None  # sold, removed or banned meanwhile: the promotion is refunded
            caption = self.captions.caption(ad.content, Mark.LIFT, ad_id=ad.id)
            return replace(_photos(self.channel, photos, caption), resend_if_unsure=False)
        if kind is OutboxKind.CHANNEL_PIN:
            return await self._pin(conn, ad)
        if kind is OutboxKind.CHANNEL_UNPIN:
            return Delivery(
                UnpinChatMessage(chat_id=self.channel, message_id=row.payload["message_id"])
            )
        if kind is OutboxKind.OWNER_PROMOTION:
            return await self._owner_promotion(conn, ad, row.payload)
        if kind is OutboxKind.ADMIN_PAYMENT_FOUND:
            return await self._payment_found(conn, int(row.chat), ad, row.payload)
        if kind is OutboxKind.ADMIN_POST_UNKNOWN:
            return await self._post_unknown(conn, row, ad)
        if kind is OutboxKind.CHANNEL_CAPTION:
            return self._caption_edit(ad, row.payload)
        if kind is OutboxKind.OWNER_PUBLISHED:
            return await self._owner_published(conn, ad)
        if kind is OutboxKind.OWNER_REJECTED:
            return await self._owner_rejected(conn, ad)
        if kind is OutboxKind.OWNER_EXPIRED:
            return await self._owner_notice(conn, ad, "owner-expired")
        if kind is OutboxKind.SOLD_QUESTION:
            return await self._sold_question(conn, ad, photos[0])
        if kind is OutboxKind.BUYER_NOTICE:
            return await self._buyer_notice(conn, int(row.chat), ad, row.payload, photos[0])
        raise ValueError(f"no renderer for outbox kind {kind}")

    async def sent(self, conn: Conn, row: OutboxRow, delivery: Delivery, result: Any) -> None:
        kind = OutboxKind(row.kind)
        if row.ad_id is None or result is None:
            return
        if delivery.uploaded:
            # Telegram gave the re-uploaded photos new file_ids: use those from now on.
            new = [
                (m.photo[-1].file_id, m.photo[-1].file_unique_id)
                for m in _messages(result)
                if m.photo
            ]
            await db_photos.replace_file_ids(conn, row.ad_id, new)
        if kind is OutboxKind.ADMIN_CARD and isinstance(result, Message):
            await db_ads.save_admin_card(conn, row.ad_id, int(row.chat), result.message_id)
        elif kind in (OutboxKind.CHANNEL_POST, OutboxKind.CHANNEL_REPOST, OutboxKind.CHANNEL_LIFT):
            messages = _messages(result)
            await self.listings.posted(
                conn,
                row.ad_id,
                messages[0].chat.id,
                [m.message_id for m in messages],
                is_repost=kind is not OutboxKind.CHANNEL_POST,
            )
            if kind is OutboxKind.CHANNEL_LIFT and self.promotions is not None:
                await self.promotions.delivered(conn, row.payload["charge_id"])
        elif kind is OutboxKind.CHANNEL_PIN and self.promotions is not None:
            # The message pinned, for the unpin in 24 hours (a replayed bookkeeping has no
            # call to read it from: the ad's newest post is the one that was pinned).
            method = delivery.method
            message_id = method.message_id if isinstance(method, PinChatMessage) else None
            if message_id is None:
                post = await db_ads.first_post(conn, row.ad_id)
                message_id = post.message_id if post is not None else None
            await self.promotions.delivered(conn, row.payload["charge_id"], message_id=message_id)

    async def file_rejected(self, conn: Conn, row: OutboxRow) -> Delivery | None:
        """Telegram refused a stored file_id (another bot token, a file it dropped): render the
        same call with the photos uploaded from the archive, if every one of them is there."""
        kind = OutboxKind(row.kind)
        if row.ad_id is None or kind not in _PHOTO_KINDS:
            return None
        data = await load_archived(conn, self.photos, row.ad_id)
        if not data:
            log.warning("outbox row %d: ad %d has no complete archive", row.id, row.ad_id)
            return None
        files = [
            BufferedInputFile(blob, filename=f"ad{row.ad_id}-{i}.jpg")
            for i, blob in enumerate(data)
        ]
        delivery = await self.render(conn, row, files=files)
        return replace(delivery, uploaded=True) if delivery is not None else None

    async def user_blocked(self, conn: Conn, user_id: int) -> None:
        await self.registry.set_blocked(user_id, True, conn)

    async def channel_refuses(self, conn: Conn, chat: str, reason: str, since: datetime) -> None:
        for admin_id in sorted(self.listings.admin_ids):
            await enqueue(
                conn,
                admin_id,
                OutboxKind.ADMIN_CHANNEL_REFUSED,
                payload={"reason": reason, "since": since.isoformat()},
            )

    async def channel_accepts(self, conn: Conn, chat: str, since: datetime) -> None:
        for admin_id in sorted(self.listings.admin_ids):
            await enqueue(
                conn,
                admin_id,
                OutboxKind.ADMIN_CHANNEL_RESTORED,
                payload={"since": since.isoformat()},
            )

    async def outcome_unknown(self, conn: Conn, row: OutboxRow, at: datetime | None = None) -> None:
        if row.ad_id is None:
            return
        when = (at or datetime.now(UTC)).isoformat()
        repost = row.kind in (OutboxKind.CHANNEL_REPOST, OutboxKind.CHANNEL_LIFT)
        for admin_id in sorted(self.listings.admin_ids):
            await enqueue(
                conn,
                admin_id,
                OutboxKind.ADMIN_POST_UNKNOWN,
                ad_id=row.ad_id,
                payload={"at": when, "repost": repost},
            )

    async def posted_content(self, conn: Conn, row: OutboxRow) -> PostContent | None:
        """A channel post or repost as `render` sent it, whatever the ad's state now: its
        caption (an approved ad's content no longer changes) and how many photos."""
        kind = OutboxKind(row.kind)
        marks = {
            OutboxKind.CHANNEL_POST: None,
            OutboxKind.CHANNEL_REPOST: Mark.REPOST,
            OutboxKind.CHANNEL_LIFT: Mark.LIFT,  # a paid lift is a repost marked 🚀
        }
        if kind not in marks or row.ad_id is None:
            return None
        ad = await db_ads.get_ad(conn, row.ad_id)
        if ad is None:
            return None
        mark = marks[kind]
        caption = self.captions.caption(ad.content, mark, ad_id=ad.id)
        return PostContent(caption=caption, items=len(ad.content.photos))

    # -- rendering -----------------------------------------------------------------------------

    async def _translator(self, conn: Conn, user_id: int) -> Translator:
        user = await db_users.get_user(conn, user_id)
        return self.texts.bind(user.lang if user else Lang.default())

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

    async def _card(
        self, conn: Conn, t: Translator, ad: Ad, keyboard: str = CardKeyboard.DECIDE
    ) -> tuple[str, Any]:
        """The admin's card: the caption, who sells, and where the ad stands; under a pending
        ad, the keyboard the admin has open (a refresh must not wipe the reasons they are
        about to tap)."""
        seller = await db_users.get_user(conn, ad.owner_id)
        posted, approved = await db_ads.seller_counts(conn, ad.owner_id)
        lines = [
            t("card-title", id=ad.id, category=t(f"category-{ad.content.category.value}")),
            "",
            self.captions.caption(ad.content),
            "",
            t("card-seller", seller=_seller_link(seller, ad.owner_id), user_id=str(ad.owner_id)),
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
                key = (ad.id, await db_assistant.hashed_photos(conn, ad.id))
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
            post = await db_ads.first_post(conn, match.candidate.id)
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
        actions = await db_admin_actions.ad_history(conn, ad.id)
        if not actions:
            return []
        lines = [""]
        for action in actions:
            admin = await db_users.get_user(conn, action.admin_id)
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
                t("card-reason", reason=_reason(t, ad)),
            ]
        lines = ["", t("card-approved", admin=admin, time=when)]
        post = await db_ads.first_post(conn, ad.id)
        if post is not None:
            lines.append(t("card-published", link=self.captions.link(post)))
        if ad.status not in (AdStatus.APPROVED, AdStatus.PUBLISHED):
            lines.append(t("card-status", status=t(f"status-{ad.status.value}")))
        return lines

    async def _card_update(self, conn: Conn, admin_id: int, ad: Ad) -> Delivery | None:
        message_id = await db_ads.admin_card(conn, ad.id, admin_id)
        if message_id is None:
            return None  # the card never reached this admin: nothing to edit
        keyboard = await db_ads.admin_card_keyboard(conn, ad.id, admin_id)
        t = await self._translator(conn, admin_id)
        text, markup = await self._card(conn, t, ad, keyboard or CardKeyboard.DECIDE)
        return Delivery(
            EditMessageText(chat_id=admin_id, message_id=message_id, text=text, reply_markup=markup)
        )

    async def _owner(self, conn: Conn, ad: Ad) -> User | None:
        owner = await db_users.get_user(conn, ad.owner_id)
        return None if owner is None or owner.blocked else owner

    async def _owner_published(self, conn: Conn, ad: Ad) -> Delivery | None:
        owner = await self._owner(conn, ad)
        post = await db_ads.first_post(conn, ad.id)
        if owner is None or post is None:
            return None
        t = self.texts.bind(owner.lang)
        text = t("owner-published", id=ad.id, link=self.captions.link(post))
        markup = None
        if self.promotions is not None and self.promotions.kinds:
            markup = keyboards.promote(t, ad.id, self.promotions.settings)
        return Delivery(SendMessage(chat_id=owner.id, text=text, reply_markup=markup))

    async def _pin(self, conn: Conn, ad: Ad) -> Delivery | None:
        """Pin the ad's newest channel post, quietly (a pin in a channel otherwise notifies
        every subscriber: https://core.telegram.org/bots/api#pinchatmessage)."""
        if ad.status is not AdStatus.PUBLISHED or await db_bans.active_ban(conn, ad.owner_id):
            return None  # sold, removed or banned meanwhile: the promotion is refunded
        post = await db_ads.first_post(conn, ad.id)
        if post is None:
            return None
        return Delivery(
            PinChatMessage(
                chat_id=post.chat_id, message_id=post.message_id, disable_notification=True
            )
        )

    async def _owner_promotion(
        self, conn: Conn, ad: Ad, payload: dict[str, Any]
    ) -> Delivery | None:
        """How the seller's paid promotion goes: queued, lifted, pinned, refunded."""
        owner = await self._owner(conn, ad)
        if owner is None:
            return None
        t = self.texts.bind(owner.lang)
        event = payload["event"]
        kind = t(f"promo-kind-{payload['kind']}")
        post = await db_ads.first_post(conn, ad.id)
        link = self.captions.link(post) if post is not None else ""
        if event == "queued":
            text = t("promo-queued", id=ad.id, kind=kind, ahead=payload.get("ahead", 0))
        elif event == "refunded":
            reason = t(f"promo-refund-{payload.get('reason', 'failed')}")
            text = t("promo-refunded", id=ad.id, kind=kind, reason=reason)
        else:
            text = t(f"promo-{event}", id=ad.id, link=link)
        return Delivery(SendMessage(chat_id=owner.id, text=text))

    async def _payment_found(
        self, conn: Conn, admin_id: int, ad: Ad, payload: dict[str, Any]
    ) -> Delivery | None:
        promotion = await db_promo.get(conn, payload["charge_id"])
        if promotion is None:
            return None
        t = await self._translator(conn, admin_id)
        text = t(
            "admin-payment-found",
            id=ad.id,
            user_id=str(promotion.user_id),
            stars=promotion.stars,
            kind=t(f"promo-kind-{promotion.kind}"),
            charge=promotion.charge_id,
        )
        return Delivery(SendMessage(chat_id=admin_id, text=text))

    async def _owner_notice(self, conn: Conn, ad: Ad, key: str) -> Delivery | None:
        owner = await self._owner(conn, ad)
        if owner is None:
            return None
        text = self.texts.bind(owner.lang)(key, id=ad.id)
        return Delivery(SendMessage(chat_id=owner.id, text=text))

    async def _sold_question(self, conn: Conn, ad: Ad, photo: str | InputFile) -> Delivery | None:
        """The ad's photo with a short summary and three buttons: sold, still selling, remove."""
        owner = await self._owner(conn, ad)
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

    async def _channel_refused(self, conn: Conn, row: OutboxRow) -> Delivery:
        t = await self._translator(conn, int(row.chat))
        since = datetime.fromisoformat(row.payload["since"])
        text = t(
            "admin-channel-refused",
            channel=str(self.channel),
            since=local_time(since),
            fix=t(f"admin-channel-fix-{row.payload['reason']}"),
        )
        return Delivery(SendMessage(chat_id=int(row.chat), text=text))

    async def _channel_restored(self, conn: Conn, row: OutboxRow) -> Delivery:
        t = await self._translator(conn, int(row.chat))
        since = datetime.fromisoformat(row.payload["since"])
        text = t(
            "admin-channel-restored",
            channel=str(self.channel),
            since=local_time(since),
        )
        return Delivery(SendMessage(chat_id=int(row.chat), text=text))

    async def _post_unknown(self, conn: Conn, row: OutboxRow, ad: Ad) -> Delivery:
        t = await self._translator(conn, int(row.chat))
        key = "admin-repost-unknown" if row.payload.get("repost") else "admin-post-unknown"
        text = t(
            key,
            id=ad.id,
            channel=str(self.channel),
            time=local_time(datetime.fromisoformat(row.payload["at"])),
        )
        return Delivery(SendMessage(chat_id=int(row.chat), text=text))

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
        buyer = await db_users.get_user(conn, buyer_id)
        search_id = payload.get("search_id")
        if buyer is None or buyer.blocked or ad.status is not AdStatus.PUBLISHED:
            return None
        saved = await db_saved_searches.get_saved_search(conn, search_id) if search_id else None
        if saved is None or saved.buyer_id != buyer_id:
            return None
        post = await db_ads.first_post(conn, ad.id)
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
        buyer = await db_users.get_user(conn, buyer_id)
        if buyer is None or buyer.blocked:
            return None
        t = self.texts.bind(buyer.lang)
        lines: list[str] = []
        for ad_id in payload.get("ad_ids", [])[:DIGEST_ITEMS]:
            ad = await db_ads.get_ad(conn, int(ad_id))
            if ad is None or ad.status is not AdStatus.PUBLISHED:
                continue
            if await db_bans.is_banned(conn, ad.owner_id):
                continue
            post = await db_ads.first_post(conn, ad.id)
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

    async def _owner_rejected(self, conn: Conn, ad: Ad) -> Delivery | None:
        owner = await self._owner(conn, ad)
        if owner is None:
            return None
        t = self.texts.bind(owner.lang)
        text = t("owner-rejected", id=ad.id, reason=_reason(t, ad))
        return Delivery(SendMessage(chat_id=owner.id, text=text))


def _photos(
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


def _messages(result: Any) -> list[Message]:
    if isinstance(result, Message):
        return [result]
    return [m for m in result if isinstance(m, Message)]


def _seller_link(user: User | None, user_id: int) -> Markup:
    name = user.full_name if user else str(user_id)
    link = Markup(f'<a href="tg://user?id={user_id}">{escape(name)}</a>')
    if user and user.username:
        return Markup(f"{link} (@{escape(user.username)})")
    return link


def _reason(t: Translator, ad: Ad) -> str:
    if ad.reject_code:
        return t(f"reject-reason-{ad.reject_code}")
    return ad.reject_reason or "—"

"""What each kind of outbox row says (a renderer per audience, `delivery/render/`, chosen by
kind), rendered when it is sent, and what is recorded after.

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

from aiogram.methods import PinChatMessage
from aiogram.types import BufferedInputFile, InputFile, Message

from vodiy_bozor.bot.user_registry import UserRegistry
from vodiy_bozor.captions import Captions, Mark
from vodiy_bozor.db import Conn
from vodiy_bozor.db import ads as db_ads
from vodiy_bozor.db import bans as db_bans
from vodiy_bozor.db import photos as db_photos
from vodiy_bozor.db.outbox import OutboxRow, enqueue
from vodiy_bozor.delivery.archive import load_archived
from vodiy_bozor.delivery.channel_probe import PostContent
from vodiy_bozor.delivery.outbox import Delivery
from vodiy_bozor.delivery.photo_store import PhotoStore
from vodiy_bozor.delivery.render.admin import AdminRenderer
from vodiy_bozor.delivery.render.buyer import BuyerRenderer
from vodiy_bozor.delivery.render.channel import ChannelRenderer
from vodiy_bozor.delivery.render.common import Audience, Job, Render, result_messages
from vodiy_bozor.delivery.render.owner import OwnerRenderer
from vodiy_bozor.delivery.render.reads import Reads
from vodiy_bozor.models import OutboxKind
from vodiy_bozor.services.listings import Listings
from vodiy_bozor.services.promotions import Promotions
from vodiy_bozor.texts import Texts

log = logging.getLogger(__name__)

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

# The channel posts of an ad, whose check of the ban must hold until the post is out and
# recorded (`db.bans.hold_seller`): a ban landing in between would let the post out after all,
# and a first post recorded under a ban tells no buyer, then or after /unban. (A paid lift is a
# repost; its renderer checks the ban itself, after this lock. A buyer's notice goes to one
# person and is not held: thousands of them would each lock the seller's row.)
_SELLER_HELD_KINDS = frozenset(
    {OutboxKind.CHANNEL_POST, OutboxKind.CHANNEL_REPOST, OutboxKind.CHANNEL_LIFT}
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
        self.reads = Reads()
        self._renderers = renderer_table(
            *(
                audience(
                    texts=texts,
                    captions=captions,
                    listings=listings,
                    promotions=promotions,
                    reads=self.reads,
                )
                for audience in AUDIENCES
            )
        )

    # -- the Courier protocol ------------------------------------------------------------------

    async def render(
        self, conn: Conn, row: OutboxRow, *, files: Sequence[InputFile] | None = None
    ) -> Delivery | None:
        """The call for a row; `files` replace the ad's stored file_ids (the archive)."""
        kind = OutboxKind(row.kind)
        render = self._renderers.get(kind)
        if render is None:
            raise ValueError(f"no renderer for outbox kind {kind}")
        if kind in _AD_FREE_KINDS:
            return await render(conn, Job(row, None, ()))
        ad = await self.reads.ad(conn, row.ad_id) if row.ad_id is not None else None
        if ad is None:
            log.warning("outbox row %d (%s): ad %s is gone", row.id, row.kind, row.ad_id)
            return None
        photos: Sequence[str | InputFile] = files or [p.file_id for p in ad.content.photos]
        if kind in _SELLER_HELD_KINDS:
            # Held until the outbox's transaction ends, which is one send and its bookkeeping
            # (`OutboxWorker._handle`): a ban waits for this post, or this waits for the ban
            # and the check below sees it.
            await db_bans.hold_seller(conn, ad.owner_id)
        if kind in _EXPOSING_KINDS and await self.reads.is_banned(conn, ad.owner_id):
            # The seller was banned after this row was queued: no new exposure. A first post
            # is queued again by /unban (Moderation.unban); a repost or a notice is just dropped.
            log.info("outbox row %d (%s): the seller of ad %d is banned", row.id, kind, ad.id)
            return None
        return await render(conn, Job(row, ad, photos))

    async def sent(self, conn: Conn, row: OutboxRow, delivery: Delivery, result: Any) -> None:
        kind = OutboxKind(row.kind)
        if row.ad_id is None or result is None:
            return
        if delivery.uploaded:
            # Telegram gave the re-uploaded photos new file_ids: use those from now on.
            new = [
                (m.photo[-1].file_id, m.photo[-1].file_unique_id)
                for m in result_messages(result)
                if m.photo
            ]
            await db_photos.replace_file_ids(conn, row.ad_id, new)
        if kind is OutboxKind.ADMIN_CARD and isinstance(result, Message):
            await db_ads.save_admin_card(conn, row.ad_id, int(row.chat), result.message_id)
        elif kind in (OutboxKind.CHANNEL_POST, OutboxKind.CHANNEL_REPOST, OutboxKind.CHANNEL_LIFT):
            messages = result_messages(result)
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
                post = await self.reads.first_post(conn, row.ad_id)
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
        ad = await self.reads.ad(conn, row.ad_id)
        if ad is None:
            return None
        mark = marks[kind]
        caption = self.captions.caption(ad.content, mark, ad_id=ad.id)
        return PostContent(caption=caption, items=len(ad.content.photos))


# Who reads outbox rows: each audience renders its own kinds (every kind exactly once).
AUDIENCES: tuple[type[Audience], ...] = (
    AdminRenderer,
    ChannelRenderer,
    OwnerRenderer,
    BuyerRenderer,
)

# The kinds about no ad (the channel's state, a digest of several): rendered from the row.
_AD_FREE_KINDS = frozenset(
    {OutboxKind.ADMIN_CHANNEL_REFUSED, OutboxKind.ADMIN_CHANNEL_RESTORED, OutboxKind.BUYER_DIGEST}
)


def renderer_table(*audiences: Audience) -> dict[OutboxKind, Render]:
    """Each kind's renderer, from the audiences' own tables; a kind claimed twice is a bug."""
    table: dict[OutboxKind, Render] = {}
    for audience in audiences:
        for kind, render in audience.table().items():
            if kind in table:
                raise ValueError(f"outbox kind {kind} has two renderers")
            table[kind] = render
    return table

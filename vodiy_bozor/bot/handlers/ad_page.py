"""`/start ad_<id>`: a buyer followed a channel post's link into the bot. They see the ad and
the seller's phone, with a button to write to the seller on Telegram when the seller has a
username; the open is counted once per buyer for the seller's "My ads".

Deep-link payloads are up to 64 characters of `A-Za-z0-9_-`
(https://core.telegram.org/bots/features#deep-linking), so the payload is the ad's id only.
"""

from __future__ import annotations

import re

from aiogram import F, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import Message

from vodiy_bozor.bot import keyboards
from vodiy_bozor.bot.filters import PrivateChat
from vodiy_bozor.captions import Captions
from vodiy_bozor.models import AdStatus
from vodiy_bozor.services.buyers import Buyers
from vodiy_bozor.telegram.limits import START_PAYLOAD_LENGTH
from vodiy_bozor.text.phone import format_phone
from vodiy_bozor.texts import Translator

# ASCII digits only (`\d` would take Arabic-Indic and other digits too), at most 18 of them so
# the id fits PostgreSQL's bigint.
_PAYLOAD = re.compile(r"ad_([0-9]{1,18})")
MAX_PAYLOAD = START_PAYLOAD_LENGTH


def payload_ad_id(payload: str | None) -> int | None:
    """The ad id in a `/start ad_<id>` payload; None for anything else, read in bounded time
    whatever was sent."""
    if payload is None or len(payload) > MAX_PAYLOAD:
        return None
    found = _PAYLOAD.fullmatch(payload)
    return int(found.group(1)) if found is not None else None


async def open_ad(
    message: Message,
    command: CommandObject,
    t: Translator,
    buyers: Buyers,
    captions: Captions,
) -> None:
    assert message.from_user is not None
    ad_id = payload_ad_id(command.args)
    view = await buyers.open_for_buyer(ad_id, message.from_user.id) if ad_id else None
    if view is None or view.ad.status not in (AdStatus.PUBLISHED, AdStatus.SOLD):
        await message.answer(t("ad-page-gone"), reply_markup=keyboards.main_menu(t))
        return
    ad = view.ad
    if ad.status is AdStatus.SOLD:
        await message.answer(t("ad-page-sold", id=ad.id), reply_markup=keyboards.main_menu(t))
        return
    link = captions.link(view.post) if view.post is not None else None
    username = view.seller.username if view.seller is not None else None
    await message.answer_photo(
        ad.content.photos[0].file_id,
        caption=captions.caption(ad.content),
        reply_markup=keyboards.ad_page(t, seller_username=username, link=link),
    )
    key = "ad-page-contact-username" if username else "ad-page-contact"
    await message.answer(
        t(key, phone=format_phone(ad.content.phone), username=username or ""),
        reply_markup=keyboards.main_menu(t),
    )


def setup() -> Router:
    router = Router(name="ad_page")
    router.message.filter(PrivateChat())
    router.message.register(
        open_ad, CommandStart(deep_link=True, magic=F.args.regexp(rf"^{_PAYLOAD.pattern}$"))
    )
    return router
